"""A Students sheet formatted down to row 100,000 reads without parsing its empty cells,
in bounded memory.

Coordinators colour or border whole ranges, so the sheet XML holds an empty
``<c>`` for every formatted cell; blank rows are skipped but data may follow
them, so the reader must walk them all. The sheet is written as XML directly
(openpyxl would take a minute to write it).

Measured on the development machine (100,000 rows x 13 formatted cells, 2.6 MB
.xlsx, 35 MB of sheet XML): about 0.9 s to read, tracemalloc peak about 1 MB. The
reader before it dropped empty cells and rows ahead of openpyxl: 4.4 s and 61 MB,
nearly all of it openpyxl parsing the 1.3 million empty cells one by one. A test
does not time the read (a busy machine fails it; speed is the benchmarks' business):
it counts the cells and rows openpyxl parses, which are the same with and without the
formatted range, and bounds the memory with a margin of thirty times.
"""

from __future__ import annotations

import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from openpyxl.worksheet._reader import WorkSheetParser

from models.problems import Problem
from models.reader import inspect_workbook
from models.school import School
from tests.models.workbooks import rewrite_part, sheet_part, valid_book

NUM_EMPTY_ROWS = 100_000
FIRST_EMPTY_ROW = 5  # the valid book's students are on rows 2-4
LATE_ROW = FIRST_EMPTY_ROW + NUM_EMPTY_ROWS
COLUMNS = "ABCDEFGHIJKLM"  # the Students sheet's 13 columns

MAX_PEAK_MB = 30.0
MAX_PARSED_SHARE = 0.05
"""Of the formatted range's rows and cells, the share openpyxl may parse: about 2 % of
its rows and 0.15 % of its cells get through the filter at the seams of the stream's
chunks; the reader without the filter parses all of them."""


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
def valid_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return valid_book().save(tmp_path_factory.mktemp("valid") / "valid.xlsx")


@pytest.fixture(scope="module")
def huge_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = valid_book()
    path = book.save(tmp_path_factory.mktemp("huge") / "huge.xlsx")
    return rewrite_part(path, sheet_part(book, "Students"), _formatted_rows)


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many cells and rows openpyxl's sheet parser builds while the test reads."""
    counts: Counter[str] = Counter()
    for kind in ("cell", "row"):
        original = getattr(WorkSheetParser, f"parse_{kind}")

        def counted(self: WorkSheetParser, element: object, kind: str = kind,
                    original: object = original) -> object:
            counts[kind] += 1
            return original(self, element)  # type: ignore[operator]

        monkeypatch.setattr(WorkSheetParser, f"parse_{kind}", counted)
    return counts


def _check(result: tuple[School | None, list[Problem]]) -> None:
    school, problems = result
    assert school is not None
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        ("Students", LATE_ROW, "choice1", "NOPE")
    ]


def test_huge_formatted_range_is_read_without_parsing_its_empty_cells(
        valid_workbook: Path, huge_workbook: Path, parsed: Counter[str]) -> None:
    inspect_workbook(valid_workbook)
    without_range = parsed.copy()
    parsed.clear()
    _check(inspect_workbook(huge_workbook))
    # Without the filter openpyxl parses every one of the range's rows and cells; with
    # it, only the few that straddle two chunks of the stream (about 2 % here).
    assert parsed["row"] - without_range["row"] < NUM_EMPTY_ROWS * MAX_PARSED_SHARE
    assert parsed["cell"] - without_range["cell"] < (
        NUM_EMPTY_ROWS * len(COLUMNS) * MAX_PARSED_SHARE)


def test_huge_formatted_range_reads_in_bounded_memory(huge_workbook: Path) -> None:
    tracemalloc.start()
    try:
        result = inspect_workbook(huge_workbook)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _check(result)
    assert peak / 1e6 < MAX_PEAK_MB, f"peak {peak / 1e6:.0f} MB"
