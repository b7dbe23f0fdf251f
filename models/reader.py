"""Workbook → :class:`School`, with every problem located by sheet, row and column.

``read_school`` raises :class:`WorkbookError` carrying *all* problems when any
is an error; warnings travel on ``School.warnings``. ``inspect_workbook`` gives
the school (or None) and the problems without raising, for ``schedule validate``.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from models import contract
from models.cells import as_text, is_blank, parse_cell
from models.contract import Column, Kind, Sheet, normalize
from models.problems import Problem, WorkbookError, error, warning
from models.school import (
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
from models.time import ALL_SLOTS, ParseError, parse_time

log = logging.getLogger(__name__)

BAD = object()
"""The value of a cell that could not be read."""

MAX_COLUMNS = 64
"""Columns read per sheet; formatting far to the right is never data of ours."""


@dataclass(frozen=True)
class Record:
    """One data row: its Excel row number and each contract column's typed value.

    A cell that could not be read holds :data:`BAD` (its problem is already recorded).
    """

    row: int
    values: dict[str, object]

    def __getitem__(self, name: str) -> object:
        return self.values.get(name)


@dataclass
class Located:
    """Where each entity came from, so problems found on the school can name a row."""

    rows: dict[tuple[str, str], int]
    broken: set[tuple[str, str]]
    """Ids whose rows had errors: references to them are not reported again."""

    def row(self, sheet: str, entity_id: str) -> int | None:
        return self.rows.get((sheet, entity_id))

    def is_broken(self, sheet: str, entity_id: str) -> bool:
        return (sheet, entity_id) in self.broken


def read_school(path: str | Path) -> School:
    """Read and validate a school workbook; raise :class:`WorkbookError` on any error."""
    school, problems = inspect_workbook(path)
    if school is None or any(p.is_error for p in problems):
        raise WorkbookError(problems)
    return school


def inspect_workbook(path: str | Path) -> tuple[School | None, list[Problem]]:
    """The school (None when it cannot be built) and every problem, errors first."""
    from models.validate import validate_school

    workbook = _open(Path(path))
    try:
        problems: list[Problem] = []
        tables = _read_tables(workbook, problems)
    finally:
        workbook.close()
    if any(p.is_error for p in problems) and not _buildable(tables):
        return None, _ordered(problems)
    school, located = _build_school(tables, problems)
    if school is None:
        return None, _ordered(problems)
    problems.extend(validate_school(school, located.row, located.is_broken))
    warnings = tuple(p for p in problems if not p.is_error)
    school = _with_warnings(school, warnings)
    return school, _ordered(problems)


def _ordered(problems: list[Problem]) -> list[Problem]:
    sheet_order = {s.name: i for i, s in enumerate(contract.INPUT_SHEETS)}
    return sorted(
        problems,
        key=lambda p: (not p.is_error, sheet_order.get(p.sheet, 99), p.row or 0),
    )


def _with_warnings(school: School, warnings: tuple[Problem, ...]) -> School:
    from dataclasses import replace

    return replace(school, warnings=warnings)


# --- opening ---------------------------------------------------------------

def _open(path: Path) -> openpyxl.Workbook:
    """Open an .xlsx read-only, or raise one clear sentence for anything else."""
    if not path.exists():
        raise WorkbookError(f"{path} does not exist.")
    if path.is_dir():
        raise WorkbookError(f"{path} is a folder, not an Excel workbook.")
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise WorkbookError(f"{path.name} is empty (0 bytes); expected an Excel .xlsx workbook.")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(
            f"{path.name} is an old Excel 97-2003 (.xls) file or is password-protected; "
            "open it in Excel or WPS and save it as an .xlsx workbook."
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookError(
            f"{path.name} is not an Excel .xlsx workbook (it looks like text or another "
            "format, such as a CSV file renamed); save it from Excel or WPS as .xlsx."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise WorkbookError(
                    f"{path.name} is a zip file but not an Excel .xlsx workbook."
                )
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise WorkbookError(
            f"{path.name} could not be opened as an Excel workbook; it may be damaged "
            f"({type(exc).__name__})."
        ) from None


# --- sheets → records --------------------------------------------------------

def _read_tables(workbook: openpyxl.Workbook, problems: list[Problem]) -> dict[str, list[Record]]:
    by_key = {normalize(name): name for name in workbook.sheetnames}
    tables: dict[str, list[Record]] = {}
    for sheet in contract.INPUT_SHEETS:
        actual = by_key.get(normalize(sheet.name))
        if actual is None:
            problems.append(error(
                sheet.name, f"sheet '{sheet.name}' is missing; expected a sheet with columns "
                + ", ".join(c.name for c in sheet.columns[:6])
                + (" …" if len(sheet.columns) > 6 else "")
                + " (see `schedule template`)",
            ))
            continue
        rows = _rows(workbook[actual])
        if sheet is contract.SCHOOL:
            tables[sheet.name] = _read_key_values(rows, problems)
        else:
            tables[sheet.name] = _read_table(sheet, rows, problems)
    return tables


def _rows(worksheet: object) -> Iterator[tuple[int, tuple[object, ...]]]:
    """(Excel row number, cell values) for non-blank rows, bounded in columns."""
    worksheet.reset_dimensions()  # type: ignore[attr-defined]  # some writers record wrong sizes
    for number, values in enumerate(
        worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS),  # type: ignore[attr-defined]
        start=1,
    ):
        if values and not all(is_blank(v) for v in values):
            yield number, tuple(values)


def _read_table(sheet: Sheet, rows: Iterator[tuple[int, tuple[object, ...]]],
                problems: list[Problem]) -> list[Record]:
    header = next(rows, None)
    if header is None:
        problems.extend(
            error(sheet.name, f"column '{c.name}' is missing; the sheet is empty", column=c.name)
            for c in sheet.columns if c.required
        )
        return []
    header_row, names = header
    positions: dict[str, int] = {}
    known = {normalize(c.name): c for c in sheet.columns}
    for pos, name in enumerate(names):
        if is_blank(name):
            continue
        column = known.get(normalize(as_text(name)))
        if column is None:
            continue  # extra columns are the school's own notes
        if column.name in positions:
            problems.append(error(sheet.name, f"column '{column.name}' appears twice",
                                  row=header_row, column=column.name))
        positions.setdefault(column.name, pos)
    missing = [c for c in sheet.columns if c.required and c.name not in positions]
    for column in missing:
        problems.append(error(
            sheet.name, f"required column '{column.name}' is missing from the header row "
            f"({column.help})", row=header_row, column=column.name,
        ))
    if missing:
        return []
    records = []
    for number, values in rows:
        parsed: dict[str, object] = {}
        for column in sheet.columns:
            pos = positions.get(column.name)
            raw = values[pos] if pos is not None and pos < len(values) else None
            parsed[column.name] = _cell(sheet.name, number, column, raw, problems)
        records.append(Record(number, parsed))
    return records


def _cell(sheet: str, row: int, column: Column, raw: object, problems: list[Problem]) -> object:
    if is_blank(raw):
        if column.required:
            problems.append(error(sheet, f"a value is required: {column.help}", row=row,
                                  column=column.name))
        return _default(column)
    try:
        return parse_cell(column, raw)
    except ParseError as exc:
        problems.append(error(sheet, f"expected {exc}", row=row, column=column.name,
                              value=as_text(raw)))
        return BAD


def _default(column: Column) -> object:
    if column.default is None:
        return None
    if column.kind is Kind.TIME:
        return parse_time(str(column.default))
    return parse_cell(column, column.default)


def _read_key_values(rows: Iterator[tuple[int, tuple[object, ...]]],
                     problems: list[Problem]) -> list[Record]:
    """The School sheet: key in the first column, value in the second."""
    sheet = contract.SCHOOL
    known = {normalize(c.name): c for c in sheet.columns}
    values: dict[str, object] = {}
    seen_rows: dict[str, int] = {}
    for number, cells in rows:
        key, raw = cells[0], cells[1] if len(cells) > 1 else None
        key_text = "" if is_blank(key) else normalize(as_text(key))
        if key_text in ("key", "") and normalize(as_text(raw)) in ("value", "none", ""):
            continue  # the header row, or a row with neither key nor value
        column = known.get(key_text)
        if column is None:
            problems.append(warning(sheet.name, "unknown key, ignored; known keys are "
                                    + ", ".join(known[k].name for k in known),
                                    row=number, column="key", value=as_text(key)))
            continue
        if column.name in seen_rows:
            problems.append(error(sheet.name, f"key '{column.name}' appears twice (also row "
                                  f"{seen_rows[column.name]})", row=number, column="key"))
            continue
        seen_rows[column.name] = number
        if is_blank(raw):
            continue
        values[column.name] = _cell(sheet.name, number, column, raw, problems)
    for column in sheet.columns:
        if column.name not in values:
            if column.required:
                problems.append(error(sheet.name, f"key '{column.name}' is missing or blank: "
                                      f"{column.help}", column="key", value=column.name))
            values[column.name] = _default(column)
    return [Record(row, {"_rows": seen_rows, **values}) for row in (1,)]


# --- records → school ----------------------------------------------------------

def _buildable(tables: dict[str, list[Record]]) -> bool:
    return contract.SCHOOL.name in tables and all(
        tables.get(s.name) is not None for s in contract.INPUT_SHEETS
    )


def _build_school(tables: dict[str, list[Record]], problems: list[Problem]
                  ) -> tuple[School | None, Located]:
    located = Located({}, set())
    info = _build_info(tables.get(contract.SCHOOL.name, []), problems)
    if info is None:
        return None, located
    periods = tuple(_build_periods(tables.get(contract.PERIODS.name, []), problems, located))
    builders = (
        (contract.ACTIVITIES, _activity),
        (contract.ROOMS, _room),
        (contract.STAFF, _staff),
        (contract.VENDORS, _vendor),
        (contract.STUDENTS, _student),
    )
    built: dict[str, tuple[object, ...]] = {}
    for sheet, make in builders:
        entities = []
        for record in tables.get(sheet.name, []):
            entity_id = record["id"]
            if entity_id is None or entity_id is BAD:
                continue
            first = located.row(sheet.name, str(entity_id))
            if first is not None:
                problems.append(error(sheet.name, f"duplicate id; '{entity_id}' is already "
                                      f"used on row {first}", row=record.row, column="id",
                                      value=entity_id))
                continue
            located.rows[sheet.name, str(entity_id)] = record.row
            if _incomplete(sheet, record):
                located.broken.add((sheet.name, str(entity_id)))
                continue
            try:
                entities.append(make(record))
            except ValueError as exc:
                problems.append(error(sheet.name, str(exc), row=record.row))
                located.broken.add((sheet.name, str(entity_id)))
        built[sheet.name] = tuple(entities)
    school = School(
        info=info,
        periods=periods,
        activities=built[contract.ACTIVITIES.name],  # type: ignore[arg-type]
        rooms=built[contract.ROOMS.name],  # type: ignore[arg-type]
        staff=built[contract.STAFF.name],  # type: ignore[arg-type]
        vendors=built[contract.VENDORS.name],  # type: ignore[arg-type]
        students=built[contract.STUDENTS.name],  # type: ignore[arg-type]
    )
    return school, located


def _incomplete(sheet: Sheet, record: Record) -> bool:
    """A row with an unreadable cell or a blank required one (both already reported)."""
    return any(
        record[c.name] is BAD or (c.required and record[c.name] is None) for c in sheet.columns
    )


def _build_info(records: list[Record], problems: list[Problem]) -> SchoolInfo | None:
    if not records:
        return None
    v = records[0].values
    required = [c.name for c in contract.SCHOOL.columns if c.required]
    if any(v.get(name) is None for name in required) or BAD in v.values():
        return None
    try:
        return SchoolInfo(
            name=str(v["name"]),
            type=str(v["type"]),
            term_start=v["term_start"],  # type: ignore[arg-type]
            term_end=v["term_end"],  # type: ignore[arg-type]
            enrolled=int(v["enrolled"]),  # type: ignore[call-overload]
            budget_per_student_year=int(v["budget_per_student_year"]),  # type: ignore[call-overload]
            terms_per_year=int(v["terms_per_year"]),  # type: ignore[call-overload]
            weeks=int(v["weeks"]),  # type: ignore[call-overload]
            latest_end=int(v["latest_end"]),  # type: ignore[call-overload]
            per_student_cap=v["per_student_cap"],  # type: ignore[arg-type]
            study_ratio=int(v["study_ratio"]),  # type: ignore[call-overload]
            language=str(v["language"]),
        )
    except ValueError as exc:
        problems.append(error(contract.SCHOOL.name, str(exc)))
        return None


def _build_periods(records: list[Record], problems: list[Problem], located: Located
                   ) -> Iterator[PeriodRow]:
    for index, record in enumerate(records):
        if _incomplete(contract.PERIODS, record):
            continue  # already reported as a missing or unreadable value
        if record["end"] <= record["start"]:  # type: ignore[operator]
            problems.append(error(contract.PERIODS.name, "a period must end after it starts",
                                  row=record.row, column="end"))
            continue
        located.rows[contract.PERIODS.name, str(index)] = record.row
        yield PeriodRow(
            grades=record["grades"],  # type: ignore[arg-type]
            day=None if record["day"] == "all" else record["day"],  # type: ignore[arg-type]
            period=record["period"],  # type: ignore[arg-type]
            start=record["start"],  # type: ignore[arg-type]
            end=record["end"],  # type: ignore[arg-type]
        )


def _text(record: Record, name: str) -> str | None:
    value = record[name]
    return None if value in (None, "") else str(value)


def _activity(r: Record) -> Activity:
    category = str(r["category"])
    provider = _text(r, "provider")
    max_sections = r["max_sections"]
    if max_sections is None and category != "study":
        max_sections = 1
    min_size = r["min_size"] if r["min_size"] is not None else 1
    if r["max_size"] is not None and r["max_size"] < min_size:  # type: ignore[operator]
        raise ValueError(f"max_size {r['max_size']} is below min_size {min_size}; expected "
                         "max_size ≥ min_size")
    return Activity(
        id=str(r["id"]),
        name=str(r["name"]),
        category=category,
        grades=r["grades"],  # type: ignore[arg-type]
        periods=r["periods"],  # type: ignore[arg-type]
        sessions_per_week=r["sessions_per_week"],  # type: ignore[arg-type]
        min_size=min_size,  # type: ignore[arg-type]
        max_size=r["max_size"],  # type: ignore[arg-type]
        max_sections=max_sections,  # type: ignore[arg-type]
        room_type=_text(r, "room_type") or "classroom",
        skill=(_text(r, "skill") or "").lower() or None,
        staff_per_section=r["staff_per_section"],  # type: ignore[arg-type]
        provider=None if (provider or "school").lower() == "school" else provider,
        allowed_slots=r["days"] or ALL_SLOTS,  # type: ignore[arg-type]
        fee_per_session=r["fee_per_session"],  # type: ignore[arg-type]
        fee_per_student=r["fee_per_student"],  # type: ignore[arg-type]
    )


def _room(r: Record) -> Room:
    return Room(
        id=str(r["id"]),
        name=str(r["name"]),
        type=str(r["type"]),
        capacity=r["capacity"],  # type: ignore[arg-type]
        unavailable=r["unavailable"] or frozenset(),  # type: ignore[arg-type]
        fee_per_use=r["fee_per_use"],  # type: ignore[arg-type]
    )


def _staff(r: Record) -> Staff:
    role = str(r["role"])
    max_week = r["max_periods_week"]
    if max_week is None:
        max_week = 4 if role == TEACHER else 10
    skills = frozenset(
        s.strip().lower() for s in str(r["skills"] or "").replace("，", ",").split(",")
        if s.strip()
    )
    return Staff(
        id=str(r["id"]),
        name=str(r["name"]),
        role=role,
        skills=skills,
        vendor=_text(r, "vendor"),
        max_periods_week=max_week,  # type: ignore[arg-type]
        max_periods_day=r["max_periods_day"],  # type: ignore[arg-type]
        unavailable=r["unavailable"] or frozenset(),  # type: ignore[arg-type]
        vetted=bool(r["vetted"]),
        vetted_until=r["vetted_until"],  # type: ignore[arg-type]
        pay_per_period=r["pay_per_period"],  # type: ignore[arg-type]
        affiliated_vendor=_text(r, "affiliated_vendor"),
    )


def _vendor(r: Record) -> Vendor:
    return Vendor(
        id=str(r["id"]),
        name=str(r["name"]),
        qualified=bool(r["qualified"]),
        contract_until=r["contract_until"],  # type: ignore[arg-type]
        max_sessions_week=r["max_sessions_week"],  # type: ignore[arg-type]
        rating=float(r["rating"]),  # type: ignore[arg-type]
    )


def _student(r: Record) -> Student:
    if r["grade"] is None:
        raise ValueError("the grade is missing or unreadable")
    return Student(
        id=str(r["id"]),
        name=str(r["name"]),
        grade=r["grade"],  # type: ignore[arg-type]
        class_name=str(r["class"]),
        days=r["days"] or frozenset(),  # type: ignore[arg-type]
        stay=r["stay"],  # type: ignore[arg-type]
        wants=r["wants"],  # type: ignore[arg-type]
        choices=tuple(str(r[f"choice{k}"]) for k in range(1, 6) if r[f"choice{k}"] is not None),
        priority=r["priority"],  # type: ignore[arg-type]
    )
