"""The Changes sheet and PDF: what changed since the previous schedule, never a name
when redacted."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pypdf

from models.schedule import Schedule
from models.school import School
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.redact import pseudonyms
from optimizer.search.solve import Result
from tests.optimizer.outputs.report.conftest import CHINESE_NAMES

ZH = Labels("zh")
NOBODY = Schedule()
"""A previous schedule with nobody in it: every child of the new one joined."""


def _cells(path: Path, sheet: str | None = None) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    sheets = [workbook[sheet]] if sheet else workbook.worksheets
    return [str(cell.value) for ws in sheets for row in ws.iter_rows() for cell in row
            if cell.value is not None]


def test_the_changes_sheet_lists_every_child_who_joined_by_name(
        zh_solved: tuple[School, Result], tmp_path: Path) -> None:
    school, result = zh_solved
    path = write_schedule(tmp_path / "new.xlsx", school, result, previous=NOBODY)
    cells = _cells(path, ZH.sheet("changes"))
    assert set(CHINESE_NAMES) <= set(cells)
    assert ZH("changes.kind.joined") in cells


def test_a_redacted_changes_sheet_and_pdf_name_no_child(
        zh_solved: tuple[School, Result], tmp_path: Path) -> None:
    school, result = zh_solved
    path = write_schedule(tmp_path / "new.xlsx", school, result, previous=NOBODY,
                          redact=True, pdfs=True)
    sheet = _cells(path, ZH.sheet("changes"))
    assert set(pseudonyms(school).values()) <= set(sheet)
    everything = " ".join(_cells(path))
    pdf = " ".join(page.extract_text() for page in
                   pypdf.PdfReader(tmp_path / "new-changes.pdf").pages)
    for name in CHINESE_NAMES:
        assert name not in everything
        assert name not in pdf
    assert "3-1-01" in pdf


def test_the_same_schedule_says_nothing_changed(zh_solved: tuple[School, Result],
                                                 tmp_path: Path) -> None:
    school, result = zh_solved
    assert result.schedule is not None
    path = write_schedule(tmp_path / "new.xlsx", school, result, previous=result.schedule)
    assert ZH("changes.none") in _cells(path, ZH.sheet("changes"))


def test_without_a_previous_schedule_there_is_no_changes_sheet(
        zh_solved: tuple[School, Result], tmp_path: Path) -> None:
    school, result = zh_solved
    path = write_schedule(tmp_path / "new.xlsx", school, result, pdfs=True)
    assert ZH.sheet("changes") not in openpyxl.load_workbook(path).sheetnames
    assert not (tmp_path / "new-changes.pdf").exists()


def test_a_chinese_changes_sheet_says_days_and_changes_in_chinese(
        zh_solved: tuple[School, Result], tmp_path: Path) -> None:
    school, result = zh_solved
    path = write_schedule(tmp_path / "new.xlsx", school, result, previous=NOBODY)
    cells = _cells(path, ZH.sheet("changes"))
    assert ZH("changes.count.children_joined") in cells
    assert any(cell.startswith(("周一", "周三")) for cell in cells)
    assert not [c for c in cells if re.search(r"\b(Mon|Tue|Wed|Thu|Fri)\b", c)]
    assert not [c for c in cells if re.search(r"\b(changed|joined|left|period)\b", c)]
