"""The arithmetic of the placement levels: what each goal can reach at most (its ceiling),
what a level holds once solved, and the tie-breaks that keep the levels' order inside
one objective.

No search here: these are numbers computed from the school (optimizer/search/bounds.py) and
from the values the levels before fixed, and expressions built from the goals.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.model.instance import Instance
from optimizer.model.rules import GOALS, HARD_RULES, PLACEMENT_GOALS
from optimizer.model.rules.goals import max_choice_points, priority_weight, rank_points
from optimizer.search.bounds import (
    Held,
    Seats,
    choice_points_bound,
    choice_points_flow_bound,
    fewest_unserved,
    first_choice_seats,
    most_served_by_priority,
)
from optimizer.search.levels import Level
from optimizer.search.lp_bounds import (
    choice_points_lp_bound,
    resource_bounds,
)
from optimizer.search.result import NotSearched
from optimizer.search.whole_sections import WholeSections

log = logging.getLogger(__name__)




def placement_ceilings(inst: Instance, rules: Sequence[str], whole: WholeSections | None = None,
                       stop_whole: bool = True, give_up: Callable[[], bool] = lambda: False
                       ) -> tuple[dict[str, int], SeatCounts | None]:
    """The largest value each placement goal can take, as maximized, and the seat
    counts behind them (for ``tighten_for_choice_points``). ``whole``, when running,
    is stopped and its bound on the children without a place used too; with
    ``stop_whole`` False, its bound is used only if it has ended, and it runs on.
    ``give_up`` is asked between the counts (seconds each at 5,000 students), and raises
    :class:`~optimizer.search.result.NotSearched` when it says so.

    The bounds of optimizer/search/bounds.py hold for the model with every hard rule; with
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
    def checkpoint() -> None:
        if give_up():
            raise NotSearched

    seats = Seats.count(inst)
    checkpoint()
    counts = SeatCounts(seats, first_choice_seats(inst))
    checkpoint()
    unserved = fewest_unserved(inst, counts.seats)
    first = sum(counts.first.values())
    weighted = most_served_by_priority(inst, counts.seats)
    coupled = resource_bounds(inst, counts.seats, counts.first)
    checkpoint()
    if coupled is not None:
        unserved = max(unserved, coupled.unserved)
        weighted = min(weighted, coupled.priority_served)
        first = min(first, coupled.first_choices)
    proven = None
    if whole is not None:
        proven = whole.unserved() if stop_whole else whole.settled()
    if proven is not None:
        log.info("whole sections: at least %d children without a place", proven)
        unserved = max(unserved, proven)
    points = min(max_choice_points(inst), choice_points_bound(inst, unserved, first),
                 choice_points_flow_bound(inst, counts.seats))
    return {"unserved": -unserved, "priority_served": weighted,
            "first_choices": first, "choice_points": points}, counts


@dataclass(frozen=True)
class SeatCounts:
    """The per-activity counts ``optimizer.search.bounds`` computes once a solve."""

    seats: Seats
    first: dict[str, int]
    """Activity → the most priority-weighted first choices it can seat."""


def hold(level: Level, kept: int, held: dict[str, int]) -> None:
    """Note that a placement level is fixed at ``kept``: every later schedule keeps it."""
    if len(level) == 1 and level[0][0] in PLACEMENT_GOALS:
        name, weight = level[0]
        held[name] = -(-kept // weight)  # the goal, as maximized, is at least kept / weight


def tighten_for_choice_points(inst: Instance, ceilings: dict[str, int],
                              counts: SeatCounts, held: dict[str, int]) -> None:
    """Before the choice-points level: the linear program of ``choice_points_lp_bound``,
    with what the levels before fixed (under a second on 3,000 students; once a solve,
    as the flow bound serves the tie-breaks before)."""
    bound = choice_points_lp_bound(inst, counts.seats, counts.first, held_levels(held))
    if bound is not None:
        ceilings["choice_points"] = min(ceilings["choice_points"], bound)


def held_levels(held: dict[str, int]) -> Held:
    return Held(unserved=-held["unserved"] if "unserved" in held else None,
                priority_served=held.get("priority_served"),
                first_choices=held.get("first_choices"))


def tighten_ceilings(inst: Instance, ceilings: dict[str, int], bounds: dict[str, float]
                     ) -> None:
    """Fewer children can be served, or fewer have their first choice, than assumed at
    the start: the levels before proved it, so fewer choice points can be earned."""
    unserved = max(-ceilings["unserved"], math.ceil(bounds.get("unserved", 0) - 1e-9))
    first = ceilings["first_choices"]
    if "first_choices" in bounds:
        first = min(first, math.floor(bounds["first_choices"] + 1e-9))
    ceilings["choice_points"] = min(ceilings["choice_points"], choice_points_bound(
        inst, unserved=unserved, first_choices=first))


def at_ceiling(level: Level, values: dict[str, int], ceiling: float
               ) -> bool:
    """A single placement goal whose current value is the most it can be."""
    if len(level) != 1 or level[0][0] not in PLACEMENT_GOALS or level[0][0] not in values:
        return False
    name, weight = level[0]
    return weight * GOALS[name].sense * values[name] >= ceiling


def _ceiling(level: Level, known: dict[str, int]) -> float:
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


def with_tie_break(objective: cp_model.LinearExprT, level: Level,
                   later: Sequence[Level],
                   expressions: dict[str, cp_model.LinearExprT], ceiling: dict[str, int],
                   choosers: int) -> tuple[cp_model.LinearExprT, int, float]:
    """Fewest unserved, ties broken by first choices, then by choice points — still
    exactly lexicographic. ``ceiling`` is ``placement_ceilings``, computed once a solve;
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
    if len(level) != 1 or level[0][0] not in PLACEMENT_GOALS[:-1]:
        return objective, 1, own
    # The placement levels that follow at once, in their default order; a goal a
    # coordinator left out is skipped, one out of order ends the chain.
    chain: list[str] = []
    position = PLACEMENT_GOALS.index(level[0][0])
    for following in later:
        name = following[0][0]
        if (len(following) != 1 or following[0][1] != 1 or name not in PLACEMENT_GOALS
                or PLACEMENT_GOALS.index(name) <= position):
            break
        chain.append(name)
        position = PLACEMENT_GOALS.index(name)
    name, weight = level[0]
    extent = weight * (choosers if GOALS[name].sense < 0 else ceiling[name])
    while chain:
        largest = largest_tie_break(chain, ceiling)
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


def largest_tie_break(chain: Sequence[str], ceiling: dict[str, int]) -> int:
    """The largest value the tie-break of goals ``chain`` can take, each goal scaled above
    the largest total of those after it (as ``with_tie_break`` builds it)."""
    largest = 0
    for name in reversed(chain):
        largest = ceiling[name] * (largest + 1) + largest
    return largest
