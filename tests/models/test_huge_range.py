"""A Students sheet formatted down to row 100,000 reads quickly, in bounded memory.

Coordinators colour or border whole ranges, so the sheet XML holds an empty
``<c>`` for every formatted cell; blank rows are skipped but data may follow
them, so the reader must walk them all. The sheet is written as XML directly
(openpyxl would take a minute to write it).

Measured on the development machine (100,000 rows x 13 formatted cells, 2.6 MB
.xlsx, 35 MB of sheet XML): about 0.9 s to read, tracemalloc peak about 1 MB. The
reader before it dropped empty cells and rows ahead of openpyxl: 4.4 s and 61 MB.
The bounds below leave a margin of five times the time and thirty times the memory.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from models.problems import Problem
from models.reader import inspect_workbook
from models.school import School
from tests.models.workbooks import rewrite_part, sheet_part, valid_book

NUM_EMPTY_ROWS = 100_000
FIRST_EMPTY_ROW = 5  # the valid book's students are on rows 2-4
LATE_ROW = FIRST_EMPTY_ROW + NUM_EMPTY_ROWS
COLUMNS = "ABCDEFGHIJKLM"  # the Students sheet's 13 columns

MAX_SECONDS = 5.0
MAX_PEAK_MB = 30.0


def _inline(column: str, text: str) -> str:
    return f'<c r="{column}{LATE_ROW}" t="inlineStr"><is><t>{text}</t></is></c>'


def _formatted_rows(xml: str) -> str:
    rows = [
        f'<row r="{r}" spans="1:13" s="1" customFormat="1" ht="18" customHeight="1">'
        + "".join(f'<c r="{c}{r}" s="1"/>' for c in COLUMNS)
        + "</row>"
        for r in range(FIRST_EMPTY_ROW, LATE_ROW)
    ]
    # A student after the empty range, with a choice that does not exist, so the
    # test sees both that data after blank rows is read and its Excel row number.
    rows.append(
        f'<row r="{LATE_ROW}">' + _inline("A", "999") + _inline("B", "Late Comer")
        + f'<c r="C{LATE_ROW}"><v>3</v></c>' + _inline("D", "3-1") + _inline("E", "Mon")
        + _inline("H", "NOPE") + "</row>"
    )
    xml = xml.replace("</sheetData>", "".join(rows) + "</sheetData>")
    return xml.replace('<dimension ref="A1:M4"', f'<dimension ref="A1:M{LATE_ROW}"')


@pytest.fixture(scope="module")
def huge_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = valid_book()
    path = book.save(tmp_path_factory.mktemp("huge") / "huge.xlsx")
    return rewrite_part(path, sheet_part(book, "Students"), _formatted_rows)


def _check(result: tuple[School | None, list[Problem]]) -> None:
    school, problems = result
    assert school is not None
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Students", LATE_ROW, "choice1", "NOPE")
    ]


def test_huge_formatted_range_reads_quickly(huge_workbook: Path) -> None:
    # CPU time of this process: a machine busy with other work does not slow it.
    start = time.process_time()
    result = inspect_workbook(huge_workbook)
    seconds = time.process_time() - start
    _check(result)
    assert seconds < MAX_SECONDS, f"read took {seconds:.1f} s of CPU"


def test_huge_formatted_range_reads_in_bounded_memory(huge_workbook: Path) -> None:
    tracemalloc.start()
    try:
        result = inspect_workbook(huge_workbook)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _check(result)
    assert peak / 1e6 < MAX_PEAK_MB, f"peak {peak / 1e6:.0f} MB"
