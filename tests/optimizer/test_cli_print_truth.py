"""``schedule print`` never prints a stale roster: after a hand edit of the visible
Sections or Assignments sheets, the hidden print data the solve stored is not used."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pypdf
import pytest
from click.testing import CliRunner

from models.reader import read_school
from models.schedule_io import read_schedule
from optimizer.cli import Exit, main
from tests.factories import tiny_school
from tests.optimizer.helpers import copied


@pytest.fixture
def solved(tiny_solved_once: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """(school workbook, its schedule under solve's default name beside it), this test's
    own copies."""
    return copied(tiny_solved_once, tmp_path)


def _move_to_football(schedule: Path) -> str:
    """Move one chess player on Monday to football, sizes included, as a coordinator
    would by hand; return the student's id."""
    workbook = openpyxl.load_workbook(schedule)
    moved = None
    for row in workbook["Assignments"].iter_rows(min_row=2):
        if row[3].value == "CHESS-1a" and moved is None:
            moved = row[0].value
            row[3].value, row[4].value, row[5].value = "FOOT-1a", "FOOT", 2
    assert moved is not None
    sizes = {"FOOT-1a": 0, "CHESS-1a": 0}
    for row in workbook["Assignments"].iter_rows(min_row=2, values_only=True):
        if row[3] in sizes:
            sizes[str(row[3])] += 1
    for row in workbook["Sections"].iter_rows(min_row=2):
        if row[0].value in sizes:
            row[7].value = sizes[str(row[0].value)]
    workbook.save(schedule)
    return str(moved)


def _name(student_id: str) -> str:
    """Rosters list children by name (and class), not by id."""
    return {s.id: s.name for s in tiny_school().students}[student_id]


def _roster_of(pdf: Path, section: str) -> str:
    pages = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    [page] = [text for text in pages if f"Section code: {section}" in text]
    return page


def test_an_untouched_schedule_prints_from_its_print_data_without_a_word(
        solved: tuple[Path, Path]) -> None:
    _, schedule = solved
    result = CliRunner().invoke(main, ["print", str(schedule)])
    assert result.exit_code == Exit.OK, result.output
    assert "note:" not in result.output


def test_a_hand_edit_is_printed_from_the_visible_sheets_and_said(
        solved: tuple[Path, Path]) -> None:
    _, schedule = solved
    moved = _move_to_football(schedule)
    result = CliRunner().invoke(main, ["print", str(schedule)])
    assert result.exit_code == Exit.OK, result.output
    assert ("note: the Assignments sheet places 1 student(s) differently from the print data "
            "the solve stored; printing from the visible Sections and Assignments sheets, "
            "checked against tiny.xlsx found beside it.") in result.output
    pdf = schedule.with_name("tiny-schedule-rosters.pdf")
    assert _name(moved) in _roster_of(pdf, "FOOT-1a")
    assert _name(moved) not in _roster_of(pdf, "CHESS-1a")


def test_a_hand_edit_without_the_school_is_printed_from_the_sheets_unchecked(
        solved: tuple[Path, Path]) -> None:
    school, schedule = solved
    moved = _move_to_football(schedule)
    school.rename(school.with_name("elsewhere.xlsx"))
    result = CliRunner().invoke(main, ["print", str(schedule), "--rosters", "--classes",
                                       "--staff"])
    assert result.exit_code == Exit.OK, result.output
    assert ("printing from the visible Sections and Assignments sheets as they are, not "
            "checked against the rules (give the school workbook with --school to check "
            "them).") in result.output
    pdf = schedule.with_name("tiny-schedule-rosters-classes-staff.pdf")
    assert _name(moved) in _roster_of(pdf, "FOOT-1a")
    assert _name(moved) not in _roster_of(pdf, "CHESS-1a")


def test_the_rebuilt_prints_without_the_school_match_those_with_it(
        solved: tuple[Path, Path]) -> None:
    """Every view the print data holds — rosters, class lists, staff timetables — comes
    out of the visible sheets as the school workbook would make it."""
    from optimizer.outputs.report.book import print_book, read_print_book
    from optimizer.outputs.visible import rebuilt_book

    school_path, schedule = solved
    _move_to_football(schedule)
    school = read_school(school_path)
    expected = print_book(school, read_schedule(schedule, school))
    rebuilt = rebuilt_book(schedule, read_print_book(schedule))
    assert rebuilt.rosters == expected.rosters
    assert rebuilt.classes == expected.classes
    assert rebuilt.staff == expected.staff


def test_a_room_changed_in_the_sections_sheet_counts_as_an_edit(
        solved: tuple[Path, Path]) -> None:
    _, schedule = solved
    workbook = openpyxl.load_workbook(schedule)
    for row in workbook["Sections"].iter_rows(min_row=2):
        if row[0].value == "CHESS-1a":
            row[5].value = "R2"
    workbook.save(schedule)
    result = CliRunner().invoke(main, ["print", str(schedule)])
    assert result.exit_code == Exit.OK, result.output
    assert "the Sections sheet differs for 1 section(s) (CHESS-1a)" in result.output
    assert "Room 2" in _roster_of(schedule.with_name("tiny-schedule-rosters.pdf"), "CHESS-1a")


@pytest.mark.parametrize("edited", [False, True])
def test_print_never_writes_its_pdf_over_a_workbook(solved: tuple[Path, Path],
                                                    edited: bool) -> None:
    """`print s-schedule.xlsx -o s.xlsx` once replaced the school workbook with a PDF."""
    school, schedule = solved
    if edited:
        _move_to_football(schedule)
    before = school.read_bytes()
    result = CliRunner().invoke(main, ["print", str(schedule), "-o", str(school)])
    assert result.exit_code == Exit.USAGE, result.output
    assert "name the output .pdf" in result.output
    assert school.read_bytes() == before
    assert sorted(p.name for p in school.parent.glob("*.pdf")) == []
