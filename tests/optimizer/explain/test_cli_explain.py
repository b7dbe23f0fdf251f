"""``schedule explain`` reaches both of its answers: a school's, and one child's."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from models.check import check
from models.schedule_io import read_schedule
from models.template import write_school
from optimizer.cli import Exit, main
from tests.factories import tiny_school


def test_explain_with_student_and_school_explains_that_child(tmp_path: Path) -> None:
    school_path = tmp_path / "tiny.xlsx"
    write_school(school_path, tiny_school())
    schedule = tmp_path / "tiny-schedule.xlsx"
    done = CliRunner().invoke(main, ["solve", str(school_path), "-o", str(schedule),
                                     "--time-limit", "5", "--workers", "1", "--seed", "3",
                                     "--quiet"])
    assert done.exit_code == Exit.OK, done.output
    assert check(tiny_school(), read_schedule(schedule, tiny_school())).ok
    child = tiny_school().students[0]
    asked = CliRunner().invoke(main, ["explain", str(schedule), "--school", str(school_path),
                                      "--student", child.id])
    assert asked.exit_code == Exit.OK, asked.output
    assert child.id in asked.output
    assert child.name not in asked.output  # never a name, even the child's own
    unknown = CliRunner().invoke(main, ["explain", str(schedule), "--school", str(school_path),
                                        "--student", "NOBODY"])
    assert unknown.exit_code == Exit.USAGE
    assert "NOBODY" in unknown.output
