"""Upper bounds on the placement goals, beyond what CP-SAT's LP proves in a minute.

``first_choice_bound`` solves small models one activity at a time; ``Seats`` counts
with them how many choosers each activity can seat, and ``fewest_unserved`` and
``choice_points_flow_bound`` let children take those seats, as flows;
and ``choice_points_bound`` reasons from the bounds the levels before proved. The
bounds that couple activities through rooms, people and time are linear programs, in
optimizer/search/lp_bounds.py.

CP-SAT's LP on the whole school bounds ``first_choices`` only loosely: it may spread
a section over every day at once, so every child seems to fit it. Here each activity
is solved on its own, exactly: how many sections meet on which days and periods, and
which first-choosers fit them. Nothing else (rooms shared with other activities,
staff, budget) is counted, so the sum over activities is at least what any schedule
can earn, and well below the seat count when children come on few days.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from optimizer.model.instance import CandidateSection, Instance
from optimizer.model.rules.goals import priority_weight, rank_points

_SECONDS_PER_ACTIVITY = 2.0
"""Each activity's model is tiny (tens of variables); this is a safety net only.
Cut short, its proven bound is used, which is still valid."""


@dataclass(frozen=True)
class Pattern:
    """When a section meets: the same period(s) on ``sessions_per_week`` different days."""

    first_period: int
    days: frozenset[int]
    slots: frozenset[tuple[int, int]]


def first_choice_bound(inst: Instance) -> int:
    """At least the best ``first_choices`` any schedule can reach (see module doc)."""
    return sum(first_choice_seats(inst).values())


def first_choice_seats(inst: Instance) -> dict[str, int]:
    """Activity → the most priority-weighted first choices it can seat on its own."""
    first_choosers: dict[str, list[int]] = defaultdict(list)
    for i, choices in inst.applicants.items():
        first = next((s for s, rank in choices if rank == 1), None)
        if first is not None:
            first_choosers[inst.sections[first].activity.id].append(i)
    sections = sections_by(inst, lambda section: section.activity.id)
    return {a: _activity_bound(inst, sections[a], students, _priority_weight(inst))
            for a, students in first_choosers.items()}


@dataclass(frozen=True)
class Seats:
    """How many of its choosers each activity can seat at most, on days and periods they
    come (``_activity_bound`` counting heads): per grade band, and per activity where
    bands share its ``max_sections``; and per band, how many of those of priority level
    L or above, for each higher level L.

    The last matters when weights differ: the heads count of a band is reached on the
    days most of its choosers come, which need not be the days its few priority
    children come, and a flow into the seats alone would give those seats to them."""

    rank_of: dict[int, dict[tuple[str, int], int]]
    """Chooser → (activity, band) → the rank they gave it."""
    per_band: dict[tuple[str, int], int]
    per_activity: dict[str, int]
    per_level: dict[tuple[str, int, int], int]
    """(activity, band, level L ≥ 1) → seats for its choosers of level L or above."""

    @staticmethod
    def uncounted(inst: Instance) -> Seats:
        """Every child's choices, with no activity's seats counted: for a program whose
        own rows seat the children (``lp_bounds.section_plan``)."""
        return Seats(rank_of=_ranks(inst)[0], per_band={}, per_activity={}, per_level={})

    @staticmethod
    def count(inst: Instance) -> Seats:
        rank_of, choosers = _ranks(inst)
        by_band = sections_by(inst, lambda section: (section.activity.id, section.band.idx))
        by_activity = sections_by(inst, lambda section: section.activity.id)
        everyone: dict[str, set[int]] = defaultdict(set)
        for (activity_id, _), students in choosers.items():
            everyone[activity_id].update(students)
        bands = Counter(activity_id for activity_id, _ in choosers)
        per_level = {}
        for key, students in choosers.items():
            levels = {inst.priority_level.get(i, 0) for i in students}
            for level in sorted(levels - {0}):
                above = [i for i in students if inst.priority_level.get(i, 0) >= level]
                per_level[(*key, level)] = _activity_bound(inst, by_band[key], above, _head)
        return Seats(
            rank_of=rank_of,
            per_band={key: _activity_bound(inst, by_band[key], students, _head)
                      for key, students in choosers.items()},
            per_activity={activity_id: _activity_bound(inst, by_activity[activity_id],
                                                        everyone[activity_id], _head)
                          for activity_id, count in bands.items() if count > 1},
            per_level=per_level)

    def entry(self, key: tuple[str, int], level: int) -> object:
        """The node a child of priority ``level`` enters (activity, band) ``key`` by."""
        below = [lv for (a, b, lv) in self.per_level if (a, b) == key and lv <= level]
        return (*key, max(below)) if below else key

    def network(self, flow: min_cost_flow.SimpleMinCostFlow, node: Callable[[object], int],
                sink: int) -> None:
        """Arcs from each (activity, band) node, through the activity's if its bands share
        seats, to ``sink``; and into each, a chain from its highest priority level down,
        each link holding the seats of that level and above."""
        for key, seats in self.per_band.items():
            joint = node(key[0]) if key[0] in self.per_activity else sink
            flow.add_arc_with_capacity_and_unit_cost(node(key), joint, seats, 0)
        for activity_id, seats in self.per_activity.items():
            flow.add_arc_with_capacity_and_unit_cost(node(activity_id), sink, seats, 0)
        for (activity_id, band, level), seats in self.per_level.items():
            lower = self.entry((activity_id, band), level - 1)
            flow.add_arc_with_capacity_and_unit_cost(node((activity_id, band, level)),
                                                     node(lower), seats, 0)


def fewest_unserved(inst: Instance, seats: Seats) -> int:
    """At most this many choosers can have a place: a maximum flow of one place per
    child into the seats each activity has for them. The rest are left without, in
    any schedule; on the 3,000 and 5,000-student samples this is exactly what the
    search finds."""
    served = _max_flow(inst, seats, places=lambda i: 1, worth=lambda i, rank: 1)
    return inst.unreachable + len(inst.applicants) - served


def most_served_by_priority(inst: Instance, seats: Seats) -> int:
    """At least the most ``priority_served`` any schedule reaches: the same flow of one
    place per child, each worth their priority weight. (Sets of children who can all
    have seats form a matroid, so this weight is reached with as many children served
    as ``fewest_unserved`` allows: the bound holds at the level after it, too.)"""
    weight = _priority_weight(inst)
    return _max_flow(inst, seats, places=lambda i: 1, worth=lambda i, rank: weight(i))


def choice_points_flow_bound(inst: Instance, seats: Seats) -> int:
    """At least the most ``choice_points`` any schedule can earn, as a max-weight flow.

    Each child takes up to ``wants`` places in different activities they chose,
    worth their rank points times their priority weight, into the seats each
    activity has for them. Clashes between a child's places are left out, so no
    schedule earns more.
    """
    weight = _priority_weight(inst)
    return _max_flow(inst, seats, places=lambda i: inst.students[i].wants,
                     worth=lambda i, rank: weight(i) * rank_points(rank))


@dataclass(frozen=True)
class Held:
    """What the levels before hold every schedule of a later level to (as fixed)."""

    unserved: int | None = None
    """At most this many choosers without a place."""
    priority_served: int | None = None
    first_choices: int | None = None


def _ranks(inst: Instance) -> tuple[dict[int, dict[tuple[str, int], int]],
                                   dict[tuple[str, int], list[int]]]:
    """Chooser → (activity, band) → the rank they gave it; (activity, band) → choosers."""
    rank_of: dict[int, dict[tuple[str, int], int]] = defaultdict(dict)
    choosers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, choices in inst.applicants.items():
        for s, rank in choices:
            key = (inst.sections[s].activity.id, inst.sections[s].band.idx)
            if key not in rank_of[i]:
                rank_of[i][key] = rank
                choosers[key].append(i)
    return dict(rank_of), choosers


def _max_flow(inst: Instance, seats: Seats, places: Callable[[int], int],
              worth: Callable[[int, int], int]) -> int:
    """The most total ``worth`` of places children take, up to ``places(i)`` each, one
    per activity, within ``seats``."""
    flow = min_cost_flow.SimpleMinCostFlow()
    nodes: dict[object, int] = {}

    def node(key: object) -> int:
        return nodes.setdefault(key, len(nodes))

    source, sink = node("source"), node("sink")
    seats.network(flow, node, sink)
    supply = 0
    for i, ranks in seats.rank_of.items():
        wanted = min(places(i), len(ranks))
        supply += wanted
        child = node(("child", i))
        flow.add_arc_with_capacity_and_unit_cost(source, child, wanted, 0)
        flow.add_arc_with_capacity_and_unit_cost(child, sink, wanted, 0)  # places not taken
        level = inst.priority_level.get(i, 0)
        for key, rank in ranks.items():
            flow.add_arc_with_capacity_and_unit_cost(child, node(seats.entry(key, level)), 1,
                                                     -worth(i, rank))
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("a placement bound's flow failed")
    return -flow.optimal_cost()


def sections_by(inst: Instance, key: Callable[[CandidateSection], object]
                 ) -> dict[object, list[CandidateSection]]:
    grouped: dict[object, list[CandidateSection]] = defaultdict(list)
    for section in inst.sections:
        grouped[key(section)].append(section)
    return grouped


def _priority_weight(inst: Instance) -> Callable[[int], int]:
    return lambda i: priority_weight(inst, i)


def _head(i: int) -> int:
    return 1


def choice_points_bound(inst: Instance, unserved: int, first_choices: int) -> int:
    """At least the most ``choice_points`` a schedule can earn with at least ``unserved``
    children left without a place and at most ``first_choices`` (both as proven by the
    levels before).

    A child's places are in different activities, so at most one is a first choice
    and the rest are worth a second choice's points at most: with ``wants`` places, a
    child earns at most ``wants`` second choices plus the first choice's extra. The
    children left out earn nothing; the bound leaves out those who would earn least.
    """
    most = sorted(
        priority_weight(inst, i)
        * min(inst.students[i].wants, len({inst.sections[s].activity.id for s, _ in choices}))
        for i, choices in inst.applicants.items())
    # Those no section can take are among the unserved but not among ``most``.
    served = most[min(max(unserved - inst.unreachable, 0), len(most)):]
    return (rank_points(2) * sum(served)
            + (rank_points(1) - rank_points(2)) * first_choices)


def patterns(inst: Instance, section: CandidateSection) -> list[Pattern]:
    """The meeting patterns a section could use: days on which it has a room and staff."""
    needed = section.activity.staff_per_section
    usable: dict[int, dict[int, frozenset[tuple[int, int]]]] = defaultdict(dict)
    for option in section.options:
        has_room = any(not any(slot in inst.room_classes[c].unavailable
                               for slot in option.slots) for c in section.room_classes)
        free_staff = sum(1 for t in section.staff
                         if not any(slot in inst.staff[t].unavailable for slot in option.slots))
        if has_room and free_staff >= needed:
            usable[option.first_period][option.day] = frozenset(option.slots)
    sessions = section.activity.sessions_per_week
    return [Pattern(first, frozenset(days), frozenset().union(*(by_day[d] for d in days)))
            for first, by_day in sorted(usable.items())
            for days in itertools.combinations(sorted(by_day), sessions)]


def _activity_bound(inst: Instance, sections: list[CandidateSection],
                    students: Iterable[int], weight: Callable[[int], int]) -> int:
    """The most total ``weight`` of ``students`` one activity's sections can seat on
    days and periods they come; ``sections`` are its candidates (of one band or all)."""
    model = cp_model.CpModel()
    copies: Counter[int] = Counter(section.band.idx for section in sections)
    size = {section.band.idx: section.max_size for section in sections}
    first_copy = {section.band.idx: section for section in reversed(sections)}
    by_band = {band: patterns(inst, section) for band, section in first_copy.items()}
    opened: dict[tuple[int, int], cp_model.IntVar] = {}
    for band, count in copies.items():
        for p, _ in enumerate(by_band[band]):
            opened[band, p] = model.new_int_var(0, count, "")
        model.add(sum(opened[band, p] for p, _ in enumerate(by_band[band])) <= count)
    limit = sections[0].activity.max_sections
    if limit is not None:
        model.add(sum(opened.values()) <= limit)
    # Children of one band, weight and fit are interchangeable: count them, not name them.
    kinds: Counter[tuple[int, int, tuple[int, ...]]] = Counter()
    for i in students:
        student = inst.students[i]
        band = inst.band_of_grade[student.grade]
        fits = tuple(p for p, pattern in enumerate(by_band.get(band, []))
                     if student.stays_for_all(pattern.slots))
        if fits:
            kinds[band, weight(i), fits] += 1
    seated: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    terms: list[cp_model.LinearExprT] = []
    for (band, each, fits), count in kinds.items():
        placed = [model.new_int_var(0, count, "") for _ in fits]
        model.add(sum(placed) <= count)
        for p, var in zip(fits, placed, strict=True):
            seated[band, p].append(var)
        terms.extend(each * var for var in placed)
    for (band, p), vars_ in seated.items():
        model.add(sum(vars_) <= size[band] * opened[band, p])
    if not terms:
        return 0
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = _SECONDS_PER_ACTIVITY
    code = solver.solve(model)
    if code in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):  # no seat at all is feasible
        raise RuntimeError(f"a per-activity bound model failed: {solver.status_name(code)}")
    # The objective is integral; never round a bound down past it.
    return math.floor(solver.best_objective_bound + 1e-6)
