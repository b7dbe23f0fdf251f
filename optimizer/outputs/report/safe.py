"""Writing input text into Excel so it stays text: no formulas, no links, no repair prompt.

A coordinator's workbook is input from many hands (a parent's name, a vendor's
course title). Spreadsheet programs run a cell that begins with ``=``, ``+``,
``-`` or ``@`` as a formula, and a tab or newline at the start can shift a
paste into the next cell; such text is written as a string cell with Excel's
*quote prefix* set, the same as typing a leading apostrophe, so it stays text
even when someone edits the cell later. Characters that XML cannot hold are
dropped, and text is cut to Excel's cell limit, both of which would otherwise
make Excel offer to "repair" the file.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""What makes a spreadsheet read text as a formula; the full-width forms, because
some spreadsheet programs (WPS among them) normalise them to the ASCII ones."""

MAX_CELL_TEXT = 32_767
"""Excel's limit on the characters in one cell."""

MAX_HEADER_TEXT = 250
"""Excel rejects (and offers to repair) a page header or footer over 255 characters."""


def clean(text: str) -> str:
    """Text that an .xlsx can hold: no XML-illegal control characters, within Excel's limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text[:MAX_CELL_TEXT]


def is_risky(text: str) -> bool:
    """Would a spreadsheet read this text as a formula (or a shifted paste)?"""
    return text.startswith(FORMULA_STARTS)


def put(cell: Cell | MergedCell, value: object) -> None:
    """Set a cell: numbers as numbers, every string as inert text."""
    if isinstance(value, str):
        text = clean(value)
        cell.value = text
        # openpyxl makes any string beginning with "=" a formula; force it back to text.
        cell.data_type = "s"
        if is_risky(text):
            cell.quotePrefix = True  # type: ignore[union-attr]
    else:
        cell.value = value  # type: ignore[assignment]


def header_text(text: str) -> str:
    """Text for a page header/footer: ``&`` starts a code there, so it is doubled."""
    return clean(text).replace("&", "&&")
