"""Workbook → :class:`School`, with every problem located by sheet, row and column.

``read_school`` raises :class:`WorkbookError` carrying *all* problems when any
is an error; warnings travel on ``School.warnings``. ``inspect_workbook`` gives
the school (or None) and the problems without raising, for ``schedule validate``.
Only a file that is not a readable .xlsx workbook at all raises, with one sentence.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import difflib
import logging
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import IO

import openpyxl
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from models import contract
from models.cells import as_text, has_fractions_of_a_fen, is_blank, parse_cell
from models.contract import Column, Kind, Sheet, normalize
from models.messages import LANGUAGES, Message, column_help, msg, say
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
from models.time import ALL_SLOTS, ParseError, format_time, parse_time
from models.validate import Origin, validate_school
from models.xlsx_limits import MAX_CELL_TEXT, MAX_DATA_ROWS, MAX_ROW_CELLS, check_sizes

log = logging.getLogger(__name__)

BAD = object()
"""The value of a cell that could not be read."""

MAX_COLUMNS = 64
"""Columns read per sheet; formatting far to the right is never data of ours."""

HEADER_SEARCH_ROWS = 10
"""Non-blank rows searched for the header, so a title row above it does no harm."""

EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})
"""What a formula that failed leaves in its cell; never an id or a name of ours."""

Rows = Iterator[tuple[int, tuple[object, ...]]]


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
class Tables:
    """What the sheets held, before any entity is built."""

    records: dict[str, list[Record]] = field(default_factory=dict)
    key_rows: dict[str, int] = field(default_factory=dict)
    """School key → its Excel row."""
    unreadable: set[str] = field(default_factory=set)
    """Sheets missing or without a required column: nothing in them can be referred to."""
    settings: dict[str, str] = field(default_factory=dict)
    """The optional Settings sheet, key → text."""


def read_school(path: str | Path) -> School:
    """Read and validate a school workbook; raise :class:`WorkbookError` on any error."""
    school, problems = inspect_workbook(path)
    if school is None or any(p.is_error for p in problems):
        raise WorkbookError(problems)
    return school


def entity_rows(path: str | Path) -> dict[tuple[str, str], int]:
    """(sheet, id) → Excel row of each entity, School keys by key: where a message about
    the school points. Rows that could not be read are left out."""
    with _opened(Path(path)) as workbook:
        tables = _read_tables(workbook, [])
    rows = {(contract.SCHOOL.name, key): row for key, row in tables.key_rows.items()}
    for sheet, records in tables.records.items():
        if sheet == contract.SCHOOL.name:
            continue
        for record in records:
            if record["id"] not in (None, BAD):
                rows.setdefault((sheet, str(record["id"])), record.row)
    return rows


def inspect_workbook(path: str | Path) -> tuple[School | None, list[Problem]]:
    """The school and every problem, errors first.

    The school is None when the School sheet's settings could not be read; the other
    sheets are checked all the same, so every problem is reported at once. With
    errors elsewhere the school holds the rows that could be read: show it, never
    solve it. Raises :class:`WorkbookError` only when the file is not a readable
    .xlsx workbook.
    """
    found = inspect(path)
    return found.school, found.problems


@dataclass(frozen=True)
class Inspection:
    """What :func:`inspect` found: the school (or None), every problem, and the School
    sheet's language even when other settings could not be read, to say them in."""

    school: School | None
    problems: list[Problem]
    language: str


def inspect(path: str | Path) -> Inspection:
    """:func:`inspect_workbook`, with the language the School sheet asks for."""
    problems: list[Problem] = []
    with _opened(Path(path)) as workbook:
        tables = _read_tables(workbook, problems)
    school, origin = _build_school(tables, problems)
    problems.extend(validate_school(school, origin))
    log.debug("%s: %d problem(s), %d error(s)", path, len(problems),
              sum(p.is_error for p in problems))
    # A stand-in school keeps every setting that could be read, the language among them.
    language = school.info.language
    if contract.SCHOOL.name in origin.incomplete:
        return Inspection(None, _ordered(problems), language)
    warnings = tuple(p for p in problems if not p.is_error)
    return Inspection(replace(school, warnings=warnings), _ordered(problems), language)


def school_language(path: str | Path) -> str | None:
    """The School sheet's ``language`` read alone, so that a command can speak it before
    the whole workbook is read; None when the workbook or the key cannot be read."""
    try:
        with _opened(Path(path)) as workbook:
            name = next((n for n in workbook.sheetnames
                         if normalize(n) == normalize(contract.SCHOOL.name)), None)
            if name is None:
                return None
            for _, key, raw in _key_value_rows(iter(_sheet_rows(workbook[name], name)), {}):
                if not is_blank(key) and normalize(as_text(key)) == "language":
                    value = as_text(raw).lower()
                    return value if value in LANGUAGES else None
    except WorkbookError:
        return None
    return None


def _ordered(problems: list[Problem]) -> list[Problem]:
    sheet_order = {s.name: i for i, s in enumerate(contract.INPUT_SHEETS)}
    return sorted(
        problems,
        key=lambda p: (not p.is_error, sheet_order.get(p.sheet, -1), p.row or 0),
    )


# --- opening ---------------------------------------------------------------

_OTHER_ZIPS = (
    ("word/", "file.kind.word"),
    ("ppt/", "file.kind.powerpoint"),
    ("content.xml", "file.kind.ods"),
)


def _check_file(path: Path) -> None:
    """Raise one clear sentence when ``path`` cannot be an .xlsx workbook."""
    if not path.exists():
        raise WorkbookError(msg("file.missing", path=path))
    if path.is_dir():
        raise WorkbookError(msg("file.folder", path=path))
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise WorkbookError(msg("file.empty", name=path.name))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookError(msg("file.xls", name=path.name))
    if head.startswith(b"PK") and not zipfile.is_zipfile(path):
        raise WorkbookError(msg("file.incomplete_zip", name=path.name))
    if not zipfile.is_zipfile(path):
        raise WorkbookError(msg("file.not_zip", name=path.name))
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            check_sizes(path, archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookError(msg("file.damaged_zip", name=path.name)) from None
    if "xl/workbook.xml" not in names:
        kind = next((what for prefix, what in _OTHER_ZIPS
                     if any(n.startswith(prefix) for n in names)), "file.kind.zip")
        raise WorkbookError(msg("file.other_zip", name=path.name, kind=msg(kind)))


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[openpyxl.Workbook]:
    """An .xlsx opened read-only (cached values of formulas), closed afterwards."""
    try:
        _check_file(path)
        handle = path.open("rb")
    except OSError as exc:
        raise WorkbookError(msg("file.unopenable", path=path,
                                reason=exc.strerror or type(exc).__name__)) from None
    with handle:
        try:
            # A file object, not the path: openpyxl refuses names not ending in .xlsx,
            # and a workbook saved as "school.xlsx.tmp" or without a suffix is still one.
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for damaged files
            raise WorkbookError(msg("file.not_a_workbook", name=path.name,
                                    reason=type(exc).__name__)) from None
        try:
            yield workbook
        finally:
            workbook.close()


# --- sheets → records --------------------------------------------------------

def _read_tables(workbook: openpyxl.Workbook, problems: list[Problem]) -> Tables:
    by_key: dict[str, str] = {}
    for name in workbook.sheetnames:
        key = normalize(name)
        if key in by_key and any(normalize(s.name) == key for s in contract.INPUT_SHEETS):
            problems.append(error(name, msg("sheet.twice", first=by_key[key], second=name)))
            continue
        by_key.setdefault(key, name)
    tables = Tables()
    for sheet in contract.INPUT_SHEETS:
        actual = by_key.get(normalize(sheet.name))
        if actual is None:
            columns = (", ".join(c.name for c in sheet.columns[:6])
                       + (" …" if len(sheet.columns) > 6 else ""))
            near = _near_sheets(sheet.name, workbook.sheetnames)
            problems.append(error(sheet.name, msg(
                "sheet.missing" if near is None else "sheet.missing_near", sheet=sheet.name,
                columns=columns, near=near)))
            tables.unreadable.add(sheet.name)
            continue
        formulas: set[tuple[int, int]] = set()
        rows = iter(_sheet_rows(workbook[actual], sheet.name, formulas))
        if sheet is contract.SCHOOL:
            tables.records[sheet.name] = _read_key_values(rows, tables.key_rows, problems)
        else:
            records = _read_table(sheet, rows, problems, formulas)
            if records is None:
                tables.unreadable.add(sheet.name)
            tables.records[sheet.name] = records or []
    actual = by_key.get(normalize(SETTINGS_SHEET))
    if actual is not None:
        tables.settings = _read_settings(iter(_sheet_rows(workbook[actual], actual)),
                                         problems)
    return tables


def _near_sheets(wanted: str, present: list[str]) -> str | None:
    """``'student'`` when the workbook has sheets named almost as ``wanted``."""
    known = {normalize(s.name) for s in contract.INPUT_SHEETS} | {normalize(SETTINGS_SHEET)}
    candidates = {normalize(name): name for name in present if normalize(name) not in known}
    close = difflib.get_close_matches(normalize(wanted), list(candidates), n=3, cutoff=0.6)
    if not close:
        return None
    return " / ".join(f"'{candidates[c]}'" for c in close)


SETTINGS_SHEET = "Settings"
"""An optional sheet of key/value text the optimizer interprets (e.g. ``goals``)."""


def _key_value_rows(rows: Rows, key_rows: dict[str, int]
                    ) -> Iterator[tuple[int, object, object]]:
    """(Excel row, key cell, value cell) of a key/value sheet.

    The columns are found by a ``key``/``value`` header row when one comes before
    any key is taken (``key_rows`` is still empty), else they are the first two.
    """
    key_pos, value_pos = 0, 1
    for number, cells in rows:
        names = [normalize(as_text(c)) if not is_blank(c) else "" for c in cells]
        if not key_rows and "key" in names and "value" in names:
            key_pos, value_pos = names.index("key"), names.index("value")
            continue
        key = cells[key_pos] if key_pos < len(cells) else None
        raw = cells[value_pos] if value_pos < len(cells) else None
        yield number, key, raw


def _read_settings(rows: Rows, problems: list[Problem]) -> dict[str, str]:
    """The Settings sheet: key → text, keys lowercased with spaces as underscores.

    The optimizer gives the values their meaning and reports on them; here only the
    shape is checked. ``Goal Weights`` and ``goal_weights`` are the same key.
    """
    settings: dict[str, str] = {}
    key_rows: dict[str, int] = {}
    for number, key, raw in _key_value_rows(rows, key_rows):
        if is_blank(key) or is_blank(raw):
            continue  # a setting left blank is the default
        name = re.sub(r"[\s_]+", "_", as_text(key).lower())
        if name not in contract.SETTINGS_KEYS:
            # Kept (the shape is all that is judged here), but nothing reads it today.
            problems.append(warning(SETTINGS_SHEET, msg(
                "settings.unknown_key", keys=", ".join(contract.SETTINGS_KEYS),
                hint=_did_you_mean_key(name)), row=number, column="key", value=as_text(key)))
        if name in key_rows:
            problems.append(warning(SETTINGS_SHEET, msg("settings.key_twice", key=name,
                                                        row=key_rows[name]),
                                    row=number, column="key", value=name))
            continue
        key_rows[name] = number
        settings[name] = as_text(raw)
    return settings


def _did_you_mean_key(name: str) -> Message | str:
    close = difflib.get_close_matches(name, list(contract.SETTINGS_KEYS), n=1, cutoff=0.6)
    return msg("hint.did_you_mean", candidate=close[0]) if close else ""


_EMPTY_CELL = re.compile(
    rb"<(?:\w+:)?c r=\"[A-Z]+[0-9]+\"[^<>]*/>"
    # Only when the next thing is the end of the row or another cell that names its
    # position: a cell without ``r`` is placed by counting the cells before it.
    rb"(?=\s*(?:</(?:\w+:)?row>|<(?:\w+:)?c r=\"))"
)
"""A cell with a position and a style but no value, such as ``<c r="B7" s="3"/>``."""

_EMPTY_ROW = re.compile(
    rb"<((?:\w+:)?row) r=\"[0-9]+\"[^<>]*?(?:/>|>\s*</\1>)"
    # Likewise only before a row that names its number, or the end of the data.
    rb"(?=\s*(?:<(?:\w+:)?row r=\"|</(?:\w+:)?sheetData>))"
)
"""A row with no cells left; openpyxl yields a missing row as empty all the same."""

_ROW_FORMAT = re.compile(rb"<((?:\w+:)?row) (r=\"[0-9]+\")[^<>/]*(/?)>")
"""A row's height and style attributes, which openpyxl keeps for every formatted row."""

_MERGED = re.compile(rb"<(?:\w+:)?mergeCell ref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")
"""A merged range, such as ``<mergeCell ref="A2:A3"/>``."""


_FORMULA_WITHOUT_VALUE = re.compile(
    rb"<(?:\w+:)?c r=\"([A-Z]+)([0-9]+)\"[^<>]*>\s*"
    rb"<(?:\w+:)?f\b[^<>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*</(?:\w+:)?c>")
"""A cell holding a formula and no saved value (a workbook written by a script and never
opened in Excel): openpyxl reads it as blank, and the coordinator must be told why."""

_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)[\s>/]")

_MAX_TEXT_RUN = 256 * 1024
"""The longest run of text (or whitespace) between two tags passed on whole: a cell's
32,767 characters take at most 96 KB of UTF-8. Beyond it the rest of the run is
dropped, so that a sheet of a gigabyte of blanks reads in linear time; a cell that
long is reported as over Excel's limit all the same."""


class _TooLong:
    """A cell whose text is longer than Excel allows, standing in for the text itself."""

    def __init__(self, length: int) -> None:
        self.length = length

    def __str__(self) -> str:
        return f"(text of {self.length:,} characters)"


class _WithoutEmptyCells:
    """A worksheet's XML with its empty formatted cells left out, as it streams.

    A sheet coloured or bordered down to row 100,000 holds a ``<c>`` element for
    every formatted cell, and openpyxl builds a Python object for each; dropping
    them before the XML parser sees them reads such a sheet several times faster.
    A self-closing cell has no value, so nothing read changes. Rows left without
    cells are dropped (openpyxl yields a missing row as an empty one), and the other
    rows lose their formatting attributes, which openpyxl would otherwise keep in
    memory for each of them.
    """

    def __init__(self, source: IO[bytes], merged: list[str],
                 formulas: set[tuple[int, int]] | None = None, sheet: str = "") -> None:
        self._source = source
        self._carry = b""
        self._merged = merged
        self._formulas = formulas if formulas is not None else set()
        self._sheet = sheet
        self._row_cells = 0

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self._source.read(size if size and size > 0 else 1 << 16)
            if not chunk:
                rest, self._carry = self._carry, b""
                return self._clean(rest)
            if len(self._carry) > _MAX_TEXT_RUN and b"<" not in chunk:
                # The same run of text goes on: leave it out rather than search a buffer
                # that grows with it (that was quadratic in the run's length).
                continue
            data = self._carry + chunk
            # Keep an unfinished tag, and the tag before it (the pattern looks one
            # tag ahead), for the next chunk.
            cut = data.rfind(b"<", 0, data.rfind(b"<"))
            if cut <= 0:
                self._carry = data
                continue
            self._carry = data[cut:]
            filtered = self._clean(data[:cut])
            if filtered:
                return filtered

    def _clean(self, xml: bytes) -> bytes:
        # Merged ranges come after the rows in the XML; note them on the way past.
        self._merged.extend(ref.decode("ascii") for ref in _MERGED.findall(xml))
        for letters, number in _FORMULA_WITHOUT_VALUE.findall(xml):
            self._formulas.add((int(number), column_index_from_string(letters.decode())))
        xml = _EMPTY_ROW.sub(b"", _EMPTY_CELL.sub(b"", xml))
        self._count_cells(xml)
        return _ROW_FORMAT.sub(rb"<\1 \2\3>", xml)

    def _count_cells(self, xml: bytes) -> None:
        """Refuse a row of more cells than Excel allows (a row of 55 million cells
        would be built in memory whole before any column limit applies)."""
        for match in _ROW_OR_CELL.finditer(xml):
            if match[1] == b"row":
                self._row_cells = 0
                continue
            self._row_cells += 1
            if self._row_cells > MAX_ROW_CELLS:
                raise WorkbookError(msg("sheet.row_too_wide", sheet=self._sheet,
                                        cells=f"{MAX_ROW_CELLS:,}"))

    def close(self) -> None:
        self._source.close()

    def __enter__(self) -> _WithoutEmptyCells:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _skip_empty_cells(worksheet: object, merged: list[str],
                      formulas: set[tuple[int, int]] | None = None, sheet: str = "") -> None:
    """Make a read-only worksheet stream its XML through :class:`_WithoutEmptyCells`."""
    # openpyxl's read-only worksheet opens its part through ``_get_source`` each time
    # it iterates; wrapping that one method is the smallest hook into it. An openpyxl
    # without it reads the same values, only slower and without filling merged cells.
    original: Callable[[], IO[bytes]] | None = getattr(worksheet, "_get_source", None)
    if original is not None:
        worksheet._get_source = (  # type: ignore[attr-defined]
            lambda: _WithoutEmptyCells(original(), merged, formulas, sheet))


def _sheet_rows(worksheet: object, sheet_name: str,
                formulas: set[tuple[int, int]] | None = None
                ) -> list[tuple[int, tuple[object, ...]]]:
    """The sheet's non-blank rows, with merged cells filled in; ``formulas`` receives the
    (row, column) of every formula cell without a saved value.

    Coordinators merge a cell over the rows it applies to (one grade list beside
    both periods of a band); Excel keeps the value in the first cell only, and the
    school means it in every cell of the range.
    """
    merged: list[str] = []
    rows = list(_rows(worksheet, sheet_name, merged, formulas))
    if not merged:
        return rows
    numbers = [number for number, _ in rows]
    filled = {number: list(values) for number, values in rows}
    for ref in merged:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except ValueError:
            continue  # a damaged range is no data of ours
        first = filled.get(min_row)
        if first is None or min_col > MAX_COLUMNS:
            continue
        value = first[min_col - 1]
        start = bisect.bisect_left(numbers, min_row)
        stop = bisect.bisect_right(numbers, max_row)
        for number in numbers[start:stop]:
            cells = filled[number]
            for col in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                if cells[col - 1] is None:
                    cells[col - 1] = value
    return [(number, tuple(filled[number])) for number in numbers]


def _rows(worksheet: object, sheet_name: str, merged: list[str],
          formulas: set[tuple[int, int]] | None = None) -> Rows:
    """(Excel row number, cell values) for non-blank rows, bounded in columns; text longer
    than a cell may hold stands as :class:`_TooLong`.

    ``merged`` receives the sheet's merged ranges once the rows are read.
    """
    _skip_empty_cells(worksheet, merged, formulas, sheet_name)
    worksheet.reset_dimensions()  # type: ignore[attr-defined]  # some writers record wrong sizes
    # openpyxl yields every row from 1, filling gaps, so counting gives Excel's row numbers.
    cells = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)  # type: ignore[attr-defined]
    number = rows_read = 0
    while True:
        try:
            values = next(cells)
        except StopIteration:
            return
        except WorkbookError:
            raise
        except Exception as exc:  # damaged sheet XML surfaces only while reading it
            raise WorkbookError(msg("sheet.damaged", sheet=sheet_name, row=number,
                                    reason=type(exc).__name__)) from None
        number += 1
        # Formatted but empty rows are common (a whole sheet coloured in), and there
        # may be data after them, so they are skipped one by one, quickly.
        if values.count(None) == len(values) or all(is_blank(v) for v in values):
            continue
        rows_read += 1
        if rows_read > MAX_DATA_ROWS:
            raise WorkbookError(msg("sheet.too_many_rows", sheet=sheet_name,
                                    rows=f"{MAX_DATA_ROWS:,}", row=number))
        if any(isinstance(v, str) and len(v) > MAX_CELL_TEXT for v in values):
            values = tuple(_TooLong(len(v)) if isinstance(v, str) and len(v) > MAX_CELL_TEXT
                           else v for v in values)
        yield number, values


def _find_header(sheet: Sheet, rows: Rows) -> tuple[tuple[int, tuple[object, ...]] | None,
                                                    list[tuple[int, tuple[object, ...]]]]:
    """The header row and the data rows read past while looking for it.

    The header is the first row that names every required column; a title or a note
    above it is skipped. When no row does, the first row is taken as the header so the
    missing columns are reported on it.
    """
    required = {normalize(c.name) for c in sheet.columns if c.required}
    seen: list[tuple[int, tuple[object, ...]]] = []
    for row in rows:
        seen.append(row)
        names = {normalize(as_text(v)) for v in row[1] if not is_blank(v)}
        if required <= names:
            return row, []
        if len(seen) == HEADER_SEARCH_ROWS:
            break
    if not seen:
        return None, []
    return seen[0], seen[1:]


def _read_table(sheet: Sheet, rows: Rows, problems: list[Problem],
                formulas: set[tuple[int, int]] | None = None) -> list[Record] | None:
    """The sheet's records, or None when a required column is missing. ``formulas`` are
    the (row, column) of formula cells without a saved value."""
    formulas = formulas or set()
    header, pending = _find_header(sheet, rows)
    if header is None:
        problems.append(error(sheet.name, msg(
            "sheet.empty", columns=", ".join(c.name for c in sheet.columns if c.required))))
        return None
    header_row, names = header
    positions: dict[str, int] = {}
    extra: dict[int, str] = {}
    known = {normalize(c.name): c for c in sheet.columns}
    for pos, name in enumerate(names):
        if is_blank(name):
            continue
        column = known.get(normalize(as_text(name)))
        if column is None:
            extra[pos] = as_text(name)  # the school's own notes, unless it looks like ours
            continue
        if column.name in positions:
            problems.append(error(sheet.name, msg("column.twice", column=column.name),
                                  row=header_row, column=column.name))
            continue
        positions[column.name] = pos
    missing = [c for c in sheet.columns if c.required and c.name not in positions]
    for column in missing:
        problems.append(error(
            sheet.name, msg("column.missing", column=column.name,
                            help=column_help(sheet.name, column)), row=header_row,
            column=column.name,
        ))
    if missing:
        return None
    records = []
    lookalikes = _lookalike_columns(sheet, extra, positions)
    filled: dict[int, list[int]] = {pos: [] for pos in lookalikes}
    for number, values in _chain(pending, rows):
        for pos, numbers in filled.items():
            if pos < len(values) and not is_blank(values[pos]):
                numbers.append(number)
        raws = {name: values[pos] if pos < len(values) else None
                for name, pos in positions.items()}
        if all(is_blank(v) for v in raws.values()):
            continue  # only the school's own note columns are filled in
        parsed = {c.name: _cell(sheet.name, number, c, raws.get(c.name), problems,
                                formula=(number, positions.get(c.name, -2) + 1) in formulas)
                  for c in sheet.columns}
        records.append(Record(number, parsed))
    for pos, numbers in filled.items():
        if numbers:
            problems.append(warning(sheet.name, msg("column.ignored", why=lookalikes[pos],
                                                    rows=_row_list(numbers)),
                                    row=header_row, column=extra[pos], value=extra[pos]))
    return records


def _lookalike_columns(sheet: Sheet, extra: dict[int, str], positions: dict[str, int]
                       ) -> dict[int, Message]:
    """Position → why an extra column looks meant for the contract: ``choice6`` (only five
    choices are read) or a misspelt column the header lacks (``capcity``: its default
    applies). Other extra columns are the school's own notes, read by no one."""
    absent = {normalize(c.name): c.name for c in sheet.columns if c.name not in positions}
    reasons: dict[int, Message] = {}
    for pos, name in extra.items():
        key = normalize(name)
        number = re.fullmatch(r"choice_?(\d+)", key)
        if number and sheet is contract.STUDENTS and int(number[1]) > 5:
            reasons[pos] = msg("column.choice6", column=name)
            continue
        close = difflib.get_close_matches(key, list(absent), n=1, cutoff=0.8)
        if close:
            meant = sheet.column(absent[close[0]])
            reasons[pos] = msg("column.lookalike", column=name, meant=meant.name,
                               means=_absent_means(meant))
    return reasons


def _absent_means(column: Column) -> Message:
    if column.default is None:
        return msg("column.absent_blank", column=column.name)
    return msg("column.absent_default", column=column.name, default=column.default)


def _row_list(numbers: list[int]) -> str:
    return ", ".join(map(str, numbers[:5])) + (" …" if len(numbers) > 5 else "")


def _chain(first: list[tuple[int, tuple[object, ...]]], rest: Rows) -> Rows:
    yield from first
    yield from rest


def _cell(sheet: str, row: int, column: Column, raw: object, problems: list[Problem],
          *, where: str | None = None, formula: bool = False) -> object:
    """Parse one cell, recording its problem. ``where`` names the column if not the field's;
    ``formula``: the cell holds a formula without a saved value."""
    label = where or column.name

    def said(key: str, **fields: object) -> Message:
        # On the School sheet the key column names the setting: say which one.
        said = msg(key, **fields)
        return said if where is None else msg("cell.of_key", key=column.name, said=said)

    if isinstance(raw, _TooLong):
        problems.append(error(sheet, said("cell.too_long", length=f"{raw.length:,}",
                                          most=f"{MAX_CELL_TEXT:,}",
                                          expected=_expects(sheet, column)),
                              row=row, column=label, value=str(raw)))
        return BAD
    if is_blank(raw) and formula:
        return _formula_without_value(sheet, row, column, label, said, problems)
    if is_blank(raw):
        if column.required:
            problems.append(error(sheet, said("cell.required", expected=_expects(sheet, column)),
                                  row=row, column=label))
        return _default(column)
    if isinstance(raw, str) and raw.strip().upper() in EXCEL_ERRORS:
        problems.append(error(sheet, said("cell.excel_error", error=raw.strip(),
                                          expected=_expects(sheet, column)),
                              row=row, column=label, value=raw.strip()))
        return BAD
    try:
        parsed = parse_cell(column, raw)
    except ParseError as exc:
        problems.append(error(sheet, said("cell.expected", expected=exc.expected), row=row,
                              column=label, value=as_text(raw)))
        return BAD
    if column.kind is Kind.MONEY and has_fractions_of_a_fen(raw):
        problems.append(warning(sheet, said("cell.fractions_of_a_fen",
                                            yuan=_yuan_text(parsed)), row=row,
                                column=label, value=as_text(raw)))
    return parsed


def _yuan_text(fen: object) -> str:
    return f"{fen // 100}.{fen % 100:02d}" if isinstance(fen, int) else as_text(fen)


FORMULA_WITHOUT_VALUE = say("cell.formula")
"""The English words for a formula cell without a saved value (tests quote them)."""


def _formula_without_value(sheet: str, row: int, column: Column, label: str,
                           said: Callable[..., Message], problems: list[Problem]) -> object:
    """A formula cell nobody calculated: an error where the value is needed to schedule,
    else a warning and the column's default (a student's name: the prints show the id)."""
    if column.required:
        problems.append(error(sheet, said("cell.formula_required", formula=msg("cell.formula"),
                                          expected=_expects(sheet, column)),
                              row=row, column=label))
        return BAD
    problems.append(warning(sheet, said("cell.formula_blank", formula=msg("cell.formula"),
                                 means=_blank_means(sheet, column)),
                            row=row, column=label))
    return _default(column)


def _blank_means(sheet: str, column: Column) -> Message:
    if sheet == contract.STUDENTS.name and column.name == "name":
        return msg("blank.student_name")
    if column.default is None:
        return msg("blank.empty")
    return msg("blank.default", default=column.default)


def _expects(sheet: str, column: Column) -> Message:
    """What a cell of ``column`` should hold, with the contract's help, in a few words."""
    if column.kind is Kind.CHOICE:
        kind = msg("expect.one_of", choices=", ".join(column.choices))
    else:
        kind = msg(f"kind.{column.kind.value}")
    return msg("expect.with_help", kind=kind, help=column_help(sheet, column))


def _default(column: Column) -> object:
    if column.default is None:
        return None
    if column.kind is Kind.TIME:
        return parse_time(str(column.default))
    return parse_cell(column, column.default)


def _read_key_values(rows: Rows, key_rows: dict[str, int], problems: list[Problem]
                     ) -> list[Record]:
    """The School sheet: one setting per row, its key and its value.

    The key and value columns are found by a ``key``/``value`` header when there is
    one, else they are the first two columns.
    """
    sheet = contract.SCHOOL
    known = {normalize(c.name): c for c in sheet.columns}
    values: dict[str, object] = {}
    for number, key, raw in _key_value_rows(rows, key_rows):
        if is_blank(key):
            problems.append(warning(sheet.name, msg(
                "school.value_without_key", keys=", ".join(c.name for c in sheet.columns[:4])),
                row=number, column="key", value=as_text(raw)))
            continue
        column = known.get(normalize(as_text(key)))
        if column is None:
            problems.append(warning(sheet.name, msg(
                "school.unknown_key", keys=", ".join(c.name for c in sheet.columns)),
                row=number, column="key", value=as_text(key)))
            continue
        if column.name in key_rows:
            problems.append(error(sheet.name, msg("school.key_twice", key=column.name,
                                                  row=key_rows[column.name]),
                                  row=number, column="key", value=column.name))
            continue
        key_rows[column.name] = number
        if is_blank(raw) and column.required:
            _cell(sheet.name, number, column, raw, problems, where="value")
            values[column.name] = None
        elif not is_blank(raw):
            values[column.name] = _cell(sheet.name, number, column, raw, problems,
                                        where="value")
    for column in sheet.columns:
        if column.name in key_rows:
            continue
        if column.required:
            problems.append(error(sheet.name, msg("school.key_missing", key=column.name,
                                                  help=column_help(sheet.name, column)),
                                  column="key", value=column.name))
        values[column.name] = _default(column)
    for column in sheet.columns:
        values.setdefault(column.name, _default(column))
    return [Record(key_rows.get("name", 1), values)]


# --- records → school ----------------------------------------------------------

@dataclass
class _Building:
    """What building the school gathers beside it: the problems, and where each part came
    from (for :class:`Origin`)."""

    tables: Tables
    problems: list[Problem]
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    broken: set[tuple[str, str]] = field(default_factory=set)
    incomplete: set[str] = field(default_factory=set)
    choice_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    said: set[tuple[str, int | None, str | None]] = field(default_factory=set)
    """The cells spoken of before any entity was built: a student's blank name said there
    already is not warned of again."""

    def origin(self) -> Origin:
        return Origin(rows=self.rows, broken=frozenset(self.broken),
                      incomplete=frozenset(self.incomplete),
                      unreadable=frozenset(self.tables.unreadable),
                      choice_columns=self.choice_columns)


def _build_school(tables: Tables, problems: list[Problem]) -> tuple[School, Origin]:
    """The school, built from every row that could be read, and where each part came from.

    When the School sheet's settings could not be read the school is built on
    stand-ins (``Origin.incomplete`` names the School sheet): good enough to check
    the other sheets, never to solve.
    """
    building = _Building(tables, problems, incomplete=set(tables.unreadable), rows={
        (contract.SCHOOL.name, key): row for key, row in tables.key_rows.items()})
    info = _settings(building)
    periods = _periods(building)
    building.said = {(p.sheet, p.row, p.column) for p in problems}
    builders: tuple[tuple[Sheet, Callable[[Record], object]], ...] = (
        (contract.ACTIVITIES, _activity),
        (contract.ROOMS, _room),
        (contract.STAFF, _staff),
        (contract.VENDORS, _vendor),
        (contract.STUDENTS, _student),
    )
    built = {sheet.name: _entities(building, sheet, make) for sheet, make in builders}
    school = School(
        info=info,
        periods=periods,
        activities=built[contract.ACTIVITIES.name],  # type: ignore[arg-type]
        rooms=built[contract.ROOMS.name],  # type: ignore[arg-type]
        staff=built[contract.STAFF.name],  # type: ignore[arg-type]
        vendors=built[contract.VENDORS.name],  # type: ignore[arg-type]
        students=built[contract.STUDENTS.name],  # type: ignore[arg-type]
        settings=tables.settings,
    )
    return school, building.origin()


def _settings(building: _Building) -> SchoolInfo:
    """The School sheet's settings; stand-ins when they cannot be read, the sheet then
    incomplete and each unreadable or missing key broken."""
    school_records = building.tables.records.get(contract.SCHOOL.name, [])
    info, real = _build_info(school_records, building.problems)
    if not real:
        building.incomplete.add(contract.SCHOOL.name)
        settings = school_records[0].values if school_records else {}
        building.broken.update(
            (contract.SCHOOL.name, c.name) for c in contract.SCHOOL.columns
            if settings.get(c.name) is BAD or (c.required and settings.get(c.name) is None)
        )
    return info


def _periods(building: _Building) -> tuple[PeriodRow, ...]:
    """The Periods rows that could be read, each found by its index in the school."""
    periods: list[PeriodRow] = []
    for record in building.tables.records.get(contract.PERIODS.name, []):
        period = _build_period(record, building.problems)
        if period is None:
            building.incomplete.add(contract.PERIODS.name)
            continue
        building.rows[contract.PERIODS.name, str(len(periods))] = record.row
        periods.append(period)
    return tuple(periods)


def _entities(building: _Building, sheet: Sheet, make: Callable[[Record], object]
              ) -> tuple[object, ...]:
    """The entities of one sheet, a row each; a row that cannot be built is left out, said,
    and its sheet marked incomplete."""
    entities = []
    for record in building.tables.records.get(sheet.name, []):
        entity_id = record["id"]
        if entity_id is None or entity_id is BAD:
            building.incomplete.add(sheet.name)
            continue
        key = (sheet.name, str(entity_id))
        if key in building.rows:
            building.problems.append(error(
                sheet.name, msg("row.duplicate_id", id=entity_id, row=building.rows[key]),
                row=record.row, column="id", value=entity_id))
            continue
        building.rows[key] = record.row
        entity = _entity(building, sheet, make, record)
        if entity is None:
            building.broken.add(key)
            building.incomplete.add(sheet.name)
            continue
        entities.append(entity)
        if sheet is contract.STUDENTS:
            _student_columns(building, record)
    return tuple(entities)


def _entity(building: _Building, sheet: Sheet, make: Callable[[Record], object],
            record: Record) -> object | None:
    """One row's entity; None for a row with a problem (said here when the entity itself
    objects, already said when a cell could not be read)."""
    if _incomplete(sheet, record):
        return None
    try:
        return make(record)
    except ValueError as exc:
        column = exc.args[1] if len(exc.args) > 1 else None
        said = exc.args[0]
        building.problems.append(error(
            sheet.name, said if isinstance(said, Message) else str(said), row=record.row,
            column=column, value=record[column] if column else None))
        return None


def _student_columns(building: _Building, record: Record) -> None:
    """A student's row beyond the entity: a blank name warned of, and which column holds
    each choice (a blank choice column moves the later ones up a rank)."""
    name_said = (contract.STUDENTS.name, record.row, "name") in building.said
    if record["name"] in (None, "") and not name_said:
        building.problems.append(warning(contract.STUDENTS.name, msg("student.no_name"),
                                         row=record.row, column="name", value=record["id"]))
    columns = tuple(f"choice{k}" for k in range(1, 6) if record[f"choice{k}"] is not None)
    building.choice_columns[str(record["id"])] = columns
    building.problems.extend(_shifted_choices(record, columns))


def _shifted_choices(record: Record, columns: tuple[str, ...]) -> Iterator[Problem]:
    """A blank choice column before a filled one moves the later choices up a rank (choice2
    counts as the first choice when choice1 is blank): said once, at the first moved."""
    for rank, column in enumerate(columns, start=1):
        if column != f"choice{rank}":
            yield warning(contract.STUDENTS.name, msg("student.choice_gap", rank=rank),
                          row=record.row, column=column, value=record[column])
            return


def _incomplete(sheet: Sheet, record: Record) -> bool:
    """A row with an unreadable cell or a blank required one (both already reported)."""
    return any(
        record[c.name] is BAD or (c.required and record[c.name] is None) for c in sheet.columns
    )


_PLACEHOLDERS: dict[str, object] = {
    "name": "(school name unreadable)", "type": "public", "term_start": dt.date(2000, 1, 1),
    "term_end": dt.date(2000, 1, 1), "enrolled": 1,
}
"""Stand-ins for School settings that could not be read, so that the other sheets
can still be checked and every problem is reported at once. Checks that depend on
the settings themselves are skipped (the School sheet is marked incomplete)."""


def _build_info(records: list[Record], problems: list[Problem]) -> tuple[SchoolInfo, bool]:
    """The School sheet's settings, and whether they are real (False: stand-ins)."""
    values = dict(records[0].values) if records else {}
    real = bool(records)
    for column in contract.SCHOOL.columns:
        value = values.get(column.name)
        if value is BAD or (value is None and column.required):
            real = False
            values[column.name] = _PLACEHOLDERS.get(column.name, _default(column))
        elif value is None:
            values[column.name] = _default(column)
    if real:
        try:
            return _school_info(values), True
        except ValueError as exc:
            problems.append(error(contract.SCHOOL.name, msg("school.invalid", reason=str(exc))))
    return _school_info({**values, **_PLACEHOLDERS}), False


def _school_info(v: dict[str, object]) -> SchoolInfo:
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


def _build_period(record: Record, problems: list[Problem]) -> PeriodRow | None:
    if _incomplete(contract.PERIODS, record):
        return None  # already reported as a missing or unreadable value
    start, end = record["start"], record["end"]
    if end <= start:  # type: ignore[operator]
        problems.append(error(contract.PERIODS.name, msg("period.ends_before_start"),
                              row=record.row, column="end", value=as_text(_clock(end))))
        return None
    return PeriodRow(
        grades=record["grades"],  # type: ignore[arg-type]
        day=None if record["day"] == "all" else record["day"],  # type: ignore[arg-type]
        period=record["period"],  # type: ignore[arg-type]
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
    )


def _clock(minutes: object) -> str:
    return format_time(minutes) if isinstance(minutes, int) else as_text(minutes)


def _text(record: Record, name: str) -> str | None:
    value = record[name]
    return None if value in (None, "") else str(value)


def _activity(r: Record) -> Activity:
    category = str(r["category"])
    provider = _text(r, "provider")
    max_sections = r["max_sections"]
    if max_sections is None and category != "study":
        max_sections = 1
    min_size = int(r["min_size"]) if r["min_size"] is not None else 1  # type: ignore[call-overload]
    if r["max_size"] is not None and r["max_size"] < max(min_size, 1):  # type: ignore[operator]
        raise ValueError(msg("activity.max_below_min", max_size=r["max_size"],
                             min_size=min_size), "max_size")
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
    # A comma list, in whichever commas the coordinator's input method types.
    skills = frozenset(
        s.strip().lower() for s in re.split(r"[,，、;；]", str(r["skills"] or "")) if s.strip()
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
    return Student(
        id=str(r["id"]),
        # Not needed to schedule: without one the prints show the id (warned).
        name=_text(r, "name") or str(r["id"]),
        grade=r["grade"],  # type: ignore[arg-type]
        class_name=str(r["class"]),
        days=r["days"] or frozenset(),  # type: ignore[arg-type]
        stay=r["stay"],  # type: ignore[arg-type]
        wants=r["wants"],  # type: ignore[arg-type]
        choices=tuple(str(r[f"choice{k}"]) for k in range(1, 6) if r[f"choice{k}"] is not None),
        priority=r["priority"],  # type: ignore[arg-type]
    )
