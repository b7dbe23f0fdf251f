"""``solve(school, ...) -> Result``: build the model, solve the goals in order, extract.

Goals are solved lexicographically: each level is optimized, its value is then
fixed as a constraint, and the next level starts from the previous solution
as a hint. A model CP-SAT calls invalid is our bug and raises.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Iterator
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
from optimizer.search import ceilings, construct, cpsat, levels, phases, tactics
from optimizer.search.bounds import Held
from optimizer.search.construct import Constructive, constructive_schedule, rank
from optimizer.search.levels import Level
from optimizer.search.polish import neighbourhoods
from optimizer.search.result import (
    DEFAULT_TIME_LIMIT,
    DEFAULT_WORKERS,
    NotSearched,
    Params,
    Progress,
    Result,
    Status,
    new_seed,
)
from optimizer.search.whole_sections import WholeSections

__all__ = ["DEFAULT_TIME_LIMIT", "DEFAULT_WORKERS", "NotSearched", "Params", "Progress",
           "Result", "Status", "build_model", "new_seed", "solve"]
"""The result types live in optimizer/search/result.py; they are named here too, so that
``from optimizer.search.solve import Params, solve`` is one line."""

log = logging.getLogger(__name__)


_RESERVE_S = 1.0


_PIECE_ACTIVITIES = 3


def build_model(school: School, params: Params, inst: Instance | None = None,
                give_up: Callable[[], bool] | None = None,
                ) -> tuple[cp_model.CpModel, Instance, Variables,
                           dict[str, cp_model.LinearExprT]]:
    """The CP-SAT model with the chosen hard rules and every goal's expression.

    ``give_up`` is asked between the rules (each takes up to 4 s at 5,000 students) and
    raises :class:`NotSearched` when it says so.
    """
    def checkpoint() -> None:
        if give_up is not None and give_up():
            raise NotSearched

    inst = inst or build_instance(school)
    model = cp_model.CpModel()
    v = create_variables(model, inst)
    for name in params.rules:
        checkpoint()
        HARD_RULES[name](model, inst, v)
    checkpoint()
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
    whole = _whole_sections(inst, params, resolving=previous is not None)
    try:
        constructive = _constructive(school, inst, params, trace, started, on_progress, stop,
                                     resolving=previous is not None, whole=whole)
        give_up = _give_up(params, started, stop, fallback=constructive is not None
                           and previous is None)
        result = _search_from(constructive, school, params, inst, trace, started,
                              on_progress, stop, whole, give_up)
    finally:
        if whole is not None:
            whole.unserved()  # stopped, so it holds no core once the solve is over
    result.wall_time = time.monotonic() - started
    return result


def _whole_sections(inst: Instance, params: Params, resolving: bool) -> WholeSections | None:
    """The whole-sections bound (``whole_sections.WholeSections``), to run beside the
    constructive schedule's restarts and the model's building; not for ``--deterministic``
    (what it proves depends on when it is stopped, and the levels' time on that), a
    re-solve (the previous schedule's moves come first) or rules left out."""
    if params.deterministic or resolving or not set(params.rules) >= set(HARD_RULES):
        return None
    # It runs beside every level, to the end of the last (its worker is stopped at once).
    return WholeSections(inst, seconds=params.time_limit - _RESERVE_S)


def _give_up(params: Params, started: float, stop: threading.Event | None, fallback: bool
             ) -> Callable[[], bool]:
    """Whether to give up the search before its levels begin: at Ctrl-C; or, with a
    constructive schedule to ``fallback`` on, once the time limit is reached (at 5,000
    students the model's building, the warm start and the ceilings take 20 s or more, and
    a 25 s limit had run to 34 s). Not by the clock in a deterministic run, whose
    schedule must not depend on it; a re-solve's fallback is no fallback (the greedy
    knows nothing of the moves), so it is not given."""
    def given_up() -> bool:
        if stop is not None and stop.is_set():
            return True
        return (fallback and not params.deterministic
                and time.monotonic() - started >= params.time_limit - _RESERVE_S)
    return given_up


def _constructive(school: School, inst: Instance, params: Params, trace: list[Progress],
                  started: float, on_progress: Callable[[Progress], None] | None,
                  stop: threading.Event | None, resolving: bool,
                  whole: WholeSections | None = None) -> Constructive | None:
    """The constructive schedule (when warm starts are on), each better one reported as
    progress the moment it is checked. ``whole`` hears of each (its cutoff), and of each
    better attempt before it is checked; it starts once the first two schedules are
    made, not before: the program it builds in Python would slow the warm greedy's first
    attempt."""
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
        if whole is not None:
            whole.found(unserved)

    return constructive_schedule(
        school, inst, params.levels, params.seed, construct.restarts_for(params, resolving),
        found, stop, on_better=whole.aim if whole is not None else None,
        on_paired=(lambda _: whole.start()) if whole is not None else None)


def _search_from(constructive: Constructive | None, school: School, params: Params,
                 inst: Instance, trace: list[Progress], started: float,
                 on_progress: Callable[[Progress], None] | None,
                 stop: threading.Event | None, whole: WholeSections | None,
                 give_up: Callable[[], bool]) -> Result:
    """The search, which only ever replaces the constructive schedule with a better
    checked one; that schedule stands when the search is stopped, given up (``give_up``)
    or runs out of memory."""
    reason = None
    try:
        if give_up():
            raise NotSearched  # building the model would only delay the answer
        result = _search(school, params, inst, constructive, trace, started, on_progress,
                         stop, whole, give_up)
    except NotSearched:
        stopped = stop is not None and stop.is_set()
        result = Result(Status.NO_SOLUTION, None, params, trace=trace, school=school,
                        interrupted=stopped, no_time_to_search=not stopped)
        if whole is not None and (proven := whole.unserved()) is not None:
            result.bounds["unserved"] = proven  # what SCIP proved by then still holds
    except MemoryError:
        if constructive is None:
            raise
        # The constructive schedule needs a fraction of what the model does.
        log.error("out of memory building or searching the model")
        result = Result(Status.NO_SOLUTION, None, params, trace=trace, school=school)
        reason = "the search could not start: out of memory"
    if constructive is not None:
        if reason is None and result.schedule is None:
            reason = ("the search was interrupted" if result.interrupted else
                      "the time limit was reached before the search could begin"
                      if result.no_time_to_search else None)
        construct.keep_the_better(result, constructive, reason)
    # Said only of the constructive schedule written as it was: a re-solve's repaired
    # schedule may stand without a level having run.
    result.no_time_to_search = result.no_time_to_search and result.source == "constructive"
    return result


def _search(school: School, params: Params, inst: Instance, constructive: Constructive | None,
            trace: list[Progress], started: float,
            on_progress: Callable[[Progress], None] | None,
            stop: threading.Event | None = None, whole: WholeSections | None = None,
            give_up: Callable[[], bool] = lambda: False) -> Result:
    """The lexicographic levels of CP-SAT, from the constructive schedule when there is one.

    Returns the result with the search's schedule (None if it found none) and the
    checker's verdict on it; raises :class:`NotSearched` when ``give_up`` says so before
    the first level.
    """
    model, inst, v, expressions = build_model(school, params, inst, give_up)
    result = Result(Status.NO_SOLUTION, None, params, build_time=time.monotonic() - started,
                    num_variables=len(model.proto.variables),
                    num_constraints=len(model.proto.constraints), trace=trace)
    log.info("model: %d variables, %d constraints, built in %.1fs", result.num_variables,
             result.num_constraints, result.build_time)
    solver = cp_model.CpSolver()
    values = None if constructive is None else construct.warm_start(
        constructive.schedule, model, inst, v, expressions, params, result, stop)
    if give_up():
        raise NotSearched
    # While the levels search, SCIP may go on proving how few children can be without a
    # place: the first level rarely gains (at 3,000 students the constructive schedule
    # stood on most of the grid's shapes), and its bound is what says how good the
    # schedule is (two-each at 3,000 proved 740 within 17 s; vendor-heavy 217 by the
    # end of the first level, 225 by the end of the solve, against 228 found).
    runs_on = whole is not None and params.levels[:1] == ((("unserved", 1),),)
    reach, seat_counts = ceilings.placement_ceilings(inst, params.rules, whole,
                                                     stop_whole=not runs_on, give_up=give_up)
    with cpsat.stop_on_interrupt(solver, stop) as interrupted:
        repaired = construct.repaired_start(model, solver, inst, v, expressions, params)
        if repaired is not None and (values is None or rank(repaired[1], params.levels)
                                     > rank(result.goal_values, params.levels)):
            values, result.goal_values = repaired
        run = _Run(model, solver, inst, v, expressions, result, started, on_progress,
                   interrupted, reach, seat_counts, values,
                   pieces=neighbourhoods(inst, random.Random(params.seed), _PIECE_ACTIVITIES),
                   again=tactics.PlacedAgain(inst, Held()),
                   whole=whole if runs_on else None)
        for index, level in enumerate(params.levels):
            seconds = run.seconds_for(index)
            if seconds is None or not run.level(index, level, seconds):
                break
        run.settle_whole(stop=True)
        result.interrupted = interrupted.is_set()
        result.no_time_to_search = not result.level_status and not result.interrupted
    return _checked_result(school, result, inst, v, run.values)


def _checked_result(school: School, result: Result, inst: Instance, v: Variables,
                    values: list[int] | None) -> Result:
    """The result with the search's best schedule (``values``) read back, its status, and
    the checker's verdict on it."""
    levels = result.params.levels
    if values is not None:
        proven = len(result.level_status) == len(levels) and all(
            status == "OPTIMAL" for _, status, _ in result.level_status)
        result.status = Status.OPTIMAL if proven else Status.FEASIBLE
        result.schedule = extract_schedule(inst, v, lambda var: values[var.index])  # type: ignore[attr-defined]
    elif result.status is Status.INFEASIBLE:
        from optimizer.search.diagnose import proven_infeasible

        result.diagnosis = proven_infeasible()
    result.school = school
    if result.schedule is not None:
        result.report = check(school, result.schedule, seed=result.params.seed,
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
    whole: WholeSections | None = None
    """The whole-sections program, while it runs beside the levels."""

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
            remaining = params.time_limit * levels.weight_after(index, params.levels)
        else:
            remaining = params.time_limit - (time.monotonic() - self.started) - _RESERVE_S
        if remaining <= 0.05 or self.stopped.is_set():
            return None
        return levels.share(remaining, index, params.levels)

    def level(self, index: int, level: Level, seconds: float) -> bool:
        """Solve one level and hold what it reached; False when the solve must stop
        (proven infeasible)."""
        try:
            return self._level(index, level, seconds)
        finally:
            if self.whole is not None and "unserved" in self.result.goal_values:
                self.whole.found(self.result.goal_values["unserved"])
                self.whole.start()
            self.settle_whole(stop=False)

    def settle_whole(self, stop: bool) -> None:
        """Take the whole-sections program's bound, the fewest children any schedule
        leaves without a place, once it has ended (``stop``: stop it first)."""
        whole = self.whole
        if whole is None or not (stop or whole.ended()):
            return
        self.whole = None
        proven = whole.unserved()
        if proven is None:
            return
        result = self.result
        found = result.goal_values.get("unserved")
        if found is not None and proven > found:
            log.warning("whole sections: a bound of %d without a place is above the "
                        "schedule's %d; not used", proven, found)
            return
        log.info("whole sections: at least %d children without a place", proven)
        before = result.bounds.get("unserved")
        result.bounds["unserved"] = max(before if before is not None else proven, proven)
        if found is not None and (before is None or proven > before):
            point = Progress(elapsed=time.monotonic() - self.started, level=0,
                             goal="unserved", objective=-found, bound=-proven,
                             placed=result.trace[-1].placed if result.trace else 0)
            result.trace.append(point)
            if self.on_progress is not None:
                self.on_progress(point)
        self.reach["unserved"] = min(self.reach["unserved"], -proven)
        if found == proven and result.level_status and result.level_status[0][0] == "unserved":
            label, _, seconds = result.level_status[0]
            result.level_status[0] = (label, "OPTIMAL", seconds)

    def _level(self, index: int, level: Level, seconds: float) -> bool:
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
        plan = phases.Plan(level, objective, scale, ceiling)
        code, bound, found_values = phases.solve_level(searched, plan, seconds, self.values,
                                                       self.pieces, self.again)
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
