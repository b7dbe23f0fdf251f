"""Sections opened where they seat the most children (optimizer/search/cover.py)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from models.check import check
from models.school import Activity, School, Student
from models.shapes import SHAPES, generate_shaped_school
from optimizer.model.instance import build_instance
from optimizer.search.cover import rounded
from optimizer.search.greedy import WarmGreedy, _greedy
from optimizer.search.lp_bounds import Planned, section_plan
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
    for how in ("floor", "nearest", "random"):
        whole = rounded(plan, how, random.Random(2))
        outcome = _greedy(school, inst, order, reassign=True, plan=plan, whole=whole)
        assert outcome is not None, f"{shape}: no schedule"
        report = check(school, outcome.schedule, seed=2)
        assert report.ok, f"{shape}: {report.summary()}"


def test_the_program_is_rounded_down_to_the_nearest_or_at_random() -> None:
    inst = build_instance(_one_gym_two_sports())
    section = inst.sections[0]
    pattern = section_plan(inst)[0].pattern  # type: ignore[index]
    plan = [Planned(section, pattern, count) for count in (0.25, 1.5, 2.0)]
    assert rounded(plan, "floor") == (0, 1, 2)
    assert rounded(plan, "nearest") == (0, 2, 2)
    rng = random.Random(3)
    draws = [rounded(plan, "random", rng) for _ in range(2000)]
    for k, count in enumerate((0.25, 1.5, 2.0)):
        assert {d[k] for d in draws} <= {int(count), int(count) + 1}
        assert abs(sum(d[k] for d in draws) / len(draws) - count) < 0.05


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_attempt_of_the_warm_greedy_passes_the_checker(shape: str) -> None:
    """Not only the best: an attempt the checker would reject (a person handed a meeting
    at the time they are wanted elsewhere) may be the best on another school."""
    school = generate_shaped_school(250, seed=3, shape=shape)
    inst = build_instance(school)
    warm = WarmGreedy(school, inst, seed=3)
    rejected = []
    for _ in range(11):  # the nine first, a squeaky wheel and a random rounding
        warm.try_orders(most=1)
        assert warm.best is not None
        report = check(school, warm.last.schedule, seed=3)  # type: ignore[union-attr]
        if not report.ok:
            rejected.append(report.summary())
    assert not rejected, f"{shape}: {rejected[0]}"
