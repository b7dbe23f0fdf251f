"""Writing contract workbooks: the empty template and a whole :class:`School`.

Both share one layout, driven by :mod:`models.contract`: a Help sheet, then
every input sheet with a styled, frozen header row, the contract's column
widths, drop-down lists for fixed vocabularies and text number format on
id, list and time columns (Excel would otherwise turn a grade list ``1-3``
into 3 January, or ``007`` into 7).

``write_school`` writes values in the workbook's units (yuan, ``HH:MM``, Excel
dates, slot and grade lists) so that :func:`models.reader.read_school` gives
back an equal school. Text is always stored as text: a name such as
``=HYPERLINK(...)`` must never become a live formula in a coordinator's Excel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import cast

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from models import contract
from models.atomic import atomic_path
from models.cells import parse_cell
from models.contract import Column, Kind, Sheet
from models.messages import column_help, say
from models.school import (
    FEN_PER_YUAN,
    TEACHER,
    Activity,
    PeriodRow,
    Room,
    School,
    SchoolInfo,
    Staff,
    Student,
    Vendor,
)
from models.time import (
    ALL_SLOTS,
    DAYS,
    Slot,
    format_days,
    format_grades,
    format_slots,
    format_time,
    parse_time,
)

HELP_SHEET = "Help"

MAX_CHOICES = 5
"""Students have columns choice1 … choice5; a longer list cannot be written."""

_LAST_ROW = 1_048_576
"""Excel's last row: drop-downs cover the whole column so rows added later get them too."""

_REFERENCE_ROWS = 1000
"""Rows of an id column offered by a drop-down that refers to another sheet."""

_TEXT_FORMAT = "@"
_DATE_FORMAT = "yyyy-mm-dd"
_TEXT_KINDS = frozenset({
    Kind.ID, Kind.TEXT, Kind.WORDS, Kind.CHOICE, Kind.TIME, Kind.GRADES, Kind.SLOTS, Kind.DAYS,
    Kind.DAY_OR_ALL, Kind.BOOL,
})
"""Kinds whose cells are formatted as text, so Excel keeps what the coordinator typed."""

_FORMULA_STARTS = ("=", "+", "-", "@", "\t")
"""Leading characters that make Excel (or a CSV import) treat typed text as a formula."""

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_REQUIRED_FILL = PatternFill("solid", fgColor="1F4E78")
_OPTIONAL_FILL = PatternFill("solid", fgColor="5B9BD5")
_WRAP = Alignment(wrap_text=True, vertical="top")

# Drop-downs that offer the ids of another sheet: (sheet, column) → (target sheet, target column).
_REFERENCES: dict[tuple[str, str], tuple[Sheet, str]] = {
    **{(contract.STUDENTS.name, f"choice{k}"): (contract.ACTIVITIES, "id")
       for k in range(1, MAX_CHOICES + 1)},
    (contract.STAFF.name, "vendor"): (contract.VENDORS, "id"),
}

Values = Mapping[str, object]
"""One row: contract column name → typed value as the reader returns it (None: blank)."""


# --- public -----------------------------------------------------------------

def write_template(path: str | Path, *, lang: str = "en") -> None:
    """An empty workbook with every input sheet and column, help and drop-downs.

    The School sheet lists every key with its default filled in; required keys
    are left blank for the coordinator. ``lang`` is the language of the Help sheet,
    the notes and the drop-down messages, and the School sheet's ``language``; sheet
    and column names, and the words typed into cells, are the contract's in both.
    """
    school_values = {c.name: _typed_default(c) for c in contract.SCHOOL.columns}
    school_values["language"] = lang
    tables: dict[str, list[Values]] = {s.name: [] for s in contract.INPUT_SHEETS}
    _save(path, school_values, tables, lang)


def write_school(path: str | Path, school: School) -> None:
    """Write ``school`` as a contract workbook that reads back to an equal school.

    Raises ValueError for a value the contract cannot express (a non-study
    activity without a section limit, an activity with no allowed slot, more
    than five choices), rather than writing a workbook that reads back different.
    """
    tables: dict[str, list[Values]] = {
        contract.PERIODS.name: [_period_values(r) for r in school.periods],
        contract.ACTIVITIES.name: [_activity_values(a) for a in school.activities],
        contract.ROOMS.name: [_room_values(r) for r in school.rooms],
        contract.STAFF.name: [_staff_values(p) for p in school.staff],
        contract.VENDORS.name: [_vendor_values(v) for v in school.vendors],
        contract.STUDENTS.name: [_student_values(s) for s in school.students],
    }
    _save(path, _info_values(school.info), tables)


# --- entities → typed row values ---------------------------------------------

def _info_values(info: SchoolInfo) -> dict[str, object]:
    return {
        "name": info.name,
        "type": info.type,
        "term_start": info.term_start,
        "term_end": info.term_end,
        "enrolled": info.enrolled,
        "budget_per_student_year": info.budget_per_student_year,
        "terms_per_year": info.terms_per_year,
        "weeks": info.weeks,
        "latest_end": info.latest_end,
        "per_student_cap": info.per_student_cap,
        "study_ratio": info.study_ratio,
        "language": info.language,
    }


def _period_values(row: PeriodRow) -> dict[str, object]:
    return {
        "grades": row.grades,
        "day": "all" if row.day is None else row.day,
        "period": row.period,
        "start": row.start,
        "end": row.end,
    }


def _activity_values(activity: Activity) -> dict[str, object]:
    if activity.max_sections is None and not activity.is_study:
        # The reader turns a blank into 1 for every category but study.
        raise ValueError(f"activity {activity.id}: only study may have no section limit; "
                         "the workbook cannot express max_sections 'no limit' otherwise")
    if not activity.allowed_slots:
        raise ValueError(f"activity {activity.id}: no allowed slot; a blank days cell means "
                         "every slot")
    return {
        "id": activity.id,
        "name": activity.name,
        "category": activity.category,
        "grades": activity.grades,
        "periods": activity.periods,
        "sessions_per_week": activity.sessions_per_week,
        "min_size": activity.min_size,
        "max_size": activity.max_size,
        "max_sections": activity.max_sections,
        "room_type": activity.room_type,
        "skill": activity.skill,
        "staff_per_section": activity.staff_per_section,
        "provider": activity.provider,
        "days": None if activity.allowed_slots == ALL_SLOTS else activity.allowed_slots,
        "fee_per_session": activity.fee_per_session,
        "fee_per_student": activity.fee_per_student,
    }


def _room_values(room: Room) -> dict[str, object]:
    return {
        "id": room.id,
        "name": room.name,
        "type": room.type,
        "capacity": room.capacity,
        "unavailable": room.unavailable or None,
        "fee_per_use": room.fee_per_use,
    }


def _staff_values(person: Staff) -> dict[str, object]:
    role_default = 4 if person.role == TEACHER else 10  # the reader's blank, by role
    return {
        "id": person.id,
        "name": person.name,
        "role": person.role,
        "skills": ", ".join(sorted(person.skills)) or None,
        "vendor": person.vendor,
        "max_periods_week": None if person.max_periods_week == role_default
        else person.max_periods_week,
        "max_periods_day": person.max_periods_day,
        "unavailable": person.unavailable or None,
        "vetted": person.vetted,
        "vetted_until": person.vetted_until,
        "pay_per_period": person.pay_per_period,
        "affiliated_vendor": person.affiliated_vendor,
    }


def _vendor_values(vendor: Vendor) -> dict[str, object]:
    return {
        "id": vendor.id,
        "name": vendor.name,
        "qualified": vendor.qualified,
        "contract_until": vendor.contract_until,
        "max_sessions_week": vendor.max_sessions_week,
        "rating": vendor.rating,
    }


def _student_values(student: Student) -> dict[str, object]:
    if len(student.choices) > MAX_CHOICES:
        raise ValueError(f"student {student.id}: {len(student.choices)} choices; the workbook "
                         f"has columns for {MAX_CHOICES}")
    choices = {f"choice{k}": c for k, c in enumerate(student.choices, start=1)}
    return {
        "id": student.id,
        "name": student.name,
        "grade": student.grade,
        "class": student.class_name,
        "days": student.days or None,
        "stay": student.stay,
        "wants": student.wants,
        **choices,
        "priority": student.priority,
    }


# --- typed values → cells ----------------------------------------------------

def _typed_default(column: Column) -> object:
    """The contract default in the reader's typed form (fen, minutes), or None."""
    if column.default is None:
        return None
    if column.kind is Kind.TIME:
        return parse_time(str(column.default))
    return parse_cell(column, column.default)


def _yuan(fen: int) -> int | float:
    """Fen as a yuan number; whole yuan stay integers so cells read ``120``, not ``120.0``."""
    if fen % FEN_PER_YUAN == 0:
        return fen // FEN_PER_YUAN
    # Decimal keeps the shortest exact text, so the reader's Decimal parse gets the same fen.
    return float(Decimal(fen) / FEN_PER_YUAN)


def _encode(column: Column, value: object) -> object:
    """A typed value as the cell value the reader parses back to it."""
    kind = column.kind
    if kind is Kind.BOOL:
        return "yes" if value else "no"
    if kind is Kind.MONEY:
        return _yuan(cast(int, value))
    if kind is Kind.TIME:
        return format_time(cast(int, value))
    if kind is Kind.GRADES:
        return format_grades(cast(frozenset[int], value))
    if kind is Kind.SLOTS:
        return format_slots(cast(frozenset[Slot], value))
    if kind is Kind.DAYS:
        return format_days(cast(frozenset[int], value))
    if kind is Kind.DAY_OR_ALL:
        return value if value == "all" else DAYS[cast(int, value)]
    if kind is Kind.NUMBER:
        number = cast(float, value)
        return int(number) if float(number).is_integer() else number
    return value


def _cell_value(column: Column, value: object, blank_defaults: bool) -> object:
    """What goes in the cell: blank for None, and for a default when ``blank_defaults``.

    Blank defaults keep long sheets readable and say "nothing special here" (a
    teacher's vetted cell stays blank rather than an alarming "no").
    """
    if value is None:
        return None
    if blank_defaults and value == _typed_default(column):
        return None
    return _encode(column, value)


def _put(worksheet: Worksheet, row: int, col: int, value: object,
         number_format: str | None = None) -> None:
    cell = worksheet.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        # openpyxl stores text starting with '=' as a formula and '#N/A' as an error.
        cell.data_type = "s"
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    if number_format is not None:
        cell.number_format = number_format


def _number_format(column: Column) -> str | None:
    if column.kind in _TEXT_KINDS:
        return _TEXT_FORMAT
    if column.kind is Kind.DATE:
        return _DATE_FORMAT
    return None


# --- layout ------------------------------------------------------------------

def _save(path: str | Path, school_values: Values, tables: Mapping[str, list[Values]],
          lang: str = "en") -> None:
    workbook = Workbook()
    help_sheet = workbook.active
    assert help_sheet is not None
    help_sheet.title = HELP_SHEET
    _write_help(help_sheet, lang)
    for sheet in contract.INPUT_SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        if sheet is contract.SCHOOL:
            _write_key_values(worksheet, school_values, lang)
        else:
            _write_table(worksheet, sheet, tables[sheet.name], lang)
    with atomic_path(path) as temporary:
        workbook.save(temporary)


def _style_header(worksheet: Worksheet, titles: Iterable[tuple[str, bool, str]]) -> None:
    """Row 1: bold titles, darker for required columns, help as a hover comment."""
    for col, (title, required, help_text) in enumerate(titles, start=1):
        _put(worksheet, 1, col, title)
        cell = worksheet.cell(row=1, column=col)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL if required else _OPTIONAL_FILL
        if help_text:
            cell.comment = Comment(help_text, "schedule", width=300, height=110)
    worksheet.freeze_panes = "A2"


def _write_table(worksheet: Worksheet, sheet: Sheet, rows: list[Values], lang: str) -> None:
    _style_header(worksheet, ((c.name, c.required, _column_note(sheet, c, lang))
                              for c in sheet.columns))
    for col, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(col)
        dimension = worksheet.column_dimensions[letter]
        dimension.width = column.width
        number_format = _number_format(column)
        if number_format is not None:
            # A column style: rows the coordinator adds later are text (or dates) too.
            dimension.number_format = number_format
        for row, values in enumerate(rows, start=2):
            value = _cell_value(column, values.get(column.name), blank_defaults=True)
            if value is not None:
                _put(worksheet, row, col, value, number_format)
        validation = _validation(sheet, column, lang)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{_LAST_ROW}")
            worksheet.add_data_validation(validation)


def _write_key_values(worksheet: Worksheet, values: Values, lang: str) -> None:
    """The School sheet: key, value and (ignored by the reader) what the key means."""
    sheet = contract.SCHOOL
    _style_header(worksheet, (("key", True, say("template.key_note", lang)),
                              ("value", True, say("template.value_note", lang)),
                              ("meaning", False, "")))
    for col, width in enumerate((24, 34, 90), start=1):
        worksheet.column_dimensions[get_column_letter(col)].width = width
    for row, column in enumerate(sheet.columns, start=2):
        _put(worksheet, row, 1, column.name, _TEXT_FORMAT)
        value = _cell_value(column, values.get(column.name), blank_defaults=False)
        # A blank value cell still gets its format, so a typed date or time stays one.
        number_format = _number_format(column)
        cell = worksheet.cell(row=row, column=2)
        if value is None:
            if number_format is not None:
                cell.number_format = number_format
        else:
            _put(worksheet, row, 2, value, number_format)
        _put(worksheet, row, 3, _column_note(sheet, column, lang))
        worksheet.cell(row=row, column=3).alignment = _WRAP
        validation = _validation(sheet, column, lang)
        if validation is not None:
            validation.add(f"B{row}")
            worksheet.add_data_validation(validation)


def _validation(sheet: Sheet, column: Column, lang: str) -> DataValidation | None:
    """A drop-down for a fixed vocabulary, or for ids listed on another sheet."""
    reference = _REFERENCES.get((sheet.name, column.name))
    if reference is not None:
        target, target_column = reference
        letter = get_column_letter(
            [c.name for c in target.columns].index(target_column) + 1)
        formula = f"{target.name}!${letter}$2:${letter}${_REFERENCE_ROWS}"
        message = say("template.expect_reference", lang, column=target_column,
                      sheet=target.name)
    elif column.choices:
        formula = '"' + ",".join(column.choices) + '"'
        message = say("template.expect_choice", lang, choices=", ".join(column.choices))
    else:
        return None
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    # A warning, not a stop: the reader also accepts other spellings (True, 1, Sports …)
    # and reports what it cannot read, in the coordinator's words.
    validation.errorStyle = "warning"
    validation.errorTitle = column.name
    validation.error = message
    # Room types are an open list ("or another word"): suggest, never object.
    validation.showErrorMessage = column.kind is not Kind.WORDS
    return validation


# --- help --------------------------------------------------------------------

def _default_text(column: Column, lang: str = "en") -> str:
    if column.required:
        return say("template.required", lang)
    if column.default is None:
        return say("template.optional", lang)
    if column.kind is Kind.BOOL:
        return say("template.default_yes" if column.default else "template.default_no", lang)
    return say("template.default", lang, default=column.default)


def _help(sheet: Sheet, column: Column, lang: str) -> str:
    """The column's help as a sentence, in ``lang``."""
    return column_help(sheet.name, column).text(lang) + ("." if lang == "en" else "。")


def _column_note(sheet: Sheet, column: Column, lang: str = "en") -> str:
    """One line for a header comment or the School sheet's meaning column."""
    parts = [_help(sheet, column, lang),
             say("template.kind_default", lang, kind=say(f"kindname.{column.kind.value}", lang),
                 default=_default_text(column, lang))]
    if column.choices:
        parts.append(say("template.allowed", lang, choices=", ".join(column.choices)))
    return ("" if lang == "zh" else " ").join(parts)  # Chinese runs its sentences together


def _write_lock_help(worksheet: Worksheet, row: int, lang: str) -> None:
    """The lock columns of the schedule workbook: filled in there, not here, but a
    coordinator learns of them from this sheet (docs/workbook.md, "Locks")."""
    for name, choices in (("Sections", ("yes", *contract.LOCK_PARTS)),
                          ("Assignments", ("yes",))):
        cells = (name, contract.LOCK_COLUMN, say("kindname.text", lang),
                 say("template.optional", lang),
                 say("template.lock_help", lang, sheet=name, text=say(f"lockhelp.{name}", lang)),
                 ", ".join(choices))
        for col, value in enumerate(cells, start=1):
            _put(worksheet, row, col, value)
        worksheet.cell(row=row, column=5).alignment = _WRAP
        row += 1


def _write_help(worksheet: Worksheet, lang: str = "en") -> None:
    worksheet.cell(row=1, column=1, value=say("template.title", lang)).font = Font(
        bold=True, size=14)
    worksheet.merge_cells("A2:F2")
    _put(worksheet, 2, 1, say("template.intro", lang))
    worksheet.cell(row=2, column=1).alignment = _WRAP
    worksheet.row_dimensions[2].height = 90
    header_row = 4
    titles = [say(f"template.head.{name}", lang)
              for name in ("sheet", "column", "kind", "default", "meaning", "allowed")]
    for col, title in enumerate(titles, start=1):
        cell = worksheet.cell(row=header_row, column=col)
        _put(worksheet, header_row, col, title)
        cell.font = _HEADER_FONT
        cell.fill = _REQUIRED_FILL
    row = header_row + 1
    for sheet in contract.INPUT_SHEETS:
        _put(worksheet, row, 1, sheet.name)
        worksheet.cell(row=row, column=1).font = Font(bold=True)
        _put(worksheet, row, 5, say(f"sheethelp.{sheet.name}", lang))
        worksheet.cell(row=row, column=5).font = Font(bold=True)
        row += 1
        for column in sheet.columns:
            cells = (sheet.name, column.name, say(f"kindname.{column.kind.value}", lang),
                     _default_text(column, lang), _help(sheet, column, lang),
                     ", ".join(column.choices))
            for col, text in enumerate(cells, start=1):
                if text:
                    _put(worksheet, row, col, text)
            worksheet.cell(row=row, column=5).alignment = _WRAP
            row += 1
    _write_lock_help(worksheet, row, lang)
    for col, width in enumerate((12, 20, 16, 18, 80, 40), start=1):
        worksheet.column_dimensions[get_column_letter(col)].width = width
    worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=1)
