"""The model with one assumption literal per changeable fact, and its solves."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.explain.facts import Guarded, guarded_facts
from optimizer.model.instance import Instance
from optimizer.model.rules import HARD_RULES
from optimizer.model.variables import Variables, create_variables
from optimizer.search.cpsat import give_back_memory

log = logging.getLogger(__name__)

_PROOFS = 4
"""Times the slowest proof of impossibility that a later solve may take."""


@dataclass
class GuardedModel:
    """The model with one literal per fact, and how to solve it."""

    model: cp_model.CpModel
    inst: Instance
    v: Variables
    facts: list[Guarded]
    literals: list[cp_model.IntVar]
    seconds: float
    """Most seconds for one solve."""
    workers: int
    deadline: float
    """time.monotonic() by which every solve has ended."""
    solves: int = 0
    proof_seconds: float = 0.0
    """The longest a solve took to prove its facts impossible: how hard this school is."""
    full_greedy: bool = False
    """Whether the full greedy (not only everyone in study) may answer 'possible'."""
    draft_seconds: float | None = None
    """How long the first study draft that succeeded took (None: none yet)."""

    def seconds_left(self, most: float | None = None) -> float:
        """For the next solve: its own limit (``most``, else the usual) or what is left
        of the whole, if less."""
        return min(self.seconds if most is None else most, self.deadline - time.monotonic())

    def as_long_as_proofs(self, least: float, most: float) -> float:
        """A few times as long as the slowest proof so far, within [least, most]: a solve
        whose answer has not come by then rarely comes later (measured on generated
        schools of 300 and 1,500 students)."""
        return min(most, max(least, _PROOFS * self.proof_seconds))

    def solve(self, members: list[int], most: float | None = None, *, why: bool = False,
              workers: int | None = None) -> tuple[cp_model.CpSolverStatus, list[int]]:
        """Status with only these facts enforced; with ``why``, also a subset that
        suffices when impossible.

        Without ``why`` the literals are fixed (1 for the members, 0 for the rest), so
        presolve turns the members into plain constraints and drops the rest. ``workers``
        overrides the usual number of CP-SAT workers for this solve.
        """
        seconds = self.seconds_left(most)
        if seconds < 0.1:
            return cp_model.UNKNOWN, []
        self.model.clear_assumptions()
        if why:
            fix(self.model, self.literals, None)
            self.model.add_assumptions([self.literals[m] for m in members])
        else:
            fix(self.model, self.literals, set(members))
        solver = self.solver(seconds, workers)
        self.solves += 1
        status = solver.solve(self.model)
        give_back_memory()
        log.info("solve %d with %d of %d facts%s: %s in %.1fs", self.solves, len(members),
                 len(self.facts), " (why)" if why else "", solver.status_name(status),
                 solver.wall_time)
        if status == cp_model.INFEASIBLE:
            self.proof_seconds = max(self.proof_seconds, solver.wall_time)
        if status != cp_model.INFEASIBLE or not why:
            return status, []
        index_of = {self.literals[m].index: m for m in members}
        core = solver.sufficient_assumptions_for_infeasibility()
        return status, sorted(index_of[i] for i in core if i in index_of)

    def solver(self, seconds: float, workers: int | None = None) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers or self.workers
        # The LP at every node: budgets and staff hours are sums that branching alone
        # proves too small only slowly (a 300-student school with a tenth of its
        # budget: impossible in 1.2 s, no answer in 60 s at the default level).
        solver.parameters.linearization_level = 2
        return solver


def fix(model: cp_model.CpModel, literals: list[cp_model.IntVar], on: set[int] | None
        ) -> None:
    """Fix each literal: 1 for the facts ``on``, 0 for the others; None frees them all."""
    for m, literal in enumerate(literals):
        domain = model.proto.variables[literal.index].domain
        low, high = (0, 1) if on is None else (int(m in on),) * 2
        domain[0], domain[1] = low, high


def guard_model(inst: Instance, seconds: float, workers: int, deadline: float) -> GuardedModel:
    """The school's model, every changeable fact enforced only while its literal is true."""
    model = cp_model.CpModel()
    v = create_variables(model, inst)
    for rule in HARD_RULES.values():
        rule(model, inst, v)
    # A study pool's sections in a room class are bounded by the class size in the
    # variable's domain too; the room-count constraint alone must hold that fact.
    for (k, _), var in v.study_sections.items():
        domain = model.proto.variables[var.index].domain
        domain[len(domain) - 1] = max(domain[len(domain) - 1], inst.study_pools[k].demand)
    # Every section closed and every child in study is the plainest schedule there is;
    # hinting it lets CP-SAT find a feasible relaxation in moments rather than search
    # among all the sections that could open.
    for var in (*v.open.values(), *v.meets.values(), *v.place.values()):
        model.add_hint(var, 0)
    facts = guarded_facts(model, inst)
    literals = []
    for fact in facts:
        literal = model.new_bool_var(f"holds[{fact.kind}]")
        for index in fact.constraints:
            model.proto.constraints[index].enforcement_literal.append(literal.index)
        literals.append(literal)
    return GuardedModel(model, inst, v, facts, literals, seconds, workers, deadline)


