"""The independent checker: one valid schedule with hand-computed goals, then every rule clause.

The base school is ``tiny_school()`` grown a little so every rule has something
to bite on: chess meets twice a week (Mon and Wed, period 1), football is in a
gym with a hire fee, robotics is a 2-period vendor activity, and there are a
Mon-only child who is picked up after period 1 (S7) and an unregistered child
(S8). Periods are 15:30-16:10 and 16:20-17:00 every day.

The base schedule, by day and period (room, staff):

=======  ==================================  ==================================
slot     chosen sections                     study
=======  ==================================  ==================================
Mon 1    CH1 chess S1 S3 (R1, T1)            ST-M1 S2 S4 S5 S6 S7 (R2, T2)
Mon 2    FT1 football S2 S4 S5 (GYM, V1)     ST-M2 S1 S3 S6 (R1, T2)
Wed 1    CH1 chess S1 S3 (R1, T1);           ST-W1 S2 S4 S5 (R3, T3)
         RB1 robotics S6, periods 1+2
         (R2, VI1)
Wed 2    RB1 (continued)                     ST-W2 S1 S2 S3 S4 S5 (R3, T3)
=======  ==================================  ==================================

Each failing case changes the school or the schedule just enough to break one
clause, and expects exactly that rule's number (``also`` names rules that
necessarily break with it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from models.check import RULE_NAMES, RULES, CheckReport, check, rule_time
from models.schedule import Meeting, Place, Schedule, Section
from models.school import Activity, Room, School, Staff, Student
from tests.factories import (
    CHESS,
    FOOTBALL,
    STUDY,
    TERM_END,
    info,
    junior_periods,
    primary_periods,
    tiny_school,
    vendor,
)

MON, WED = 0, 2
P1, P2, BOTH = (1,), (2,), (1, 2)
TIMES = {1: (15 * 60 + 30, 16 * 60 + 10), 2: (16 * 60 + 20, 17 * 60)}
JUNIOR_TIMES = {1: (16 * 60 + 30, 17 * 60 + 15), 2: (17 * 60 + 15, 18 * 60)}
DAY_BEFORE_END = TERM_END - dt.timedelta(days=1)

ROBO = Activity(id="ROBO", name="Robotics", category="science", grades=frozenset(range(1, 7)),
                periods=2, max_size=8, provider="V-ROBO", fee_per_session=10_000)
VI1 = Staff(id="VI1", name="Robo Instructor", role="vendor_instructor", vendor="V-ROBO",
            vetted=True, vetted_until=dt.date(2027, 6, 30), pay_per_period=500)


# --- the base school and schedule ------------------------------------------------

def base_school(**info_changes: object) -> School:
    """tiny_school() plus the fees, robotics, a third classroom and children S7, S8."""
    tiny = tiny_school()
    students = list(tiny.students)
    students[1] = replace(students[1], priority=1)  # S2: a higher priority level
    students[5] = replace(students[5], choices=("ROBO", "FOOT"))  # S6
    students.append(Student(id="S7", name="Student 7", grade=3, class_name="3-1",
                            days=frozenset({MON}), stay=1, choices=("CHESS",)))
    students.append(Student(id="S8", name="Student 8", grade=3, class_name="3-1",
                            choices=("FOOT",)))  # not registered
    return replace(
        tiny,
        info=info(**info_changes),
        activities=(STUDY, replace(CHESS, sessions_per_week=2, fee_per_student=5_000),
                    replace(FOOTBALL, fee_per_session=2_000), ROBO),
        rooms=(*(replace(r, fee_per_use=1_000) if r.id == "GYM" else r for r in tiny.rooms),
               Room(id="R3", name="Room 3", type="classroom", capacity=30)),
        staff=(*(replace(p, pay_per_period=3_000) if p.id == "V1" else p for p in tiny.staff),
               VI1),
        vendors=(vendor(),),
        students=tuple(students),
    )


def meet(day: int, periods: tuple[int, ...], room: str, *staff: str,
         times: dict[int, tuple[int, int]] = TIMES) -> Meeting:
    """A meeting on ``day`` at the clock times of ``periods`` (first start to last end)."""
    return Meeting(day=day, periods=periods, start=times[periods[0]][0],
                   end=times[periods[-1]][1], room_id=room, staff_ids=staff)


def sec(section_id: str, activity_id: str, meetings: list[Meeting], students: str
        ) -> Section:
    return Section(id=section_id, activity_id=activity_id, meetings=tuple(meetings),
                   student_ids=tuple(students.split()))


def base_sections() -> dict[str, Section]:
    return {s.id: s for s in (
        sec("CH1", "CHESS", [meet(MON, P1, "R1", "T1"), meet(WED, P1, "R1", "T1")], "S1 S3"),
        sec("FT1", "FOOT", [meet(MON, P2, "GYM", "V1")], "S2 S4 S5"),
        sec("RB1", "ROBO", [meet(WED, BOTH, "R2", "VI1")], "S6"),
        sec("ST-M1", "STUDY", [meet(MON, P1, "R2", "T2")], "S2 S4 S5 S6 S7"),
        sec("ST-M2", "STUDY", [meet(MON, P2, "R1", "T2")], "S1 S3 S6"),
        sec("ST-W1", "STUDY", [meet(WED, P1, "R3", "T3")], "S2 S4 S5"),
        sec("ST-W2", "STUDY", [meet(WED, P2, "R3", "T3")], "S1 S2 S3 S4 S5"),
    )}


def build(sections: dict[str, Section], extra: tuple[Place, ...] = ()) -> Schedule:
    """The schedule whose Assignments are exactly what its sections say, plus ``extra``."""
    places = [
        Place(student_id=student_id, day=meeting.day, period=period, section_id=section.id)
        for section in sections.values() for student_id in section.student_ids
        for meeting in section.meetings for period in meeting.periods
    ]
    places.sort(key=lambda p: (p.student_id, p.day, p.period))
    return Schedule(sections=tuple(sections.values()), places=(*places, *extra))


def base_schedule() -> Schedule:
    return build(base_sections())


# --- small editors for the cases ------------------------------------------------------

def swap(school: School, kind: str, entity_id: str, **changes: Any) -> School:
    """The school with one activity/room/staff/vendor/student changed."""
    entities = getattr(school, kind)
    assert any(e.id == entity_id for e in entities), entity_id
    changed = tuple(replace(e, **changes) if e.id == entity_id else e for e in entities)
    return replace(school, **{kind: changed})  # type: ignore[arg-type]


def edit(sections: dict[str, Section], section_id: str, **changes: Any) -> None:
    sections[section_id] = replace(sections[section_id], **changes)


def edit_meeting(sections: dict[str, Section], section_id: str, index: int,
                 **changes: Any) -> None:
    meetings = list(sections[section_id].meetings)
    meetings[index] = replace(meetings[index], **changes)
    edit(sections, section_id, meetings=tuple(meetings))


def students(sections: dict[str, Section], section_id: str, names: str) -> None:
    edit(sections, section_id, student_ids=tuple(names.split()))


Built = tuple[School, Schedule]


def school_only(**info_changes: object) -> Callable[[], Built]:
    return lambda: (base_school(**info_changes), base_schedule())


def entity(kind: str, entity_id: str, **changes: Any) -> Callable[[], Built]:
    return lambda: (swap(base_school(), kind, entity_id, **changes), base_schedule())


def sections_edit(change: Callable[[dict[str, Section]], object],
                  extra: tuple[Place, ...] = ()) -> Callable[[], Built]:
    def made() -> Built:
        sections = base_sections()
        change(sections)
        return base_school(), build(sections, extra)
    return made


@dataclass(frozen=True)
class Case:
    id: str
    rule: int
    make: Callable[[], Built]
    also: frozenset[int] = frozenset()


def _only_monday_periods() -> Built:
    monday = tuple(replace(row, day=MON) for row in primary_periods())
    return replace(base_school(), periods=monday), base_schedule()


def _two_bands_in_one_section() -> Built:
    school = swap(base_school(), "students", "S5", grade=7)
    school = swap(school, "activities", "FOOT", grades=frozenset(range(1, 10)))
    return replace(school, periods=(*school.periods, *junior_periods())), base_schedule()


def _study_two_periods(sections: dict[str, Section]) -> None:
    del sections["ST-W1"]
    sections["ST-W2"] = sec("ST-W", "STUDY", [meet(WED, BOTH, "R3", "T3")], "S2 S4 S5")
    sections["ST-W2b"] = sec("ST-W2b", "STUDY", [meet(WED, P2, "R1", "T2")], "S1 S3")


def _same_day_twice(sections: dict[str, Section]) -> None:
    edit(sections, "CH1", meetings=(meet(MON, P1, "R1", "T1"), meet(MON, P2, "R1", "T1")))
    edit(sections, "ST-M2", meetings=(meet(MON, P2, "R3", "T2"),), student_ids=("S6",))
    students(sections, "ST-W1", "S1 S2 S3 S4 S5")


def _different_periods(sections: dict[str, Section]) -> None:
    edit_meeting(sections, "CH1", 1, periods=P2, start=TIMES[2][0], end=TIMES[2][1])
    students(sections, "ST-W1", "S1 S2 S3 S4 S5")
    students(sections, "ST-W2", "S2 S4 S5")


def _not_in_own_section_once() -> Built:
    schedule = base_schedule()
    places = tuple(p for p in schedule.places
                   if (p.student_id, p.day, p.period) != ("S3", WED, 1))
    return base_school(), replace(schedule, places=places)


def _duplicate_section_id(sections: dict[str, Section]) -> None:
    edit(sections, "ST-W2", id="ST-W1")


def _other_vendors_instructor() -> Built:
    school = base_school()
    school = replace(
        school,
        vendors=(*school.vendors, vendor(id="V-ART", name="Art House")),
        staff=(*school.staff, replace(VI1, id="VI2", name="Art Instructor", vendor="V-ART")),
    )
    sections = base_sections()
    edit_meeting(sections, "RB1", 0, staff_ids=("VI2",))
    return school, build(sections)


def _two_football_sections() -> Built:
    school = swap(base_school(), "activities", "FOOT", max_sections=2)
    school = swap(school, "students", "S5", wants=2)
    sections = base_sections()
    sections["FT2"] = sec("FT2", "FOOT", [meet(WED, P2, "GYM", "V1")], "S5")
    students(sections, "ST-W2", "S1 S2 S3 S4")
    return school, build(sections)


def _s1_also_in_football(sections: dict[str, Section]) -> None:
    """S1 (chess, wants 1) also plays football on Monday period 2 instead of studying."""
    students(sections, "FT1", "S1 S2 S4 S5")
    students(sections, "ST-M2", "S3 S6")


def _place_elsewhere(section_id: str, day: int, period: int) -> Callable[[], Built]:
    """S1 is taken out of their study section in a slot and placed in ``section_id`` instead."""
    study = {(MON, 2): "ST-M2", (WED, 2): "ST-W2"}[day, period]

    def change(sections: dict[str, Section]) -> None:
        edit(sections, study, student_ids=tuple(
            s for s in sections[study].student_ids if s != "S1"))

    return sections_edit(change, extra=(
        Place(student_id="S1", day=day, period=period, section_id=section_id),))


FAILING: list[Case] = [
    # 1 time
    Case("time-start-not-period-start", 1,
         sections_edit(lambda s: edit_meeting(s, "CH1", 0, start=TIMES[1][0] + 5))),
    Case("time-two-periods-end-at-period-1", 1,
         sections_edit(lambda s: edit_meeting(s, "RB1", 0, end=TIMES[1][1]))),
    Case("time-ends-after-latest-end", 1, school_only(latest_end=16 * 60 + 50)),
    Case("time-grade-has-no-period-that-day", 1, _only_monday_periods),
    Case("time-two-periods-for-one-period-activity", 1, entity("activities", "ROBO", periods=1)),
    Case("time-study-takes-two-periods", 1, sections_edit(_study_two_periods)),
    Case("time-two-grade-bands-in-one-section", 1, _two_bands_in_one_section),
    Case("time-day-outside-mon-fri", 1, sections_edit(lambda s: edit_meeting(s, "CH1", 1, day=5)),
         also=frozenset({2, 5})),
    # 2 sections
    Case("sections-over-max-sections", 2, entity("activities", "FOOT", max_sections=0)),
    Case("sections-below-min-size", 2, entity("activities", "FOOT", min_size=4)),
    Case("sections-over-max-size", 2, entity("activities", "FOOT", max_size=2)),
    Case("sections-too-few-meetings", 2, entity("activities", "CHESS", sessions_per_week=3)),
    Case("sections-two-meetings-one-day", 2, sections_edit(_same_day_twice)),
    Case("sections-outside-allowed-slots", 2, entity(
        "activities", "CHESS", allowed_slots=frozenset({(MON, 1), (MON, 2), (WED, 2)}))),
    Case("sections-different-periods", 2, sections_edit(_different_periods)),
    Case("sections-not-the-same-group", 2, _not_in_own_section_once, also=frozenset({5})),
    Case("sections-unknown-activity", 2,
         sections_edit(lambda s: edit(s, "FT1", activity_id="KARATE"))),
    Case("sections-duplicate-section-id", 2, sections_edit(_duplicate_section_id),
         also=frozenset({5})),
    # 3 rooms
    Case("rooms-wrong-type", 3, sections_edit(lambda s: edit_meeting(s, "FT1", 0, room_id="R3"))),
    Case("rooms-over-capacity", 3, entity("rooms", "GYM", capacity=2)),
    Case("rooms-blank-max-size-means-capacity", 3, lambda: (
        swap(swap(base_school(), "activities", "FOOT", max_size=None), "rooms", "GYM",
             capacity=2), base_schedule())),
    Case("rooms-unavailable", 3, entity("rooms", "GYM", unavailable=frozenset({(MON, 2)}))),
    Case("rooms-two-meetings-overlap", 3,
         sections_edit(lambda s: edit_meeting(s, "ST-M1", 0, room_id="R1"))),
    Case("rooms-unknown-room", 3,
         sections_edit(lambda s: edit_meeting(s, "FT1", 0, room_id="POOL"))),
    # 4 staff
    Case("staff-too-few-people", 4, entity("activities", "FOOT", staff_per_section=2)),
    Case("staff-same-person-twice", 4, lambda: (
        swap(base_school(), "activities", "FOOT", staff_per_section=2),
        build(_edited(lambda s: edit_meeting(s, "FT1", 0, staff_ids=("V1", "V1")))))),
    Case("staff-lacks-skill", 4,
         sections_edit(lambda s: edit_meeting(s, "CH1", 0, staff_ids=("T3",)))),
    Case("staff-unavailable", 4, entity("staff", "T1", unavailable=frozenset({(WED, 1)}))),
    Case("staff-two-meetings-overlap", 4,
         sections_edit(lambda s: edit_meeting(s, "ST-M1", 0, staff_ids=("T1",)))),
    Case("staff-over-max-periods-day", 4, entity("staff", "T2", max_periods_day=1)),
    Case("staff-over-max-periods-week", 4, entity("staff", "T1", max_periods_week=1)),
    Case("staff-vendor-activity-by-volunteer", 4,
         sections_edit(lambda s: edit_meeting(s, "RB1", 0, staff_ids=("V1",)))),
    Case("staff-vendor-activity-by-other-vendor", 4, _other_vendors_instructor),
    Case("staff-school-activity-by-vendor-instructor", 4,
         sections_edit(lambda s: edit_meeting(s, "FT1", 0, staff_ids=("VI1",)))),
    Case("staff-volunteer-not-vetted", 4, entity("staff", "V1", vetted=False)),
    Case("staff-vetting-ends-before-term-end", 4,
         entity("staff", "V1", vetted_until=DAY_BEFORE_END)),
    Case("staff-vetting-without-date", 4, entity("staff", "V1", vetted_until=None)),
    Case("staff-vendor-instructor-not-vetted", 4, entity("staff", "VI1", vetted=False)),
    Case("staff-teacher-affiliated-with-vendor", 4,
         entity("staff", "T2", affiliated_vendor="V-ROBO")),
    Case("staff-vendor-not-qualified", 4, entity("vendors", "V-ROBO", qualified=False)),
    Case("staff-vendor-contract-ends-before-term-end", 4,
         entity("vendors", "V-ROBO", contract_until=DAY_BEFORE_END)),
    Case("staff-vendor-contract-without-date", 4,
         entity("vendors", "V-ROBO", contract_until=None)),
    Case("staff-vendor-over-max-sessions-week", 4,
         entity("vendors", "V-ROBO", max_sessions_week=0)),
    Case("staff-unknown-person", 4,
         sections_edit(lambda s: edit_meeting(s, "FT1", 0, staff_ids=("NOBODY",)))),
    Case("staff-unknown-vendor", 4, entity("activities", "ROBO", provider="V-NONE")),
    # 5 students
    Case("students-not-chosen", 5, entity("students", "S5", choices=("CHESS",))),
    Case("students-grade-not-admitted", 5,
         entity("activities", "FOOT", grades=frozenset({4, 5, 6}))),
    Case("students-study-grade-not-admitted", 5,
         entity("activities", "STUDY", grades=frozenset({7, 8, 9}))),
    Case("students-not-registered-on-meeting-day", 5,
         entity("students", "S3", days=frozenset({MON}))),
    Case("students-not-staying-for-period", 5, entity("students", "S2", stay=1)),
    Case("students-two-places-at-once", 5,
         sections_edit(lambda s: students(s, "ST-W1", "S2 S4 S5 S6"))),
    Case("students-missing-place", 5,
         sections_edit(lambda s: students(s, "ST-W2", "S2 S3 S4 S5"))),
    Case("students-unregistered-child-placed", 5,
         sections_edit(lambda s: students(s, "ST-M1", "S2 S4 S5 S6 S7 S8"))),
    Case("students-placed-after-pickup", 5,
         sections_edit(lambda s: students(s, "ST-M2", "S1 S3 S6 S7"))),
    Case("students-placed-on-unregistered-day", 5,
         sections_edit(lambda s: students(s, "ST-W1", "S2 S4 S5 S7"))),
    Case("students-more-than-wants", 5, sections_edit(_s1_also_in_football)),
    Case("students-two-sections-of-one-activity", 5, _two_football_sections),
    Case("students-over-fee-cap", 5, school_only(per_student_cap=4_999)),
    Case("students-place-in-section-not-listing-them", 5, _place_elsewhere("FT1", MON, 2)),
    Case("students-place-when-section-does-not-meet", 5, _place_elsewhere("CH1", WED, 2)),
    Case("students-place-in-unknown-section", 5, _place_elsewhere("NOPE", WED, 2)),
    Case("students-unknown-child-in-section", 5,
         sections_edit(lambda s: students(s, "FT1", "S2 S4 S5 S99"))),
    Case("students-child-listed-twice", 5,
         sections_edit(lambda s: students(s, "FT1", "S2 S2 S4 S5"))),
    # 6 study
    Case("study-over-ratio", 6, school_only(study_ratio=4)),
    Case("study-over-room-capacity", 6, entity("rooms", "R3", capacity=4)),
    # 7 budget
    Case("budget-over-term-budget", 7, school_only(enrolled=6)),
]


def _edited(change: Callable[[dict[str, Section]], object]) -> dict[str, Section]:
    sections = base_sections()
    change(sections)
    return sections


PASSING: list[Case] = [
    Case("size-equals-max-size", 2, entity("activities", "FOOT", max_size=3)),
    Case("size-equals-min-size", 2, entity("activities", "FOOT", min_size=3)),
    Case("sections-equal-max-sections", 2, entity("activities", "FOOT", max_sections=1)),
    Case("allowed-slots-exactly-used", 2, entity(
        "activities", "CHESS", allowed_slots=frozenset({(MON, 1), (WED, 1)}))),
    Case("meeting-ends-at-latest-end", 1, school_only(latest_end=17 * 60)),
    Case("room-capacity-equals-size", 3, lambda: (
        swap(swap(base_school(), "activities", "FOOT", max_size=None), "rooms", "GYM",
             capacity=3), base_schedule())),
    Case("room-unavailable-other-period", 3,
         entity("rooms", "GYM", unavailable=frozenset({(MON, 1)}))),
    Case("load-equals-max-periods-week", 4, entity("staff", "T1", max_periods_week=2)),
    Case("load-equals-max-periods-day", 4, entity("staff", "T1", max_periods_day=1)),
    Case("staff-unavailable-other-slot", 4,
         entity("staff", "T1", unavailable=frozenset({(MON, 2), (WED, 2)}))),
    Case("vetted-until-equals-term-end", 4, entity("staff", "V1", vetted_until=TERM_END)),
    Case("contract-until-equals-term-end", 4,
         entity("vendors", "V-ROBO", contract_until=TERM_END)),
    Case("vendor-sessions-equal-max", 4, entity("vendors", "V-ROBO", max_sessions_week=1)),
    Case("fees-equal-cap", 5, school_only(per_student_cap=5_000)),
    Case("chosen-sections-equal-wants", 5, lambda: (
        swap(base_school(), "students", "S1", wants=2),
        build(_edited(_s1_also_in_football)))),
    Case("study-size-equals-ratio", 6, school_only(study_ratio=5)),
    Case("study-size-equals-room-capacity", 6, entity("rooms", "R3", capacity=5)),
    Case("cost-equals-budget", 7, school_only(enrolled=1, budget_per_student_year=632_000)),
]


def _rules(report: CheckReport) -> set[int]:
    return {v.rule for v in report.violations}


# --- the valid schedule -------------------------------------------------------------

def test_base_schedule_keeps_every_rule() -> None:
    report = check(base_school(), base_schedule())
    assert report.violations == ()
    assert report.ok


def test_goal_values_computed_by_hand() -> None:
    school = base_school()
    report = check(school, base_schedule(), seed=7)
    # Lottery by its definition: registered ids sorted, shuffled by the seed, ticket =
    # position, weighted by rank points.
    order = sorted(["S1", "S2", "S3", "S4", "S5", "S6", "S7"])
    random.Random(7).shuffle(order)
    ticket = {student_id: position for position, student_id in enumerate(order, start=1)}
    assert report.goals == {
        "unserved": 1,  # S7 (Mon only) cannot join chess, which also meets Wed
        # Everyone else has a place: five at level 0 and S2 at level 1 (17).
        "priority_served": 5 + 17,
        # S1, S3, S4, S6 are in their first choice, and so is S2, whose priority
        # (level 1) weighs 17; S5 is in their second choice.
        "first_choices": 4 + 17,
        # S2 has the higher priority (level 1): 16 × 17; S5 is in football, choice 2: 8;
        # S1, S3 (chess), S4 (football), S6 (robotics) are in their first choice: 16 each.
        "choice_points": 16 * 4 + 16 * 17 + 8,
        # ticket × points(rank): everyone at rank 1 (16) but S5 (rank 2: 8).
        "lottery": sum(16 * ticket[s] for s in ("S1", "S2", "S3", "S4", "S6")) + 8 * ticket["S5"],
        "teacher_max_load": 2,  # T1, T2, T3 each staff two class hours
        "teacher_load_squares": 3 * 2 * 2,
        # weekly: football 20 + gym 10 + V1 30; robotics 100 + VI1 5 × 2 periods: 170 yuan
        # × 18 weeks, plus chess materials 50 yuan × S1, S3.
        "cost": 18 * 17_000 + 2 * 5_000,
        "vendor_rating_shortfall": 50 - 40,  # one robotics meeting, vendor rated 4.0
    }
    assert list(report.goals) == ["unserved", "priority_served", "first_choices",
                                  "choice_points", "lottery", "teacher_max_load",
                                  "teacher_load_squares", "cost", "vendor_rating_shortfall"]
    assert report.seed == 7


def test_lottery_needs_the_seed() -> None:
    assert "lottery" not in check(base_school(), base_schedule()).goals


def test_kpis() -> None:
    report = check(base_school(), base_schedule())
    assert report.kpis == pytest.approx({
        "registered_students": 7,
        "choosers": 7,
        "first_choice_share": 5 / 7,
        "top3_share": 6 / 7,
        "choosers_with_none": 1,
        "mean_rank": 7 / 6,
        "sections_opened": 3,
        "study_sections_opened": 4,
        "teacher_load_max": 2,
        "teacher_load_mean": 2.0,
        "term_cost_yuan": 3_160.0,
        "term_budget_yuan": 50_000.0,
    })


def test_vendor_rating_rounds_to_a_tenth() -> None:
    school = swap(base_school(), "vendors", "V-ROBO", rating=3.64)
    assert check(school, base_schedule()).goals["vendor_rating_shortfall"] == 50 - 36


def test_each_rule_function_alone_accepts_the_base_schedule() -> None:
    for _number, _name, rule in RULES:
        assert rule(base_school(), base_schedule()) == []


# --- every clause broken --------------------------------------------------------------

@pytest.mark.parametrize("case", FAILING, ids=[c.id for c in FAILING])
def test_breaking_a_clause_is_rejected_with_its_rule(case: Case) -> None:
    school, schedule = case.make()
    report = check(school, schedule)
    assert not report.ok
    assert case.rule in _rules(report), report.summary()
    assert _rules(report) <= {case.rule} | case.also, report.summary()
    for violation in report.violations:
        assert violation.name == RULE_NAMES[violation.rule]
        # Messages name ids, never a child's name.
        assert not any(s.name in violation.message for s in school.students)


@pytest.mark.parametrize("case", PASSING, ids=[c.id for c in PASSING])
def test_just_inside_the_boundary_passes(case: Case) -> None:
    school, schedule = case.make()
    report = check(school, schedule)
    assert report.violations == (), report.summary()


def test_every_rule_has_failing_and_passing_cases() -> None:
    for number, name, _rule in RULES:
        assert RULE_NAMES[number] == name
        assert any(c.rule == number for c in FAILING), name
        assert any(c.rule == number for c in PASSING), name
    assert len(FAILING) >= 25


def test_failing_case_ids_name_their_rule() -> None:
    # A case named for one rule must test that rule (the Timefold slip).
    for case in FAILING:
        assert case.id.split("-")[0] == RULE_NAMES[case.rule], case.id


def test_study_takes_one_period_even_if_the_row_says_two() -> None:
    """The contract places study one class hour at a time, whatever its periods column says."""
    school = swap(base_school(), "activities", "STUDY", periods=2)
    assert rule_time(school, base_schedule()) == []


def test_violation_messages_name_ids() -> None:
    school = swap(base_school(), "rooms", "GYM", capacity=2)
    (violation,) = check(school, base_schedule()).violations
    assert violation.rule == 3
    assert "FT1" in violation.message
    assert "GYM" in violation.message
    assert str(violation).startswith("rule 3 (rooms): ")


# --- grade bands: conflicts are clock-time overlaps, not equal period numbers ----------

def two_band_school() -> School:
    """A primary child P (grade 3) and a junior child J (grade 8), both Mon, both periods."""
    return School(
        info=info(),
        periods=(*primary_periods(), *junior_periods()),
        activities=(STUDY,),
        rooms=(Room(id="R1", name="Room 1", type="classroom", capacity=30),
               Room(id="R2", name="Room 2", type="classroom", capacity=30)),
        staff=(Staff(id="T1", name="Teacher One", role="teacher", max_periods_week=4),
               Staff(id="T2", name="Teacher Two", role="teacher", max_periods_week=4),
               Staff(id="T3", name="Teacher Three", role="teacher", max_periods_week=4)),
        students=(
            Student(id="P", name="Primary child", grade=3, class_name="3-1",
                    days=frozenset({MON})),
            Student(id="J", name="Junior child", grade=8, class_name="8-1",
                    days=frozenset({MON})),
        ),
    )


def two_band_schedule(junior_room: str = "R2", junior_staff: str = "T2") -> Schedule:
    """Primary study in R1 with T1; junior period 1 (16:30-17:15) where the arguments say."""
    return build({s.id: s for s in (
        sec("P1", "STUDY", [meet(MON, P1, "R2", "T2")], "P"),
        sec("P2", "STUDY", [meet(MON, P2, "R1", "T1")], "P"),
        sec("J1", "STUDY", [meet(MON, P1, junior_room, junior_staff, times=JUNIOR_TIMES)], "J"),
        sec("J2", "STUDY", [meet(MON, P2, "R1", "T1", times=JUNIOR_TIMES)], "J"),
    )})


def test_bands_sharing_a_period_number_but_not_times_do_not_conflict() -> None:
    # J1 (junior period 1, 16:30-17:15) shares R2 and T2 with P1 (primary period 1,
    # 15:30-16:10); J2 (17:15-18:00) follows P2 (16:20-17:00) in R1 with T1 and ends
    # exactly at latest_end.
    assert check(two_band_school(), two_band_schedule()).violations == ()


def test_room_overlap_across_bands_is_a_conflict() -> None:
    # Junior period 1 (16:30-17:15) overlaps primary period 2 (16:20-17:00) in R1.
    report = check(two_band_school(), two_band_schedule(junior_room="R1"))
    assert _rules(report) == {3}


def test_staff_overlap_across_bands_is_a_conflict() -> None:
    report = check(two_band_school(), two_band_schedule(junior_staff="T1"))
    assert _rules(report) == {4}


def test_junior_meeting_at_primary_times_breaks_rule_1() -> None:
    schedule = two_band_schedule()
    sections = {s.id: s for s in schedule.sections}
    edit_meeting(sections, "J1", 0, start=TIMES[1][0], end=TIMES[1][1], room_id="R1",
                 staff_ids=("T3",))
    assert _rules(check(two_band_school(), build(sections))) == {1}


def test_report_is_frozen() -> None:
    report = check(base_school(), base_schedule())
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.violations = ()  # type: ignore[misc]
