"""The constructive schedule: checked on its own, taken by the model, never lost to the search."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from ortools.sat.python import cp_model

from models.check import check
from models.shapes import SHAPES, generate_shaped_school
from optimizer.model.instance import build_instance
from optimizer.model.rules import HARD_RULES
from optimizer.model.warmstart import hint_schedule, rules_rejecting
from optimizer.search.construct import Constructive, Restarts, constructive_schedule, rank
from optimizer.search.levels import DEFAULT_LEVELS
from optimizer.search.result import Result, Status
from optimizer.search.solve import Params, build_model, solve

SIZES = (60, 160)


@pytest.mark.parametrize("num_students", SIZES)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_constructive_schedule_alone_passes_the_checker(shape: str, num_students: int
                                                            ) -> None:
    school = generate_shaped_school(num_students, seed=4, shape=shape)
    built = constructive_schedule(school, build_instance(school), DEFAULT_LEVELS, seed=4)
    assert built is not None, f"{shape}: no constructive schedule"
    report = check(school, built.schedule, seed=4)
    assert report.ok, f"{shape}: {report.summary()}"
    # Every registered child is somewhere in every slot they stay for.
    places = {(p.student_id, p.day, p.period) for p in built.schedule.places}
    for student in school.registered_students:
        for day in student.days:
            for period in range(1, student.stay + 1):
                assert (student.id, day, period) in places


@pytest.mark.parametrize("shape", ["two-bands", "three-bands", "rich-staff", "two-each"])
def test_more_orders_of_children_never_make_it_worse(shape: str) -> None:
    """Each schedule the restarts report is checked and better than the one before; the
    last is the one returned, and it is at least as good as the first two orders'."""
    school = generate_shaped_school(160, seed=5, shape=shape)
    inst = build_instance(school)
    first = constructive_schedule(school, inst, DEFAULT_LEVELS, seed=5)
    reported: list[Constructive] = []
    built = constructive_schedule(school, inst, DEFAULT_LEVELS, seed=5,
                                  restarts=Restarts(most=12, patience=6),
                                  on_found=reported.append)
    assert first is not None
    assert built is not None
    assert reported[-1] is built
    assert rank(built.goals, DEFAULT_LEVELS) >= rank(first.goals, DEFAULT_LEVELS)
    ranks = [rank(c.goals, DEFAULT_LEVELS) for c in reported]
    assert ranks == sorted(set(ranks)), "a reported schedule was not better than the last"
    for candidate in reported:
        assert check(school, candidate.schedule, seed=5).ok, shape


def test_patience_counts_only_the_reshuffles() -> None:
    """Every fresh way of building is tried before patience may end the restarts: which
    way wins depends on the school (two-each at 1,500 students: its best came at the
    18th attempt, after the search had given up at the 13th)."""
    from optimizer.search.greedy import WarmGreedy

    school = generate_shaped_school(160, seed=5, shape="two-each")
    warm = WarmGreedy(school, build_instance(school), seed=5)
    fresh = len(warm._fresh)
    warm.try_orders(most=fresh + 20, patience=1)
    assert fresh < warm.tried < fresh + 20


def test_the_first_schedule_out_is_the_one_made_by_hand() -> None:
    """The coordinator's way by hand is out first: the warm greedy's first attempt,
    handing staff over, takes several times as long at 5,000 students."""
    school = generate_shaped_school(160, seed=5, shape="overlap-cross")
    reported: list[Constructive] = []
    paired: list[Constructive] = []
    built = constructive_schedule(school, build_instance(school), DEFAULT_LEVELS, 5,
                                  Restarts(), reported.append, on_paired=paired.append)
    assert reported[0].method == "by hand"
    assert built is reported[-1]
    assert paired == [built]


def test_a_stop_ends_the_restarts_at_once() -> None:
    """Ctrl-C during the restarts: the first constructive schedule stands, no more
    attempts (on this school they would find a better one)."""
    school = generate_shaped_school(160, seed=5, shape="three-bands")
    inst = build_instance(school)
    restarts = Restarts(most=12, patience=12)
    free: list[Constructive] = []
    constructive_schedule(school, inst, DEFAULT_LEVELS, 5, restarts, free.append)
    stop = threading.Event()
    stop.set()
    stopped: list[Constructive] = []
    built = constructive_schedule(school, inst, DEFAULT_LEVELS, 5, restarts, stopped.append,
                                  stop)
    assert len(free) > 1
    assert built is not None
    assert stopped[-1] is built
    # Stopped, only the first two schedules are made (by hand, then the warm greedy's
    # first attempt if better), and reported as the run without a stop reported them.
    assert 1 <= len(stopped) <= 2
    assert [c.goals for c in stopped] == [c.goals for c in free[:len(stopped)]]


def test_restarts_counted_in_orders_give_the_same_schedule_every_run() -> None:
    school = generate_shaped_school(160, seed=8, shape="overlap-cross")
    runs = [constructive_schedule(school, build_instance(school), DEFAULT_LEVELS, seed=8,
                                  restarts=Restarts(most=6)) for _ in range(2)]
    assert runs[0] is not None
    assert runs[1] is not None
    assert runs[0].schedule == runs[1].schedule


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_model_takes_the_constructive_schedule(shape: str) -> None:
    """With every decision fixed to a schedule the checker accepts, the model is feasible;
    where it is not, the model is stricter than the contract, and the rule is named."""
    school = generate_shaped_school(120, seed=6, shape=shape)
    inst = build_instance(school)
    built = constructive_schedule(school, inst, DEFAULT_LEVELS, seed=6)
    assert built is not None
    assert rules_rejecting(inst, built.schedule, list(HARD_RULES)) == [], shape
    model, inst, v, _ = build_model(school, Params(seed=6), inst)
    hint_schedule(model, inst, v, built.schedule)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE), shape


def test_a_stop_ends_the_warm_start_without_calling_the_schedule_rejected(
        caplog: pytest.LogCaptureFixture) -> None:
    from optimizer.search.construct import warm_start

    school = generate_shaped_school(120, seed=6, shape="two-bands")
    inst = build_instance(school)
    built = constructive_schedule(school, inst, DEFAULT_LEVELS, seed=6)
    assert built is not None
    params = Params(seed=6, workers=1, time_limit=10)
    model, inst, v, goals = build_model(school, params, inst)
    result = Result(Status.NO_SOLUTION, None, params)
    assert warm_start(built.schedule, model, inst, v, goals, params, result,
                      threading.Event()) is not None
    stop = threading.Event()
    stop.set()
    assert warm_start(built.schedule, model, inst, v, goals, params, result, stop) is None
    assert "rejects" not in caplog.text


def test_a_rule_that_rejects_a_schedule_is_named() -> None:
    """A schedule that breaks rule 2 (one section too many) is rejected by the sections
    rule alone, and by no other."""
    from dataclasses import replace

    school = generate_shaped_school(120, seed=6, shape="few-activities")
    inst = build_instance(school)
    built = constructive_schedule(school, inst, DEFAULT_LEVELS, seed=6)
    assert built is not None
    opened = {s.activity_id for s in built.schedule.sections}
    activity = next(a for a in school.activities if a.id in opened and not a.is_study)
    count = sum(1 for s in built.schedule.sections if s.activity_id == activity.id)
    tighter = replace(school, activities=tuple(
        replace(a, max_sections=count - 1) if a.id == activity.id else a
        for a in school.activities))
    assert "sections" in rules_rejecting(build_instance(tighter), built.schedule,
                                         list(HARD_RULES))


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["overlap-cross", "concentrated", "few-rooms", "two-each"])
def test_the_written_schedule_is_never_worse_than_the_constructive_one(shape: str) -> None:
    school = generate_shaped_school(160, seed=8, shape=shape)
    built = constructive_schedule(school, build_instance(school), DEFAULT_LEVELS, seed=8)
    assert built is not None
    # A second and a half: every level still runs and the search's schedule is written
    # (as with 3), and a shorter search is likelier to end below the constructive one.
    result = solve(school, Params(time_limit=1.5, workers=1, seed=8, deterministic=True))
    assert result.schedule is not None
    assert result.report is not None
    assert result.report.ok, result.report.summary()
    assert result.report.goals["unserved"] <= built.goals["unserved"]
    assert rank(result.report.goals, DEFAULT_LEVELS) >= rank(built.goals, DEFAULT_LEVELS)


def test_without_time_to_search_the_constructive_schedule_is_written(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import optimizer.search.solve

    built: list[object] = []
    building = optimizer.search.solve.build_model
    monkeypatch.setattr(optimizer.search.solve, "build_model",
                        lambda *args, **kwargs: built.append(args) or building(*args, **kwargs))
    school = generate_shaped_school(160, seed=8, shape="overlap-cross")
    result = solve(school, Params(time_limit=0.01, workers=1, seed=8))
    assert result.schedule is not None
    assert result.report is not None
    assert result.report.ok, result.report.summary()
    assert result.source == "constructive"
    assert result.no_time_to_search
    assert "the time limit was reached before the search could begin" in result.notes[0]
    assert not built  # no time is spent building a model there is no time to search


def _rules_added(monkeypatch: pytest.MonkeyPatch, first: Callable[[], None]) -> list[str]:
    """The model's rules, the first of which calls ``first`` as it is added: the names of
    those added, in turn."""
    added: list[str] = []
    names = list(HARD_RULES)
    for name in names:
        rule = HARD_RULES[name]

        def adding(model: object, inst: object, v: object, name: str = name,
                   rule: Callable[..., None] = rule) -> None:
            added.append(name)
            if name == names[0]:
                first()
            rule(model, inst, v)

        monkeypatch.setitem(HARD_RULES, name, adding)
    return added


def test_the_time_limit_ends_the_building_of_the_model(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    """At 5,000 students the model takes 20 s to build, and a 25 s limit had run to 34 s:
    once the limit is reached, the rules still to come are not added, and the
    constructive schedule is written, saying why."""
    # The constructive schedule takes a second at most (0.3 s when the machine is idle);
    # the first rule then takes the model's building past 4 s less the reserve.
    added = _rules_added(monkeypatch, lambda: time.sleep(3.5))
    school = generate_shaped_school(160, seed=8, shape="overlap-cross")
    result = solve(school, Params(time_limit=4, workers=1, seed=8))
    assert added == [next(iter(HARD_RULES))]
    _constructive_written(result, "the time limit was reached before the search could begin")
    assert result.no_time_to_search
    assert not result.interrupted


def test_a_stop_ends_the_building_of_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the model is built (seconds at 3,000 students) is heard before the
    next rule, not once the model is whole."""
    stop = threading.Event()
    added = _rules_added(monkeypatch, stop.set)
    school = generate_shaped_school(160, seed=8, shape="overlap-cross")
    result = solve(school, Params(time_limit=20, workers=1, seed=8), stop=stop)
    assert added == [next(iter(HARD_RULES))]
    _constructive_written(result, "the search was interrupted")
    assert result.interrupted
    assert not result.no_time_to_search


def _constructive_written(result: Result, why: str) -> None:
    """The result is the constructive schedule, checked, with ``why`` in its note."""
    assert result.report is not None
    assert result.report.ok, result.report.summary()
    assert result.source == "constructive"
    assert why in result.notes[0]


def test_when_the_model_cannot_be_built_the_constructive_schedule_is_written(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import optimizer.search.solve

    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(optimizer.search.solve, "build_model", out_of_memory)
    school = generate_shaped_school(100, seed=2, shape="three-bands")
    result = solve(school, Params(time_limit=5, workers=1, seed=2))
    assert result.schedule is not None
    assert result.report is not None
    assert result.report.ok, result.report.summary()
    assert result.source == "constructive"
    assert "out of memory" in result.notes[0]


@pytest.mark.slow
def test_every_placement_goal_shows_on_the_progress_trace_with_a_bound() -> None:
    """Levels proven at their best without a search (the constructive schedule already
    serves as many as the seats allow) still show, with their bound."""
    import math

    school = generate_shaped_school(100, seed=3, shape="two-bands")
    result = solve(school, Params(time_limit=2, workers=1, seed=3, deterministic=True))
    assert result.trace[0].goal == "constructive"
    assert math.isnan(result.trace[0].bound)
    shown = {p.goal for p in result.trace}
    assert {"unserved", "priority_served", "first_choices"} <= shown
    for point in result.trace[1:]:
        if point.goal in ("unserved", "priority_served", "first_choices"):
            assert math.isfinite(point.bound)
            assert point.objective <= point.bound
