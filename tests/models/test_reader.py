"""Reading the school workbook: what Excel really hands us, and files that are not workbooks.

The table of single problems is in ``test_validation_table.py``; here are the
reader's promises about ids, cell types, names, row numbers, reporting every
problem at once, and one clear sentence (exit code 2) for a file that is not an
.xlsx workbook at all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.problems import Problem, WorkbookError
from models.reader import inspect_workbook, read_school
from models.school import School
from optimizer.cli import Exit, main
from tests.models.workbooks import Book, rewrite_part, sheet_part, valid_book


def _inspect(book: Book, tmp_path: Path, name: str = "school.xlsx"
             ) -> tuple[School | None, list[Problem]]:
    return inspect_workbook(book.save(tmp_path / name))


def test_the_valid_workbook_is_clean(tmp_path: Path) -> None:
    school, problems = _inspect(valid_book(), tmp_path)
    assert problems == []
    assert school is not None
    assert school.info.name == "Lianhua Primary"
    assert [s.id for s in school.students] == ["101", "102", "103"]
    assert school.warnings == ()


def test_read_school_raises_with_every_problem(tmp_path: Path) -> None:
    book = valid_book().set("Rooms", 2, "capacity", "forty").set("Students", 2, "grade", 10)
    with pytest.raises(WorkbookError) as caught:
        read_school(book.save(tmp_path / "bad.xlsx"))
    assert len([p for p in caught.value.problems if p.is_error]) == 2
    assert "(and 1 more)" in str(caught.value)


def test_read_school_keeps_warnings_on_the_school(tmp_path: Path) -> None:
    book = valid_book().set("Staff", 5, "vetted", "no")
    school = read_school(book.save(tmp_path / "warn.xlsx"))
    assert [(w.sheet, w.row, w.column) for w in school.warnings] == [("Staff", 5, "vetted")]


# --- every problem at once -------------------------------------------------------

def test_five_different_errors_are_all_reported(tmp_path: Path) -> None:
    book = (
        valid_book()
        .set_key("enrolled", "many")  # wrong type on the School sheet
        .set("Periods", 5, "end", "18:30")  # after latest_end
        .set("Activities", 4, "category", "tutoring")  # forbidden category
        .set("Rooms", 3, "capacity", -1)  # out of range
        .set("Students", 4, "choice1", "NOPE")  # unknown reference
    )
    school, problems = _inspect(book, tmp_path)
    assert school is None  # enrolled is unreadable: there is no school to solve
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("School", 6, "value"),
        ("Periods", 5, "end"),
        ("Activities", 4, "category"),
        ("Rooms", 3, "capacity"),
        ("Students", 4, "choice1"),
    ]
    assert all(p.is_error for p in problems)


def test_an_unreadable_term_end_is_not_judged_against(tmp_path: Path) -> None:
    book = valid_book().set_key("term_end", "soon").set("Staff", 5, "vetted_until", "2020-01-01")
    school, problems = _inspect(book, tmp_path)
    assert school is None
    # The background check cannot be judged without term_end: only the date is reported.
    assert [(p.sheet, p.row, p.column) for p in problems] == [("School", 5, "value")]


def test_five_errors_in_a_readable_school_are_all_reported(tmp_path: Path) -> None:
    book = (
        valid_book()
        .set("Periods", 5, "end", "18:30")
        .set("Activities", 4, "category", "tutoring")
        .set("Rooms", 3, "capacity", -1)
        .set("Students", 4, "choice1", "NOPE")
    )
    book.append("Staff", id="T2", name="Wang Wei again", role="teacher")
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems if p.is_error] == [
        ("Periods", 5, "end"),
        ("Activities", 4, "category"),
        ("Rooms", 3, "capacity"),
        ("Staff", 7, "id"),
        ("Students", 4, "choice1"),
    ]


def test_a_missing_sheet_does_not_hide_other_problems(tmp_path: Path) -> None:
    book = valid_book().drop_sheet("Vendors").set("Students", 2, "choice1", "NOPE")
    school, problems = _inspect(book, tmp_path)
    assert school is not None
    # The vendor ROBO may well exist in the missing sheet: not reported as unknown.
    assert [(p.sheet, p.row, p.column) for p in problems if p.is_error] == [
        ("Vendors", None, None),
        ("Students", 2, "choice1"),
    ]


def test_a_missing_column_does_not_make_every_reference_unknown(tmp_path: Path) -> None:
    book = valid_book().drop_column("Activities", "grades")
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Activities", 1, "grades")]


def test_an_unreadable_period_is_not_reported_again_as_missing(tmp_path: Path) -> None:
    book = valid_book().set("Periods", 2, "start", "soon")
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Periods", 2, "start")]


def test_a_broken_activity_is_not_reported_again_as_an_unknown_choice(tmp_path: Path) -> None:
    book = valid_book().set("Activities", 3, "grades", "all of them")
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Activities", 3, "grades")]


def test_an_activity_refused_whole_does_not_hide_a_nameless_student(tmp_path: Path) -> None:
    # The reader once kept the refused activity's message in the name it used for the
    # cells already reported, and a nameless student after it then crashed the read.
    book = (valid_book().set("Activities", 3, "min_size", 20)
            .set("Students", 2, "name", None))
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column, p.is_error) for p in problems] == [
        ("Activities", 3, "max_size", True), ("Students", 2, "name", False)]


# --- ids -------------------------------------------------------------------------

def test_a_number_id_and_the_same_text_id_are_one_id(tmp_path: Path) -> None:
    book = valid_book()
    book.append("Activities", id=501, name="Drawing", category="arts", grades="1-6")
    book.set("Students", 2, "choice2", "501")  # the choice is text, the id a number
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert school.student_by_id["101"].choices == ("CHESS", "501")


def test_a_duplicate_between_number_and_text_is_detected(tmp_path: Path) -> None:
    row = valid_book().append("Students", id="101", name="Other", grade=3,
                              **{"class": "3-1"})
    book = valid_book()
    book.append("Students", id="101", name="Other", grade=3, **{"class": "3-1"})
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Students", row, "id", "101")
    ]
    assert "already used on row 2" in problems[0].message


def test_leading_zeros_are_kept(tmp_path: Path) -> None:
    book = valid_book().set("Students", 2, "id", "007")
    book.set("Activities", 3, "id", "007").set("Students", 2, "choice1", "007")
    book.set("Students", 3, "choice1", 7)  # a number 7 is not the id "007"
    school, problems = _inspect(book, tmp_path)
    assert school is not None
    assert "007" in school.student_by_id
    assert school.student_by_id["007"].choices[0] == "007"
    assert [(p.row, p.column, p.value) for p in problems if p.is_error] == [(3, "choice1", "7")]


def test_float_ids_from_excel_read_as_whole_numbers(tmp_path: Path) -> None:
    book = valid_book().set("Students", 2, "id", 101.0)
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert "101" in school.student_by_id


def test_a_class_that_excel_turned_into_a_date_reads_back(tmp_path: Path) -> None:
    book = valid_book().set("Students", 2, "class", dt.datetime(2026, 3, 1))
    book.set("Activities", 3, "grades", dt.datetime(2026, 1, 6))  # typed "1-6"
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert school.student_by_id["101"].class_name == "3-1"
    assert school.activity_by_id["CHESS"].grades == frozenset(range(1, 7))


# --- cell types ----------------------------------------------------------------------

def test_excel_time_and_date_cells_are_accepted(tmp_path: Path) -> None:
    book = (
        valid_book()
        .set("Periods", 2, "start", dt.time(15, 30))
        .set("Periods", 2, "end", dt.datetime(1899, 12, 30, 16, 10))
        .set_key("term_start", dt.date(2026, 9, 1))
        .set_key("term_end", dt.datetime(2027, 1, 20))
        .set_key("latest_end", dt.time(18, 0))
        .set("Staff", 5, "vetted_until", dt.date(2027, 6, 30))
        .set("Vendors", 2, "contract_until", dt.datetime(2027, 7, 1))
    )
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert school.period_time(3, 0, 1) == (15 * 60 + 30, 16 * 60 + 10)
    assert school.info.term_start == dt.date(2026, 9, 1)
    assert school.info.term_end == dt.date(2027, 1, 20)
    assert school.info.latest_end == 18 * 60
    assert school.staff_by_id["V1"].vetted_until == dt.date(2027, 6, 30)


def test_a_date_typed_into_a_time_column_is_an_error(tmp_path: Path) -> None:
    book = valid_book().set("Periods", 2, "start", dt.datetime(2026, 9, 1))
    _, problems = _inspect(book, tmp_path)
    assert [(p.row, p.column) for p in problems] == [(2, "start")]
    assert "not a date" in problems[0].message


def test_other_ways_of_writing_values_are_accepted(tmp_path: Path) -> None:
    book = (
        valid_book()
        .set("Periods", 2, "start", "3:30 pm")
        .set("Periods", 2, "end", "16点10")
        .set("Staff", 5, "vetted", "Y")
        .set("Staff", 5, "vetted_until", "2027/6/30")
        .set("Vendors", 2, "qualified", True)
        .set("Activities", 5, "fee_per_session", "¥300.50")
        .set("Students", 2, "days", "周一、周三")
        .set("Rooms", 3, "unavailable", "Fri, Mon 2")
        .set("Staff", 2, "skills", "Chess、Go")
        .set("Activities", 2, "grades", "all")
    )
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert school.period_time(3, 0, 1) == (15 * 60 + 30, 16 * 60 + 10)
    assert school.activity_by_id["ROBOT"].fee_per_session == 30050
    assert school.student_by_id["101"].days == frozenset({0, 2})
    assert school.room_by_id["R2"].unavailable == frozenset({(4, 1), (4, 2), (0, 2)})
    assert school.staff_by_id["T1"].skills == frozenset({"chess", "go"})
    assert school.activity_by_id["STUDY"].grades == frozenset(range(1, 10))


def test_formulas_are_read_as_their_cached_values(tmp_path: Path) -> None:
    book = valid_book()
    path = book.save(tmp_path / "formulas.xlsx")

    def with_formulas(xml: str) -> str:
        # Rooms row 2: capacity =20*2 (cached 40), name ="Room "&"1" (cached text).
        xml, n = re.subn(r'<c r="D2"[^>]*>.*?</c>', '<c r="D2"><f>20*2</f><v>40</v></c>', xml)
        assert n == 1
        xml, n = re.subn(r'<c r="B2"[^>]*>.*?</c>',
                         '<c r="B2" t="str"><f>"Room "&amp;"One"</f><v>Room One</v></c>', xml)
        assert n == 1
        return xml

    rewrite_part(path, sheet_part(book, "Rooms"), with_formulas)
    school, problems = inspect_workbook(path)
    assert problems == []
    assert school is not None
    assert school.room_by_id["R1"].capacity == 40
    assert school.room_by_id["R1"].name == "Room One"


def test_cells_and_rows_without_positions_are_placed_by_counting(tmp_path: Path) -> None:
    """Some writers leave out a cell's ``r`` (and a row's): Excel places it after the
    one before. The reader's fast path drops empty formatted cells and rows, which
    must not move the cells and rows that are counted from them."""
    book = valid_book()
    path = book.save(tmp_path / "counted.xlsx")

    def without_positions(xml: str) -> str:
        row2 = (
            '<row r="2"><c r="A2" t="inlineStr"><is><t>R1</t></is></c>'
            '<c r="B2" t="inlineStr"><is><t>Room 1</t></is></c>'
            '<c r="C2" t="inlineStr"><is><t>classroom</t></is></c><c r="D2"><v>40</v></c>'
            '<c r="E2" s="0"/><c><v>5</v></c></row>'  # the last cell is F2, fee_per_use
        )
        xml, n = re.subn(r'<row r="2">.*?</row>', row2, xml)
        assert n == 1
        more = (
            '<row r="5" s="0" customFormat="1"><c r="A5" s="0"/></row>'
            '<row><c t="inlineStr"><is><t>R9</t></is></c>'  # counted: row 6
            '<c t="inlineStr"><is><t>Room 9</t></is></c>'
            '<c t="inlineStr"><is><t>classroom</t></is></c>'
            '<c t="inlineStr"><is><t>lots</t></is></c></row>'
        )
        return xml.replace("</sheetData>", more + "</sheetData>")

    rewrite_part(path, sheet_part(book, "Rooms"), without_positions)
    school, problems = inspect_workbook(path)
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Rooms", 6, "capacity", "lots")
    ]
    assert school is not None
    assert school.room_by_id["R1"].fee_per_use == 500
    assert school.room_by_id["R1"].unavailable == frozenset()


def test_trailing_spaces_are_trimmed(tmp_path: Path) -> None:
    book = (
        valid_book()
        .set("Activities", 3, "id", " CHESS  ")
        .set("Activities", 3, "category", "club ")
        .set("Students", 2, "choice1", "CHESS ")
        .set("Students", 2, "days", " Mon ; Wed ")
        .set("Staff", 5, "vetted", " yes\u3000")  # an ideographic space, as IMEs type
        .set_key("type", "public ")
    )
    book.sheets["Students"][0][1] = " name "
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert "CHESS" in school.activity_by_id
    assert school.student_by_id["101"].choices == ("CHESS", "FOOT")


def test_blank_rows_are_skipped_and_row_numbers_stay_excels(tmp_path: Path) -> None:
    book = valid_book().blank_rows("Students", before=3, count=4)
    book.blank_rows("Students", before=2, count=1)  # between the header and the data
    book.set("Students", 8, "choice1", "NOPE")  # student 102, moved from row 3 to row 8
    book.set("Students", 6, "name", "   ")  # a row of spaces is blank too
    school, problems = _inspect(book, tmp_path)
    assert school is not None
    assert [s.id for s in school.students] == ["101", "102", "103"]
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Students", 8, "choice1")]


def test_blank_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    book = valid_book().set("Rooms", 3, "capacity", "lots")  # R2
    book.blank_rows("Rooms", before=1, count=2)  # the header moves to row 3, R2 to row 5
    book.sheets["Rooms"][0][0] = "   "  # spaces only, still blank
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Rooms", 5, "capacity")]


def test_a_merged_cell_applies_to_every_row_it_covers(tmp_path: Path) -> None:
    # One grades cell merged beside both periods of each band, as schools lay it out.
    path = valid_book().save(tmp_path / "merged.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Periods"].merge_cells("A2:A3")
    workbook["Periods"].merge_cells("A4:A5")
    workbook["Periods"]["F7"] = "a note merged across columns that are no data of ours"
    workbook["Periods"].merge_cells("F7:H7")
    workbook.save(path)
    school, problems = inspect_workbook(path)
    assert problems == []
    assert school is not None
    assert school.period_time(3, 0, 2) == (16 * 60 + 20, 17 * 60)
    assert school.period_time(8, 4, 2) == (17 * 60 + 15, 18 * 60)


def test_a_row_with_only_notes_is_not_a_student(tmp_path: Path) -> None:
    book = valid_book()
    book.append("Students", notes="Grade 9 list to follow")
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert len(school.students) == 3


@pytest.mark.parametrize("header", ["Max Size", "MAX_SIZE", "max size ", "maxSize"])
def test_headers_match_ignoring_case_spaces_and_underscores(header: str, tmp_path: Path
                                                            ) -> None:
    book = valid_book().rename_column("Activities", "max_size", header)
    book.rename_column("Students", "choice1", "Choice 1")
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert school.activity_by_id["CHESS"].max_size == 12
    assert school.student_by_id["101"].choices[0] == "CHESS"


@pytest.mark.parametrize("name", ["activities ", "ACTIVITIES", "Activi ties", "_Activities"])
def test_sheet_names_match_ignoring_case_spaces_and_underscores(name: str, tmp_path: Path
                                                                ) -> None:
    book = valid_book().rename_sheet("Activities", name)
    book.rename_sheet("School", "school")
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert len(school.activities) == 4


def test_school_keys_match_like_headers(tmp_path: Path) -> None:
    book = valid_book()
    book.sheets["School"][4][0] = "Term End"
    book.sheets["School"][1][0] = "NAME"
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None
    assert school.info.term_end == dt.date(2027, 1, 20)


def test_school_sheet_without_a_header_row(tmp_path: Path) -> None:
    book = valid_book().drop_row("School", 1)
    school, problems = _inspect(book, tmp_path)
    assert problems == []
    assert school is not None


def test_school_sheet_with_key_and_value_further_right(tmp_path: Path) -> None:
    book = valid_book()
    header: list[object] = ["", "Setting", "key", "value"]
    book.sheets["School"] = [header] + [
        ["", "", key, value] for key, value in valid_book().sheets["School"][1:]
    ]
    book.sheets["School"][5][3] = "many"  # enrolled, on row 6
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("School", 6, "value")]


def test_a_title_row_above_the_header_is_skipped(tmp_path: Path) -> None:
    book = valid_book().set("Rooms", 2, "capacity", "lots")
    book.sheets["Rooms"].insert(0, ["Rooms of Lianhua Primary, autumn term"])  # R1 to row 3
    _, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column) for p in problems] == [("Rooms", 3, "capacity")]


def test_two_sheets_with_the_same_name_are_an_error(tmp_path: Path) -> None:
    book = valid_book()
    book.sheets["students "] = [["id", "name"], [999, "Stray"]]
    school, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.severity.value) for p in problems] == [("students ", "error")]
    assert school is not None
    assert "999" not in school.student_by_id


def test_extra_sheets_and_columns_are_the_schools_own(tmp_path: Path) -> None:
    book = valid_book()
    book.sheets["Notes"] = [["anything", "at all"], [1, 2]]
    book.set("Rooms", 2, "floor", 3)
    _, problems = _inspect(book, tmp_path)
    assert problems == []


def test_the_optional_settings_sheet_is_read_as_text(tmp_path: Path) -> None:
    book = valid_book()
    book.sheets["settings "] = [
        ["key", "value", "notes"],
        ["Goals", "unserved > choices", "order of the goals"],
        ["goal weights", 3, ""],
        ["empty", None, ""],
        ["goals", "again", ""],
    ]
    school, problems = _inspect(book, tmp_path)
    assert [(p.sheet, p.row, p.column, p.severity.value) for p in problems] == [
        ("Settings", 3, "key", "warning"),  # goal_weights: kept, but nothing reads it
        ("Settings", 5, "key", "warning"),  # goals again
    ]
    assert school is not None
    assert school.settings == {"goals": "unserved > choices", "goal_weights": "3"}


def test_without_a_settings_sheet_there_are_no_settings(tmp_path: Path) -> None:
    school, _ = _inspect(valid_book(), tmp_path)
    assert school is not None
    assert school.settings == {}


def test_a_workbook_without_the_xlsx_suffix_is_read(tmp_path: Path) -> None:
    path = valid_book().save(tmp_path / "school.xlsx")
    renamed = path.rename(tmp_path / "school_backup")
    school, problems = inspect_workbook(renamed)
    assert school is not None
    assert problems == []


# --- files that are not workbooks ----------------------------------------------------

def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _random_bytes(path: Path) -> Path:
    path.write_bytes(os.urandom(4096))
    return path


def _csv(path: Path) -> Path:
    path.write_text("id,name,grade\n101,Xiao Ming,3\n", encoding="utf-8")
    return path


def _xls(path: Path) -> Path:
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + os.urandom(1024))
    return path


def _zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return path


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return path


def _truncated(path: Path) -> Path:
    valid_book().save(path)
    path.write_bytes(path.read_bytes()[:1500])
    return path


def _damaged_sheet(path: Path) -> Path:
    book = valid_book()
    valid_book().save(path)
    return rewrite_part(path, sheet_part(book, "Rooms"),
                        lambda xml: xml.replace("</sheetData>", "<row r='9'><c r='A9'>"))


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _missing(path: Path) -> Path:
    return path


NOT_WORKBOOKS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty-file": (_empty, "is empty"),
    "random-bytes": (_random_bytes, "is not an Excel .xlsx workbook"),
    "csv-renamed": (_csv, "such as a CSV file renamed"),
    "xls": (_xls, "old Excel 97-2003 (.xls)"),
    "zip-not-workbook": (_zip, "is a zip file, not an Excel .xlsx workbook"),
    "word-document": (_docx, "is a Word document"),
    "truncated-xlsx": (_truncated, "not a readable Excel .xlsx"),
    "damaged-sheet": (_damaged_sheet, "sheet 'Rooms' could not be read"),
    "directory": (_directory, "is a folder"),
    "missing-path": (_missing, "does not exist"),
}


@pytest.mark.parametrize("kind", NOT_WORKBOOKS)
def test_a_file_that_is_not_a_workbook_raises_one_sentence(kind: str, tmp_path: Path) -> None:
    make, words = NOT_WORKBOOKS[kind]
    path = make(tmp_path / "school.xlsx")
    with pytest.raises(WorkbookError) as caught:
        inspect_workbook(path)
    message = caught.value.problems[0].message
    assert words in message
    assert "\n" not in message
    assert message.endswith(".")
    assert message.count(". ") == 0  # one sentence
    assert len(caught.value.problems) == 1


@pytest.mark.parametrize("kind", NOT_WORKBOOKS)
def test_validate_prints_one_line_and_exits_2_for_a_non_workbook(kind: str, tmp_path: Path
                                                                  ) -> None:
    make, words = NOT_WORKBOOKS[kind]
    path = make(tmp_path / "school.xlsx")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == Exit.INVALID
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    assert words in lines[0]
    assert "Traceback" not in result.output


# --- schedule validate ---------------------------------------------------------------

def _validate(book: Book, tmp_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", str(book.save(tmp_path / "s.xlsx"))])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_validate_exits_0_on_a_clean_workbook(tmp_path: Path) -> None:
    code, output = _validate(valid_book(), tmp_path)
    assert code == Exit.OK
    assert "no problems" in output


def test_validate_exits_1_with_warnings_only(tmp_path: Path) -> None:
    code, output = _validate(valid_book().set("Vendors", 2, "qualified", "no"), tmp_path)
    assert code == Exit.WARNINGS
    assert "2 warning(s)" in output


def test_validate_exits_2_with_errors_and_shows_a_table(tmp_path: Path) -> None:
    book = valid_book().set("Rooms", 3, "capacity", "lots").set("Staff", 5, "vetted", "no")
    code, output = _validate(book, tmp_path)
    assert code == Exit.INVALID
    lines = output.splitlines()
    assert lines[0].split() == ["level", "sheet", "row", "column", "value", "problem"]
    error_line = next(line for line in lines if line.startswith("error"))
    assert error_line.split()[:5] == ["error", "Rooms", "3", "capacity", "lots"]
    assert "expected a whole number" in error_line
    warning_line = next(line for line in lines if line.startswith("warning"))
    assert warning_line.split()[:4] == ["warning", "Staff", "5", "vetted"]
    assert "1 error(s), 1 warning(s)" in lines[-1]
