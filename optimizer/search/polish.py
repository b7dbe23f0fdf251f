"""Keep most of the timetable, place the children again.

The search for who gets a place moves sections and students together. When it
serves one more child without regard to the goals after that, it takes the
first schedule it finds, and sections it moved on the way rarely move back
within the time it has. With most sections' days, rooms and staff fixed and
only a few free, placing the students (and filling study) is a much smaller
problem: solving it after such a step recovers the first choices the moves
cost (solve.py's relinking). With every section fixed it is almost a flow.

The same restriction, taken further, is a neighbourhood search: a few activities that
compete for the same kind of room may move, and only the children who chose them may
change places; everything else stays. CP-SAT solves such a piece in a few seconds,
where the whole school gives it no improvement in a minute (docs/model.md).
"""

from __future__ import annotations

import logging
import random
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence

from ortools.sat.python import cp_model

from optimizer.model.instance import Instance
from optimizer.model.rules.goals import priority_weight, rank_points
from optimizer.model.variables import Variables
from optimizer.model.warmstart import hint_values

log = logging.getLogger(__name__)


def timetable_variables(v: Variables) -> Iterator[tuple[int, cp_model.IntVar]]:
    """What the timetable decides — open sections, their meetings, rooms and staff —
    as (candidate section, variable)."""
    for table in (v.open, v.first_period, v.meets, v.room, v.staff):
        for key, var in table.items():
            yield (key if isinstance(key, int) else key[0]), var


def place_students(model: cp_model.CpModel, solver: cp_model.CpSolver,
                   v: Variables, values: Sequence[int], objective: cp_model.LinearExprT,
                   free: Collection[int] = (),
                   search: Callable[[cp_model.CpSolver, cp_model.CpModel],
                                    cp_model.CpSolverStatus] | None = None,
                   students: Collection[int] | None = None,
                   ) -> list[int] | None:
    """The best solution for ``objective`` with the timetable of ``values`` kept,
    except for the candidate sections in ``free``, which may open, close and move;
    with ``students``, only those children may change places (study is always free).

    ``solver`` comes configured (time limit, workers); ``search`` runs it (default
    ``solver.solve``). The model is left as it was found, apart from its objective,
    its hints and an empty clause per call; on return the solver holds the solution.
    Returns None when the search found nothing in time (``values`` is feasible, so the
    result is never worse).
    """
    started = time.monotonic()
    free = frozenset(free)
    fixed = [var for s, var in timetable_variables(v) if s not in free]
    if students is not None:
        movable = frozenset(students)
        fixed.extend(var for (i, _), var in v.place.items() if i not in movable)
    model.maximize(objective)
    hint_values(model, values)
    # Fixed by one clause of literals, written into the proto at once and emptied after
    # (an empty clause holds always; presolve drops it). Setting and restoring domains
    # one variable at a time took 1.5-2 s per piece on 5,000 students, each proto
    # element access being a call into C++; a copy of the model instead cost 400 MB
    # there. Every variable fixed here is a Boolean.
    clause = model.proto.constraints.add().bool_and.literals
    clause.extend([var.index if values[var.index] else -var.index - 1 for var in fixed])
    try:
        code = (search or _solve)(solver, model)
    finally:
        clause.clear()
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("placement with the timetable fixed: %s", solver.status_name(code))
        return None
    log.info("placement with the timetable fixed: %s in %.1fs", solver.status_name(code),
             time.monotonic() - started)
    return list(solver.response_proto.solution)


def neighbourhoods(inst: Instance, rng: random.Random, size: int = 3
                   ) -> Iterator[tuple[frozenset[int], frozenset[int]]]:
    """Endless pieces of the school to search again, as (candidate sections, students).

    One activity drawn at random and up to ``size - 1`` others that may use the same
    kind of room (they compete for its hours), with every child who chose any of them:
    the days those activities meet, and who gets their places, are decided together.
    """
    sections: dict[str, set[int]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    for section in inst.sections:
        sections[section.activity.id].add(section.idx)
        kinds[section.activity.id].update(inst.room_classes[c].type
                                          for c in section.room_classes)
    choosers: dict[str, set[int]] = defaultdict(set)
    for i, choices in inst.applicants.items():
        for s, _ in choices:
            choosers[inst.sections[s].activity.id].add(i)
    activities = sorted(a for a in sections if choosers[a])
    if not activities:
        return
    while True:
        drawn = rng.choice(activities)
        rivals = [a for a in activities if a != drawn and kinds[a] & kinds[drawn]]
        group = [drawn, *rng.sample(rivals, min(size - 1, len(rivals)))]
        yield (frozenset().union(*(sections[a] for a in group)),
               frozenset().union(*(choosers[a] for a in group)))


def by_regret(inst: Instance, v: Variables, values: Sequence[int]
              ) -> Iterator[tuple[frozenset[int], frozenset[int]]]:
    """Endless pieces of one activity each, as (candidate sections, students): first the
    activity whose choosers would gain most per seat from a place in it, then the
    next, round and round.

    A child's gain is their priority weight times the rank points the activity would
    bring above the best place they have; per seat, because moving a section gains
    at most what its seats hold (and a piece of many sections takes longer to
    search); an activity with no gain is left out. With the
    placement program after every improving piece (solve.py), one activity's days are
    the move that matters: on the 3,000-student sample, moving the junior football
    section (540 choosers, 30 seats, 27 priority children) gained 4 points in its
    piece and 516 once the children were placed again.
    """
    best_points: dict[int, int] = defaultdict(int)
    joined: dict[int, set[str]] = defaultdict(set)
    rank = {(i, s): r for i, choices in inst.applicants.items() for s, r in choices}
    for (i, s), var in v.place.items():
        if values[var.index]:
            best_points[i] = max(best_points[i], rank_points(rank[i, s]))
            joined[i].add(inst.sections[s].activity.id)
    regret: dict[str, int] = defaultdict(int)
    sections: dict[str, set[int]] = defaultdict(set)
    seats: dict[str, int] = defaultdict(int)
    choosers: dict[str, set[int]] = defaultdict(set)
    for section in inst.sections:
        sections[section.activity.id].add(section.idx)
        seats[section.activity.id] += section.max_size
    for i, choices in inst.applicants.items():
        # Every copy of an activity is among a child's candidates: count the child once.
        for activity_id, r in {inst.sections[s].activity.id: r for s, r in choices}.items():
            choosers[activity_id].add(i)
            if activity_id not in joined[i]:
                regret[activity_id] += priority_weight(inst, i) * max(
                    0, rank_points(r) - best_points[i])
    order = sorted((a for a, gain in regret.items() if gain > 0),
                   key=lambda a: (-regret[a] / max(seats[a], 1), a))
    if not order:
        return
    while True:
        for activity_id in order:
            yield frozenset(sections[activity_id]), frozenset(choosers[activity_id])


def _solve(solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
    return solver.solve(model)
