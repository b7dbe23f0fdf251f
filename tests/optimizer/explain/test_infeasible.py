"""Why no schedule exists: impossible schools with one known cause, built by hand.

Every school here passes the capacity pre-checks: two bands (grades 1-3 and 4-6,
each with its own study activity) meet at the same time, so each band alone fits
and only together do they run out of one thing. Nobody chooses an activity, so
every registered child is in supervised study on Monday.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from models.check import check
from models.school import Activity, PeriodRow, Room, School, Staff, Student
from models.template import write_school
from models.time import PERIODS
from optimizer.cli import Exit, main
from optimizer.explain import infeasible
from optimizer.explain.facts import Fact
from optimizer.explain.guard import guard_model
from optimizer.explain.infeasible import (
    Verdict,
    _by_column,
    _halve,
    _shrink,
    _shrunk,
    explain_infeasible,
)
from optimizer.explain.relax import greedy_fits, relax
from optimizer.explain.words import explanation_lines
from optimizer.model.instance import build_instance
from optimizer.search.diagnose import capacity_problems, moment_problems, weekly_problems
from tests.factories import info
from tests.optimizer.helpers import solve_checked

MON = frozenset({0})
LOW, HIGH = frozenset({1, 2, 3}), frozenset({4, 5, 6})


def _study(activity_id: str, grades: frozenset[int]) -> Activity:
    return Activity(id=activity_id, name=f"Study {activity_id}", category="study",
                    grades=grades, max_sections=None)


def two_bands(*, per_band: int = 40, rooms: int = 4, capacity: int = 20, staff: int = 4,
              stay: int = 1, ratio: int = 40) -> School:
    """``per_band`` children in grade 2 and in grade 5, all in study on Monday.

    With the defaults every band needs two sections of 20 at once: four rooms and
    four supervisors, which is exactly what the school has.
    """
    periods = tuple(PeriodRow(grades=LOW | HIGH, day=None, period=p, start=start, end=end)
                    for p, (start, end) in ((1, (930, 970)), (2, (980, 1020))))
    children = [Student(id=f"S{grade}{n:02}", name=f"Child {grade}-{n}", grade=grade,
                        class_name=f"{grade}-1", days=MON, stay=stay, wants=0)
                for grade in (2, 5) for n in range(per_band)]
    return School(
        info=info(enrolled=2 * per_band, study_ratio=ratio),
        periods=periods,
        activities=(_study("STUDY-LOW", LOW), _study("STUDY-HIGH", HIGH)),
        rooms=tuple(Room(id=f"R{n}", name=f"Room {n}", type="classroom", capacity=capacity)
                    for n in range(1, rooms + 1)),
        staff=tuple(Staff(id=f"T{n}", name=f"Teacher {n}", role="teacher")
                    for n in range(1, staff + 1)),
        students=tuple(children),
    )


def _only_cause(school: School) -> tuple[str, str, tuple[str, ...], str]:
    assert moment_problems(build_instance(school)) == [], "no pre-check should answer this"
    explanation = explain_infeasible(school, seconds_per_solve=10)
    assert explanation.verdict is Verdict.CONFLICT, explanation
    assert explanation.minimal
    assert len(explanation.causes) == 1, [c.fact for c in explanation.causes]
    cause = explanation.causes[0]
    lines = explanation_lines(explanation, school)
    return cause.fact.sheet, cause.fact.column, cause.fact.ids, lines[1]


def test_a_school_that_has_a_schedule_says_so() -> None:
    school = two_bands()
    solve_checked(school)  # the baseline really is feasible
    explanation = explain_infeasible(school)
    assert explanation.verdict is Verdict.FEASIBLE
    assert "keeps every rule" in explanation_lines(explanation, school)[0]


def test_one_room_short_names_the_rooms_of_that_kind() -> None:
    sheet, column, ids, line = _only_cause(two_bands(rooms=3))
    assert (sheet, column, ids) == ("Rooms", "type", ("R1", "R2", "R3"))
    assert "at least 1 more room of this type would be needed at once (e.g. Mon 15:30)" in line


def test_one_supervisor_short_names_their_daily_limit() -> None:
    """Both periods need four supervisors; T4 may give only one class hour a day. The
    pre-checks see the week one class hour short; the model says whose limit it is."""
    school = two_bands(stay=2)
    last = dataclasses.replace(school.staff[-1], max_periods_day=1)
    school = dataclasses.replace(school, staff=(*school.staff[:-1], last))
    inst = build_instance(school)
    assert moment_problems(inst) == []
    assert weekly_problems(inst) != []
    sheet, column, ids, line = _only_cause(school)
    assert (sheet, column, ids) == ("Staff", "max_periods_day", ("T4",))
    assert "needs at least 2 class hours of them on one day (e.g. Mon)" in line
    # The week's sum, which proved it first, is said beside the set.
    lines = explanation_lines(explain_infeasible(school, seconds_per_solve=10), school)
    assert [line for line in lines if line.startswith("Summed over the week: ")] == [
        f"Summed over the week: {problem}" for problem in weekly_problems(inst)]


def test_a_budget_one_yuan_short_names_the_budget() -> None:
    """Four supervisors at 100 yuan an hour for 18 weeks: 7,200 yuan is the least cost."""
    paid = two_bands()
    paid = dataclasses.replace(paid, staff=tuple(
        dataclasses.replace(p, pay_per_period=100_00) for p in paid.staff))
    cheapest = 4 * 100_00 * paid.info.weeks
    enough = dataclasses.replace(paid, info=dataclasses.replace(
        paid.info, enrolled=1, terms_per_year=1, budget_per_student_year=cheapest))
    solve_checked(enough)
    short = dataclasses.replace(enough, info=dataclasses.replace(
        enough.info, budget_per_student_year=cheapest - 100))
    sheet, column, _, line = _only_cause(short)
    assert (sheet, column) == ("School", "budget_per_student_year")
    assert "at least 7,200 yuan a term, 1 more than the 7,199" in line


def test_a_study_ratio_too_low_names_the_ratio() -> None:
    """Rooms of 40 and a ratio of 10: 20 children a band need two supervisors each, four
    at once, and there are three."""
    school = two_bands(per_band=20, capacity=40, staff=3, ratio=10)
    sheet, column, _, line = _only_cause(school)
    assert (sheet, column) == ("School", "study_ratio")
    assert ("at least 10 children more would be in study than 10 per supervisor allows; "
            "e.g. Mon 15:30–16:10") in line
    # Either band may be the one left with one supervisor: three for four sections.
    assert ": 20 children in study, 1 supervising them, 3 staff may supervise then" in line


def test_the_pre_checks_come_first() -> None:
    school = two_bands(rooms=1)
    explanation = explain_infeasible(school)
    assert explanation.verdict is Verdict.PRECHECK
    assert explanation.prechecks == capacity_problems(school)


def test_a_schedule_checked_with_the_cause_fixed_keeps_every_rule() -> None:
    """The cause is the whole story for these schools: one more room and it solves."""
    school = two_bands(rooms=3)
    fixed = dataclasses.replace(school, rooms=(*school.rooms, Room(
        id="R9", name="Room 9", type="classroom", capacity=20)))
    result, _ = solve_checked(fixed)
    assert check(fixed, result.schedule).ok  # type: ignore[arg-type]


@pytest.fixture
def short_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "short.xlsx"
    write_school(path, two_bands(rooms=3))
    return path


def test_explain_prints_the_rows_to_look_at_and_exits_4(short_workbook: Path) -> None:
    ran = CliRunner().invoke(main, ["explain", str(short_workbook), "--time-limit", "30"])
    assert ran.exit_code == Exit.INFEASIBLE, ran.output
    assert "Rooms rows 2–4 (R1, R2, R3): 3 of type classroom" in ran.output
    assert "Change this cell and solve again." in ran.output


def test_solve_prints_the_explanation_when_it_exits_4(short_workbook: Path) -> None:
    ran = CliRunner().invoke(main, ["solve", str(short_workbook), "--time-limit", "10",
                                    "--workers", "1", "--quiet"])
    assert ran.exit_code == Exit.INFEASIBLE, ran.output
    assert "infeasible:   Rooms rows 2–4 (R1, R2, R3)" in ran.output
    assert not short_workbook.with_name("short-schedule.xlsx").exists()


def test_explain_on_a_school_with_a_schedule_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "fine.xlsx"
    write_school(path, two_bands())
    ran = CliRunner().invoke(main, ["explain", str(path)])
    assert ran.exit_code == Exit.OK, ran.output
    assert "nothing to explain" in ran.output


def test_a_period_past_latest_end_stays_a_validation_error(tmp_path: Path) -> None:
    school = two_bands()
    late = PeriodRow(grades=LOW | HIGH, day=None, period=2, start=17 * 60 + 50,
                     end=18 * 60 + 30)
    path = tmp_path / "late.xlsx"
    write_school(path, dataclasses.replace(school, periods=(school.periods[0], late)))
    ran = CliRunner().invoke(main, ["explain", str(path)])
    assert ran.exit_code == Exit.INVALID, ran.output
    assert "18:00" in ran.output


def test_student_needs_the_school_workbook(short_workbook: Path) -> None:
    ran = CliRunner().invoke(main, ["explain", str(short_workbook), "--student", "S201"])
    assert ran.exit_code == Exit.USAGE
    assert "--school" in ran.output


def test_a_cause_in_availability_says_where_to_look() -> None:
    """T4 is away on Monday's first period: no limit a coordinator types is to blame."""
    school = two_bands()
    away = dataclasses.replace(school.staff[-1], unavailable=frozenset({(0, 1)}))
    school = dataclasses.replace(school, staff=(*school.staff[:-1], away))
    assert capacity_problems(school) == []
    explanation = explain_infeasible(school)
    assert explanation.verdict is Verdict.UNQUESTIONED
    assert "unavailable columns of Staff and Rooms" in explanation_lines(explanation, school)[0]


def test_relaxing_raises_only_the_facts_named() -> None:
    school = two_bands(rooms=3)
    facts = [Fact("Staff", ("T4",), "max_periods_day", "2"),
             Fact("Rooms", ("R1", "R2", "R3"), "type", "classroom")]
    loose = relax(school, facts)
    assert [p.max_periods_day for p in loose.staff] == [2, 2, 2, len(PERIODS)]
    assert len(loose.rooms) == 9
    assert loose.info == school.info
    assert greedy_fits(school, facts)
    assert not greedy_fits(school)


@pytest.mark.parametrize("plain", [False, True])
def test_a_set_of_every_fact_shrinks_to_the_one_cause(plain: bool) -> None:
    """CP-SAT may name every assumption; halving and deletion still end at the cause,
    asked with assumptions or with the facts as plain constraints."""
    school = two_bands(rooms=3, staff=6)
    g = guard_model(build_instance(school), 10, 1, deadline=time.monotonic() + 60)
    everything = list(range(len(g.facts)))
    assert len(everything) > 8
    kept, undecided = _shrink(g, _halve(g, everything, plain), plain)
    assert not undecided
    assert [g.facts[m].fact.sheet for m in kept] == ["Rooms"]


def test_the_columns_that_cannot_be_left_out_hold_the_cause() -> None:
    """Deletion over whole columns keeps the room types and drops every other column."""
    school = two_bands(rooms=3, staff=6)
    g = guard_model(build_instance(school), 10, 1, deadline=time.monotonic() + 60)
    kept, needed = _by_column(g)
    assert {(g.facts[m].fact.sheet, g.facts[m].fact.column) for m in kept} == {
        ("Rooms", "type")}
    assert needed == {("Rooms", "type")}
    assert len(kept) == sum(f.fact.sheet == "Rooms" for f in g.facts)


def _five_weekly_limits() -> School:
    """Both Monday periods need four supervisors (8 class hours) and the five staff may
    each give one a week: any three of the five limits held, with the others raised to
    two class hours, leave the week short, so no single limit is needed alone."""
    school = two_bands(stay=2, staff=5)
    return dataclasses.replace(school, staff=tuple(
        dataclasses.replace(p, max_periods_week=1) for p in school.staff))


def test_a_column_not_told_apart_in_time_is_one_fact_that_was_shown_needed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every member's own deletion solve runs out of time (as ten staff members' weekly
    limits did at 120 students); the column, shown needed as a whole, is one cause."""
    school = _five_weekly_limits()
    g = guard_model(build_instance(school), 10, 1, deadline=time.monotonic() + 60)
    core, needed = _by_column(g)
    weekly = [m for m in core if g.facts[m].fact.column == "max_periods_week"]
    assert needed == {("Staff", "max_periods_week")}
    assert weekly == core
    monkeypatch.setattr(infeasible, "_ask", lambda *_, **__: (cp_model.UNKNOWN, []))
    explanation = _shrunk(g, core, plain=True, necessary=needed, halve=False)
    assert explanation.minimal
    [cause] = explanation.causes
    assert cause.together == 5
    assert (cause.fact.column, cause.fact.ids) == ("max_periods_week",
                                                  ("T1", "T2", "T3", "T4", "T5"))
    header, line, *_ = explanation_lines(explanation, school)
    assert "counts as one fact" in header
    assert "may not be the smallest" not in header
    assert "these 5 together" in line
    # What makes the group one fact: with all five raised, the school has a schedule.
    solve_checked(relax(school, [cause.fact]))


def test_a_group_not_shown_needed_stays_members_and_says_so(
        monkeypatch: pytest.MonkeyPatch) -> None:
    school = _five_weekly_limits()
    g = guard_model(build_instance(school), 10, 1, deadline=time.monotonic() + 60)
    core, _ = _by_column(g)
    monkeypatch.setattr(infeasible, "_ask", lambda *_, **__: (cp_model.UNKNOWN, []))
    monkeypatch.setattr(infeasible, "_holds_without", lambda *_: False)
    explanation = _shrunk(g, core, plain=True, necessary=set(), halve=False)
    assert not explanation.minimal
    assert [c.together for c in explanation.causes] == [1] * 5
    assert "may not be the smallest" in explanation_lines(explanation, school)[0]


def test_members_told_apart_are_each_needed() -> None:
    """Decided in time, deletion keeps three of the five limits, and each is needed:
    with it raised (and the other two held) the school has a checked schedule."""
    school = _five_weekly_limits()
    g = guard_model(build_instance(school), 10, 1, deadline=time.monotonic() + 60)
    core, needed = _by_column(g)
    explanation = _shrunk(g, core, plain=True, necessary=needed)
    assert explanation.minimal
    facts = [c.fact for c in explanation.causes]
    assert [c.together for c in explanation.causes] == [1, 1, 1]
    outside = [f.fact for f in g.facts if f.fact not in facts]
    for fact in facts:
        solve_checked(relax(school, [*outside, fact]))
    with pytest.raises(AssertionError, match="no schedule"):
        solve_checked(relax(school, outside), time_limit=5.0)
