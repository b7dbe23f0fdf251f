"""``solve(school, ...) -> Result``: build the model, solve the goals in order, extract.

Goals are solved lexicographically: each level is optimized, its value is then
fixed as a constraint, and the next level starts from the previous solution
as a hint. A model CP-SAT calls invalid is our bug and raises.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import random
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum

import pandas as pd
from ortools.sat.python import cp_model

from models.check import CheckReport, check
from models.schedule import Schedule
from models.school import School
from optimizer.bounds import (
    Held,
    Seats,
    choice_points_bound,
    choice_points_flow_bound,
    choice_points_lp_bound,
    fewest_unserved,
    first_choice_seats,
    most_served_by_priority,
)
from optimizer.construct import Constructive, better, constructive_schedule
from optimizer.extract import extract_schedule
from optimizer.instance import Instance, build_instance
from optimizer.placement import OpenSection, Timetable, best_places
from optimizer.polish import by_regret, neighbourhoods, place_students, timetable_variables
from optimizer.rules import GOALS, HARD_RULES
from optimizer.rules.goals import max_choice_points, priority_weight, rank_points
from optimizer.rules.hard import term_cost
from optimizer.variables import Variables, create_variables
from optimizer.warmstart import hint_schedule, hint_values, rules_rejecting

log = logging.getLogger(__name__)

DEFAULT_TIME_LIMIT = 60.0
_RESERVE_S = 1.0
_PRESOLVE_MAX_VARS = 150_000
"""Above this, even one light presolve pass outlasts a main level's share of a minute
(5,000 students: 193k variables, no level result at all); the search then starts
at once and the un-presolved LP still gives bounds."""
DEFAULT_WORKERS = 2
_POLISH_SHARE = 0.1
_POLISH_MAX_S = 10.0
"""Time for placing the students again with the timetable fixed (optimizer/polish.py)."""
_PIECES_MIN_VARS = 50_000
"""From about 3,000 students (74k variables) the whole-school search barely moves from
the warm start in a minute, and pieces of the school do better; up to 1,500 (28k) the
whole-school search proves levels and bounds that pieces cannot."""
_PIECE_ACTIVITIES = 3
_PIECE_MIN_S, _PIECE_MAX_S = 2.0, 5.0
"""Time for one piece of the school searched again: a few seconds solve one on 3,000
students (most end FEASIBLE, not proven, but improved)."""
_PIECE_ONE_S = 3.0
"""…and for a piece of one activity (``polish.by_regret``): a second of it goes to
presolve; with 2 s, junior football's move on 3,000 students was missed in one of
three runs."""


class Status(Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a schedule, not proven best within the time limit
    INFEASIBLE = "infeasible"  # proven: no schedule keeps every rule
    NO_SOLUTION = "no solution"  # none found within the time limit, none proven impossible


@dataclass(frozen=True)
class Params:
    time_limit: float = DEFAULT_TIME_LIMIT
    workers: int = DEFAULT_WORKERS
    seed: int = 0
    deterministic: bool = False
    levels: tuple[tuple[tuple[str, int], ...], ...] = tuple(((name, 1),) for name in GOALS)
    """Lexicographic levels, each a weighted sum of (goal name, weight); see levels.py."""
    rules: tuple[str, ...] = tuple(HARD_RULES)
    warm_start: bool = True
    log_search: bool = False


@dataclass(frozen=True)
class Progress:
    """One improvement during search, for progress lines and plots."""

    elapsed: float
    level: int
    goal: str
    objective: float
    bound: float
    placed: int  # choosers placed in at least one choice


@dataclass
class Result:
    """What a solve found: status, the schedule (or None), goal values and bounds, the
    independent checker's report, timings and the progress trace."""

    status: Status
    schedule: Schedule | None
    params: Params
    goal_values: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, float] = field(default_factory=dict)
    """Best proven bound of each goal solved at its own level."""
    level_status: list[tuple[str, str, float]] = field(default_factory=list)
    """(goal, CP-SAT status, seconds) per lexicographic level."""
    wall_time: float = 0.0
    build_time: float = 0.0
    trace: list[Progress] = field(default_factory=list)
    interrupted: bool = False
    num_variables: int = 0
    num_constraints: int = 0
    diagnosis: list[str] = field(default_factory=list)
    source: str = "search"
    """Who made the schedule: "search" (CP-SAT, from the constructive schedule) or
    "constructive" (optimizer/construct.py, when the search found nothing better)."""
    notes: list[str] = field(default_factory=list)
    """What the Summary and the console say about how the schedule was found."""
    school: School | None = field(default=None, repr=False)
    report: CheckReport | None = field(default=None, repr=False)
    """The independent checker's verdict on the schedule (None without a schedule)."""

    @property
    def seed(self) -> int:
        return self.params.seed

    def kpis(self) -> pd.Series:
        """Headline numbers of this solve as a pandas Series (shares 0-1, money in yuan)."""
        row: dict[str, object] = {
            "status": self.status.value,
            "seed": self.seed,
            "wall_time_s": round(self.wall_time, 2),
            "checker_ok": None if self.report is None else self.report.ok,
            "unserved_gap": self.gap("unserved"),
            "priority_served_gap": self.gap("priority_served"),
            "first_choices_gap": self.gap("first_choices"),
            "choice_points_gap": self.gap("choice_points"),
        }
        if self.report is not None:
            row.update(self.report.kpis)
        return pd.Series(row, name="kpis")

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The contract's Sections and Assignments sheets as DataFrames (empty without a
        schedule), plus the progress trace."""
        from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
        from models.schedule_io import schedule_frames

        frames = {"Sections": pd.DataFrame(columns=list(SECTIONS_COLUMNS)),
                  "Assignments": pd.DataFrame(columns=list(ASSIGNMENTS_COLUMNS))}
        if self.schedule is not None and self.school is not None:
            for name, rows in schedule_frames(self.school, self.schedule).items():
                frames[name] = pd.DataFrame(rows)
        frames["Trace"] = pd.DataFrame([dataclasses.asdict(p) for p in self.trace])
        return frames

    def gap(self, goal: str) -> float | None:
        """Relative gap between the value found and the proven bound of a goal."""
        if goal not in self.bounds or goal not in self.goal_values:
            return None
        value, bound = self.goal_values[goal], self.bounds[goal]
        return abs(value - bound) / max(abs(value), 1.0)


def new_seed() -> int:
    """A fresh seed for a run that was not given one (reported so it can be replayed)."""
    return random.SystemRandom().randrange(1, 2**31 - 1)


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports the level's own objective and bound, also while a tie-break is added."""

    def __init__(self, start: float, level: int, goal: str, objective: cp_model.LinearExprT,
                 served: list[cp_model.IntVar], sink: list[Progress],
                 on_progress: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self._start, self._level, self._goal = start, level, goal
        self._objective = objective
        self._served, self._sink, self._on_progress = served, sink, on_progress
        self.scale = 1
        """The factor of the level's objective in the objective being solved."""
        self.ceiling: float = math.inf
        """The largest value the level's objective can take (caps a tie-broken bound)."""
        self.frozen_bound: float | None = None
        """The level's bound while a restricted search runs (its own bound is not one)."""

    def on_solution_callback(self) -> None:
        bound: float = math.floor(self.best_objective_bound / self.scale)
        bound = min(bound, self.ceiling)
        if self.frozen_bound is not None:
            bound = self.frozen_bound
        objective = self.value(self._objective)
        if self.frozen_bound is None and self.scale > 1 and objective >= self.ceiling:
            # The level's own goal is at its best (nobody unserved): the goals after it
            # have levels of their own, with their own time and bounds.
            self.stop_search()
        point = Progress(
            elapsed=time.monotonic() - self._start, level=self._level, goal=self._goal,
            objective=objective, bound=bound,
            placed=sum(self.value(v) for v in self._served),
        )
        self._sink.append(point)
        log.debug("level %d %s: %.0f (bound %.0f) at %.1fs", self._level, self._goal,
                  point.objective, point.bound, point.elapsed)
        if self._on_progress is not None:
            self._on_progress(point)


def build_model(school: School, params: Params, inst: Instance | None = None,
                ) -> tuple[cp_model.CpModel, Instance, Variables,
                           dict[str, cp_model.LinearExprT]]:
    """The CP-SAT model with the chosen hard rules and every goal's expression."""
    inst = inst or build_instance(school)
    model = cp_model.CpModel()
    v = create_variables(model, inst)
    for name in params.rules:
        HARD_RULES[name](model, inst, v)
    needed = {name for level in params.levels for name, _ in level}
    expressions = {name: GOALS[name].build(model, inst, v, params.seed)
                   for name in GOALS if name in needed}
    return model, inst, v, expressions


def solve(school: School, params: Params | None = None, *,
          on_progress: Callable[[Progress], None] | None = None, **settings: object) -> Result:
    """Find the best schedule for a validated school within the time limit.

    Settings come as a :class:`Params` or as its fields by keyword, e.g.
    ``solve(school, time_limit=30, workers=2, seed=7)``.
    """
    params = dataclasses.replace(params or Params(), **settings)  # type: ignore[arg-type]
    started = time.monotonic()
    from optimizer.diagnose import capacity_problems

    inst = build_instance(school)
    diagnosis = capacity_problems(inst)
    if diagnosis:
        log.info("capacity pre-check failed: %s", "; ".join(diagnosis))
        return Result(Status.INFEASIBLE, None, params, diagnosis=diagnosis,
                      wall_time=time.monotonic() - started, school=school)
    constructive = None
    if params.warm_start:
        constructive = constructive_schedule(school, inst, params.levels, params.seed)
    trace: list[Progress] = []
    if constructive is not None:
        unserved = constructive.goals["unserved"]
        point = Progress(elapsed=time.monotonic() - started, level=-1, goal="constructive",
                         objective=-unserved, bound=math.nan,
                         placed=len(inst.applicants) + inst.unreachable - unserved)
        trace.append(point)
        if on_progress is not None:
            on_progress(point)
    try:
        result = _search(school, params, inst, constructive, trace, started, on_progress)
    except MemoryError:
        if constructive is None:
            raise
        # The constructive schedule needs a fraction of what the model does.
        log.error("out of memory building or searching the model")
        result = Result(Status.NO_SOLUTION, None, params, trace=trace, school=school)
        _keep_the_better(result, constructive, "the search could not start: out of memory")
    else:
        if constructive is not None:
            _keep_the_better(result, constructive)
    result.wall_time = time.monotonic() - started
    return result


def _search(school: School, params: Params, inst: Instance, constructive: Constructive | None,
            trace: list[Progress], started: float,
            on_progress: Callable[[Progress], None] | None) -> Result:
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
    values: list[int] | None = None
    if constructive is not None:
        values = _warm_start(constructive.schedule, model, inst, v, expressions, params,
                             result)
    served = list(v.served.values())
    ceilings, seat_counts = _placement_ceilings(inst, params.rules)
    held: dict[str, int] = {}  # placement goal → the value (as maximized) a level fixed
    pieces = neighbourhoods(inst, random.Random(params.seed), _PIECE_ACTIVITIES)
    again = _Again(inst, Held())
    with _stop_on_interrupt(solver) as interrupted:
        for level_idx, level in enumerate(params.levels):
            # Keep a moment for reading the schedule back and checking it.
            if params.deterministic:
                # Budgets from the clock would differ on a busy machine: share the limit
                # in deterministic work units, fixed in advance.
                remaining = params.time_limit * _weight_after(level_idx, params.levels)
            else:
                remaining = params.time_limit - (time.monotonic() - started) - _RESERVE_S
            if remaining <= 0.05 or interrupted.is_set():
                break
            share = _share(remaining, level_idx, params.levels)
            again.held = _held(held)
            if level == (("choice_points", 1),) and seat_counts is not None:
                _tighten_for_choice_points(inst, ceilings, seat_counts, held)
            objective = sum(weight * GOALS[name].sense * expressions[name]
                            for name, weight in level)
            combined, scale, ceiling = _with_tie_break(
                objective, level, params.levels[level_idx + 1:], expressions, ceilings,
                choosers=len(v.served) + inst.unreachable)
            label = "+".join(name for name, _ in level)
            if values is not None and _at_ceiling(level, result.goal_values, ceiling):
                # Proven best already (the warm start serves as many as the seats allow):
                # nothing to search for; later goals have levels of their own.
                result.level_status.append((label, "OPTIMAL", 0.0))
                name = level[0][0]
                result.bounds[name] = result.goal_values[name]
                model.add(objective >= int(ceiling))
                _hold(level, int(ceiling), held)
                # Shown all the same: every goal appears on the progress line, with its
                # bound, from its level onward.
                point = Progress(elapsed=time.monotonic() - started, level=level_idx,
                                 goal=label, objective=ceiling, bound=ceiling,
                                 placed=trace[-1].placed if trace else 0)
                result.trace.append(point)
                if on_progress is not None:
                    on_progress(point)
                continue
            callback = _Progress(started, level_idx, label, objective, served, result.trace,
                                 on_progress)
            level_start = time.monotonic()
            code, bound, found_values = _solve_level(model, solver, params, share, values,
                                                     callback, level, objective, combined,
                                                     scale, ceiling, v, interrupted,
                                                     pieces, again)
            status_name = solver.status_name(code)
            result.level_status.append((label, status_name, time.monotonic() - level_start))
            if code == cp_model.MODEL_INVALID:
                raise RuntimeError(f"CP-SAT says the model is invalid (a bug of ours): "
                                   f"{model.validate()}")
            if code == cp_model.INFEASIBLE:
                if values is not None:
                    raise RuntimeError("CP-SAT calls the model infeasible though it holds a "
                                       "schedule (the warm start or an earlier level): a bug")
                result.status = Status.INFEASIBLE
                break
            if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if values is not None:
                    # No time to improve this level: still hold later levels to the value
                    # the current schedule has, or they could trade it away.
                    kept = sum(weight * GOALS[name].sense * result.goal_values[name]
                               for name, weight in level)
                    model.add(objective >= kept)
                    _hold(level, kept, held)
                    if len(level) == 1 and level[0][0] in _PLACEMENT_GOALS:
                        # What the goal can reach is still known without a search.
                        name = level[0][0]
                        result.bounds[name] = GOALS[name].sense * ceiling / level[0][1]
                continue
            values = found_values
            result.goal_values = {name: int(solver.value(expr))
                                  for name, expr in expressions.items()}
            found = int(solver.value(objective))
            if len(level) == 1:
                name = level[0][0]
                result.bounds[name] = GOALS[name].sense * bound / level[0][1]
                if name in _PLACEMENT_GOALS and seat_counts is not None:
                    _tighten_ceilings(inst, ceilings, result.bounds)
            # Fix this level so later levels cannot trade it away.
            model.add(objective >= found)
            _hold(level, found, held)
        result.interrupted = interrupted.is_set()
    if values is not None:
        proven = len(result.level_status) == len(params.levels) and all(
            status == "OPTIMAL" for _, status, _ in result.level_status)
        result.status = Status.OPTIMAL if proven else Status.FEASIBLE
        solution = values
        result.schedule = extract_schedule(inst, v, lambda var: solution[var.index])  # type: ignore[attr-defined]
    elif result.status is Status.INFEASIBLE:
        result.diagnosis = ["CP-SAT proved that no schedule keeps every rule, though the "
                            "capacity pre-checks passed; look at staff limits and "
                            "availability, room availability, sessions_per_week against "
                            "registered days, and the budget"]
    result.school = school
    if result.schedule is not None:
        result.report = check(school, result.schedule, seed=params.seed)
        if not result.report.ok:
            log.error("the checker rejected the schedule:\n%s", result.report.summary())
    return result


def _keep_the_better(result: Result, constructive: Constructive, reason: str | None = None
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


def _warm_start(schedule: Schedule, model: cp_model.CpModel, inst: Instance, v: Variables,
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
    _configure(solver, params, max(params.time_limit / 4, 1.0))
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


_PLACEMENT_GOALS = ("unserved", "priority_served", "first_choices", "choice_points")
"""The goals that decide who gets a place, in their default order: each level of them
is tie-broken by the ones after it, and they get the most search time."""


def _placement_ceilings(inst: Instance, rules: Sequence[str]
                        ) -> tuple[dict[str, int], SeatCounts | None]:
    """The largest value each placement goal can take, as maximized, and the seat
    counts behind them (for ``_tighten_for_choice_points``).

    The bounds of optimizer/bounds.py hold for the model with every hard rule; with
    some left out (only ever by choice, in experiments), only what no rule can change
    is known: every place variable true at once.
    """
    if not set(rules) >= set(HARD_RULES):
        weights = [(rank, priority_weight(inst, i))
                   for i, choices in inst.applicants.items() for _, rank in choices]
        return {"unserved": -inst.unreachable,
                "priority_served": sum(priority_weight(inst, i) for i in inst.applicants),
                "first_choices": sum(w for rank, w in weights if rank == 1),
                "choice_points": sum(rank_points(rank) * w for rank, w in weights)}, None
    counts = SeatCounts(Seats.count(inst), first_choice_seats(inst))
    unserved = fewest_unserved(inst, counts.seats)
    first = sum(counts.first.values())
    points = min(max_choice_points(inst), choice_points_bound(inst, unserved, first),
                 choice_points_flow_bound(inst, counts.seats))
    return {"unserved": -unserved,
            "priority_served": most_served_by_priority(inst, counts.seats),
            "first_choices": first, "choice_points": points}, counts


@dataclass(frozen=True)
class SeatCounts:
    """The per-activity counts ``optimizer.bounds`` computes once a solve."""

    seats: Seats
    first: dict[str, int]
    """Activity → the most priority-weighted first choices it can seat."""


def _hold(level: tuple[tuple[str, int], ...], kept: int, held: dict[str, int]) -> None:
    """Note that a placement level is fixed at ``kept``: every later schedule keeps it."""
    if len(level) == 1 and level[0][0] in _PLACEMENT_GOALS:
        name, weight = level[0]
        held[name] = -(-kept // weight)  # the goal, as maximized, is at least kept / weight


def _tighten_for_choice_points(inst: Instance, ceilings: dict[str, int],
                               counts: SeatCounts, held: dict[str, int]) -> None:
    """Before the choice-points level: the linear program of ``choice_points_lp_bound``,
    with what the levels before fixed (under a second on 3,000 students; once a solve,
    as the flow bound serves the tie-breaks before)."""
    bound = choice_points_lp_bound(inst, counts.seats, counts.first, _held(held))
    if bound is not None:
        ceilings["choice_points"] = min(ceilings["choice_points"], bound)


def _held(held: dict[str, int]) -> Held:
    return Held(unserved=-held["unserved"] if "unserved" in held else None,
                priority_served=held.get("priority_served"),
                first_choices=held.get("first_choices"))


def _tighten_ceilings(inst: Instance, ceilings: dict[str, int], bounds: dict[str, float]
                      ) -> None:
    """Fewer children can be served, or fewer have their first choice, than assumed at
    the start: the levels before proved it, so fewer choice points can be earned."""
    unserved = max(-ceilings["unserved"], math.ceil(bounds.get("unserved", 0) - 1e-9))
    first = ceilings["first_choices"]
    if "first_choices" in bounds:
        first = min(first, math.floor(bounds["first_choices"] + 1e-9))
    ceilings["choice_points"] = min(ceilings["choice_points"], choice_points_bound(
        inst, unserved=unserved, first_choices=first))


def _at_ceiling(level: tuple[tuple[str, int], ...], values: dict[str, int], ceiling: float
                ) -> bool:
    """A single placement goal whose current value is the most it can be."""
    if len(level) != 1 or level[0][0] not in _PLACEMENT_GOALS or level[0][0] not in values:
        return False
    name, weight = level[0]
    return weight * GOALS[name].sense * values[name] >= ceiling


def _ceiling(level: tuple[tuple[str, int], ...], known: dict[str, int]) -> float:
    """The largest value a level's objective (as maximized) can take, inf if unknown.

    CP-SAT's bound may exceed it: on a tie-broken objective it counts every later
    goal's best at once, and before its LP has run, every coefficient.
    """
    total = 0
    for name, weight in level:
        if name in known:
            total += weight * known[name]
        elif GOALS[name].sense > 0:
            return math.inf
        # Minimized goals (loads, cost, vendor shortfall) are never negative: -value <= 0.
    return total


def _with_tie_break(objective: cp_model.LinearExprT, level: tuple[tuple[str, int], ...],
                    later: Sequence[tuple[tuple[str, int], ...]],
                    expressions: dict[str, cp_model.LinearExprT], ceiling: dict[str, int],
                    choosers: int) -> tuple[cp_model.LinearExprT, int, float]:
    """Fewest unserved, ties broken by first choices, then by choice points — still
    exactly lexicographic. ``ceiling`` is ``_placement_ceilings``, computed once a solve;
    ``choosers`` the most children there are to leave unserved.

    Returns the objective to maximize, the factor the level's own objective carries
    in it (1 without a tie-break) and the largest value the level's own objective can
    take (its bound never needs to be above that).

    Solving "unserved" alone lets the search swap a good assignment for any other
    with the same count, throwing away the warm start's first choices and points
    before the next level begins. Scaling each goal above the largest possible total
    of the goals after it keeps their order and keeps what the hint had. The factors
    multiply, so the last tie-breaks are left out where the objective would pass
    2**53 (five priority levels weigh a child up to 17**4): beyond, CP-SAT's bounds,
    which are doubles, no longer divide exactly by the factor, and soon its 64-bit
    objective overflows. The goals left out still have levels of their own.
    """
    own = _ceiling(level, ceiling)
    if len(level) != 1 or level[0][0] not in _PLACEMENT_GOALS[:-1]:
        return objective, 1, own
    # The placement levels that follow at once, in their default order; a goal a
    # coordinator left out is skipped, one out of order ends the chain.
    chain: list[str] = []
    position = _PLACEMENT_GOALS.index(level[0][0])
    for following in later:
        name = following[0][0]
        if (len(following) != 1 or following[0][1] != 1 or name not in _PLACEMENT_GOALS
                or _PLACEMENT_GOALS.index(name) <= position):
            break
        chain.append(name)
        position = _PLACEMENT_GOALS.index(name)
    name, weight = level[0]
    extent = weight * (choosers if GOALS[name].sense < 0 else ceiling[name])
    while chain:
        largest = _largest_tie_break(chain, ceiling)
        if (largest + 1) * extent + largest <= _OBJECTIVE_LIMIT:
            break
        log.info("level %s: tie-break by %s left out (objective too large)", name, chain[-1])
        chain.pop()
    if not chain:
        return objective, 1, own
    rest: cp_model.LinearExprT = 0
    largest = 0
    for later_name in reversed(chain):
        rest = cp_model.LinearExpr.weighted_sum([expressions[later_name], rest],
                                                [largest + 1, 1])
        largest = ceiling[later_name] * (largest + 1) + largest
    scale = largest + 1
    return cp_model.LinearExpr.weighted_sum([objective, rest], [scale, 1]), scale, own


_OBJECTIVE_LIMIT = 2**53


def _largest_tie_break(chain: Sequence[str], ceiling: dict[str, int]) -> int:
    """The largest value the tie-break of goals ``chain`` can take, each goal scaled above
    the largest total of those after it (as ``_with_tie_break`` builds it)."""
    largest = 0
    for name in reversed(chain):
        largest = ceiling[name] * (largest + 1) + largest
    return largest


def _solve_level(model: cp_model.CpModel, solver: cp_model.CpSolver, params: Params,
                 seconds: float, values: list[int] | None,
                 callback: _Progress, level: tuple[tuple[str, int], ...],
                 objective: cp_model.LinearExprT, combined: cp_model.LinearExprT, scale: int,
                 ceiling: float, v: Variables, stopped: threading.Event,
                 pieces: Iterator[tuple[frozenset[int], frozenset[int]]], again: _Again,
                 ) -> tuple[cp_model.CpSolverStatus, float, list[int] | None]:
    """Solve one level: (CP-SAT status, bound on the level's objective, solution or None).

    On return the solver holds the returned solution, so ``solver.value`` reads it.
    The levels that decide who gets a place search after a light presolve,
    which finds good schedules fastest; if not proven optimal they continue
    without presolve and without the tie-break, because on our models only the
    un-presolved LP bounds the number of unserved students usefully. In between,
    they search pieces of the school (``_search_pieces``). Later
    levels start from a complete hint and have small objectives: presolving the
    whole model again would eat their time, so they skip it.
    """
    main_level = any(name in _PLACEMENT_GOALS for name, _ in level)
    small = len(model.proto.variables) < _PRESOLVE_MAX_VARS
    placed_again = len(level) == 1 and level[0][0] in _PLACED_AGAIN and small
    phases = _phases(main_level, len(model.proto.variables), params.deterministic,
                     placed_again)
    _configure(solver, params, seconds * phases[0])
    solver.parameters.cp_model_presolve = main_level and small
    model.maximize(combined)
    callback.scale, callback.ceiling = scale, ceiling
    if values is not None:
        hint_values(model, values)
    code = _run(solver, model, callback)
    bound: float
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best = list(solver.response_proto.solution)
        bound = min(math.floor(solver.best_objective_bound / scale), ceiling)
    elif values is not None and phases[1] > 0 and not stopped.is_set():
        # The whole school was too big to even take up the hint in its share (the
        # level's first seconds go to presolve): its pieces are not.
        best, bound, code = values, ceiling, cp_model.FEASIBLE
        _load(model, solver, combined, best, params)
    else:
        return code, solver.best_objective_bound / scale, values
    best_value = solver.value(objective)
    if code == cp_model.OPTIMAL or best_value >= bound or stopped.is_set():
        return cp_model.OPTIMAL if best_value >= bound else code, bound, best
    # Time the placement program takes comes out of the next phase's (deterministic
    # runs count pieces and phases in advance instead). On models too large to presolve
    # in a level's share (5,000 students) it is left out: the program alone took 18 s
    # there, and the whole model could not take up its placement in the time left.
    later = [seconds * phases[1], seconds * phases[2]]
    place_again: Callable[[list[int], float], list[int]] | None = None
    if placed_again:
        goals = _PLACED_AGAIN[level[0][0]]

        def place_again(values: list[int], seconds: float) -> list[int]:
            return _place_again(model, solver, params, v, again, goals, values, combined,
                                callback, bound, seconds)

        placing = time.monotonic()
        best = place_again(best, max(later) / 2)
        best_value = solver.value(objective)
        if best_value >= bound or stopped.is_set():
            return _proven(bound, best_value), bound, best
        if not params.deterministic:
            later[0 if later[0] >= 1.0 else 1] -= time.monotonic() - placing
    if later[0] >= 1.0:
        if place_again is not None:
            pieces = by_regret(again.inst, v, best)
        best = _search_pieces(model, solver, params, v, best, combined, callback, bound,
                              later[0], pieces, stopped, place_again)
        best_value = solver.value(objective)
        if best_value >= bound or stopped.is_set():
            return _proven(bound, best_value), bound, best
    if later[1] < 1.0:
        return _proven(bound, best_value), bound, best
    _configure(solver, params, later[1])
    solver.parameters.cp_model_presolve = False
    model.maximize(objective)
    callback.scale = 1
    hint_values(model, best)
    second = _run(solver, model, callback)
    if second in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        bound = min(bound, solver.best_objective_bound)
        if solver.value(objective) > best_value:
            best, best_value = list(solver.response_proto.solution), solver.value(objective)
            if scale > 1 and not stopped.is_set():
                # Found without the tie-break: recover what the moves cost the next goals.
                callback.scale = scale
                best = _relink(model, solver, params, v, values, best, combined, callback,
                               bound, seconds * _POLISH_SHARE)
            return _proven(bound, best_value), bound, best
    # Keep the first phase's schedule (same level value, better tie-break): load it back.
    _load(model, solver, combined, best, params)
    return _proven(bound, best_value), bound, best


def _proven(bound: float, value: float) -> cp_model.CpSolverStatus:
    return cp_model.OPTIMAL if bound <= value else cp_model.FEASIBLE


def _phases(main_level: bool, num_variables: int, deterministic: bool,
            placed_again: bool = False) -> tuple[float, float, float]:
    """A level's time as shares: the whole school (with the tie-break), pieces of it
    (``_search_pieces``), the whole school without the tie-break and presolve (the
    LP's bound on unserved). Levels the placement program serves have better bounds
    than that LP's (optimizer/bounds.py), and their pieces gain most: no third phase."""
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


def _search_pieces(model: cp_model.CpModel, solver: cp_model.CpSolver, params: Params,
                   v: Variables, best: list[int], combined: cp_model.LinearExprT,
                   callback: _Progress, bound: float, seconds: float,
                   pieces: Iterator[tuple[frozenset[int], frozenset[int]]],
                   stopped: threading.Event,
                   place_again: Callable[[list[int], float], list[int]] | None = None,
                   ) -> list[int]:
    """Search the school again a piece at a time (polish.neighbourhoods): a few
    activities that compete for rooms move, the children who chose them change places,
    the rest stays. Keeps every schedule at least as good; returns the best, loaded in
    the solver.

    With ``place_again`` (the placement program, ``_place_again``), every schedule a
    piece keeps is placed again whole: a piece moves sections for the children who
    chose them, and the seats this frees or makes reach further than the piece
    (3,000 students: a piece +20, the placement after it +114).

    On 3,000 students the whole model, searched for a minute, barely moves from the
    warm start, while pieces of it are searched in seconds each (docs/benchmarks.md).
    """
    # One activity and the placement program after it: short pieces, many of them.
    each = _PIECE_ONE_S if place_again else min(max(seconds / 3, _PIECE_MIN_S), _PIECE_MAX_S)
    rounds = int(seconds / each) if params.deterministic else None
    deadline = time.monotonic() + seconds
    best_value = solver.value(combined)
    holds_best, tried, improved = True, 0, 0
    callback.frozen_bound = bound
    try:
        while not stopped.is_set() and (tried < rounds if rounds is not None
                                        else deadline - time.monotonic() >= _PIECE_MIN_S / 2):
            piece = next(pieces, None)
            if piece is None:  # no activity anyone chose: nothing to search
                break
            free, students = piece
            tried += 1
            left = deadline - time.monotonic()
            _configure(solver, params, each if rounds is not None else min(each, left))
            found = place_students(model, solver, v, best, combined, free=free,
                                   students=students, search=lambda sv, m: _run(sv, m, callback))
            if found is None:
                holds_best = False
                continue
            value = solver.value(combined)
            log.debug("piece of %d sections, %d children: %s (best %s)", len(free),
                      len(students), value, best_value)
            # Without the placement program, a piece as good as the best is kept (it may
            # open the way for the next); with it, only a better one, which it places
            # again: a sideways move would cost the next level a placement for nothing.
            holds_best = value > best_value if place_again else value >= best_value
            if holds_best:
                better = value > best_value
                improved += better
                best, best_value = found, value
                if better and place_again is not None:
                    # Even past the deadline: what the piece moved is worth most placed
                    # again, and the next levels' time pays for a few seconds.
                    left = deadline - time.monotonic()
                    best = place_again(best, max(left, _COMPLETE_S) if rounds is None else each)
                    best_value = solver.value(combined)
    finally:
        callback.frozen_bound = None
    log.info("searched %d pieces of the school, %d improved it", tried, improved)
    if not holds_best:
        _load(model, solver, combined, best, params)
    return best


@dataclass
class _Again:
    """What placing the children again needs besides the model: the school, what the
    levels before fixed, and the last timetable placed (once placed, placing its
    children again finds nothing new)."""

    inst: Instance
    held: Held
    placed: frozenset[int] | None = None


_COMPLETE_S = 3.0
"""Time for the whole model to take a placement from the program (optimizer/placement.py)."""
_PLACED_AGAIN = {"first_choices": ("first_choices", "choice_points"),
                 "choice_points": ("choice_points",)}
"""Levels whose schedule the placement program improves, and the goals it maximizes."""


def _place_again(model: cp_model.CpModel, solver: cp_model.CpSolver, params: Params,
                 v: Variables, again: _Again, goals: Sequence[str], best: list[int],
                 combined: cp_model.LinearExprT, callback: _Progress, bound: float,
                 seconds: float) -> list[int]:
    """The timetable of ``best`` kept, the children placed again by the placement program
    (optimizer/placement.py), then loaded into the whole model, which places study and
    checks every rule. Returns the better schedule, loaded in the solver.

    The whole-school search and its pieces move one child at a time; a placement worth
    having often needs a chain of moves across activities that no piece holds.
    """
    inst = again.inst
    timetable = frozenset(var.index for _, var in timetable_variables(v) if best[var.index])
    if timetable == again.placed:
        return best
    again.placed = timetable
    started = time.monotonic()
    best_value = solver.value(combined)
    members = best_places(inst, _timetable(inst, v, best, solver), again.held, goals)
    if members is None:
        return best
    values = list(best)
    placed: set[int] = set()
    sections = _open_sections(v, best)
    for var in v.place.values():
        values[var.index] = 0
    for s, group in zip(sections, members, strict=True):
        for i in group:
            values[v.place[i, s].index] = 1
            placed.add(i)
    for i, var in v.served.items():
        values[var.index] = int(i in placed)
    # The hint is whole but for study, so a solution comes at once; proving it best for
    # the tie-breaks (study staff weigh on teachers' loads) is not worth the time.
    left = seconds if params.deterministic else seconds - (time.monotonic() - started)
    _configure(solver, params, min(max(left, 1.0), _COMPLETE_S))
    callback.frozen_bound = bound
    try:
        found = place_students(model, solver, v, values, combined, free=(), students=(),
                               search=lambda sv, m: _run(sv, m, callback))
    finally:
        callback.frozen_bound = None
    if found is not None and solver.value(combined) > best_value:
        log.info("placed the children again in the same timetable: %s → %s in %.1fs",
                 best_value, solver.value(combined), time.monotonic() - started)
        return found
    log.info("placing the children again gained nothing (%.1fs)", time.monotonic() - started)
    _load(model, solver, combined, best, params)
    return best


def _open_sections(v: Variables, values: Sequence[int]) -> list[int]:
    return [s for s, var in v.open.items() if values[var.index]]


def _timetable(inst: Instance, v: Variables, values: Sequence[int], solver: cp_model.CpSolver
               ) -> Timetable:
    """The open sections of ``values`` (loaded in ``solver``) and what the budget leaves
    for per-head fees."""
    slots: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for (s, o), var in v.meets.items():
        if values[var.index]:
            slots[s].update(inst.sections[s].options[o].slots)
    seats: dict[int, int] = {s: inst.sections[s].max_size for s in slots}
    for (s, _, c), var in v.room.items():
        if values[var.index]:
            seats[s] = min(seats[s], inst.room_classes[c].capacity)
    per_head = sum(inst.sections[s].activity.fee_per_student
                   for (_, s), var in v.place.items() if values[var.index])
    meetings = solver.value(term_cost(inst, v)) - per_head
    return Timetable(
        sections=[OpenSection(inst.sections[s], frozenset(slots[s]), seats[s])
                  for s in _open_sections(v, values)],
        fees_left=inst.school.info.term_budget - meetings)


def _relink(model: cp_model.CpModel, solver: cp_model.CpSolver, params: Params, v: Variables,
            start: list[int] | None, best: list[int], combined: cp_model.LinearExprT,
            callback: _Progress, bound: float, seconds: float) -> list[int]:
    """Place the students again around the level's schedule, the sections it moved free.

    A search that serves one more child takes the first schedule that does, and on
    the way moves sections that had nothing to do with it, losing first choices. With
    the sections that stayed where the level found them fixed and the moved ones free
    to move back, CP-SAT recovers them in a moment. Leaves ``best`` loaded in the
    solver; returns the (never worse) schedule.
    """
    moved = set() if start is None else {
        s for s, var in timetable_variables(v) if start[var.index] != best[var.index]}
    _configure(solver, params, min(max(seconds, 1.0), _POLISH_MAX_S))
    callback.frozen_bound = bound
    try:
        found = place_students(model, solver, v, best, combined, free=moved,
                               search=lambda sv, m: _run(sv, m, callback))
    finally:
        callback.frozen_bound = None
    if found is None:
        _load(model, solver, combined, best, params)
        return best
    log.info("relinked: %d moved sections free, the rest fixed", len(moved))
    return found


def _load(model: cp_model.CpModel, solver: cp_model.CpSolver, objective: cp_model.LinearExprT,
          values: list[int], params: Params) -> None:
    """Make ``values`` the solver's current solution, so ``solver.value`` reads them."""
    _configure(solver, params, 30.0)  # every variable fixed: quick, but never cut short
    solver.parameters.fix_variables_to_their_hinted_value = True
    model.maximize(objective)
    hint_values(model, values)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError("CP-SAT rejected a schedule it had just found: a bug of ours")


_TIME_WEIGHT = {"unserved": 4, "priority_served": 2, "first_choices": 4, "choice_points": 3,
                "lottery": 2}
"""Relative search time per goal's level (others 1): who gets a place comes first."""


def _level_weights(levels: Sequence[tuple[tuple[str, int], ...]]) -> list[int]:
    return [max(_TIME_WEIGHT.get(name, 1) for name, _ in level) for level in levels]


def _weight_after(index: int, levels: Sequence[tuple[tuple[str, int], ...]]) -> float:
    """Share of the whole limit that levels ``index`` … last get together."""
    weights = _level_weights(levels)
    return sum(weights[index:]) / sum(weights)


def _share(remaining: float, index: int, levels: Sequence[tuple[tuple[str, int], ...]]
           ) -> float:
    """Seconds for a level: those that decide who gets a place get most of the time, then
    the lottery; time a level leaves unused passes on to the next."""
    weights = _level_weights(levels)
    return remaining * weights[index] / sum(weights[index:])


def _configure(solver: cp_model.CpSolver, params: Params, seconds: float) -> None:
    p = solver.parameters
    p.catch_sigint_signal = False  # Ctrl-C is ours: see _stop_on_interrupt
    p.cp_model_presolve = True  # the phases below change these two; set them every time
    p.fix_variables_to_their_hinted_value = False
    p.random_seed = params.seed % (2**31)
    # Full presolve spends 15-20 s per level on a 3,000-student school, and every
    # lexicographic level presolves again; one light pass keeps most of its benefit.
    p.max_presolve_iterations = 1
    p.cp_model_probing_level = 0
    p.symmetry_level = 0
    p.log_search_progress = params.log_search
    if params.deterministic:
        # Wall-clock limits make runs differ; deterministic time units do not.
        p.num_workers = 1
        p.max_deterministic_time = seconds
        p.max_time_in_seconds = 10 * seconds + 60
    else:
        p.num_workers = params.workers
        p.max_time_in_seconds = seconds


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel,
         callback: cp_model.CpSolverSolutionCallback | None = None
         ) -> cp_model.CpSolverStatus:
    """Search in a helper thread so the main thread stays free to take Ctrl-C.

    Python runs signal handlers only in the main thread, and only between bytecodes:
    while the main thread sits inside CP-SAT's C++ search, Ctrl-C would wait for the
    search to end on its own.
    """
    outcome: list[cp_model.CpSolverStatus] = []
    failure: list[BaseException] = []

    def search() -> None:
        try:
            outcome.append(solver.solve(model, callback))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=search, name="cp-sat", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
    if failure:
        raise failure[0]
    return outcome[0]


@contextlib.contextmanager
def _stop_on_interrupt(solver: cp_model.CpSolver) -> Iterator[threading.Event]:
    """Ctrl-C stops the search; the best schedule found so far is still returned."""
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def handler(signum: int, frame: object) -> None:
        interrupted.set()
        solver.stop_search()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)
