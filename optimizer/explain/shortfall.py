"""How far one fact of a conflict falls short, measured by solving.

The fact's constraints may slip by one shared amount (a count of class hours,
rooms, children or fen, whatever the constraint counts); the other facts of the
conflict hold, every other fact is relaxed, and CP-SAT minimizes the amount. The
proven bound is what is reported ("at least"), so a timed-out solve never
overstates; the schedule found says where the fact pinches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.explain.facts import when
from optimizer.explain.guard import GuardedModel, fix
from optimizer.search.cpsat import give_back_memory

_MOST = 2**40
"""More than any count or sum of fen a school's fact can be short by."""


@dataclass(frozen=True)
class Shortfall:
    """At least ``amount`` more is needed than the fact allows (``proven``: exactly)."""

    amount: int
    proven: bool
    found: int = 0
    """How much the closest schedule found in time needed (``amount`` when proven)."""
    where: str = ""
    """The day and time where the schedule found needs the most, when the fact has times."""
    seen: dict[str, int] = field(default_factory=dict)
    """Counts from that schedule at that time (children in study, supervisors…)."""


def shortfall(g: GuardedModel, member: int, others: list[int]) -> Shortfall | None:
    """The least amount fact ``member`` must give with ``others`` held, or None when the
    solve found no schedule in time."""
    seconds = g.seconds_left(shortfall_seconds(g))
    if seconds < 0.1:
        return None
    trial = g.model.clone()
    slack = trial.new_int_var(0, _MOST, "shortfall")
    constraints = [i for i in g.facts[member].constraints if _slip(trial, i, slack.index)]
    trial.minimize(slack)
    trial.clear_assumptions()
    fix(trial, g.literals, {*others, member})
    solver = g.solver(seconds)
    g.solves += 1
    status = solver.solve(trial)
    give_back_memory()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or not constraints:
        return None
    solution = solver.response_proto.solution
    worst = max(constraints, key=lambda i: _overrun(trial, i, slack.index, solution))
    kind, *parts = trial.proto.constraints[worst].name.split(":")
    bound = max(1, math.ceil(solver.best_objective_bound - 1e-6))
    found = solver.value(slack)
    return Shortfall(amount=found if status == cp_model.OPTIMAL else min(bound, found),
                     proven=status == cp_model.OPTIMAL, found=found,
                     where=when(kind, parts, g.inst),
                     seen=_seen(kind, parts, g, solution))


def shortfall_seconds(g: GuardedModel) -> float:
    """How long to measure one member: a few times what proving the set took, at least
    1 s, at most half a solve. The set is already shown; only its numbers are at stake,
    and on generated 300-student schools 2 s gave the same numbers as 10 s."""
    return g.as_long_as_proofs(least=1.0, most=g.seconds / 2)


def _slip(trial: cp_model.CpModel, index: int, slack: int) -> bool:
    """Let a one-sided linear constraint slip by the slack; False for any other."""
    constraint = trial.proto.constraints[index]
    if not constraint.has_linear():
        return False
    linear = constraint.linear
    lower, upper = linear.domain[0], linear.domain[-1]
    bounded_above, bounded_below = upper < cp_model.INT_MAX, lower > cp_model.INT_MIN
    if bounded_above == bounded_below:
        return False
    linear.vars.append(slack)
    linear.coeffs.append(-1 if bounded_above else 1)
    return True


def _overrun(trial: cp_model.CpModel, index: int, slack: int, solution: Sequence[int]) -> int:
    linear = trial.proto.constraints[index].linear
    activity = sum(c * solution[v] for v, c in zip(linear.vars, linear.coeffs, strict=True)
                   if v != slack)
    return max(activity - linear.domain[-1], linear.domain[0] - activity, 0)


def _seen(kind: str, parts: list[str], g: GuardedModel, solution: Sequence[int]
          ) -> dict[str, int]:
    """For the study ratio: the children in study then, their supervisors in the schedule
    found, and the staff who may supervise then at all."""
    if kind != "study_seats":
        return {}
    k = int(parts[0])
    pool, inst = g.inst.study_pools[k], g.inst
    slot = (pool.day, pool.period)
    free = [t for t in pool.staff if slot not in inst.staff[t].unavailable
            and inst.staff[t].max_periods_day > 0 and inst.staff[t].max_periods_week > 0]
    return {"children": solution[g.v.study_students[k].index],
            "supervisors": sum(solution[var.index] for var in g.v.study_staff_of.get(k, [])),
            "staff_free": len(free)}
