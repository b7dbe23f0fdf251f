"""The Changes sheet and PDF: what changed since the previous schedule, for the letters home.

:func:`models.changes.compare` finds the changes; :func:`changes_view` puts them in
words once (counts at the top, then children day by day, staff, sections), and the
sheet, the PDF and ``schedule diff`` all show that view, so they say the same. A
child is named only through the school given: a redacted school gives pseudonyms,
and without a school only ids are shown.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, Table

from models.atomic import atomic_path
from models.changes import (
    CLOSED,
    Changes,
    ChildChange,
    Duty,
    SectionChange,
    StaffChange,
    Stop,
    compare,
)
from models.schedule import Meeting, Schedule
from models.school import School
from optimizer.outputs.report import sheets
from optimizer.outputs.report.fonts import Fonts
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.pdf import (
    BOTTOM,
    GRID,
    LANDSCAPE,
    MARGIN,
    SMALLEST,
    TOP,
    WIDE_WIDTH,
    _numbered_canvas,
    _Styles,
)
from optimizer.outputs.report.views import section_letters

log = logging.getLogger(__name__)

BEFORE, AFTER = 0, 1
"""Which schedule a section's letter is taken from."""


COLUMNS = (11.0, 12.0, 7.0, 9.0, 6.0, 36.0, 36.0)
"""The sheet's columns (characters): the children's table's. The other tables span them,
so their before and after stand under the children's before and after."""

Span = tuple[int, int]
"""First and last grid column (1-based) a cell covers."""

ONE_EACH: tuple[Span, ...] = tuple((i, i) for i in range(1, len(COLUMNS) + 1))
STAFF_SPANS: tuple[Span, ...] = ((1, 1), (2, 5), (6, 6), (7, 7))
SECTION_SPANS: tuple[Span, ...] = ((1, 1), (2, 3), (4, 5), (6, 6), (7, 7))
COUNT_SPANS: tuple[Span, ...] = ((1, 5), (6, 6))


def span_width(span: Span) -> float:
    return sum(COLUMNS[span[0] - 1:span[1]])


@dataclass(frozen=True)
class ChangeTable:
    """One block of the report: its title, column heads, rows of text, and the grid
    columns each of its cells spans."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class ChangesView:
    changes: Changes
    counts: tuple[tuple[str, int], ...]
    tables: tuple[ChangeTable, ...]

    @property
    def none(self) -> bool:
        return self.changes.none


def changes_view(before: Schedule, after: Schedule, school: School | None, labels: Labels
                 ) -> ChangesView:
    """What changed from ``before`` to ``after``, in words. ``school`` (redacted, for a
    redacted report) names the children, activities, rooms and staff, and a section is
    called as every report calls it ("Chess B", by its letter in its own schedule);
    without a school, ids and section codes are shown."""
    changes = compare(before, after)
    words = _Words(school, labels, before, after)
    L = labels
    counts = tuple((L(f"changes.count.{name}"), number)
                   for name, number in changes.counts.items())
    tables = (
        ChangeTable(L("changes.children"),
                    (L("student_id"), L("name"), L("class"), L("changes.how"), L("day"),
                     L("changes.before"), L("changes.after")),
                    tuple(row for child in changes.children for row in words.child(child)),
                    ONE_EACH),
        ChangeTable(L("changes.staff"),
                    (L("id"), L("name"), L("changes.dropped"), L("changes.added")),
                    tuple(words.staff(person) for person in changes.staff),
                    STAFF_SPANS),
        # The section's code shows here once, to find it on the Sections sheet.
        ChangeTable(L("changes.sections"),
                    (L("section"), L("activity"), L("changes.what"), L("changes.before"),
                     L("changes.after")),
                    tuple(words.section(section) for section in changes.sections),
                    SECTION_SPANS),
    )
    return ChangesView(changes=changes, counts=counts, tables=tables)


class _Words:
    """How one change reads, in the report's language and with the school's names."""

    def __init__(self, school: School | None, labels: Labels, before: Schedule,
                 after: Schedule) -> None:
        self.school, self.L = school, labels
        # A section's letter is its own schedule's: "Chess B" may be another section's
        # name in the other one.
        self.letters = ({} if school is None else section_letters(school, before.sections),
                        {} if school is None else section_letters(school, after.sections))

    def activity(self, activity_id: str) -> str:
        activity = self.school.activity_by_id.get(activity_id) if self.school else None
        return activity.name if activity is not None else activity_id

    def section_name(self, section_id: str, activity_id: str, side: int) -> str:
        """"Chess B" with a school; "CHESS (CHESS-1b)" without one."""
        if self.school is None:
            return f"{activity_id} ({section_id})"
        return self.L.section(self.activity(activity_id), self.letters[side].get(section_id, ""))

    def room(self, room_id: str) -> str:
        room = self.school.room_by_id.get(room_id) if self.school else None
        return room.name if room is not None else room_id

    def person(self, staff_id: str) -> str:
        person = self.school.staff_by_id.get(staff_id) if self.school else None
        return person.name if person is not None else staff_id

    def stops(self, stops: tuple[Stop, ...], side: int) -> str:
        if not stops:
            return self.L("not_here")
        return "\n".join(self.L("changes.stop", period=self.L("period_n", period=s.period),
                                activity=self.section_name(s.section_id, s.activity_id, side),
                                time=self.L.span(s.start, s.end)) for s in stops)

    def child(self, child: ChildChange) -> list[tuple[str, ...]]:
        student = self.school.student_by_id.get(child.student_id) if self.school else None
        name = student.name if student is not None else ""
        class_name = student.class_name if student is not None else ""
        how = self.L(f"changes.kind.{child.kind}")
        return [(child.student_id, name, class_name, how, self.L.day(day.day),
                 self.stops(day.before, BEFORE), self.stops(day.after, AFTER))
                for day in child.days]

    def duties(self, duties: tuple[Duty, ...], side: int) -> str:
        return "\n".join(self.L("changes.duty", day=self.L.day(d.day),
                                time=self.L.span(d.start, d.end),
                                activity=self.section_name(d.section_id, d.activity_id, side),
                                room=self.room(d.room_id)) for d in duties) or self.L("not_here")

    def staff(self, change: StaffChange) -> tuple[str, ...]:
        return (change.staff_id, self.person(change.staff_id),
                self.duties(change.dropped, BEFORE), self.duties(change.added, AFTER))

    def meetings(self, meetings: tuple[Meeting, ...]) -> str:
        return "\n".join(self.L("changes.meeting", day=self.L.day(m.day),
                                time=self.L.span(m.start, m.end), room=self.room(m.room_id),
                                staff=self.L("list_sep").join(self.person(i)
                                                              for i in m.staff_ids))
                         for m in meetings) or self.L("not_here")

    def section(self, change: SectionChange) -> tuple[str, ...]:
        what = self.L("list_sep").join(self.L(f"changes.what.{w}") for w in change.what)
        side = BEFORE if change.what == (CLOSED,) else AFTER
        name = (self.section_name(change.section_id, change.activity_id, side)
                if self.school is not None else change.activity_id)
        return (change.section_id, name, what, self.meetings(change.before),
                self.meetings(change.after))


# --- the sheet ------------------------------------------------------------------------

def changes_sheet(sheet: Worksheet, ctx: sheets.Context, view: ChangesView) -> None:
    """The counts, then one table each for children (a row per changed day), staff and
    sections; each table's head repeats on a page it runs on to."""
    L = ctx.labels
    paper = sheets.laid_out(sheet, COLUMNS, landscape=True)
    w = sheets.Writer(sheet, paper)
    w.title(f"{L('changes.title')} · {ctx.school.info.name}")
    w.skip()
    _spanned(w, [L("item"), L("value")], COUNT_SPANS, header=True)
    for label, number in view.counts:
        _spanned(w, [label, number], COUNT_SPANS)
    if view.none:
        w.skip()
        w.line([L("changes.none")], font=sheets.NOTE)
    for table in view.tables:
        if not table.rows:
            continue
        w.skip()
        w.keep(sheets.row_height(sheets.BLOCK_TITLE) + 30 + 3 * 15)
        w.title(table.title, font=sheets.BLOCK_TITLE)

        def head(table: ChangeTable = table) -> None:
            _spanned(w, list(table.header), table.spans, header=True)

        head()
        w.continued = head
        for row in table.rows:
            _spanned(w, list(row), table.spans)
        w.continued = None
    sheets.page_setup(sheet, ctx, L("sheet.changes"), paper)


def _spanned(w: sheets.Writer, values: Sequence[object], spans: Sequence[Span], *,
             header: bool = False) -> None:
    """One row whose cells cover the grid columns of ``spans``, as tall as its longest
    text needs (spreadsheets do not grow a row for wrapped text written here)."""
    cells: list[object] = [None] * len(COLUMNS)
    for value, (first, _last) in zip(values, spans, strict=True):
        cells[first - 1] = value
    lines = max(sheets.text_lines(str(value), span_width(span))
                for value, span in zip(values, spans, strict=True))
    if header:
        row = w.header(cells, height=max(30.0, 15.0 * lines))  # type: ignore[arg-type]
    else:
        row = w.line(cells, border=True, align=sheets.WRAP, height=15.0 * lines)
    for first, last in spans:
        if last > first:
            w.sheet.merge_cells(start_row=row, start_column=first, end_row=row,
                                end_column=last)


# --- the PDF --------------------------------------------------------------------------

def write_changes_pdf(path: str | Path, view: ChangesView, labels: Labels, *,
                      school_name: str, term: str, redacted: bool,
                      font: str | Path | None = None) -> Path:
    """The same report as the sheet, A4 landscape, atomically; ``term`` heads each page."""
    fonts = Fonts(font)
    styles = _Styles(fonts)
    story: list[Flowable] = [styles.p(f"{labels('changes.title')} · {school_name}",
                                      styles.title)]
    story.append(_grid([[_cell(styles, label), _cell(styles, number)]
                        for label, number in view.counts],
                       [80 * mm, 25 * mm], styles, [labels("item"), labels("value")]))
    if view.none:
        story += [Spacer(1, 4 * mm), styles.p(labels("changes.none"), styles.body)]
    for table in view.tables:
        if not table.rows:
            continue
        total = sum(COLUMNS)
        widths = [WIDE_WIDTH * span_width(span) / total for span in table.spans]
        story += [Spacer(1, 5 * mm), styles.p(table.title, styles.person),
                  _grid([[_cell(styles, text) for text in row] for row in table.rows],
                        widths, styles, list(table.header))]

    def furniture(canvas: Canvas, number: int, total: int) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        fonts.draw(canvas, MARGIN, height - 9 * mm, labels("sheet.changes"), 8)
        fonts.draw(canvas, width / 2, height - 9 * mm, school_name, 8, align="center")
        fonts.draw(canvas, width - MARGIN, height - 9 * mm, term, 8, align="right")
        fonts.draw(canvas, width / 2, 8 * mm, labels("page_x_of_y", page=number, pages=total),
                   8, align="center")
        if redacted:
            fonts.draw(canvas, MARGIN, 8 * mm, labels("redacted_note"), SMALLEST)
        canvas.restoreState()

    with atomic_path(path) as temporary:
        doc = BaseDocTemplate(str(temporary), pagesize=LANDSCAPE, leftMargin=MARGIN,
                              rightMargin=MARGIN, topMargin=TOP, bottomMargin=BOTTOM,
                              title=f"{school_name} — {labels('sheet.changes')}",
                              author=school_name, creator="afterschool-schedule",
                              lang="zh-CN" if labels.lang == "zh" else "en")
        doc.addPageTemplates([PageTemplate(id="landscape", pagesize=LANDSCAPE, frames=[
            Frame(MARGIN, BOTTOM, LANDSCAPE[0] - 2 * MARGIN, LANDSCAPE[1] - TOP - BOTTOM)])])
        doc.build(story, canvasmaker=_numbered_canvas(furniture))
    log.info("wrote the Changes PDF (%s)", labels.lang)
    return Path(path)


def _cell(styles: _Styles, text: object) -> list[Flowable]:
    """A cell's text, a paragraph per line (a paragraph runs lines together)."""
    return [styles.p(line) for line in str(text).split("\n")]


def _grid(rows: list[list[list[Flowable]]], widths: list[float], styles: _Styles,
          header: list[str]) -> Table:
    """A boxed table whose head repeats on every page it runs on to."""
    table = Table([[styles.p(h, styles.head) for h in header], *rows], colWidths=widths,
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(GRID)
    return table



def write_changes_workbook(path: str | Path, school: School, view: ChangesView, *,
                           labels: Labels, redacted: bool) -> Path:
    """A workbook holding the Changes sheet alone (``schedule diff -o``), atomically."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = labels.sheet("changes")
    changes_sheet(sheet, sheets.Context(school=school, labels=labels, redacted=redacted), view)
    with atomic_path(path) as temporary:
        workbook.save(temporary)
    return Path(path)


def view_lines(view: ChangesView) -> list[str]:
    """The view as lines of text for a terminal: the counts, then each table's rows."""
    lines = [f"  {label}: {number}" for label, number in view.counts]
    for table in view.tables:
        if table.rows:
            lines.append(f"{table.title}:")
            lines += ["  " + " | ".join(cell.replace("\n", "; ") for cell in row if cell)
                      for row in table.rows]
    return lines
