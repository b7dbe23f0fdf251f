"""Tiny schools built in code, small enough to reason about by hand.

``tiny_school()``: one primary band (grades 1-6), periods 15:30-16:10 and
16:20-17:00 every day, two classrooms of 30, one gym of 40, three in-service
teachers, one vetted volunteer, chess (club) and football (sports, gym),
supervised study, and six students registered Mon/Wed with chess or football
choices. Variants come from ``dataclasses.replace``.
"""

from __future__ import annotations

import datetime as dt

from models.school import (
    Activity,
    PeriodRow,
    Room,
    School,
    SchoolInfo,
    Staff,
    Student,
    Vendor,
)

TERM_START = dt.date(2026, 9, 1)
TERM_END = dt.date(2027, 1, 20)


def info(**changes: object) -> SchoolInfo:
    values: dict[str, object] = {
        "name": "Tiny Primary", "type": "public", "term_start": TERM_START, "term_end": TERM_END,
        "enrolled": 100, "budget_per_student_year": 100_000,
    }
    values.update(changes)
    return SchoolInfo(**values)  # type: ignore[arg-type]


def primary_periods(grades: frozenset[int] = frozenset(range(1, 7))) -> tuple[PeriodRow, ...]:
    return (
        PeriodRow(grades=grades, day=None, period=1, start=15 * 60 + 30, end=16 * 60 + 10),
        PeriodRow(grades=grades, day=None, period=2, start=16 * 60 + 20, end=17 * 60),
    )


def junior_periods() -> tuple[PeriodRow, ...]:
    grades = frozenset({7, 8, 9})
    return (
        PeriodRow(grades=grades, day=None, period=1, start=16 * 60 + 30, end=17 * 60 + 15),
        PeriodRow(grades=grades, day=None, period=2, start=17 * 60 + 15, end=18 * 60),
    )


STUDY = Activity(id="STUDY", name="Supervised study", category="study",
                 grades=frozenset(range(1, 10)), max_sections=None)
CHESS = Activity(id="CHESS", name="Chess", category="club", grades=frozenset(range(1, 7)),
                 max_size=4, skill="chess")
FOOTBALL = Activity(id="FOOT", name="Football", category="sports",
                    grades=frozenset(range(1, 7)), room_type="gym", max_size=10)


def tiny_school() -> School:
    days = frozenset({0, 2})  # Mon, Wed
    return School(
        info=info(),
        periods=primary_periods(),
        activities=(STUDY, CHESS, FOOTBALL),
        rooms=(
            Room(id="R1", name="Room 1", type="classroom", capacity=30),
            Room(id="R2", name="Room 2", type="classroom", capacity=30),
            Room(id="GYM", name="Gym", type="gym", capacity=40),
        ),
        staff=(
            Staff(id="T1", name="Teacher One", role="teacher", skills=frozenset({"chess"}),
                  max_periods_week=4),
            Staff(id="T2", name="Teacher Two", role="teacher", max_periods_week=4),
            Staff(id="T3", name="Teacher Three", role="teacher", max_periods_week=4),
            Staff(id="V1", name="Volunteer", role="volunteer", vetted=True,
                  vetted_until=dt.date(2027, 6, 30), max_periods_week=10),
        ),
        vendors=(),
        students=tuple(
            Student(id=f"S{i}", name=f"Student {i}", grade=3, class_name="3-1", days=days,
                    stay=2, wants=1, choices=("CHESS", "FOOT") if i % 2 else ("FOOT", "CHESS"))
            for i in range(1, 7)
        ),
    )


def vendor(**changes: object) -> Vendor:
    values: dict[str, object] = {"id": "V-ROBO", "name": "Robo Academy", "qualified": True,
                                     "contract_until": dt.date(2027, 7, 1), "rating": 4.0}
    values.update(changes)
    return Vendor(**values)  # type: ignore[arg-type]
