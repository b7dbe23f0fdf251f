"""Why a student did not get a choice, in words a parent would accept.

For every registered student left with none of their choices, or with fewer
than they wanted, each choice they did not get is given one reason, found by
looking at the schedule as a coordinator would: did the activity open at all;
does any of its sections meet on the child's days and within their stay; were
those sections full (and who got the places); did the child's other placement
take that time; would the per-head fee break the cap. Reasons are codes with
parameters; ``labels`` words them in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.lottery import tickets
from models.schedule import Schedule, Section
from models.school import Activity, School, Staff, Student
from models.time import PERIODS, Slot
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.views import Pupil, eligible_ranks, natural_key, pupil, student_order


@dataclass(frozen=True, kw_only=True)
class Reason:
    """Why one choice was not placed: ``code`` names the sentence, ``params`` fills it.

    Codes: ``not_open`` (with ``why``: ``vendor``, ``staff``, ``room``, ``applicants``,
    ``fee_cap``, ``vendor_sessions``, ``staff_busy``, ``room_busy`` or ``timetable``), ``days``,
    ``stay``, ``full``, ``clash``, ``fee_cap``, ``free``,
    ``grade`` (a choice the grade may not join), ``unknown`` (no such activity),
    ``no_choices``, ``few_choices``.
    """

    code: str
    activity_name: str = ""
    activity_id: str = ""
    rank: int | None = None
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Unmet:
    """A registered student who got none of their choices or fewer than they wanted."""

    pupil: Pupil
    wants: int
    got: tuple[tuple[int, str], ...]  # (rank, activity name) of the choices they got
    choices: tuple[str, ...]  # activity names (or ids when unknown), in rank order
    reasons: tuple[Reason, ...]


def unmet_students(school: School, schedule: Schedule, seed: int | None) -> list[Unmet]:
    """Every registered student with none of their choices or fewer than ``wants``.

    ``seed`` is the lottery seed: with it, a "full" reason says whether the places
    went to children with higher priority, a higher-ranked choice or a luckier
    draw; without it, only how many places and applicants there were.
    """
    finder = ReasonFinder(school, schedule, seed)
    found: list[Unmet] = []
    for student in student_order(school):
        if not student.registered or student.wants < 1:
            continue
        ranks = eligible_ranks(school, student)
        got = sorted((ranks[s.activity_id], s.activity_id) for s in finder.chosen_of(student))
        if len(got) >= student.wants:
            continue
        reasons = finder.reasons(student, ranks, {a for _, a in got})
        names = tuple(finder.name(a) for a in student.choices)
        found.append(Unmet(pupil=pupil(student), wants=student.wants,
                           got=tuple((r, finder.name(a)) for r, a in got), choices=names,
                           reasons=tuple(reasons)))
    return found


class ReasonFinder:
    """The schedule indexed the ways the reasons need it: built once, asked per child."""

    def __init__(self, school: School, schedule: Schedule, seed: int | None) -> None:
        self.school, self.schedule = school, schedule
        self.ticket = tickets(school, seed) if seed is not None else None
        self.sections_of: dict[str, list[Section]] = {}
        self.member_of: dict[str, list[Section]] = {}
        self.room_busy: dict[str, set[Slot]] = {}  # room id → slots it is used in
        self.staff_busy: dict[str, set[Slot]] = {}  # staff id → slots they serve in
        self.vendor_sessions: dict[str, int] = {}  # vendor id → section meetings a week
        for section in schedule.sections:
            self.sections_of.setdefault(section.activity_id, []).append(section)
            for student_id in dict.fromkeys(section.student_ids):
                self.member_of.setdefault(student_id, []).append(section)
            for meeting in section.meetings:
                self.room_busy.setdefault(meeting.room_id, set()).update(meeting.slots)
                for staff_id in meeting.staff_ids:
                    self.staff_busy.setdefault(staff_id, set()).update(meeting.slots)
            activity = school.activity_by_id.get(section.activity_id)
            if activity is not None and activity.provider is not None:
                self.vendor_sessions[activity.provider] = (
                    self.vendor_sessions.get(activity.provider, 0) + len(section.meetings))
        self.ranks: dict[str, dict[str, int]] = {
            s.id: eligible_ranks(school, s) for s in school.registered_students}
        """Registered student id → their eligible choices' ranks, asked once per child."""
        self.not_open_why: dict[str, str] = {}
        self.applicants: dict[str, int] = {}
        for ranks in self.ranks.values():
            for activity_id in ranks:
                self.applicants[activity_id] = self.applicants.get(activity_id, 0) + 1

    def name(self, activity_id: str) -> str:
        activity = self.school.activity_by_id.get(activity_id)
        return activity.name if activity else activity_id

    def chosen_of(self, student: Student) -> list[Section]:
        """The student's sections of activities they chose (eligibly)."""
        ranks = eligible_ranks(self.school, student)
        return [s for s in self.member_of.get(student.id, ()) if s.activity_id in ranks]

    def above_best(self, student: Student) -> tuple[int | None, list[Reason]]:
        """The best rank the child got (None: none), and a reason for each eligible
        choice ranked above it: what a family asks about."""
        ranks = eligible_ranks(self.school, student)
        got = [ranks[s.activity_id] for s in self.chosen_of(student)]
        best = min(got, default=None)
        if not student.registered:
            return best, []
        found = self.reasons(student, ranks, {a for a, r in ranks.items() if r in got},
                             above=best)
        return best, [r for r in found if r.rank is not None]

    def reasons(self, student: Student, ranks: dict[str, int], got: set[str],
                above: int | None = None) -> list[Reason]:
        """A reason for each choice not got; with ``above``, only those ranked above it."""
        found: list[Reason] = []
        if not ranks:
            return [Reason(code="no_choices")]
        for rank, activity_id in enumerate(student.choices, start=1):
            if above is not None and rank >= above:
                break
            activity = self.school.activity_by_id.get(activity_id)
            if activity_id in got or (activity is not None and activity.is_study):
                continue
            if activity is None:
                found.append(Reason(code="unknown", activity_name=activity_id, rank=rank))
            elif student.grade not in activity.grades:
                found.append(Reason(code="grade", activity_name=activity.name,
                                    activity_id=activity.id, rank=rank,
                                    params={"grade": student.grade}))
            elif ranks.get(activity_id) == rank:  # a repeated choice counts once
                found.append(self._why(student, activity, rank))
        if len(ranks) < student.wants:
            found.append(Reason(code="few_choices",
                                params={"wants": student.wants, "listed": len(ranks)}))
        return found

    def _why(self, student: Student, activity: Activity, rank: int) -> Reason:
        def reason(code: str, **params: object) -> Reason:
            return Reason(code=code, activity_name=activity.name, activity_id=activity.id,
                          rank=rank, params=params)

        sections = self.sections_of.get(activity.id, [])
        if not sections:
            if activity.id not in self.not_open_why:  # the same for every child: ask once
                self.not_open_why[activity.id] = self._not_open(activity)
            return reason("not_open", why=self.not_open_why[activity.id])
        on_days = [s for s in sections if all(m.day in student.days for m in s.meetings)]
        if not on_days:
            days = sorted({m.day for s in sections for m in s.meetings})
            return reason("days", meets=tuple(days), registered=tuple(sorted(student.days)))
        fitting = [s for s in on_days
                   if all(max(m.periods) <= student.stay for m in s.meetings)]
        if not fitting:
            return reason("stay", stay=student.stay)
        free = [s for s in fitting if s.size < self._capacity(activity, s)]
        if not free:
            places = sum(self._capacity(activity, s) for s in sections)
            params: dict[str, object] = {"places": places,
                                         "applicants": self.applicants.get(activity.id, 0)}
            if self.ticket is not None:
                params["outranked"] = self._outranked(student, activity, rank, fitting)
                params.update(self._seats(student, activity, rank, sections))
            return reason("full", **params)
        mine = [s for s in self.member_of.get(student.id, ())
                if s.activity_id != activity.id]
        clashes = [self._clash(section, mine) for section in free]
        if all(clashes):
            other = clashes[0]
            assert other is not None
            other_rank = eligible_ranks(self.school, student).get(other.activity_id)
            return reason("clash", other=self.name(other.activity_id), other_rank=other_rank)
        fees = sum(a.fee_per_student for a in {
            self.school.activity_by_id[s.activity_id] for s in mine
            if s.activity_id in self.school.activity_by_id})
        if fees + activity.fee_per_student > self.school.info.student_fee_cap:
            return reason("fee_cap", cap=self.school.info.student_fee_cap)
        return reason("free")

    def _capacity(self, activity: Activity, section: Section) -> int:
        """Places in a section: max_size, and every room it meets in."""
        rooms = [self.school.room_by_id[m.room_id].capacity for m in section.meetings
                 if m.room_id in self.school.room_by_id]
        limits = [*rooms, *([activity.max_size] if activity.max_size is not None else [])]
        return min(limits) if limits else section.size

    def _clash(self, section: Section, mine: list[Section]) -> Section | None:
        """A section of the student's (not study) that overlaps ``section`` in time."""
        for other in mine:
            other_activity = self.school.activity_by_id.get(other.activity_id)
            if other_activity is not None and other_activity.is_study:
                continue  # study is where a child waits; it never blocks a choice
            if any(a.overlaps(b) for a in section.meetings for b in other.meetings):
                return other
        return None

    def _outranked(self, student: Student, activity: Activity, rank: int,
                   fitting: list[Section]) -> bool:
        """Did every child placed there have a stronger claim than this one?

        Stronger: higher priority; or equal priority and the activity ranked
        higher; or equal both and a luckier lottery ticket (docs/goals.md).
        """
        assert self.ticket is not None
        mine = (student.priority, -rank, self.ticket.get(student.id, 0))
        for section in fitting:
            for other_id in section.student_ids:
                other = self.school.student_by_id.get(other_id)
                if other is None:
                    continue
                other_rank = self.ranks.get(other.id, {}).get(activity.id, 6)
                theirs = (other.priority, -other_rank, self.ticket.get(other.id, 0))
                if theirs <= mine:
                    return False
        return True

    def _seats(self, student: Student, activity: Activity, rank: int,
               sections: list[Section]) -> dict[str, int]:
        """How the places went, against this child's claim, as counts (never names):
        ``by_priority`` higher priority, ``by_rank`` equal priority and a higher rank,
        ``by_lottery`` equal both and a luckier ticket, ``by_other`` a weaker claim
        (placed there because their days, times or other places allowed it)."""
        assert self.ticket is not None
        counts = {"by_priority": 0, "by_rank": 0, "by_lottery": 0, "by_other": 0}
        for section in sections:
            for other_id in dict.fromkeys(section.student_ids):
                other = self.school.student_by_id.get(other_id)
                if other is None:
                    continue
                other_rank = self.ranks.get(other.id, {}).get(activity.id, 6)
                if other.priority != student.priority:
                    key = "by_priority" if other.priority > student.priority else "by_other"
                elif other_rank != rank:
                    key = "by_rank" if other_rank < rank else "by_other"
                else:
                    mine, theirs = self.ticket.get(student.id, 0), self.ticket.get(other_id, 0)
                    key = "by_lottery" if theirs > mine else "by_other"
                counts[key] += 1
        return counts

    def _not_open(self, activity: Activity) -> str:
        """Why an activity opened no section, the first cause a coordinator can fix.

        Past what the school lacks outright, the schedule is asked what it used up:
        the vendor's weekly sessions, then whether at any time the activity may meet
        enough staff with the skill were free (not unavailable, not serving then,
        with class hours left that day and week), then a room of its type.
        """
        school = self.school
        if activity.provider is not None and not school.vendor_may_serve(activity.provider):
            return "vendor"
        if not any(school.may_staff(p, activity) for p in school.staff):
            return "staff"
        if not any(school.room_fits(r, activity) for r in school.rooms):
            return "room"
        if self.applicants.get(activity.id, 0) < activity.min_size:
            return "applicants"
        if activity.fee_per_student > school.info.student_fee_cap:
            return "fee_cap"
        if activity.provider is not None:
            vendor = school.vendor_by_id[activity.provider]
            used = self.vendor_sessions.get(activity.provider, 0)
            if (vendor.max_sessions_week is not None
                    and used + activity.sessions_per_week > vendor.max_sessions_week):
                return "vendor_sessions"
        times = meeting_slots(activity)
        if not any(self.staff_free(activity, slots) for slots in times):
            return "staff_busy"
        if not any(self.room_free(activity, slots) for slots in times):
            return "room_busy"
        return "timetable"

    def staff_free(self, activity: Activity, slots: tuple[Slot, ...]) -> bool:
        """Enough people who may staff it are free in ``slots``, with class hours left."""
        free = [p for p in self.school.staff if self.school.may_staff(p, activity)
                and self._person_free(p, activity, slots)]
        return len(free) >= activity.staff_per_section

    def _person_free(self, person: Staff, activity: Activity, slots: tuple[Slot, ...]) -> bool:
        busy = self.staff_busy.get(person.id, set())
        if any(slot in person.unavailable or slot in busy for slot in slots):
            return False
        day = slots[0][0]
        today = sum(1 for d, _ in busy if d == day)
        week = len(busy) + activity.periods * activity.sessions_per_week
        return today + len(slots) <= person.max_periods_day and week <= person.max_periods_week

    def room_free(self, activity: Activity, slots: tuple[Slot, ...]) -> bool:
        """A room of its type, big enough for its minimum, open and unused in ``slots``."""
        return any(
            self.school.room_fits(room, activity) and room.capacity >= activity.min_size
            and not any(slot in room.unavailable or slot in self.room_busy.get(room.id, ())
                        for slot in slots)
            for room in self.school.rooms)


def meeting_slots(activity: Activity) -> list[tuple[Slot, ...]]:
    """The slots one meeting of the activity may take: one allowed period, or both
    periods of a day for a double; clock times across grade bands are not compared."""
    if activity.periods == 1:
        return [(slot,) for slot in sorted(activity.allowed_slots)]
    return [tuple((day, p) for p in PERIODS) for day in sorted({d for d, _ in
            activity.allowed_slots}) if all((day, p) in activity.allowed_slots for p in PERIODS)]


def sort_unmet(rows: list[Unmet]) -> list[Unmet]:
    """None of their choices first, then fewer than wanted; class register order within."""
    return sorted(rows, key=lambda u: (bool(u.got), natural_key(u.pupil.class_name),
                                       natural_key(u.pupil.id)))


def describe(labels: Labels, reason: Reason) -> str:
    """One reason as a clause in the report's language."""
    p = dict(reason.params)
    ordinal = labels.ordinal(reason.rank) if reason.rank is not None else ""
    common = {"activity": reason.activity_name, "ordinal": ordinal}
    match reason.code:
        case "not_open":
            return labels("reason.not_open", **common, why=labels(f"why.{p['why']}"))
        case "days":
            return labels("reason.days", **common, meets=labels.days(p["meets"]),  # type: ignore[arg-type]
                          registered=labels.days(p["registered"]))  # type: ignore[arg-type]
        case "full":
            key = "reason.full_outranked" if p.get("outranked") else "reason.full"
            return labels(key, **common, places=p["places"], applicants=p["applicants"])
        case "clash":
            other = str(p["other"])
            if p.get("other_rank"):
                other = f"{other} ({labels.ordinal(int(p['other_rank']))})"  # type: ignore[call-overload]
            return labels("reason.clash", **common, other=other)
        case "fee_cap":
            return labels("reason.fee_cap", **common, cap=f"{int(p['cap']) / 100:.2f}")  # type: ignore[call-overload]
        case "grade":
            return labels("reason.grade", **common, grade=p["grade"])
        case "few_choices":
            return labels("reason.few_choices", wants=p["wants"], listed=p["listed"])
        case "no_choices":
            return labels("reason.no_choices")
        case _:
            return labels(f"reason.{reason.code}", **common)


def describe_reasons(labels: Labels, reasons: tuple[Reason, ...]) -> str:
    """All of a student's reasons on one line."""
    return labels("clause_sep").join(describe(labels, r) for r in reasons)


def describe_short(labels: Labels, reasons: list[Reason]) -> str:
    """The Students sheet's few words: ``1st: full; 2nd: not on their days``."""
    return labels("clause_sep").join(
        labels("short.entry", ordinal=labels.ordinal(r.rank),
               why=labels(f"short.{r.code}") if labels.has(f"short.{r.code}") else r.code)
        for r in reasons if r.rank is not None)
