"""The next term remembers: exactly the children the contract's rule names are raised."""

from __future__ import annotations

import dataclasses

import pytest

from models.contract import NEXT_TERM_RAISE
from models.next_term import last_term, remember
from models.problems import WorkbookError
from models.schedule_io import AssignmentRow
from models.school import School
from tests.factories import tiny_school


def _row(number: int, student: str, section: str, rank: int | None) -> AssignmentRow:
    return AssignmentRow(row=number, student_id=student, day=0, period=1, section_id=section,
                         activity_id="CHESS" if rank else "STUDY", choice_rank=rank)


LAST_TERM = [
    _row(2, "S1", "C1", 1),  # got their one choice: not raised
    _row(3, "S2", "ST1", None),  # only study: raised
    _row(4, "S3", "C1", 2),  # got one, wants two this term: raised
    _row(5, "S3", "C1", 2),  # the same section again (another day) counts once
    _row(6, "S5", "ST1", None),  # only study, but not registered this term
    _row(7, "S6", "ST1", None),  # only study, but wants nothing this term
    _row(8, "S99", "ST1", None),  # left the school
]


def _this_term() -> School:
    school = tiny_school()
    students = {s.id: s for s in school.students}
    students["S3"] = dataclasses.replace(students["S3"], wants=2)
    students["S5"] = dataclasses.replace(students["S5"], days=frozenset())
    students["S6"] = dataclasses.replace(students["S6"], wants=0)
    return dataclasses.replace(school, students=tuple(students.values()))


def test_exactly_the_children_who_got_fewer_than_they_want_are_raised() -> None:
    school = _this_term()
    raised_school, raised = remember(school, last_term(LAST_TERM))
    assert raised.student_ids == ("S2", "S3")  # S4 is new this term: not raised either
    assert (raised.num_last_term, raised.num_matched) == (6, 5)
    before = {s.id: s.priority for s in school.students}
    after = {s.id: s.priority for s in raised_school.students}
    assert {i for i in after if after[i] != before[i]} == {"S2", "S3"}
    assert after["S2"] == before["S2"] + NEXT_TERM_RAISE


def test_another_school_s_schedule_is_a_located_error_naming_the_first_mismatches() -> None:
    strangers = [_row(10 + i, f"X{i}", "ST1", None) for i in range(8)]
    with pytest.raises(WorkbookError) as caught:
        remember(_this_term(), last_term([*LAST_TERM[:2], *strangers]))
    problems = caught.value.problems
    assert [(p.sheet, p.row, p.column, p.value) for p in problems[:5]] == [
        ("Assignments", 10 + i, "student", f"X{i}") for i in range(5)]
    assert "8 of the 10 students" in problems[-1].message
