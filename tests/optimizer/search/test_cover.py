"""Sections opened where they seat the most children (optimizer/search/cover.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.check import check
from models.school import Activity, School, Student
from models.shapes import SHAPES, generate_shaped_school
from optimizer.model.instance import build_instance
from optimizer.search.greedy import WarmGreedy, _greedy
from optimizer.search.lp_bounds import section_plan
from tests.factories import tiny_school


def _one_gym_two_sports() -> School:
    """One gym, free on Monday and Wednesday's first period only for these children:
    twenty want WEEKLY (one meeting a week, two sections may open), and ten of them
    would rather have TWICE (the same seats, but meeting on both days)."""
    school = tiny_school()
    twice = Activity(id="TWICE", name="Twice a week", category="sports",
                     grades=frozenset(range(1, 7)), room_type="gym", max_size=10,
                     max_sections=1, sessions_per_week=2)
    weekly = replace(twice, id="WEEKLY", name="Once a week", max_sections=2,
                     sessions_per_week=1)
    students = tuple(
        Student(id=f"S{i}", name=f"Student {i}", grade=3, class_name="3-1",
                days=frozenset({0, 2}), stay=1, wants=1,
                choices=("TWICE", "WEEKLY") if i <= 10 else ("WEEKLY",))
        for i in range(1, 21))
    return replace(school, activities=(school.activities[0], twice, weekly),
                   students=students)


def _unserved(school: School, cover: bool) -> int:
    inst = build_instance(school)
    outcome = _greedy(school, inst, list(range(len(inst.students))), reassign=True,
                      cover=cover)
    assert outcome is not None
    report = check(school, outcome.schedule)
    assert report.ok, report.summary()
    return report.goals["unserved"]


def test_opening_by_seats_per_hour_serves_children_that_asking_order_leaves_out() -> None:
    school = _one_gym_two_sports()
    # By hand the first child's first choice opens TWICE on both gym periods, and the
    # ten who want only WEEKLY find the gym taken; by seats per hour WEEKLY opens twice.
    assert _unserved(school, cover=False) == 10
    assert _unserved(school, cover=True) == 0


def test_the_warm_greedy_keeps_the_better_of_its_attempts() -> None:
    school = _one_gym_two_sports()
    inst = build_instance(school)
    warm = WarmGreedy(school, inst, seed=1)
    warm.try_orders(most=6)
    assert warm.best is not None
    assert check(school, warm.best.schedule).goals["unserved"] == 0


@pytest.mark.parametrize("shape", list(SHAPES))
def test_opening_by_seats_per_hour_passes_the_checker_on_every_shape(shape: str) -> None:
    school = generate_shaped_school(150, seed=2, shape=shape)
    inst = build_instance(school)
    warm = WarmGreedy(school, inst, seed=2)
    order = sorted(range(len(inst.students)), key=lambda i: -inst.priority_level.get(i, 0))
    outcome = _greedy(school, inst, order, reassign=True, cover=True,
                      demand=warm._demand)
    assert outcome is not None, f"{shape}: no schedule"
    report = check(school, outcome.schedule, seed=2)
    assert report.ok, f"{shape}: {report.summary()}"


@pytest.mark.parametrize("shape", ["two-bands", "overlap-cross", "vendor-heavy", "two-each"])
def test_following_the_program_passes_the_checker(shape: str) -> None:
    school = generate_shaped_school(150, seed=2, shape=shape)
    inst = build_instance(school)
    plan = section_plan(inst)
    assert plan, f"{shape}: the program opened nothing"
    opened: dict[str, float] = {}
    for planned in plan:
        activity = planned.section.activity
        opened[activity.id] = opened.get(activity.id, 0.0) + planned.count
        assert len(planned.pattern.days) == activity.sessions_per_week
    for activity in school.activities:
        if activity.max_sections is not None:
            assert opened.get(activity.id, 0.0) <= activity.max_sections + 1e-6
    order = sorted(range(len(inst.students)), key=lambda i: -inst.priority_level.get(i, 0))
    for nearest in (False, True):
        outcome = _greedy(school, inst, order, reassign=True, plan=plan, nearest=nearest)
        assert outcome is not None, f"{shape}: no schedule"
        report = check(school, outcome.schedule, seed=2)
        assert report.ok, f"{shape}: {report.summary()}"
