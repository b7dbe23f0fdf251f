"""Nothing merged, dropped, shifted or rounded in silence (issue 15): each case the reader
used to pass over without a word is now a warning naming the sheet, row and column, what
was found and what the reader did with it. The school is read all the same."""

from __future__ import annotations

from pathlib import Path

from models.cells import has_fractions_of_a_fen
from models.problems import Problem
from models.reader import inspect_workbook
from tests.models.workbooks import Book, valid_book


def _warnings(book: Book, tmp_path: Path) -> list[Problem]:
    school, problems = inspect_workbook(book.save(tmp_path / "school.xlsx"))
    assert school is not None
    assert [p for p in problems if p.is_error] == []
    return problems


def test_a_blank_choice1_before_choice2_says_the_choices_moved_up(tmp_path: Path) -> None:
    book = valid_book().set("Students", 2, "choice1", "").set("Students", 2, "choice3", "")
    # 101 now has only choice2 FOOT: it counts as the first choice.
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Students", 2, "choice2", "FOOT")]
    assert problems[0].message.startswith("choice1 is blank, so this choice counts as the "
                                          "student's choice 1")


def test_choices_without_choice_gaps_say_nothing(tmp_path: Path) -> None:
    assert _warnings(valid_book().set("Students", 2, "choice2", ""), tmp_path) == []


def test_choices_of_a_student_not_registered_are_said_to_be_ignored(tmp_path: Path) -> None:
    problems = _warnings(valid_book().set("Students", 3, "days", ""), tmp_path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Students", 3, "days", "102")]
    assert "not scheduled and the choices are ignored" in problems[0].message


def test_a_student_not_registered_without_choices_says_nothing(tmp_path: Path) -> None:
    book = valid_book().set("Students", 3, "days", "").set("Students", 3, "choice1", "")
    assert _warnings(book, tmp_path) == []


def test_a_sixth_choice_column_with_values_is_said_to_be_unread(tmp_path: Path) -> None:
    book = valid_book().set("Students", 2, "choice 6", "ROBOT").set("Students", 4, "choice 6",
                                                                    "FOOT")
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Students", 1, "choice 6")]
    assert problems[0].message == ("column 'choice 6' is not read: a student has at most five "
                                   "choices, choice1 to choice5; its values (rows 2, 4) are "
                                   "ignored")


def test_a_misspelt_optional_column_is_said_to_leave_its_default(tmp_path: Path) -> None:
    book = valid_book().rename_column("Activities", "fee_per_session", "fee per sesion")
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Activities", 1,
                                                               "fee per sesion")]
    assert problems[0].message == (
        "column 'fee per sesion' is not a column of this sheet and is not read; did you mean "
        "'fee_per_session'? Without it every row's fee_per_session is the default 0; its "
        "values (rows 5) are ignored")


def test_extra_columns_of_the_schools_own_notes_say_nothing(tmp_path: Path) -> None:
    book = (valid_book().set("Students", 2, "teacher's note", "allergic to nuts")
            .set("Rooms", 2, "floor", 3).set("Students", 3, "choice6", ""))
    assert _warnings(book, tmp_path) == []


def test_money_finer_than_a_fen_is_said_to_be_rounded(tmp_path: Path) -> None:
    book = valid_book().set("Activities", 5, "fee_per_session", 100 / 3)
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Activities", 5,
                                                               "fee_per_session")]
    assert problems[0].message.startswith("the amount has fractions of a fen; read as 33.33 "
                                          "yuan (rounded half up to the fen)")


def test_money_in_yuan_and_fen_says_nothing(tmp_path: Path) -> None:
    book = valid_book().set("Activities", 5, "fee_per_session", 35.55).set_key(
        "budget_per_student_year", "1,000.5")
    assert _warnings(book, tmp_path) == []


def test_a_floats_binary_noise_is_no_fraction_of_a_fen() -> None:
    # Excel stores 17 digits (openpyxl writes fewer, so a saved book cannot show it).
    assert 35.55 * 3 == 106.64999999999999
    assert not has_fractions_of_a_fen(35.55 * 3)
    assert has_fractions_of_a_fen(100 / 3)
    assert has_fractions_of_a_fen("35.555")


def test_a_school_setting_finer_than_a_fen_is_named_by_its_key_row(tmp_path: Path) -> None:
    book = valid_book().set_key("budget_per_student_year", "999.999")
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("School", book.key_row("budget_per_student_year"), "value")]
    assert "read as 1000.00 yuan" in problems[0].message


def _period_2_on_tuesdays_only() -> Book:
    """Grades 1-6 (chess: row 3) have period 2 on Tuesdays only; student 101 stays one."""
    return valid_book().set("Periods", 3, "day", "Tue").set("Students", 2, "stay", 1)


def test_an_allowed_day_without_periods_for_the_grades_is_said_to_be_unused(
        tmp_path: Path) -> None:
    book = _period_2_on_tuesdays_only().set("Activities", 3, "days", "Mon 2; Wed")
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Activities", 3, "days")]
    assert problems[0].message.startswith("days lists Mon 2, but no Periods row gives grades "
                                          "1-6 a period there; those are never used")


def test_allowed_days_none_of_which_has_periods_say_the_activity_cannot_open(
        tmp_path: Path) -> None:
    book = _period_2_on_tuesdays_only().set("Activities", 3, "days", "Mon 2")
    problems = _warnings(book, tmp_path)
    assert [(p.row, p.column) for p in problems] == [(3, "days")]
    assert "so it cannot open at all" in problems[0].message


def test_a_whole_day_where_one_period_runs_says_nothing(tmp_path: Path) -> None:
    book = _period_2_on_tuesdays_only().set("Activities", 3, "days", "Mon")
    assert _warnings(book, tmp_path) == []


def test_a_vendor_given_to_a_volunteer_is_said_to_be_ignored(tmp_path: Path) -> None:
    problems = _warnings(valid_book().set("Staff", 5, "vendor", "ROBO"), tmp_path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Staff", 5, "vendor", "ROBO")]
    assert problems[0].message.startswith("vendor is read for vendor instructors only; "
                                          "ignored, so this volunteer never staffs")


def test_a_skill_written_otherwise_than_the_activitys_is_said(tmp_path: Path) -> None:
    book = valid_book().set("Activities", 3, "skill", "table tennis")
    book.set("Staff", 2, "skills", "Table-Tennis").set("Staff", 4, "skills", "table tennis")
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Staff", 2, "skills", "table-tennis")]
    assert problems[0].message == ("skill 'table-tennis' is written otherwise than the "
                                   "activities' skill 'table tennis', so this person never "
                                   "staffs them. Expected 'table tennis'")


def test_a_room_type_written_otherwise_than_the_activitys_is_said(tmp_path: Path) -> None:
    book = valid_book().set("Activities", 4, "room_type", "music room")
    book.set("Rooms", 4, "type", "Music_Room").set("Rooms", 3, "type", "music room")
    problems = _warnings(book, tmp_path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Rooms", 4, "type", "music_room")]


def test_skills_and_room_types_differing_in_case_only_say_nothing(tmp_path: Path) -> None:
    book = valid_book().set("Activities", 3, "skill", "Chess").set("Rooms", 4, "type", "GYM")
    assert _warnings(book, tmp_path) == []
