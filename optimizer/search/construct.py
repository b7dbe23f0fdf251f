"""The constructive schedule: complete and checked before any search, at any size.

The greedy (optimizer/search/greedy.py) builds two schedules in about a second even on
5,000 students: the coordinator's way by hand, and the same improved (the warm
start's orders and the flow placement). Each is checked by the independent checker
on its own; the better of them, lexicographically on the levels being solved, is
the constructive schedule. The search starts from it and only ever replaces it
with a better checked schedule; when the search finds nothing (no time, no
memory, a model that will not take it), it is what gets written.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.check import CheckReport, check
from models.locks import locks_kept
from models.previous import Previous
from models.schedule import Schedule
from models.school import School
from optimizer.model.instance import Instance
from optimizer.model.previous import intact
from optimizer.model.rules import GOALS
from optimizer.model.variables import Variables
from optimizer.model.warmstart import hint_schedule, rules_rejecting
from optimizer.search import cpsat
from optimizer.search.levels import Levels
from optimizer.search.result import Params, Result, Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Constructive:
    """A complete schedule the checker accepted, with its goal values."""

    schedule: Schedule
    report: CheckReport
    method: str
    """"warm" (the greedy improved) or "by hand" (the coordinator's baseline)."""
    seconds: float

    @property
    def goals(self) -> dict[str, int]:
        return self.report.goals


def rank(goals: dict[str, int], levels: Levels) -> tuple[int, ...]:
    """A schedule's goal values as one tuple to compare: larger is better, level by level."""
    return tuple(sum(weight * GOALS[name].sense * goals.get(name, 0) for name, weight in level)
                 for level in levels)


@dataclass(frozen=True)
class Restarts:
    """How long the warm greedy goes on after its first two attempts, trying other orders
    of children and levelled periods (``greedy.WarmGreedy``)."""

    most: int = 0
    patience: int = 8
    """Stop after this many reshuffles in a row found nothing better (each fresh way of
    building is tried once whatever it finds: ``greedy.WarmGreedy.try_orders``)."""
    seconds: float | None = None
    """Wall-clock allowance from the start of the restarts; None counts orders only (the
    same attempts every run, for ``--deterministic``)."""


def restarts_for(params: Params, resolving: bool = False) -> Restarts:
    """The restarts a solve can afford: a sixth of the time limit, the search keeping the
    rest (at 5,000 students an attempt takes 1-3 s, at 600 a tenth of that; patience
    ends them sooner where new attempts stop paying). Deterministic runs count them. A
    re-solve has none: its start is the previous schedule repaired, of which the
    greedy knows nothing, and that repair takes the time instead."""
    if resolving:
        return Restarts()
    if params.deterministic:
        return Restarts(most=8)
    return Restarts(most=64, seconds=params.time_limit / 6)


def constructive_schedule(school: School, inst: Instance, levels: Levels, seed: int,
                          restarts: Restarts = Restarts(),
                          on_found: Callable[[Constructive], None] | None = None,
                          stop: threading.Event | None = None,
                          on_better: Callable[[int], None] | None = None,
                          on_paired: Callable[[Constructive], None] | None = None
                          ) -> Constructive | None:
    """The best complete schedule of the greedy that the checker accepts; None when the
    greedy finds no way to seat and staff study even with no activity open.

    First the coordinator's way by hand, checked and reported to ``on_found`` at once:
    it takes a second or three, where the warm greedy's first attempt, which hands staff
    over, takes up to 9 s at 5,000 students, and the first schedule should not wait for
    it. Then that attempt, reported if better; ``on_paired`` is told the better of the
    two. Then the warm greedy tries more attempts within ``restarts`` (or until ``stop``
    is set), and a better schedule is checked and reported again; ``on_better`` hears at
    once how many children each better attempt leaves without a place, before any check.
    """
    from optimizer.search.greedy import WarmGreedy, greedy_schedule

    started = time.monotonic()
    previous = inst.previous.previous if inst.previous is not None else None
    hand = greedy_schedule(school, inst, seed=seed)
    best = None if hand is None else _checked(school, hand, "by hand", seed, started,
                                              previous)
    if best is not None:
        _found(best, on_found)
    warm = WarmGreedy(school, inst, seed)
    warm.try_orders(most=1)
    first = None if warm.best is None else _checked(school, warm.best.schedule, "warm",
                                                    seed, started, previous)
    if first is not None and (best is None or better(first.goals, best.goals, levels)):
        best = first
        _found(best, on_found)
    if best is None:
        log.info("constructive schedule: none (study cannot be seated and staffed greedily)")
        return None
    if on_paired is not None:
        on_paired(best)
    deadline = None if restarts.seconds is None else time.monotonic() + restarts.seconds
    if restarts.most and warm.best is not None and warm.try_orders(
            most=restarts.most, patience=restarts.patience, deadline=deadline, stop=stop,
            better=on_better):
        again = _checked(school, warm.best.schedule, "warm", seed, started, previous)
        if again is not None and better(again.goals, best.goals, levels):
            best = again
            _found(best, on_found)
    log.info("constructive schedule: %d orders of children tried in %.1fs", warm.tried + 1,
             time.monotonic() - started)
    return best


def _checked(school: School, schedule: Schedule, method: str, seed: int, started: float,
             previous: Previous | None = None) -> Constructive | None:
    report = check(school, schedule, seed=seed,
                   previous=previous.schedule if previous is not None else None)
    if not report.ok:
        # The greedy is ours: a schedule it makes that breaks a rule is a bug, but
        # the search can still do without it.
        log.warning("constructive schedule (%s) breaks rule(s) %s; not used", method,
                    ", ".join(sorted({str(v.rule) for v in report.violations})))
        return None
    if previous is not None and locks_kept(previous.schedule, previous.locks, schedule):
        # The greedy knows nothing of a re-solve's locks: a schedule that moves a locked
        # item is no start, and must never be what is written.
        log.info("constructive schedule (%s) does not keep the locks; not used", method)
        return None
    return Constructive(schedule, report, method, time.monotonic() - started)


def _found(built: Constructive, on_found: Callable[[Constructive], None] | None) -> None:
    log.info("constructive schedule (%s) in %.1fs: %d unserved", built.method, built.seconds,
             built.goals.get("unserved", -1))
    if on_found is not None:
        on_found(built)


def better(goals: dict[str, int], than: dict[str, int], levels: Levels) -> bool:
    """Whether goal values ``goals`` are lexicographically better than ``than``."""
    return rank(goals, levels) > rank(than, levels)


def keep_the_better(result: Result, constructive: Constructive, reason: str | None = None
                     ) -> None:
    """The search only ever replaces the constructive schedule with a better checked one:
    when it found none, or one the checker rejects, or one worse on the goals (the
    search's levels hold their values, so that would be a bug), the constructive
    schedule is the result."""
    levels = result.params.levels
    report = result.report
    if report is not None and report.ok and better(report.goals, constructive.goals, levels):
        return
    tied = report is not None and report.ok and not better(constructive.goals, report.goals,
                                                           levels)
    # Tied on every level, what the search proved of its schedule holds of this one.
    if not tied and result.status is Status.INFEASIBLE:
        log.error("CP-SAT called the model infeasible, but the constructive schedule keeps "
                  "every rule: the model is stricter than the contract (a bug of ours)")
    elif not tied and report is not None:
        log.warning("the search's schedule is %s the constructive one: keeping the "
                    "constructive schedule", "worse than" if report.ok else "rejected, unlike")
    reason = reason or ("the search found no schedule in time" if result.schedule is None
                        else "the search found nothing better")
    result.schedule, result.report = constructive.schedule, constructive.report
    result.goal_values = dict(constructive.goals)
    if not tied:
        result.status = Status.FEASIBLE
    result.source = "constructive"
    result.notes.append(f"the constructive schedule ({constructive.method}): {reason}")
    log.info("writing the constructive schedule: %s", reason)


REPAIR_SHARE = 1 / 6
"""The share of the time limit a re-solve gives CP-SAT to repair the previous schedule."""


def repaired_start(model: cp_model.CpModel, solver: cp_model.CpSolver, inst: Instance,
                   v: Variables, expressions: dict[str, cp_model.LinearExprT], params: Params
                   ) -> tuple[list[int], dict[str, int]] | None:
    """A re-solve's start: the previous schedule, repaired by CP-SAT for the school as it is
    now, on the first level alone (the fewest moves); (values, goal values), or None when
    there is no previous schedule or nothing was found in time.

    Hinted with every decision of the previous schedule, CP-SAT finds the nearest
    complete schedule first: the children who joined, and those whose section is gone,
    are placed, and everything that still holds stays. The greedy's constructive
    schedule knows nothing of the previous one.
    """
    previous = inst.previous_schedule
    if previous is None or not params.levels:
        return None
    hint_schedule(model, inst, v, previous)
    # Ties broken by children served: the first level alone leaves the children who joined
    # and those whose section is gone unplaced, and the levels after it start from there.
    first = cp_model.LinearExpr.weighted_sum(
        [expressions[name] for name, _ in params.levels[0]],
        [weight * GOALS[name].sense for name, weight in params.levels[0]])
    served = cp_model.LinearExpr.sum(list(v.served.values()))
    model.maximize(cp_model.LinearExpr.weighted_sum([first, served], [len(v.served) + 1, 1]))
    seconds = max(params.time_limit * REPAIR_SHARE, 1.0)
    # First a copy of the model with every section the change left whole fixed as it was,
    # and its children in it: presolve removes all that, and the search is left only what
    # changed. On 3,000 students the hint alone gave a start that moved 136 children
    # needlessly; assumptions instead of fixed values, which presolve cannot remove, 988
    # on a busy machine.
    kept = model.clone()
    for literal in intact(inst, v):
        domain = kept.proto.variables[literal.index].domain
        domain.clear()
        domain.extend([1, 1])
    started = time.monotonic()
    cpsat.configure(solver, params, seconds)
    code = cpsat.run(solver, kept)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("re-solve: keeping every whole section as it was fails (%s); repairing "
                 "from the hint alone", solver.status_name(code))
        # Not CP-SAT's repair_hint: with two workers it stops OR-Tools 9.15 on a failed
        # check (heuristics.fixed_search) on the 3,000-student sample.
        left = seconds - (time.monotonic() - started)
        cpsat.configure(solver, params, seconds if params.deterministic else max(left, 1.0))
        code = cpsat.run(solver, model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("re-solve: no repair of the previous schedule in time (%s)",
                 solver.status_name(code))
        return None
    goals = {name: int(solver.value(expr)) for name, expr in expressions.items()}
    log.info("re-solve: the previous schedule repaired, %s",
             ", ".join(f"{name} {goals[name]}" for name, _ in params.levels[0]))
    return list(solver.response_proto.solution), goals


def warm_start(schedule: Schedule, model: cp_model.CpModel, inst: Instance, v: Variables,
                expressions: dict[str, cp_model.LinearExprT], params: Params, result: Result,
                stop: threading.Event | None = None) -> list[int] | None:
    """The constructive schedule, completed by CP-SAT into a full first solution.

    The schedule fixes every decision; a short search with those values fixed fills
    in the helper variables (loads, clash literals), so the first level starts
    from a complete, feasible hint. A schedule the checker accepted and the model
    rejects means the model is stricter than the contract: a warning names the rule.
    ``stop`` ends it at once (it takes 4 s at 5,000 students), with None.
    """
    hint_schedule(model, inst, v, schedule)
    solver = cp_model.CpSolver()
    cpsat.configure(solver, params, max(params.time_limit / 4, 1.0))
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    if stop is None:
        code = solver.solve(model)
        cpsat.give_back_memory()
    else:
        with cpsat.stop_on_interrupt(solver, stop):
            code = cpsat.run(solver, model)
        if stop.is_set():
            return None  # stopped, not rejected
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        rejecting = (rules_rejecting(inst, schedule, params.rules)
                     if code == cp_model.INFEASIBLE else [])
        log.warning("warm start: the model rejects the constructive schedule (%s)%s",
                    solver.status_name(code),
                    f"; rule(s) {', '.join(rejecting)} reject it alone" if rejecting else "")
        return None
    values = list(solver.response_proto.solution)
    result.goal_values = {name: int(solver.value(expr)) for name, expr in expressions.items()}
    log.info("warm start: %d unserved", result.goal_values.get("unserved", -1))
    return values
