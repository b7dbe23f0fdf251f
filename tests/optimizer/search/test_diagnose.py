"""Capacity pre-checks (search/diagnose.py): an impossible school explained in its words."""

from __future__ import annotations

from dataclasses import replace

from models.school import School
from optimizer.search.diagnose import capacity_problems
from tests.factories import tiny_school


def _study_only() -> School:
    """The tiny school's six children with no choices: all of them in study, Mon and Wed."""
    school = tiny_school()
    return replace(school, students=tuple(replace(s, choices=(), wants=0)
                                          for s in school.students))


def test_a_school_that_fits_has_no_problems() -> None:
    assert capacity_problems(_study_only()) == []


def test_no_room_for_study_is_named_by_day_time_and_numbers() -> None:
    school = _study_only()
    school = replace(school, rooms=tuple(r for r in school.rooms if r.type != "classroom"))
    problems = capacity_problems(school)
    # Mon and Wed, both periods: each slot named with its clock time and its counts.
    assert len(problems) == 4
    assert problems[0].startswith("Mon 15:30–16:10: 6 registered grade 3 students")
    assert "free study rooms (0) hold 0" in problems[0]


def test_children_an_activity_could_take_are_not_counted_against_study() -> None:
    school = tiny_school()  # every child chose chess or football
    school = replace(school, rooms=tuple(r for r in school.rooms if r.type != "classroom"))
    assert capacity_problems(school) == []
