"""Nothing merged, dropped, shifted or rounded in silence (issue 15): each case the reader
used to pass over without a word is now a warning naming the sheet, row and column, what
was found and what the reader did with it. The school is read all the same."""

from __future__ import annotations

from pathlib import Path

from models.problems import Problem
from models.reader import inspect_workbook
from tests.models.workbooks import Book, valid_book


def _warnings(book: Book, tmp_path: Path) -> list[Problem]:
    school, problems = inspect_workbook(book.save(tmp_path / "school.xlsx"))
    assert school is not None
    assert [p for p in problems if p.is_error] == []
    return problems


def test_choices_of_a_student_not_registered_are_said_to_be_ignored(tmp_path: Path) -> None:
    problems = _warnings(valid_book().set("Students", 3, "days", ""), tmp_path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Students", 3, "days", "102")]
    assert "not scheduled and the choices are ignored" in problems[0].message


def test_a_student_not_registered_without_choices_says_nothing(tmp_path: Path) -> None:
    book = valid_book().set("Students", 3, "days", "").set("Students", 3, "choice1", "")
    assert _warnings(book, tmp_path) == []


def _period_2_on_tuesdays_only() -> Book:
    """Grades 1-6 (chess: row 3) have period 2 on Tuesdays only; student 101 stays one."""
    return valid_book().set("Periods", 3, "day", "Tue").set("Students", 2, "stay", 1)


def test_an_allowed_day_without_periods_for_the_grades_is_said_to_be_unused(
        tmp_path: Path) -> None:
    book = _period_2_on_tuesdays_only().set("Activities", 3, "days", "Mon 2; Wed")
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Activities", 3, "days")]
    assert problems[0].message.startswith("days lists Mon 2, but no Periods row gives grades "
                                          "1-6 a period there; those are never used")


def test_allowed_days_none_of_which_has_periods_say_the_activity_cannot_open(
        tmp_path: Path) -> None:
    book = _period_2_on_tuesdays_only().set("Activities", 3, "days", "Mon 2")
    problems = _warnings(book, tmp_path)
    assert [(p.row, p.column) for p in problems] == [(3, "days")]
    assert "so it cannot open at all" in problems[0].message


def test_a_whole_day_where_one_period_runs_says_nothing(tmp_path: Path) -> None:
    book = _period_2_on_tuesdays_only().set("Activities", 3, "days", "Mon")
    assert _warnings(book, tmp_path) == []
