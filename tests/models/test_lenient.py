"""Lenient where it is safe: a formula nobody calculated is named as such (an error only
where the value is needed to schedule), a missing name is a warning, and the Chinese
ways of writing grades and days are read where they mean one thing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from models.reader import FORMULA_WITHOUT_VALUE, inspect_workbook
from models.time import parse_day, parse_grades
from tests.models.workbooks import rewrite_part, sheet_part, valid_book


def _formula_in(tmp_path: Path, cell: str) -> Path:
    """The valid book with ``cell`` of the Students sheet a formula with no saved value,
    as a workbook written by a script and never opened in Excel holds it."""
    book = valid_book()
    path = book.save(tmp_path / "formula.xlsx")
    pattern = rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)'
    return rewrite_part(path, sheet_part(book, "Students"), lambda xml: re.sub(
        pattern, f'<c r="{cell}"><f>CONCAT(A3,"")</f></c>', xml, count=1))


def test_a_name_formula_without_a_saved_value_is_a_warning_and_prints_show_the_id(
        tmp_path: Path) -> None:
    school, problems = inspect_workbook(_formula_in(tmp_path, "B3"))
    assert [(p.sheet, p.row, p.column, p.is_error, p.message) for p in problems] == [
        ("Students", 3, "name", False, f"{FORMULA_WITHOUT_VALUE}; read as blank, so the "
         "prints show the student's id instead")]
    assert school is not None
    assert school.student_by_id["102"].name == "102"


def test_a_grade_formula_without_a_saved_value_is_an_error_that_says_so(
        tmp_path: Path) -> None:
    _, problems = inspect_workbook(_formula_in(tmp_path, "C3"))
    errors = [p for p in problems if p.is_error]
    assert [(p.sheet, p.row, p.column) for p in errors] == [("Students", 3, "grade")]
    assert errors[0].message.startswith(
        "formula with no saved value — open and save the file in Excel, or type the value; "
        "expected a grade")
    assert "a value is required" not in " ".join(p.message for p in problems)


@pytest.mark.parametrize(("text", "grade"), [
    ("3年级", 3), ("三年级", 3), ("初一", 7), ("初三", 9), ("九年级", 9), ("５", 5)])
def test_chinese_grades_are_read_in_the_students_sheet(tmp_path: Path, text: str,
                                                       grade: int) -> None:
    book = valid_book()
    book.set("Students", 4, "grade", text)  # 103 is in grade 8, chose robotics (4-9)
    if grade < 4:
        book.set("Students", 4, "choice1", "CHESS")
        book.set("Students", 4, "class", f"{grade}-1")
    school, problems = inspect_workbook(book.save(tmp_path / "grades.xlsx"))
    assert school is not None
    assert school.student_by_id["103"].grade == grade
    assert [p for p in problems if p.is_error] == []


@pytest.mark.parametrize("text", ["高一", "十年级", "小一"])
def test_grades_with_another_or_no_meaning_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="a grade list"):
        parse_grades(text)


def test_chinese_grade_ranges_and_days() -> None:
    assert parse_grades("1-3年级") == frozenset({1, 2, 3})
    assert parse_grades("一年级至三年级") == frozenset({1, 2, 3})
    assert parse_grades("初一-初三") == frozenset({7, 8, 9})
    assert [parse_day(d) for d in ("周一", "星期二", "礼拜三", "週四", "星期5")] == [0, 1, 2, 3, 4]
