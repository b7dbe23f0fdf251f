"""The model with one assumption literal per changeable fact, and its solves."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.explain.facts import Guarded, guarded_facts
from optimizer.model.instance import Instance
from optimizer.model.rules import HARD_RULES
from optimizer.model.variables import Variables, create_variables


@dataclass
class GuardedModel:
    """The model with one literal per fact, and how to solve it."""

    model: cp_model.CpModel
    inst: Instance
    v: Variables
    facts: list[Guarded]
    literals: list[cp_model.IntVar]
    seconds: float
    workers: int
    solves: int = 0

    def solve(self, members: list[int]) -> tuple[cp_model.CpSolverStatus, list[int]]:
        """Status with only these facts enforced, and a sufficient subset when impossible."""
        self.model.clear_assumptions()
        self.model.add_assumptions([self.literals[m] for m in members])
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = self.seconds
        solver.parameters.num_workers = self.workers
        self.solves += 1
        status = solver.solve(self.model)
        if status != cp_model.INFEASIBLE:
            return status, []
        index_of = {self.literals[m].index: m for m in members}
        core = solver.sufficient_assumptions_for_infeasibility()
        return status, sorted(index_of[i] for i in core if i in index_of)


def guard_model(inst: Instance, seconds: float, workers: int) -> GuardedModel:
    model = cp_model.CpModel()
    v = create_variables(model, inst)
    for rule in HARD_RULES.values():
        rule(model, inst, v)
    # A study pool's sections in a room class are bounded by the class size in the
    # variable's domain too; the room-count constraint alone must hold that fact.
    for (k, _), var in v.study_sections.items():
        domain = model.proto.variables[var.index].domain
        domain[len(domain) - 1] = max(domain[len(domain) - 1], inst.study_pools[k].demand)
    facts = guarded_facts(model, inst)
    literals = []
    for fact in facts:
        literal = model.new_bool_var(f"holds[{fact.kind}]")
        for index in fact.constraints:
            model.proto.constraints[index].enforcement_literal.append(literal.index)
        literals.append(literal)
    return GuardedModel(model, inst, v, facts, literals, seconds, workers)


