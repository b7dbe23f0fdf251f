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


def test_an_impossible_school_is_explained_in_chinese(tmp_path: Path) -> None:
    """One classroom short, explained with --lang zh: the Rooms rows to look at, in
    Chinese words around the contract's names; the same lines in English without it."""
    from tests.optimizer.explain.test_infeasible import two_bands
    from tests.untranslated import untranslated

    school_path = tmp_path / "short.xlsx"
    write_school(school_path, two_bands(rooms=3))
    done = CliRunner().invoke(main, ["explain", str(school_path), "--lang", "zh",
                                     "--time-limit", "30", "--workers", "1"])
    assert done.exit_code == Exit.INFEASIBLE, done.output
    assert "Rooms 工作表第 2–4 行（R1, R2, R3）：classroom 类型共 3 间" in done.output
    assert "请修改此单元格后重新求解。" in done.output
    assert "（例如 周" in done.output  # the day of the example in the reader's words
    assert untranslated(done.output.replace(str(tmp_path), ""),
                        also=("short", "R1", "R2", "R3", "classroom", "Tiny", "Primary")) == []
