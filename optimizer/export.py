"""The output workbook: the contract's Sections and Assignments sheets, and a Summary."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from models.atomic import atomic_path
from models.check import CheckReport, check
from models.schedule_io import schedule_frames
from models.school import School, yuan
from optimizer.rules import GOALS
from optimizer.solve import Result

BOLD = Font(bold=True)


def write_schedule(path: str | Path, school: School, result: Result,
                   report: CheckReport | None = None) -> Path:
    """Write the schedule workbook atomically; return its path."""
    if result.schedule is None:
        raise ValueError("there is no schedule to write")
    report = report or check(school, result.schedule, seed=result.seed)
    frames = schedule_frames(school, result.schedule)
    workbook = openpyxl.Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Summary"
    _summary(summary, school, result, report)
    for name in ("Sections", "Assignments"):
        sheet = workbook.create_sheet(name)
        rows = frames[name]
        columns = list(rows[0].keys()) if rows else _columns(name)
        _write_rows(sheet, columns, [[row[c] for c in columns] for row in rows])
    with atomic_path(path) as temporary:
        workbook.save(temporary)
        if result.params.deterministic:
            _freeze_timestamps(temporary)
    return Path(path)


FIXED_TIME = "2000-01-01T00:00:00Z"


def _freeze_timestamps(path: Path) -> None:
    """Same input and seed, same bytes: pin the zip entry dates and the document
    properties' created/modified times, the only parts of an .xlsx that vary by clock."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + FIXED_TIME.encode(), data)
            frozen = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            frozen.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(frozen, data)


def _columns(name: str) -> list[str]:
    from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS

    return list(SECTIONS_COLUMNS if name == "Sections" else ASSIGNMENTS_COLUMNS)


def _write_rows(sheet: Worksheet, header: list[str], rows: list[list[object]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(row)
    # Text from the input (names, ids) is never a formula: force string cells.
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@", "\t"):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for idx, column in enumerate(header, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(idx)].width = max(
            10, len(column) + 2)


def _summary(sheet: Worksheet, school: School, result: Result, report: CheckReport) -> None:
    kpis = report.kpis
    rows: list[tuple[str, object]] = [
        ("school", school.info.name),
        ("solver status", result.status.value),
        ("interrupted by user", "yes" if result.interrupted else "no"),
        # A deterministic run's file must not depend on the clock.
        ("solve time (s)", "-" if result.params.deterministic else round(result.wall_time, 1)),
        ("seed", result.seed),
        ("deterministic", "yes" if result.params.deterministic else "no"),
        ("checker", "all hard rules kept" if report.ok else
         f"{len(report.violations)} violations"),
    ]
    for key, value in kpis.items():
        rows.append((key.replace("_", " "), round(value, 4) if isinstance(value, float)
                     else value))
    rows.append(("term budget (yuan)", yuan(school.info.term_budget)))
    sheet.append(["item", "value"])
    for row in rows:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["goal", "value", "bound", "gap", "meaning"])
    header_row = sheet.max_row
    for name, goal in GOALS.items():
        value = result.goal_values.get(name)
        bound = result.bounds.get(name)
        gap = result.gap(name)
        sheet.append([name, value, bound, None if gap is None else round(gap, 4), goal.label])
    for cell in (*sheet[1], *sheet[header_row]):
        cell.font = BOLD
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["E"].width = 44
