"""Words, not codes, and the policy's own wording, in what a Chinese school reads.

A head teacher reads "国际象棋 B", "周一", "学期费用（元）" and "按人头计费"; never a
section code in a title, an English weekday in a Chinese sheet, a goal's
programming name, an amount in fen, or "收费" (families are not charged).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pytest

from models.school import School
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.views import section_letters
from optimizer.search.solve import Result

ZH = Labels("zh")
EN = Labels("en")
# The Warnings sheet quotes the validator's messages, which are English until the
# message catalogue lands (issue 16, item 2); the contract sheets are never translated.
NOT_CHECKED = {"提示", "Sections", "Assignments", "Print data"}


@pytest.fixture(scope="module")
def zh_book(generated: tuple[School, Result], tmp_path_factory: pytest.TempPathFactory
            ) -> openpyxl.Workbook:
    school, result = generated
    path = write_schedule(tmp_path_factory.mktemp("words") / "zh.xlsx", school, result,
                          lang="zh")
    return openpyxl.load_workbook(path)


def human_cells(workbook: openpyxl.Workbook) -> list[tuple[str, int, int, str]]:
    return [(sheet.title, cell.row, cell.column, cell.value)
            for sheet in workbook.worksheets if sheet.title not in NOT_CHECKED
            for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def test_no_section_code_outside_the_rosters_code_line(
        generated: tuple[School, Result], zh_book: openpyxl.Workbook) -> None:
    school, result = generated
    assert result.schedule is not None
    codes = set(section_letters(school, result.schedule.sections))
    roster_sheet = zh_book[ZH.sheet("rosters")]
    prefix = ZH("section_code", code="")
    code_rows = {cell.row for cell in roster_sheet["A"]
                 if isinstance(cell.value, str) and cell.value.startswith(prefix)}
    found = [(sheet, row, text) for sheet, row, _column, text in human_cells(zh_book)
             for code in codes if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text)
             and not (sheet == roster_sheet.title and row in code_rows)]
    assert found == []
    assert len(code_rows) == len(codes)  # each roster still names its code, once


def test_no_english_weekday_goal_code_or_fen_in_a_chinese_workbook(
        zh_book: openpyxl.Workbook) -> None:
    for sheet, row, column, text in human_cells(zh_book):
        assert not re.search(r"\b(Mon|Tue|Wed|Thu|Fri)\b", text), (sheet, row, column, text)
        assert not re.search(r"[a-z]+_[a-z_]+", text), (sheet, row, column, text)
        assert "（分）" not in text
        assert "收费" not in text  # families are not charged: 计费


def test_the_summary_names_goals_in_words_and_money_in_yuan(
        generated: tuple[School, Result], zh_book: openpyxl.Workbook) -> None:
    _school, result = generated
    rows = {r[0]: r[1:4] for r in zh_book[ZH.sheet("summary")].iter_rows(values_only=True)
            if r[0]}
    cost = rows[ZH.goal("cost")]
    assert cost[0] == pytest.approx(result.goal_values["cost"] / 100)  # yuan, not fen
    assert rows[ZH.goal("lottery")] == (None, None, ZH("proof.tie_break"))
    proofs = {r[2] for r in rows.values()}
    assert not any(isinstance(p, str) and "100%" in p for p in proofs)


def test_rooms_are_headed_as_rooms_and_every_type_is_in_words(
        zh_book: openpyxl.Workbook) -> None:
    header = [c.value for c in zh_book[ZH.sheet("rooms")][3]]
    assert header[1] == ZH("room")
    assert ZH("name") not in header  # 姓名 is for people
    types = [r[2] for r in zh_book[ZH.sheet("rooms")].iter_rows(min_row=4, values_only=True)
             if r[0]]
    assert types
    assert not [t for t in types if re.search(r"[a-z]", str(t))]
    assert ZH.room_type("garden") == "种植园"
    assert ZH.room_type("lab, art") == "实验室、美术室"
    assert EN.room_type("greenhouse") == "greenhouse"  # a school's own word passes through


@pytest.mark.parametrize(("school_type", "must"), [
    ("public", ("收回", "结转下一年度")),
    ("private", ("结转下一年度",)),
])
def test_surplus_follows_the_policy_in_both_languages(
        generated: tuple[School, Result], tmp_path: Path, school_type: str,
        must: tuple[str, ...]) -> None:
    school, result = generated
    school = dataclasses.replace(school, info=dataclasses.replace(school.info,
                                                                  type=school_type))
    for lang in ("zh", "en"):
        path = write_schedule(tmp_path / f"{lang}.xlsx", school, result, lang=lang)
        labels = Labels(lang)
        texts = [c for r in openpyxl.load_workbook(path)[labels.sheet("budget")]
                 .iter_rows(values_only=True) for c in r if isinstance(c, str)]
        policy = next(t for t in texts if t.startswith(("公办", "民办", "Public", "Private")))
        if lang == "zh":
            assert all(word in policy for word in must), policy
            assert "下学期" not in policy
            assert ZH("budget.per_head_fees") == "按人头计费"
            assert "按人头计费" in texts
        else:
            assert "next year" in policy
            assert "next term" not in policy
            assert ("recovered" in policy) == (school_type == "public")
