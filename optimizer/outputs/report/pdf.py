"""Print-ready A4 PDFs: rosters (one section per page), class lists (one class per page)
and staff timetables (one person per page), in English or Chinese.

Chinese is set in an installed TrueType font, embedded (the subset of glyphs used):
see :mod:`optimizer.outputs.report.fonts` for which, and for the fallback when none
is installed. The text stays real text (searchable, extractable).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
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
    KeepInFrame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from models.atomic import atomic_path
from optimizer.outputs.report.book import PrintBook
from optimizer.outputs.report.fonts import LATIN, LATIN_BOLD, Fonts
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.sheets import (
    CATEGORY_COLOURS,
    roster_details,
    roster_title,
    sign_in_days,
)
from optimizer.outputs.report.views import ClassList, Roster, Spot, StaffView

log = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("rosters", "classes", "staff")
"""What can be printed, in the order a combined PDF holds them."""

MARGIN = 14 * mm
TOP = MARGIN + 4 * mm  # room for the page header
BOTTOM = MARGIN + 2 * mm  # and the footer
FRAME_PADDING = 6  # reportlab's default padding inside a frame, points
BODY_WIDTH = A4[0] - 2 * MARGIN - 2 * FRAME_PADDING
BODY_HEIGHT = A4[1] - TOP - BOTTOM - 2 * FRAME_PADDING


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
        self.small = ParagraphStyle("small", fontName=LATIN, fontSize=7, leading=8.2)
        self.head = ParagraphStyle("head", fontName=LATIN_BOLD, fontSize=8.5, leading=10,
                                   alignment=1)
        self.note = ParagraphStyle("note", fontName=LATIN, fontSize=7.5, leading=9,
                                   textColor=colors.HexColor("#505050"))

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

def write_pdf(path: str | Path, book: PrintBook, kinds: Sequence[str] = ("rosters",), *,
              lang: str | None = None, font: str | Path | None = None) -> Path:
    """Write a PDF of ``kinds`` (``rosters``, ``classes``, ``staff``) atomically.

    Each roster, class list and person starts a new page; rosters and staff
    pages are A4 portrait, class lists A4 portrait too (a grid with a legend).
    ``lang`` defaults to the language the workbook was written in.
    """
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds must be some of {', '.join(KINDS)}, not {list(kinds)}")
    labels = Labels(lang or book.language)
    fonts = Fonts(font)
    styles = _Styles(fonts)
    ordered = [k for k in KINDS if k in kinds]
    story: list[Flowable] = []
    titles = {"rosters": labels("roster.title"), "classes": labels("classes.title"),
              "staff": labels("staff.title")}
    # The running title (page header, left) follows the part being printed.
    current_title = {"text": titles[ordered[0]]}

    for part_index, kind in enumerate(ordered):
        pages = {
            "rosters": lambda: [_roster_page(styles, labels, r) for r in book.rosters],
            "classes": lambda: [_class_page(styles, labels, c) for c in book.classes],
            "staff": lambda: [_staff_page(styles, labels, s, book) for s in book.staff
                              if s.duties],
        }[kind]()
        if not pages:
            pages = [[Paragraph(fonts.markup(labels("pdf.empty")), styles.body)]]
        for page_index, flowables in enumerate(pages):
            if part_index or page_index:
                story.append(PageBreak())
            story.append(_SetTitle(current_title, titles[kind]))
            # One section, class or person per page: rows are sized to fit, and should a
            # very large group still overflow, the page is scaled down rather than split.
            story.append(KeepInFrame(BODY_WIDTH, BODY_HEIGHT - 1, flowables, mode="shrink"))

    term = labels("term", start=book.term_start, end=book.term_end)
    page_titles: list[str] = []

    def furniture(canvas: Canvas, number: int, total: int) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#404040"))
        title = page_titles[number - 1] if number <= len(page_titles) else ""
        fonts.draw(canvas, MARGIN, height - 9 * mm, title, 8)
        fonts.draw(canvas, width / 2, height - 9 * mm, book.school_name, 8, align="center")
        fonts.draw(canvas, width - MARGIN, height - 9 * mm, term, 8, align="right")
        fonts.draw(canvas, width / 2, 8 * mm,
                   labels("page_x_of_y", page=number, pages=total), 8, align="center")
        if book.redacted:
            fonts.draw(canvas, MARGIN, 8 * mm, labels("redacted_note"), 7)
        canvas.restoreState()

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        page_titles.append(current_title["text"])

    with atomic_path(path) as temporary:
        doc = BaseDocTemplate(
            str(temporary), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=TOP, bottomMargin=BOTTOM,
            title=f"{book.school_name} — {' / '.join(titles[k] for k in ordered)}",
            author=book.school_name, creator="afterschool-schedule",
            lang="zh-CN" if labels.lang == "zh" else "en")
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=on_page)])
        doc.build(story, canvasmaker=_numbered_canvas(furniture))
    log.info("wrote a PDF of %s (%s)", ", ".join(ordered), labels.lang)
    return Path(path)


class _SetTitle(Flowable):
    """Zero-size marker: from here on, the page header names this part."""

    def __init__(self, holder: dict[str, str], text: str) -> None:
        super().__init__()
        self.holder, self.text = holder, text
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.holder["text"] = self.text


def _heading(styles: _Styles, title: str, subtitle: str | None = None) -> list[Flowable]:
    found: list[Flowable] = [styles.p(title, styles.title)]
    if subtitle:
        found.append(styles.p(subtitle, styles.subtitle))
    return found


def _roster_page(styles: _Styles, labels: Labels, roster: Roster) -> list[Flowable]:
    """A section's roster: what, when, where, who; the children with a sign-in column."""
    flow = _heading(styles, roster_title(labels, roster))
    details = [[styles.p(label, styles.head), styles.p(value, styles.body)]
               for label, value in roster_details(labels, roster)]
    info = Table(details, colWidths=[28 * mm, None], hAlign="LEFT")
    info.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (0, -1), "LEFT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("BACKGROUND", (0, 0), (0, -1), _colour(roster.category)),
    ]))
    flow += [info, Spacer(1, 4 * mm)]
    days = sign_in_days(roster)
    header = [labels("no_"), labels("name"), labels("class"), labels("grade"),
              labels("student_id"), *(labels("sign_in", day=labels.day(d)) for d in days)]
    rows: list[list[object]] = [[styles.p(h, styles.head) for h in header]]
    for number, p in enumerate(roster.students, start=1):
        rows.append([str(number), styles.p(p.name), styles.p(p.class_name), str(p.grade),
                     styles.p(p.id), *([""] * len(days))])
    if not roster.students:
        rows.append([styles.p(labels("roster.empty"), styles.note), "", "", "", "",
                     *([""] * len(days))])
    sign = (BODY_WIDTH - 108 * mm) / max(len(days), 1)
    # A section's roster fits one page up to about 45 children: rows shrink a little when
    # they must, so a page holds the whole group (the sign-in column stays writable).
    row_height = min(16.0, max(10.5, (BODY_HEIGHT - 140) / max(len(rows) - 1, 1)))
    table = Table(rows, colWidths=[10 * mm, 40 * mm, 18 * mm, 14 * mm, 26 * mm,
                                   *([sign] * len(days))],
                  repeatRows=1, hAlign="LEFT", rowHeights=[None] + [row_height] * (len(rows) - 1))
    table.setStyle(GRID)
    flow.append(table)
    return flow


def _class_page(styles: _Styles, labels: Labels, class_list: ClassList) -> list[Flowable]:
    """A class's week on one page: a grid of codes, and what each code means.

    A code stands for one place (activity, room, staff); the grid stays one short
    line per child, so a class of fifty fits an A4 page, and the legend says where
    each place is and who is in charge: where each child is, and with whom.
    """
    flow = _heading(styles, labels("classes.block", class_name=class_list.class_name,
                                   grades=labels.grades(class_list.grades)),
                    labels("classes.pdf_note", gone=labels("picked_up")))
    codes: dict[tuple[str, str, tuple[str, ...]], str] = {}
    legend: list[tuple[str, Spot, list[str]]] = []
    for slot_index, slot in enumerate(class_list.slots):
        for row in class_list.rows:
            spot = row.spots[slot_index]
            if spot is None:
                continue
            key = (spot.activity_name, spot.room_name, spot.staff_names)
            if key not in codes:
                codes[key] = _code(len(codes))
                legend.append((codes[key], spot, []))
            when = f"{labels.slot(slot.day, slot.period)}"
            entry = next(e for e in legend if e[0] == codes[key])
            if when not in entry[2]:
                entry[2].append(when)

    width = BODY_WIDTH
    slot_width = (width - 8 * mm - 22 * mm) / max(len(class_list.slots), 1)
    # The column says the day, period and start time; the legend has the full times.
    header = [labels("no_"), labels("name"),
              *(f"{labels.day(s.day)} {s.period}\n{labels.span(s.start, s.end)[:5]}"
                for s in class_list.slots)]
    rows: list[list[object]] = [[styles.p(h, styles.head) for h in header]]
    fills: list[tuple[int, int, str]] = []
    for number, row in enumerate(class_list.rows, start=1):
        cells: list[object] = [str(number), styles.p(row.pupil.name)]
        for column, (slot, spot) in enumerate(zip(class_list.slots, row.spots, strict=True)):
            if spot is None:
                here = any(s is not None and sl.day == slot.day
                           for sl, s in zip(class_list.slots, row.spots, strict=True))
                cells.append(styles.p(labels("picked_up") if here else labels("not_here"),
                                      styles.small))
                continue
            code = codes[(spot.activity_name, spot.room_name, spot.staff_names)]
            name = labels("study_short") if spot.category == "study" else spot.activity_name
            text = styles.fonts.fit(f"{code} {name}", styles.small.fontSize, slot_width - 5)
            cells.append(styles.p(text, styles.small))
            fills.append((column + 2, number, spot.category))
        rows.append(cells)
    # What is left of the page once the heading, the grid's header and the legend (two
    # columns, some entries on two lines) are placed, shared by the children's rows.
    legend_height = 11.0 * ((len(legend) + 1) // 2) * 1.3
    left = BODY_HEIGHT - 60 - 26 - legend_height
    row_height = min(14.0, max(9.5, left / max(len(rows) - 1, 1)))
    grid = Table(rows, colWidths=[8 * mm, 22 * mm, *([slot_width] * len(class_list.slots))],
                 repeatRows=1, hAlign="LEFT",
                 rowHeights=[None] + [row_height] * (len(rows) - 1))
    style = TableStyle([*GRID.getCommands(), ("TOPPADDING", (0, 1), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 1), (-1, -1), 1),
                        ("LEFTPADDING", (0, 0), (-1, -1), 2),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 2)])
    for column, row_index, category in fills:
        style.add("BACKGROUND", (column, row_index), (column, row_index), _colour(category))
    grid.setStyle(style)
    flow += [grid, Spacer(1, 3 * mm)]

    items = [styles.p(f"{code}  {spot.activity_name} · {spot.room_name}"
                      + (f" · {labels('list_sep').join(spot.staff_names)}"
                         if spot.staff_names else "")
                      + f"  ({labels('list_sep').join(when)})", styles.note)
             for code, spot, when in legend]
    half = (len(items) + 1) // 2
    columns = [[items[i], items[i + half] if i + half < len(items) else ""]
               for i in range(half)]
    if columns:
        table = Table(columns, colWidths=[width / 2, width / 2], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        flow.append(table)
    return flow


def _code(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: spreadsheet-style letters, short in a narrow cell."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _staff_page(styles: _Styles, labels: Labels, person: StaffView,
                book: PrintBook) -> list[Flowable]:
    """A person's week: each meeting with time, activity, section, room and size."""
    term_pay = person.pay_week * book.weeks
    flow = _heading(styles, f"{person.name} ({person.id}) — {labels.role(person.role)}",
                    labels("staff.summary_line", periods=person.periods_week,
                           max=person.max_periods_week, pay=f"{term_pay / 100:,.2f}"))
    header = [labels("day"), labels("time"), labels("activity"), labels("room"), labels("size")]
    rows: list[list[object]] = [[styles.p(h, styles.head) for h in header]]
    for duty in person.duties:
        rows.append([styles.p(labels.day_long(duty.day)),
                     styles.p(labels.span(duty.start, duty.end)),
                     styles.p(labels.section(duty.activity_name, duty.letter)),
                     styles.p(duty.room_name), str(duty.size)])
    table = Table(rows, colWidths=[22 * mm, 26 * mm, 70 * mm, 50 * mm, 16 * mm],
                  repeatRows=1, hAlign="LEFT")
    style = TableStyle(GRID.getCommands())
    for index, duty in enumerate(person.duties, start=1):
        style.add("BACKGROUND", (0, index), (-1, index), _colour(duty.category))
    table.setStyle(style)
    flow.append(table)
    return flow

