"""The school prepared for the model: bands, candidate sections, room classes, time points.

Everything here is plain Python computed once from the School, so the model
creates only variables that can be true (grade, band, room type, availability,
vetting and provider are all filtered here) and the rules stay small.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from models.previous import Previous
from models.schedule import Schedule
from models.school import Activity, Room, School, Staff, Student
from models.time import DAYS, PERIODS, Slot

if TYPE_CHECKING:
    from optimizer.model.previous import PreviousPlan

Signature = tuple[object, ...]


@dataclass(frozen=True)
class Band:
    """Grades that share every period time and the same study activities.

    A section holds students of one band only, so every grade it holds shares
    its clock times (hard rule 1) and unplaced students flow to one study pool.
    """

    idx: int
    grades: frozenset[int]
    times: dict[Slot, tuple[int, int]] = field(hash=False, compare=False)
    study_ids: tuple[str, ...] = ()

    def meeting_time(self, day: int, first_period: int, num_periods: int
                     ) -> tuple[int, int] | None:
        first = self.times.get((day, first_period))
        last = self.times.get((day, first_period + num_periods - 1))
        if first is None or last is None:
            return None
        return first[0], last[1]


@dataclass(frozen=True)
class RoomClass:
    """Rooms that are interchangeable: same type, capacity, unavailability and fee.

    Counting meetings per class and time point is exact: overlapping clock
    intervals form an interval graph, so a count within the class size can
    always be turned into distinct rooms (see extract.assign_rooms).
    """

    idx: int
    type: str
    capacity: int
    unavailable: frozenset[Slot]
    fee_per_use: int
    room_ids: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.room_ids)


@dataclass(frozen=True)
class Option:
    """A way a section can meet on one day: first period, clock times, slots used."""

    day: int
    first_period: int
    start: int
    end: int
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class CandidateSection:
    """A section that may open: activity × band × copy number."""

    idx: int
    activity: Activity
    band: Band
    copy: int
    options: tuple[Option, ...]
    room_classes: tuple[int, ...]  # RoomClass.idx that fit
    staff: tuple[int, ...]  # staff indices that may staff it
    max_size: int

    @property
    def id(self) -> str:
        return f"{self.activity.id}-{self.band.idx + 1}{chr(ord('a') + self.copy)}" \
            if self.copy < 26 else f"{self.activity.id}-{self.band.idx + 1}-{self.copy + 1}"


@dataclass(frozen=True)
class StudyPool:
    """Supervised study for one band, one study activity, one day and period."""

    idx: int
    activity: Activity
    band: Band
    day: int
    period: int
    start: int
    end: int
    room_classes: tuple[int, ...]
    staff: tuple[int, ...]
    demand: int  # registered students of the band staying then (upper bound on need)

    def seat_cap(self, room_class: RoomClass, study_ratio: int) -> int:
        """Students one study section in this room class may hold (hard rule 6)."""
        return _study_seats(self.activity, room_class, study_ratio)


@dataclass(frozen=True)
class Instance:
    school: School
    bands: tuple[Band, ...]
    band_of_grade: dict[int, int]
    room_classes: tuple[RoomClass, ...]
    sections: tuple[CandidateSection, ...]
    study_pools: tuple[StudyPool, ...]
    students: tuple[Student, ...]  # registered students
    staff: tuple[Staff, ...]  # staff who may serve, indexed by position
    applicants: dict[int, tuple[tuple[int, int], ...]]  # student idx → (section idx, rank)
    priority_level: dict[int, int]  # student idx → 0…4
    unreachable: int = 0
    """Choosers no candidate section can take (their activities cannot open, or never
    meet on their days): unserved in every schedule, and counted so, as the checker does."""
    previous: PreviousPlan | None = None
    """The schedule in force, for a re-solve (``schedule resolve``); None for a solve."""

    @property
    def previous_schedule(self) -> Schedule | None:
        """The schedule in force of a re-solve, which the checker counts moves from."""
        return self.previous.previous.schedule if self.previous is not None else None

    @cached_property
    def time_points(self) -> dict[int, tuple[int, ...]]:
        """Day → the start times of every possible meeting: one check per point
        covers every set of pairwise-overlapping intervals (Helly property)."""
        points: dict[int, set[int]] = defaultdict(set)
        for section in self.sections:
            for option in section.options:
                points[option.day].add(option.start)
        for pool in self.study_pools:
            points[pool.day].add(pool.start)
        return {d: tuple(sorted(p)) for d, p in points.items()}

    def disjoint_hours(self, day: int) -> int:
        """The most class hours of a day, over every band's periods, that do not overlap:
        what one person can give that day at most."""
        spans = sorted({span for band in self.bands for (d, _), span in band.times.items()
                        if d == day}, key=lambda span: span[1])
        count, free_from = 0, -1
        for start, end in spans:
            if start >= free_from:
                count, free_from = count + 1, end
        return count

    def staying(self, band: Band, day: int, period: int) -> list[int]:
        return self._staying[band.idx, day, period]

    @cached_property
    def _staying(self) -> dict[tuple[int, int, int], list[int]]:
        table: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for idx, student in enumerate(self.students):
            band = self.band_of_grade[student.grade]
            for day in student.days:
                for period in range(1, student.stay + 1):
                    table[band, day, period].append(idx)
        return table


def build_instance(school: School, previous: Previous | None = None) -> Instance:
    """Prepare a validated school for the model; with ``previous``, for a re-solve from
    the schedule in force (optimizer/model/previous.py)."""
    from optimizer.model.previous import locked_rooms, plan

    # By id, not row order: nothing the model or the warm start does may depend on
    # where a child's row sits (the contract's lottery decides among equals).
    students = tuple(sorted(school.registered_students, key=lambda student: student.id))
    bands, band_of_grade = _bands(school)
    room_classes = _room_classes(school.rooms, apart=locked_rooms(previous))
    staff = school.serving_staff
    choosers = _choosers(school, students)
    sections, applicants = _candidate_sections(school, bands, band_of_grade, room_classes,
                                               staff, students, choosers)
    pools = _study_pools(school, bands, room_classes, staff, students, band_of_grade)
    levels = sorted({students[i].priority for i in choosers})
    level_of = {p: min(k, 4) for k, p in enumerate(levels)}
    inst = Instance(
        school=school,
        bands=bands,
        band_of_grade=band_of_grade,
        room_classes=room_classes,
        sections=sections,
        study_pools=pools,
        students=students,
        staff=staff,
        applicants=applicants,
        priority_level={i: level_of[students[i].priority] for i in choosers},
        unreachable=len(choosers.keys() - applicants.keys()),
    )
    if previous is None:
        return inst
    return dataclasses.replace(inst, previous=plan(inst, previous))


def _bands(school: School) -> tuple[tuple[Band, ...], dict[int, int]]:
    grades = sorted({s.grade for s in school.registered_students})
    groups: dict[tuple[Signature, tuple[str, ...]], list[int]] = {}
    for grade in grades:
        timetable = tuple(school.period_time(grade, d, p)
                          for d in range(len(DAYS)) for p in PERIODS)
        studies = tuple(a.id for a in school.study_activities if grade in a.grades)
        groups.setdefault((timetable, studies), []).append(grade)
    bands = []
    band_of_grade: dict[int, int] = {}
    for idx, ((_, band_studies), members) in enumerate(groups.items()):
        rep = members[0]
        times = {(d, p): t for d in range(len(DAYS)) for p in PERIODS
                 if (t := school.period_time(rep, d, p)) is not None}
        bands.append(Band(idx, frozenset(members), times,
                          band_studies))  # type: ignore[arg-type]
        band_of_grade.update(dict.fromkeys(members, idx))
    return tuple(bands), band_of_grade


def _room_classes(rooms: tuple[Room, ...], apart: frozenset[str] = frozenset()
                  ) -> tuple[RoomClass, ...]:
    """Interchangeable rooms grouped; a room in ``apart`` (a lock keeps it) is a class of
    its own, so that the model can say which room."""
    grouped: dict[tuple[object, ...], list[str]] = {}
    for room in rooms:
        key = (room.type, room.capacity, room.unavailable, room.fee_per_use,
               room.id if room.id in apart else None)
        grouped.setdefault(key, []).append(room.id)
    return tuple(
        RoomClass(idx, key[0], key[1], key[2], key[3], tuple(ids))  # type: ignore[arg-type]
        for idx, (key, ids) in enumerate(grouped.items())
    )


def _choosers(school: School, students: tuple[Student, ...]) -> dict[int, tuple]:
    """Student idx → eligible (rank, activity) choices, for students who want any."""
    found = {}
    for idx, student in enumerate(students):
        if student.wants < 1:
            continue
        choices = school.eligible_choices(student)
        if choices:
            found[idx] = choices
    return found


def _options(school: School, activity: Activity, band: Band) -> tuple[Option, ...]:
    firsts = (1,) if activity.periods == 2 else PERIODS
    options = []
    for day in range(len(DAYS)):
        for first in firsts:
            slots = tuple((day, p) for p in range(first, first + activity.periods))
            if not all(s in activity.allowed_slots for s in slots):
                continue
            time = band.meeting_time(day, first, activity.periods)
            if time is None or time[1] > school.info.latest_end:
                continue
            options.append(Option(day, first, time[0], time[1], slots))
    return tuple(options)


def _candidate_sections(
    school: School, bands: tuple[Band, ...], band_of_grade: dict[int, int],
    room_classes: tuple[RoomClass, ...], staff: tuple[Staff, ...],
    students: tuple[Student, ...], choosers: dict[int, tuple],
) -> tuple[tuple[CandidateSection, ...], dict[int, tuple[tuple[int, int], ...]]]:
    demand: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for idx, choices in choosers.items():
        band_idx = band_of_grade[students[idx].grade]
        for rank, activity in choices:
            demand[activity.id, band_idx].append((idx, rank))

    sections: list[CandidateSection] = []
    applicants: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for activity in school.activities:
        if activity.is_study or activity.max_sections == 0:
            continue
        able = tuple(i for i, p in enumerate(staff) if school.may_staff(p, activity))
        if len(able) < activity.staff_per_section:
            continue
        fits = tuple(c.idx for c in room_classes
                     if c.type == activity.room_type and c.capacity >= max(activity.min_size, 1))
        if not fits:
            continue
        largest = max(room_classes[c].capacity for c in fits)
        max_size = min(activity.max_size or largest, largest)
        for band in bands:
            wanting = demand.get((activity.id, band.idx), [])
            if len(wanting) < max(activity.min_size, 1):
                continue
            options = _options(school, activity, band)
            if not options:
                continue
            # One spare copy beyond the head count lets students with different
            # registered days be served by sections on different days.
            copies = math.ceil(len(wanting) / max_size) + 1
            copies = min(copies, len(wanting) // max(activity.min_size, 1))
            if activity.max_sections is not None:
                copies = min(copies, activity.max_sections)
            for copy in range(copies):
                section = CandidateSection(
                    idx=len(sections), activity=activity, band=band, copy=copy,
                    options=options, room_classes=fits, staff=able, max_size=max_size,
                )
                sections.append(section)
                for student_idx, rank in wanting:
                    if _can_attend(students[student_idx], activity, options):
                        applicants[student_idx].append((section.idx, rank))
    return tuple(sections), {k: tuple(v) for k, v in applicants.items()}


def _can_attend(student: Student, activity: Activity, options: tuple[Option, ...]) -> bool:
    """Some set of sessions_per_week option days fits the student's days and stay."""
    usable_days = {o.day for o in options
                   if o.day in student.days and all(p <= student.stay for _, p in o.slots)}
    return len(usable_days) >= activity.sessions_per_week


def _study_seats(activity: Activity, room_class: RoomClass, study_ratio: int) -> int:
    cap = min(study_ratio * activity.staff_per_section, room_class.capacity)
    return min(cap, activity.max_size) if activity.max_size else cap


def _study_pools(
    school: School, bands: tuple[Band, ...], room_classes: tuple[RoomClass, ...],
    staff: tuple[Staff, ...], students: tuple[Student, ...], band_of_grade: dict[int, int],
) -> tuple[StudyPool, ...]:
    demand: dict[tuple[int, int, int], int] = defaultdict(int)
    for student in students:
        for day in student.days:
            for period in range(1, student.stay + 1):
                demand[band_of_grade[student.grade], day, period] += 1
    pools: list[StudyPool] = []
    for band in bands:
        for study_id in band.study_ids:
            activity = school.activity_by_id[study_id]
            able = tuple(i for i, p in enumerate(staff) if school.may_staff(p, activity))
            # A room too small to seat min_size would force an undersized section.
            fits = tuple(c.idx for c in room_classes if c.type == activity.room_type
                         and _study_seats(activity, c, school.info.study_ratio)
                         >= max(activity.min_size, 1))
            for (day, period), (start, end) in sorted(band.times.items()):
                need = demand.get((band.idx, day, period), 0)
                if need == 0 or (day, period) not in activity.allowed_slots:
                    continue
                pools.append(StudyPool(
                    idx=len(pools), activity=activity, band=band, day=day, period=period,
                    start=start, end=end, room_classes=fits, staff=able, demand=need,
                ))
    return tuple(pools)
