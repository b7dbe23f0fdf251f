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
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.check import CheckReport, check
from models.schedule import Schedule
from models.school import School
from optimizer.model.instance import Instance
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


def constructive_schedule(school: School, inst: Instance, levels: Levels, seed: int
                          ) -> Constructive | None:
    """The better of the greedy's two schedules that the checker accepts; None when the
    greedy finds no way to seat and staff study even with no activity open."""
    from optimizer.search.greedy import greedy_schedule

    started = time.monotonic()
    found: list[tuple[str, Schedule, CheckReport]] = []
    for method, reassign in (("warm", True), ("by hand", False)):
        schedule = greedy_schedule(school, inst, reassign=reassign, seed=seed)
        if schedule is None:
            continue
        report = check(school, schedule, seed=seed)
        if not report.ok:
            # The greedy is ours: a schedule it makes that breaks a rule is a bug, but
            # the search can still do without it.
            log.warning("constructive schedule (%s) breaks rule(s) %s; not used", method,
                        ", ".join(sorted({str(v.rule) for v in report.violations})))
            continue
        found.append((method, schedule, report))
    if not found:
        log.info("constructive schedule: none (study cannot be seated and staffed greedily)")
        return None
    method, schedule, report = max(found, key=lambda f: rank(f[2].goals, levels))
    built = Constructive(schedule, report, method, time.monotonic() - started)
    log.info("constructive schedule (%s) in %.1fs: %d unserved", method, built.seconds,
             report.goals.get("unserved", -1))
    return built


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


def warm_start(schedule: Schedule, model: cp_model.CpModel, inst: Instance, v: Variables,
                expressions: dict[str, cp_model.LinearExprT], params: Params, result: Result
                ) -> list[int] | None:
    """The constructive schedule, completed by CP-SAT into a full first solution.

    The schedule fixes every decision; a short search with those values fixed fills
    in the helper variables (loads, clash literals), so the first level starts
    from a complete, feasible hint. A schedule the checker accepted and the model
    rejects means the model is stricter than the contract: a warning names the rule.
    """
    hint_schedule(model, inst, v, schedule)
    solver = cp_model.CpSolver()
    cpsat.configure(solver, params, max(params.time_limit / 4, 1.0))
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    code = solver.solve(model)
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
