"""Keep most of the timetable, place the children again.

The search for who gets a place moves sections and students together. When it
serves one more child without regard to the goals after that, it takes the
first schedule it finds, and sections it moved on the way rarely move back
within the time it has. With most sections' days, rooms and staff fixed and
only a few free, placing the students (and filling study) is a much smaller
problem: solving it after such a step recovers the first choices the moves
cost (solve.py's relinking). With every section fixed it is almost a flow.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterator, Sequence

from ortools.sat.python import cp_model

from optimizer.variables import Variables

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
                   ) -> list[int] | None:
    """The best solution for ``objective`` with the timetable of ``values`` kept,
    except for the candidate sections in ``free``, which may open, close and move.

    ``solver`` comes configured (time limit, workers); ``search`` runs it (default
    ``solver.solve``). The model is left as it was found, apart from its objective
    and hints; on return the solver holds the solution. Returns None when the search
    found nothing in time (``values`` is feasible, so the result is never worse).
    """
    started = time.monotonic()
    free = frozenset(free)
    fixed = [var for s, var in timetable_variables(v) if s not in free]
    saved = [list(model.proto.variables[var.index].domain) for var in fixed]
    for var in fixed:
        _set_domain(model, var, [values[var.index]] * 2)
    try:
        model.maximize(objective)
        model.clear_hints()
        for index, value in enumerate(values):
            model.add_hint(model.get_int_var_from_proto_index(index), value)
        code = (search or _solve)(solver, model)
    finally:
        for var, domain in zip(fixed, saved, strict=True):
            _set_domain(model, var, domain)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("placement with the timetable fixed: %s", solver.status_name(code))
        return None
    log.info("placement with the timetable fixed: %s in %.1fs", solver.status_name(code),
             time.monotonic() - started)
    return list(solver.response_proto.solution)


def _solve(solver: cp_model.CpSolver, model: cp_model.CpModel) -> cp_model.CpSolverStatus:
    return solver.solve(model)


def _set_domain(model: cp_model.CpModel, var: cp_model.IntVar, domain: list[int]) -> None:
    field = model.proto.variables[var.index].domain
    field.clear()
    field.extend(domain)
