"""Cells as coordinators type them: one parser per kind, and what each refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from models.cells import parse_cell
from models.contract import ACTIVITIES, SCHOOL, STAFF, STUDENTS
from models.time import ParseError


@pytest.mark.parametrize(("column", "value", "expected"), [
    (STUDENTS.column("id"), 101.0, "101"),            # a number cell is its integer text
    (STUDENTS.column("id"), "007", "007"),            # leading zeros are kept
    (SCHOOL.column("budget_per_student_year"), "1,000.5", 100_050),  # yuan → fen
    (SCHOOL.column("latest_end"), dt.time(18, 0), 18 * 60),
    (SCHOOL.column("latest_end"), "17:30", 17 * 60 + 30),
    (SCHOOL.column("term_end"), "2027-01-22", dt.date(2027, 1, 22)),
    (STAFF.column("vetted"), "y", True),
    (STAFF.column("vetted"), 0, False),
    (STUDENTS.column("grade"), 3.0, 3),
])
def test_a_cell_reads_as_its_kind(column: object, value: object, expected: object) -> None:
    assert parse_cell(column, value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("column", "value"), [
    (STUDENTS.column("grade"), 10),                   # grades are 1-9
    (ACTIVITIES.column("periods"), 3),                # one or two class hours
    (STUDENTS.column("stay"), 2.5),                   # whole numbers only
    (SCHOOL.column("latest_end"), "25:00"),
    (STAFF.column("vetted"), "perhaps"),
    (SCHOOL.column("type"), "charter"),
])
def test_a_cell_out_of_its_kind_or_range_is_refused(column: object, value: object) -> None:
    with pytest.raises((ParseError, ValueError)):
        parse_cell(column, value)  # type: ignore[arg-type]
