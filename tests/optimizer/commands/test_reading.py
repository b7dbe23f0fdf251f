"""Reading a schedule for a command (optimizer/commands/reading.py), as the commands that
share it say it: an unreadable schedule is exit 2 with its problems and the command's own
sentence; a schedule that breaks a rule is exit 6 before anything is written."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from models.reader import read_school
from models.schedule import Schedule
from models.schedule_io import read_schedule
from optimizer.cli import Exit, main
from optimizer.outputs.report.workbook import write_report
from tests.factories import TERM_START
from tests.optimizer.helpers import copied


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory, tiny_solved_once: tuple[Path, Path]
         ) -> tuple[Path, Path, Path]:
    """The tiny school's workbook, a checked schedule of it, and that schedule bent so
    that a chosen section meets in the wrong room with a volunteer."""
    folder = tmp_path_factory.mktemp("reading")
    school_path, good = copied(tiny_solved_once, folder)
    school = read_school(school_path)
    bent = write_report(folder / "bent.xlsx", school, _bent(read_schedule(good, school)))
    return school_path, good, bent


def _bent(schedule: Schedule) -> Schedule:
    section = next(s for s in schedule.sections if s.activity_id != "STUDY")
    room = "R1" if section.activity_id == "FOOT" else "GYM"
    moved = dataclasses.replace(section, meetings=tuple(
        dataclasses.replace(m, room_id=room, staff_ids=("V1",)) for m in section.meetings))
    return dataclasses.replace(schedule, sections=tuple(
        moved if s.id == section.id else s for s in schedule.sections))


def _commands(school: Path, schedule: Path, out: Path) -> dict[str, list[str]]:
    """Every command that reads a schedule for a school, given ``schedule``."""
    return {
        "check": ["check", str(school), str(schedule)],
        "cover": ["cover", str(schedule), "--school", str(school), "--date",
                  TERM_START.isoformat(), "--absent", "T1"],
        "report": ["report", str(school), str(schedule), "-o", str(out / "report.xlsx")],
        "print": ["print", str(schedule), "--school", str(school), "-o",
                  str(out / "print.pdf")],
    }


@pytest.mark.parametrize("command", ["check", "cover", "report", "print"])
def test_a_school_workbook_given_as_the_schedule_is_exit_2_naming_what_is_missing(
        term: tuple[Path, Path, Path], tmp_path: Path, command: str) -> None:
    school_path, _, _ = term
    args = _commands(school_path, school_path, tmp_path)[command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == Exit.INVALID, result.output
    assert "Sections" in result.output  # the problems table names the missing sheet
    said = f"{school_path.name} cannot be read as a schedule; nothing was said."
    assert (said in result.output) == (command == "cover")  # only cover closes with its own
    assert not list(tmp_path.iterdir())


def test_diff_says_which_of_its_two_schedules_cannot_be_read(
        term: tuple[Path, Path, Path]) -> None:
    school_path, good, _ = term
    result = CliRunner().invoke(main, ["diff", str(good), str(school_path)])
    assert result.exit_code == Exit.INVALID, result.output
    assert (f"{school_path.name} cannot be read as a schedule; nothing was compared."
            in result.output)
    assert f"{good.name} cannot" not in result.output


@pytest.mark.parametrize("command", ["report", "print"])
def test_a_schedule_that_breaks_a_rule_is_refused_with_6_and_nothing_written(
        term: tuple[Path, Path, Path], tmp_path: Path, command: str) -> None:
    school_path, _, bent = term
    result = CliRunner().invoke(main, _commands(school_path, bent, tmp_path)[command])
    assert result.exit_code == Exit.CHECK_FAILED, result.output
    assert "rule 3 (rooms)" in result.output
    assert "bent.xlsx breaks" in result.output
    assert not list(tmp_path.iterdir())


def test_a_good_schedule_reads_through_every_command(
        term: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """The other side of the refusals above: the same commands with a good schedule."""
    school_path, good, _ = term
    for command, args in _commands(school_path, good, tmp_path).items():
        result = CliRunner().invoke(main, args)
        assert result.exit_code == Exit.OK, (command, result.output)
