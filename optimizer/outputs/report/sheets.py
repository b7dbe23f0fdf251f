"""The human-facing sheets of the output workbook, each laid out to be read and printed.

Every sheet is labelled through :class:`~optimizer.outputs.report.labels.Labels`, every
cell goes through :func:`~optimizer.outputs.report.safe.put` (input text is never a
formula), and every sheet gets A4 page setup: fitted to the page width, a
header with the school, the sheet and the term, and "page x of y" in the
footer. Blocks meant for one person (a roster, a class list, a day of the
timetable) start on a new printed page.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
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

from models.check import GOAL_ORDER, MOVE_GOALS, CheckReport
from models.problems import Problem
from models.schedule import Schedule
from models.school import FEN_PER_YUAN, School
from models.time import DAYS, PERIODS
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.paper import (
    BASE_FONT,
    BOTTOM_MARGIN,
    HEADER_MARGIN,
    SIDE_MARGIN,
    TOP_MARGIN,
    Paper,
    columns_fitting,
    paper_for,
)
from optimizer.outputs.report.reasons import (
    ReasonFinder,
    Unmet,
    describe_reasons,
    describe_short,
)
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
    meeting_dates,
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
BOTTOM = Alignment(vertical="bottom")
LEFT_WRAP = Alignment(horizontal="left", vertical="top", wrap_text=True)
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


GAP = 9.0
"""Points of an empty row between blocks."""


class Writer:
    """Writes a sheet top to bottom, one row at a time, every cell through ``put``.

    Given the sheet's :class:`Paper`, it also lays the rows out on pages: every row
    gets an explicit height, :meth:`keep` starts a block on a new page when its head
    would not fit, and while ``continued`` is set, a row that would run off the page
    starts a new one headed by ``continued()`` (the block's title and column header
    again). ``titles_height`` is what the sheet's print titles take on every page.
    """

    def __init__(self, sheet: Worksheet, paper: Paper | None = None,
                 titles_height: float = 0.0) -> None:
        self.sheet = sheet
        self.row = 1
        self._styles = _STYLES.setdefault(sheet.parent, {})
        self.room = paper.body_height - titles_height if paper else math.inf
        self.used = 0.0  # points of rows on the current page
        self.continued: Callable[[], None] | None = None
        self._heading_again = False
        self._broken = False  # a page break was just made: no gap at the top of the page

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
        height = height if height is not None else row_height(font)
        self._make_room(height)
        row = self.row
        for column, value in enumerate(values, start=1):
            fmt = formats[column - 1] if formats and column <= len(formats) else None
            self.cell(row, column, value, font=font, fill=fill, align=align, fmt=fmt,
                      border=border)
        self.sheet.row_dimensions[row].height = height
        self.row += 1
        self.used += height
        self._broken = False
        return row

    def _make_room(self, height: float) -> None:
        """A row that would run off the page starts the next one, headed again."""
        if self.used + height <= self.room or self.used == 0 or self._heading_again:
            return
        self.page_break()
        if self.continued is not None:
            self._heading_again = True
            try:
                self.continued()
            finally:
                self._heading_again = False

    def keep(self, height: float) -> None:
        """Start a new page unless the next ``height`` points fit on this one."""
        if self.used and self.used + height > self.room:
            self.page_break()

    def fits(self, height: float) -> bool:
        return self.used + height <= self.room

    def title(self, text: str, *, font: Font = TITLE) -> int:
        # Not merged: the text runs on over the empty cells to its right, and merging
        # thousands of blocks is slow in openpyxl (each merge scans all the others).
        return self.line([text], font=font)

    def header(self, values: Sequence[str], *, height: float | None = None,
               font: Font | None = None) -> int:
        return self.line(values, font=font or BOLD, fill=HEADER_FILL, align=CENTER_WRAP,
                         border=True, height=height)

    def skip(self, rows: int = 1, *, height: float = GAP) -> None:
        """Leave ``rows`` empty rows (none at the top of a printed page)."""
        if self._broken:
            return
        for _ in range(rows):
            self.sheet.row_dimensions[self.row].height = height
            self.row += 1
            self.used += height

    def page_break(self) -> None:
        """Start the next block on a new printed page (the break goes after the last row)."""
        if self.row > 1:
            self.sheet.row_breaks.append(Break(id=self.row - 1))
        self.used = 0.0
        self._broken = True


def row_height(font: Font | None) -> float:
    """A one-line row for ``font``: 15 pt for the default 11 pt, more for a title."""
    size = float(font.sz) if font is not None and font.sz else BASE_FONT
    return max(15.0, round(size * 1.45, 1))


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


def page_setup(sheet: Worksheet, ctx: Context, title: str, paper: Paper, *,
               title_rows: str | None = None) -> None:
    """A4, fitted to the width at the scale ``paper`` planned the pages for (see
    :mod:`~optimizer.outputs.report.paper`), its print titles repeated on every page,
    headed with the school, sheet and term, numbered."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if paper.landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.scale = paper.scale  # what fitting gives; a program may show it
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = SIDE_MARGIN
    sheet.page_margins.top = TOP_MARGIN
    sheet.page_margins.bottom = BOTTOM_MARGIN
    sheet.page_margins.header = sheet.page_margins.footer = HEADER_MARGIN
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


def laid_out(sheet: Worksheet, column_widths: Sequence[float], *, landscape: bool
             ) -> Paper:
    """Set the columns' widths and return the paper they print on."""
    widths(sheet, column_widths)
    return paper_for(column_widths, landscape=landscape)


def contract_sheet_setup(sheet: Worksheet, ctx: Context, column_widths: Sequence[float]
                         ) -> None:
    """The contract's Sections and Assignments print cleanly too: portrait where their
    columns fit it at full size (more rows a page), else landscape; their header row on
    every page, the sheet's name in the page header."""
    portrait = paper_for(column_widths, landscape=False)
    paper = laid_out(sheet, column_widths, landscape=portrait.scale < 100)
    page_setup(sheet, ctx, sheet.title, paper, title_rows="1:1")


def _sheet_title(w: Writer, ctx: Context, key: str) -> None:
    """Row 1 of a sheet: what it is and for which school (repeated on printed pages, so
    the Writer counts it in ``titles_height``, not on the first page)."""
    w.title(f"{ctx.labels(key)} · {ctx.school.info.name}")
    w.used = 0.0


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
    raised: tuple[str, ...] | None = None
    """Students raised for last term (``solve --previous``); None without a previous term."""


def summary_sheet(sheet: Worksheet, ctx: Context, schedule: Schedule, report: CheckReport,
                  facts: SolveFacts | None) -> None:
    """The run and its headline numbers, the goals, how the choosers fared, by grade."""
    # Portrait: the first column holds the longest English label (about 47
    # characters), the rest the numbers; 82% keeps the smallest text above 9 pt.
    paper = laid_out(sheet, [48, 12, 12, 11, 11, 9, 9], landscape=False)
    w = Writer(sheet, paper)
    w.title(ctx.labels("summary.title"))
    w.skip()
    _summary_items(w, ctx, schedule, report, facts)
    if facts is not None:
        _summary_goals(w, ctx, facts)
    ranks = placed_ranks(ctx.school, schedule)
    overall = fared(ctx.school, schedule, ranks=ranks)
    _summary_fared(w, ctx, overall)
    _summary_by_grade(w, ctx, schedule, ranks, overall)
    sheet.freeze_panes = None
    page_setup(sheet, ctx, ctx.labels("sheet.summary"), paper, title_rows="1:1")


def _summary_items(w: Writer, ctx: Context, schedule: Schedule, report: CheckReport,
                   facts: SolveFacts | None) -> None:
    """Item / value: the school, the run, the checker's verdict and the headline numbers."""
    L = ctx.labels
    value_width = 12 + 12 + 11 + 11 + 9 + 9  # columns B to G, where a value is merged
    header = w.header([L("item"), L("value")])
    w.sheet.merge_cells(start_row=header, start_column=2, end_row=header, end_column=7)
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
    if facts is not None and facts.raised is not None:
        rows += [(label, number, "0") for label, number in _raised_rows(L, ctx.school, schedule,
                                                                        facts.raised)]
    for key, number in report.kpis.items():
        fmt = PERCENT if key.endswith("_share") else (
            MONEY if key.endswith("_yuan") else ("0.00" if key.startswith("mean") or
                                                  key.endswith("_mean") else "0"))
        rows.append((L.kpi(key), round(number, 4), fmt))
    for label, value, number_format in rows:
        # The value may be a long school name or source: the width of six columns, wrapped.
        lines = text_lines(value, value_width) if isinstance(value, str) else 1
        row = w.line([label, value], border=True, formats=[None, number_format],
                     height=row_height(None) * lines)
        w.sheet.cell(row=row, column=2).alignment = LEFT_WRAP
        w.sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=7)
    w.skip()


def _summary_goals(w: Writer, ctx: Context, facts: SolveFacts) -> None:
    """Each goal in words: its value, its bound and whether it is proven."""
    L = ctx.labels
    w.title(L("goals.title"), font=BLOCK_TITLE)
    w.header([L("goal"), L("value"), L("bound"), L("proof")], height=30)
    # A re-solve's goals (MOVE_GOALS) show when its levels name them.
    names = [n for n in facts.levels if n in (*MOVE_GOALS, *GOAL_ORDER)] or list(GOAL_ORDER)
    names += [n for n in GOAL_ORDER if n not in names]
    for name in names:
        value, bound, fmt = _goal_numbers(name, facts)
        w.line([L.goal(name), value, bound, _goal_proof(L, name, facts)],
               border=True, formats=[None, fmt, fmt, None])
    w.skip()


def _summary_fared(w: Writer, ctx: Context, overall: Fared) -> None:
    """How the choosers fared by their best place, as a table and a column chart."""
    L, sheet = ctx.labels, w.sheet
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
    # Inside columns C to G (about 10.5 cm): a chart past the last column would print
    # on pages of its own.
    chart.height, chart.width = 7.0, 10.0
    sheet.add_chart(chart, f"C{header_row}")
    w.skip(max(0, 15 - len(counts)))  # keep the by-grade table below the chart


def _summary_by_grade(w: Writer, ctx: Context, schedule: Schedule,
                      ranks: dict[str, list[int]], overall: Fared) -> None:
    L = ctx.labels
    w.title(L("by_grade.title"), font=BLOCK_TITLE)
    w.header([L("grade"), L("registered"), L("choosers"), L("first_choice"), L("top3_share"),
              L("none_count"), L("mean_rank")])
    for grade in sorted({s.grade for s in ctx.school.registered_students}):
        f = fared(ctx.school, schedule, grade=grade, ranks=ranks)
        w.line(_grade_row(L("grade_n", grade=grade), f), border=True,
               formats=[None, "0", "0", PERCENT, PERCENT, "0", "0.00"])
    w.line(_grade_row(L("total"), overall), border=True, font=BOLD,
           formats=[None, "0", "0", PERCENT, PERCENT, "0", "0.00"])


def _raised_rows(L: Labels, school: School, schedule: Schedule, raised: tuple[str, ...]
                 ) -> list[tuple[str, int]]:
    """How many last term's rule raised, and what they got this term."""
    ranks = placed_ranks(school, schedule)
    got = [ranks.get(student_id, []) for student_id in raised]
    wants = [school.student_by_id[i].wants for i in raised if i in school.student_by_id]
    return [
        (L("raised.count"), len(raised)),
        (L("raised.placed"), sum(1 for r in got if r)),
        (L("raised.first"), sum(1 for r in got if 1 in r)),
        (L("raised.all"), sum(1 for r, w in zip(got, wants, strict=False) if len(r) >= w)),
        (L("raised.none"), sum(1 for r in got if not r)),
    ]


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
    paper = laid_out(sheet, [13, *([27] * ROOMS_PER_BLOCK)], landscape=True)
    w = Writer(sheet, paper, titles_height=row_height(TITLE))
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
            # A block of rooms stays on one page: its heading, rooms and every interval.
            w.keep(row_height(BLOCK_TITLE) + TIMETABLE_HEAD
                   + sum(h for _, h in _intervals(meetings)))
            heading = ("timetable.day" if len(used) <= ROOMS_PER_BLOCK else
                       "timetable.block_one" if len(block) == 1 else "timetable.block")
            w.title(L(heading, day=L.day_long(day), first=start + 1,
                      last=start + len(block), count=len(used)), font=BLOCK_TITLE)
            w.header([L("time"), *(_room_head(ctx, i, room_names[i]) for i in block)],
                     height=TIMETABLE_HEAD)
            _day_grid(w, ctx, block, meetings)
            w.skip()
    page_setup(sheet, ctx, L("sheet.timetable"), paper, title_rows="1:1")


TIMETABLE_HEAD = 32.0
"""Points of the rooms' header row (name, then type and capacity)."""


def _intervals(meetings: list[tuple[Roster, MeetingView]]
               ) -> list[tuple[tuple[int, int], float]]:
    """The clock intervals between any two meeting boundaries that some meeting covers
    (a break between periods would be an empty row), each with its row height."""
    points = sorted({t for _, m in meetings for t in (m.start, m.end)})
    return [((a, b), max(18.0, (b - a) * 1.5)) for a, b in pairwise(points)
            if any(m.start <= a and b <= m.end for _, m in meetings)]


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
    intervals = _intervals(meetings)
    top = w.row
    row_of = {interval: top + i for i, (interval, _) in enumerate(intervals)}
    for ((a, b), height), row in zip(intervals, row_of.values(), strict=True):
        w.cell(row, 1, L.span(a, b), font=BOLD, align=CENTER_WRAP, border=True)
        w.sheet.row_dimensions[row].height = height
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
    w.used += sum(h for _, h in intervals)


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


def roster_details(labels: Labels, roster: Roster) -> str:
    """The line under a roster's title: when, where, who, how many, what kind."""
    rooms = list(dict.fromkeys(m.room_name for m in roster.meetings))
    staff = list(dict.fromkeys(p.name for m in roster.meetings for p in m.staff))
    parts = [roster_when(labels, roster), labels("list_sep").join(rooms),
             labels("list_sep").join(staff), labels("n_students", n=len(roster.students)),
             labels.category(roster.category)]
    return " · ".join(part for part in parts if part)


def sign_in_days(roster: Roster) -> list[int]:
    return sorted({m.day for m in roster.meetings})


def date_chunks(dates: Sequence[dt.date], per_page: int) -> list[list[dt.date]]:
    """The term's dates in even runs of at most ``per_page``: 42 dates at 23 a page are
    two pages of 21, not 23 and 19."""
    if not dates:
        return [[]]
    pages = -(-len(dates) // per_page)
    size = -(-len(dates) // pages)
    return [list(dates[i:i + size]) for i in range(0, len(dates), size)]


ROSTER_FIXED = (4.0, 12.0, 6.0)  # No., name, class
DATE_WIDTH = 5.0
ROSTER_SCALE = 85
"""Rosters print landscape at 85%: 11-pt names print at 9.4 pt, and a term of weekly
meetings (about 21 dates) fits one page across."""
ROW = 15.0
ROW_TIGHT = 12.0  # rows shrink this far before a roster runs onto another page
SIGNATURE = 26.0


def rosters_sheet(sheet: Worksheet, ctx: Context, rosters: Sequence[Roster]) -> None:
    """Per section, the whole term's sign-in sheet: a dated column for every meeting of the
    term (on as many pages across as needed), the children in class-register order, and
    a line for the person in charge to sign. Each chosen activity's roster starts a page;
    study rosters follow one another, each kept whole on a page where it fits."""
    L = ctx.labels
    info = ctx.school.info
    per_page = columns_fitting(ROSTER_FIXED, DATE_WIDTH, landscape=True, scale=ROSTER_SCALE)
    chunks = {r.section_id: date_chunks(meeting_dates(info.term_start, info.term_end,
                                                      sign_in_days(r)), per_page)
              for r in rosters}
    across = max((len(c) for cs in chunks.values() for c in cs), default=1)
    paper = laid_out(sheet, [*ROSTER_FIXED, *([DATE_WIDTH] * max(across, 1))], landscape=True)
    w = Writer(sheet, paper, titles_height=row_height(TITLE))
    _sheet_title(w, ctx, "sheet.rosters")
    for roster in rosters:
        for index, dates in enumerate(chunks[roster.section_id]):
            _roster_block(w, L, roster, dates, first=index == 0,
                          several=len(chunks[roster.section_id]) > 1)
    w.continued = None
    page_setup(sheet, ctx, L("sheet.rosters"), paper, title_rows="1:1")


def _roster_block(w: Writer, L: Labels, roster: Roster, dates: list[dt.date], *,
                  first: bool, several: bool) -> None:
    title = roster_title(L, roster)
    if several and dates:
        title = L("roster.dates", title=title, first=L.date_short(dates[0]),
                  last=L.date_short(dates[-1]))
    head = [L("no_"), L("name"), L("class"), *(L.date_head(d) for d in dates)]
    line = row_height(None)
    top = row_height(BLOCK_TITLE) + line + (row_height(NOTE) if first else 0) + DATE_HEAD
    again = row_height(BLOCK_TITLE) + DATE_HEAD  # a continuation page's heading
    tail = SIGNATURE
    students = list(roster.students)
    count = max(len(students), 1)
    # Rows tighten (to ROW_TIGHT) before a roster takes a second page; a longer one is
    # split into even pages, so no page holds a couple of names or only the signature.
    room = w.room
    if top + count * ROW_TIGHT + tail <= room:
        parts = [students]
        # Rounded down to a tenth of a point, so the rows' sum stays inside the page.
        row = min(ROW, math.floor((room - top - tail - 1) / count * 10) / 10)
    else:
        per_page = int((room - again - tail) // ROW)
        pages = -(-len(students) // per_page)
        size = -(-len(students) // pages)
        parts = [students[i:i + size] for i in range(0, len(students), size)]
        row = ROW
    whole = GAP + top + count * row + tail
    if roster.is_study and len(parts) == 1 and w.fits(whole):
        if w.used:
            w.skip()  # study rosters share a page where they fit
    elif w.used:
        w.page_break()

    w.title(title, font=BLOCK_TITLE)
    w.line([roster_details(L, roster)])
    if first:
        w.line([L("section_code", code=roster.section_id)], font=NOTE)
    w.header(head, height=DATE_HEAD, font=DATE_FONT)
    number = 0
    for index, part in enumerate(parts):
        if index:
            w.page_break()
            w.title(L("continued", title=title), font=BLOCK_TITLE)
            w.header(head, height=DATE_HEAD, font=DATE_FONT)
        for p in part:
            number += 1
            w.line([number, p.name, p.class_name, *([""] * len(dates))], border=True,
                   height=row)
    if not roster.students:
        w.line([L("roster.empty")], font=NOTE)
    w.line([L("roster.signature")], height=SIGNATURE, align=BOTTOM)


DATE_HEAD = 30.0
"""Points of a roster's column header: the date over the weekday."""
DATE_FONT = Font(size=9)
"""``10/12`` fits a five-character column at 9 pt (not at 11 pt bold)."""


# --- Class lists --------------------------------------------------------------------

def spot_text(labels: Labels, spot: Spot | None, registered: bool) -> str:
    """A class-list cell: the activity and its section letter (study in one short word);
    where it is and who is in charge are listed under the grid (:func:`class_places`)."""
    if spot is None:
        return labels("picked_up") if registered else labels("not_here")
    return labels.section(spot_activity(labels, spot), spot.letter)


def spot_activity(labels: Labels, spot: Spot) -> str:
    return labels("study_short") if spot.category == "study" else spot.activity_name


def class_places(labels: Labels, class_list: ClassList) -> list[str]:
    """Each place the class's children go: ``Chess B: Mon 1 · Art room · Zhang Wei`` —
    in words, in the order the week meets them, so nobody decodes a legend."""
    found: dict[tuple[str, str, tuple[str, ...]], list[str]] = {}
    for index, slot in enumerate(class_list.slots):
        for row in class_list.rows:
            spot = row.spots[index]
            if spot is None:
                continue
            key = (spot_text(labels, spot, True), spot.room_name, spot.staff_names)
            when = labels.slot(slot.day, slot.period)
            if when not in found.setdefault(key, []):
                found[key].append(when)
    return [labels("classes.place", place=name, when=labels("list_sep").join(when),
                   room=room, staff=labels("list_sep").join(staff) or "—")
            for (name, room, staff), when in found.items()]


def registered_on(class_list: ClassList, row: ClassRow, day: int) -> bool:
    """Was the child registered on ``day``? A registered child has a place in period 1 of
    each registered day, so any place that day says yes."""
    return any(spot is not None and slot.day == day
               for slot, spot in zip(class_list.slots, row.spots, strict=True))


GRID_FONT = Font(size=10)
CLASS_NAME_WIDTH = 9.0
CLASS_SLOT_WIDTH = 9.0
"""Portrait A4 holds ten slots of nine characters at about 84%: 10-pt activity names print
at 8.4 pt and a class of 45 fits a page."""


def classes_sheet(sheet: Worksheet, ctx: Context, classes: Sequence[ClassList]) -> None:
    """Per homeroom class: each child, each day and period: which activity; then where
    each activity is and who is in charge. Each class starts a page."""
    L = ctx.labels
    slots = max((len(c.slots) for c in classes), default=1)
    paper = laid_out(sheet, [4, CLASS_NAME_WIDTH, *([CLASS_SLOT_WIDTH] * slots)],
                     landscape=False)
    w = Writer(sheet, paper, titles_height=row_height(TITLE))
    _sheet_title(w, ctx, "sheet.classes")
    # Text in the grid is 10 pt: its width in 11-pt characters is a little larger.
    cell_width = CLASS_SLOT_WIDTH * BASE_FONT / 10
    for class_list in classes:
        if w.used:
            w.page_break()
        _class_block(w, ctx, class_list, cell_width)
    page_setup(sheet, ctx, L("sheet.classes"), paper, title_rows="1:1")


def _class_block(w: Writer, ctx: Context, class_list: ClassList, cell_width: float) -> None:
    """One class: its grid of children by day and period, then where each activity is."""
    L = ctx.labels
    title = L("classes.block", class_name=class_list.class_name,
              grades=L.grades(class_list.grades))
    # "Mon 1" over the start time, in 9 pt: "周一第1节" and a whole span would wrap
    # to four lines in a nine-character column.
    head = [L("no_"), L("name"), *(f"{L.day(s.day)} {s.period}\n{L.span(s.start, s.end)[:5]}"
                                   for s in class_list.slots)]

    def heading_again(title: str = title, head: list[str] = head) -> None:
        w.title(L("continued", title=title), font=BLOCK_TITLE)
        w.header(head, height=30.0, font=DATE_FONT)

    rows = [[spot_text(L, spot, registered_on(class_list, row, slot.day))
             for slot, spot in zip(class_list.slots, row.spots, strict=True)]
            for row in class_list.rows]
    # Names and activities wrap, never cut: a row grows to its longest cell.
    lines = [max([text_lines(c, cell_width) for c in cells]
                 + [text_lines(row.pupil.name, CLASS_NAME_WIDTH)])
             for row, cells in zip(class_list.rows, rows, strict=True)]
    pairs = _pairs(class_places(L, class_list), len(class_list.slots))
    fixed = (row_height(BLOCK_TITLE) + row_height(NOTE) + 30.0 + GAP
             + row_height(BOLD) + 13.0 * len(pairs) + 2)
    # Lines tighten from 13 to 12 pt when that keeps the class and its places on
    # one page, rather than leave a couple of places on a page of their own.
    line = 13.0 if fixed + 13.0 * sum(lines) + len(lines) <= w.room else max(
        12.0, math.floor((w.room - fixed - len(lines)) / sum(lines) * 10) / 10)
    w.title(title, font=BLOCK_TITLE)
    w.line([L("classes.note", gone=L("picked_up"))], font=NOTE)
    w.header(head, height=30.0, font=DATE_FONT)
    w.continued = heading_again
    for number, (row, cells, count) in enumerate(
            zip(class_list.rows, rows, lines, strict=True), start=1):
        r = w.line([number, row.pupil.name, *cells], border=True, align=WRAP,
                   font=GRID_FONT, height=line * count + 1)
        for offset, spot in enumerate(row.spots):
            if spot is not None:
                w.sheet.cell(row=r, column=3 + offset).fill = category_fill(spot.category)
    w.skip()

    def where_again(title: str = title) -> None:
        w.title(L("continued", title=title), font=BLOCK_TITLE)
        w.line([L("classes.where")], font=BOLD)

    w.continued = None
    w.line([L("classes.where")], font=BOLD)
    w.continued = where_again
    for pair in pairs:
        w.line(pair, font=GRID_FONT, height=13.0)
    w.continued = None


def _pairs(places: list[str], slots: int) -> list[list[str | None]]:
    """Two places to a line where both fit their half of the page (the second starting
    at the grid's middle column), else one: the list stays short under a long grid."""
    middle = 2 + (slots + 1) // 2  # columns before the second half: No., name, slots
    left = 4 + CLASS_NAME_WIDTH + CLASS_SLOT_WIDTH * (middle - 2)
    right = CLASS_SLOT_WIDTH * (slots - middle + 2)
    # Grid text is 10 pt: a column holds a little more of it than of 11-pt text.
    left, right = left * BASE_FONT / 10 - 2, right * BASE_FONT / 10 - 2
    found: list[list[str | None]] = []
    pending = list(places)
    while pending:
        first = pending.pop(0)
        if pending and text_lines(first, left) == 1 and text_lines(pending[0], right) == 1:
            found.append([first, *([None] * (middle - 1)), pending.pop(0)])
        else:
            found.append([first])
    return found


# --- Students ------------------------------------------------------------------------

def students_sheet(sheet: Worksheet, ctx: Context, schedule: Schedule,
                   where: dict[tuple[str, int, int], Spot], finder: ReasonFinder) -> None:
    """One row per student: days, choices, what they got, their place in every slot,
    and in a few words why each choice above the best they got went elsewhere."""
    L = ctx.labels
    school = ctx.school
    ranks = placed_ranks(school, schedule)
    paper = laid_out(sheet, [8, 7, 5, 4, 9, 4, 4, 4, *([STUDENT_CHOICE_WIDTH] * 5), 7, 4,
                             *([STUDENT_DAY_WIDTH] * len(DAYS)), STUDENT_WHY_WIDTH],
                     landscape=True)
    w = Writer(sheet, paper)
    # One column per day with both periods in it, not ten slot columns: the sheet then
    # prints on landscape A4 at about 8 pt instead of 3 pt.
    w.header([L("student_id"), L("name"), L("class"), L("grade"), L("days"), L("stay"),
              L("wants"), L("priority"), *(L("choice_n", rank=k) for k in range(1, 6)),
              L("got"), L("best"), *(L.day(d) for d in range(len(DAYS))),
              L("why_not_higher")], height=30)
    for student in student_order(school):
        choices = [school.activity_by_id[c].name if c in school.activity_by_id else c
                   for c in student.choices[:5]]
        choices += [""] * (5 - len(choices))
        got = ranks.get(student.id, [])
        places = ["\n".join(place_text(L, where.get((student.id, d, p)), p) for p in PERIODS
                            if (student.id, d, p) in where) for d in range(len(DAYS))]
        why = describe_short(L, finder.above_best(student)[1])
        lines = max([text_lines(text, STUDENT_DAY_WIDTH) for text in places if text]
                    + [text_lines(c, STUDENT_CHOICE_WIDTH) for c in choices if c]
                    + [text_lines(why, STUDENT_WHY_WIDTH)], default=1)
        w.line([student.id, student.name, student.class_name, student.grade,
                L.days_compact(student.days) if student.registered
                else L("not_registered_day"),
                student.stay, student.wants, student.priority, *choices,
                ", ".join(map(str, got)) if got else (
                    L("none_of_choices") if student.registered and student.choices else ""),
                got[0] if got else None, *places, why], align=WRAP,
               height=14.0 * lines + 2)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(16 + len(DAYS))}{max(w.row - 1, 1)}"
    page_setup(sheet, ctx, L("sheet.students"), paper, title_rows="1:1")


STUDENT_CHOICE_WIDTH = 9  # four Chinese characters on a line
STUDENT_DAY_WIDTH = 13  # "1 国际象棋 A" on a line
STUDENT_WHY_WIDTH = 22  # "1st: full; 2nd: not opened" on two lines


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
    # Wide enough for both tables: the meetings below share the columns of the table above.
    paper = laid_out(sheet, [9, 10, 13, 7, 9, 8, 12, 7, 7, 7, 7, 7, 10, 10, 11],
                     landscape=True)
    w = Writer(sheet, paper, titles_height=row_height(TITLE))
    _sheet_title(w, ctx, "sheet.staff")
    head = [L("id"), L("name"), L("role"), L("may_serve"), L("periods_week"), L("max_week"),
            L("load"), *(L.day(d) for d in range(len(DAYS))), L("pay_per_period"),
            L("pay_week"), L("pay_term")]

    def staff_head() -> None:
        w.header(head, height=44)

    staff_head()
    w.continued = staff_head
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
    w.continued = None
    w.skip()
    w.keep(row_height(BLOCK_TITLE) + 30 + 5 * 15)
    w.title(L("staff.meetings"), font=BLOCK_TITLE)
    meetings_head = [L("id"), L("name"), L("day"), L("time"), L("activity"), "", "", "",
                     "", "", "", "", L("room"), "", L("size")]

    def meetings_header() -> None:
        w.header(meetings_head, height=30)

    meetings_header()
    w.continued = meetings_header
    for person in staff:
        for duty in person.duties:
            # The activity runs over the empty day columns; the room sits under the pay.
            w.line([person.id, person.name, L.day(duty.day), L.span(duty.start, duty.end),
                    L.section(duty.activity_name, duty.letter), *([None] * 7),
                    duty.room_name, None, duty.size],
                   fill=category_fill(duty.category))
    w.continued = None
    page_setup(sheet, ctx, L("sheet.staff"), paper, title_rows="1:1")


# --- Rooms ---------------------------------------------------------------------------

def rooms_sheet(sheet: Worksheet, ctx: Context, schedule: Schedule) -> None:
    """Per room, the week: each day's meetings with times, activity, section and size."""
    L = ctx.labels
    uses = room_uses(ctx.school, schedule)
    paper = laid_out(sheet, [8, 14, 9, 7, 8, 8, *([ROOM_DAY_WIDTH] * len(DAYS))],
                     landscape=True)
    w = Writer(sheet, paper)
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
        lines = max([text_lines(text, ROOM_DAY_WIDTH) for text in days if text]
                    + [text_lines(room.name if room else room_id, 14)])
        minutes = sum(m.end - m.start for m in meetings)
        w.line([room_id, room.name if room else room_id, L.room_type(room.type) if room else "",
                room.capacity if room else None, len(meetings), round(minutes / 60, 2), *days],
               border=True, align=WRAP, height=max(18, 14.5 * lines + 2))
    sheet.freeze_panes = "C4"
    page_setup(sheet, ctx, L("sheet.rooms"), paper, title_rows="1:3")


ROOM_DAY_WIDTH = 24


# --- Budget --------------------------------------------------------------------------

def budget_sheet(sheet: Worksheet, ctx: Context, money: Budget) -> None:
    """Term cost by kind and by activity, per student, against the budget; the surplus."""
    L = ctx.labels
    paper = laid_out(sheet, [34, 16, 12, 12, 10, 14, 14, 14, 14, 14], landscape=True)
    w = Writer(sheet, paper)
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
    row = w.line([policy], align=WRAP, height=15.0 * text_lines(policy, 34 + 16 + 12) + 4)
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
    page_setup(sheet, ctx, L("sheet.budget"), paper, title_rows="1:1")


# --- Unmet ---------------------------------------------------------------------------

def unmet_sheet(sheet: Worksheet, ctx: Context, rows: Iterable[Unmet]) -> None:
    """Each student without (enough of) their choices, with the reason in one line."""
    L = ctx.labels
    paper = laid_out(sheet, [10, 10, 7, 6, 6, 22, 34, 80], landscape=True)
    w = Writer(sheet, paper)
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
        lines = max(text_lines(got, 22), text_lines(choices, 34), text_lines(why, 80))
        w.line([unmet.pupil.id, unmet.pupil.name, unmet.pupil.class_name, unmet.pupil.grade,
                unmet.wants, got or L("none_of_choices"), choices, why],
               border=True, align=WRAP, height=15.0 * lines)
    if not count:
        w.line([L("unmet.none")], font=NOTE)
    sheet.freeze_panes = "C4"
    page_setup(sheet, ctx, L("sheet.unmet"), paper, title_rows="1:3")


# --- Warnings ------------------------------------------------------------------------

def warnings_sheet(sheet: Worksheet, ctx: Context, problems: Sequence[Problem]) -> None:
    """Everything validation warned about; the messages are the validator's own words."""
    L = ctx.labels
    paper = laid_out(sheet, [9, 12, 6, 16, 18, 90], landscape=True)
    w = Writer(sheet, paper)
    _sheet_title(w, ctx, "warnings.title")
    w.skip()
    w.header([L("level"), L("sheet"), L("row"), L("column"), L("value"), L("problem")])
    for problem in problems:
        value = "" if problem.value is None else str(problem.value)
        said = problem.text(L.lang)
        lines = max(text_lines(value, 18), text_lines(said, 90))
        w.line([L(f"level.{problem.severity.value}"), problem.sheet, problem.row,
                problem.column or "", value, said], border=True, align=WRAP,
               height=15.0 * lines)
    if not problems:
        w.line([L("warnings.none")], font=NOTE)
    page_setup(sheet, ctx, L("sheet.warnings"), paper, title_rows="1:3")
