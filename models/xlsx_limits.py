"""How big a school workbook may be, checked before anything is parsed.

An .xlsx is a zip: a 1 MB file can hold a sheet that inflates to a gigabyte of
whitespace, a row of 55 million cells or one string of a billion characters, and the
reader would try. A workbook of ours is small: the bundled 3,000-student school is
under 2 MB of XML, and a Students sheet formatted down to row 100,000 is 35 MB.
The limits leave room for a sheet formatted five times as far and keep any file's
validation within seconds and well under 1 GB of memory.

The sizes are those the zip's directory declares; Python's zipfile never inflates a
member past its declared size, so a member that lies is cut short, not followed.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from models.messages import msg
from models.problems import WorkbookError

MB = 1 << 20

MAX_PART_BYTES = 200 * MB
"""One XML part (a sheet) inflated: a sheet formatted down to row 500,000 or so."""

MAX_TOTAL_BYTES = 300 * MB
"""Every part together."""

MAX_SHARED_STRINGS_BYTES = 64 * MB
"""The shared strings, which openpyxl holds in memory whole: 20,000 students' names and
ids take about 2 MB."""

RATIO_FROM_BYTES = 16 * MB
MAX_RATIO = 200
"""A part over 16 MB that inflates more than 200 times its compressed size is padding,
not data: real sheets compress 5 to 30 times, formatted empty ranges about 15."""

MAX_CELL_TEXT = 32_767
"""Excel's own limit on the characters of one cell."""

MAX_ROW_CELLS = 16_384
"""Excel's own limit on the columns of a sheet, so on the cells of one row."""

MAX_DATA_ROWS = 200_000
"""Rows holding data in one sheet: ten times the largest school the samples make
(20,000 students), and few enough that the rows read stay well under 1 GB."""


def check_sizes(path: Path, archive: zipfile.ZipFile) -> None:
    """Raise :class:`WorkbookError` saying what was found when a part of the workbook
    would inflate past the limits above."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        limit = (MAX_SHARED_STRINGS_BYTES if info.filename.endswith("sharedStrings.xml")
                 else MAX_PART_BYTES)
        if info.file_size > limit:
            raise WorkbookError(msg("file.part_too_big", name=path.name, part=info.filename,
                                    size=_size(info.file_size), limit=_size(limit)))
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise WorkbookError(msg("file.part_ratio", name=path.name, part=info.filename,
                                    packed=_size(info.compress_size),
                                    size=_size(info.file_size), ratio=f"{ratio:,.0f}"))
    if total > MAX_TOTAL_BYTES:
        raise WorkbookError(msg("file.too_big", name=path.name, size=_size(total),
                                limit=_size(MAX_TOTAL_BYTES)))


def _size(num_bytes: int) -> str:
    if num_bytes >= 1 << 30:
        return f"{num_bytes / (1 << 30):,.1f} GB"
    if num_bytes >= MB:
        return f"{num_bytes / MB:,.0f} MB"
    return f"{num_bytes / 1024:,.0f} KB"
