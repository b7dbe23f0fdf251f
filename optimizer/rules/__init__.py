"""The ordered registries of hard rules and goals. The same names key the logs,
the weights, the report's breakdown and the tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.instance import Instance
from optimizer.rules import goals, hard
from optimizer.variables import Variables

HardRule = Callable[[cp_model.CpModel, Instance, Variables], None]
GoalFn = Callable[[cp_model.CpModel, Instance, Variables, int], cp_model.LinearExprT]

HARD_RULES: dict[str, HardRule] = {
    "time": hard.rule_time,
    "sections": hard.rule_sections,
    "rooms": hard.rule_rooms,
    "staff": hard.rule_staff,
    "students": hard.rule_students,
    "study": hard.rule_study,
    "budget": hard.rule_budget,
}
"""Contract rules 1–7, in the contract's order."""


@dataclass(frozen=True)
class Goal:
    name: str
    sense: int  # +1 maximize, -1 minimize
    build: GoalFn
    label: str


GOALS: dict[str, Goal] = {
    g.name: g for g in (
        Goal("unserved", -1, goals.unserved, "students with none of their choices"),
        Goal("priority_served", +1, goals.priority_served,
             "choosers with a place (× priority)"),
        Goal("first_choices", +1, goals.first_choices, "first choices (× priority)"),
        Goal("choice_points", +1, goals.choice_points, "choice points (rank × priority)"),
        Goal("lottery", +1, goals.lottery, "lottery tie-break"),
        Goal("teacher_max_load", -1, goals.teacher_max_load,
             "busiest in-service teacher (class hours/week)"),
        Goal("teacher_load_squares", -1, goals.teacher_load_squares,
             "teacher load spread (sum of squares)"),
        Goal("cost", -1, goals.cost, "term cost (fen)"),
        Goal("vendor_rating_shortfall", -1, goals.vendor_rating_shortfall,
             "vendor rating shortfall"),
    )
}
"""Contract goals in their default lexicographic order."""
