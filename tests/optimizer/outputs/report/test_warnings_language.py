"""The Warnings sheet says validation's warnings in the report's language, and a name a
warning quotes is scrubbed from every language of it when redacted."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

from models.messages import msg
from models.problems import warning
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.labels import Labels
from tests.optimizer.outputs.report.conftest import chinese_school, solve_checked


@pytest.fixture(scope="module")
def solved():  # type: ignore[no-untyped-def]
    school = chinese_school()
    quoted = warning("Students", msg("student.wrong_grade", grade=3,
                                     activity=school.students[0].name, grades="4-6"),
                     row=2, column="choice1", value="CHESS")
    school = dataclasses.replace(school, warnings=(quoted,))
    return school, solve_checked(school, time_limit=5.0)


def _warnings(path: Path, lang: str) -> list[str]:
    sheet = openpyxl.load_workbook(path)[Labels(lang).sheet("warnings")]
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "3年级不能参加 '张伟'（面向年级 4-6）；已忽略该志愿"),
    ("en", "grade 3 may not join '张伟' (expected grades 4-6); choice ignored"),
])
def test_the_warnings_sheet_reads_in_the_reports_language(solved, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           lang: str, said: str) -> None:
    school, result = solved
    path = write_schedule(tmp_path / f"{lang}.xlsx", school, result, lang=lang)
    assert said in _warnings(path, lang)


def test_a_quoted_name_is_scrubbed_in_every_language(solved, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    school, result = solved
    path = write_schedule(tmp_path / "redacted.xlsx", school, result, lang="zh", redact=True)
    texts = "\n".join(_warnings(path, "zh"))
    assert "3年级不能参加 '***'" in texts
    assert "张伟" not in texts
