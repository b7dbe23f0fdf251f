"""The children's best places in a fixed timetable, by linear programming.

With every section's days, room and staff decided, who goes where is a
transportation problem with a few side rules: one section per activity, at most
``wants`` places, never two at once, per-head fees within the cap and the budget,
sections within their sizes, and what the levels before fixed (how many are
served, priority served, first choices). Its linear relaxation is almost integral
(on the 3,000-student sample 8-16 of 2,495 children are fractional and the program
is 3 points above the best placement), so: solve the program with GLOP, keep every
child it places whole, and place the rest exactly with a small CP-SAT model.

CP-SAT's search on the whole school finds these placements slowly: a place that
opens for a priority child may need a chain of other children to move, one seat
each, across activities no neighbourhood holds together. On the 3,000-student
sample the program adds about 300 rank points to the schedule the first-choice
level leaves, in 3-7 seconds (docs/benchmarks.md).

This is a heuristic for the solver's levels, not a rule: solve.py loads its
placement into the full model, which keeps every hard rule (study included) and
takes it only if it is better there.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from models.time import Slot
from optimizer.model.instance import CandidateSection, Instance
from optimizer.model.rules.goals import priority_weight, rank_points
from optimizer.search.bounds import Held

log = logging.getLogger(__name__)

_FRACTIONAL = 1e-6
_STEP = 1024
_SECONDS = 10.0
"""For the small exact model of the children the program leaves fractional: tens of
children, solved in well under a second; a safety net only."""


@dataclass(frozen=True)
class OpenSection:
    """A section of the fixed timetable as the children see it."""

    section: CandidateSection
    slots: frozenset[Slot]
    seats: int


@dataclass(frozen=True)
class Timetable:
    sections: Sequence[OpenSection]
    fees_left: int
    """What the term budget leaves for per-head fees, the meetings paid for."""


GoalTerm = Callable[[int, int], int]
"""(child, rank) → what one place is worth to a goal."""
Terms = list[tuple[int, object]]
"""A linear expression as (coefficient, variable) pairs, for either solver."""


def best_places(inst: Instance, timetable: Timetable, held: Held,
                goals: Sequence[str]) -> list[set[int]] | None:
    """Members (children) of each open section: the most of ``goals[0]``, then of each
    next goal, among the placements that keep ``held``. None if the program fails or
    no placement keeps ``held`` (the caller keeps its schedule)."""
    started = time.monotonic()
    terms = [_GOAL_TERMS[goal](inst) for goal in goals]
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    program = _Placement(inst, timetable, held, _LinearProgram(lp), fixed={})
    objective = lp.Objective()
    for k, term in enumerate(terms):
        # One program for all goals: each outweighs the next by _STEP, enough in practice
        # for the vertex it finds; the exact model below weighs them strictly.
        for coefficient, var in program.worth(term):
            objective.SetCoefficient(var, objective.GetCoefficient(var)
                                     + coefficient * _STEP ** (len(terms) - 1 - k))
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        log.info("placement program: no optimum")
        return None
    values = {key: var.solution_value() for key, var in program.places.items()}  # type: ignore[attr-defined]
    fractional = {i for (i, _), value in values.items()
                  if _FRACTIONAL < value < 1 - _FRACTIONAL}
    fixed = {key: round(value) for key, value in values.items() if key[0] not in fractional}
    model = cp_model.CpModel()
    exact = _Placement(inst, timetable, held, _Exact(model), fixed=fixed)
    objective_terms: Terms = []
    for term in reversed(terms):  # lexicographic, exactly: each goal outweighs all after
        top = sum(abs(c) for c, _ in objective_terms) + 1
        objective_terms = [(c * top, var) for c, var in exact.worth(term)] + objective_terms
    model.maximize(_Exact.expression(objective_terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = _SECONDS  # the same result every run
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("placement program: rounding %d fractional children failed (%s)",
                 len(fractional), solver.status_name(code))
        return None
    members: list[set[int]] = [set() for _ in timetable.sections]
    for (i, k), var in exact.places.items():
        if solver.value(var):  # type: ignore[arg-type]
            members[k].add(i)
    log.info("placement program: %d possible places, %d children fractional, %.1fs",
             len(values), len(fractional), time.monotonic() - started)
    return members


class _LinearProgram:
    def __init__(self, lp: pywraplp.Solver) -> None:
        self.lp = lp

    def var(self, fixed: int | None) -> object:
        return self.lp.NumVar(0, 1, "")  # the program fixes nothing: ``fixed`` is None

    def row(self, terms: Terms, low: float, high: float) -> None:
        constraint = self.lp.RowConstraint(low, high, "")
        for coefficient, var in terms:  # each variable once per row
            constraint.SetCoefficient(var, coefficient)


class _Exact:
    def __init__(self, model: cp_model.CpModel) -> None:
        self.model = model

    def var(self, fixed: int | None) -> object:
        if fixed is None:
            return self.model.new_bool_var("")
        return self.model.new_constant(fixed)

    def row(self, terms: Terms, low: float, high: float) -> None:
        self.model.add_linear_constraint(
            self.expression(terms), math.ceil(low) if low > -math.inf else cp_model.INT_MIN,
            math.floor(high) if high < math.inf else cp_model.INT_MAX)

    @staticmethod
    def expression(terms: Terms) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.weighted_sum([var for _, var in terms],  # type: ignore[misc]
                                                [c for c, _ in terms])


class _Placement:
    """The placement rules, written once for the program and for the exact model."""

    def __init__(self, inst: Instance, timetable: Timetable, held: Held,
                 solver: _LinearProgram | _Exact, fixed: dict[tuple[int, int], int]) -> None:
        self.places: dict[tuple[int, int], object] = {}
        self.ranks: dict[tuple[int, int], int] = {}
        self._inst = inst
        self._timetable = timetable
        self._solver = solver
        self._fixed = fixed
        self._by_candidate = {open_.section.idx: k for k, open_ in enumerate(timetable.sections)}
        self._in_section: dict[int, Terms] = defaultdict(list)
        fees: Terms = []
        served: Terms = []
        for i, choices in inst.applicants.items():
            child = self._child(i, choices)
            if child is not None:
                own_fees, has_place = child
                fees.extend(own_fees)
                served.append((priority_weight(inst, i), has_place))
        self._section_sizes()
        self._copies_in_order()
        if fees:
            solver.row(fees, -math.inf, timetable.fees_left)
        self._keep_held(held, served)

    def worth(self, term: GoalTerm) -> Terms:
        return [(term(i, self.ranks[i, k]), p) for (i, k), p in self.places.items()]

    def _child(self, i: int, choices: Sequence[tuple[int, int]]) -> tuple[Terms, object] | None:
        """Child ``i``'s own rules: one section of an activity, one place at a time, at most
        ``wants`` places, per-head fees within the cap. Returns their fees and whether
        they have a place; None when no open section fits them."""
        opened = self._open_places(i, choices)
        if not opened:
            return None
        student = self._inst.students[i]
        mine: Terms = [(1, place) for _, _, place in opened]
        same_activity: dict[str, Terms] = defaultdict(list)
        at_once: dict[Slot, Terms] = defaultdict(list)
        own_fees: Terms = []
        for s, k, place in opened:
            activity = self._inst.sections[s].activity
            same_activity[activity.id].append((1, place))
            for slot in self._timetable.sections[k].slots:
                at_once[slot].append((1, place))
            if activity.fee_per_student:
                own_fees.append((activity.fee_per_student, place))
        for group in [*same_activity.values(), *at_once.values()]:
            if len(group) > 1:
                self._solver.row(group, -math.inf, 1)
        self._solver.row(mine, -math.inf, student.wants)
        cap = self._inst.school.info.student_fee_cap
        if sum(fee for fee, _ in own_fees) > cap:
            self._solver.row(own_fees, -math.inf, cap)
        settled = [self._fixed.get((i, k)) for _, k, _ in opened]
        has_place = self._solver.var(None if None in settled else int(any(settled)))
        self._solver.row([(1, has_place), *((-1, p) for _, p in mine)], -math.inf, 0)
        return own_fees, has_place

    def _open_places(self, i: int, choices: Sequence[tuple[int, int]]
                     ) -> list[tuple[int, int, object]]:
        """(candidate, open section, place) for each choice of child ``i`` the timetable
        offers in slots they stay for; a place fixed when the caller fixed it."""
        student = self._inst.students[i]
        opened: list[tuple[int, int, object]] = []
        for s, rank in choices:
            k = self._by_candidate.get(s)
            if k is None or not student.stays_for_all(self._timetable.sections[k].slots):
                continue
            place = self._solver.var(self._fixed.get((i, k)))
            self.places[i, k] = place
            self.ranks[i, k] = rank
            self._in_section[k].append((1, place))
            opened.append((s, k, place))
        return opened

    def _section_sizes(self) -> None:
        """Each open section between its activity's smallest size (at least one child) and
        its seats."""
        for k, open_ in enumerate(self._timetable.sections):
            self._solver.row(self._in_section[k], max(open_.section.activity.min_size, 1),
                             open_.seats)

    def _copies_in_order(self) -> None:
        """The model opens copies of a section in order, the larger first (its symmetry
        breaking): a placement that breaks the order would be rejected."""
        copies: dict[tuple[str, int], list[tuple[int, Terms]]] = defaultdict(list)
        for k, open_ in enumerate(self._timetable.sections):
            section = open_.section
            copies[section.activity.id, section.band.idx].append(
                (section.idx, self._in_section[k]))
        for same in copies.values():
            same.sort(key=lambda copy: copy[0])
            for (_, larger), (_, smaller) in itertools.pairwise(same):
                self._solver.row([*larger, *((-c, p) for c, p in smaller)], 0, math.inf)

    def _keep_held(self, held: Held, served: Terms) -> None:
        """What the levels before fixed: how many are served, priority served, first
        choices (``served`` is each child's priority weight and whether they have a place)."""
        inst = self._inst
        if held.unserved is not None:
            choosers = len(inst.applicants) + inst.unreachable
            self._solver.row([(1, h) for _, h in served], choosers - held.unserved, math.inf)
        if held.priority_served is not None:
            self._solver.row(served, held.priority_served, math.inf)
        if held.first_choices is not None:
            self._solver.row([(priority_weight(inst, i), p) for (i, k), p in self.places.items()
                              if self.ranks[i, k] == 1], held.first_choices, math.inf)


def _first_choices(inst: Instance) -> GoalTerm:
    return lambda i, rank: priority_weight(inst, i) if rank == 1 else 0


def _choice_points(inst: Instance) -> GoalTerm:
    return lambda i, rank: priority_weight(inst, i) * rank_points(rank)


_GOAL_TERMS: dict[str, Callable[[Instance], GoalTerm]] = {
    "first_choices": _first_choices, "choice_points": _choice_points}
