"""Capacity pre-checks (search/diagnose.py): an impossible school explained in its words."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from models.check import check
from models.schedule import Schedule
from models.school import School
from models.shapes import SHAPES, generate_shaped_school
from optimizer.model.instance import build_instance
from optimizer.search.construct import constructive_schedule
from optimizer.search.diagnose import capacity_problems
from optimizer.search.levels import DEFAULT_LEVELS
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


def _hours_used(schedule: Schedule) -> tuple[Counter[str], Counter[tuple[str, int]]]:
    """Each person's class hours in a schedule: in the week, and on each day."""
    week: Counter[str] = Counter()
    day: Counter[tuple[str, int]] = Counter()
    for section in schedule.sections:
        for meeting in section.meetings:
            for staff_id in set(meeting.staff_ids):
                week[staff_id] += len(meeting.periods)
                day[staff_id, meeting.day] += len(meeting.periods)
    return week, day


@pytest.mark.parametrize("shape", list(SHAPES))
def test_limits_a_schedule_keeps_exactly_pass_every_pre_check(shape: str) -> None:
    """Just inside: every person's limits cut to the hours a checked schedule gives them.
    That school has a schedule, so no pre-check may call it impossible."""
    school = generate_shaped_school(60, seed=4, shape=shape)
    built = constructive_schedule(school, build_instance(school), DEFAULT_LEVELS, seed=4)
    assert built is not None
    week, day = _hours_used(built.schedule)
    tight = replace(school, staff=tuple(
        replace(p, max_periods_week=week[p.id],
                max_periods_day=max([day[p.id, d] for d in range(5)]))
        for p in school.staff))
    assert check(tight, built.schedule, seed=4).ok
    assert capacity_problems(tight) == []


def _one_person_gives(hours: int) -> School:
    """The tiny school with only T1 working, at most ``hours`` class hours a week."""
    school = tiny_school()
    return replace(school, staff=tuple(
        replace(p, max_periods_week=hours if p.id == "T1" else 0) for p in school.staff))


def test_one_staff_hour_short_in_the_week_is_named_and_enough_is_not() -> None:
    """Six children, Mon and Wed, two class hours each day: four class hours with
    someone, whatever the groups. Three hours a week is one short; four is not."""
    short = [p for p in capacity_problems(_one_person_gives(3)) if "every registered" in p]
    assert len(short) == 1
    assert "at least 4 staff class hours a week" in short[0]
    assert "at most 3 (Staff: max_periods_week" in short[0]
    assert not [p for p in capacity_problems(_one_person_gives(4)) if "every registered" in p]
