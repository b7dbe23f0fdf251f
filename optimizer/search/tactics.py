"""Search tactics a level uses after its whole-school search: pieces of the school searched
again, the children placed again by the placement program, and relinking.

Each keeps every schedule at least as good as the one it starts from and leaves the
best loaded in the solver (``cpsat.load``), so ``solver.value`` reads it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.model.instance import Instance
from optimizer.model.rules import GOALS
from optimizer.model.rules.hard import term_cost
from optimizer.model.variables import Variables
from optimizer.search import cpsat
from optimizer.search.bounds import Held
from optimizer.search.placement import OpenSection, Timetable, best_places
from optimizer.search.polish import place_students, timetable_variables
from optimizer.search.result import Params

log = logging.getLogger(__name__)


POLISH_SHARE = 0.1


_POLISH_MAX_S = 10.0
"""Time for placing the students again with the timetable fixed (optimizer/search/polish.py)."""
_PIECE_MIN_S, _PIECE_MAX_S = 2.0, 5.0
"""Time for one piece of the school searched again: a few seconds solve one on 3,000
students (most end FEASIBLE, not proven, but improved)."""


_PIECE_ONE_S = 3.0
"""…and for a piece of one activity (``polish.by_regret``): a second of it goes to
presolve; with 2 s, junior football's move on 3,000 students was missed in one of
three runs."""


@dataclass
class Level:
    """One level as the tactics search it: the model and solver all levels share, the
    settings and variables, and the level's objective with its tie-breaks (maximized),
    its bound and its progress callback."""

    model: cp_model.CpModel
    solver: cp_model.CpSolver
    params: Params
    v: Variables
    combined: cp_model.LinearExprT
    callback: cpsat.ProgressCallback
    stopped: threading.Event
    bound: float = math.inf

    def search(self, solver: cp_model.CpSolver, model: cp_model.CpModel
               ) -> cp_model.CpSolverStatus:
        """A search of this level's, reported on its progress callback."""
        return cpsat.run(solver, model, self.callback)


def search_pieces(level: Level, best: list[int], seconds: float,
                  pieces: Iterator[tuple[frozenset[int], frozenset[int]]],
                  place_again: Callable[[list[int], float], list[int]] | None = None,
                  ) -> list[int]:
    """Search the school again a piece at a time (polish.neighbourhoods): a few
    activities that compete for rooms move, the children who chose them change places,
    the rest stays. Keeps every schedule at least as good; returns the best, loaded in
    the solver.

    With ``place_again`` (the placement program, ``place_again``), every schedule a
    piece keeps is placed again whole: a piece moves sections for the children who
    chose them, and the seats this frees or makes reach further than the piece
    (3,000 students: a piece +20, the placement after it +114).

    On 3,000 students the whole model, searched for a minute, barely moves from the
    warm start, while pieces of it are searched in seconds each (docs/benchmarks.md).
    """
    model, solver, params = level.model, level.solver, level.params
    combined, callback, bound, stopped = level.combined, level.callback, level.bound, level.stopped
    # One activity and the placement program after it: short pieces, many of them.
    each = _PIECE_ONE_S if place_again else min(max(seconds / 3, _PIECE_MIN_S), _PIECE_MAX_S)
    rounds = int(seconds / each) if params.deterministic else None
    deadline = time.monotonic() + seconds
    best_value = solver.value(combined)
    holds_best, tried, improved = True, 0, 0
    callback.frozen_bound = bound
    try:
        while not stopped.is_set() and (tried < rounds if rounds is not None
                                        else deadline - time.monotonic() >= _PIECE_MIN_S / 2):
            piece = next(pieces, None)
            if piece is None:  # no activity anyone chose: nothing to search
                break
            tried += 1
            left = deadline - time.monotonic()
            found = _search_piece(level, best, piece,
                                  each if rounds is not None else min(each, left))
            if found is None:
                holds_best = False
                continue
            value = solver.value(combined)
            # Without the placement program, a piece as good as the best is kept (it may
            # open the way for the next); with it, only a better one, which it places
            # again: a sideways move would cost the next level a placement for nothing.
            holds_best = value > best_value if place_again else value >= best_value
            if holds_best:
                better = value > best_value
                improved += better
                best, best_value = found, value
                if better and place_again is not None:
                    # Even past the deadline: what the piece moved is worth most placed
                    # again, and the next levels' time pays for a few seconds.
                    left = deadline - time.monotonic()
                    best = place_again(best, max(left, COMPLETE_S) if rounds is None else each)
                    best_value = solver.value(combined)
    finally:
        callback.frozen_bound = None
    log.info("searched %d pieces of the school, %d improved it", tried, improved)
    if not holds_best:
        cpsat.load(model, solver, combined, best, params)
    return best


@dataclass
class PlacedAgain:
    """What placing the children again needs besides the model: the school, what the
    levels before fixed, and the last timetable placed (once placed, placing its
    children again finds nothing new)."""

    inst: Instance
    held: Held
    placed: frozenset[int] | None = None


COMPLETE_S = 3.0
"""Time for the whole model to take a placement from the program (optimizer/search/placement.py)."""
PLACED_AGAIN = {name: goal.placed_again for name, goal in GOALS.items() if goal.placed_again}
"""Levels whose schedule the placement program improves, and the goals it maximizes."""


def _search_piece(level: Level, best: list[int], piece: tuple[frozenset[int], frozenset[int]],
                  seconds: float) -> list[int] | None:
    """One piece searched: its sections and children free, the rest of ``best`` fixed;
    the schedule found, loaded in the solver, or None."""
    free, students = piece
    cpsat.configure(level.solver, level.params, seconds)
    found = place_students(level.model, level.solver, level.v, best, level.combined,
                           free=free, students=students, search=level.search)
    if found is not None:
        log.debug("piece of %d sections, %d children: %s", len(free), len(students),
                  level.solver.value(level.combined))
    return found


def place_again(level: Level, again: PlacedAgain, goals: Sequence[str], best: list[int],
                seconds: float) -> list[int]:
    """The timetable of ``best`` kept, the children placed again by the placement program
    (optimizer/search/placement.py), then loaded into the whole model, which places study and
    checks every rule. Returns the better schedule, loaded in the solver.

    The whole-school search and its pieces move one child at a time; a placement worth
    having often needs a chain of moves across activities that no piece holds.
    """
    model, solver, params, v = level.model, level.solver, level.params, level.v
    combined, callback = level.combined, level.callback
    inst = again.inst
    timetable = frozenset(var.index for _, var in timetable_variables(v) if best[var.index])
    if timetable == again.placed:
        return best
    again.placed = timetable
    started = time.monotonic()
    best_value = solver.value(combined)
    timed = _timetable(inst, v, best, solver)
    # The placement program is a simplex in C++ with no stop of its own (2 s on 1,500
    # students, more beyond): run it beside the main thread, so Ctrl-C ends it at once.
    members = cpsat.unless_stopped(lambda: best_places(inst, timed, again.held, goals),
                                   level.stopped)
    if members is None:
        return best
    values = list(best)
    placed: set[int] = set()
    sections = _open_sections(v, best)
    for var in v.place.values():
        values[var.index] = 0
    for s, group in zip(sections, members, strict=True):
        for i in group:
            values[v.place[i, s].index] = 1
            placed.add(i)
    for i, var in v.served.items():
        values[var.index] = int(i in placed)
    # The hint is whole but for study, so a solution comes at once; proving it best for
    # the tie-breaks (study staff weigh on teachers' loads) is not worth the time.
    left = seconds if params.deterministic else seconds - (time.monotonic() - started)
    cpsat.configure(solver, params, min(max(left, 1.0), COMPLETE_S))
    callback.frozen_bound = level.bound
    try:
        found = place_students(model, solver, v, values, combined, free=(), students=(),
                               search=level.search)
    finally:
        callback.frozen_bound = None
    if found is not None and solver.value(combined) > best_value:
        log.info("placed the children again in the same timetable: %s → %s in %.1fs",
                 best_value, solver.value(combined), time.monotonic() - started)
        return found
    log.info("placing the children again gained nothing (%.1fs)", time.monotonic() - started)
    cpsat.load(model, solver, combined, best, params)
    return best


def _open_sections(v: Variables, values: Sequence[int]) -> list[int]:
    return [s for s, var in v.open.items() if values[var.index]]


def _timetable(inst: Instance, v: Variables, values: Sequence[int], solver: cp_model.CpSolver
               ) -> Timetable:
    """The open sections of ``values`` (loaded in ``solver``) and what the budget leaves
    for per-head fees."""
    slots: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for (s, o), var in v.meets.items():
        if values[var.index]:
            slots[s].update(inst.sections[s].options[o].slots)
    seats: dict[int, int] = {s: inst.sections[s].max_size for s in slots}
    for (s, _, c), var in v.room.items():
        if values[var.index]:
            seats[s] = min(seats[s], inst.room_classes[c].capacity)
    per_head = sum(inst.sections[s].activity.fee_per_student
                   for (_, s), var in v.place.items() if values[var.index])
    meetings = solver.value(term_cost(inst, v)) - per_head
    return Timetable(
        sections=[OpenSection(inst.sections[s], frozenset(slots[s]), seats[s])
                  for s in _open_sections(v, values)],
        fees_left=inst.school.info.term_budget - meetings)


def relink(level: Level, start: list[int] | None, best: list[int], seconds: float
           ) -> list[int]:
    """Place the students again around the level's schedule, the sections it moved free.

    A search that serves one more child takes the first schedule that does, and on
    the way moves sections that had nothing to do with it, losing first choices. With
    the sections that stayed where the level found them fixed and the moved ones free
    to move back, CP-SAT recovers them in a moment. Leaves ``best`` loaded in the
    solver; returns the (never worse) schedule.
    """
    model, solver, params, v = level.model, level.solver, level.params, level.v
    combined, callback = level.combined, level.callback
    moved = set() if start is None else {
        s for s, var in timetable_variables(v) if start[var.index] != best[var.index]}
    cpsat.configure(solver, params, min(max(seconds, 1.0), _POLISH_MAX_S))
    callback.frozen_bound = level.bound
    try:
        found = place_students(model, solver, v, best, combined, free=moved,
                               search=level.search)
    finally:
        callback.frozen_bound = None
    if found is None:
        cpsat.load(model, solver, combined, best, params)
        return best
    log.info("relinked: %d moved sections free, the rest fixed", len(moved))
    return found
