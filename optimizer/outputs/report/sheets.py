"""The human-facing sheets of the output workbook, each laid out to be read and printed.

Every sheet is labelled through :class:`~optimizer.outputs.report.labels.Labels`, every
cell goes through :func:`~optimizer.outputs.report.safe.put` (input text is never a
formula), and every sheet gets A4 page setup: fitted to the page width, a
header with the school, the sheet and the term, and "page x of y" in the
footer. Blocks meant for one person (a roster, a class list, a day of the
timetable) start on a new printed page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from models.check import GOAL_ORDER, CheckReport
from models.problems import Problem
from models.schedule import Schedule
from models.school import FEN_PER_YUAN, School
from models.time import DAYS, PERIODS
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.reasons import Unmet, describe_reasons
from optimizer.outputs.report.safe import MAX_HEADER_TEXT, header_text, put
from optimizer.outputs.report.views import (
    Budget,
    ClassList,
    ClassRow,
    Fared,
    MeetingView,
    Roster,
    Spot,
    StaffView,
    fared,
    natural_key,
    placed_ranks,
    room_uses,
    student_order,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
BLOCK_TITLE = Font(bold=True, size=12)
NOTE = Font(italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FULL_FILL = PatternFill("solid", fgColor="F8CBAD")

CATEGORY_COLOURS = {
    "sports": "DDEBF7", "arts": "FCE4D6", "science": "E2EFDA", "club": "FFF2CC",
    "reading": "EDE1F5", "study": "EDEDED", "visit": "D9F2F2", "other": "F2F2F2",
}
"""Pale fills, so a timetable stays readable in black-and-white print too."""

MONEY = "#,##0.00"
PERCENT = "0.0%"


@cache
def category_fill(category: str) -> PatternFill:
    """One fill object per category, so the style cache below sees the same key."""
    return PatternFill("solid", fgColor=CATEGORY_COLOURS.get(category, "F2F2F2"))


_STYLES: WeakKeyDictionary[Workbook, dict[tuple[object, ...], StyleArray]] = (
    WeakKeyDictionary())
"""Per workbook: a combination of font, fill, alignment, format and border → the cell
style openpyxl made for it. openpyxl hashes every style object on every assignment,
which dominated the time to write a 3,000-student workbook; a cell's style is an array
of indices into the workbook's style tables, so one made once can be copied."""


def yuan(fen: int) -> float:
    """Fen as yuan for a money cell; exact to the fen (two decimals)."""
    return round(fen / FEN_PER_YUAN, 2)


@dataclass(frozen=True)
class Context:
    """What every sheet needs to label and head its pages."""

    school: School
    labels: Labels
    redacted: bool

    def term(self) -> str:
        info = self.school.info
        return self.labels("term", start=info.term_start.isoformat(),
                           end=info.term_end.isoformat())


class Writer:
    """Writes a sheet top to bottom, one row at a time, every cell through ``put``."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1
        self._styles = _STYLES.setdefault(sheet.parent, {})

    def cell(self, row: int, column: int, value: object, *, font: Font | None = None,
             fill: PatternFill | None = None, align: Alignment | None = None,
             fmt: str | None = None, border: bool = False) -> None:
        cell = self.sheet.cell(row=row, column=column)
        # Keyed by identity: the style objects are module constants or cached, and the key
        # keeps them alive, so an id is never reused for another object.
        key = (id(font), id(fill), id(align), fmt, border, font, fill, align)
        style = self._styles.get(key)
        if style is not None:
            cell._style = copy(style)
        elif font or fill or align or fmt or border:
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if align is not None:
                cell.alignment = align
            if fmt is not None:
                cell.number_format = fmt
            if border:
                cell.border = BOX
            self._styles[key] = copy(cell._style)
        put(cell, value)  # after the style: it may set the quote prefix on this cell

    def line(self, values: Sequence[object], *, font: Font | None = None,
             fill: PatternFill | None = None, align: Alignment | None = None,
             border: bool = False, formats: Sequence[str | None] | None = None,
             height: float | None = None) -> int:
        """Write ``values`` from column A on the next row; return that row's number."""
        row = self.row
        for column, value in enumerate(values, start=1):
            fmt = formats[column - 1] if formats and column <= len(formats) else None
            self.cell(row, column, value, font=font, fill=fill, align=align, fmt=fmt,
                      border=border)
        if height is not None:
            self.sheet.row_dimensions[row].height = height
        self.row += 1
        return row

    def title(self, text: str, *, font: Font = TITLE) -> int:
        # Not merged: the text runs on over the empty cells to its right, and merging
        # thousands of blocks is slow in openpyxl (each merge scans all the others).
        return self.line([text], font=font)

    def header(self, values: Sequence[str], *, height: float | None = None) -> int:
        return self.line(values, font=BOLD, fill=HEADER_FILL, align=CENTER_WRAP, border=True,
                         height=height)

    def skip(self, rows: int = 1) -> None:
        self.row += rows

    def page_break(self) -> None:
        """Start the next block on a new printed page (the break goes after the last row)."""
        if self.row > 1:
            self.sheet.row_breaks.append(Break(id=self.row - 1))


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (CJK counts double).

    Excel and LibreOffice do not grow a row to fit wrapped text written by openpyxl,
    so rows with long text get their height from this estimate.
    """
    lines = 0
    for part in text.split("\n"):
        units = sum(2 if ord(char) >= 0x2E80 else 1 for char in part)
        lines += max(1, -(-units // max(int(width) - 1, 1)))
    return lines


def widths(sheet: Worksheet, values: Sequence[float]) -> None:
    for index, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def page_setup(sheet: Worksheet, ctx: Context, title: str, *, landscape: bool = False,
               title_rows: str | None = None) -> None:
    """A4, fitted to the page width (as many pages down as needed), headed and numbered."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: as many pages as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    if title_rows:
        sheet.print_title_rows = title_rows
    # Excel refuses a header over 255 characters: cut a very long school name.
    room = MAX_HEADER_TEXT - len(title) - len(ctx.term()) - 40
    school = ctx.school.info.name
    if len(school) > max(room, 20):
        school = school[: max(room, 20) - 1] + "…"
    sheet.oddHeader.left.text = header_text(title)
    sheet.oddHeader.center.text = header_text(school)
    sheet.oddHeader.right.text = header_text(ctx.term())
    # &P and &N are Excel's page number and page count: not escaped.
    sheet.oddFooter.center.text = ctx.labels("page_of")
    if ctx.redacted:
        sheet.oddFooter.left.text = header_text(ctx.labels("redacted_note"))


def _sheet_title(w: Writer, ctx: Context, key: str) -> None:
    """Row 1 of a sheet: what it is and for which school (repeated on printed pages)."""
    w.title(f"{ctx.labels(key)} · {ctx.school.info.name}")


# --- Summary -----------------------------------------------------------------------

@dataclass(frozen=True)
class SolveFacts:
    """What the solver said, when the report comes from a solve (else None)."""

    status: str
    interrupted: bool
    wall_time: float
    seed: int
    deterministic: bool
    goal_values: dict[str, int]
    bounds: dict[str, float]
    gaps: dict[str, float | None]
    levels: tuple[str, ...]
    source: str = "search"


def summary_sheet(sheet: Worksheet, ctx: Context, schedule: Schedule, report: CheckReport,
                  facts: SolveFacts | None) -> None:
    L = ctx.labels
    w = Writer(sheet)
    w.title(L("summary.title"))
    w.skip()
    header = w.header([L("item"), L("value")])
    w.sheet.merge_cells(start_row=header, start_column=2, end_row=header, end_column=4)
    info = ctx.school.info
    rows: list[tuple[str, object, str | None]] = [
        (L("school"), info.name, None),
        (L("term_dates"), L("term_span", start=info.term_start.isoformat(),
                               end=info.term_end.isoformat()), None),
    ]
    if facts is not None:
        rows += [
            (L("solver_status"), L.status(facts.status), None),
            (L("interrupted"), L.yes_no(facts.interrupted), None),
            (L("made_by"), L(f"source.{facts.source}"), None),
            # A deterministic run's file must not depend on the clock.
            (L("solve_time"), "-" if facts.deterministic else round(facts.wall_time, 1), None),
            (L("seed"), facts.seed, None),
            (L("deterministic"), L.yes_no(facts.deterministic), None),
        ]
    else:
        rows.append((L("solver_status"), L.status("unknown"), None))
        if report.seed is not None:
            rows.append((L("seed"), report.seed, None))
    rows.append((L("checker"), L("checker_ok") if report.ok else
                 L("checker_bad", n=len(report.violations)), None))
    rows.append((L("redacted"), L.yes_no(ctx.redacted), None))
    for key, number in report.kpis.items():
        fmt = PERCENT if key.endswith("_share") else (
            MONEY if key.endswith("_yuan") else ("0.00" if key.startswith("mean") or
                                                  key.endswith("_mean") else "0"))
        rows.append((L.kpi(key), round(number, 4), fmt))
    for label, value, number_format in rows:
        row = w.line([label, value], border=True, formats=[None, number_format])
        w.sheet.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        # The value may be a long school name: give it the width of three columns.
        w.sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
    w.skip()

    if facts is not None:
        w.title(L("goals.title"), font=BLOCK_TITLE)
        w.header([L("goal"), L("value"), L("bound"), L("proof")])
        names = [n for n in facts.levels if n in GOAL_ORDER] or list(GOAL_ORDER)
        names += [n for n in GOAL_ORDER if n not in names]
        for name in names:
            value, bound, fmt = _goal_numbers(name, facts)
            w.line([L.goal(name), value, bound, _goal_proof(L, name, facts)],
                   border=True, formats=[None, fmt, fmt, None])
        w.skip()

    ranks = placed_ranks(ctx.school, schedule)
    overall = fared(ctx.school, schedule, ranks=ranks)
    w.title(L("fared.title"), font=BLOCK_TITLE)
    header_row = w.header([L("choices"), L("fared.students")])
    labels = [L.ordinal(r) for r in range(1, 6)] + [L("fared.none")]
    counts = [*overall.best, overall.none]
    first_row = w.row
    for label, count in zip(labels, counts, strict=True):
        w.line([label, count], border=True)
    chart = BarChart()
    chart.type = "col"
    chart.title = L("fared.title")
    chart.y_axis.title = L("fared.students")
    chart.legend = None
    data = Reference(sheet, min_col=2, min_row=header_row, max_row=first_row + len(counts) - 1)
    categories = Reference(sheet, min_col=1, min_row=first_row,
                           max_row=first_row + len(counts) - 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.dataLabels = DataLabelList()
    chart.dataLabels.showVal = True
    for name in ("showCatName", "showSerName", "showLegendKey", "showPercent"):
        setattr(chart.dataLabels, name, False)
    chart.height, chart.width = 7.5, 14
    sheet.add_chart(chart, f"D{header_row}")
    w.skip(max(0, 15 - len(counts)))  # keep the by-grade table below the chart

    w.title(L("by_grade.title"), font=BLOCK_TITLE)
    w.header([L("grade"), L("registered"), L("choosers"), L("first_choice"), L("top3_share"),
              L("none_count"), L("mean_rank")])
    for grade in sorted({s.grade for s in ctx.school.registered_students}):
        f = fared(ctx.school, schedule, grade=grade, ranks=ranks)
        w.line(_grade_row(L("grade_n", grade=grade), f), border=True,
               formats=[None, "0", "0", PERCENT, PERCENT, "0", "0.00"])
    w.line(_grade_row(L("total"), overall), border=True, font=BOLD,
           formats=[None, "0", "0", PERCENT, PERCENT, "0", "0.00"])
    widths(sheet, [46, 16, 16, 13, 13, 12, 12])
    sheet.freeze_panes = None
    page_setup(sheet, ctx, L("sheet.summary"))


MONEY_GOALS = frozenset({"cost"})
"""Goals counted in fen by the model, shown in yuan like every other amount."""
TIE_BREAKS = frozenset({"lottery"})
"""Goals whose number means nothing to a person: a seeded draw among equal claims."""


def _goal_numbers(name: str, facts: SolveFacts) -> tuple[object, object, str]:
    """A goal's value and best possible value as a person reads them: yuan, not fen; none
    for a tie-break; magnitudes (the model may minimise a negated count)."""
    if name in TIE_BREAKS:
        return None, None, "0"
    raw: list[float | None] = [facts.goal_values.get(name), facts.bounds.get(name)]
    value, bound = (None if v is None or not math.isfinite(v) else abs(v) for v in raw)
    if name in MONEY_GOALS:
        return (None if value is None else yuan(round(value)),
                None if bound is None else yuan(round(bound)), MONEY)
    return (None if value is None else round(value),
            None if bound is None else round(bound), "#,##0")


def _goal_proof(L: Labels, name: str, facts: SolveFacts) -> str:
    """Optimal, within some share of the best possible, or not proven: never "gap 100%"."""
    if name in TIE_BREAKS:
        return L("proof.tie_break")
    if name not in facts.levels:
        return L("proof.not_optimized")
    gap = facts.gaps.get(name)
    if gap is None or gap >= 1:  # no bound, or one so loose it proves nothing
        return L("proof.not_proven")
    if gap == 0:
        return L("proof.optimal")
    return L("proof.within", share=f"{gap:.0%}" if gap >= 0.01 else f"{gap:.1%}")


def _grade_row(label: str, f: Fared) -> list[object]:
    n = f.num_choosers
    return [label, f.registered, n, f.best[0] / n if n else None,
            sum(f.best[:3]) / n if n else None, f.none,
            None if f.mean_rank is None else round(f.mean_rank, 2)]


# --- Timetable ---------------------------------------------------------------------

ROOMS_PER_BLOCK = 6
"""Room columns per printed block: six fit a landscape A4 page at a readable size."""


def timetable_sheet(sheet: Worksheet, ctx: Context, rosters: Sequence[Roster]) -> None:
    """Per day, clock time down the side and rooms across; each meeting a coloured box."""
    L = ctx.labels
    w = Writer(sheet)
    _sheet_title(w, ctx, "sheet.timetable")
    w.skip()
    entries = [(r, m) for r in rosters for m in r.meetings]
    room_names = {m.room_id: m.room_name for _, m in entries}
    order = {room.id: i for i, room in enumerate(ctx.school.rooms)}
    used = sorted(room_names, key=lambda i: (order.get(i, len(order)), natural_key(i)))
    if not entries:
        w.line([L("timetable.empty")], font=NOTE)
    first_day = True
    for day in range(len(DAYS)):
        todays = [(r, m) for r, m in entries if m.day == day]
        if not todays:
            continue
        if not first_day:
            w.page_break()  # each day starts a printed page: one sheet per day to pin up
        first_day = False
        for start in range(0, len(used), ROOMS_PER_BLOCK):
            block = used[start:start + ROOMS_PER_BLOCK]
            meetings = [(r, m) for r, m in todays if m.room_id in block]
            if not meetings:
                continue
            heading = ("timetable.day" if len(used) <= ROOMS_PER_BLOCK else
                       "timetable.block_one" if len(block) == 1 else "timetable.block")
            w.title(L(heading, day=L.day_long(day), first=start + 1,
                      last=start + len(block), count=len(used)), font=BLOCK_TITLE)
            w.header([L("time"), *(_room_head(ctx, i, room_names[i]) for i in block)],
                     height=32)
            _day_grid(w, ctx, block, meetings)
            w.skip()
    widths(sheet, [13, *([30] * ROOMS_PER_BLOCK)])
    page_setup(sheet, ctx, L("sheet.timetable"), landscape=True, title_rows="1:1")


def _room_head(ctx: Context, room_id: str, name: str) -> str:
    room = ctx.school.room_by_id.get(room_id)
    if room is None:
        return name
    return f"{name}\n{ctx.labels.room_type(room.type)} · {room.capacity}"


def _day_grid(w: Writer, ctx: Context, block: list[str],
              meetings: list[tuple[Roster, MeetingView]]) -> None:
    """Rows are the clock intervals between any two meeting boundaries; a meeting spans
    (and merges) the rows it covers, so a 2-period session is one tall box."""
    L = ctx.labels
    points = sorted({t for _, m in meetings for t in (m.start, m.end)})
    intervals = list(pairwise(points))
    # Drop intervals no meeting covers (a break between periods): they would be empty rows.
    intervals = [(a, b) for a, b in intervals
                 if any(m.start <= a and b <= m.end for _, m in meetings)]
    top = w.row
    row_of = {interval: top + i for i, interval in enumerate(intervals)}
    for (a, b), row in row_of.items():
        w.cell(row, 1, L.span(a, b), font=BOLD, align=CENTER_WRAP, border=True)
        w.sheet.row_dimensions[row].height = max(18.0, (b - a) * 1.5)
        for column in range(2, len(block) + 2):
            w.cell(row, column, None, border=True)
    for roster, meeting in meetings:
        rows = [row for (a, b), row in row_of.items()
                if meeting.start <= a and b <= meeting.end]
        if not rows:
            continue
        column = block.index(meeting.room_id) + 2
        staff = L("list_sep").join(p.name for p in meeting.staff)
        text = "\n".join(part for part in (
            L.section(roster.activity_name, roster.letter), staff,
            L("n_students", n=len(roster.students))) if part)
        w.cell(rows[0], column, text, fill=category_fill(roster.category), align=CENTER_WRAP,
               border=True)
        if len(rows) > 1:
            w.sheet.merge_cells(start_row=rows[0], start_column=column, end_row=rows[-1],
                                end_column=column)
    w.row = top + len(intervals)


# --- Rosters -----------------------------------------------------------------------

def roster_when(labels: Labels, roster: Roster) -> str:
    """``Mon, Wed 15:50–16:30`` when every meeting has the same times, else day by day."""
    spans = {(m.start, m.end) for m in roster.meetings}
    if len(spans) == 1:
        only = roster.meetings[0]
        return f"{labels.days(m.day for m in roster.meetings)} {labels.span(only.start, only.end)}"
    return labels("clause_sep").join(f"{labels.day(m.day)} {labels.span(m.start, m.end)}"
                                     for m in roster.meetings)


def roster_title(labels: Labels, roster: Roster) -> str:
    """``Chess B``; a study section says when too: ``Supervised study · Mon 1 · C``."""
    if roster.is_study and roster.meetings:
        first = roster.meetings[0]
        parts = [roster.activity_name, labels.slot(first.day, min(first.periods, default=1)),
                 roster.letter]
        return " · ".join(part for part in parts if part)
    return labels.section(roster.activity_name, roster.letter)


def roster_details(labels: Labels, roster: Roster) -> list[tuple[str, str]]:
    """The lines above a roster's names: category, when, room, staff, size, and the
    section's code (to find it on the Sections sheet)."""
    rooms = list(dict.fromkeys(m.room_name for m in roster.meetings))
    staff = list(dict.fromkeys(p.name for m in roster.meetings for p in m.staff))
    return [
        (labels("category"), labels.category(roster.category)),
        (labels("when"), roster_when(labels, roster)),
        (labels("room"), labels("list_sep").join(rooms)),
        (labels("staff"), labels("list_sep").join(staff)),
        (labels("size"), str(len(roster.students))),
        (labels("section_code"), roster.section_id),
    ]


def sign_in_days(roster: Roster) -> list[int]:
    return sorted({m.day for m in roster.meetings})


def rosters_sheet(sheet: Worksheet, ctx: Context, rosters: Sequence[Roster]) -> None:
    """One block per section: what, when, where, who; the children with a sign-in column."""
    L = ctx.labels
    span = 5 + max((len(sign_in_days(r)) for r in rosters), default=1)
    w = Writer(sheet)
    _sheet_title(w, ctx, "sheet.rosters")
    for index, roster in enumerate(rosters):
        if index:
            w.page_break()
        w.skip()
        w.title(roster_title(L, roster), font=BLOCK_TITLE)
        for label, value in roster_details(L, roster):
            row = w.line([label, value])
            w.cell(row, 1, label, font=BOLD)
        days = sign_in_days(roster)
        w.header([L("no_"), L("name"), L("class"), L("grade"), L("student_id"),
                  *(L("sign_in", day=L.day(d)) for d in days)])
        for number, p in enumerate(roster.students, start=1):
            w.line([number, p.name, p.class_name, p.grade, p.id, *([""] * len(days))],
                   border=True, height=20)
        if not roster.students:
            w.line([L("roster.empty")], font=NOTE)
    widths(sheet, [6, 20, 10, 8, 14, *([13] * (span - 5))])
    page_setup(sheet, ctx, L("sheet.rosters"), title_rows="1:1")


# --- Class lists --------------------------------------------------------------------

def spot_text(labels: Labels, spot: Spot | None, registered: bool) -> str:
    """A class-list cell: the activity, then the room and who is in charge."""
    if spot is None:
        return labels("picked_up") if registered else labels("not_here")
    staff = labels("list_sep").join(spot.staff_names)
    return f"{spot.activity_name}\n{spot.room_name} · {staff}" if staff else (
        f"{spot.activity_name}\n{spot.room_name}")


def registered_on(class_list: ClassList, row: ClassRow, day: int) -> bool:
    """Was the child registered on ``day``? A registered child has a place in period 1 of
    each registered day, so any place that day says yes."""
    return any(spot is not None and slot.day == day
               for slot, spot in zip(class_list.slots, row.spots, strict=True))


def classes_sheet(sheet: Worksheet, ctx: Context, classes: Sequence[ClassList]) -> None:
    """Per homeroom class: each child, each day and period: where, and with whom."""
    L = ctx.labels
    span = 3 + max((len(c.slots) for c in classes), default=1)
    w = Writer(sheet)
    _sheet_title(w, ctx, "sheet.classes")
    for index, class_list in enumerate(classes):
        if index:
            w.page_break()
        w.skip()
        w.title(L("classes.block", class_name=class_list.class_name,
                  grades=L.grades(class_list.grades)), font=BLOCK_TITLE)
        w.line([L("classes.note", gone=L("picked_up"))], font=NOTE)
        w.header([L("no_"), L("name"), L("student_id"),
                  *(f"{L.slot(s.day, s.period)}\n{L.span(s.start, s.end)}"
                    for s in class_list.slots)], height=32)
        for number, row in enumerate(class_list.rows, start=1):
            cells = [spot_text(L, spot, registered_on(class_list, row, slot.day))
                     for slot, spot in zip(class_list.slots, row.spots, strict=True)]
            r = w.line([number, row.pupil.name, row.pupil.id, *cells], border=True,
                       align=WRAP, height=30)
            for offset, spot in enumerate(row.spots):
                if spot is not None:
                    w.sheet.cell(row=r, column=4 + offset).fill = category_fill(spot.category)
    widths(sheet, [6, 16, 12, *([19] * (span - 3))])
    page_setup(sheet, ctx, L("sheet.classes"), landscape=True, title_rows="1:1")


# --- Students ------------------------------------------------------------------------

def students_sheet(sheet: Worksheet, ctx: Context, schedule: Schedule,
                   where: dict[tuple[str, int, int], Spot]) -> None:
    """One row per student: days, choices, what they got, and their place in every slot."""
    L = ctx.labels
    school = ctx.school
    ranks = placed_ranks(school, schedule)
    w = Writer(sheet)
    # One column per day with both periods in it, not ten slot columns: the sheet then
    # prints on landscape A4 at about 8 pt instead of 3 pt.
    w.header([L("student_id"), L("name"), L("class"), L("grade"), L("days"), L("stay"),
              L("wants"), L("priority"), *(L("choice_n", rank=k) for k in range(1, 6)),
              L("got"), L("best"), *(L.day(d) for d in range(len(DAYS)))], height=30)
    for student in student_order(school):
        choices = [school.activity_by_id[c].name if c in school.activity_by_id else c
                   for c in student.choices[:5]]
        choices += [""] * (5 - len(choices))
        got = ranks.get(student.id, [])
        places = ["\n".join(place_text(L, where.get((student.id, d, p)), p) for p in PERIODS
                            if (student.id, d, p) in where) for d in range(len(DAYS))]
        lines = max([text_lines(text, STUDENT_DAY_WIDTH) for text in places if text]
                    + [text_lines(c, STUDENT_CHOICE_WIDTH) for c in choices if c], default=1)
        w.line([student.id, student.name, student.class_name, student.grade,
                L.days_compact(student.days) if student.registered
                else L("not_registered_day"),
                student.stay, student.wants, student.priority, *choices,
                ", ".join(map(str, got)) if got else (
                    L("none_of_choices") if student.registered and student.choices else ""),
                got[0] if got else None, *places], align=WRAP, height=14.0 * lines + 2)
    widths(sheet, [9, 8, 6, 5, 10, 5, 5, 5, *([STUDENT_CHOICE_WIDTH] * 5), 8, 5,
                   *([STUDENT_DAY_WIDTH] * len(DAYS))])
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(15 + len(DAYS))}{max(w.row - 1, 1)}"
    page_setup(sheet, ctx, L("sheet.students"), landscape=True, title_rows="1:1")


STUDENT_CHOICE_WIDTH = 11
STUDENT_DAY_WIDTH = 15


def place_text(labels: Labels, spot: Spot | None, period: int) -> str:
    """``1 Chess B``: the period, then the activity (study in one short word) and letter."""
    if spot is None:
        return ""
    name = labels("study_short") if spot.category == "study" else spot.activity_name
    return f"{period} {labels.section(name, spot.letter)}"


# --- Staff ---------------------------------------------------------------------------

def load_bar(periods: int, limit: int) -> str:
    """``■■■□`` : class hours used of the weekly limit, readable in print and in any font."""
    used = min(periods, max(limit, periods))
    return "■" * used + "□" * max(limit - used, 0)


def staff_sheet(sheet: Worksheet, ctx: Context, staff: Sequence[StaffView]) -> None:
    """Everyone's weekly class hours and pay at a glance, then each person's meetings."""
    L = ctx.labels
    weeks = ctx.school.info.weeks
    w = Writer(sheet)
    _sheet_title(w, ctx, "sheet.staff")
    w.skip()
    w.header([L("id"), L("name"), L("role"), L("may_serve"), L("periods_week"),
              L("max_week"), L("load"), *(L.day(d) for d in range(len(DAYS))),
              L("pay_per_period"), L("pay_week"), L("pay_term")], height=32)
    # In-service teachers first, busiest first: the load the policy asks to keep low.
    ordered = sorted(staff, key=lambda s: (not s.is_teacher, -s.periods_week))
    for person in ordered:
        row = w.line([person.id, person.name, L.role(person.role), L.yes_no(person.serving),
                      person.periods_week, person.max_periods_week,
                      load_bar(person.periods_week, person.max_periods_week),
                      *(person.periods_on(d) or None for d in range(len(DAYS))),
                      yuan(person.pay_per_period), yuan(person.pay_week),
                      yuan(person.pay_week * weeks)], border=True,
                     formats=[*([None] * 12), MONEY, MONEY, MONEY])
        if person.periods_week >= person.max_periods_week > 0:
            w.sheet.cell(row=row, column=7).fill = FULL_FILL
    w.skip()
    w.title(L("staff.meetings"), font=BLOCK_TITLE)
    w.header([L("id"), L("name"), L("day"), L("time"), L("activity"), L("room"), L("size")])
    for person in staff:
        for duty in person.duties:
            w.line([person.id, person.name, L.day(duty.day), L.span(duty.start, duty.end),
                    L.section(duty.activity_name, duty.letter), duty.room_name, duty.size],
                   border=True, fill=category_fill(duty.category))
    # Wide enough for both tables: the meetings below share the columns of the table above.
    widths(sheet, [10, 14, 16, 12, 18, 20, 18, 10, 9, 9, 9, 9, 14, 14, 14])
    page_setup(sheet, ctx, L("sheet.staff"), landscape=True, title_rows="1:1")


# --- Rooms ---------------------------------------------------------------------------

def rooms_sheet(sheet: Worksheet, ctx: Context, schedule: Schedule) -> None:
    """Per room, the week: each day's meetings with times, activity, section and size."""
    L = ctx.labels
    uses = room_uses(ctx.school, schedule)
    w = Writer(sheet)
    _sheet_title(w, ctx, "sheet.rooms")
    w.skip()
    w.header([L("id"), L("room"), L("type"), L("capacity"), L("meetings_week"),
              L("hours_week"), *(L.day(d) for d in range(len(DAYS)))], height=32)
    known = {room.id: room for room in ctx.school.rooms}
    for room_id, meetings in uses.items():
        room = known.get(room_id)
        days: list[str] = []
        for d in range(len(DAYS)):
            days.append("\n".join(
                f"{L.span(m.start, m.end)} {L.section(m.activity_name, m.letter)} · "
                f"{L('n_students', n=m.size)}"
                for m in meetings if m.day == d))
        lines = max((text_lines(text, 34) for text in days if text), default=1)
        minutes = sum(m.end - m.start for m in meetings)
        w.line([room_id, room.name if room else room_id, L.room_type(room.type) if room else "",
                room.capacity if room else None, len(meetings), round(minutes / 60, 2), *days],
               border=True, align=WRAP, height=max(18, 15 * lines))
    widths(sheet, [10, 16, 11, 9, 10, 10, *([34] * len(DAYS))])
    sheet.freeze_panes = "C4"
    page_setup(sheet, ctx, L("sheet.rooms"), landscape=True, title_rows="1:3")


# --- Budget --------------------------------------------------------------------------

def budget_sheet(sheet: Worksheet, ctx: Context, money: Budget) -> None:
    """Term cost by kind and by activity, per student, against the budget; the surplus."""
    L = ctx.labels
    w = Writer(sheet)
    _sheet_title(w, ctx, "budget.title")
    w.skip()
    w.header([L("budget.kind"), L("yuan")])
    rows: list[tuple[str, float, bool]] = [
        (L("budget.session_fees"), yuan(money.session_fees), False),
        (L("budget.staff_pay"), yuan(money.staff_pay), False),
        (L("budget.venue_fees"), yuan(money.venue_fees), False),
        (L("budget.per_head_fees"), yuan(money.per_head_fees), False),
        (L("budget.total"), yuan(money.total), True),
        (L("budget.budget"), yuan(money.term_budget), False),
        (L("budget.surplus") if money.surplus >= 0 else L("budget.over"),
         yuan(abs(money.surplus)), True),
        (L("budget.per_registered"),
         yuan(money.total // money.registered) if money.registered else 0.0, False),
        (L("budget.per_enrolled"), yuan(money.total // money.enrolled), False),
        (L("budget.budget_per_enrolled"), yuan(money.term_budget // money.enrolled), False),
    ]
    for label, value, bold in rows:
        w.line([label, value], border=True, font=BOLD if bold else None,
               formats=[None, MONEY])
    w.line([L("budget.weeks"), money.weeks], border=True)
    w.skip()
    w.title(L("budget.policy"), font=BLOCK_TITLE)
    policy = L("budget.private") if money.school_type == "private" else L("budget.public")
    row = w.line([policy], align=WRAP, height=48)
    w.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    w.skip()
    w.title(L("budget.by_activity"), font=BLOCK_TITLE)
    w.header([L("activity"), L("category"), L("sections"), L("meetings_week"), L("size"),
              L("budget.session_fees"), L("budget.staff_pay"), L("budget.venue_fees"),
              L("budget.per_head_fees"), L("total")], height=32)
    money_formats = [None, None, None, None, None, MONEY, MONEY, MONEY, MONEY, MONEY]
    for line in money.lines:
        w.line([line.activity_name, L.category(line.category), line.sections,
                line.meetings_week, line.students, yuan(line.session_fees),
                yuan(line.staff_pay), yuan(line.venue_fees), yuan(line.per_head_fees),
                yuan(line.total)], border=True, formats=money_formats)
    w.line([L("total"), "", sum(x.sections for x in money.lines),
            sum(x.meetings_week for x in money.lines), None, yuan(money.session_fees),
            yuan(money.staff_pay), yuan(money.venue_fees), yuan(money.per_head_fees),
            yuan(money.total)], border=True, font=BOLD, formats=money_formats)
    widths(sheet, [34, 16, 12, 12, 10, 14, 14, 14, 14, 14])
    page_setup(sheet, ctx, L("sheet.budget"), landscape=True)


# --- Unmet ---------------------------------------------------------------------------

def unmet_sheet(sheet: Worksheet, ctx: Context, rows: Iterable[Unmet]) -> None:
    """Each student without (enough of) their choices, with the reason in one line."""
    L = ctx.labels
    w = Writer(sheet)
    _sheet_title(w, ctx, "unmet.title")
    w.skip()
    w.header([L("student_id"), L("name"), L("class"), L("grade"), L("wants"), L("got_n"),
              L("choices"), L("reason")])
    count = 0
    for unmet in rows:
        count += 1
        got = L("list_sep").join(f"{name} ({L.ordinal(rank)})" for rank, name in unmet.got)
        choices = L("list_sep").join(unmet.choices)
        why = describe_reasons(L, unmet.reasons)
        lines = max(text_lines(got, 22), text_lines(choices, 34), text_lines(why, 90))
        w.line([unmet.pupil.id, unmet.pupil.name, unmet.pupil.class_name, unmet.pupil.grade,
                unmet.wants, got or L("none_of_choices"), choices, why],
               border=True, align=WRAP, height=15.0 * lines)
    if not count:
        w.line([L("unmet.none")], font=NOTE)
    widths(sheet, [12, 14, 8, 7, 7, 22, 34, 90])
    sheet.freeze_panes = "C4"
    page_setup(sheet, ctx, L("sheet.unmet"), landscape=True, title_rows="3:3")


# --- Warnings ------------------------------------------------------------------------

def warnings_sheet(sheet: Worksheet, ctx: Context, problems: Sequence[Problem]) -> None:
    """Everything validation warned about; the messages are the validator's own words."""
    L = ctx.labels
    w = Writer(sheet)
    _sheet_title(w, ctx, "warnings.title")
    w.skip()
    w.header([L("level"), L("sheet"), L("row"), L("column"), L("value"), L("problem")])
    for problem in problems:
        value = "" if problem.value is None else str(problem.value)
        lines = max(text_lines(value, 18), text_lines(problem.message, 90))
        w.line([L(f"level.{problem.severity.value}"), problem.sheet, problem.row,
                problem.column or "", value, problem.message], border=True, align=WRAP,
               height=15.0 * lines)
    if not problems:
        w.line([L("warnings.none")], font=NOTE)
    widths(sheet, [9, 12, 6, 16, 18, 90])
    page_setup(sheet, ctx, L("sheet.warnings"), landscape=True, title_rows="3:3")
