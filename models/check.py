"""The independent checker: every hard rule of the contract and every goal, from a schedule alone.

``check(school, schedule)`` reads the schedule in school terms and says, rule by
rule, what a head teacher would object to. It is written from the contract
(``docs/workbook.md``, "The rules a schedule must keep") and
``docs/goals.md``, shares no code with the optimizer and recomputes policy
eligibility itself, so the optimizer cannot pass by agreeing with its own bugs.

Each hard rule is one small function ``rule_*(school, schedule) -> list[Violation]``;
``RULES`` lists them in the contract's order. References to ids the school does
not know are reported once by :func:`check_references`, under the rule whose
data they belong to, and the rule functions skip them. Messages name ids
(section, meeting, student, staff, room), never a child's name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from models.contract import HARD_RULES
from models.lottery import tickets
from models.messages import Joined, Message, msg, say
from models.previous import moves
from models.schedule import Meeting, Place, Schedule, Section
from models.school import (
    FEN_PER_YUAN,
    TEACHER,
    VENDOR_INSTRUCTOR,
    Activity,
    School,
    Staff,
    Student,
    Vendor,
)
from models.time import DAYS, PERIODS, format_time

RULE_NAMES: dict[int, str] = {number: name for number, name, _ in HARD_RULES}
"""Contract rule number → the short name used in reports, logs and tests."""

GOAL_ORDER: tuple[str, ...] = (
    "unserved", "priority_served", "first_choices", "choice_points", "lottery",
    "teacher_max_load", "teacher_load_squares", "cost", "vendor_rating_shortfall",
)
"""The goals of ``docs/goals.md`` in their default lexicographic order."""

MOVE_GOALS: tuple[str, ...] = ("children_moved", "sections_moved", "supervisors_moved")
"""The goals of a re-solve against the schedule in force (``schedule resolve``): counted
only when the previous schedule is given, and put first by resolve (docs/goals.md)."""

_MAX_LEVEL = 4
"""Priority levels are capped here (docs/goals.md), so 17**level stays small."""


def _points(rank: int) -> int:
    """docs/goals.md: a placement at rank r is worth 2**(5 - r): 16, 8, 4, 2, 1."""
    return 2 ** (5 - rank)


@dataclass(frozen=True, kw_only=True)
class Violation:
    """One breach of a hard rule, in plain words."""

    rule: int  # 1-7, the contract's numbering
    name: str  # RULE_NAMES[rule]
    message: str
    """The breach in English, as logs and tests read it."""
    said: Message | None = None
    """The same breach through the catalogue, to say it in the reader's language."""

    def text(self, lang: str = "en") -> str:
        """``rule 3 (rooms): …`` in ``lang``."""
        if lang == "en" or self.said is None:
            return str(self)
        return say("check.violation", lang, rule=self.rule, name=msg(f"rule.{self.name}"),
                   message=self.said)

    def __str__(self) -> str:
        return f"rule {self.rule} ({self.name}): {self.message}"


@dataclass(frozen=True, kw_only=True)
class CheckReport:
    """What the checker found: the violations, the goal values and the headline numbers."""

    violations: tuple[Violation, ...]
    goals: dict[str, int]
    """Every goal of docs/goals.md (``lottery`` only when a seed was given); money in fen."""
    kpis: dict[str, float]
    """Headline numbers for people: shares are 0-1, money in yuan."""
    seed: int | None = None

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations

    def by_rule(self) -> dict[int, tuple[Violation, ...]]:
        grouped: dict[int, list[Violation]] = defaultdict(list)
        for violation in self.violations:
            grouped[violation.rule].append(violation)
        return {rule: tuple(found) for rule, found in sorted(grouped.items())}

    def summary(self) -> str:
        """A few lines for a log or a terminal."""
        head = "schedule keeps every hard rule" if self.ok else (
            f"schedule breaks {len(self.violations)} hard rule clause(s)")
        lines = [head]
        lines.extend(f"  {v}" for v in self.violations[:20])
        if len(self.violations) > 20:
            lines.append(f"  … and {len(self.violations) - 20} more")
        lines.append("goals: " + ", ".join(f"{k}={v}" for k, v in self.goals.items()))
        return "\n".join(lines)


def check(school: School, schedule: Schedule, seed: int | None = None,
          previous: Schedule | None = None) -> CheckReport:
    """Check every hard rule and recompute every goal of ``schedule`` for ``school``.

    ``seed`` is the lottery seed the schedule was made with; without it the
    ``lottery`` goal is left out (it means nothing without the seed). ``previous`` is
    the schedule in force a re-solve started from; with it, ``children_moved`` and
    ``sections_moved`` are counted too.
    """
    violations = list(check_references(school, schedule))
    for _number, _name, rule in RULES:
        violations.extend(rule(school, schedule))
    violations.sort(key=lambda v: v.rule)  # stable: within a rule, the order found
    return CheckReport(
        violations=tuple(violations),
        goals=goal_values(school, schedule, seed, previous),
        kpis=kpi_values(school, schedule),
        seed=seed,
    )


# --- small helpers ----------------------------------------------------------

def _v(rule: int, key: str, /, **fields: object) -> Violation:
    """A breach said through the catalogue (``check.*`` keys), so that ``check`` and the
    commands that refuse a schedule say it in the reader's language."""
    said = msg(key, **fields)
    return Violation(rule=rule, name=RULE_NAMES[rule], message=said.text("en"), said=said)


def _day(day: int) -> Message:
    return msg(f"day.{DAYS[day]}") if 0 <= day < len(DAYS) else msg("check.day_n", day=day)


def _slot(day: int, period: int) -> Message:
    return msg("check.slot", day=_day(day), period=period)


def _slot_list(slots: Iterable[tuple[int, int]]) -> Joined:
    return Joined(tuple(_slot(d, p) for d, p in slots))


def _periods(periods: Iterable[int]) -> Message:
    listed = list(periods)
    return (msg("check.period", period=listed[0]) if len(listed) == 1
            else msg("check.periods", periods="+".join(map(str, listed))))


def _at(section: Section, meeting: Meeting) -> Message:
    """How a message names a meeting: section, day and clock times."""
    return msg("check.at", section=section.id, activity=section.activity_id,
               day=_day(meeting.day), start=format_time(meeting.start),
               end=format_time(meeting.end))


def _overlap(a: Meeting, b: Meeting) -> bool:
    """Clock-time overlap on one day; period numbers do not matter, grade bands differ."""
    return a.day == b.day and a.start < b.end and b.start < a.end


def _slots(meeting: Meeting) -> list[tuple[int, int]]:
    return [(meeting.day, period) for period in meeting.periods]


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _students(school: School, section: Section) -> list[Student]:
    """The section's students the school knows, each once."""
    return [school.student_by_id[i] for i in _unique(section.student_ids)
            if i in school.student_by_id]


def _span(school: School, grade: int, day: int, periods: tuple[int, ...]
          ) -> tuple[int, int] | None:
    """A grade's clock times for these periods: first period's start to last period's end."""
    first = school.period_time(grade, day, periods[0])
    last = school.period_time(grade, day, periods[-1])
    if first is None or last is None:
        return None
    return first[0], last[1]


def _pairs_overlapping(jobs: list[tuple[Section, Meeting]]
                       ) -> Iterable[tuple[tuple[Section, Meeting], tuple[Section, Meeting]]]:
    ordered = sorted(jobs, key=lambda job: (job[1].day, job[1].start, job[1].end))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            if second[1].day != first[1].day or second[1].start >= first[1].end:
                break  # sorted by start: nothing later on this day can overlap ``first``
            yield first, second


def _choice_ranks(school: School, student: Student) -> dict[str, int]:
    """Eligible choice → its rank K (1-5): existing, not study, the grade may join; first wins."""
    ranks: dict[str, int] = {}
    for rank, activity_id in enumerate(student.choices, start=1):
        activity = school.activity_by_id.get(activity_id)
        if (activity is None or activity.category == "study"
                or student.grade not in activity.grades or activity_id in ranks):
            continue
        ranks[activity_id] = rank
    return ranks


# --- references ---------------------------------------------------------------

def check_references(school: School, schedule: Schedule) -> list[Violation]:
    """Every id the schedule names exists, once: sections, activities, rooms, staff, students.

    Each unknown id is filed under the rule its data belongs to (an activity
    under sections, a room under rooms, a person or vendor under staff, a child
    under students), so the report stays numbered 1-7.
    """
    found: list[Violation] = []
    seen: Counter[str] = Counter(section.id for section in schedule.sections)
    for section_id, count in seen.items():
        if count > 1:
            found.append(_v(2, "check.section_id_twice", section=section_id, count=count))
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        if activity is None:
            found.append(_v(2, "check.unknown_activity", section=section.id,
                               activity=section.activity_id))
        elif activity.provider is not None and activity.provider not in school.vendor_by_id:
            found.append(_v(4, "check.unknown_vendor", section=section.id, activity=activity.id,
                               vendor=activity.provider))
        for student_id in _unique(section.student_ids):
            if student_id not in school.student_by_id:
                found.append(_v(5, "check.unknown_student", section=section.id,
                                   student=student_id))
        for meeting in section.meetings:
            if meeting.room_id not in school.room_by_id:
                found.append(_v(3, "check.unknown_room", at=_at(section, meeting),
                                   room=meeting.room_id))
            for staff_id in _unique(meeting.staff_ids):
                if staff_id not in school.staff_by_id:
                    found.append(_v(4, "check.unknown_staff", at=_at(section, meeting),
                                       staff=staff_id))
    return found


# --- the hard rules -------------------------------------------------------------

def rule_time(school: School, schedule: Schedule) -> list[Violation]:
    """Every meeting lies inside its grades' period(s) on one day and ends by latest_end.

    For every grade the section holds, the meeting runs from its first period's
    start to its last period's end on that day (a 2-period session: period 1's
    start to period 2's end); it takes as many periods as the activity's
    ``periods`` (study: one), and they are period 1, period 2, or both. An
    empty section must still sit on some eligible grade's periods.
    """
    found: list[Violation] = []
    latest = school.info.latest_end
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        grades = sorted({student.grade for student in _students(school, section)})
        for meeting in section.meetings:
            at = _at(section, meeting)
            if not 0 <= meeting.day < len(DAYS):
                found.append(_v(1, "check.not_school_day", at=at, day=meeting.day))
                continue
            if meeting.periods not in ((1,), (2,), (1, 2)):
                found.append(_v(1, "check.bad_periods", at=at, periods=str(meeting.periods)))
                continue
            if activity is not None:
                wanted = 1 if activity.category == "study" else activity.periods
                if len(meeting.periods) != wanted:
                    found.append(_v(1, "check.period_count", at=at, taken=len(meeting.periods),
                                       activity=activity.id, wanted=wanted))
            if meeting.end > latest:
                found.append(_v(1, "check.after_latest_end", at=at, time=format_time(latest)))
            if grades:
                for grade in grades:
                    span = _span(school, grade, meeting.day, meeting.periods)
                    if span is None:
                        found.append(_v(1, "check.grade_no_periods", at=at, grade=grade,
                                           periods=_periods(meeting.periods),
                                           day=_day(meeting.day)))
                    elif span != (meeting.start, meeting.end):
                        key = ("check.grade_period_runs" if len(meeting.periods) == 1
                               else "check.grade_periods_run")
                        found.append(_v(1, key, at=at, grade=grade,
                                           periods=_periods(meeting.periods),
                                           start=format_time(span[0]),
                                           end=format_time(span[1])))
            else:
                candidates = activity.grades if activity is not None else range(1, 10)
                if not any(_span(school, g, meeting.day, meeting.periods)
                           == (meeting.start, meeting.end) for g in candidates):
                    found.append(_v(1, "check.no_grade_fits", at=at,
                                       periods=_periods(meeting.periods)))
    return found


def rule_sections(school: School, schedule: Schedule) -> list[Violation]:
    """An activity opens at most max_sections sections of min_size … max_size students.

    Each section meets sessions_per_week times, on different days, only in the
    activity's allowed slots, always in the same period(s); and it is one
    group: every student it lists is placed in it (Assignments) in every
    period of every meeting. A blank max_size means the room's capacity, which
    rule 3 (rule 6 for study) checks.
    """
    found: list[Violation] = []
    opened = Counter(section.activity_id for section in schedule.sections)
    for activity_id, count in opened.items():
        activity = school.activity_by_id.get(activity_id)
        if activity is not None and activity.max_sections is not None \
                and count > activity.max_sections:
            found.append(_v(2, "check.too_many_sections", activity=activity_id, count=count,
                               most=activity.max_sections))
    placed = _places_by_slot(schedule.places)
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        if activity is not None:
            found.extend(_section_shape(section, activity))
        for student_id in _unique(section.student_ids):
            missing = [
                (day, period) for meeting in section.meetings for day, period in _slots(meeting)
                if section.id not in placed.get((student_id, day, period), ())
            ]
            if missing:
                found.append(_v(2, "check.not_placed", section=section.id, student=student_id,
                                   slots=_slot_list(missing)))
    return found


def _section_shape(section: Section, activity: Activity) -> list[Violation]:
    found: list[Violation] = []
    size = len(_unique(section.student_ids))
    if size < activity.min_size:
        found.append(_v(2, "check.too_small", section=section.id, size=size,
                           activity=activity.id, min_size=activity.min_size))
    if activity.max_size is not None and size > activity.max_size:
        found.append(_v(2, "check.too_big", section=section.id, size=size,
                           activity=activity.id, max_size=activity.max_size))
    if len(section.meetings) != activity.sessions_per_week:
        found.append(_v(2, "check.meetings_count", section=section.id,
                           count=len(section.meetings), activity=activity.id,
                           wanted=activity.sessions_per_week))
    days = Counter(meeting.day for meeting in section.meetings)
    for day, count in sorted(days.items()):
        if count > 1:
            found.append(_v(2, "check.same_day", section=section.id, count=count, day=_day(day)))
    for meeting in section.meetings:
        outside = [slot for slot in _slots(meeting) if slot not in activity.allowed_slots]
        if outside:
            found.append(_v(2, "check.outside_days", at=_at(section, meeting),
                               slots=_slot_list(outside), activity=activity.id))
    if len({meeting.periods for meeting in section.meetings}) > 1:
        meetings = Joined(tuple(msg("check.day_periods", day=_day(m.day),
                                    periods=_periods(m.periods)) for m in section.meetings),
                          ("; ", "；"))
        found.append(_v(2, "check.different_periods", section=section.id, meetings=meetings))
    return found


def _places_by_slot(places: Iterable[Place]) -> dict[tuple[str, int, int], list[str]]:
    """(student, day, period) → the section ids Assignments give for it."""
    found: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for place in places:
        found[place.student_id, place.day, place.period].append(place.section_id)
    return found


def rule_rooms(school: School, schedule: Schedule) -> list[Violation]:
    """Each meeting is in a room of the activity's type that holds the section and is free.

    The room's type is the activity's room_type; its capacity is at least the
    section's size (for study sections, rule 6 says so); none of the meeting's
    slots is in the room's unavailable list; and no two meetings in one room
    overlap in clock time on the same day.
    """
    found: list[Violation] = []
    used: dict[str, list[tuple[Section, Meeting]]] = defaultdict(list)
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        size = len(_unique(section.student_ids))
        for meeting in section.meetings:
            room = school.room_by_id.get(meeting.room_id)
            if room is None:
                continue  # reported by check_references
            used[room.id].append((section, meeting))
            at = _at(section, meeting)
            if activity is not None and room.type != activity.room_type:
                found.append(_v(3, "check.room_type", at=at, room=room.id, type=room.type,
                                   activity=activity.id, wanted=activity.room_type))
            is_study = activity is not None and activity.category == "study"
            if not is_study and size > room.capacity:
                found.append(_v(3, "check.room_full", at=at, size=size, room=room.id,
                                   capacity=room.capacity))
            closed = [slot for slot in _slots(meeting) if slot in room.unavailable]
            if closed:
                found.append(_v(3, "check.room_closed", at=at, room=room.id,
                                   slots=_slot_list(closed)))
    for room_id, jobs in used.items():
        for (s1, m1), (s2, m2) in _pairs_overlapping(jobs):
            found.append(_v(3, "check.room_twice", room=room_id, first=_at(s1, m1),
                               second=_at(s2, m2)))
    return found


def rule_staff(school: School, schedule: Schedule) -> list[Violation]:
    """Each meeting has exactly staff_per_section people, each allowed and able to serve.

    Each person has the activity's skill (if any), is available in the
    meeting's slots, is never in two overlapping meetings, and stays within
    max_periods_day and max_periods_week (counting class hours). A vendor
    activity is staffed only by that vendor's instructors, a school activity
    never by vendor instructors. Nobody but an in-service teacher serves
    unless vetted with vetted_until on or after term_end; an in-service teacher
    with an affiliated_vendor never serves. A vendor serves only if qualified,
    with contract_until on or after term_end, within max_sessions_week
    (meetings of its activities per week).
    """
    found = _meetings_staffed(school, schedule)
    for staff_id, served in _duties(school, schedule).items():
        person = school.staff_by_id[staff_id]
        found += _staff_cleared(person, school.info.term_end)
        found += _staff_load(person, served)
        found += [_v(4, "check.staff_clash", staff=staff_id, first=_at(s1, m1),
                     second=_at(s2, m2))
                  for (s1, m1), (s2, m2) in _pairs_overlapping(served)]
    for vendor_id, count in _vendor_meetings(school, schedule).items():
        vendor = school.vendor_by_id.get(vendor_id)
        if vendor is not None:  # else reported by check_references
            found += _vendor_engaged(vendor, count, school.info.term_end)
    return found


def _meetings_staffed(school: School, schedule: Schedule) -> list[Violation]:
    """Rule 4, meeting by meeting: the team's size, and each person free and fit for it."""
    found: list[Violation] = []
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        for meeting in section.meetings:
            found += _meeting_team(section, meeting, activity)
            for staff_id in _unique(meeting.staff_ids):
                person = school.staff_by_id.get(staff_id)
                if person is None:
                    continue  # reported by check_references
                found += _staff_free(section, meeting, person)
                if activity is not None:
                    found += _staff_fits(section, meeting, person, activity)
    return found


def _meeting_team(section: Section, meeting: Meeting, activity: Activity | None
                  ) -> list[Violation]:
    """Rule 4, the team: nobody listed twice, and as many people as the activity asks."""
    found: list[Violation] = []
    at = _at(section, meeting)
    people = _unique(meeting.staff_ids)
    if len(people) != len(meeting.staff_ids):
        found.append(_v(4, "check.staff_twice", at=at, staff=", ".join(meeting.staff_ids)))
    if activity is not None and len(people) != activity.staff_per_section:
        found.append(_v(4, "check.staff_count", at=at, count=len(people),
                           activity=activity.id, wanted=activity.staff_per_section))
    return found


def _staff_free(section: Section, meeting: Meeting, person: Staff) -> list[Violation]:
    """Rule 4, availability: a person serves only in slots they have not marked unavailable."""
    busy = [slot for slot in _slots(meeting) if slot in person.unavailable]
    if not busy:
        return []
    return [_v(4, "check.staff_unavailable", at=_at(section, meeting), staff=person.id,
               slots=_slot_list(busy))]


def _staff_fits(section: Section, meeting: Meeting, person: Staff, activity: Activity
                ) -> list[Violation]:
    """Rule 4, who may lead what: the activity's skill; a vendor's activity only by that
    vendor's instructors, a school activity never by a vendor instructor."""
    found: list[Violation] = []
    at = _at(section, meeting)
    if activity.skill is not None and activity.skill not in person.skills:
        found.append(_v(4, "check.staff_skill", at=at, staff=person.id, skill=activity.skill))
    is_instructor = person.role == VENDOR_INSTRUCTOR
    if activity.provider is not None:
        if not (is_instructor and person.vendor == activity.provider):
            found.append(_v(4, "check.not_vendor_instructor", at=at, staff=person.id,
                               vendor=activity.provider, activity=activity.id))
    elif is_instructor:
        found.append(_v(4, "check.vendor_in_school", at=at, staff=person.id))
    return found


def _duties(school: School, schedule: Schedule) -> dict[str, list[tuple[Section, Meeting]]]:
    """Each known person's meetings, in the schedule's order (unknown ids are
    check_references' to report)."""
    duties: dict[str, list[tuple[Section, Meeting]]] = defaultdict(list)
    for section in schedule.sections:
        for meeting in section.meetings:
            for staff_id in _unique(meeting.staff_ids):
                if staff_id in school.staff_by_id:
                    duties[staff_id].append((section, meeting))
    return duties


def _staff_cleared(person: Staff, term_end: dt.date) -> list[Violation]:
    """Rule 4, who may serve at all: an in-service teacher unless tied to a vendor; anyone
    else only when vetted until the term's end."""
    if person.role == TEACHER:
        if person.affiliated_vendor:
            return [_v(4, "check.affiliated", staff=person.id, vendor=person.affiliated_vendor)]
        return []
    if not person.vetted:
        return [_v(4, "check.not_vetted", staff=person.id, role=msg(f"role.{person.role}"))]
    if person.vetted_until is None or person.vetted_until < term_end:
        until = person.vetted_until.isoformat() if person.vetted_until else msg("check.no_date")
        return [_v(4, "check.vetting_ends", staff=person.id, until=until,
                   term_end=term_end.isoformat())]
    return []


def _staff_load(person: Staff, served: list[tuple[Section, Meeting]]) -> list[Violation]:
    """Rule 4, load: periods a day within max_periods_day, a week within max_periods_week."""
    found: list[Violation] = []
    per_day: Counter[int] = Counter()
    for _section, meeting in served:
        per_day[meeting.day] += len(meeting.periods)
    for day, load in sorted(per_day.items()):
        if load > person.max_periods_day:
            found.append(_v(4, "check.day_load", staff=person.id, load=load, day=_day(day),
                               most=person.max_periods_day))
    week = sum(per_day.values())
    if week > person.max_periods_week:
        found.append(_v(4, "check.week_load", staff=person.id, load=week,
                           most=person.max_periods_week))
    return found


def _vendor_meetings(school: School, schedule: Schedule) -> Counter[str]:
    """Meetings a week of each vendor's activities, vendors in the schedule's order."""
    count: Counter[str] = Counter()
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        if activity is not None and activity.provider is not None:
            count[activity.provider] += len(section.meetings)
    return count


def _vendor_engaged(vendor: Vendor, count: int, term_end: dt.date) -> list[Violation]:
    """Rule 4, vendors: qualified, under contract until the term's end, and within
    max_sessions_week meetings a week."""
    found: list[Violation] = []
    if not vendor.qualified:
        found.append(_v(4, "check.vendor_unqualified", vendor=vendor.id))
    if vendor.contract_until is None or vendor.contract_until < term_end:
        until = (vendor.contract_until.isoformat() if vendor.contract_until
                 else msg("check.no_date"))
        found.append(_v(4, "check.contract_ends", vendor=vendor.id, until=until,
                           term_end=term_end.isoformat()))
    if vendor.max_sessions_week is not None and count > vendor.max_sessions_week:
        found.append(_v(4, "check.vendor_load", vendor=vendor.id, count=count,
                           most=vendor.max_sessions_week))
    return found


def rule_students(school: School, schedule: Schedule) -> list[Violation]:
    """Each registered child is in exactly one place per day and period they stay for.

    A child is only in activities they chose that admit their grade (study:
    any study activity of their grade), only in sections meeting on days they
    registered and in periods they stay for, never in two places at once,
    never in more than ``wants`` chosen sections nor in two sections of one
    activity, and their per-head fees stay within per_student_cap. The
    Assignments agree: each place's section lists the child and meets then.
    """
    found: list[Violation] = []
    sections_of: dict[str, list[Section]] = defaultdict(list)
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        repeated = [i for i, n in Counter(section.student_ids).items() if n > 1]
        if repeated:
            found.append(_v(5, "check.student_repeated", section=section.id,
                               students=", ".join(repeated)))
        for student in _students(school, section):
            sections_of[student.id].append(section)
            if activity is not None:
                found.extend(_student_in_section(student, section, activity))
    cap = school.info.student_fee_cap
    for student_id, sections in sections_of.items():
        student = school.student_by_id[student_id]
        found.extend(_student_load(school, student, sections, cap))
    found.extend(_student_places(school, schedule))
    return found


def _student_in_section(student: Student, section: Section, activity: Activity
                        ) -> list[Violation]:
    found: list[Violation] = []
    who = msg("check.who", student=student.id, grade=student.grade, section=section.id)
    if not student.days:
        found.append(_v(5, "check.not_registered", who=who))
        return found
    if student.grade not in activity.grades:
        found.append(_v(5, "check.wrong_grade", who=who, activity=activity.id,
                           grade=student.grade))
    if activity.category != "study" and activity.id not in student.choices:
        found.append(_v(5, "check.not_chosen", who=who, activity=activity.id))
    for meeting in section.meetings:
        if meeting.day not in student.days:
            found.append(_v(5, "check.day_not_registered", who=who, day=_day(meeting.day)))
        elif max(meeting.periods, default=1) > student.stay:
            found.append(_v(5, "check.picked_up", who=who, stay=student.stay,
                               day=_day(meeting.day), periods=_periods(meeting.periods)))
    return found


def _student_load(school: School, student: Student, sections: list[Section], cap: int
                  ) -> list[Violation]:
    found: list[Violation] = []
    activities = {s.activity_id: school.activity_by_id.get(s.activity_id) for s in sections}
    chosen = [s for s in sections
              if (a := activities[s.activity_id]) is not None and a.category != "study"]
    if len(chosen) > student.wants:
        found.append(_v(5, "check.too_many_chosen", student=student.id, count=len(chosen),
                           sections=", ".join(s.id for s in chosen), wants=student.wants))
    for activity_id, count in Counter(s.activity_id for s in chosen).items():
        if count > 1:
            found.append(_v(5, "check.same_activity", student=student.id, count=count,
                               activity=activity_id))
    fees = sum(a.fee_per_student for a in activities.values() if a is not None)
    if fees > cap:
        found.append(_v(5, "check.fee_cap", student=student.id,
                           fees=f"{fees / FEN_PER_YUAN:.2f}", cap=f"{cap / FEN_PER_YUAN:.2f}"))
    jobs = [(section, meeting) for section in sections for meeting in section.meetings]
    for (s1, m1), (s2, m2) in _pairs_overlapping(jobs):
        if s1.id != s2.id:  # a section clashing with itself is rule 2's "different days"
            found.append(_v(5, "check.student_clash", student=student.id, first=_at(s1, m1),
                               second=_at(s2, m2)))
    return found


def _student_places(school: School, schedule: Schedule) -> list[Violation]:
    """Assignments: exactly one place per registered day and period stayed, each consistent."""
    found: list[Violation] = []
    sections = {section.id: section for section in schedule.sections}
    slots_by_student: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for place in schedule.places:
        slots_by_student[place.student_id].append((place.day, place.period))
        where = msg("check.place", student=place.student_id,
                    slot=_slot(place.day, place.period))
        section = sections.get(place.section_id)
        if section is None:
            found.append(_v(5, "check.place_unknown_section", where=where,
                               section=place.section_id))
            continue
        if place.student_id not in section.student_ids:
            found.append(_v(5, "check.place_not_listed", where=where, section=section.id))
        if not any((place.day, place.period) in _slots(m) for m in section.meetings):
            found.append(_v(5, "check.place_not_meeting", where=where, section=section.id))
    for student_id in slots_by_student:
        if student_id not in school.student_by_id:
            found.append(_v(5, "check.placed_unknown", student=student_id))
        elif not school.student_by_id[student_id].days:
            found.append(_v(5, "check.placed_unregistered", student=student_id))
    for student in school.students:
        if not student.days:
            continue
        have = Counter(slots_by_student.get(student.id, ()))
        due = {(d, p) for d in student.days for p in PERIODS if p <= student.stay}
        missing = sorted(due - set(have))
        extra = sorted(set(have) - due)
        twice = sorted(slot for slot, n in have.items() if n > 1)
        if missing:
            found.append(_v(5, "check.no_place", student=student.id, slots=_slot_list(missing)))
        if extra:
            found.append(_v(5, "check.extra_place", student=student.id, slots=_slot_list(extra)))
        if twice:
            found.append(_v(5, "check.place_twice", student=student.id, slots=_slot_list(twice)))
    return found


def rule_study(school: School, schedule: Schedule) -> list[Violation]:
    """A study section holds at most study_ratio students per staff member, and fits its room.

    The bound is study_ratio × the study activity's staff_per_section, and
    the room's capacity at every meeting.
    """
    found: list[Violation] = []
    ratio = school.info.study_ratio
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        if activity is None or activity.category != "study":
            continue
        size = len(_unique(section.student_ids))
        limit = ratio * activity.staff_per_section
        if size > limit:
            found.append(_v(6, "check.study_ratio", section=section.id, size=size, ratio=ratio,
                               staff=activity.staff_per_section, limit=limit))
        for meeting in section.meetings:
            room = school.room_by_id.get(meeting.room_id)
            if room is not None and size > room.capacity:
                found.append(_v(6, "check.study_room", at=_at(section, meeting), size=size,
                                   room=room.id, capacity=room.capacity))
    return found


def rule_budget(school: School, schedule: Schedule) -> list[Violation]:
    """The term's cost stays within the term's budget.

    Cost = weeks × Σ meetings (fee_per_session + the room's fee_per_use +
    each staff member's pay_per_period × the meeting's periods) + Σ students
    Σ fee_per_student of each activity they are placed in; the budget is
    enrolled × budget_per_student_year / terms_per_year (rounded down to the fen).
    """
    cost = term_cost(school, schedule)
    budget = school.info.term_budget
    if cost <= budget:
        return []
    return [_v(7, "check.over_budget", cost=f"{cost / FEN_PER_YUAN:.2f}",
               budget=f"{budget / FEN_PER_YUAN:.2f}")]


Rule = Callable[[School, Schedule], list[Violation]]

RULES: tuple[tuple[int, str, Rule], ...] = (
    (1, "time", rule_time),
    (2, "sections", rule_sections),
    (3, "rooms", rule_rooms),
    (4, "staff", rule_staff),
    (5, "students", rule_students),
    (6, "study", rule_study),
    (7, "budget", rule_budget),
)
"""The hard rules in the contract's order: number, name, function."""


# --- goals and numbers ---------------------------------------------------------

def term_cost(school: School, schedule: Schedule) -> int:
    """Rule 7's term cost in fen. Unknown rooms, staff or activities add nothing.

    A child's per-head fee is counted once per activity they are placed in
    (a child sits in many study sections of one study activity: one fee).
    """
    weekly = 0
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        for meeting in section.meetings:
            weekly += activity.fee_per_session if activity is not None else 0
            room = school.room_by_id.get(meeting.room_id)
            weekly += room.fee_per_use if room is not None else 0
            for staff_id in meeting.staff_ids:
                person = school.staff_by_id.get(staff_id)
                if person is not None:
                    weekly += person.pay_per_period * len(meeting.periods)
    placed = {(student_id, section.activity_id)
              for section in schedule.sections for student_id in section.student_ids}
    per_head = 0
    for _student_id, activity_id in placed:
        activity = school.activity_by_id.get(activity_id)
        per_head += activity.fee_per_student if activity is not None else 0
    return school.info.weeks * weekly + per_head


def teacher_loads(school: School, schedule: Schedule) -> dict[str, int]:
    """In-service teacher id → class hours staffed per week (0 for teachers not used)."""
    loads = {person.id: 0 for person in school.staff if person.role == TEACHER}
    for section in schedule.sections:
        for meeting in section.meetings:
            for staff_id in _unique(meeting.staff_ids):
                if staff_id in loads:
                    loads[staff_id] += len(meeting.periods)
    return loads


def _placements(school: School, schedule: Schedule) -> dict[str, list[int]]:
    """Chooser id → the ranks of their placements in chosen sections (empty: none)."""
    choosers: dict[str, dict[str, int]] = {}
    for student in school.students:
        ranks = _choice_ranks(school, student)
        if student.days and student.wants >= 1 and ranks:
            choosers[student.id] = ranks
    placed: dict[str, list[int]] = {student_id: [] for student_id in choosers}
    for section in schedule.sections:
        for student_id in _unique(section.student_ids):
            rank = choosers.get(student_id, {}).get(section.activity_id)
            if rank is not None:
                placed[student_id].append(rank)
    return placed


def _levels(school: School, chooser_ids: Iterable[str]) -> dict[str, int]:
    """Chooser → position of their priority among the choosers' distinct priorities, capped."""
    priority = {i: school.student_by_id[i].priority for i in chooser_ids}
    distinct = sorted(set(priority.values()))
    return {i: min(distinct.index(p), _MAX_LEVEL) for i, p in priority.items()}


def placement_values(school: School, schedule: Schedule) -> dict[str, int]:
    """The goals that say who gets a place (unserved, priority_served, first_choices,
    choice_points), recomputed from the schedule."""
    placed = _placements(school, schedule)
    levels = _levels(school, placed)
    return {
        "unserved": sum(1 for ranks in placed.values() if not ranks),
        "priority_served": sum(17 ** levels[student_id]
                               for student_id, ranks in placed.items() if ranks),
        "first_choices": sum(17 ** levels[student_id]
                             for student_id, ranks in placed.items() if 1 in ranks),
        "choice_points": sum(_points(rank) * 17 ** levels[student_id]
                             for student_id, ranks in placed.items() for rank in ranks),
    }


def goal_values(school: School, schedule: Schedule, seed: int | None = None,
                previous: Schedule | None = None) -> dict[str, int]:
    """Every goal of docs/goals.md, recomputed from the schedule; ``lottery`` needs the seed,
    the moves the previous schedule (models/previous.py counts them)."""
    goals: dict[str, int] = {}
    if previous is not None:
        moved = moves(school, previous, schedule)
        goals["children_moved"] = moved.children_moved
        goals["sections_moved"] = len(moved.sections)
        goals["supervisors_moved"] = len(moved.supervision)
    goals |= placement_values(school, schedule)
    if seed is not None:
        placed = _placements(school, schedule)
        ticket = tickets(school, seed)
        goals["lottery"] = sum(ticket[student_id] * _points(rank)
                               for student_id, ranks in placed.items() for rank in ranks)
    loads = teacher_loads(school, schedule)
    goals["teacher_max_load"] = max(loads.values(), default=0)
    goals["teacher_load_squares"] = sum(load * load for load in loads.values())
    goals["cost"] = term_cost(school, schedule)
    shortfall = 0
    for section in schedule.sections:
        activity = school.activity_by_id.get(section.activity_id)
        if activity is None or activity.provider is None:
            continue
        vendor = school.vendor_by_id.get(activity.provider)
        if vendor is not None:
            # Python's round (half to even), as docs/goals.md writes it.
            shortfall += len(section.meetings) * (50 - round(10 * vendor.rating))
    goals["vendor_rating_shortfall"] = shortfall
    return {name: goals[name] for name in (*MOVE_GOALS, *GOAL_ORDER) if name in goals}


def kpi_values(school: School, schedule: Schedule) -> dict[str, float]:
    """Headline numbers: shares in 0-1 of choosers, ranks, sections, teacher load, yuan."""
    placed = _placements(school, schedule)
    num_choosers = len(placed)
    ranks = [rank for found in placed.values() for rank in found]
    loads = list(teacher_loads(school, schedule).values())
    study = {a.id for a in school.activities if a.category == "study"}

    def share(count: int) -> float:
        return count / num_choosers if num_choosers else 0.0

    return {
        "registered_students": float(sum(1 for s in school.students if s.days)),
        "choosers": float(num_choosers),
        "first_choice_share": share(sum(1 for found in placed.values() if 1 in found)),
        "top3_share": share(sum(1 for found in placed.values() if any(r <= 3 for r in found))),
        "choosers_with_none": float(sum(1 for found in placed.values() if not found)),
        "mean_rank": sum(ranks) / len(ranks) if ranks else 0.0,
        "sections_opened": float(sum(1 for s in schedule.sections if s.activity_id not in study)),
        "study_sections_opened": float(sum(1 for s in schedule.sections
                                           if s.activity_id in study)),
        "teacher_load_max": float(max(loads, default=0)),
        "teacher_load_mean": sum(loads) / len(loads) if loads else 0.0,
        "term_cost_yuan": term_cost(school, schedule) / FEN_PER_YUAN,
        "term_budget_yuan": school.info.term_budget / FEN_PER_YUAN,
    }
