"""What the reports show, computed once from a school and its schedule, in no language.

Every human-facing sheet and every PDF renders from these views, so a child's
place reads the same on the Students sheet, the class list and the roster: they
are three layouts of one computation. Views hold ids, names, codes (category,
role), days as indices, times as minutes and money as fen; ``labels`` turns
them into words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from models.check import term_cost
from models.schedule import Meeting, Schedule, Section
from models.school import Activity, School, Student
from models.time import DAYS, PERIODS

Slot = tuple[int, int]


def natural_key(text: str) -> tuple[object, ...]:
    """Sort ``3-10`` after ``3-9`` and ``S2`` before ``S10``: digits compare as numbers."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", text))


# --- the people and places, as printed ------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Pupil:
    """A student as printed: ``name`` is a pseudonym in a redacted report."""

    id: str
    name: str
    class_name: str
    grade: int


@dataclass(frozen=True, kw_only=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True, kw_only=True)
class MeetingView:
    day: int
    periods: tuple[int, ...]
    start: int  # minutes after midnight
    end: int
    room_id: str
    room_name: str
    staff: tuple[Person, ...]


@dataclass(frozen=True, kw_only=True)
class Roster:
    """One section: what, when, where, who leads it, and its students in class order."""

    section_id: str
    activity_id: str
    activity_name: str
    category: str
    meetings: tuple[MeetingView, ...]
    students: tuple[Pupil, ...]
    letter: str = ""  # the section among its activity's: A, B…; "" when it is the only one

    @property
    def is_study(self) -> bool:
        return self.category == "study"


@dataclass(frozen=True, kw_only=True)
class Spot:
    """Where one child is in one day and period, and with whom (the staff in charge)."""

    section_id: str
    activity_id: str
    activity_name: str
    category: str
    start: int
    end: int
    room_name: str
    staff_names: tuple[str, ...]
    choice_rank: int | None  # 1-5 for a chosen activity, None for study
    letter: str = ""  # as Roster.letter


@dataclass(frozen=True, kw_only=True)
class ClassSlot:
    """A column of a class list: a day and period, at the class's own clock times."""

    day: int
    period: int
    start: int | None  # None when the class's grades have no such period that day
    end: int | None


@dataclass(frozen=True, kw_only=True)
class ClassRow:
    pupil: Pupil
    spots: tuple[Spot | None, ...]  # one per ClassSlot; None: not at school then (gone home)


@dataclass(frozen=True, kw_only=True)
class ClassList:
    """One homeroom class: where each child is in each day and period (the pickup list)."""

    class_name: str
    grades: tuple[int, ...]
    slots: tuple[ClassSlot, ...]
    rows: tuple[ClassRow, ...]


@dataclass(frozen=True, kw_only=True)
class Duty:
    """One meeting a staff member leads."""

    day: int
    periods: tuple[int, ...]
    start: int
    end: int
    section_id: str
    activity_name: str
    category: str
    room_name: str
    size: int
    letter: str = ""  # as Roster.letter


@dataclass(frozen=True, kw_only=True)
class StaffView:
    """One person: their meetings, weekly class hours and pay (fen)."""

    id: str
    name: str
    role: str
    serving: bool  # may serve under the policy (vetting, vendor ties)
    max_periods_week: int
    max_periods_day: int
    pay_per_period: int
    duties: tuple[Duty, ...]

    @property
    def periods_week(self) -> int:
        return sum(len(d.periods) for d in self.duties)

    @property
    def pay_week(self) -> int:
        return self.periods_week * self.pay_per_period

    def periods_on(self, day: int) -> int:
        return sum(len(d.periods) for d in self.duties if d.day == day)

    @property
    def is_teacher(self) -> bool:
        return self.role == "teacher"


# --- building them ----------------------------------------------------------------

def pupil(student: Student) -> Pupil:
    return Pupil(id=student.id, name=student.name, class_name=student.class_name,
                 grade=student.grade)


def student_order(school: School) -> list[Student]:
    """Students by class, then id: the order of a class register, never by name."""
    return sorted(school.students, key=lambda s: (natural_key(s.class_name), natural_key(s.id)))


def meeting_view(school: School, meeting: Meeting) -> MeetingView:
    room = school.room_by_id.get(meeting.room_id)
    return MeetingView(
        day=meeting.day, periods=meeting.periods, start=meeting.start, end=meeting.end,
        room_id=meeting.room_id, room_name=room.name if room else meeting.room_id,
        staff=tuple(Person(id=i, name=_staff_name(school, i)) for i in meeting.staff_ids),
    )


def _staff_name(school: School, staff_id: str) -> str:
    person = school.staff_by_id.get(staff_id)
    return person.name if person else staff_id


def _activity(school: School, section: Section) -> Activity | None:
    return school.activity_by_id.get(section.activity_id)


def section_order(school: School, sections: Iterable[Section]) -> list[Section]:
    """Chosen activities first in the Activities sheet's order, then study by day and time."""
    index = {a.id: i for i, a in enumerate(school.activities)}

    def key(section: Section) -> tuple[object, ...]:
        activity = _activity(school, section)
        first = min(((m.day, m.start) for m in section.meetings), default=(0, 0))
        return (activity is not None and activity.is_study,
                index.get(section.activity_id, len(index)), first, natural_key(section.id))

    return sorted(sections, key=key)


def letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: spreadsheet-style letters, short in a narrow cell."""
    found = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        found = chr(ord("A") + rest) + found
    return found


def section_letters(school: School, sections: Iterable[Section]) -> dict[str, str]:
    """Section id → its letter among its activity's sections ("" when it is the only one).

    People say "Chess B", not ``CHESS-2b``. Study sections are lettered within their
    day and period (a school opens dozens of study sections a week, and "study, Mon
    period 1, C" is what the duty teacher needs), the rest within their activity, in
    the reports' section order.
    """
    groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for section in section_order(school, sections):
        activity = _activity(school, section)
        key: tuple[object, ...] = (section.activity_id,)
        if activity is not None and activity.is_study and section.meetings:
            first = min(section.meetings, key=lambda m: (m.day, m.start))
            key = (section.activity_id, first.day, min(first.periods, default=0))
        groups[key].append(section.id)
    return {section_id: letters(index) if len(ids) > 1 else ""
            for ids in groups.values() for index, section_id in enumerate(ids)}


def rosters(school: School, schedule: Schedule) -> list[Roster]:
    """One roster per section, students in class-register order."""
    order = {s.id: i for i, s in enumerate(student_order(school))}
    letter = section_letters(school, schedule.sections)
    found: list[Roster] = []
    for section in section_order(school, schedule.sections):
        activity = _activity(school, section)
        members = sorted((school.student_by_id[i] for i in dict.fromkeys(section.student_ids)
                          if i in school.student_by_id), key=lambda s: order[s.id])
        found.append(Roster(
            section_id=section.id, activity_id=section.activity_id,
            activity_name=activity.name if activity else section.activity_id,
            category=activity.category if activity else "other",
            meetings=tuple(meeting_view(school, m)
                           for m in sorted(section.meetings, key=lambda m: (m.day, m.start))),
            students=tuple(pupil(s) for s in members), letter=letter[section.id],
        ))
    return found


def spots(school: School, schedule: Schedule) -> dict[tuple[str, int, int], Spot]:
    """(student id, day, period) → their place, from the schedule's places (Assignments)."""
    letter = section_letters(school, schedule.sections)
    found: dict[tuple[str, int, int], Spot] = {}
    for place in schedule.places:
        section = schedule.section_by_id.get(place.section_id)
        if section is None:
            continue
        meeting = next((m for m in section.meetings
                        if m.day == place.day and place.period in m.periods), None)
        activity = _activity(school, section)
        student = school.student_by_id.get(place.student_id)
        rank = None
        if activity is not None and not activity.is_study and student is not None \
                and activity.id in student.choices:
            rank = student.choices.index(activity.id) + 1
        room = school.room_by_id.get(meeting.room_id) if meeting else None
        found[place.student_id, place.day, place.period] = Spot(
            section_id=section.id, activity_id=section.activity_id,
            activity_name=activity.name if activity else section.activity_id,
            category=activity.category if activity else "other",
            start=meeting.start if meeting else 0, end=meeting.end if meeting else 0,
            room_name=room.name if room else (meeting.room_id if meeting else ""),
            staff_names=tuple(_staff_name(school, i) for i in meeting.staff_ids)
            if meeting else (),
            choice_rank=rank, letter=letter.get(section.id, ""),
        )
    return found


def class_lists(school: School, schedule: Schedule,
                where: dict[tuple[str, int, int], Spot] | None = None) -> list[ClassList]:
    """One list per homeroom class with a registered student: each child, each day and period.

    Columns are the days any child of the class is registered, both periods; a
    child not at school in a slot (not registered that day, or picked up after
    period 1) has None there.
    """
    where = where if where is not None else spots(school, schedule)
    by_class: dict[str, list[Student]] = defaultdict(list)
    for student in student_order(school):
        if student.registered:
            by_class[student.class_name].append(student)
    found: list[ClassList] = []
    for class_name in sorted(by_class, key=natural_key):
        members = by_class[class_name]
        grades = tuple(sorted({s.grade for s in members}))
        days = sorted({d for s in members for d in s.days})
        slots = []
        for day in days:
            for period in PERIODS:
                if not any(s.stays_for((day, period)) for s in members):
                    continue
                times = school.period_time(grades[0], day, period)
                slots.append(ClassSlot(day=day, period=period,
                                       start=times[0] if times else None,
                                       end=times[1] if times else None))
        rows = tuple(
            ClassRow(pupil=pupil(s),
                     spots=tuple(where.get((s.id, slot.day, slot.period)) for slot in slots))
            for s in members
        )
        found.append(ClassList(class_name=class_name, grades=grades, slots=tuple(slots),
                               rows=rows))
    return found


def staff_views(school: School, schedule: Schedule) -> list[StaffView]:
    """Every person on the Staff sheet, with the meetings they lead in time order."""
    letter = section_letters(school, schedule.sections)
    duties: dict[str, list[Duty]] = defaultdict(list)
    for section in schedule.sections:
        activity = _activity(school, section)
        size = len(dict.fromkeys(section.student_ids))
        for meeting in section.meetings:
            room = school.room_by_id.get(meeting.room_id)
            for staff_id in dict.fromkeys(meeting.staff_ids):
                duties[staff_id].append(Duty(
                    day=meeting.day, periods=meeting.periods, start=meeting.start,
                    end=meeting.end, section_id=section.id,
                    activity_name=activity.name if activity else section.activity_id,
                    category=activity.category if activity else "other",
                    room_name=room.name if room else meeting.room_id, size=size,
                    letter=letter[section.id]))
    return [
        StaffView(id=p.id, name=p.name, role=p.role, serving=school.may_serve(p),
                  max_periods_week=p.max_periods_week, max_periods_day=p.max_periods_day,
                  pay_per_period=p.pay_per_period,
                  duties=tuple(sorted(duties.get(p.id, ()), key=lambda d: (d.day, d.start))))
        for p in school.staff
    ]


# --- how students fared ---------------------------------------------------------

def eligible_ranks(school: School, student: Student) -> dict[str, int]:
    """Activity id → rank for the student's eligible choices (docs/goals.md's definition)."""
    return {activity.id: rank for rank, activity in school.eligible_choices(student)}


def placed_ranks(school: School, schedule: Schedule) -> dict[str, list[int]]:
    """Every registered student → the ranks of the chosen sections they are in, best first."""
    ranks: dict[str, list[int]] = {s.id: [] for s in school.registered_students}
    eligible = {s.id: eligible_ranks(school, s) for s in school.registered_students}
    for section in schedule.sections:
        for student_id in dict.fromkeys(section.student_ids):
            rank = eligible.get(student_id, {}).get(section.activity_id)
            if rank is not None:
                ranks[student_id].append(rank)
    return {k: sorted(v) for k, v in ranks.items()}


def is_chooser(school: School, student: Student) -> bool:
    """docs/goals.md: registered, wants at least one, and at least one eligible choice."""
    return student.registered and student.wants >= 1 and bool(school.eligible_choices(student))


@dataclass(frozen=True, kw_only=True)
class Fared:
    """Choosers by their best placement: ``best[r]`` with rank r as best, ``none`` with none."""

    best: tuple[int, int, int, int, int]
    none: int
    num_choosers: int
    mean_rank: float | None
    registered: int


def fared(school: School, schedule: Schedule, grade: int | None = None,
          ranks: dict[str, list[int]] | None = None) -> Fared:
    """How the choosers (of one grade, or all) fared; the same definitions as the checker.

    ``ranks`` is :func:`placed_ranks` when the caller has it already.
    """
    ranks = ranks if ranks is not None else placed_ranks(school, schedule)
    students = [s for s in school.registered_students if grade is None or s.grade == grade]
    choosers = [s for s in students if is_chooser(school, s)]
    best = Counter(ranks[s.id][0] for s in choosers if ranks[s.id])
    all_ranks = [r for s in choosers for r in ranks[s.id]]
    return Fared(
        best=tuple(best.get(r, 0) for r in range(1, 6)),  # type: ignore[arg-type]
        none=sum(1 for s in choosers if not ranks[s.id]),
        num_choosers=len(choosers),
        mean_rank=sum(all_ranks) / len(all_ranks) if all_ranks else None,
        registered=len(students),
    )


# --- money ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class CostLine:
    """Term cost in fen of one activity, split as rule 7 adds it up."""

    activity_id: str
    activity_name: str
    category: str
    sections: int
    meetings_week: int
    students: int
    session_fees: int
    staff_pay: int
    venue_fees: int
    per_head_fees: int

    @property
    def total(self) -> int:
        return self.session_fees + self.staff_pay + self.venue_fees + self.per_head_fees


@dataclass(frozen=True, kw_only=True)
class Budget:
    lines: tuple[CostLine, ...]
    term_budget: int
    weeks: int
    enrolled: int
    registered: int
    school_type: str

    def _sum(self, name: str) -> int:
        return sum(getattr(line, name) for line in self.lines)

    @property
    def session_fees(self) -> int:
        return self._sum("session_fees")

    @property
    def staff_pay(self) -> int:
        return self._sum("staff_pay")

    @property
    def venue_fees(self) -> int:
        return self._sum("venue_fees")

    @property
    def per_head_fees(self) -> int:
        return self._sum("per_head_fees")

    @property
    def total(self) -> int:
        return self._sum("total")

    @property
    def surplus(self) -> int:
        return self.term_budget - self.total


def budget(school: School, schedule: Schedule) -> Budget:
    """Rule 7's term cost by activity and by kind; the total equals ``check.term_cost``."""
    weeks = school.info.weeks
    by_activity: dict[str, list[Section]] = defaultdict(list)
    for section in schedule.sections:
        by_activity[section.activity_id].append(section)
    lines: list[CostLine] = []
    ordered = [a.id for a in school.activities if a.id in by_activity]
    ordered += [i for i in by_activity if i not in school.activity_by_id]
    for activity_id in ordered:
        sections = by_activity[activity_id]
        activity = school.activity_by_id.get(activity_id)
        session = venue = pay = 0
        meetings = 0
        for section in sections:
            for meeting in section.meetings:
                meetings += 1
                session += activity.fee_per_session if activity else 0
                room = school.room_by_id.get(meeting.room_id)
                venue += room.fee_per_use if room else 0
                for staff_id in meeting.staff_ids:
                    person = school.staff_by_id.get(staff_id)
                    if person is not None:
                        pay += person.pay_per_period * len(meeting.periods)
        # A child pays an activity's per-head fee once, however many of its sections
        # (e.g. study sections) they sit in: the checker's rule.
        students = {i for section in sections for i in section.student_ids}
        per_head = len(students) * (activity.fee_per_student if activity else 0)
        lines.append(CostLine(
            activity_id=activity_id, activity_name=activity.name if activity else activity_id,
            category=activity.category if activity else "other", sections=len(sections),
            meetings_week=meetings, students=len(students), session_fees=weeks * session,
            staff_pay=weeks * pay, venue_fees=weeks * venue, per_head_fees=per_head))
    result = Budget(lines=tuple(lines), term_budget=school.info.term_budget, weeks=weeks,
                    enrolled=school.info.enrolled, registered=len(school.registered_students),
                    school_type=school.info.type)
    assert result.total == term_cost(school, schedule), "budget lines disagree with rule 7"
    return result


# --- rooms -----------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class RoomUse:
    """One meeting held in a room."""

    day: int
    start: int
    end: int
    section_id: str
    activity_name: str
    category: str
    size: int
    letter: str = ""  # as Roster.letter


def room_uses(school: School, schedule: Schedule) -> dict[str, list[RoomUse]]:
    """Room id → its meetings in time order, for every room on the Rooms sheet (maybe none)."""
    letter = section_letters(school, schedule.sections)
    uses: dict[str, list[RoomUse]] = {room.id: [] for room in school.rooms}
    for section in schedule.sections:
        activity = _activity(school, section)
        size = len(dict.fromkeys(section.student_ids))
        for meeting in section.meetings:
            uses.setdefault(meeting.room_id, []).append(RoomUse(
                day=meeting.day, start=meeting.start, end=meeting.end, section_id=section.id,
                activity_name=activity.name if activity else section.activity_id,
                category=activity.category if activity else "other", size=size,
                letter=letter[section.id]))
    return {k: sorted(v, key=lambda u: (u.day, u.start)) for k, v in uses.items()}


def meeting_dates(term_start: dt.date, term_end: dt.date, days: Iterable[int]) -> list[dt.date]:
    """Every date of the term falling on one of ``days`` (0 = Monday): a roster's sign-in
    columns. The School sheet has no key for holidays, so none are left out; a
    coordinator crosses out a holiday's column by hand."""
    wanted = set(days)
    count = (term_end - term_start).days + 1
    return [date for date in (term_start + dt.timedelta(days=i) for i in range(max(count, 0)))
            if date.weekday() in wanted]


def all_slots() -> list[Slot]:
    return [(d, p) for d in range(len(DAYS)) for p in PERIODS]
