"""The ordered registries of hard rules and goals. The same names key the logs,
the weights, the report's breakdown and the tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.model.instance import Instance
from optimizer.model.rules import goals, hard
from optimizer.model.variables import Variables

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
    """Everything the rest of the code asks of a goal, in one place."""

    name: str
    sense: int  # +1 maximize, -1 minimize
    build: GoalFn
    label: str
    places: bool = False
    """Decides who gets a place: its level is tie-broken by the placement goals after it
    (in this registry's order), gets bounds from optimizer/search/bounds.py and the most time."""
    time_weight: int = 1
    """Its level's share of the search time, relative to the others'."""
    placed_again: tuple[str, ...] = ()
    """Goals the placement program (optimizer/search/placement.py) maximizes to improve this
    level's schedule with its timetable fixed; empty: the program is not used."""
    needs_previous: bool = False
    """Counts changes from the schedule in force: only ``schedule resolve`` has one, and
    puts these first (optimizer/search/resolve.py); left out of the default order."""


GOALS: dict[str, Goal] = {
    g.name: g for g in (
        Goal("unserved", -1, goals.unserved, "students with none of their choices",
             places=True, time_weight=4),
        Goal("priority_served", +1, goals.priority_served,
             "choosers with a place (× priority)", places=True, time_weight=2),
        Goal("first_choices", +1, goals.first_choices, "first choices (× priority)",
             places=True, time_weight=4, placed_again=("first_choices", "choice_points")),
        Goal("choice_points", +1, goals.choice_points, "choice points (rank × priority)",
             places=True, time_weight=3, placed_again=("choice_points",)),
        Goal("lottery", +1, goals.lottery, "lottery tie-break", time_weight=2),
        Goal("teacher_max_load", -1, goals.teacher_max_load,
             "busiest in-service teacher (class hours/week)"),
        Goal("teacher_load_squares", -1, goals.teacher_load_squares,
             "teacher load spread (sum of squares)"),
        Goal("cost", -1, goals.cost, "term cost (fen)"),
        Goal("vendor_rating_shortfall", -1, goals.vendor_rating_shortfall,
             "vendor rating shortfall"),
        Goal("children_moved", -1, goals.children_moved,
             "children moved from a place they still want", time_weight=4,
             needs_previous=True),
        Goal("sections_moved", -1, goals.sections_moved,
             "sections moved (day, time, room or staff)", time_weight=2, needs_previous=True),
        Goal("supervisors_moved", -1, goals.supervisors_moved,
             "study duties moved (who supervises study when)", needs_previous=True),
    )
}
"""Contract goals in their default lexicographic order, then the goals of a re-solve (which
``schedule resolve`` puts first)."""

PLACEMENT_GOALS: tuple[str, ...] = tuple(name for name, g in GOALS.items() if g.places)
"""The goals that decide who gets a place, in their default order."""
