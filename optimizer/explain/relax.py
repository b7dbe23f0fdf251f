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


def greedy_fits(school: School, relaxed: Iterable[Fact] = ()) -> bool:
    """Whether the greedy puts every registered child in supervised study, no section
    open, with these facts raised far.

    Sections are optional, so such a schedule is one of the school's own. Only study:
    on a school where study alone cannot hold everyone the greedy closes section after
    section before it gives up (minutes at 3,000 students), and CP-SAT decides sooner.
    """
    loose = relax(school, relaxed)
    loose = dataclasses.replace(loose, students=tuple(
        dataclasses.replace(s, wants=0, choices=()) for s in loose.students))
    return constructive_schedule(loose, build_instance(loose), DEFAULT_LEVELS,
                                 seed=0) is not None


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

