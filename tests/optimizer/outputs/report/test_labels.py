"""Every label exists in both languages, with the same blanks to fill."""

from __future__ import annotations

import dataclasses
import string

import pytest

from optimizer.outputs.report.labels import LANGUAGES, TEXT, Labels, resolve_language
from tests.factories import tiny_school

FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")
CONTRACT_SHEETS = {"sections", "assignments", "print data"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_both_languages_with_the_same_blanks() -> None:
    wrong = []
    for key, (english, chinese) in TEXT.items():
        # Chinese needs no ordinal suffix, so it may use {rank} where English says {ordinal}.
        same = (_fields(chinese) - {"rank"} <= _fields(english) | {"rank"}
                and _fields(english) - {"ordinal"} <= _fields(chinese) | {"ordinal"})
        if not (english.strip() and chinese.strip() and same):
            wrong.append(key)
    assert not wrong


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_names_are_valid_distinct_and_not_the_contracts(lang: str) -> None:
    labels = Labels(lang)
    names = [labels(k) for k in TEXT if k.startswith("sheet.")]
    assert len(names) == len({n.lower() for n in names})
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & FORBIDDEN_IN_SHEET_NAMES
        assert name.lower() not in CONTRACT_SHEETS


def test_chinese_labels_are_chinese() -> None:
    zh, en = Labels("zh"), Labels("en")
    assert zh.sheet("rosters") == "点名册"
    assert zh.day(1) == "周二"
    assert en.day(1) == "Tue"
    assert zh.ordinal(2) == "第2志愿"
    assert en.ordinal(2) == "2nd choice"
    assert zh.category("study") == "托管自习"
    assert en.category("unheard-of") == "unheard-of"  # a school's own word passes through


def test_language_defaults_to_the_school_sheet_then_english() -> None:
    school = tiny_school()
    assert resolve_language(None, school) == "en"
    chinese = dataclasses.replace(school, info=dataclasses.replace(school.info, language="zh"))
    assert resolve_language(None, chinese) == "zh"
    assert resolve_language("en", chinese) == "en"  # --lang wins
    with pytest.raises(ValueError, match="language"):
        resolve_language("fr", school)
