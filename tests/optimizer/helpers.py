"""Solving in tests: every schedule goes through the independent checker."""

from __future__ import annotations

from models.check import CheckReport, check
from models.school import School
from optimizer.search.solve import Params, Result, Status, solve


def solve_checked(school: School, **params: object) -> tuple[Result, CheckReport]:
    """Solve with short, deterministic settings and assert the checker accepts the schedule."""
    settings: dict[str, object] = {"time_limit": 20.0, "workers": 1, "seed": 7,
                                   "deterministic": True}
    settings.update(params)
    result = solve(school, Params(**settings))  # type: ignore[arg-type]
    assert result.schedule is not None, f"no schedule: {result.status} {result.diagnosis}"
    report = check(school, result.schedule, seed=result.seed)
    assert report.ok, report.summary()
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    return result, report
