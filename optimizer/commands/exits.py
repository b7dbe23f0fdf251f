"""The one exit-code table of every command (README, "Exit codes")."""

from __future__ import annotations

from enum import IntEnum

from optimizer.console.interrupts import ABORTED


class Exit(IntEnum):
    """Every command's exit codes, one table (README, "Exit codes"; a test holds them equal)."""

    OK = 0
    """Done: a clean workbook, a checked schedule written (proven optimal or not), a
    schedule that keeps every rule, every pair of a sweep solved."""
    WARNINGS = 1
    """validate: usable, with warnings."""
    INVALID = 2
    """The workbook or scenarios have errors; nothing was solved or written."""
    NOT_PROVEN = 3
    """solve --strict: a schedule written, not proven optimal (or interrupted)."""
    INFEASIBLE = 4
    """solve, explain: no schedule can keep every rule (why printed, nothing written)."""
    NO_SOLUTION = 5
    """solve: none found within the time limit and none proven impossible; explain: no
    answer within its time."""
    CHECK_FAILED = 6
    """The independent checker rejected a schedule."""
    SOME_FAILED = 7
    """sweep: some school × scenario pairs have no schedule (see the reason column)."""
    NOT_WRITTEN = 8
    """A file could not be written anywhere: not where asked, beside it, nor in the
    temporary folder (each reason printed)."""
    USAGE = 64
    """The command line is wrong (an unknown option, a bad value); nothing was done."""
    INTERNAL = 70
    """An unexpected failure (a bug): one sentence, and a log file for the report."""
    INTERRUPTED = ABORTED
    """Ctrl-C before a schedule existed, or pressed twice; nothing was written."""
