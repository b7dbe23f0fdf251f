"""One-day cover: only staff who may take the meeting are offered, best first.

The tiny school's chess section meets Monday period 1 with T1, who is away on
Monday 7 September 2026. Of the others who play chess, T2 is busy then, T4 is at
their weekly limit, V2 is not vetted; T3 does not play chess. T5 and V1 may take it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models.check import check
from models.cover import CoverError, cover
from models.schedule import Meeting, Place, Schedule, Section
from models.school import School, Staff
from tests.factories import tiny_school

MONDAY = dt.date(2026, 9, 7)
P1 = (15 * 60 + 30, 16 * 60 + 10)
CHESS = frozenset({"chess"})


def _school() -> School:
    school = tiny_school()
    staff = (
        Staff(id="T1", name="Away", role="teacher", skills=CHESS, max_periods_week=4),
        Staff(id="T2", name="Busy", role="teacher", skills=CHESS, max_periods_week=4),
        Staff(id="T3", name="No chess", role="teacher", max_periods_week=4),
        Staff(id="T4", name="Full week", role="teacher", skills=CHESS, max_periods_week=1),
        Staff(id="T5", name="Free", role="teacher", skills=CHESS, max_periods_week=4),
        Staff(id="V1", name="Volunteer", role="volunteer", skills=CHESS, vetted=True,
              vetted_until=dt.date(2027, 6, 30), max_periods_week=10),
        Staff(id="V2", name="Not vetted", role="volunteer", skills=CHESS, max_periods_week=10),
    )
    students = tuple(dataclasses.replace(s, stay=1) for s in school.students)
    return dataclasses.replace(school, staff=staff, students=students)


def _section(section_id: str, activity_id: str, day: int, room: str, staff: str,
             students: tuple[str, ...]) -> Section:
    meeting = Meeting(day=day, periods=(1,), start=P1[0], end=P1[1], room_id=room,
                      staff_ids=(staff,))
    return Section(id=section_id, activity_id=activity_id, student_ids=students,
                   meetings=(meeting,))


def _schedule() -> Schedule:
    """Chess on Monday with T1 (S1, S3); study on Monday with T2 (S2, S4, S5, S6) and on
    Wednesday with T4 (everyone), whose week is then full."""
    sections = (
        _section("C1", "CHESS", 0, "R1", "T1", ("S1", "S3")),
        _section("ST-Mon", "STUDY", 0, "R2", "T2", ("S2", "S4", "S5", "S6")),
        _section("ST-Wed", "STUDY", 2, "R2", "T4", tuple(f"S{i}" for i in range(1, 7))),
    )
    places = tuple(Place(student_id=s, day=m.day, period=1, section_id=section.id)
                   for section in sections for m in section.meetings
                   for s in section.student_ids)
    return Schedule(sections=sections, places=places)


def test_the_hand_built_schedule_keeps_every_rule() -> None:
    assert check(_school(), _schedule()).ok, check(_school(), _schedule()).summary()


def test_only_staff_who_may_take_the_meeting_are_offered_best_first() -> None:
    plan = cover(_school(), _schedule(), MONDAY, ["T1"])
    assert [(n.section_id, n.absent_id) for n in plan.needs] == [("C1", "T1")]
    offered = [c.staff_id for c in plan.needs[0].candidates]
    # Both have no other class hour; V1's pay is 0 like T5's, so the id decides.
    assert offered == ["T5", "V1"]
    assert plan.uncovered == 0


def test_the_weekly_limit_counts_the_covered_meeting() -> None:
    roomy = dataclasses.replace(_school(), staff=tuple(
        dataclasses.replace(p, max_periods_week=2) if p.id == "T4" else p
        for p in _school().staff))
    offered = [c.staff_id for c in cover(roomy, _schedule(), MONDAY, ["T1"]).needs[0].candidates]
    assert offered == ["T5", "V1", "T4"]  # T4 now fits, with 2 hours that week: last


def test_a_second_absent_person_is_never_offered() -> None:
    plan = cover(_school(), _schedule(), MONDAY, ["T1", "T5"])
    assert [c.staff_id for c in plan.needs[0].candidates] == ["V1"]


def test_a_day_without_their_meetings_needs_no_cover() -> None:
    assert cover(_school(), _schedule(), MONDAY + dt.timedelta(days=1), ["T1"]).needs == ()


@pytest.mark.parametrize(("date", "absent", "said"), [
    (MONDAY, ["T99"], "T99 is not in the Staff sheet"),
    (dt.date(2027, 4, 12), ["T1"], "outside the term"),
    (dt.date(2026, 9, 5), ["T1"], "not a school day"),
])
def test_an_unknown_person_or_a_date_off_the_term_is_refused(
        date: dt.date, absent: list[str], said: str) -> None:
    with pytest.raises(CoverError, match=said):
        cover(_school(), _schedule(), date, absent)
