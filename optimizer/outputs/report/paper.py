"""How a sheet falls onto A4 paper, worked out before it is written.

Fitting a sheet to the page width left everything to Excel or LibreOffice: a wide
sheet printed at 3 pt, and page breaks fell wherever the rows ran out, leaving
continuation pages without a heading and pages holding two names. Now each sheet's
columns are chosen so that, fitted to the width, nothing prints under about 8 pt,
and :class:`Paper` says the scale that fitting gives and how many points of rows a
page holds at it, so :class:`~optimizer.outputs.report.sheets.Writer` can keep
blocks whole, break before a block that would not fit, and head every continuation
page itself.

Widths are Excel's: characters of the workbook's default font (Calibri 11, a
7-pixel digit), which Excel turns into ``7 × width + 5`` pixels; heights are points.
Every row a paginated sheet writes gets an explicit height, so no program
re-measures it. The sheet stays fitted to the width (not a fixed scale): where the
columns come out wider — LibreOffice without Calibri or its metric twin Carlito
(Debian: fonts-crosextra-carlito) — the program shrinks the sheet to the width
rather than print the last columns on pages of their own, and the planned page
breaks still hold (rows only get shorter).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

POINTS_PER_INCH = 72.0
A4 = (595.3, 841.9)  # points, portrait
SIDE_MARGIN = 0.5  # inches, each side
TOP_MARGIN = BOTTOM_MARGIN = 0.75  # inches; the page header and footer sit inside them
HEADER_MARGIN = 0.3
SAFETY = 0.95
"""Share of the page planned on: room for the programs' rounding of widths and heights."""

BASE_FONT = 11.0  # points: the workbook's default font size
SMALLEST_PRINTED = 8.0  # points on paper: nothing printed smaller
MIN_SCALE = 73  # percent: 11 pt × 73% ≈ 8 pt


def column_points(width: float) -> float:
    """A column ``width`` characters wide, in points (7 px a character plus 5 px padding)."""
    return int(width * 7 + 5) * 0.75


@dataclass(frozen=True)
class Paper:
    """An A4 page and the scale a sheet prints at (percent)."""

    landscape: bool
    scale: int

    @property
    def printable_width(self) -> float:
        width = A4[1] if self.landscape else A4[0]
        return width - 2 * SIDE_MARGIN * POINTS_PER_INCH

    @property
    def printable_height(self) -> float:
        height = A4[0] if self.landscape else A4[1]
        return height - (TOP_MARGIN + BOTTOM_MARGIN) * POINTS_PER_INCH

    @property
    def body_height(self) -> float:
        """Points of rows (as the sheet measures them) that one printed page holds, with
        a margin for the programs' rounding."""
        return self.printable_height * SAFETY * 100 / self.scale

    def smallest_font(self, size: float = BASE_FONT) -> float:
        """What a ``size``-point font measures on paper at this scale."""
        return size * self.scale / 100


def paper_for(widths: Sequence[float], *, landscape: bool) -> Paper:
    """The scale (at most 100%) fitting columns of ``widths`` to the page width gives.

    Rounded up: were the program's scale larger than the plan, a page would hold fewer
    rows than planned; smaller, it only holds them with room to spare."""
    content = sum(column_points(w) for w in widths)
    probe = Paper(landscape=landscape, scale=100)
    fit = math.ceil(probe.printable_width / max(content, 1) * 100)
    return Paper(landscape=landscape, scale=max(10, min(100, fit)))


def columns_fitting(fixed: Sequence[float], width: float, *, landscape: bool,
                    scale: int = 100) -> int:
    """How many more columns ``width`` wide fit beside ``fixed`` ones at ``scale``."""
    room = Paper(landscape=landscape, scale=100).printable_width * 100 / scale
    room -= sum(column_points(w) for w in fixed)
    return max(1, int(room // column_points(width)))
