"""Solving in tests: every schedule goes through the independent checker."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from models.check import CheckReport, check
from models.reader import read_school
from models.schedule_io import read_schedule
from models.school import School
from models.template import write_school
from optimizer.cli import Exit, main
from optimizer.search.solve import Params, Result, Status, solve
from tests.factories import tiny_school


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


def solve_tiny(folder: Path, *args: str) -> tuple[Path, Path]:
    """Write the tiny school to ``folder`` and ``schedule solve`` it (``args``: the
    solve's options) to its default name beside it: (school, schedule)."""
    school = folder / "tiny.xlsx"
    write_school(school, tiny_school())
    done = CliRunner().invoke(main, ["solve", str(school), *args])
    assert done.exit_code == Exit.OK, done.output
    schedule = folder / "tiny-schedule.xlsx"
    read = read_school(school)
    assert check(read, read_schedule(schedule, read)).ok
    return school, schedule


def copied(solved: tuple[Path, Path], folder: Path) -> tuple[Path, Path]:
    """Copies of (school, schedule) in ``folder``, so that a test that edits or locks its
    files never touches the ones solved once for several tests."""
    school, schedule = (Path(shutil.copy2(path, folder / path.name)) for path in solved)
    return school, schedule

