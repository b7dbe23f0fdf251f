"""``resolve(school, previous, ...)``: the schedule in force, changed as little as possible.

Mid-term a teacher leaves, a vendor goes, children join and leave, a room closes on a
day. A fresh solve would move hundreds of children whose week was fine; a re-solve
keeps every rule and first moves as few children as possible out of places they still
want and may still have (``children_moved``), then as few sections as possible
(``sections_moved``), then the usual goals. Locks written in the previous schedule
hold. Everything else is :func:`optimizer.search.solve.solve`: the constructive
schedule, the levels, the checker, progress and Ctrl-C.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.check import Violation, check
from models.contract import LOCK_COLUMN
from models.locks import (
    ASSIGNMENTS_SHEET,
    SECTIONS_SHEET,
    PlaceLock,
    SectionLock,
    broken_locks,
    locks_kept,
)
from models.previous import Moves, Previous, mismatches, moves
from models.problems import Problem, WorkbookError, error
from models.schedule_io import read_previous
from models.school import School
from optimizer.model.previous import UnkeptLocks
from optimizer.model.rules import GOALS
from optimizer.search.levels import Levels, school_levels
from optimizer.search.result import Params, Progress, Result
from optimizer.search.solve import solve

log = logging.getLogger(__name__)

MOVES_FIRST: Levels = (((("children_moved", 1),), (("sections_moved", 1),)))
"""A re-solve's first levels: children moved, then sections moved (docs/goals.md)."""

SUPERVISION_AFTER = "lottery"
"""Study duties kept come after every goal about the children (their places, then the
lottery's ties), before the staff's loads and the cost: no child loses a place or a
choice so that a supervisor keeps an hour."""


@dataclass(frozen=True)
class Resolution:
    """What a re-solve found: the solve's result, and what it changed and why."""

    result: Result
    previous: Previous
    no_longer_holds: tuple[Violation, ...]
    """The rules the previous schedule breaks in the school as it is now."""
    unlocked: tuple[Problem, ...] = ()
    """Locks the school cannot keep, freed by ``--unlock-broken``."""
    moves: Moves | None = None
    locks_missed: tuple[str, ...] = ()
    """Locks the new schedule does not keep: a bug of ours (the model fixes them)."""


def read_previous_schedule(path: str | Path, school: School, *, unlock_broken: bool = False
                           ) -> tuple[Previous, list[Problem]]:
    """The previous schedule of this school, with its locks; (previous, locks freed).

    Raises :class:`WorkbookError` with located problems for an unreadable schedule,
    one of another school (:func:`models.previous.mismatches`), or locks the school
    cannot keep unless ``unlock_broken`` frees them.
    """
    schedule, locks = read_previous(path, school)
    wrong_school = mismatches(school, schedule)
    if wrong_school:
        raise WorkbookError(wrong_school)
    broken = broken_locks(school, schedule, locks)
    if broken and not unlock_broken:
        raise WorkbookError(broken)
    if broken:
        locks = locks.without({(p.sheet, p.row) for p in broken if p.row is not None})
        log.info("freed %d lock(s) the school cannot keep", len(broken))
    return Previous(schedule, locks), broken


def resolve_levels(settings: dict[str, str], spec: str | None = None) -> Levels:
    """``--goals`` as given when given; else the moves first, then the school's own order
    (its Settings sheet, else the contract's)."""
    if spec:
        return school_levels(settings, spec)
    usual = school_levels(settings)
    moves = {name for name, goal in GOALS.items() if goal.needs_previous}
    rest = [level for level in usual if not any(name in moves for name, _ in level)]
    after = next((n + 1 for n, level in enumerate(rest)
                  if any(name == SUPERVISION_AFTER for name, _ in level)), len(rest))
    return (*MOVES_FIRST, *rest[:after], (("supervisors_moved", 1),), *rest[after:])


def resolve(school: School, previous: Previous, params: Params, *,
            unlocked: list[Problem] | None = None, unlock_broken: bool = False,
            on_progress: Callable[[Progress], None] | None = None,
            stop: threading.Event | None = None) -> Resolution:
    """Re-solve ``school`` from the schedule in force; ``params.levels`` should put the
    moves first (:func:`resolve_levels`).

    Raises :class:`WorkbookError` for locks that no section the school may open now can
    keep, unless ``unlock_broken`` frees them too (listed in ``unlocked``).
    """
    before = check(school, previous.schedule)
    if not before.ok:
        log.info("the previous schedule breaks %d rule clause(s) of the school as it is now",
                 len(before.violations))
    try:
        result = solve(school, params, on_progress=on_progress, stop=stop, previous=previous)
    except UnkeptLocks as exc:
        problems = [_unkept(lock) for lock in exc.locks]
        if not unlock_broken:
            raise WorkbookError(problems) from None
        previous = dataclasses.replace(previous, locks=previous.locks.without(
            {(p.sheet, p.row) for p in problems if p.row is not None}))
        unlocked = [*(unlocked or ()), *problems]
        result = solve(school, params, on_progress=on_progress, stop=stop, previous=previous)
    found = Resolution(result=result, previous=previous, no_longer_holds=before.violations,
                       unlocked=tuple(unlocked or ()))
    if result.schedule is None:
        return found
    missed = locks_kept(previous.schedule, previous.locks, result.schedule)
    for line in missed:
        log.error("a lock was not kept: %s", line)
    return dataclasses.replace(found, moves=moves(school, previous.schedule, result.schedule),
                               locks_missed=tuple(missed))


def _unkept(lock: SectionLock | PlaceLock) -> Problem:
    sheet = SECTIONS_SHEET if isinstance(lock, SectionLock) else ASSIGNMENTS_SHEET
    return error(sheet, "this lock cannot be kept (rule 2, sections): no section of its "
                 "activity may open for these grades on that day in the school as it is now",
                 row=lock.row, column=LOCK_COLUMN, value=lock.section_id)

