"""The first-choices bound: one activity at a time, on the days and periods it can meet."""

from __future__ import annotations

import dataclasses

from models.school import School, Student
from optimizer.bounds import first_choice_bound
from optimizer.instance import build_instance
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school


def _chess_school(days: list[int], priorities: dict[int, int] | None = None) -> School:
    """One weekly chess section of four seats; child k comes on ``days[k]`` only."""
    students = tuple(
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({day}), choices=("CHESS", "FOOT"),
                priority=(priorities or {}).get(k, 0))
        for k, day in enumerate(days))
    return dataclasses.replace(
        tiny_school(), activities=(STUDY, dataclasses.replace(CHESS, max_sections=1), FOOTBALL),
        students=students)


def test_the_section_meets_on_the_day_most_children_come() -> None:
    assert first_choice_bound(build_instance(_chess_school([0, 0, 0, 2]))) == 3


def test_a_day_without_the_chess_teacher_does_not_count() -> None:
    school = _chess_school([0, 0, 0, 2])
    teacher = dataclasses.replace(school.staff[0], unavailable=frozenset({(0, 1), (0, 2)}))
    school = dataclasses.replace(school, staff=(teacher, *school.staff[1:]))
    assert first_choice_bound(build_instance(school)) == 1


def test_priority_children_weigh_seventeen() -> None:
    """The lone Wednesday child has priority: Wednesday (17) beats Monday (3)."""
    assert first_choice_bound(build_instance(_chess_school([0, 0, 0, 2], {3: 1}))) == 17


def test_seats_still_count() -> None:
    """Six Monday children, four seats."""
    assert first_choice_bound(build_instance(_chess_school([0] * 6))) == 4
