"""One level of the lexicographic search and its phases: the whole school with the
tie-break, pieces of it and placing the children again (``tactics``), then the whole
school without the tie-break and presolve, whose LP bounds the number of children
left out. The level loop (``solve.py``) calls :func:`solve_level` once per level.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.model.rules import PLACEMENT_GOALS
from optimizer.model.warmstart import hint_values
from optimizer.search import cpsat, tactics
from optimizer.search.levels import Level
from optimizer.search.polish import by_regret

log = logging.getLogger(__name__)


_PRESOLVE_MAX_VARS = 150_000
"""Above this, even one light presolve pass outlasts a main level's share of a minute
(5,000 students: 193k variables, no level result at all); the search then starts
at once and the un-presolved LP still gives bounds."""


_PIECES_MIN_VARS = 50_000
"""From about 3,000 students (74k variables) the whole-school search barely moves from
the warm start in a minute, and pieces of the school do better; up to 1,500 (28k) the
whole-school search proves levels and bounds that pieces cannot."""


@dataclass(frozen=True)
class Plan:
    """A level's goals, its objective (maximized), the factor that objective carries in
    the tie-broken one, and the most it can reach (``ceilings.with_tie_break``)."""

    goals: Level
    objective: cp_model.LinearExprT
    scale: int
    ceiling: float


def solve_level(searched: tactics.Level, plan: Plan, seconds: float,
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


def _whole_school(searched: tactics.Level, plan: Plan, seconds: float, presolve: bool,
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


def _without_tie_break(searched: tactics.Level, plan: Plan, seconds: float,
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
