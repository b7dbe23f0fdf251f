"""After-school timetabling and staffing for Shenzhen schools, on OR-Tools CP-SAT.

The public steps, one import line::

    from optimizer import read_school, solve, check, write_schedule

    school = read_school("school.xlsx")          # validated, or WorkbookError
    result = solve(school, time_limit=30, seed=1)
    assert check(school, result.schedule, seed=result.seed).ok
    write_schedule("schedule.xlsx", school, result)

The layers, each importing only those before it: ``models`` (the school, the
workbook contract, the reader and the solver-free checker) ← the optimizer's core
(the model, the constructive schedule, bounds, levels and tactics, ``solve``) ←
exports, reports and district planning (scenarios, compare, sweep) ← the CLI.
docs/architecture.md says where each idea lives. Names here load lazily, so
``import optimizer`` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.check import check
    from models.reader import read_school
    from optimizer.outputs.export import write_schedule
    from optimizer.search.result import Params, Result, Status
    from optimizer.search.solve import solve

_WHERE = {"read_school": "models.reader", "check": "models.check",
          "solve": "optimizer.search.solve", "Params": "optimizer.search.result",
          "Result": "optimizer.search.result", "Status": "optimizer.search.result",
          "write_schedule": "optimizer.outputs.export"}

__all__ = ["Params", "Result", "Status", "check", "read_school", "solve", "write_schedule"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'optimizer' has no attribute {name!r}")
    return getattr(import_module(_WHERE[name]), name)
