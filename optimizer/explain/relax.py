"""A quick 'yes' before a slow solve: everyone in study, with some facts relaxed.

Leaving a fact out of the model and proving that the rest has a schedule is a full
search. A school whose relaxed facts are raised far (study_ratio 200, three times
the rooms of a type, no budget to speak of…) is more constrained than the model
without those facts, so a checked greedy schedule for it proves the rest can hold.
When the greedy finds none, CP-SAT decides.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from models.school import Activity, Room, School, Staff
from models.time import DAYS, PERIODS
from optimizer.explain.facts import Fact
from optimizer.model.instance import build_instance
from optimizer.search.construct import constructive_schedule
from optimizer.search.levels import DEFAULT_LEVELS

_MOST_RATIO = 200
"""The contract's largest study_ratio."""

_ROOM_COPIES = 2
"""Copies added of each room of a relaxed type: three rooms where there was one."""


def greedy_fits(school: School, relaxed: Iterable[Fact] = (), *, study_only: bool = True
                ) -> bool:
    """Whether the greedy schedules ``school`` with these facts raised far.

    ``study_only``: every registered child in supervised study, no section open
    (sections are optional, so that is one of the school's own schedules). The full
    greedy also opens activities, but on a school it cannot schedule it closes section
    after section before it gives up, which takes minutes at 3,000 students; the
    caller decides whether that is affordable (see :func:`full_greedy_affordable`).
    """
    loose = relax(school, relaxed)
    if study_only:
        loose = dataclasses.replace(loose, students=tuple(
            dataclasses.replace(s, wants=0, choices=()) for s in loose.students))
    return constructive_schedule(loose, build_instance(loose), DEFAULT_LEVELS,
                                 seed=0) is not None


def full_greedy_affordable(num_sections: int, study_only_seconds: float,
                           solve_seconds: float) -> bool:
    """Whether the full greedy's worst case fits in half of one solve it may save.

    Giving up, it drafts study once per section it closes, each draft about as long as
    the study-only greedy took: 17 sections × 0.2 s at 300 students, 85 × 2.5 s at
    3,000 (measured: 221 s).
    """
    return (num_sections + 1) * study_only_seconds <= solve_seconds / 2


def relax(school: School, facts: Iterable[Fact]) -> School:
    """The school with each fact raised as far as the contract lets it be."""
    by_column: dict[tuple[str, str], set[str]] = {}
    for fact in facts:
        by_column.setdefault((fact.sheet, fact.column), set()).update(fact.ids)
    info = school.info
    if ("School", "budget_per_student_year") in by_column:
        info = dataclasses.replace(info, budget_per_student_year=10**12)
    if ("School", "study_ratio") in by_column:
        info = dataclasses.replace(info, study_ratio=_MOST_RATIO)
    day_limit = by_column.get(("Staff", "max_periods_day"), set())
    week_limit = by_column.get(("Staff", "max_periods_week"), set())
    min_size = by_column.get(("Activities", "min_size"), set())
    max_sections = by_column.get(("Activities", "max_sections"), set())
    sessions = by_column.get(("Vendors", "max_sessions_week"), set())
    return dataclasses.replace(
        school, info=info,
        staff=tuple(_staff(p, p.id in day_limit, p.id in week_limit) for p in school.staff),
        activities=tuple(_activity(a, a.id in min_size, a.id in max_sections)
                         for a in school.activities),
        vendors=tuple(dataclasses.replace(v, max_sessions_week=None) if v.id in sessions
                      else v for v in school.vendors),
        rooms=_rooms(school.rooms, by_column.get(("Rooms", "type"), set())))


def _staff(person: Staff, day: bool, week: bool) -> Staff:
    if day:
        person = dataclasses.replace(person, max_periods_day=len(PERIODS))
    if week:
        person = dataclasses.replace(person, max_periods_week=len(PERIODS) * len(DAYS))
    return person


def _activity(activity: Activity, min_size: bool, max_sections: bool) -> Activity:
    if min_size:
        activity = dataclasses.replace(activity, min_size=1)
    if max_sections:
        activity = dataclasses.replace(activity, max_sections=None)
    return activity


def _rooms(rooms: tuple[Room, ...], room_ids: set[str]) -> tuple[Room, ...]:
    copies = tuple(dataclasses.replace(room, id=f"{room.id}~{n}")
                   for room in rooms if room.id in room_ids
                   for n in range(1, _ROOM_COPIES + 1))
    return rooms + copies

