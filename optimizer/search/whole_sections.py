"""The fewest children without a place when sections come whole, proven by SCIP beside
the search (:class:`WholeSections`).

The program is :func:`lp_bounds.resource_bounds`'s with its sections, and the seats in
them, in whole numbers. A fraction of a section may seat a fraction of the children a
whole one would: on the 3,000-student two-bands shape the program leaves 375 children
without a place and with whole sections 385 — what the constructive schedule reaches,
so that level is proven.

SCIP is given a cutoff: the schedule already found. It is asked only for whole-section
plans that leave fewer children without a place, so it drops at once every branch that
cannot, and where none can it has proven that schedule the best whole sections allow
(long-sessions at 3,000 students: 259 proven within 33 s of the solve, where without
the cutoff its bound after 45 s was 249).

SCIP runs in a worker process of its own (``scip_worker.py``), through MathOpt:
``pywraplp`` knows no cutoff, and reports nought served while SCIP has no solution of
its own. A process, not a thread, because the search must be able to stop it at once —
for a better cutoff, at the end of the solve, at Ctrl-C — and SCIP hears an interrupt
only between nodes (its root node alone took 29 s on a 3,000-student school). The
worker streams SCIP's bound from its log as it moves, so whatever it has proven when it
is stopped holds.
"""

from __future__ import annotations

import contextlib
import logging
import math
import struct
import subprocess
import sys
import threading
import time

from optimizer.model.instance import Instance
from optimizer.search import scip_worker
from optimizer.search.lp_bounds import whole_sections_program

log = logging.getLogger(__name__)

_PATIENCE = 5.0
"""Seconds to wait for the worker to end once it is killed, before going on without it."""

class WholeSections:
    """SCIP, in a worker process, proving how few children whole sections can leave
    without a place.

    :meth:`start` begins it once the first constructive schedule is out: building the
    program in Python would otherwise delay it (overlap-cross at 5,000 students: 4.5 →
    14.5 s). The greedy's restarts and the model's building use one core, the worker the
    other. Each better schedule is told to it (:meth:`found`, or :meth:`aim` before it
    is checked), and becomes its cutoff. When
    the search needs the bound, or at its end, :meth:`unserved` stops it, and its best
    bound so far holds.
    """

    def __init__(self, inst: Instance, seconds: float) -> None:
        """``seconds``: from now, when the program is to end, started or not."""
        self._inst, self._until = inst, time.monotonic() + seconds
        self._choosers = inst.unreachable + len(inst.applicants)
        self._bound: int | None = None
        self._found: int | None = None
        """The fewest children without a place of any schedule told to :meth:`found`."""
        self._aim: int | None = None
        """The fewest children without a place SCIP is to look below (:meth:`aim`)."""
        self._aimed: int | None = None
        """The ``_aim`` the worker now running takes as its cutoff."""
        self._worker: subprocess.Popen[bytes] | None = None
        self._again = False
        """The worker was killed for a lower cutoff, and is to begin again."""
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="whole-sections", daemon=True)

    def start(self) -> None:
        """Begin, if not yet begun."""
        if self._thread.ident is None:
            self._thread.start()

    def found(self, unserved: int) -> None:
        """A checked schedule leaves ``unserved`` children without a place: no bound may
        claim more, and SCIP takes it as its cutoff (:meth:`aim`)."""
        with self._lock:
            self._found = unserved if self._found is None else min(self._found, unserved)
        self.aim(unserved)

    def aim(self, unserved: int) -> None:
        """Take ``unserved`` as the cutoff if it is lower: the worker begins again from it.
        Any number will do (an attempt of the greedy not yet checked, say): proving no plan
        leaves fewer holds whoever chose the number, and if some plan does leave fewer,
        SCIP finds it and goes on as without a cutoff. The constructive schedule improves
        for seconds after the first is out (long-sessions at 3,000: 369 → 259 by 11 s),
        and each lower cutoff drops more branches."""
        with self._lock:
            self._aim = unserved if self._aim is None else min(self._aim, unserved)
            if self._worker is not None and (self._aimed is None or self._aim < self._aimed):
                self._worker.kill()
                self._again = True

    def solving(self) -> bool:
        """SCIP's worker is at work on the program."""
        with self._lock:
            return self._worker is not None

    def ended(self) -> bool:
        """Started, and ended on its own (proved its optimum, or ran out of time)."""
        return self._thread.ident is not None and not self._thread.is_alive()

    def settled(self) -> int | None:
        """The bound, if the program has already ended on its own (None if it has not, or
        proved nothing); it is not stopped."""
        return self._checked(self._bound) if self.ended() else None

    def unserved(self, wait: float = 0.0) -> int | None:
        """Stop the program (after letting it run up to ``wait`` seconds more) and say the
        fewest children without a place it proved; None if it proved nothing, was never
        started, or SCIP could not be run here."""
        if self._thread.ident is None:
            return None
        self._thread.join(wait)
        with self._lock:
            self._stopped = True
            worker = self._worker
            if worker is not None:
                worker.kill()
        # A killed worker's last lines are read at once. While the program is still being
        # built (seconds, at 5,000 students) there is nothing to wait for: the thread
        # sees the stop when the program is built, and ends without starting a worker.
        self._thread.join(_PATIENCE if worker is not None else 0.0)
        if worker is not None and self._thread.is_alive():
            log.warning("whole sections: SCIP's worker did not end within %.0f s; going "
                        "on without its bound", _PATIENCE)
            return None
        return self._checked(self._bound)

    def _checked(self, bound: int | None) -> int | None:
        """``bound``, unless it claims more than a schedule found reaches: nonsense, which
        a wrong program would say, and then nothing it says is trusted."""
        with self._lock:
            found = self._found
        if bound is not None and found is not None and bound > found:
            log.warning("whole sections: SCIP's bound (%d without a place) is above a "
                        "schedule found (%d); not used", bound, found)
            return None
        return bound

    def _run(self) -> None:
        program = self._program()
        while program is not None:
            with self._lock:
                seconds = self._until - time.monotonic()
                if self._stopped or seconds <= 0.5:
                    return
                aimed, self._aimed, self._again = self._aim, self._aim, False
                try:
                    worker = self._worker = _spawn(seconds, aimed, self._choosers)
                except OSError as error:
                    log.warning("whole sections: SCIP's worker could not start (%s); "
                                "going on without its bound", error)
                    return
            try:
                self._follow(worker, program, aimed)
            finally:
                with self._lock:
                    self._worker = None
                    again = self._again and not self._stopped
            if not again:
                return
            log.debug("whole sections: SCIP begins again, cutoff %d without a place",
                      self._aim)

    def _program(self) -> bytes | None:
        """The program in MPS, for the worker; None if SCIP is not in this build."""
        lp = whole_sections_program(self._inst)
        if lp is None:
            return None
        return str(lp.ExportModelAsMpsFormat(False, False)).encode()

    def _follow(self, worker: subprocess.Popen[bytes], program: bytes,
                aimed: int | None) -> None:
        """Hand the worker its program and take each bound it reports until it ends or is
        killed."""
        assert worker.stdin is not None
        assert worker.stdout is not None
        ended: int | None = None
        try:
            worker.stdin.write(struct.pack(">Q", len(program)) + program)
            worker.stdin.flush()
            for line in worker.stdout:
                word, *value = line.split() or [b""]
                if word == b"bound":
                    self._take(float(value[0]), aimed)
                elif word == b"cutoff" and aimed is not None:
                    self._take(None, aimed)
            ended = worker.wait(_PATIENCE)
        except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
            pass  # killed while being told its program, or a line cut short: it is over
        finally:
            worker.kill()
            worker.wait()
            for pipe in (worker.stdout, worker.stdin):
                with contextlib.suppress(OSError):  # a program still in the buffer
                    pipe.close()
        with self._lock:
            killed = self._again or self._stopped
        if ended not in (None, 0) and not killed:
            log.warning("whole sections: SCIP's worker failed (exit code %s); going on "
                        "without its bound", ended)

    def _take(self, served: float | None, aimed: int | None) -> None:
        """Keep a bound: SCIP's on the children served (None when it has proven that no
        plan beats its cutoff). With a cutoff, every plan leaves ``aimed`` or more
        children without a place, or is within SCIP's bound."""
        if served is None:
            bound = aimed
        else:
            # Before its first relaxation SCIP's bound is infinite: it says nothing.
            if not math.isfinite(served) or served > self._choosers:
                return
            bound = self._choosers - math.floor(served + 1e-6 * max(1.0, abs(served)))
            if aimed is not None:
                bound = min(bound, aimed)
        if bound is not None:
            with self._lock:
                self._bound = bound if self._bound is None else max(self._bound, bound)


def _spawn(seconds: float, aimed: int | None, choosers: int) -> subprocess.Popen[bytes]:
    """The worker, to solve for up to ``seconds``, only for plans leaving fewer than
    ``aimed`` children without a place."""
    cutoff = "-" if aimed is None else repr(choosers - aimed + 0.5)
    windows = sys.platform == "win32"
    return subprocess.Popen(
        [sys.executable, "-P", scip_worker.__file__, repr(seconds), cutoff],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        # Out of the console's reach: the coordinator's Ctrl-C is the search's to handle,
        # and a worker must not open a window of its own on Windows.
        start_new_session=not windows,
        creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if windows else 0)
