"""Bugs a review found, each pinned by the smallest school that showed it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models.school import Activity, Room, School, Staff, Student
from optimizer.search.diagnose import capacity_problems
from optimizer.search.solve import Status, solve
from tests.factories import FOOTBALL, STUDY, tiny_school, vendor
from tests.optimizer.helpers import solve_checked


def test_staff_daily_limit_counts_class_hours_not_meetings() -> None:
    """Rule 4: a 2-period meeting is two class hours; an instructor allowed one hour a
    day cannot run it (the limit was skipped when they had a single option that day)."""
    school = tiny_school()
    robotics = Activity(id="ROBO", name="Robotics", category="science",
                        grades=frozenset(range(1, 7)), periods=2, provider="V-ROBO",
                        max_size=10, allowed_slots=frozenset({(0, 1), (0, 2)}))
    instructor = Staff(id="I1", name="Instructor", role="vendor_instructor", vendor="V-ROBO",
                       vetted=True, vetted_until=dt.date(2027, 6, 30), max_periods_day=1)
    school = dataclasses.replace(
        school, activities=(*school.activities, robotics), staff=(*school.staff, instructor),
        vendors=(vendor(),),
        students=tuple(dataclasses.replace(s, choices=("ROBO",)) for s in school.students))
    result, report = solve_checked(school, time_limit=5)
    assert all(s.activity_id != "ROBO" for s in result.schedule.sections)  # type: ignore[union-attr]
    assert report.goals["unserved"] == 6


def test_study_session_fees_count_against_the_budget() -> None:
    """Rule 7: a study activity's fee_per_session is paid for every study meeting."""
    school = tiny_school()
    paid_study = dataclasses.replace(STUDY, fee_per_session=10_000)  # 100 yuan a meeting
    poor = dataclasses.replace(school, activities=(paid_study, *school.activities[1:]),
                               info=dataclasses.replace(school.info, enrolled=1,
                                                        budget_per_student_year=10_000))
    assert solve(poor, time_limit=5, workers=1).status is Status.INFEASIBLE
    rich = dataclasses.replace(poor, info=dataclasses.replace(
        poor.info, enrolled=100, budget_per_student_year=100_000))
    result, report = solve_checked(rich, time_limit=5)
    study_meetings = sum(len(s.meetings) for s in result.schedule.sections  # type: ignore[union-attr]
                         if s.activity_id == "STUDY")
    assert study_meetings > 0
    assert report.goals["cost"] == school.info.weeks * study_meetings * 10_000
    assert result.goal_values["cost"] == report.goals["cost"]  # the model counts them too


def test_study_never_seats_fewer_than_min_size() -> None:
    """Rule 2: with study min_size 10, a 5-seat room cannot hold a study section."""
    school = tiny_school()
    study = dataclasses.replace(STUDY, min_size=10)
    rooms = (Room(id="R1", name="Room 1", type="classroom", capacity=30),
             Room(id="SMALL", name="Small", type="classroom", capacity=5))
    students = tuple(Student(id=f"S{i}", name="x", grade=3, class_name="3-1",
                             days=frozenset({0}), stay=1) for i in range(35))
    school = dataclasses.replace(school, activities=(study,), rooms=rooms, students=students)
    result = solve(school, time_limit=5, workers=1)
    assert result.status is Status.INFEASIBLE
    assert any("hold 30" in line for line in result.diagnosis), result.diagnosis


def _big_room_two_supervisors(school: School) -> School:
    students = tuple(Student(id=f"S{i}", name="x", grade=3, class_name="3-1",
                             days=frozenset({0}), stay=1) for i in range(80))
    return dataclasses.replace(
        school, activities=(dataclasses.replace(STUDY, staff_per_section=2),),
        rooms=(Room(id="BIG", name="Hall", type="classroom", capacity=80),),
        staff=school.staff[:2], students=students)


def _two_study_activities(school: School) -> School:
    reading = Activity(id="READ", name="Reading", category="study",
                       grades=frozenset(range(1, 10)), max_sections=None, room_type="library")
    students = tuple(Student(id=f"S{i}", name="x", grade=3, class_name="3-1",
                             days=frozenset({0}), stay=1) for i in range(50))
    return dataclasses.replace(
        school, activities=(STUDY, reading),
        rooms=(Room(id="R1", name="Room", type="classroom", capacity=30),
               Room(id="LIB", name="Library", type="library", capacity=30)),
        students=students)


def _football_takes_some(school: School) -> School:
    students = tuple(Student(id=f"S{i}", name="x", grade=3, class_name="3-1",
                             days=frozenset({0}), stay=1, choices=("FOOT",)) for i in range(40))
    return dataclasses.replace(
        school, activities=(STUDY, dataclasses.replace(FOOTBALL, max_size=20)),
        rooms=(school.rooms[0], school.rooms[2]), students=students)


@pytest.mark.parametrize("build", [_big_room_two_supervisors, _two_study_activities,
                                   _football_takes_some], ids=lambda f: f.__name__.strip("_"))
def test_capacity_pre_checks_are_necessary_conditions(build) -> None:  # type: ignore[no-untyped-def]
    """The pre-check once called these schedulable schools infeasible: it counted staff
    per section twice, saw only the first study activity's rooms, and ignored children
    that activities take out of study."""
    school = build(tiny_school())
    assert capacity_problems(school) == []
    solve_checked(school, time_limit=5)


def test_study_with_a_per_head_fee_is_refused() -> None:
    """Study is where every unplaced child goes: a per-head fee on it cannot be modelled
    per child and is an error of the workbook."""
    from models.validate import validate_school

    school = tiny_school()
    school = dataclasses.replace(school, activities=(
        dataclasses.replace(STUDY, fee_per_student=500), *school.activities[1:]))
    errors = [p for p in validate_school(school) if p.is_error]
    assert [(p.sheet, p.column) for p in errors] == [("Activities", "fee_per_student")]
    assert "expected fee_per_student 0" in errors[0].message
