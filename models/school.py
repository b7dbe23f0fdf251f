"""The school as the optimizer sees it: frozen entities and the lookups built once.

Money is integer fen (1 yuan = 100 fen), times are minutes after midnight,
days are indices into :data:`models.time.DAYS`. Nothing here knows of a solver.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from models.problems import Problem
from models.time import ALL_SLOTS, DAYS, PERIODS, Slot

FEN_PER_YUAN = 100

TEACHER = "teacher"
VENDOR_INSTRUCTOR = "vendor_instructor"
STUDY = "study"


def yuan(fen: int) -> float:
    """Fen to yuan, for display only."""
    return fen / FEN_PER_YUAN


@dataclass(frozen=True, kw_only=True)
class SchoolInfo:
    """The School sheet: the school, its term and its policy settings."""

    name: str
    type: str  # "public" | "private"
    term_start: dt.date
    term_end: dt.date
    enrolled: int
    budget_per_student_year: int  # fen
    terms_per_year: int = 2
    weeks: int = 18
    latest_end: int = 18 * 60  # minutes
    per_student_cap: int | None = None  # fen per student per term; None: the term's per-head budget
    study_ratio: int = 40
    language: str = "en"

    def __post_init__(self) -> None:
        if self.type not in ("public", "private"):
            raise ValueError(f"type must be public or private, not {self.type!r}")
        if self.enrolled < 1 or self.terms_per_year < 1 or self.weeks < 1 or self.study_ratio < 1:
            raise ValueError("enrolled, terms_per_year, weeks and study_ratio must be positive")

    @property
    def term_budget(self) -> int:
        """Fen available this term; rounded down so the schedule never overspends."""
        return self.enrolled * self.budget_per_student_year // self.terms_per_year

    @property
    def student_fee_cap(self) -> int:
        """Fen of per-head fees one student may incur this term."""
        if self.per_student_cap is not None:
            return self.per_student_cap
        return self.budget_per_student_year // self.terms_per_year


@dataclass(frozen=True, kw_only=True)
class PeriodRow:
    """One row of the Periods sheet. ``day`` None means every day."""

    grades: frozenset[int]
    day: int | None
    period: int
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.period not in PERIODS:
            raise ValueError("period must be 1 or 2")
        if self.end <= self.start:
            raise ValueError("a period must end after it starts")


@dataclass(frozen=True, kw_only=True)
class Activity:
    id: str
    name: str
    category: str
    grades: frozenset[int]
    periods: int = 1
    sessions_per_week: int = 1
    min_size: int = 1
    max_size: int | None = None  # None: the room's capacity
    max_sections: int | None = 1  # None: no limit (the default for study)
    room_type: str = "classroom"
    skill: str | None = None
    staff_per_section: int = 1
    provider: str | None = None  # None: the school; else a vendor id
    allowed_slots: frozenset[Slot] = ALL_SLOTS
    fee_per_session: int = 0  # fen per section meeting
    fee_per_student: int = 0  # fen per placed student per term

    def __post_init__(self) -> None:
        if self.periods not in (1, 2):
            raise ValueError(f"activity {self.id}: periods must be 1 or 2")
        if not 1 <= self.sessions_per_week <= len(DAYS):
            raise ValueError(f"activity {self.id}: sessions_per_week must be 1-5")
        if self.max_size is not None and self.max_size < max(self.min_size, 1):
            raise ValueError(f"activity {self.id}: max_size below min_size")
        if self.staff_per_section < 1:
            raise ValueError(f"activity {self.id}: staff_per_section must be at least 1")

    @property
    def is_study(self) -> bool:
        return self.category == STUDY

    @property
    def is_vendor(self) -> bool:
        return self.provider is not None


@dataclass(frozen=True, kw_only=True)
class Room:
    id: str
    name: str
    type: str
    capacity: int
    unavailable: frozenset[Slot] = frozenset()
    fee_per_use: int = 0  # fen per session held there


@dataclass(frozen=True, kw_only=True)
class Staff:
    id: str
    name: str
    role: str
    skills: frozenset[str] = frozenset()
    vendor: str | None = None
    max_periods_week: int = 10
    max_periods_day: int = 2
    unavailable: frozenset[Slot] = frozenset()
    vetted: bool = False
    vetted_until: dt.date | None = None
    pay_per_period: int = 0  # fen per after-school class hour
    affiliated_vendor: str | None = None

    @property
    def is_teacher(self) -> bool:
        """An in-service teacher, whose load the goals keep low and even."""
        return self.role == TEACHER


@dataclass(frozen=True, kw_only=True)
class Vendor:
    id: str
    name: str
    qualified: bool = False
    contract_until: dt.date | None = None
    max_sessions_week: int | None = None
    rating: float = 3.0


@dataclass(frozen=True, kw_only=True)
class Student:
    id: str
    name: str
    grade: int
    class_name: str
    days: frozenset[int] = frozenset()  # registered days; empty: not registered
    stay: int = 2
    wants: int = 1
    choices: tuple[str, ...] = ()  # activity ids, most wanted first
    priority: int = 0

    @property
    def registered(self) -> bool:
        return bool(self.days)

    def stays_for(self, slot: Slot) -> bool:
        """Registered that day and still at school in that period."""
        day, period = slot
        return day in self.days and period <= self.stay

    def stays_for_all(self, slots: Iterable[Slot]) -> bool:
        """Here for every one of ``slots``: can join a section meeting then."""
        return all(self.stays_for(slot) for slot in slots)


@dataclass(frozen=True, kw_only=True)
class School:
    """Everything in one workbook, with lookups built once."""

    info: SchoolInfo
    periods: tuple[PeriodRow, ...] = ()
    activities: tuple[Activity, ...] = ()
    rooms: tuple[Room, ...] = ()
    staff: tuple[Staff, ...] = ()
    vendors: tuple[Vendor, ...] = ()
    students: tuple[Student, ...] = ()
    settings: dict[str, str] = field(default_factory=dict, compare=False)
    """The optional Settings sheet: key → text, interpreted by the optimizer (e.g. goals)."""
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    """What validation warned about; the schedule goes ahead without those things."""

    # --- lookups -----------------------------------------------------------
    @cached_property
    def activity_by_id(self) -> dict[str, Activity]:
        return {a.id: a for a in self.activities}

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def staff_by_id(self) -> dict[str, Staff]:
        return {s.id: s for s in self.staff}

    @cached_property
    def vendor_by_id(self) -> dict[str, Vendor]:
        return {v.id: v for v in self.vendors}

    @cached_property
    def student_by_id(self) -> dict[str, Student]:
        return {s.id: s for s in self.students}

    @cached_property
    def registered_students(self) -> tuple[Student, ...]:
        return tuple(s for s in self.students if s.registered)

    @cached_property
    def _period_table(self) -> dict[tuple[int, int, int], tuple[int, int]]:
        """(grade, day, period) → (start, end); a day's own row overrides an ``all`` row."""
        table: dict[tuple[int, int, int], tuple[int, int]] = {}
        for specific in (False, True):
            for row in self.periods:
                if (row.day is not None) != specific:
                    continue
                days = range(len(DAYS)) if row.day is None else (row.day,)
                for grade in row.grades:
                    for day in days:
                        table[grade, day, row.period] = (row.start, row.end)
        return table

    def period_time(self, grade: int, day: int, period: int) -> tuple[int, int] | None:
        """Clock times of a grade's period on a day, or None when it has none."""
        return self._period_table.get((grade, day, period))

    def meeting_time(self, grade: int, day: int, first_period: int, num_periods: int
                     ) -> tuple[int, int] | None:
        """From the first period's start to the last period's end, or None if one is missing."""
        first = self.period_time(grade, day, first_period)
        last = self.period_time(grade, day, first_period + num_periods - 1)
        if first is None or last is None:
            return None
        return first[0], last[1]

    # --- who and what may take part (policy, not solver) -------------------
    def vendor_may_serve(self, vendor_id: str) -> bool:
        """Qualified, with a contract lasting to the end of the term."""
        vendor = self.vendor_by_id.get(vendor_id)
        return (
            vendor is not None
            and vendor.qualified
            and vendor.contract_until is not None
            and vendor.contract_until >= self.info.term_end
        )

    def may_serve(self, person: Staff) -> bool:
        """Policy: vetting for outsiders, no vendor ties for teachers, usable vendors."""
        if person.is_teacher:
            return not person.affiliated_vendor
        if not person.vetted or person.vetted_until is None:
            return False
        if person.vetted_until < self.info.term_end:
            return False
        return not (person.role == VENDOR_INSTRUCTOR and not (
            person.vendor and self.vendor_may_serve(person.vendor)))

    @cached_property
    def serving_staff(self) -> tuple[Staff, ...]:
        return tuple(p for p in self.staff if self.may_serve(p))

    def may_staff(self, person: Staff, activity: Activity) -> bool:
        """Provider, skill and policy: may this person ever staff this activity?"""
        if not self.may_serve(person):
            return False
        if activity.is_vendor:
            if person.role != VENDOR_INSTRUCTOR or person.vendor != activity.provider:
                return False
        elif person.role == VENDOR_INSTRUCTOR:
            return False
        return activity.skill is None or activity.skill in person.skills

    def room_fits(self, room: Room, activity: Activity) -> bool:
        return room.type == activity.room_type

    @cached_property
    def grade_activities(self) -> dict[int, tuple[Activity, ...]]:
        by_grade: dict[int, list[Activity]] = defaultdict(list)
        for activity in self.activities:
            for grade in activity.grades:
                by_grade[grade].append(activity)
        return {g: tuple(acts) for g, acts in by_grade.items()}

    def eligible_choices(self, student: Student) -> tuple[tuple[int, Activity], ...]:
        """(rank, activity) for each choice that exists, is not study and admits the grade."""
        found: list[tuple[int, Activity]] = []
        seen: set[str] = set()
        for rank, activity_id in enumerate(student.choices, start=1):
            activity = self.activity_by_id.get(activity_id)
            if (
                activity is not None
                and activity_id not in seen
                and not activity.is_study
                and student.grade in activity.grades
            ):
                found.append((rank, activity))
                seen.add(activity_id)
        return tuple(found)

    @cached_property
    def study_activities(self) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.is_study)
