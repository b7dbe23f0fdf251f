"""The ``schedule`` command end to end on tiny workbooks: exit codes, outputs, checking."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.check import check
from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
from models.reader import read_school
from models.schedule_io import read_schedule
from models.template import write_school
from optimizer.cli import main
from tests.factories import STUDY, tiny_school


@pytest.fixture
def tiny_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.xlsx"
    write_school(path, tiny_school())
    return path


def _solve(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["solve", *args, "--time-limit", "10", "--quiet"])
    return result.exit_code, result.output


def test_solve_writes_contract_sheets_that_pass_the_checker(tiny_workbook: Path) -> None:
    code, output = _solve(str(tiny_workbook), "--seed", "4")
    assert code == 0, output
    out = tiny_workbook.with_name("tiny-schedule.xlsx")
    assert out.exists()
    assert "seed 4" in output
    workbook = openpyxl.load_workbook(out)
    assert {"Summary", "Sections", "Assignments"} <= set(workbook.sheetnames)
    header = [c.value for c in workbook["Sections"][1]]
    assert header[: len(SECTIONS_COLUMNS)] == list(SECTIONS_COLUMNS)
    header = [c.value for c in workbook["Assignments"][1]]
    assert header[: len(ASSIGNMENTS_COLUMNS)] == list(ASSIGNMENTS_COLUMNS)
    school = read_school(tiny_workbook)
    schedule = read_schedule(out, school)
    assert check(school, schedule).ok
    # Six students, registered Mon and Wed, staying both periods: 24 places.
    assert workbook["Assignments"].max_row - 1 == 24
    checked = CliRunner().invoke(main, ["check", str(tiny_workbook), str(out)])
    assert checked.exit_code == 0, checked.output


def test_solve_reports_a_fresh_seed_when_none_given(tiny_workbook: Path) -> None:
    code, output = _solve(str(tiny_workbook), "-o", str(tiny_workbook.with_name("o.xlsx")))
    assert code == 0
    assert "seed " in output


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "ran out before the search could begin"), ("zh", "时限在搜索开始前已用完")])
def test_a_limit_too_short_to_search_writes_the_constructive_schedule_and_says_so(
        tiny_workbook: Path, lang: str, said: str) -> None:
    """One second, less the moment kept for the check, leaves no time to search: the
    constructive schedule is written, checked, and the coordinator told what to change."""
    out = tiny_workbook.with_name("short.xlsx")
    done = CliRunner().invoke(main, ["solve", "--lang", lang, str(tiny_workbook), "-o",
                                     str(out), "--time-limit", "1", "--seed", "3"])
    assert done.exit_code == 0, done.output
    assert said in done.output
    assert "--time-limit" in done.output
    school = read_school(tiny_workbook)
    assert check(school, read_schedule(out, school)).ok
    sheet = openpyxl.load_workbook(out)["Summary" if lang == "en" else "概况"]
    summary = [cell for row in sheet.iter_rows(values_only=True) for cell in row
               if isinstance(cell, str)]
    assert any(("no time was left to search" if lang == "en" else "时限内未能开始搜索") in cell
               for cell in summary), summary


def test_solve_never_overwrites_the_input_and_writes_beside_it(tiny_workbook: Path) -> None:
    before = tiny_workbook.read_bytes()
    code, output = _solve(str(tiny_workbook), "-o", str(tiny_workbook))
    assert code == 0, output
    assert tiny_workbook.read_bytes() == before
    beside = tiny_workbook.with_name("tiny (2).xlsx")
    assert f"Wrote {beside} instead of {tiny_workbook}, because tiny.xlsx is an input" in output
    school = read_school(tiny_workbook)
    assert check(school, read_schedule(beside, school)).ok


def test_invalid_workbook_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    write_school(path, tiny_school())
    workbook = openpyxl.load_workbook(path)
    workbook["Activities"]["C3"] = "tutoring"
    workbook.save(path)
    code, output = _solve(str(path))
    assert code == 2
    assert "Activities" in output
    assert "category" in output
    assert not path.with_name("bad-schedule.xlsx").exists()


def test_infeasible_school_exits_4_with_a_diagnosis(tmp_path: Path) -> None:
    school = tiny_school()
    school = dataclasses.replace(
        school, activities=(STUDY,),
        rooms=tuple(dataclasses.replace(r, capacity=2) for r in school.rooms if r.id == "R1"),
        students=tuple(dataclasses.replace(s, choices=()) for s in school.students))
    path = tmp_path / "crowded.xlsx"
    write_school(path, school)
    code, output = _solve(str(path))
    assert code == 4
    assert "Mon" in output
    assert "hold" in output
    assert not path.with_name("crowded-schedule.xlsx").exists()


def test_check_rejects_a_broken_schedule(tiny_workbook: Path) -> None:
    out = tiny_workbook.with_name("s.xlsx")
    assert _solve(str(tiny_workbook), "-o", str(out))[0] == 0
    workbook = openpyxl.load_workbook(out)
    sections = workbook["Sections"]
    sections.cell(row=2, column=SECTIONS_COLUMNS.index("staff") + 1).value = "NOBODY"
    workbook.save(out)
    checked = CliRunner().invoke(main, ["check", str(tiny_workbook), str(out)])
    assert checked.exit_code == 6
    assert "rule 4" in checked.output


@pytest.mark.slow
def test_the_progress_line_reads_in_each_goals_own_sense(tmp_path: Path) -> None:
    """Every goal from the constructive schedule on, never a negative value (CP-SAT
    maximizes negated goals), and a trivial bound says "not proven yet", not
    "gap 100.0%"."""
    from models.sample import generate_school

    school_path = tmp_path / "school.xlsx"
    write_school(school_path, generate_school(num_students=120, seed=3))
    result = CliRunner().invoke(main, ["solve", str(school_path), "-o",
                                       str(tmp_path / "out.xlsx"), "--time-limit", "4",
                                       "--workers", "1", "--seed", "2"])
    progress = [line for line in result.stderr.splitlines() if "placed " in line]
    assert progress, result.stderr
    assert "constructive" in progress[0]
    for line in progress:
        value = line.split()[2]
        assert not value.startswith("-"), line
        if " cost" in line:
            assert "cost (yuan)" in line, line  # never fen on a line a person reads
        gap = re.search(r"gap\s+([\d.]+)%", line)
        assert gap is None or float(gap.group(1)) < 100, line
    school = read_school(school_path)
    assert check(school, read_schedule(tmp_path / "out.xlsx", school)).ok


def test_a_level_of_shared_goals_that_all_minimize_reads_as_their_cost() -> None:
    """--goals 'cost, vendor_rating_shortfall' is one level the solver maximizes negated;
    the progress line shows the cost, not -4,170,000."""
    from optimizer.commands.goals import as_goal
    from optimizer.search.result import Progress

    point = Progress(elapsed=1.0, level=0, goal="cost+vendor_rating_shortfall",
                     objective=-4_170_000, bound=-1_872_000, placed=10)
    assert as_goal(point) == (4_170_000, 1_872_000)
    mixed = Progress(elapsed=1.0, level=0, goal="first_choices+cost", objective=-5,
                     bound=3, placed=10)
    assert as_goal(mixed) == (-5, 3)  # a max and a min together: the solver's own sum
