"""Print-ready A4 PDFs for the whole term, in English or Chinese: rosters (landscape, a
dated sign-in column for every meeting of the term and a line for the person in charge
to sign; each chosen activity from a new page, study rosters several to a page),
class lists (portrait, one class from a new page, activities by name) and staff
timetables (a compact week per person, several people to a page).

Chinese is set in an installed TrueType font, embedded (the subset of glyphs used):
see :mod:`optimizer.outputs.report.fonts` for which, and for the fallback when none
is installed. The text stays real text (searchable, extractable).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from models.atomic import atomic_path
from models.time import DAYS
from optimizer.outputs.report.book import PrintBook
from optimizer.outputs.report.fonts import LATIN, LATIN_BOLD, Fonts
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.sheets import (
    CATEGORY_COLOURS,
    class_places,
    date_chunks,
    registered_on,
    roster_details,
    roster_title,
    sign_in_days,
    spot_text,
)
from optimizer.outputs.report.views import ClassList, Pupil, Roster, StaffView, meeting_dates

log = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("rosters", "classes", "staff")
"""What can be printed, in the order a combined PDF holds them."""

MARGIN = 14 * mm
TOP = MARGIN  # the page header sits in the margin, 9 mm from the edge
BOTTOM = MARGIN - 1 * mm  # and the footer, 8 mm from it
FRAME_PADDING = 6  # reportlab's default padding inside a frame, points
BODY_WIDTH = A4[0] - 2 * MARGIN - 2 * FRAME_PADDING
BODY_HEIGHT = A4[1] - TOP - BOTTOM - 2 * FRAME_PADDING
LANDSCAPE = (A4[1], A4[0])
WIDE_WIDTH = LANDSCAPE[0] - 2 * MARGIN - 2 * FRAME_PADDING
WIDE_HEIGHT = LANDSCAPE[1] - TOP - BOTTOM - 2 * FRAME_PADDING
SMALLEST = 8.0  # points: no text printed smaller


# --- page furniture -------------------------------------------------------------------

def _numbered_canvas(draw_furniture: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that knows the page count, for "page x of y" (reportlab lays out once)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_furniture(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


class _Styles:
    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.title = ParagraphStyle("title", fontName=LATIN_BOLD, fontSize=15, leading=19,
                                    spaceAfter=4)
        self.subtitle = ParagraphStyle("subtitle", fontName=LATIN, fontSize=10, leading=13,
                                       textColor=colors.HexColor("#404040"), spaceAfter=6)
        self.body = ParagraphStyle("body", fontName=LATIN, fontSize=9.5, leading=12)
        self.cell = ParagraphStyle("cell", fontName=LATIN, fontSize=9, leading=11)
        self.small = ParagraphStyle("small", fontName=LATIN, fontSize=SMALLEST, leading=9.4)
        self.head = ParagraphStyle("head", fontName=LATIN_BOLD, fontSize=8.5, leading=10,
                                   alignment=1)
        self.date = ParagraphStyle("date", fontName=LATIN, fontSize=SMALLEST, leading=9.4,
                                   alignment=1)
        self.note = ParagraphStyle("note", fontName=LATIN, fontSize=SMALLEST, leading=9.6,
                                   textColor=colors.HexColor("#505050"))
        # A roster's heading is a little smaller: the rows of a group of 40 need the page.
        self.roster_title = ParagraphStyle("roster_title", fontName=LATIN_BOLD, fontSize=13,
                                           leading=16, spaceAfter=2)
        self.roster_line = ParagraphStyle("roster_line", fontName=LATIN, fontSize=9.5,
                                          leading=11.5, textColor=colors.HexColor("#404040"),
                                          spaceAfter=2)
        self.person = ParagraphStyle("person", fontName=LATIN_BOLD, fontSize=10.5,
                                     leading=13, spaceBefore=2, spaceAfter=2)

    def p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.fonts.markup("" if text is None else str(text)),
                         style or self.cell)


GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
])


def _colour(category: str) -> colors.Color:
    return colors.HexColor("#" + CATEGORY_COLOURS.get(category, "F2F2F2"))


# --- the documents ----------------------------------------------------------------------

@dataclass(frozen=True)
class _Block:
    """One roster, class or person: what the page header calls it, its flowables, and
    whether it starts a page (else it follows on the page, kept whole where it fits)."""

    name: str
    flowables: list[Flowable]
    new_page: bool


def write_pdf(path: str | Path, book: PrintBook, kinds: Sequence[str] = ("rosters",), *,
              lang: str | None = None, font: str | Path | None = None) -> Path:
    """Write a PDF of ``kinds`` (``rosters``, ``classes``, ``staff``) atomically.

    Rosters are A4 landscape, class lists and staff A4 portrait; every page's header
    names the part and the section, class or person it holds, so a continuation
    page says whose it is. ``lang`` defaults to the language the workbook was written
    in; ``font`` is a TrueType file to embed (default: an installed one).
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds must be some of {', '.join(KINDS)}, not {list(kinds)}")
    labels = Labels(lang or book.language)
    fonts = Fonts(font)
    styles = _Styles(fonts)
    ordered = [k for k in KINDS if k in kinds]
    titles = {"rosters": labels("roster.title"), "classes": labels("classes.title"),
              "staff": labels("staff.title")}
    # The running title (page header, left) names the blocks a page holds.
    current_title = _RunningTitle(titles[ordered[0]])

    story = _story(book, ordered, titles, current_title, styles, labels)

    term = labels("term", start=book.term_start, end=book.term_end)
    page_titles: list[str] = []

    def furniture(canvas: Canvas, number: int, total: int) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#404040"))
        title = page_titles[number - 1] if number <= len(page_titles) else ""
        fonts.draw(canvas, MARGIN, height - 9 * mm, fonts.fit(title, 8, width / 2 - 40 * mm),
                   8)
        fonts.draw(canvas, width / 2 + 10 * mm, height - 9 * mm, book.school_name, 8,
                   align="center")
        fonts.draw(canvas, width - MARGIN, height - 9 * mm, term, 8, align="right")
        fonts.draw(canvas, width / 2, 8 * mm,
                   labels("page_x_of_y", page=number, pages=total), 8, align="center")
        if book.redacted:
            fonts.draw(canvas, MARGIN, 8 * mm, labels("redacted_note"), SMALLEST)
        canvas.restoreState()

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        page_titles.append(current_title.end_page())

    with atomic_path(path) as temporary:
        doc = BaseDocTemplate(
            str(temporary), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=TOP, bottomMargin=BOTTOM,
            title=f"{book.school_name} — {' / '.join(titles[k] for k in ordered)}",
            author=book.school_name, creator="afterschool-schedule",
            lang="zh-CN" if labels.lang == "zh" else "en")
        templates = _page_templates(on_page)
        first = _ORIENTATION[ordered[0]]  # the first template is the first page's
        doc.addPageTemplates([templates[first],
                              *(t for k, t in templates.items() if k != first)])
        doc.build(story, canvasmaker=_numbered_canvas(furniture))
    log.info("wrote a PDF of %s (%s)", ", ".join(ordered), labels.lang)
    return Path(path)


_ORIENTATION = {"rosters": "landscape", "classes": "portrait", "staff": "portrait"}


def _story(book: PrintBook, ordered: Sequence[str], titles: dict[str, str],
           current_title: _RunningTitle, styles: _Styles, labels: Labels) -> list[Flowable]:
    """Every part's blocks in order, each part on pages of its own orientation."""
    story: list[Flowable] = []
    for part_index, kind in enumerate(ordered):
        blocks = {
            "rosters": lambda: _roster_blocks(styles, labels, book),
            "classes": lambda: [_class_block(styles, labels, c) for c in book.classes],
            "staff": lambda: _staff_blocks(styles, labels, book),
        }[kind]()
        if not blocks:
            blocks = [_Block("", [Paragraph(styles.fonts.markup(labels("pdf.empty")),
                                            styles.body)], True)]
        if part_index:
            story.append(NextPageTemplate(_ORIENTATION[kind]))
            story.append(PageBreak())
        for index, block in enumerate(blocks):
            if index and block.new_page:
                story.append(PageBreak())
            elif index:
                story.append(Spacer(1, 5 * mm))
            # The marker travels with its block: a block that moves to the next page
            # must not rename the page it left.
            marked = [_SetTitle(current_title, titles[kind], block.name), *block.flowables]
            # Kept whole on a page where it fits; a longer block runs on, its table's
            # header repeated and the page header naming it.
            if block.new_page:
                story.extend(marked)
            else:
                story.append(KeepTogether(marked))
    return story


def _page_templates(on_page: Callable[[Canvas, BaseDocTemplate], None]
                    ) -> dict[str, PageTemplate]:
    """A4 portrait and landscape, one frame inside the margins each."""
    return {
        "portrait": PageTemplate(id="portrait", pagesize=A4, onPageEnd=on_page, frames=[
            Frame(MARGIN, BOTTOM, A4[0] - 2 * MARGIN, A4[1] - TOP - BOTTOM)]),
        "landscape": PageTemplate(id="landscape", pagesize=LANDSCAPE, onPageEnd=on_page,
                                  frames=[Frame(MARGIN, BOTTOM, LANDSCAPE[0] - 2 * MARGIN,
                                                LANDSCAPE[1] - TOP - BOTTOM)]),
    }


class _RunningTitle:
    """What each page's header calls it: the block it holds, the first and last of several
    ("Staff timetable · T001 – T007"), or the block running on from the page before."""

    def __init__(self, part: str) -> None:
        self.carried = part
        self.on_this_page: list[tuple[str, str]] = []  # (part title, block name)

    def begin(self, part: str, block: str) -> None:
        self.on_this_page.append((part, block))

    def end_page(self) -> str:
        begun, self.on_this_page = self.on_this_page, []
        if not begun:
            return self.carried
        (part, first), (last_part, last) = begun[0], begun[-1]
        self.carried = f"{last_part} · {last}" if last else last_part
        if len(begun) == 1 or part != last_part:
            return f"{part} · {first}" if first else part
        return f"{part} · {first} – {last}"


class _SetTitle(Flowable):
    """Zero-size marker: a block begins here, on whatever page it is drawn."""

    def __init__(self, running: _RunningTitle, part: str, block: str) -> None:
        super().__init__()
        self.running, self.part, self.block = running, part, block
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.running.begin(self.part, self.block)


# --- rosters --------------------------------------------------------------------------

NO_WIDTH = 9 * mm
NAME_WIDTH = 30 * mm
CLASS_WIDTH = 16 * mm
PDF_DATE_WIDTH = 9.5 * mm
DATES_PER_PAGE = int((WIDE_WIDTH - NO_WIDTH - NAME_WIDTH - CLASS_WIDTH) // PDF_DATE_WIDTH)
"""Dated sign-in columns across a landscape page: about 23, a term of weekly meetings."""


ROSTER_HEAD = 104.0
"""Points above and below a roster's rows at most: title, details, code, column header,
signature (each roster measures its own; this decides when one is split)."""
ROW_MIN = 9.4  # a sign-in row no lower than this (3.3 mm, 8-pt names): a tick still fits
ROW_SPLIT = 13.0  # rows of a roster split over pages


def _roster_blocks(styles: _Styles, labels: Labels, book: PrintBook) -> list[_Block]:
    start, end = dt.date.fromisoformat(book.term_start), dt.date.fromisoformat(book.term_end)
    blocks = []
    for roster in book.rosters:
        dates = meeting_dates(start, end, sign_in_days(roster))
        chunks = date_chunks(dates, DATES_PER_PAGE)
        # A roster that fits a page at ROW_MIN rows is one page; a longer one is split
        # into even pages (never a page holding two names), each headed again.
        students = list(roster.students)
        room = WIDE_HEIGHT - ROSTER_HEAD
        if len(students) * ROW_MIN <= room:
            parts = [students]
        else:
            per_page = int(room // ROW_SPLIT)
            count = -(-len(students) // per_page)
            size = -(-len(students) // count)
            parts = [students[i:i + size] for i in range(0, len(students), size)]
        name = roster_title(labels, roster) if not roster.is_study else roster.activity_name
        for index, chunk in enumerate(chunks):
            title = roster_title(labels, roster)
            if len(chunks) > 1 and chunk:
                title = labels("roster.dates", title=title, first=labels.date_short(chunk[0]),
                               last=labels.date_short(chunk[-1]))
            numbered = 1
            for part_index, part in enumerate(parts):
                blocks.append(_Block(name, _roster_flow(
                    styles, labels, roster,
                    title if part_index == 0 else labels("continued", title=title), chunk,
                    part, numbered, first=index == 0 and part_index == 0,
                    last=part_index == len(parts) - 1),
                    new_page=not roster.is_study or index > 0 or part_index > 0))
                numbered += len(part)
    return blocks


def _roster_flow(styles: _Styles, labels: Labels, roster: Roster, title: str,
                 dates: list[dt.date], students: list[Pupil], numbered: int, *,
                 first: bool, last: bool) -> list[Flowable]:
    """A section's sign-in sheet for ``dates``: what, when, where, who; the children from
    number ``numbered`` on; after the last, a line for the person in charge to sign."""
    flow: list[Flowable] = [styles.p(title, styles.roster_title),
                            styles.p(roster_details(labels, roster), styles.roster_line)]
    if first:
        flow.append(styles.p(labels("section_code", code=roster.section_id), styles.note))
    header = [styles.p(h, styles.head) for h in (labels("no_"), labels("name"),
                                                 labels("class"))]
    header += [styles.p(labels.date_head(d), styles.date) for d in dates]
    rows: list[list[object]] = [header]
    signature = [Spacer(1, 2.5 * mm), styles.p(labels("roster.signature"), styles.body)]
    # What the page leaves for the rows once the heading, the column header (two lines)
    # and the signature are placed, measured; a little kept back for rounding.
    used = sum(f.wrap(WIDE_WIDTH, WIDE_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in [*flow, *(signature if last else [])])
    room = WIDE_HEIGHT - used - 2 * styles.date.leading - 24
    log.debug("roster %s: %.1f points above and below the rows", roster.section_id, used)
    # Study rosters stay compact (several to a page where they fit); an activity's roster
    # has the page to itself and roomier rows.
    row_height = min(14.0 if roster.is_study else 17.0,
                     max(ROW_MIN, room / max(len(students), 1)))
    # Names a size smaller when a large group needs the tightest rows to fit one page.
    name = styles.cell if row_height >= styles.cell.leading + 1 else styles.small
    for number, p in enumerate(students, start=numbered):
        rows.append([str(number), styles.p(p.name, name), styles.p(p.class_name, name),
                     *([""] * len(dates))])
    if not roster.students:
        rows.append([styles.p(labels("roster.empty"), styles.note), "", "",
                     *([""] * len(dates))])
    table = Table(rows, colWidths=[NO_WIDTH, NAME_WIDTH, CLASS_WIDTH,
                                   *([PDF_DATE_WIDTH] * len(dates))],
                  repeatRows=1, hAlign="LEFT",
                  rowHeights=[None] + [row_height] * (len(rows) - 1))
    style = TableStyle([*GRID.getCommands(), ("TOPPADDING", (0, 1), (-1, -1), 0.5),
                        ("BOTTOMPADDING", (0, 1), (-1, -1), 0.5),
                        ("FONTSIZE", (0, 1), (0, -1), name.fontSize),
                        ("BACKGROUND", (0, 0), (2, 0), _colour(roster.category))])
    table.setStyle(style)
    flow.append(table)
    if last:
        flow += signature
    return flow


# --- class lists ---------------------------------------------------------------------

def _class_block(styles: _Styles, labels: Labels, class_list: ClassList) -> _Block:
    """A class's week: each child's activity in each day and period, by name; then where
    each activity is and who is in charge. Names and activities wrap, never cut."""
    title = labels("classes.block", class_name=class_list.class_name,
                   grades=labels.grades(class_list.grades))
    flow = [styles.p(title, styles.roster_title),
            styles.p(labels("classes.note", gone=labels("picked_up")), styles.note),
            Spacer(1, 1.5 * mm)]
    grid = _class_grid(styles, labels, class_list)
    legend = _class_legend(styles, labels, class_list)
    # Measured: what the heading, the grid's header and the places take; the rows share
    # the rest. A class too large for one page is split evenly over two (or more), the
    # places after the last part, so no page holds a couple of children or only places.
    room = BODY_HEIGHT - _height(flow) - (2 * styles.date.leading + 6) - 8
    parts, line = _class_pages(grid.lines, room, _height(legend))
    for index, part in enumerate(parts):
        if index:
            flow += [PageBreak(),
                     styles.p(labels("continued", title=title), styles.roster_title)]
        flow.append(_class_table(grid, part, line))
    flow += legend
    return _Block(class_list.class_name, flow, new_page=True)


@dataclass(frozen=True)
class _ClassGrid:
    """A class's week as a table not yet cut into pages."""

    rows: list[list[object]]
    """The header, then a row per child (the child's number is its index)."""
    lines: list[int]
    """How many lines each child's row takes, the longest name or activity wrapped."""
    fills: list[tuple[int, int, str]]
    """(column, child's number, category) of each cell coloured by its activity."""
    widths: list[float]


def _class_grid(styles: _Styles, labels: Labels, class_list: ClassList) -> _ClassGrid:
    """Each child's row of the class's week, and how tall it is."""
    # Narrow number and name columns leave a slot room for "童声合唱团 A" in 8 pt on one
    # line; a longer name wraps.
    name_width = 14 * mm
    slot_width = (BODY_WIDTH - 6 * mm - name_width) / max(len(class_list.slots), 1)
    # The start time only: "15:50–16:30" does not fit a slot's width in 8 pt (the
    # workbook's class list heads each slot with the whole span).
    header = [labels("no_"), labels("name"),
              *(f"{labels.slot(s.day, s.period)}\n{labels.span(s.start, s.end)[:5]}"
                for s in class_list.slots)]
    grid = _ClassGrid(rows=[[styles.p(h, styles.date) for h in header]], lines=[], fills=[],
                      widths=[6 * mm, name_width, *([slot_width] * len(class_list.slots))])
    for number, row in enumerate(class_list.rows, start=1):
        texts = [spot_text(labels, spot, registered_on(class_list, row, slot.day))
                 for slot, spot in zip(class_list.slots, row.spots, strict=True)]
        # Wrapped, never cut: the row is as tall as its longest name or activity.
        grid.lines.append(max([_lines(styles, row.pupil.name, name_width)]
                              + [_lines(styles, t, slot_width) for t in texts]))
        grid.rows.append([str(number), styles.p(row.pupil.name, styles.small),
                          *(styles.p(t, styles.small) for t in texts)])
        grid.fills.extend((column + 2, number, spot.category)
                          for column, spot in enumerate(row.spots) if spot is not None)
    return grid


def _class_legend(styles: _Styles, labels: Labels, class_list: ClassList) -> list[Flowable]:
    """Where each of the class's activities is and who is in charge, under the grid."""
    places = [styles.p(text, styles.note) for text in class_places(labels, class_list)]
    legend: list[Flowable] = [Spacer(1, 3 * mm), styles.p(labels("classes.where"), styles.body)]
    # The places in two or three columns, whichever is shorter (a long place wraps in a
    # narrow column): a class with thirty study places keeps them, and its grid, on one
    # page where it can.
    if places:
        legend.append(min((_columns(places, across) for across in (2, 3)),
                          key=lambda t: t.wrap(BODY_WIDTH, BODY_HEIGHT)[1]))
    return legend


def _class_table(grid: _ClassGrid, part: list[int], line: float) -> Table:
    """The header and the children numbered in ``part``, each row ``line`` points a line,
    the activities' cells coloured."""
    table = Table([grid.rows[0], *(grid.rows[i] for i in part)], colWidths=grid.widths,
                  hAlign="LEFT", rowHeights=[None, *(line * grid.lines[i - 1] for i in part)])
    style = TableStyle([*GRID.getCommands(), ("TOPPADDING", (0, 1), (-1, -1), 0.5),
                        ("BOTTOMPADDING", (0, 1), (-1, -1), 0.5),
                        ("FONTSIZE", (0, 1), (0, -1), SMALLEST),
                        ("LEFTPADDING", (0, 0), (-1, -1), 1),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 1)])
    position = {row_index: k for k, row_index in enumerate(part, start=1)}
    for column, row_index, category in grid.fills:
        if row_index in position:
            style.add("BACKGROUND", (column, position[row_index]),
                      (column, position[row_index]), _colour(category))
    table.setStyle(style)
    return table


def _class_pages(lines: list[int], room: float, places_height: float
                 ) -> tuple[list[list[int]], float]:
    """The rows of a class grid (1-based, each ``lines[i - 1]`` lines tall) page by page,
    and the height of a line: ``room`` is a page's height under the heading and the
    grid's header, ``places_height`` what the places below the grid take.

    A class that fits one page with its places, at no less than ``CLASS_LINE_MIN`` a
    line, stays on it, its lines as tall as they may be up to 13 pt; a larger one is
    split evenly over as few pages as hold it at ``CLASS_LINE``, the places after the
    last part, so no page holds a couple of children or only places."""
    total = sum(lines)
    if total * CLASS_LINE_MIN <= room - places_height:
        return [list(range(1, len(lines) + 1))], min(13.0, (room - places_height)
                                                      / max(total, 1))
    count = 2
    while True:
        size = -(-len(lines) // count)
        parts = [list(range(i, min(i + size, len(lines) + 1)))
                 for i in range(1, len(lines) + 1, size)]
        last = sum(lines[i - 1] for i in parts[-1]) * CLASS_LINE
        if all(sum(lines[i - 1] for i in part) * CLASS_LINE <= room for part in parts) \
                and last <= room - places_height:
            return parts, CLASS_LINE
        count += 1


def _columns(cells: list[Flowable], across: int) -> Table:
    """``cells`` down ``across`` columns of the page's width, top to bottom, left to right."""
    down = -(-len(cells) // across)
    rows = [[cells[i + k * down] if i + k * down < len(cells) else ""
             for k in range(across)] for i in range(down)]
    table = Table(rows, colWidths=[BODY_WIDTH / across] * across, hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


CLASS_LINE_MIN = 9.6  # points a line of a class list's grid: 8-pt text and a little air
CLASS_LINE = 12.0  # the same, once a class is split over pages anyway


def _height(flowables: list[Flowable]) -> float:
    """Points ``flowables`` take on a portrait page, spacing included."""
    return sum(f.wrap(BODY_WIDTH, BODY_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter()
               for f in flowables)


def _lines(styles: _Styles, text: str, width: float) -> int:
    """Lines ``text`` wraps to in a cell ``width`` points wide, in the small style."""
    room = max(width - 2, 1)  # the cell's padding
    return max(1, math.ceil(styles.fonts.width(text, styles.small.fontSize) / room))


# --- staff -----------------------------------------------------------------------------

def _staff_blocks(styles: _Styles, labels: Labels, book: PrintBook) -> list[_Block]:
    """Everyone with meetings, a compact week each, several to a page."""
    return [_Block(person.name, _staff_flow(styles, labels, person, book), new_page=False)
            for person in book.staff if person.duties]


def _staff_flow(styles: _Styles, labels: Labels, person: StaffView,
                book: PrintBook) -> list[Flowable]:
    """One person's week: a day × period grid, each meeting's activity, time and room."""
    term_pay = person.pay_week * book.weeks
    line = (f"{person.name} ({person.id}) — {labels.role(person.role)} · "
            + labels("staff.summary_line", periods=person.periods_week,
                     max=person.max_periods_week, pay=f"{term_pay / 100:,.2f}"))
    days = list(range(len(DAYS)))
    periods = sorted({p for d in person.duties for p in d.periods}) or [1]
    rows: list[list[object]] = [[styles.p(labels("time"), styles.head),
                                 *(styles.p(labels.day(d), styles.head) for d in days)]]
    fills: list[tuple[int, int, str]] = []
    for row_index, period in enumerate(periods, start=1):
        cells: list[object] = [styles.p(labels("period_n", period=period), styles.small)]
        for day in days:
            here = [d for d in person.duties if d.day == day and period in d.periods]
            text = "\n".join(
                f"{labels.section(d.activity_name, d.letter)}\n"
                f"{labels.span(d.start, d.end)} · {d.room_name} · "
                f"{labels('n_students', n=d.size)}" for d in here)
            cells.append(styles.p(text, styles.small))
            if here:
                fills.append((day + 1, row_index, here[0].category))
        rows.append(cells)
    width = (BODY_WIDTH - 18 * mm) / len(days)
    table = Table(rows, colWidths=[18 * mm, *([width] * len(days))], hAlign="LEFT")
    style = TableStyle([*GRID.getCommands(), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    for column, row_index, category in fills:
        style.add("BACKGROUND", (column, row_index), (column, row_index), _colour(category))
    table.setStyle(style)
    return [styles.p(line, styles.person), table]
