"""``solve(school, ...) -> Result``: build the model, solve the goals in order, extract.

Goals are solved lexicographically: each level is optimized, its value is then
fixed as a constraint, and the next level starts from the previous solution
as a hint. A model CP-SAT calls invalid is our bug and raises.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.check import check
from models.previous import Previous
from models.school import School
from optimizer.model.extract import extract_schedule
from optimizer.model.instance import Instance, build_instance
from optimizer.model.previous import pin_locks
from optimizer.model.rules import GOALS, HARD_RULES, PLACEMENT_GOALS
from optimizer.model.variables import Variables, create_variables
from optimizer.model.warmstart import hint_values
from optimizer.search import ceilings, construct, cpsat, tactics
from optimizer.search.bounds import Held
from optimizer.search.construct import Constructive, constructive_schedule, rank
from optimizer.search.levels import Level
from optimizer.search.polish import by_regret, neighbourhoods
from optimizer.search.result import (
    DEFAULT_TIME_LIMIT,
    DEFAULT_WORKERS,
    Params,
    Progress,
    Result,
    Status,
    new_seed,
)

__all__ = ["DEFAULT_TIME_LIMIT", "DEFAULT_WORKERS", "Params", "Progress", "Result", "Status",
           "build_model", "new_seed", "solve"]
"""The result types live in optimizer/search/result.py; they are named here too, so that
``from optimizer.search.solve import Params, solve`` is one line."""

log = logging.getLogger(__name__)


_RESERVE_S = 1.0


_PRESOLVE_MAX_VARS = 150_000
"""Above this, even one light presolve pass outlasts a main level's share of a minute
(5,000 students: 193k variables, no level result at all); the search then starts
at once and the un-presolved LP still gives bounds."""


_PIECES_MIN_VARS = 50_000
"""From about 3,000 students (74k variables) the whole-school search barely moves from
the warm start in a minute, and pieces of the school do better; up to 1,500 (28k) the
whole-school search proves levels and bounds that pieces cannot."""


_PIECE_ACTIVITIES = 3


def build_model(school: School, params: Params, inst: Instance | None = None,
                ) -> tuple[cp_model.CpModel, Instance, Variables,
                           dict[str, cp_model.LinearExprT]]:
    """The CP-SAT model with the chosen hard rules and every goal's expression."""
    inst = inst or build_instance(school)
    model = cp_model.CpModel()
    v = create_variables(model, inst)
    for name in params.rules:
        HARD_RULES[name](model, inst, v)
    pin_locks(model, inst, v)
    needed = {name for level in params.levels for name, _ in level}
    expressions = {name: GOALS[name].build(model, inst, v, params.seed)
                   for name in GOALS if name in needed}
    return model, inst, v, expressions


def solve(school: School, params: Params | None = None, *,
          on_progress: Callable[[Progress], None] | None = None,
          stop: threading.Event | None = None, previous: Previous | None = None,
          **settings: object) -> Result:
    """Find the best schedule for a validated school within the time limit.

    Settings come as a :class:`Params` or as its fields by keyword, e.g.
    ``solve(school, time_limit=30, workers=2, seed=7)``. Setting ``stop`` (from any
    thread) ends the search within moments with the best schedule so far, as Ctrl-C
    does; without it, Ctrl-C during the search does that itself. ``previous`` is the
    schedule in force of a re-solve (optimizer/search/resolve.py): its locks hold, the
    goals that count moves are counted from it, and the search starts from it.
    """
    params = dataclasses.replace(params or Params(), **settings)  # type: ignore[arg-type]
    started = time.monotonic()
    from optimizer.search.diagnose import capacity_problems

    inst = build_instance(school, previous)
    diagnosis = capacity_problems(inst)
    if diagnosis:
        log.info("capacity pre-check failed: %s", "; ".join(diagnosis))
        return Result(Status.INFEASIBLE, None, params, diagnosis=diagnosis,
                      wall_time=time.monotonic() - started, school=school)
    trace: list[Progress] = []
    constructive = _constructive(school, inst, params, trace, started, on_progress, stop,
                                 resolving=previous is not None)
    result = _search_from(constructive, school, params, inst, trace, started, on_progress,
                          stop)
    result.wall_time = time.monotonic() - started
    return result


def _constructive(school: School, inst: Instance, params: Params, trace: list[Progress],
                  started: float, on_progress: Callable[[Progress], None] | None,
                  stop: threading.Event | None, resolving: bool) -> Constructive | None:
    """The constructive schedule (when warm starts are on), each better one reported as
    progress the moment it is checked."""
    if not params.warm_start:
        return None

    def found(built: Constructive) -> None:
        unserved = built.goals["unserved"]
        point = Progress(elapsed=time.monotonic() - started, level=-1, goal="constructive",
                         objective=-unserved, bound=math.nan,
                         placed=len(inst.applicants) + inst.unreachable - unserved)
        trace.append(point)
        if on_progress is not None:
            on_progress(point)

    return constructive_schedule(school, inst, params.levels, params.seed,
                                 construct.restarts_for(params, resolving), found, stop)


def _search_from(constructive: Constructive | None, school: School, params: Params,
                 inst: Instance, trace: list[Progress], started: float,
                 on_progress: Callable[[Progress], None] | None,
                 stop: threading.Event | None) -> Result:
    """The search, which only ever replaces the constructive schedule with a better
    checked one; that schedule stands when the search is stopped or runs out of memory."""
    try:
        if constructive is not None and stop is not None and stop.is_set():
            # Stopped during the constructive schedule: building the model would only
            # delay the answer.
            result = Result(Status.NO_SOLUTION, None, params, trace=trace, school=school,
                            interrupted=True)
        else:
            result = _search(school, params, inst, constructive, trace, started, on_progress,
                             stop)
    except MemoryError:
        if constructive is None:
            raise
        # The constructive schedule needs a fraction of what the model does.
        log.error("out of memory building or searching the model")
        result = Result(Status.NO_SOLUTION, None, params, trace=trace, school=school)
        construct.keep_the_better(result, constructive, "the search could not start: out of memory")
    else:
        if constructive is not None:
            construct.keep_the_better(result, constructive, "the search was interrupted"
                                      if result.interrupted and result.schedule is None
                                      else None)
    return result


def _search(school: School, params: Params, inst: Instance, constructive: Constructive | None,
            trace: list[Progress], started: float,
            on_progress: Callable[[Progress], None] | None,
            stop: threading.Event | None = None) -> Result:
    """The lexicographic levels of CP-SAT, from the constructive schedule when there is one.

    Returns the result with the search's schedule (None if it found none) and the
    checker's verdict on it.
    """
    model, inst, v, expressions = build_model(school, params, inst)
    result = Result(Status.NO_SOLUTION, None, params, build_time=time.monotonic() - started,
                    num_variables=len(model.proto.variables),
                    num_constraints=len(model.proto.constraints), trace=trace)
    log.info("model: %d variables, %d constraints, built in %.1fs", result.num_variables,
             result.num_constraints, result.build_time)
    solver = cp_model.CpSolver()
    values = None if constructive is None else construct.warm_start(
        constructive.schedule, model, inst, v, expressions, params, result)
    reach, seat_counts = ceilings.placement_ceilings(inst, params.rules)
    with cpsat.stop_on_interrupt(solver, stop) as interrupted:
        repaired = construct.repaired_start(model, solver, inst, v, expressions, params)
        if repaired is not None and (values is None or rank(repaired[1], params.levels)
                                     > rank(result.goal_values, params.levels)):
            values, result.goal_values = repaired
        run = _Run(model, solver, inst, v, expressions, result, started, on_progress,
                   interrupted, reach, seat_counts, values,
                   pieces=neighbourhoods(inst, random.Random(params.seed), _PIECE_ACTIVITIES),
                   again=tactics.PlacedAgain(inst, Held()))
        for index, level in enumerate(params.levels):
            seconds = run.seconds_for(index)
            if seconds is None or not run.level(index, level, seconds):
                break
        result.interrupted = interrupted.is_set()
    if run.values is not None:
        proven = len(result.level_status) == len(params.levels) and all(
            status == "OPTIMAL" for _, status, _ in result.level_status)
        result.status = Status.OPTIMAL if proven else Status.FEASIBLE
        solution = run.values
        result.schedule = extract_schedule(inst, v, lambda var: solution[var.index])  # type: ignore[attr-defined]
    elif result.status is Status.INFEASIBLE:
        from optimizer.search.diagnose import proven_infeasible

        result.diagnosis = proven_infeasible()
    result.school = school
    if result.schedule is not None:
        result.report = check(school, result.schedule, seed=params.seed,
                              previous=inst.previous_schedule)
        if not result.report.ok:
            log.error("the checker rejected the schedule:\n%s", result.report.summary())
    return result


@dataclass
class _Run:
    """What the levels of one solve share: the model, its solver and the goals'
    expressions; the result being filled in; what each placement goal can reach and
    what the levels before held; the tactics' state; and the best schedule so far."""

    model: cp_model.CpModel
    solver: cp_model.CpSolver
    inst: Instance
    v: Variables
    expressions: dict[str, cp_model.LinearExprT]
    result: Result
    started: float
    on_progress: Callable[[Progress], None] | None
    stopped: threading.Event
    reach: dict[str, int]
    """Placement goal → the most it can reach, as maximized (``ceilings``)."""
    seat_counts: ceilings.SeatCounts | None
    values: list[int] | None
    """The best schedule so far, as a full assignment of the model's variables."""
    pieces: Iterator[tuple[frozenset[int], frozenset[int]]]
    again: tactics.PlacedAgain
    held: dict[str, int] = field(default_factory=dict)
    """Placement goal → the value (as maximized) a level fixed."""

    @property
    def params(self) -> Params:
        return self.result.params

    def seconds_for(self, index: int) -> float | None:
        """The level's share of the time left (a moment kept for reading the schedule
        back and checking it); None when no time is left or Ctrl-C was pressed."""
        params = self.params
        if params.deterministic:
            # Budgets from the clock would differ on a busy machine: share the limit in
            # deterministic work units, fixed in advance.
            remaining = params.time_limit * _weight_after(index, params.levels)
        else:
            remaining = params.time_limit - (time.monotonic() - self.started) - _RESERVE_S
        if remaining <= 0.05 or self.stopped.is_set():
            return None
        return _share(remaining, index, params.levels)

    def level(self, index: int, level: Level, seconds: float) -> bool:
        """Solve one level and hold what it reached; False when the solve must stop
        (proven infeasible)."""
        params, result, inst = self.params, self.result, self.inst
        self.again.held = ceilings.held_levels(self.held)
        if level == (("choice_points", 1),) and self.seat_counts is not None:
            ceilings.tighten_for_choice_points(inst, self.reach, self.seat_counts, self.held)
        objective = sum(weight * GOALS[name].sense * self.expressions[name]
                        for name, weight in level)
        combined, scale, ceiling = ceilings.with_tie_break(
            objective, level, params.levels[index + 1:], self.expressions, self.reach,
            choosers=len(self.v.served) + inst.unreachable)
        label = "+".join(name for name, _ in level)
        if self.values is not None and ceilings.at_ceiling(level, result.goal_values, ceiling):
            self._proven_at_start(index, level, label, objective, ceiling)
            return True
        callback = cpsat.ProgressCallback(self.started, index, label, objective,
                                          list(self.v.served.values()), result.trace,
                                          self.on_progress)
        searched = tactics.Level(self.model, self.solver, params, self.v, combined, callback,
                                 self.stopped)
        level_start = time.monotonic()
        code, bound, found_values = _solve_level(searched, _Plan(level, objective, scale,
                                                                 ceiling),
                                                 seconds, self.values, self.pieces, self.again)
        result.level_status.append((label, self.solver.status_name(code),
                                    time.monotonic() - level_start))
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return self._nothing_found(code, level, objective, ceiling)
        self._found(found_values, level, objective, bound)
        return True

    def _nothing_found(self, code: cp_model.CpSolverStatus, level: Level,
                       objective: cp_model.LinearExprT, ceiling: float) -> bool:
        """A level that ended without a schedule: False when the school is proven to
        have none."""
        result = self.result
        if code == cp_model.MODEL_INVALID:
            raise RuntimeError(f"CP-SAT says the model is invalid (a bug of ours): "
                               f"{self.model.validate()}")
        if code == cp_model.INFEASIBLE:
            if self.values is not None:
                raise RuntimeError("CP-SAT calls the model infeasible though it holds a "
                                   "schedule (the warm start or an earlier level): a bug")
            result.status = Status.INFEASIBLE
            return False
        if self.values is not None:
            # No time to improve this level: still hold later levels to the value the
            # current schedule has, or they could trade it away.
            self._hold(level, objective, self._current(level))
            if len(level) == 1 and level[0][0] in PLACEMENT_GOALS:
                # What the goal can reach is still known without a search.
                name = level[0][0]
                result.bounds[name] = GOALS[name].sense * ceiling / level[0][1]
        return True

    def _found(self, found_values: list[int] | None, level: Level, objective: cp_model.LinearExprT,
               bound: float) -> None:
        """Keep a level's schedule when it is better, record the goal's bound, and hold
        what the level reached."""
        params, result = self.params, self.result
        found_goals = {name: int(self.solver.value(expr))
                       for name, expr in self.expressions.items()}
        if self.values is None or rank(found_goals, params.levels) > rank(result.goal_values,
                                                                          params.levels):
            self.values, result.goal_values = found_values, found_goals
        # Otherwise nothing was gained, here or in the goals after it: an equal schedule
        # found by the search may be worse on the levels still to come, so the level
        # keeps the one it started from (never return worse).
        if len(level) == 1:
            name = level[0][0]
            result.bounds[name] = GOALS[name].sense * bound / level[0][1]
            if name in PLACEMENT_GOALS and self.seat_counts is not None:
                ceilings.tighten_ceilings(self.inst, self.reach, result.bounds)
        self._hold(level, objective, self._current(level))

    def _current(self, level: Level) -> int:
        """The level's objective (as maximized) in the best schedule so far."""
        return sum(weight * GOALS[name].sense * self.result.goal_values[name]
                   for name, weight in level)

    def _hold(self, level: Level, objective: cp_model.LinearExprT, value: int) -> None:
        """Fix a level at ``value`` so later levels cannot trade it away."""
        self.model.add(objective >= value)
        ceilings.hold(level, value, self.held)

    def _proven_at_start(self, index: int, level: Level, label: str,
                         objective: cp_model.LinearExprT, ceiling: float) -> None:
        """A placement level already at its ceiling (the constructive schedule serves as
        many as the seats allow): proven best without a search, its time left to the
        levels after it, and shown on the progress line all the same."""
        result = self.result
        result.level_status.append((label, "OPTIMAL", 0.0))
        name = level[0][0]
        result.bounds[name] = result.goal_values[name]
        self._hold(level, objective, int(ceiling))
        point = Progress(elapsed=time.monotonic() - self.started, level=index, goal=label,
                         objective=ceiling, bound=ceiling,
                         placed=result.trace[-1].placed if result.trace else 0)
        result.trace.append(point)
        if self.on_progress is not None:
            self.on_progress(point)


@dataclass(frozen=True)
class _Plan:
    """A level's goals, its objective (maximized), the factor that objective carries in
    the tie-broken one, and the most it can reach (``ceilings.with_tie_break``)."""

    goals: Level
    objective: cp_model.LinearExprT
    scale: int
    ceiling: float


def _solve_level(searched: tactics.Level, plan: _Plan, seconds: float,
                 values: list[int] | None,
                 pieces: Iterator[tuple[frozenset[int], frozenset[int]]],
                 again: tactics.PlacedAgain
                 ) -> tuple[cp_model.CpSolverStatus, float, list[int] | None]:
    """Solve one level: (CP-SAT status, bound on the level's objective, solution or None).

    On return the solver holds the returned solution, so ``solver.value`` reads it.
    The levels that decide who gets a place search after a light presolve,
    which finds good schedules fastest; if not proven optimal they continue
    without presolve and without the tie-break, because on our models only the
    un-presolved LP bounds the number of unserved students usefully. In between,
    they search pieces of the school (``tactics.search_pieces``). Later
    levels start from a complete hint and have small objectives: presolving the
    whole model again would eat their time, so they skip it.
    """
    model, solver, params = searched.model, searched.solver, searched.params
    level, objective, stopped = plan.goals, plan.objective, searched.stopped
    main_level = any(name in PLACEMENT_GOALS for name, _ in level)
    small = len(model.proto.variables) < _PRESOLVE_MAX_VARS
    placed_again = len(level) == 1 and level[0][0] in tactics.PLACED_AGAIN and small
    phases = _phases(main_level, len(model.proto.variables), params.deterministic,
                     placed_again)
    code, bound, found = _whole_school(searched, plan, seconds * phases[0],
                                       main_level and small, values, may_go_on=phases[1] > 0)
    if found is None:
        return code, bound, values
    best = found
    best_value = solver.value(objective)
    if code == cp_model.OPTIMAL or best_value >= bound or stopped.is_set():
        return cp_model.OPTIMAL if best_value >= bound else code, bound, best
    # Time the placement program takes comes out of the next phase's (deterministic
    # runs count pieces and phases in advance instead). On models too large to presolve
    # in a level's share (5,000 students) it is left out: the program alone took 18 s
    # there, and the whole model could not take up its placement in the time left.
    later = [seconds * phases[1], seconds * phases[2]]
    searched.bound = bound
    place_again: Callable[[list[int], float], list[int]] | None = None
    if placed_again:
        place_again = functools.partial(tactics.place_again, searched, again,
                                        tactics.PLACED_AGAIN[level[0][0]])
        placing = time.monotonic()
        best = place_again(best, max(later) / 2)
        best_value = solver.value(objective)
        if best_value >= bound or stopped.is_set():
            return _proven(bound, best_value), bound, best
        if not params.deterministic:
            later[0 if later[0] >= 1.0 else 1] -= time.monotonic() - placing
    if later[0] >= 1.0:
        if place_again is not None:
            pieces = by_regret(again.inst, searched.v, best)
        best = tactics.search_pieces(searched, best, later[0], pieces, place_again)
        best_value = solver.value(objective)
        if best_value >= bound or stopped.is_set():
            return _proven(bound, best_value), bound, best
    if later[1] < 1.0:
        return _proven(bound, best_value), bound, best
    return _without_tie_break(searched, plan, later[1], seconds, values, best, bound)


def _whole_school(searched: tactics.Level, plan: _Plan, seconds: float, presolve: bool,
                  values: list[int] | None, may_go_on: bool
                  ) -> tuple[cp_model.CpSolverStatus, float, list[int] | None]:
    """The level's first phase: the whole model with the tie-break, from ``values``:
    (status, bound, schedule), the schedule None when it found nothing and nothing can
    go on from ``values``."""
    model, solver, params = searched.model, searched.solver, searched.params
    callback = searched.callback
    cpsat.configure(solver, params, seconds)
    solver.parameters.cp_model_presolve = presolve
    model.maximize(searched.combined)
    callback.scale, callback.ceiling = plan.scale, plan.ceiling
    if values is not None:
        hint_values(model, values)
    code = cpsat.run(solver, model, callback)
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = min(math.floor(solver.best_objective_bound / plan.scale), plan.ceiling)
        return code, bound, list(solver.response_proto.solution)
    if values is not None and may_go_on and not searched.stopped.is_set():
        # The whole school was too big to even take up the hint in its share (the
        # level's first seconds go to presolve): its pieces are not.
        cpsat.load(model, solver, searched.combined, values, params)
        return cp_model.FEASIBLE, plan.ceiling, values
    return code, solver.best_objective_bound / plan.scale, None


def _without_tie_break(searched: tactics.Level, plan: _Plan, seconds: float,
                       level_seconds: float, values: list[int] | None, best: list[int],
                       bound: float) -> tuple[cp_model.CpSolverStatus, float, list[int]]:
    """The level's last phase: the whole model on its objective alone, without presolve,
    whose LP bounds the number of unserved children usefully."""
    model, solver, params = searched.model, searched.solver, searched.params
    callback, objective = searched.callback, plan.objective
    best_value = solver.value(objective)
    cpsat.configure(solver, params, seconds)
    solver.parameters.cp_model_presolve = False
    model.maximize(objective)
    callback.scale = 1
    hint_values(model, best)
    second = cpsat.run(solver, model, callback)
    if second in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = min(bound, solver.best_objective_bound)
        searched.bound = bound
        if solver.value(objective) > best_value:
            best, best_value = list(solver.response_proto.solution), solver.value(objective)
            if plan.scale > 1 and not searched.stopped.is_set():
                # Found without the tie-break: recover what the moves cost the next goals.
                callback.scale = plan.scale
                best = tactics.relink(searched, values, best, level_seconds * tactics.POLISH_SHARE)
            return _proven(bound, best_value), bound, best
    # Keep the first phase's schedule (same level value, better tie-break): load it back.
    cpsat.load(model, solver, searched.combined, best, params)
    return _proven(bound, best_value), bound, best


def _proven(bound: float, value: float) -> cp_model.CpSolverStatus:
    return cp_model.OPTIMAL if bound <= value else cp_model.FEASIBLE


def _phases(main_level: bool, num_variables: int, deterministic: bool,
            placed_again: bool = False) -> tuple[float, float, float]:
    """A level's time as shares: the whole school (with the tie-break), pieces of it
    (``tactics.search_pieces``), the whole school without the tie-break and presolve (the
    LP's bound on unserved). Levels the placement program serves have better bounds
    than that LP's (optimizer/search/bounds.py), and their pieces gain most: no third phase."""
    if not main_level:
        return 1.0, 0.0, 0.0
    if num_variables < _PIECES_MIN_VARS:
        return (1.0, 0.0, 0.0) if deterministic else (0.6, 0.0, 0.3)
    if deterministic:
        return 0.3, 0.7, 0.0
    if placed_again and num_variables < _PRESOLVE_MAX_VARS:
        return 0.15, 0.85, 0.0
    # Without presolve the first phase finds no more than the third, which alone gives
    # the bound: it gets less then.
    return (0.15, 0.7, 0.15) if num_variables < _PRESOLVE_MAX_VARS else (0.1, 0.6, 0.3)


def _level_weights(levels: Sequence[Level]) -> list[int]:
    return [max(GOALS[name].time_weight for name, _ in level) for level in levels]


def _weight_after(index: int, levels: Sequence[Level]) -> float:
    """Share of the whole limit that levels ``index`` … last get together."""
    weights = _level_weights(levels)
    return sum(weights[index:]) / sum(weights)


def _share(remaining: float, index: int, levels: Sequence[Level]
           ) -> float:
    """Seconds for a level: those that decide who gets a place get most of the time, then
    the lottery; time a level leaves unused passes on to the next."""
    weights = _level_weights(levels)
    return remaining * weights[index] / sum(weights[index:])


