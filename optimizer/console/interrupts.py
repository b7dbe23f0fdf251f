"""Ctrl-C during a command: the first press stops the work and keeps what it found, a
second aborts at once.

What the first press does depends on the stage the command is in (:class:`Stage`):
before a schedule exists it ends the command (nothing to keep); during the search it
asks the search to stop, and the best checked schedule so far is written; while the
files are written it lets the write finish. A second press ends the process at once
with exit code 130 (a write cut short leaves only a hidden temporary file, which the
next write removes).

Two things make that hold at any moment. CP-SAT catches SIGINT itself in every solve
unless told not to, swallowing the press, and at the end of such a solve resets it to
the default action, so that the next press kills the process without a word; while a
:class:`CtrlC` is active every CP-SAT solve leaves SIGINT to us. And Python runs signal
handlers only in the main thread, between bytecodes, which may sit in a long C call;
the signal's wake-up byte reaches a thread of ours at once, so presses are counted
(and a second one obeyed) whatever the main thread is doing.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from enum import Enum
from types import TracebackType
from typing import Any

from models.messages import Said, msg

ABORTED = 130
"""The exit code of a command ended by Ctrl-C (128 + SIGINT, as shells report it)."""


class Stage(Enum):
    """Where a command is, for what Ctrl-C should do."""

    STARTING = "starting"
    """Reading and checking the input, building the first schedule: nothing to keep."""
    SEARCHING = "searching"
    """A checked schedule exists: stop the search and keep the best."""
    WRITING = "writing"
    """The files are being written: let the write finish."""


class CtrlC:
    """Ctrl-C for one command, as a context manager: ``stop`` is set at the first press.

    ``say`` shows a sentence: English text that can be said again in the command's
    language (:class:`models.messages.Said`)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.stop = threading.Event()
        self.stage = Stage.STARTING
        self.pressed_in: Stage | None = None
        """The stage of the first press, None when Ctrl-C was not pressed."""
        self._say = say
        self._closed = threading.Event()
        self._watcher: threading.Thread | None = None
        self._sockets: tuple[socket.socket, socket.socket] | None = None
        self._previous: Any = None
        self._wakeup = -1
        self._solve: Any = None

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is not threading.main_thread():
            return self  # signals reach only the main thread's handlers: nothing to do
        self._solve = _leave_sigint_to_python()
        reader, writer = socket.socketpair()
        writer.setblocking(False)
        reader.settimeout(0.2)
        self._sockets = (reader, writer)
        self._wakeup = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self._previous = signal.signal(signal.SIGINT, self._handler)
        self._watcher = threading.Thread(target=self._watch, name="ctrl-c", daemon=True)
        self._watcher.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._watcher is None or self._sockets is None:
            return
        self._closed.set()
        self._watcher.join()
        signal.signal(signal.SIGINT, self._previous)
        signal.set_wakeup_fd(self._wakeup)
        for end in self._sockets:
            end.close()
        _restore_solve(self._solve)

    def _watch(self) -> None:
        assert self._sockets is not None
        reader = self._sockets[0]
        while not self._closed.is_set():
            try:
                received = reader.recv(64)
            except TimeoutError:
                continue
            except OSError:
                return
            for number in received:
                if number == signal.SIGINT:
                    self.pressed()

    def _handler(self, signum: int, frame: object) -> None:
        """Python's handler, in the main thread: the watcher counts the presses; before a
        schedule exists, the command itself must stop here."""
        if self.stage is Stage.STARTING:
            raise KeyboardInterrupt

    def pressed(self) -> None:
        """Act on one press of Ctrl-C."""
        if self.stop.is_set():
            self._say(Said(msg("ctrlc.again")))
            sys.stderr.flush()
            os._exit(ABORTED)
        self.pressed_in = self.stage
        self.stop.set()
        if self.stage is Stage.SEARCHING:
            self._say(Said(msg("ctrlc.searching")))
        elif self.stage is Stage.WRITING:
            self._say(Said(msg("ctrlc.writing")))


def _leave_sigint_to_python() -> Any:
    """Make every CP-SAT solve, whoever creates the solver, leave SIGINT alone; return
    what to restore."""
    from ortools.sat.python import cp_model

    original = cp_model.CpSolver.solve

    def solve(self: Any, *args: Any, **kwargs: Any) -> Any:
        self.parameters.catch_sigint_signal = False
        return original(self, *args, **kwargs)

    cp_model.CpSolver.solve = solve  # type: ignore[method-assign]
    return original


def _restore_solve(original: Any) -> None:
    if original is not None:
        from ortools.sat.python import cp_model

        cp_model.CpSolver.solve = original  # type: ignore[method-assign]


def pressed_ctrl_c(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was caused by, a Ctrl-C: inside a C extension's start-up
    (OR-Tools, numpy) it comes back as that library's ImportError."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
