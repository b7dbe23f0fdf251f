"""``schedule resolve`` end to end on the tiny school: written and checked, moves said, a
broken lock located (exit 2) or freed with --unlock-broken."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.check import check
from models.reader import read_school
from models.schedule_io import read_previous, read_schedule
from models.template import write_school
from optimizer.cli import Exit, main
from tests.factories import tiny_school
from tests.optimizer.helpers import copied, solve_tiny

ARGS = ("--time-limit", "5", "--workers", "1", "--seed", "3", "--quiet")


@pytest.fixture(scope="module")
def solved_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return solve_tiny(tmp_path_factory.mktemp("tiny"), *ARGS)


@pytest.fixture
def solved(solved_once: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """The tiny school and the schedule solve wrote for it, this test's own copies."""
    return copied(solved_once, tmp_path)


def _resolve(school: Path, previous: Path, *extra: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["resolve", str(school), "--previous", str(previous),
                                     *ARGS, *extra])
    return done.exit_code, done.output


def _lock_first_room(schedule: Path) -> tuple[int, str, int]:
    """Lock the first Sections row's room: (row, room, day as Mon=0)."""
    workbook = openpyxl.load_workbook(schedule)
    sheet = workbook["Sections"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("lock") + 1, value="room")
    room = sheet.cell(row=2, column=header.index("room") + 1).value
    day = ["Mon", "Tue", "Wed", "Thu", "Fri"].index(sheet.cell(row=2, column=3).value)
    workbook.save(schedule)
    return 2, str(room), day


def test_resolve_writes_a_checked_schedule_and_says_what_moved(
        solved: tuple[Path, Path]) -> None:
    school, previous = solved
    code, output = _resolve(school, previous)
    assert code == Exit.OK, output
    written = school.with_name("tiny-resolved.xlsx")
    plan = read_schedule(written, read_school(school))
    before, _ = read_previous(previous, read_school(school))
    report = check(read_school(school), plan, previous=before)
    assert report.ok
    assert report.goals["children_moved"] == 0
    assert report.goals["sections_moved"] == 0
    assert "moved: 0 child(ren)" in output
    assert previous.exists()  # the schedule in force is never written over
    # The new schedule carries a blank lock column that offers its words.
    sheet = openpyxl.load_workbook(written)["Sections"]
    assert [c.value for c in sheet[1]][-1] == "lock"
    offered = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert '"yes,time,room,staff"' in offered


def test_a_broken_lock_exits_2_naming_its_row_and_unlock_broken_frees_it(
        solved: tuple[Path, Path], tmp_path: Path) -> None:
    school, previous = solved
    row, room, day = _lock_first_room(previous)
    closed = replace(tiny_school(), rooms=tuple(
        replace(r, unavailable=frozenset({(day, 1), (day, 2)})) if r.id == room else r
        for r in tiny_school().rooms))
    write_school(school, closed)
    code, output = _resolve(school, previous)
    assert code == Exit.INVALID, output
    line = next(text for text in output.splitlines() if "cannot be kept" in text)
    assert f"  {row}  " in line
    assert "lock" in line
    assert "rule 3" in line
    assert "--unlock-broken" in output
    assert not school.with_name("tiny-resolved.xlsx").exists()
    code, output = _resolve(school, previous, "--unlock-broken")
    assert code == Exit.OK, output
    assert f"unlocked: Sections, row {row}, column lock" in output


def test_resolve_writes_the_changes_against_the_schedule_in_force_without_names(
        solved: tuple[Path, Path]) -> None:
    """A teacher leaves: the re-solved workbook has a Changes sheet, and with --redact
    neither it nor any other sheet names a child."""
    school, previous = solved
    tiny = tiny_school()
    busy = {t for section in read_schedule(previous, tiny).sections
            for meeting in section.meetings for t in meeting.staff_ids}
    gone = sorted(busy)[0]
    write_school(school, replace(tiny, staff=tuple(s for s in tiny.staff if s.id != gone)))
    code, output = _resolve(school, previous, "--redact")
    assert code == Exit.OK, output
    workbook = openpyxl.load_workbook(school.with_name("tiny-resolved.xlsx"))
    assert "Changes" in workbook.sheetnames
    texts = [str(cell.value) for row in workbook["Changes"].iter_rows() for cell in row
             if cell.value is not None]
    assert any(gone in text for text in texts)  # the staff member whose duties went
    names = {student.name for student in tiny.students}
    assert not [text for text in texts if any(name in text for name in names)]


def test_resolve_speaks_chinese_with_lang_zh(solved: tuple[Path, Path]) -> None:
    from tests.untranslated import untranslated

    school, previous = solved
    code, output = _resolve(school, previous, "--lang", "zh")
    assert code == Exit.OK, output
    assert "调整：" in output
    assert untranslated(output.replace(str(school.parent), ""), also=("tiny", "resolved")) == []
