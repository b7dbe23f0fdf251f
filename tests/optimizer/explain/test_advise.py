"""Advice on the tiny school, where the limit holding a child back is known by
construction: each suggestion, applied as a scenario and solved again, gives the effect
advice reported; a school where everyone has their first choice gets no advice.

In ``tiny_school()`` three children (S1, S3, S5) put chess first and three football; with
chess limited to two places one of the three cannot have it.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.check import check
from models.school import School, Staff
from models.template import write_school
from optimizer.cli import Exit, main
from optimizer.district.scenarios import apply_scenario, read_scenarios
from optimizer.explain.advice_report import advice_lines, write_advice
from optimizer.explain.advise import Advice, advise, lift, lifted_limits, measure
from optimizer.outputs.report.labels import Labels
from optimizer.search.result import Params
from optimizer.search.solve import solve
from tests.factories import TERM_END, tiny_school, vendor
from tests.optimizer.outputs.report.test_reasons import change

PARAMS = Params(time_limit=5, workers=1, seed=3, deterministic=True)
EN = Labels("en")


def chess_of_two(**changes: object) -> School:
    return change(tiny_school(), "activities", "CHESS", max_size=2, **changes)


@pytest.fixture(scope="module")
def seats_advice() -> Advice:
    return advise(chess_of_two(), PARAMS, candidates=2)


def test_full_seats_are_named_as_the_limit_and_one_more_section_is_suggested(
        seats_advice: Advice) -> None:
    assert seats_advice.baseline.with_none == 0
    assert seats_advice.below_first == 1
    assert [(x.kind, x.activity_id, x.children) for x in seats_advice.limits] == [
        ("seats", "CHESS", 1)]
    [suggestion] = seats_advice.suggestions
    assert suggestion.lifts == ("seats",)
    assert suggestion.scenario.change_activity[0].max_sections == 2
    assert suggestion.first_choices_gained == 1
    assert "+1 first choices" in advice_lines(EN, seats_advice)[-1]


def test_a_suggestion_applied_as_a_scenario_gives_the_reported_effect(
        seats_advice: Advice, tmp_path: Path) -> None:
    """The written scenarios workbook, read back and solved as a sweep would, measures
    what advice said; the schedule passes the checker."""
    path = tmp_path / "advice.xlsx"
    write_advice(path, EN, seats_advice)
    baseline, scenario = read_scenarios(path)
    assert baseline.is_baseline
    changed = apply_scenario(chess_of_two(), scenario)
    result = solve(changed, PARAMS)
    assert result.schedule is not None
    assert check(changed, result.schedule).ok
    [suggestion] = seats_advice.suggestions
    assert measure(changed, result) == suggestion.measured
    assert suggestion.measured.first_choices == seats_advice.baseline.first_choices + 1  # type: ignore[operator]


def test_skilled_staff_out_of_hours_is_the_limit_and_a_volunteer_lifts_it() -> None:
    """Chess may open two sections, but its only teacher has one class hour a week."""
    school = change(chess_of_two(max_sections=2), "staff", "T1", max_periods_week=1)
    advice = advise(school, PARAMS, candidates=1)
    assert [(x.kind, x.activity_id) for x in advice.limits] == [("staff", "CHESS")]
    [suggestion] = advice.suggestions
    assert suggestion.lifts == ("staff",)
    [person] = suggestion.scenario.add_staff
    assert (person.role, person.skills, person.max_periods_week) == (
        "volunteer", frozenset({"chess"}), 1)
    assert suggestion.first_choices_gained == 1


def test_a_vendors_weekly_sessions_are_the_limit_and_raising_them_lifts_it() -> None:
    """Chess is the vendor's, two places a section and two sections allowed, but the
    vendor holds one session a week: the third child who puts chess first waits."""
    school = tiny_school()
    instructor = Staff(id="VI1", name="Chess Instructor", role="vendor_instructor",
                       skills=frozenset({"chess"}), vendor="V-ROBO", vetted=True,
                       vetted_until=TERM_END)
    school = dataclasses.replace(school, vendors=(vendor(max_sessions_week=1),),
                                 staff=(*school.staff, instructor))
    school = change(school, "activities", "CHESS", provider="V-ROBO", max_size=2,
                    max_sections=2)
    advice = advise(school, PARAMS, candidates=1)
    assert [(x.kind, x.activity_id) for x in advice.limits] == [("vendor_sessions", "CHESS")]
    [suggestion] = advice.suggestions
    assert suggestion.scenario.change_vendor[0].max_sessions_week == 2
    assert suggestion.first_choices_gained == 1


def test_a_budget_short_of_one_more_section_is_the_limit_and_the_money_lifts_it() -> None:
    """A term budget of 500 yuan, chess 20 yuan a meeting for 18 weeks: one section (360
    yuan) fits, a second would not; the third child who puts chess first waits."""
    school = chess_of_two(max_sections=2, fee_per_session=20_00)
    school = dataclasses.replace(school, info=dataclasses.replace(
        school.info, budget_per_student_year=10_00))
    assert school.info.term_budget == 500_00
    advice = advise(school, PARAMS, candidates=1)
    assert [(x.kind, x.activity_id) for x in advice.limits] == [("budget", "CHESS")]
    [suggestion] = advice.suggestions
    assert suggestion.lifts == ("budget",)
    assert suggestion.first_choices_gained == 1
    assert suggestion.cost_change_fen == 360_00


def test_a_per_head_fee_above_the_cap_is_the_limit_and_raising_the_cap_lifts_it() -> None:
    """Chess costs 30 yuan a child; the cap is 20: chess never opens."""
    school = change(tiny_school(), "activities", "CHESS", fee_per_student=30_00)
    school = dataclasses.replace(school, info=dataclasses.replace(
        school.info, per_student_cap=20_00))
    advice = advise(school, PARAMS, candidates=1)
    assert [(x.kind, x.activity_id, x.children) for x in advice.limits] == [
        ("fee_cap", "CHESS", 3)]
    [suggestion] = advice.suggestions
    assert suggestion.scenario.per_student_cap == 50_00
    assert suggestion.first_choices_gained == 3


@pytest.mark.parametrize(("kind", "grows"), [
    ("budget", lambda before, after: after.info.term_budget - before.info.term_budget
     >= before.info.weeks * 25_00),
    ("fee_cap", lambda before, after: after.info.student_fee_cap
     == before.info.student_fee_cap + 30_00),
    ("rooms", lambda before, after: [r.type for r in after.rooms[len(before.rooms):]]
     == ["classroom"]),
])
def test_money_and_room_changes_parse_apply_and_lift_their_limit(kind: str, grows) -> None:  # type: ignore[no-untyped-def]
    """A chess section costs 25 yuan a meeting, a chess child 30 yuan a term."""
    school = change(chess_of_two(fee_per_session=25_00, fee_per_student=30_00), "staff",
                    "T1", pay_per_period=0)
    scenario = lift(school, school.activity_by_id["CHESS"], 1, {kind})
    assert lifted_limits(scenario) == (kind,)
    assert grows(school, apply_scenario(school, scenario))


def test_advice_when_every_child_has_their_first_choice_says_so() -> None:
    advice = advise(tiny_school(), PARAMS)
    assert advice.everyone_first
    assert advice.suggestions == ()
    assert advice_lines(EN, advice)[-1] == EN("advise.everyone_first")


def test_the_same_seed_gives_the_same_advice(seats_advice: Advice) -> None:
    again = advise(chess_of_two(), PARAMS, candidates=2)
    assert [(s.scenario, s.measured.first_choices, s.measured.cost_fen)
            for s in again.suggestions] == [
        (s.scenario, s.measured.first_choices, s.measured.cost_fen)
        for s in seats_advice.suggestions]


# --- the commands ----------------------------------------------------------------------------

def test_the_advise_command_prints_the_advice_and_writes_a_sweepable_workbook(
        tmp_path: Path) -> None:
    school_path, output = tmp_path / "tiny.xlsx", tmp_path / "advice.xlsx"
    write_school(school_path, chess_of_two())
    ran = CliRunner().invoke(main, ["advise", str(school_path), "--seed", "3", "--time-limit",
                                    "5", "--candidates", "1", "-o", str(output)])
    assert ran.exit_code == Exit.OK, ran.output
    assert "Chess: seats" in ran.stdout
    assert "1. CHESS: +1 section: +0 children with a choice, +1 first choices" in ran.stdout
    assert "1 of 1 change(s) tried measurably helped; wrote" in ran.stderr
    assert "`schedule sweep --scenarios` solves again." in ran.stderr
    assert [s.name for s in read_scenarios(output)] == ["baseline", "CHESS: +1 section"]
    assert openpyxl.load_workbook(output).sheetnames == ["Scenarios", "Help", "Advice"]



def test_the_advise_command_speaks_chinese_with_lang_zh(tmp_path: Path) -> None:
    """Every sentence but the change's own name (a scenario name, what `sweep` reads)."""
    from tests.untranslated import untranslated

    school_path, output = tmp_path / "tiny.xlsx", tmp_path / "advice.xlsx"
    write_school(school_path, chess_of_two())
    ran = CliRunner().invoke(main, ["advise", str(school_path), "--seed", "3", "--time-limit",
                                    "5", "--candidates", "1", "-o", str(output),
                                    "--lang", "zh"])
    assert ran.exit_code == Exit.OK, ran.output
    assert "建议完成" in ran.stderr
    said = ran.output.replace(str(tmp_path), "").replace("CHESS: +1 section", "")
    assert untranslated(said, also=("tiny", "advice", "Tiny", "Primary", "CHESS",
                                    "Chess")) == []

def test_the_advise_command_on_a_school_without_anything_to_advise(tmp_path: Path) -> None:
    school_path, output = tmp_path / "tiny.xlsx", tmp_path / "advice.xlsx"
    write_school(school_path, tiny_school())
    ran = CliRunner().invoke(main, ["advise", str(school_path), "--time-limit", "5",
                                    "-o", str(output)])
    assert ran.exit_code == Exit.OK, ran.output
    assert EN("advise.everyone_first") in ran.stdout
    assert "nothing was written" in ran.stderr
    assert not output.exists()


def test_solve_with_advise_adds_an_advice_sheet(tmp_path: Path) -> None:
    school_path, output = tmp_path / "tiny.xlsx", tmp_path / "out.xlsx"
    write_school(school_path, chess_of_two())
    ran = CliRunner().invoke(main, ["solve", str(school_path), "-o", str(output), "--seed",
                                    "3", "--time-limit", "5", "--deterministic", "--quiet",
                                    "--advise"])
    assert ran.exit_code == Exit.OK, ran.output
    book = openpyxl.load_workbook(output)
    names = book.sheetnames
    assert names[names.index(EN.sheet("warnings")) + 1] == EN.sheet("advice")
    assert names[-3:] == ["Sections", "Assignments", "Print data"]
    sheet = book[EN.sheet("advice")]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] == 1]
    assert rows[0][1:4] == ("CHESS: +1 section", "Chess", 0)
    assert rows[0][4] == 1  # one more first choice


def test_a_stop_leaves_the_changes_untried_and_says_so() -> None:
    """Ctrl-C: a change not solved, or solved only in part, is not reported as measured."""
    pressed = threading.Event()
    pressed.set()
    advice = advise(chess_of_two(), PARAMS, stop=pressed)
    assert advice.suggestions == ()
    assert advice.notes == ("not tried (stopped): CHESS: +1 section",)
