"""Students into a fixed timetable, optimally, as a min-cost flow.

Once sections, their days and their capacities are decided, placing students is
a transportation problem: source → student (first place worth BIG, further
places up to `wants` worth nothing extra) → student × activity (one section per
activity) → section (only those meeting on days the student is registered and in
periods they stay for) → sink (the section's capacity). A first choice is worth
FIRST on top of its rank points, which are the arc costs. With BIG above any
total of the rest and FIRST above any total of points, the cheapest flow is
lexicographic, like the goals: fewest students with nothing, then the most
first choices, then the most points. The flow cannot see two
rules, which are repaired afterwards: a child who wants two activities is never
in two sections meeting at once (the lower-ranked one is dropped), and a
section that ends up below min_size closes (and the flow runs again without it).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from ortools.graph.python import min_cost_flow

from optimizer.model.instance import CandidateSection, Instance
from optimizer.model.rules.goals import priority_weight, rank_points

log = logging.getLogger(__name__)


def assign_students(inst: Instance, sections: Sequence[CandidateSection],
                    meeting_options: Sequence[Sequence[int]], capacities: Sequence[int],
                    ) -> list[list[int]]:
    """Members (student indices) of each given section, best for the students.

    ``meeting_options[k]`` are the option indices section ``k`` meets on and
    ``capacities[k]`` its seats. Sections that must close come back empty.
    """
    closed: set[int] = set()
    for _ in range(len(sections) + 1):
        members = _flow(inst, sections, meeting_options, capacities, closed)
        members = _no_double_booking(inst, sections, meeting_options, members)
        members = _fee_cap(inst, sections, members)
        short = {k for k, group in enumerate(members)
                 if k not in closed and group
                 and len(group) < max(sections[k].activity.min_size, 1)}
        if not short:
            return members
        # Close the emptiest first: it frees the fewest children.
        closed.add(min(short, key=lambda k: len(members[k])))
    return [[] for _ in sections]


def _flow(inst: Instance, sections: Sequence[CandidateSection],
          meeting_options: Sequence[Sequence[int]], capacities: Sequence[int],
          closed: set[int]) -> list[list[int]]:
    for weight, first, big in _scales(inst, len(sections)):
        members = _flow_with(inst, sections, meeting_options, capacities, closed,
                             weight, first, big)
        if members is not None:
            return members
    raise RuntimeError("the school is too large for the assignment flow's 64-bit costs")


def _flow_with(inst: Instance, sections: Sequence[CandidateSection],
               meeting_options: Sequence[Sequence[int]], capacities: Sequence[int],
               closed: set[int], weight: Callable[[int], int], first: int, big: int,
               ) -> list[list[int]] | None:
    """The flow with these weights and factors; None if its costs are out of range."""
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    next_node = 2

    def node() -> int:
        nonlocal next_node
        next_node += 1
        return next_node - 1

    section_node = {}
    for k in range(len(sections)):
        if k in closed or capacities[k] <= 0:
            continue
        section_node[k] = node()
        flow.add_arc_with_capacity_and_unit_cost(section_node[k], sink, capacities[k], 0)
    by_candidate = {section.idx: k for k, section in enumerate(sections)}
    slots_of = {k: {(d, p) for o in meeting_options[k]
                   for d, p in sections[k].options[o].slots} for k in section_node}
    arcs: list[tuple[int, int, int]] = []  # (arc, student, section k)
    supply = 0
    for i, choices in inst.applicants.items():
        student = inst.students[i]
        reachable: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s, rank in choices:
            found = by_candidate.get(s)
            if found is None or found not in section_node:
                continue
            k = found
            if student.stays_for_all(slots_of[k]):
                reachable[sections[k].activity.id].append((k, rank))
        if not reachable:
            continue
        wants = min(student.wants, len(reachable))
        student_node = node()
        # A first place is worth the child's priority weight above any first choices
        # and points: the children who can all have places form a matroid, so the
        # heaviest such set is also one of the largest — fewest unserved, then
        # priority_served, as the goals are ordered.
        flow.add_arc_with_capacity_and_unit_cost(source, student_node, 1, -big * weight(i))
        if wants > 1:
            flow.add_arc_with_capacity_and_unit_cost(source, student_node, wants - 1, 0)
        for options in reachable.values():
            activity_node = node()
            flow.add_arc_with_capacity_and_unit_cost(student_node, activity_node, 1, 0)
            for k, rank in options:
                gain = rank_points(rank) + (first if rank == 1 else 0)
                arc = flow.add_arc_with_capacity_and_unit_cost(
                    activity_node, section_node[k], 1, -gain * weight(i))
                arcs.append((arc, i, k))
        supply += wants
    # Places nobody takes drain straight to the sink at no gain.
    flow.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status == flow.BAD_COST_RANGE:
        return None
    if status != flow.OPTIMAL:
        raise RuntimeError(f"student assignment flow failed ({status}): a bug of ours")
    members: list[list[int]] = [[] for _ in sections]
    for arc, i, k in arcs:
        if flow.flow(arc):
            members[k].append(i)
    return members


_COST_LIMIT = 2**60
"""OR-Tools' min-cost flow scales costs by about twice the number of nodes and fails
beyond 2**63; this keeps a margin, and a flow still out of range is tried again."""


def _scales(inst: Instance, num_sections: int
            ) -> Iterator[tuple[Callable[[int], int], int, int]]:
    """Each child's weight and the factors FIRST and BIG of the module doc, exactly as
    the goals weigh children where the costs fit, else every child alike.

    Lexicographic weights multiply: with five priority levels (a level-4 child weighs
    17**4) they pass what the flow's 64-bit costs hold on a few hundred children.
    The warm start then weighs every child alike — still fewest unserved, then first
    choices, then points — and leaves priority to the solver's levels, which weigh it
    exactly (their objectives are CP-SAT's, bounded by solve.py's tie-break).
    """
    nodes = 3 + num_sections + sum(1 + len(choices) for choices in inst.applicants.values())
    for weight in (lambda i: priority_weight(inst, i), _unit):
        first = sum(rank_points(1) * weight(i) * inst.students[i].wants
                    for i in inst.applicants) + 1
        big = (sum(weight(i) for i in inst.applicants) + 1) * first
        heaviest = max((weight(i) for i in inst.applicants), default=1)
        if big * heaviest * nodes < _COST_LIMIT:
            if weight is _unit:
                log.info("priorities are too many levels apart for the warm start to "
                         "weigh exactly; it weighs all children alike")
            yield weight, first, big


def _unit(i: int) -> int:
    return 1


def _no_double_booking(inst: Instance, sections: Sequence[CandidateSection],
                       meeting_options: Sequence[Sequence[int]], members: list[list[int]],
                       ) -> list[list[int]]:
    """A child in two sections meeting at once keeps the better-ranked one."""
    places: dict[int, list[tuple[int, int]]] = defaultdict(list)  # student → (rank, k)
    rank_of = {(i, s): r for i, choices in inst.applicants.items() for s, r in choices}
    for k, group in enumerate(members):
        for i in group:
            places[i].append((rank_of[i, sections[k].idx], k))
    for i, held in places.items():
        if len(held) < 2:
            continue
        taken: set[tuple[int, int]] = set()
        for _, k in sorted(held):
            slots = {slot for o in meeting_options[k] for slot in sections[k].options[o].slots}
            if slots & taken:
                members[k].remove(i)
            else:
                taken |= slots
    return members


def _fee_cap(inst: Instance, sections: Sequence[CandidateSection], members: list[list[int]]
             ) -> list[list[int]]:
    """Per-head fees within the per-student cap: drop the worst-ranked paid places."""
    cap = inst.school.info.student_fee_cap
    rank_of = {(i, s): r for i, choices in inst.applicants.items() for s, r in choices}
    held: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k, group in enumerate(members):
        for i in group:
            held[i].append((rank_of[i, sections[k].idx], k))
    for i, places in held.items():
        total = sum(sections[k].activity.fee_per_student for _, k in places)
        for _, k in sorted(places, reverse=True):
            if total <= cap:
                break
            fee = sections[k].activity.fee_per_student
            if fee:
                members[k].remove(i)
                total -= fee
    return members
