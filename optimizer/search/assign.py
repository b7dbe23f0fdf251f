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

import numpy as np
from ortools.graph.python import min_cost_flow

from optimizer.model.instance import CandidateSection, Instance
from optimizer.model.rules.goals import priority_weight, rank_points

log = logging.getLogger(__name__)

SERVES: tuple[str, ...] = ("unserved", "priority_served", "first_choices", "choice_points")
"""The placement goals in the order the flow's costs rank them (BIG, the priority weights,
FIRST, the rank points). It must be the registry's order of placement goals
(``optimizer.model.rules.PLACEMENT_GOALS``); a test holds the two together, so a change
of goal order lands here too."""


def assign_students(inst: Instance, sections: Sequence[CandidateSection],
                    meeting_options: Sequence[Sequence[int]], capacities: Sequence[int],
                    ) -> list[list[int]]:
    """Members (student indices) of each given section, best for the students.

    ``meeting_options[k]`` are the option indices section ``k`` meets on and
    ``capacities[k]`` its seats. Sections that must close come back empty.
    """
    network = _network(inst, sections, meeting_options, capacities)
    for _ in range(len(sections) + 1):
        members = network.members()
        members = _no_double_booking(inst, sections, meeting_options, members)
        members = _fee_cap(inst, sections, members)
        short = {k for k, group in enumerate(members)
                 if k not in network.closed and group
                 and len(group) < max(sections[k].activity.min_size, 1)}
        if not short:
            return members
        # Close the emptiest first: it frees the fewest children.
        network.close(min(short, key=lambda k: len(members[k])))
    return [[] for _ in sections]


class _Network:
    """The flow of the module doc, built once; closing a section takes its seats away
    and the same network is solved again (building it is most of the work)."""

    def __init__(self, num_sections: int, arcs: dict[str, list[int]], students: list[int],
                 sections: list[int], seat_arcs: dict[int, int], supply: int) -> None:
        self.flow = min_cost_flow.SimpleMinCostFlow()
        found = self.flow.add_arcs_with_capacity_and_unit_cost(
            np.asarray(arcs["tail"], dtype=np.int32), np.asarray(arcs["head"], dtype=np.int32),
            np.asarray(arcs["capacity"], dtype=np.int64),
            np.asarray(arcs["cost"], dtype=np.int64))
        self.arcs = np.asarray(found)
        self.placing = np.asarray(arcs["placing"], dtype=bool)
        self.students = np.asarray(students)
        self.sections = np.asarray(sections)
        self.num_sections = num_sections
        self.seat_arcs = seat_arcs
        self.closed: set[int] = set()
        self.flow.set_node_supply(0, supply)
        self.flow.set_node_supply(1, -supply)
        self._status: int | None = None
        """Of the last solve, until a section closes."""

    def close(self, k: int) -> None:
        self.closed.add(k)
        if k in self.seat_arcs:
            self.flow.set_arc_capacity(int(self.arcs[self.seat_arcs[k]]), 0)
        self._status = None

    def solve(self) -> int:
        if self._status is None:
            self._status = int(self.flow.solve())
        return self._status

    def members(self) -> list[list[int]]:
        status = self.solve()
        if status != self.flow.OPTIMAL:
            raise RuntimeError(f"student assignment flow failed ({status}): a bug of ours")
        flows = self.flow.flows(self.arcs[self.placing])
        members: list[list[int]] = [[] for _ in range(self.num_sections)]
        for i, k in zip(self.students[flows > 0].tolist(), self.sections[flows > 0].tolist(),
                        strict=True):
            members[k].append(i)
        return members


def _network(inst: Instance, sections: Sequence[CandidateSection],
             meeting_options: Sequence[Sequence[int]], capacities: Sequence[int]) -> _Network:
    """The network with the goals' weights where its costs fit, else the next scale's."""
    reachable = _reachable(inst, sections, meeting_options, capacities)
    for weight, first, big in _scales(inst, len(sections)):
        network = _build(inst, sections, capacities, reachable, weight, first, big)
        if network.solve() != network.flow.BAD_COST_RANGE:
            return network
    raise RuntimeError("the school is too large for the assignment flow's 64-bit costs")


def _reachable(inst: Instance, sections: Sequence[CandidateSection],
               meeting_options: Sequence[Sequence[int]], capacities: Sequence[int],
               ) -> dict[int, dict[str, list[tuple[int, int]]]]:
    """Student → activity → (section k, rank) of the sections they may join: of their
    choices, meeting only on days and in periods they stay for."""
    by_candidate = {section.idx: k for k, section in enumerate(sections)
                    if capacities[k] > 0}
    slots_of = {k: {(d, p) for o in meeting_options[k] for d, p in sections[k].options[o].slots}
                for k in by_candidate.values()}
    reachable: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for i, choices in inst.applicants.items():
        student = inst.students[i]
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for s, rank in choices:
            k = by_candidate.get(s)
            if k is not None and student.stays_for_all(slots_of[k]):
                found[sections[k].activity.id].append((k, rank))
        if found:
            reachable[i] = found
    return reachable


def _build(inst: Instance, sections: Sequence[CandidateSection], capacities: Sequence[int],
           reachable: dict[int, dict[str, list[tuple[int, int]]]],
           weight: Callable[[int], int], first: int, big: int) -> _Network:
    arcs: dict[str, list[int]] = {name: [] for name in
                                  ("tail", "head", "capacity", "cost", "placing")}
    students: list[int] = []
    placed_in: list[int] = []

    def arc(tail: int, head: int, capacity: int, cost: int, placing: bool = False) -> int:
        arcs["tail"].append(tail)
        arcs["head"].append(head)
        arcs["capacity"].append(capacity)
        arcs["cost"].append(cost)
        arcs["placing"].append(placing)
        return len(arcs["tail"]) - 1

    source, sink = 0, 1
    nodes = iter(range(2, 1 << 62))
    section_node = {k: next(nodes) for k in range(len(sections)) if capacities[k] > 0}
    seat_arcs = {k: arc(node, sink, capacities[k], 0) for k, node in section_node.items()}
    supply = 0
    for i, by_activity in reachable.items():
        wants = min(inst.students[i].wants, len(by_activity))
        student_node = next(nodes)
        # A first place is worth the child's priority weight above any first choices
        # and points: the children who can all have places form a matroid, so the
        # heaviest such set is also one of the largest — fewest unserved, then
        # priority_served, as the goals are ordered.
        arc(source, student_node, 1, -big * weight(i))
        if wants > 1:
            arc(source, student_node, wants - 1, 0)
        for options in by_activity.values():
            activity_node = next(nodes)
            arc(student_node, activity_node, 1, 0)
            for k, rank in options:
                gain = rank_points(rank) + (first if rank == 1 else 0)
                arc(activity_node, section_node[k], 1, -gain * weight(i), placing=True)
                students.append(i)
                placed_in.append(k)
        supply += wants
    # Places nobody takes drain straight to the sink at no gain.
    arc(source, sink, supply, 0)
    return _Network(len(sections), arcs, students, placed_in, seat_arcs, supply)


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
