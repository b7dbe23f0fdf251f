"""SCIP's worker process for the whole-sections bound (``whole_sections.WholeSections``).

    python -P optimizer/search/scip_worker.py SECONDS CUTOFF   # the program on stdin

Run by its path, it imports nothing of the project — only the standard library and
OR-Tools — so it finds what it needs however the parent found the project (an editable
install, a notebook's ``sys.path``, a Dask worker); ``-P`` keeps this folder's modules
from standing in for others'.

It reads the program (MPS text, most children served) from stdin as its length in 8
bytes and the text, and solves it with SCIP through MathOpt for up to SECONDS, only for
plans serving more than CUTOFF (``-``: none). On stdout it reports each lower bound SCIP
proves on the children served, read from SCIP's log as it moves (``bound <served>``),
and at its end its final bound, or ``cutoff`` when no plan serves more than CUTOFF. It
ends when its parent closes stdin or goes away, and ignores Ctrl-C: stopping it is the
parent's to do.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import struct
import sys
import threading
from datetime import timedelta
from typing import IO, NoReturn

DISPLAY_EVERY = 25
"""SCIP writes a line of its log every this many nodes (its default is 100): the bound a
stopped worker leaves is the last one written."""


def solve(seconds: float, cutoff: float | None, program: bytes, out: IO[str]) -> None:
    """SCIP on ``program``, reporting to ``out`` as the module says."""
    from ortools.math_opt import result_pb2
    from ortools.math_opt.core.python import solver as mathopt_core
    from ortools.math_opt.io.python import mps_converter
    from ortools.math_opt.python import callback, init_arguments, mathopt, model_parameters

    model = mps_converter.mps_to_model_proto(program.decode())
    params = mathopt.SolveParameters(time_limit=timedelta(seconds=seconds),
                                     cutoff_limit=cutoff)
    params.gscip.bool_params["misc/catchctrlc"] = False
    params.gscip.int_params["display/freq"] = DISPLAY_EVERY
    # MathOpt's core, for the result as it comes: ``mathopt.solve`` of OR-Tools 9.15
    # cannot read a solve that ended at its cutoff (``Limit`` has no member 12).
    outcome = mathopt_core.solve(
        model, mathopt.SolverType.GSCIP.value,
        init_arguments.StreamableSolverInitArguments().to_proto(), params.to_proto(),
        model_parameters.ModelSolveParameters().to_proto(), BoundFromLog(out),
        callback.CallbackRegistration().to_proto(), None, None)
    termination = outcome.termination
    # The program is feasible (no child served) and bounded: with a cutoff, any of these
    # says that no plan serves more than it.
    if cutoff is not None and (
            termination.limit == result_pb2.LIMIT_CUTOFF
            or termination.reason in (result_pb2.TERMINATION_REASON_INFEASIBLE,
                                      result_pb2.TERMINATION_REASON_INFEASIBLE_OR_UNBOUNDED)):
        out.write("cutoff\n")
    else:
        out.write(f"bound {termination.objective_bounds.dual_bound!r}\n")
    out.flush()


class BoundFromLog:
    """Reads SCIP's log lines as they come and reports each better (lower) bound on the
    children served: the ``dualbound`` column of its display lines."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._column: int | None = None
        self._best = math.inf

    def __call__(self, lines: list[str]) -> None:
        for line in lines:
            cells = line.split("|")
            if "dualbound" in line:
                self._column = next((k for k, cell in enumerate(cells)
                                     if cell.strip() == "dualbound"), None)
                continue
            if self._column is None or len(cells) <= self._column:
                continue
            try:
                served = float(cells[self._column])
            except ValueError:
                continue  # "--" before SCIP's first relaxation
            if served < self._best:
                self._best = served
                self._out.write(f"bound {served!r}\n")
                self._out.flush()


def main(argv: list[str]) -> NoReturn:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    seconds, cutoff = float(argv[0]), None if argv[1] == "-" else float(argv[1])
    stdin = sys.stdin.buffer
    head = stdin.read(8)
    if len(head) < 8:
        os._exit(0)  # stopped before it was given its program
    (size,) = struct.unpack(">Q", head)
    program = stdin.read(size)

    def end_with_parent() -> None:
        stdin.read()  # returns when the parent closes its end, or is gone
        os._exit(0)

    threading.Thread(target=end_with_parent, daemon=True).start()
    with contextlib.suppress(BrokenPipeError):  # the parent stopped listening
        solve(seconds, cutoff, program, sys.stdout)
    # At once: the thread above still waits on stdin, and Python's own shutdown would
    # wait for it.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
