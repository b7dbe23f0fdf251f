"""Why this child got this: one test per reason on hand-made schedules of the tiny school,
the explanation against the checker's facts on a solved school, and the command.

``S5`` (grade 3, Mon and Wed, chess first, football second) is the child explained;
the schedules are built by hand so each test fixes exactly the situation it names.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from models.check import check, kpi_values
from models.sample import generate_school
from models.schedule import Schedule, Section
from models.school import School
from models.template import write_school
from models.time import ALL_SLOTS
from optimizer.cli import Exit
from optimizer.commands.explain import explain_student_command
from optimizer.explain.student import (
    UnknownStudent,
    explain_student,
    explanation_lines,
)
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.reasons import ReasonFinder
from optimizer.search.solve import Params, Result, solve
from tests.factories import tiny_school
from tests.optimizer.outputs.report.test_reasons import change, section

EN, ZH = Labels("en"), Labels("zh")


def chess_of_two() -> School:
    return change(tiny_school(), "activities", "CHESS", max_size=2)


def football_for_s5() -> Section:
    return section("FOOT-1", "FOOT", ("S5", "S2"), room="GYM")


def test_a_full_first_choice_says_how_its_places_went_without_naming_anyone() -> None:
    school = change(chess_of_two(), "students", "S1", priority=1)
    chess = section("CHESS-1", "CHESS", ("S1", "S3"))
    found = explain_student(school, Schedule(sections=(chess, football_for_s5())), "S5", seed=3)
    assert found.best_rank == 2
    assert found.codes == {1: "full"}
    seats = found.reasons[0].params
    assert (seats["places"], seats["applicants"]) == (2, 6)
    assert seats["by_priority"] == 1  # S1's priority is higher
    assert seats["by_rank"] + seats["by_lottery"] + seats["by_other"] == 1  # S3, same claim
    text = "\n".join(explanation_lines(EN, found))
    assert "6 applicants for 2 places" in text
    assert "1 had higher priority" in text
    for other in ("Student 1", "S1", "Student 3", "S3"):
        assert other not in text


def test_a_first_choice_that_meets_on_other_days_says_so() -> None:
    chess = section("CHESS-1", "CHESS", ("S1",), day=1)  # Tuesday; S5 comes Mon and Wed
    found = explain_student(tiny_school(), Schedule(sections=(chess, football_for_s5())), "S5")
    assert found.codes == {1: "days"}
    assert "meets Tue; registered Mon, Wed" in explanation_lines(EN, found)[1]


@pytest.mark.parametrize(("why", "changed"), [
    ("applicants", lambda s: change(s, "activities", "CHESS", min_size=7, max_size=8)),
    ("staff", lambda s: change(s, "staff", "T1", skills=frozenset())),
    ("staff_busy", lambda s: change(s, "staff", "T1", unavailable=ALL_SLOTS)),
    ("room_busy", lambda s: change(change(s, "rooms", "R1", unavailable=ALL_SLOTS),
                                   "rooms", "R2", unavailable=ALL_SLOTS)),
], ids=["minimum size", "no skill", "skilled staff not free", "rooms not free"])
def test_a_first_choice_that_never_opened_says_why(why: str, changed) -> None:  # type: ignore[no-untyped-def]
    school = changed(tiny_school())
    found = explain_student(school, Schedule(sections=(football_for_s5(),)), "S5")
    assert found.codes == {1: "not_open"}
    assert found.reasons[0].params["why"] == why
    assert EN(f"why.{why}") in explanation_lines(EN, found)[1]


def test_a_child_with_their_first_choice_has_nothing_above_it() -> None:
    chess = section("CHESS-1", "CHESS", ("S5",))
    found = explain_student(tiny_school(), Schedule(sections=(chess,)), "S5")
    assert (found.best_rank, found.reasons) == (1, ())
    assert explanation_lines(ZH, found)[-1] == ZH("explain.nothing_above")


def test_a_child_with_none_of_their_choices_hears_about_every_choice() -> None:
    chess = section("CHESS-1", "CHESS", ("S1", "S3"))
    found = explain_student(chess_of_two(), Schedule(sections=(chess,)), "S5", seed=1)
    assert found.best_rank is None
    assert found.codes == {1: "full", 2: "not_open"}


def test_an_unknown_student_is_refused() -> None:
    with pytest.raises(UnknownStudent):
        explain_student(tiny_school(), Schedule(), "S99")


@pytest.fixture(scope="module")
def solved_result() -> tuple[School, Result]:
    """A generated school with half the places, so some choices are full, some meet on
    other days and some never open."""
    school = generate_school(num_students=120, seed=4)
    school = dataclasses.replace(school, activities=tuple(
        dataclasses.replace(a, max_size=max(a.min_size, a.max_size // 2))
        if a.max_size and not a.is_study else a for a in school.activities))
    # Deterministic: the same schedule, with every kind of reason in it, on a busy machine
    # too; the explanations are checked against whatever schedule comes out.
    result = solve(school, Params(time_limit=2.0, workers=1, seed=7, deterministic=True))
    assert result.schedule is not None
    assert check(school, result.schedule).ok
    return school, result


@pytest.fixture
def solved(solved_result: tuple[School, Result]) -> tuple[School, Schedule, int]:
    school, result = solved_result
    assert result.schedule is not None
    return school, result.schedule, result.seed


def test_explanations_agree_with_the_checkers_facts(solved: tuple[School, Schedule, int]
                                                    ) -> None:
    """The checker's first-choice share and children with none are the explanations'
    own count; a "full" activity has every section at its room's or its own limit; a
    choice "not on their days" has no section on the child's days."""
    school, schedule, seed = solved
    kpis = kpi_values(school, schedule)
    found = [explain_student(school, schedule, s.id, seed) for s in school.registered_students
             if s.wants >= 1 and school.eligible_choices(s)]
    assert sum(e.best_rank == 1 for e in found) == round(kpis["first_choice_share"]
                                                         * kpis["choosers"])
    assert sum(e.best_rank is None for e in found) == kpis["choosers_with_none"]
    assert {r.code for e in found for r in e.reasons} >= {"full", "days", "not_open"}
    sections_of: dict[str, list[Section]] = {}
    for s in schedule.sections:
        sections_of.setdefault(s.activity_id, []).append(s)
    for e in found:
        student = school.student_by_id[e.student_id]
        for reason in e.reasons:
            activity = next(a for a in school.activities if a.name == reason.activity_name)
            sections = sections_of.get(activity.id, [])
            if reason.code == "full":
                assert all(s.size >= min(
                    [school.room_by_id[m.room_id].capacity for m in s.meetings]
                    + [activity.max_size or 10**6]) for s in sections
                    if all(m.day in student.days and max(m.periods) <= student.stay
                           for m in s.meetings))
            elif reason.code == "days":
                assert not any(all(m.day in student.days for m in s.meetings) for s in sections)
            elif reason.code == "not_open":
                assert not sections


def test_the_students_sheet_column_is_the_explanation_in_few_words(
        solved: tuple[School, Schedule, int]) -> None:
    school, schedule, seed = solved
    finder = ReasonFinder(school, schedule, seed)
    for student in school.registered_students:
        best, reasons = finder.above_best(student)
        assert [r.rank for r in reasons] == sorted(
            explain_student(school, schedule, student.id, seed).codes)
        assert all(r.rank is not None and (best is None or r.rank < best) for r in reasons)


def test_the_command_explains_a_child_and_refuses_an_unknown_id(
        solved_result: tuple[School, Result], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    school, result = solved_result
    schedule, seed = result.schedule, result.seed
    assert schedule is not None

    school_path, schedule_path = tmp_path / "school.xlsx", tmp_path / "schedule.xlsx"
    write_school(school_path, school)
    write_schedule(schedule_path, school, result)
    unmet = next(e for s in school.registered_students
                 if (e := explain_student(school, schedule, s.id, seed)).reasons)
    code = explain_student_command(schedule_path, school_path, unmet.student_id, "en")
    out, err = capsys.readouterr()
    assert code == Exit.OK
    assert out.splitlines()[0].startswith(f"Student {unmet.student_id} ")
    assert len(out.splitlines()) >= 1 + len(unmet.reasons)
    assert "nothing was written" in err
    assert school.student_by_id[unmet.student_id].name not in out
    sheet = openpyxl.load_workbook(schedule_path)[EN.sheet("students")]
    header = [c.value for c in sheet[1]]
    column = header.index(EN("why_not_higher"))
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
               if r[0] == unmet.student_id)
    first = unmet.reasons[0]
    assert str(row[column]).startswith(f"{EN.ordinal(first.rank or 0)}: "
                                       f"{EN(f'short.{first.code}')}")
    code = explain_student_command(schedule_path, school_path, "NOBODY", "en")
    assert code == Exit.USAGE
    assert "'NOBODY' is not in school.xlsx" in capsys.readouterr().err
