"""The template and the school writer: every contract sheet, drop-downs, exact round trips."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.worksheet import Worksheet

from models import contract
from models.contract import Kind
from models.reader import inspect_workbook, read_school
from models.sample import generate_school
from models.school import School
from models.template import HELP_SHEET, write_school, write_template
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school

REQUIRED_SCHOOL_KEYS = {c.name for c in contract.SCHOOL.columns if c.required}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return path


def _header(worksheet: Worksheet) -> list[object]:
    return [cell.value for cell in next(worksheet.iter_rows(min_row=1, max_row=1))]


def _validations(worksheet: Worksheet) -> list[tuple[str, str]]:
    """(cells covered, list formula) of each drop-down on the sheet."""
    return [(str(dv.sqref), dv.formula1 or "") for dv in worksheet.data_validations.dataValidation]


def _round_trip(school: School, path: Path) -> School:
    write_school(path, school)
    return read_school(path)


# --- the template ------------------------------------------------------------------

def test_template_has_every_sheet_and_column(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames[0] == HELP_SHEET
    for sheet in contract.INPUT_SHEETS:
        worksheet = workbook[sheet.name]
        if sheet is contract.SCHOOL:
            keys = [row[0] for row in worksheet.iter_rows(min_row=2, values_only=True)]
            assert keys == [c.name for c in sheet.columns]
        else:
            assert _header(worksheet) == [c.name for c in sheet.columns]
        assert worksheet.freeze_panes == "A2"
    help_rows = list(workbook[HELP_SHEET].iter_rows(values_only=True))
    explained = {(row[0], row[1]) for row in help_rows if row[1]}
    for sheet in contract.INPUT_SHEETS:
        for column in sheet.columns:
            assert (sheet.name, column.name) in explained
    # The schedule workbook's lock columns, for schedule resolve, are explained here too.
    assert {("Sections", "lock"), ("Assignments", "lock")} <= explained


def test_template_school_sheet_prefills_defaults_and_leaves_required_blank(template: Path
                                                                          ) -> None:
    worksheet = openpyxl.load_workbook(template)[contract.SCHOOL.name]
    values = {row[0]: row[1] for row in worksheet.iter_rows(min_row=2, values_only=True)}
    for column in contract.SCHOOL.columns:
        if column.required or column.default is None:
            assert values[column.name] is None, column.name
        else:
            assert str(values[column.name]) == str(column.default), column.name


def test_template_has_dropdowns_for_every_fixed_vocabulary(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    for sheet in contract.INPUT_SHEETS:
        worksheet = workbook[sheet.name]
        validations = _validations(worksheet)
        for position, column in enumerate(sheet.columns):
            if not column.choices:
                continue
            if sheet is contract.SCHOOL:
                cell = f"B{position + 2}"
            else:
                cell = f"{get_column_letter(position + 1)}2"
            covering = [formula for cells, formula in validations
                        if cell in MultiCellRange(cells)]
            assert covering, f"{sheet.name}.{column.name} has no drop-down"
            assert all(choice in covering[0] for choice in column.choices)


def test_template_formats_list_and_id_columns_as_text(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    for sheet in contract.INPUT_SHEETS:
        if sheet is contract.SCHOOL:
            continue
        worksheet = workbook[sheet.name]
        for position, column in enumerate(sheet.columns, start=1):
            dimension = worksheet.column_dimensions[get_column_letter(position)]
            assert dimension.width == column.width
            if column.kind in (Kind.ID, Kind.GRADES, Kind.SLOTS, Kind.DAYS):
                assert dimension.number_format == "@", f"{sheet.name}.{column.name}"


def test_template_reads_back_with_only_the_blank_required_keys_reported(template: Path
                                                                       ) -> None:
    school, problems = inspect_workbook(template)
    assert school is None  # no name, type, term or enrolment yet
    assert all(p.is_error and p.sheet == contract.SCHOOL.name for p in problems)
    assert len(problems) == len(REQUIRED_SCHOOL_KEYS)
    for key in REQUIRED_SCHOOL_KEYS:
        assert any(p.value == key or key in p.message for p in problems), key


def test_filled_in_template_is_an_empty_school(template: Path, tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    worksheet = workbook[contract.SCHOOL.name]
    filled = {"name": "深圳市测试小学", "type": "public", "term_start": dt.date(2026, 9, 1),
              "term_end": dt.date(2027, 1, 22), "enrolled": 500}
    for row in worksheet.iter_rows(min_row=2):
        if row[0].value in filled:
            row[1].value = filled[row[0].value]
    path = tmp_path / "filled.xlsx"
    workbook.save(path)

    school, problems = inspect_workbook(path)

    assert problems == []
    assert school is not None
    assert school.info.enrolled == 500
    assert school.info.budget_per_student_year == 1000 * 100
    assert school.info.latest_end == 18 * 60
    assert (school.periods, school.activities, school.rooms, school.staff, school.vendors,
            school.students) == ((), (), (), (), (), ())


# --- write_school ---------------------------------------------------------------------

def test_round_trip_tiny_school(tmp_path: Path) -> None:
    school = tiny_school()
    assert _round_trip(school, tmp_path / "tiny.xlsx") == school


def test_round_trip_keeps_fen_slots_and_defaults(tmp_path: Path) -> None:
    """Odd fen, day-restricted slots, unavailability and a per-head cap come back exactly."""
    base = tiny_school()
    school = replace(
        base,
        info=replace(base.info, per_student_cap=12_345, study_ratio=35, language="zh"),
        activities=(
            STUDY,
            replace(CHESS, fee_per_session=12_345, fee_per_student=1, min_size=0,
                    allowed_slots=frozenset({(0, 2), (2, 1), (2, 2)})),
            replace(FOOTBALL, max_sections=3, sessions_per_week=2, staff_per_section=2),
        ),
        rooms=(replace(base.rooms[0], unavailable=frozenset({(4, 1)}), fee_per_use=5_050),
               *base.rooms[1:]),
        staff=(replace(base.staff[0], max_periods_week=10, pay_per_period=7_777),
               replace(base.staff[1], unavailable=frozenset({(1, 1), (1, 2)})),
               *base.staff[2:]),
    )
    assert _round_trip(school, tmp_path / "odd.xlsx") == school


def test_round_trip_generated_school(tmp_path: Path) -> None:
    school = generate_school(num_students=120, seed=11)
    assert _round_trip(school, tmp_path / "generated.xlsx") == school


@pytest.mark.parametrize("name", [
    '=HYPERLINK("http://x","y")', "+86 138", "-1", "@SUM(A1)", "=1+1",
])
def test_formula_looking_text_stays_text(tmp_path: Path, name: str) -> None:
    base = tiny_school()
    school = replace(base, students=(replace(base.students[0], name=name), *base.students[1:]))
    path = tmp_path / "names.xlsx"

    assert _round_trip(school, path) == school
    cell = openpyxl.load_workbook(path)[contract.STUDENTS.name]["B2"]
    assert cell.value == name
    assert cell.data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_error_looking_text_is_written_as_text_not_an_error_cell(tmp_path: Path) -> None:
    """openpyxl would store "#N/A" as an error value; it must stay the text typed."""
    base = tiny_school()
    school = replace(base, students=(replace(base.students[0], name="#N/A"),
                                     *base.students[1:]))
    path = tmp_path / "error.xlsx"
    write_school(path, school)
    cell = openpyxl.load_workbook(path)[contract.STUDENTS.name]["B2"]
    assert cell.data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b't="e"' in archive.read(n) for n in sheets)


def test_text_starting_with_a_tab_is_written_as_text(tmp_path: Path) -> None:
    base = tiny_school()
    school = replace(base, students=(replace(base.students[0], name="\t=1+1"),
                                     *base.students[1:]))
    path = tmp_path / "tab.xlsx"
    write_school(path, school)
    cell = openpyxl.load_workbook(path)[contract.STUDENTS.name]["B2"]
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_write_school_refuses_what_the_workbook_cannot_express(tmp_path: Path) -> None:
    base = tiny_school()
    unlimited = replace(base, activities=(STUDY, replace(CHESS, max_sections=None)))
    with pytest.raises(ValueError, match="no section limit"):
        write_school(tmp_path / "bad.xlsx", unlimited)
    assert not (tmp_path / "bad.xlsx").exists()


def test_write_school_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "school.xlsx"
    write_template(path)
    write_school(path, tiny_school())
    assert read_school(path) == tiny_school()
    assert [p.name for p in tmp_path.iterdir()] == ["school.xlsx"]  # no temporary left


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_the_template(tmp_path: Path) -> None:
    """The blank template converts headlessly: LibreOffice reads every sheet we wrote."""
    blank = tmp_path / "blank.xlsx"
    write_template(blank)
    profile = tmp_path / "profile"  # a private profile: no clash with a running LibreOffice
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(blank)],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "blank.pdf").stat().st_size > 0
