"""``write_report``: the output workbook a coordinator runs the term from.

Sheets, in order: Summary, Changes (only when a previous schedule is given), Timetable,
Rosters, Class lists, Students, Staff, Rooms, Budget, Unmet, Warnings (named in the
report's language), then the
contract's Sections and Assignments (named and laid out exactly as the contract
says, whatever the language), then the hidden ``Print data`` that ``schedule
print`` reads. The file is written to a temporary file and moved into place.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from models.atomic import atomic_path
from models.check import CheckReport, check
from models.contract import ASSIGNMENTS_COLUMNS, LOCK_COLUMN, LOCK_PARTS, SECTIONS_COLUMNS
from models.schedule import Schedule
from models.schedule_io import ASSIGNMENTS_SHEET, SECTIONS_SHEET, schedule_frames
from models.school import School
from optimizer.outputs.report import sheets
from optimizer.outputs.report.book import PrintBook, print_book, write_print_sheet
from optimizer.outputs.report.changes import changes_sheet, changes_view
from optimizer.outputs.report.labels import Labels, resolve_language
from optimizer.outputs.report.reasons import ReasonFinder, sort_unmet, unmet_students
from optimizer.outputs.report.redact import redact_school
from optimizer.outputs.report.safe import put
from optimizer.outputs.report.views import budget, spots

if TYPE_CHECKING:
    from optimizer.search.result import Result

log = logging.getLogger(__name__)

FIXED_TIME = "2000-01-01T00:00:00Z"


def write_report(path: str | Path, school: School, schedule: Schedule, *,
                 result: Result | None = None, report: CheckReport | None = None,
                 lang: str | None = None, redact: bool = False,
                 seed: int | None = None, deterministic: bool | None = None,
                 book: PrintBook | None = None, previous: Schedule | None = None,
                 raised: tuple[str, ...] | None = None) -> Path:
    """Write the whole output workbook atomically; return its path.

    ``result`` (from a solve) adds the solver's facts to the Summary and gives
    the lottery seed; without it, ``seed`` (if known) serves the Unmet reasons.
    ``lang`` is ``en`` or ``zh`` (default: the School sheet's language, else
    English). ``redact`` replaces every student name by a stable pseudonym in
    every sheet, including the hidden print data. ``deterministic`` pins the
    file's timestamps (default: the solve's own setting) so the same schedule
    gives the same bytes. ``book`` is :func:`print_book`'s views of the same schedule,
    language and redaction, when the caller built them already (for its PDFs).
    ``previous`` (the schedule this one replaces) adds the Changes sheet: every child,
    staff member and section that changed, named as redaction allows. ``raised``
    (the students ``solve --previous`` raised for last term) adds their numbers to the
    Summary.
    """
    language = resolve_language(lang, school)
    if result is not None:
        seed = result.seed if seed is None else seed
        deterministic = result.params.deterministic if deterministic is None else deterministic
    shown = redact_school(school) if redact else school
    ctx = sheets.Context(school=shown, labels=Labels(language), redacted=redact)
    workbook = openpyxl.Workbook()
    _front_sheets(workbook, ctx, schedule, report or check(school, schedule, seed=seed),
                  _facts(result, raised), previous)
    # The rosters, class lists and staff views are built once, for the sheets and the
    # print data alike.
    book = book or print_book(school, schedule, lang=language, redact=redact)
    unmet = _term_sheets(workbook, ctx, schedule, book, seed)
    _contract_sheets(workbook, ctx, schedule)
    write_print_sheet(workbook, book)
    with atomic_path(path) as temporary:
        workbook.save(temporary)
        if deterministic:
            freeze_timestamps(temporary)
    log.info("wrote the report workbook (%s, %d sections, %d unmet students%s)", language,
             len(schedule.sections), unmet, ", redacted" if redact else "")
    return Path(path)


def _front_sheets(workbook: openpyxl.Workbook, ctx: sheets.Context, schedule: Schedule,
                  report: CheckReport, facts: sheets.SolveFacts | None,
                  previous: Schedule | None) -> None:
    """The Summary, on the workbook's first sheet, and the Changes since ``previous``."""
    summary = workbook.active
    assert summary is not None
    summary.title = ctx.labels.sheet("summary")
    sheets.summary_sheet(summary, ctx, schedule, report, facts)
    if previous is not None:
        view = changes_view(previous, schedule, ctx.school, ctx.labels)
        changes_sheet(workbook.create_sheet(ctx.labels.sheet("changes")), ctx, view)


def _term_sheets(workbook: openpyxl.Workbook, ctx: sheets.Context, schedule: Schedule,
                 book: PrintBook, seed: int | None) -> int:
    """The sheets a coordinator runs the term from, one call each in the order they
    appear: Timetable to Warnings. Returns the number of children in Unmet."""
    def new(name: str) -> Worksheet:
        return workbook.create_sheet(ctx.labels.sheet(name))

    shown = ctx.school
    sheets.timetable_sheet(new("timetable"), ctx, list(book.rosters))
    sheets.rosters_sheet(new("rosters"), ctx, list(book.rosters))
    sheets.classes_sheet(new("classes"), ctx, list(book.classes))
    sheets.students_sheet(new("students"), ctx, schedule, spots(shown, schedule),
                          ReasonFinder(shown, schedule, seed))
    sheets.staff_sheet(new("staff"), ctx, list(book.staff))
    sheets.rooms_sheet(new("rooms"), ctx, schedule)
    sheets.budget_sheet(new("budget"), ctx, budget(shown, schedule))
    unmet = sort_unmet(unmet_students(shown, schedule, seed))
    sheets.unmet_sheet(new("unmet"), ctx, unmet)
    sheets.warnings_sheet(new("warnings"), ctx, shown.warnings)
    return len(unmet)


def _contract_sheets(workbook: openpyxl.Workbook, ctx: sheets.Context,
                     schedule: Schedule) -> None:
    """Sections and Assignments, named and laid out as the contract says in any language."""
    frames = schedule_frames(ctx.school, schedule)
    for name, columns in ((SECTIONS_SHEET, SECTIONS_COLUMNS),
                          (ASSIGNMENTS_SHEET, ASSIGNMENTS_COLUMNS)):
        _contract_sheet(workbook.create_sheet(name), list(columns), frames[name], ctx)


def _facts(result: Result | None, raised: tuple[str, ...] | None = None
           ) -> sheets.SolveFacts | None:
    if result is None:
        return None
    levels = tuple(name for level in result.params.levels for name, _ in level)
    return sheets.SolveFacts(
        status=result.status.value, interrupted=result.interrupted,
        wall_time=result.wall_time, seed=result.seed,
        deterministic=result.params.deterministic, goal_values=dict(result.goal_values),
        bounds=dict(result.bounds), gaps={name: result.gap(name) for name in levels},
        levels=levels, raised=raised,
        # only ever of the constructive schedule (solve._search_from)
        source="constructive_no_time" if result.no_time_to_search else result.source)


def _contract_sheet(sheet: Worksheet, columns: list[str], rows: list[dict[str, object]],
                    ctx: sheets.Context) -> None:
    """A contract sheet exactly as the contract names it: header row, then the rows."""
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        put(cell, column)
        cell.font = bold
    sheets.contract_sheet_setup(sheet, ctx, [max(10, len(c) + 2) for c in columns])
    for row_index, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            put(sheet.cell(row=row_index, column=index), row[column])
    if LOCK_COLUMN in columns:
        _lock_choices(sheet, get_column_letter(columns.index(LOCK_COLUMN) + 1),
                      meeting="section" in columns and "student" not in columns)
    sheet.freeze_panes = "A2"


def _lock_choices(sheet: Worksheet, letter: str, *, meeting: bool) -> None:
    """The lock column offers its words (docs/workbook.md, "Locks"), and suggests only: a
    comma list such as "time, room" is read too, and the reader says what it cannot."""
    words = ("yes", *LOCK_PARTS) if meeting else ("yes",)
    validation = DataValidation(type="list", formula1='"' + ",".join(words) + '"',
                                allow_blank=True)
    validation.showErrorMessage = False
    validation.promptTitle = LOCK_COLUMN
    validation.prompt = ("For schedule resolve: keep this meeting's time, room or staff (or yes "
                         "for all)" if meeting else "For schedule resolve: yes keeps this "
                         "child in this section")
    validation.showInputMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{max(sheet.max_row, 2)}")


def freeze_timestamps(path: Path) -> None:
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
