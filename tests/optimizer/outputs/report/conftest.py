"""Schools and solved schedules shared by the report tests, solved once per session.

``chinese_school()``: ``tiny_school()`` with Chinese names and ``language = zh``.
``risky_school()``: names that a spreadsheet would run as formulas or links.
``generated``: a generated 120-student school (two periods, some children picked
up after period 1, some wanting two activities), solved for a few seconds.
Every solve is verified by the independent checker.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from models.check import check
from models.sample import generate_school
from models.school import School
from optimizer.search.solve import Params, Result, solve
from tests.factories import tiny_school

CHINESE_NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊")
INJECTION = '=HYPERLINK("http://x","y")'


def chinese_school() -> School:
    school = tiny_school()
    students = tuple(dataclasses.replace(s, name=n)
                     for s, n in zip(school.students, CHINESE_NAMES, strict=True))
    info = dataclasses.replace(school.info, name="深圳市南山区测试小学", language="zh")
    return dataclasses.replace(school, info=info, students=students)


def risky_school() -> School:
    """Every kind of input text that starts like a formula: a name, an activity, a room."""
    school = chinese_school()
    students = list(school.students)
    students[0] = dataclasses.replace(students[0], name=INJECTION)
    students[1] = dataclasses.replace(students[1], name="+86 138")
    students[2] = dataclasses.replace(students[2], name="@SUM(A1)")
    students[3] = dataclasses.replace(students[3], name="-1+2\x07")  # and a control character
    activities = tuple(dataclasses.replace(a, name="=1+1") if a.id == "CHESS" else a
                       for a in school.activities)
    rooms = tuple(dataclasses.replace(r, name="\tTab room") if r.id == "R1" else r
                  for r in school.rooms)
    info = dataclasses.replace(school.info, name="A & B =School")
    return dataclasses.replace(school, info=info, students=tuple(students),
                               activities=activities, rooms=rooms)


def solve_checked(school: School, **changes: object) -> Result:
    """Solve briefly on one worker; the independent checker must accept the schedule."""
    settings: dict[str, object] = {"time_limit": 10.0, "workers": 1, "seed": 7}
    settings.update(changes)
    result = solve(school, Params(**settings))  # type: ignore[arg-type]
    assert result.schedule is not None, f"{result.status} {result.diagnosis}"
    assert result.report is not None
    assert result.report.ok, result.report.summary()
    assert check(school, result.schedule, seed=result.seed).ok
    return result


@pytest.fixture(scope="session")
def zh_solved() -> tuple[School, Result]:
    school = chinese_school()
    return school, solve_checked(school, deterministic=True)


@pytest.fixture(scope="session")
def generated() -> tuple[School, Result]:
    school = generate_school(num_students=120, seed=2)
    return school, solve_checked(school, time_limit=4.0, deterministic=True)


@pytest.fixture(scope="session")
def generated_workbook(generated: tuple[School, Result], tmp_path_factory: pytest.TempPathFactory
                       ) -> Path:
    from optimizer.outputs.export import write_schedule

    school, result = generated
    path = tmp_path_factory.mktemp("generated") / "schedule.xlsx"
    return write_schedule(path, school, result, lang="en")
