"""One tiny school per hard rule where the rule binds: the solver keeps it, and the
same schedule bent to break it is rejected by the checker under that rule's number."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from ortools.sat.python import cp_model

from models.check import check
from models.schedule import Schedule, Section
from models.school import Activity, Room, School, Staff, Student
from optimizer.model.instance import build_instance
from optimizer.model.rules import GOALS, HARD_RULES
from tests.factories import CHESS, FOOTBALL, STUDY, junior_periods, tiny_school, vendor
from tests.optimizer.helpers import solve_checked

RULE_NUMBER = {name: number for number, name in enumerate(HARD_RULES, start=1)}


def _replace_section(schedule: Schedule, section_id: str, **changes: object) -> Schedule:
    sections = tuple(
        dataclasses.replace(s, **changes) if s.id == section_id else s  # type: ignore[arg-type]
        for s in schedule.sections
    )
    return dataclasses.replace(schedule, sections=sections)


def _replace_meeting(schedule: Schedule, section_id: str, index: int, **changes: object
                     ) -> Schedule:
    section = schedule.section_by_id[section_id]
    meetings = list(section.meetings)
    meetings[index] = dataclasses.replace(meetings[index], **changes)  # type: ignore[arg-type]
    return _replace_section(schedule, section_id, meetings=tuple(meetings))


def _rejected_for(school: School, schedule: Schedule, rule: str) -> None:
    report = check(school, schedule)
    assert not report.ok
    assert RULE_NUMBER[rule] in report.by_rule(), report.summary()


def _activity_section(schedule: Schedule, activity_id: str) -> Section:
    return next(s for s in schedule.sections if s.activity_id == activity_id)


def test_registry_matches_contract_order() -> None:
    assert list(HARD_RULES) == ["time", "sections", "rooms", "staff", "students", "study",
                                "budget"]


def test_time_sections_never_mix_bands_and_use_band_times() -> None:
    """Rule 1: a club open to grades 5-8 meets at primary times for grade 5-6 children
    and junior times for grade 7-8 children, never both in one section."""
    school = tiny_school()
    club = dataclasses.replace(CHESS, grades=frozenset(range(5, 9)), max_sections=2,
                               max_size=10)
    students = (
        *(Student(id=f"P{i}", name="p", grade=5, class_name="5-1", days=frozenset({0}),
                  choices=("CHESS",)) for i in range(3)),
        *(Student(id=f"J{i}", name="j", grade=8, class_name="8-1", days=frozenset({0}),
                  choices=("CHESS",)) for i in range(3)),
    )
    school = dataclasses.replace(school, periods=school.periods + junior_periods(),
                                 activities=(STUDY, club), students=students)
    result, report = solve_checked(school)
    assert report.goals["unserved"] == 0
    chess = [s for s in result.schedule.sections if s.activity_id == "CHESS"]  # type: ignore[union-attr]
    assert len(chess) == 2
    for section in chess:
        assert len({sid[0] for sid in section.student_ids}) == 1  # one band per section
    junior = next(s for s in chess if s.student_ids[0].startswith("J"))
    assert junior.meetings[0].start in (16 * 60 + 30, 17 * 60 + 15)
    moved = _replace_meeting(result.schedule, junior.id, 0,  # type: ignore[arg-type]
                             start=15 * 60 + 30, end=16 * 60 + 10)
    _rejected_for(school, moved, "time")


def test_sections_max_size_binds() -> None:
    """Rule 2: chess holds four; the six who chose it first cannot all get it."""
    school = tiny_school()
    school = dataclasses.replace(school, students=tuple(
        dataclasses.replace(s, choices=("CHESS", "FOOT")) for s in school.students))
    result, report = solve_checked(school)
    chess = _activity_section(result.schedule, "CHESS")  # type: ignore[arg-type]
    assert chess.size == 4
    assert report.goals["unserved"] == 0
    assert report.goals["choice_points"] == 4 * 16 + 2 * 8  # four first, two second choices
    extra = next(s for s in school.students if s.id not in chess.student_ids)
    too_big = _replace_section(result.schedule, chess.id,  # type: ignore[arg-type]
                               student_ids=(*chess.student_ids, extra.id))
    _rejected_for(school, too_big, "sections")


def test_rooms_one_gym_keeps_two_sports_apart() -> None:
    """Rule 3: football and basketball both need the only gym: never at the same time."""
    basketball = Activity(id="BASK", name="Basketball", category="sports",
                          grades=frozenset(range(1, 7)), room_type="gym", max_size=10)
    school = tiny_school()
    school = dataclasses.replace(
        school, activities=(*school.activities, basketball),
        students=tuple(dataclasses.replace(s, choices=("FOOT",) if i % 2 else ("BASK",),
                                           days=frozenset({0}), stay=1)
                       for i, s in enumerate(school.students)))
    result, report = solve_checked(school)
    assert report.goals["unserved"] == 3  # Monday has one gym period for stay-1 students
    school2 = dataclasses.replace(school, students=tuple(
        dataclasses.replace(s, stay=2) for s in school.students))
    result, report = solve_checked(school2)
    assert report.goals["unserved"] == 0
    foot = _activity_section(result.schedule, "FOOT")  # type: ignore[arg-type]
    bask = _activity_section(result.schedule, "BASK")  # type: ignore[arg-type]
    assert foot.meetings[0].start != bask.meetings[0].start
    clash = _replace_meeting(result.schedule, bask.id, 0,  # type: ignore[arg-type]
                             start=foot.meetings[0].start, end=foot.meetings[0].end,
                             periods=foot.meetings[0].periods)
    _rejected_for(school2, clash, "rooms")


def test_staff_weekly_limit_binds() -> None:
    """Rule 4: the only chess teacher may give one class hour a week, so a chess club
    meeting twice a week cannot open."""
    school = tiny_school()
    teacher = dataclasses.replace(school.staff_by_id["T1"], max_periods_week=1)
    twice = dataclasses.replace(CHESS, sessions_per_week=2)
    school = dataclasses.replace(
        school, activities=(STUDY, twice, FOOTBALL),
        staff=(teacher, *(p for p in school.staff if p.id != "T1")))
    result, report = solve_checked(school)
    assert all(s.activity_id != "CHESS" for s in result.schedule.sections)  # type: ignore[union-attr]
    assert report.goals["unserved"] == 0  # everyone gets football instead
    school_ok = dataclasses.replace(school, staff=(
        dataclasses.replace(teacher, max_periods_week=2),
        *(p for p in school.staff if p.id != "T1")))
    result, _ = solve_checked(school_ok)
    chess = _activity_section(result.schedule, "CHESS")  # type: ignore[arg-type]
    assert len(chess.meetings) == 2
    _rejected_for(school, result.schedule, "staff")  # the same schedule, limit 1


def test_staff_unvetted_volunteer_never_serves() -> None:
    """Rule 4: a volunteer whose check expires before term_end does not serve."""
    school = tiny_school()
    expired = dataclasses.replace(school.staff_by_id["V1"], vetted_until=dt.date(2026, 12, 1))
    school = dataclasses.replace(school, staff=(*school.staff[:3], expired))
    result, _ = solve_checked(school)
    served_by = {t for s in result.schedule.sections  # type: ignore[union-attr]
                 for m in s.meetings for t in m.staff_ids}
    assert "V1" not in served_by
    study = next(s for s in result.schedule.sections if s.activity_id == "STUDY")  # type: ignore[union-attr]
    bent = _replace_meeting(result.schedule, study.id, 0, staff_ids=("V1",))  # type: ignore[arg-type]
    _rejected_for(school, bent, "staff")


def test_students_only_on_registered_days() -> None:
    """Rule 5: chess may meet only on Wednesday; a child registered on Monday alone
    cannot join it."""
    school = tiny_school()
    wednesday_chess = dataclasses.replace(CHESS, allowed_slots=frozenset({(2, 1), (2, 2)}))
    monday_only = dataclasses.replace(school.students[0], days=frozenset({0}),
                                      choices=("CHESS",))
    school = dataclasses.replace(school, activities=(STUDY, wednesday_chess, FOOTBALL),
                                 students=(monday_only, *school.students[1:]))
    result, report = solve_checked(school)
    chess = _activity_section(result.schedule, "CHESS")  # type: ignore[arg-type]
    assert monday_only.id not in chess.student_ids
    assert report.goals["unserved"] == 1
    bent = _replace_section(result.schedule, chess.id,  # type: ignore[arg-type]
                            student_ids=(*chess.student_ids, monday_only.id))
    _rejected_for(school, bent, "students")


def test_students_two_wants_never_double_booked() -> None:
    """Rule 5: a child who wants two activities gets them at different times."""
    school = tiny_school()
    school = dataclasses.replace(school, students=tuple(
        dataclasses.replace(s, wants=2, days=frozenset({0}), stay=2) for s in school.students))
    result, report = solve_checked(school)
    assert report.goals["unserved"] == 0
    chess = _activity_section(result.schedule, "CHESS")  # type: ignore[arg-type]
    foot = _activity_section(result.schedule, "FOOT")  # type: ignore[arg-type]
    both = set(chess.student_ids) & set(foot.student_ids)
    assert both, "with two wants and room for all, some child takes both"
    assert chess.meetings[0].start != foot.meetings[0].start
    clash = _replace_meeting(result.schedule, chess.id, 0,  # type: ignore[arg-type]
                             start=foot.meetings[0].start, end=foot.meetings[0].end,
                             periods=foot.meetings[0].periods)
    _rejected_for(school, clash, "students")


def test_study_ratio_binds() -> None:
    """Rule 6: with study_ratio 2, six children in study need three supervisors."""
    school = tiny_school()
    school = dataclasses.replace(
        school, info=dataclasses.replace(school.info, study_ratio=2),
        activities=(STUDY,),
        rooms=(*school.rooms, Room(id="R3", name="Room 3", type="classroom", capacity=30)),
        staff=(*school.staff, Staff(id="T4", name="T4", role="teacher", max_periods_week=4),
               Staff(id="T5", name="T5", role="teacher", max_periods_week=4)),
        students=tuple(dataclasses.replace(s, choices=()) for s in school.students))
    result, _ = solve_checked(school)
    studies = [s for s in result.schedule.sections if s.activity_id == "STUDY"]  # type: ignore[union-attr]
    assert all(s.size <= 2 for s in studies)
    first = studies[0]
    others = [s for s in studies if s.meetings[0].day == first.meetings[0].day
              and s.meetings[0].periods == first.meetings[0].periods and s.id != first.id]
    crowded = _replace_section(result.schedule, first.id,  # type: ignore[arg-type]
                               student_ids=first.student_ids + others[0].student_ids)
    crowded = _replace_section(crowded, others[0].id, student_ids=())
    _rejected_for(school, crowded, "study")


def test_budget_binds_paid_volunteer() -> None:
    """Rule 7: with a budget for one paid hour a week, the volunteer coaches football only
    if no cheaper person can, and the checker rejects a schedule over budget."""
    school = tiny_school()
    paid = dataclasses.replace(school.staff_by_id["V1"], pay_per_period=10_000)  # 100 yuan
    weeks = school.info.weeks
    school = dataclasses.replace(
        school, staff=(*school.staff[:3], paid),
        info=dataclasses.replace(school.info, enrolled=1,
                                 budget_per_student_year=2 * weeks * 10_000))
    result, report = solve_checked(school)
    assert report.goals["cost"] <= school.info.term_budget
    poor = dataclasses.replace(school, info=dataclasses.replace(
        school.info, budget_per_student_year=2 * max(report.goals["cost"] - 1, 0)))
    if report.goals["cost"] > 0:
        _rejected_for(poor, result.schedule, "budget")  # type: ignore[arg-type]
    else:
        richer = dataclasses.replace(school, staff=(
            *(dataclasses.replace(p, max_periods_week=0) for p in school.staff[:3]), paid))
        result, report = solve_checked(richer)
        assert report.goals["cost"] > 0
        broke = dataclasses.replace(richer, info=dataclasses.replace(
            richer.info, budget_per_student_year=0))
        _rejected_for(broke, result.schedule, "budget")  # type: ignore[arg-type]


@pytest.mark.parametrize("rule", list(HARD_RULES))
def test_every_rule_has_a_test(rule: str) -> None:
    """Meta-test: each registered hard rule is named by a test in this module."""
    names = [name for name in globals() if name.startswith("test_")]
    assert any(name.startswith(f"test_{rule}") for name in names), rule


def test_staff_vendor_weekly_sessions_bind() -> None:
    """Rule 4: a vendor allowed one session a week cannot run a club meeting twice."""
    school = tiny_school()
    robotics = Activity(id="ROBO", name="Robotics", category="science",
                        grades=frozenset(range(1, 7)), provider="V-ROBO", max_size=10,
                        sessions_per_week=2)
    instructor = Staff(id="I1", name="Instructor", role="vendor_instructor", vendor="V-ROBO",
                       vetted=True, vetted_until=dt.date(2027, 6, 30))
    students = tuple(dataclasses.replace(s, choices=("ROBO",)) for s in school.students)
    base = dataclasses.replace(school, activities=(*school.activities, robotics),
                               staff=(*school.staff, instructor), students=students)
    limited = dataclasses.replace(base, vendors=(vendor(max_sessions_week=1),))
    result, report = solve_checked(limited, time_limit=5)
    assert all(s.activity_id != "ROBO" for s in result.schedule.sections)  # type: ignore[union-attr]
    assert report.goals["unserved"] == 6
    enough = dataclasses.replace(base, vendors=(vendor(max_sessions_week=2),))
    result, report = solve_checked(enough, time_limit=5)
    robo = _activity_section(result.schedule, "ROBO")  # type: ignore[arg-type]
    assert len({m.day for m in robo.meetings}) == 2  # twice a week, on different days
    assert report.goals["unserved"] == 0
    _rejected_for(limited, result.schedule, "staff")  # type: ignore[arg-type]


def test_rooms_unavailable_slots_are_never_used() -> None:
    """Rule 3: the gym is closed on Monday, so football meets on Wednesday."""
    school = tiny_school()
    gym = dataclasses.replace(school.room_by_id["GYM"], unavailable=frozenset({(0, 1), (0, 2)}))
    school = dataclasses.replace(school, rooms=(*school.rooms[:2], gym))
    result, report = solve_checked(school, time_limit=5)
    foot = _activity_section(result.schedule, "FOOT")  # type: ignore[arg-type]
    assert {m.day for m in foot.meetings} == {2}
    assert report.goals["unserved"] == 0
    moved = _replace_meeting(result.schedule, foot.id, 0, day=0)  # type: ignore[arg-type]
    _rejected_for(school, moved, "rooms")


def test_students_per_head_fees_within_the_cap() -> None:
    """Rule 5: two clubs at 300 yuan each, a cap of 500: a child who wants both gets one."""
    school = tiny_school()
    dear_chess = dataclasses.replace(CHESS, fee_per_student=30_000, max_size=10)
    dear_foot = dataclasses.replace(FOOTBALL, fee_per_student=30_000)
    school = dataclasses.replace(
        school, info=dataclasses.replace(school.info, per_student_cap=50_000),
        activities=(STUDY, dear_chess, dear_foot),
        students=tuple(dataclasses.replace(s, wants=2) for s in school.students))
    result, report = solve_checked(school, time_limit=5)
    chess = _activity_section(result.schedule, "CHESS")  # type: ignore[arg-type]
    foot = _activity_section(result.schedule, "FOOT")  # type: ignore[arg-type]
    assert not set(chess.student_ids) & set(foot.student_ids)
    assert report.goals["unserved"] == 0
    both = next(s for s in school.students if s.id not in chess.student_ids)
    bent = _replace_section(result.schedule, chess.id,  # type: ignore[arg-type]
                            student_ids=(*chess.student_ids, both.id))
    _rejected_for(school, bent, "students")


@pytest.mark.parametrize("shape", ["vendor-heavy", "overlap-cross", "two-each"])
def test_every_goal_the_model_counts_is_what_the_checker_counts(shape: str) -> None:
    """Each registered goal's expression, with every decision fixed to a schedule the
    checker accepts, equals the checker's value of that goal (docs/goals.md): the
    levels optimize exactly what the contract asks."""
    from models.shapes import generate_shaped_school
    from optimizer.model.warmstart import hint_schedule
    from optimizer.search.construct import constructive_schedule
    from optimizer.search.levels import DEFAULT_LEVELS
    from optimizer.search.solve import Params, build_model

    school = generate_shaped_school(60, seed=3, shape=shape)
    inst = build_instance(school)
    built = constructive_schedule(school, inst, DEFAULT_LEVELS, seed=3)
    assert built is not None
    model, inst, v, goals = build_model(school, Params(seed=3), inst)
    hint_schedule(model, inst, v, built.schedule)
    # Helper variables (loads, the busiest load) are only bounded by the decisions: each
    # goal pushed its own way makes them exact, and with the decisions fixed no goal
    # can trade against another.
    model.maximize(sum(GOALS[name].sense * goals[name] for name in goals))
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    expected = check(school, built.schedule, seed=3).goals
    # The goals of a re-solve need a previous schedule: tests/optimizer/search/test_resolve.py.
    assert set(goals) == {name for name, goal in GOALS.items() if not goal.needs_previous}
    for name in goals:
        assert solver.value(goals[name]) == expected[name], name


def test_every_goal_is_registered_with_what_the_search_asks_of_it() -> None:
    """Meta-test: the placement goals lead, in the contract's order, and each goal the
    placement program serves maximizes goals that place children."""
    places = [name for name, goal in GOALS.items() if goal.places]
    assert places == list(GOALS)[:len(places)]
    for name, goal in GOALS.items():
        assert goal.sense in (1, -1), name
        assert goal.time_weight >= 1, name
        assert all(GOALS[g].places for g in goal.placed_again), name
