"""CP-SAT plumbing shared by the levels and the search tactics: parameters, a search in a
helper thread that Ctrl-C can stop, loading a known solution, and the progress callback.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import math
import signal
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import TypeVar

from ortools.sat.python import cp_model

from optimizer.model.warmstart import hint_values
from optimizer.search.result import Params, Progress

log = logging.getLogger(__name__)


class ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports the level's own objective and bound, also while a tie-break is added."""

    def __init__(self, start: float, level: int, goal: str, objective: cp_model.LinearExprT,
                 served: list[cp_model.IntVar], sink: list[Progress],
                 on_progress: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self._start, self._level, self._goal = start, level, goal
        self._objective = objective
        self._served, self._sink, self._on_progress = served, sink, on_progress
        self.scale = 1
        """The factor of the level's objective in the objective being solved."""
        self.ceiling: float = math.inf
        """The largest value the level's objective can take (caps a tie-broken bound)."""
        self.frozen_bound: float | None = None
        """The level's bound while a restricted search runs (its own bound is not one)."""

    def on_solution_callback(self) -> None:
        bound: float = math.floor(self.best_objective_bound / self.scale)
        bound = min(bound, self.ceiling)
        if self.frozen_bound is not None:
            bound = self.frozen_bound
        objective = self.value(self._objective)
        if self.frozen_bound is None and self.scale > 1 and objective >= self.ceiling:
            # The level's own goal is at its best (nobody unserved): the goals after it
            # have levels of their own, with their own time and bounds.
            self.stop_search()
        point = Progress(
            elapsed=time.monotonic() - self._start, level=self._level, goal=self._goal,
            objective=objective, bound=bound,
            placed=sum(self.value(v) for v in self._served),
        )
        self._sink.append(point)
        log.debug("level %d %s: %.0f (bound %.0f) at %.1fs", self._level, self._goal,
                  point.objective, point.bound, point.elapsed)
        if self._on_progress is not None:
            self._on_progress(point)


def load(model: cp_model.CpModel, solver: cp_model.CpSolver, objective: cp_model.LinearExprT,
         values: list[int], params: Params) -> None:
    """Make ``values`` the solver's current solution, so ``solver.value`` reads them."""
    configure(solver, params, 30.0)  # every variable fixed: quick, but never cut short
    solver.parameters.fix_variables_to_their_hinted_value = True
    model.maximize(objective)
    hint_values(model, values)
    code = solver.solve(model)
    give_back_memory()
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError("CP-SAT rejected a schedule it had just found: a bug of ours")


def configure(solver: cp_model.CpSolver, params: Params, seconds: float) -> None:
    p = solver.parameters
    p.catch_sigint_signal = False  # Ctrl-C is ours: see stop_on_interrupt
    p.cp_model_presolve = True  # the phases below change these two; set them every time
    p.fix_variables_to_their_hinted_value = False
    p.random_seed = params.seed % (2**31)
    # Full presolve spends 15-20 s per level on a 3,000-student school, and every
    # lexicographic level presolves again; one light pass keeps most of its benefit.
    p.max_presolve_iterations = 1
    p.cp_model_probing_level = 0
    p.symmetry_level = 0
    p.log_search_progress = params.log_search
    if params.deterministic:
        # Wall-clock limits make runs differ; deterministic time units do not.
        p.num_workers = 1
        p.max_deterministic_time = seconds
        p.max_time_in_seconds = 10 * seconds + 60
    else:
        p.num_workers = params.workers
        p.max_time_in_seconds = seconds


def run(solver: cp_model.CpSolver, model: cp_model.CpModel,
        callback: cp_model.CpSolverSolutionCallback | None = None
        ) -> cp_model.CpSolverStatus:
    """Search in a helper thread so the main thread stays free to take Ctrl-C.

    Python runs signal handlers only in the main thread, and only between bytecodes:
    while the main thread sits inside CP-SAT's C++ search, Ctrl-C would wait for the
    search to end on its own.
    """
    outcome: list[cp_model.CpSolverStatus] = []
    failure: list[BaseException] = []

    def search() -> None:
        try:
            outcome.append(solver.solve(model, callback))
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=search, name="cp-sat", daemon=True)
    worker.start()
    stop = _STOPS.get(solver)
    while worker.is_alive():
        worker.join(0.1)
        if stop is not None and stop.is_set():
            # Asked again each time: a stop that came before CP-SAT began is not lost.
            solver.stop_search()
    give_back_memory()
    if failure:
        raise failure[0]
    return outcome[0]


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, where there is one (Linux); elsewhere None."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def give_back_memory() -> None:
    """Hand the memory of a finished solve back to the system.

    Each solve copies the model into CP-SAT and presolves it; glibc keeps what is freed
    for the process, so the next solve's copy came on top: on a 5,000-student school
    (1.6 million constraints) 1.0 GB stayed between solves and the next piece's solve
    peaked at 2.2 GB. Trimmed, 0.6 GB stays and the peak was 1.6 GB.
    """
    if _TRIM is not None:
        _TRIM(0)


T = TypeVar("T")


def unless_stopped(call: Callable[[], T], stop: threading.Event) -> T | None:
    """``call()`` in a helper thread; None as soon as ``stop`` is set (within 0.1 s).

    For work in C++ that has no stop of its own (GLOP's simplex in the placement
    program): the main thread keeps taking Ctrl-C, and a stopped call is left to
    finish in the background, its answer unread.
    """
    outcome: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="interruptible", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
        if stop.is_set():
            return None
    if failure:
        raise failure[0]
    return outcome[0]


_STOPS: weakref.WeakKeyDictionary[cp_model.CpSolver, threading.Event] = (
    weakref.WeakKeyDictionary())
"""The event that stops each solver's searches in :func:`run` (set by its caller)."""


@contextlib.contextmanager
def stop_on_interrupt(solver: cp_model.CpSolver, stop: threading.Event | None = None
                      ) -> Iterator[threading.Event]:
    """Ctrl-C, or ``stop`` when given (its owner then handles Ctrl-C), stops the search;
    the best schedule found so far is still returned."""
    interrupted = stop if stop is not None else threading.Event()
    _STOPS[solver] = interrupted
    if stop is not None or threading.current_thread() is not threading.main_thread():
        try:
            yield interrupted
        finally:
            _STOPS.pop(solver, None)
        return

    def handler(signum: int, frame: object) -> None:
        interrupted.set()
        solver.stop_search()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)
        _STOPS.pop(solver, None)
