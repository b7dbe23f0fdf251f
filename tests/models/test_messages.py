"""The message catalogue: every message in both languages, with the same blanks to fill,
and no English left in the Chinese."""

from __future__ import annotations

import pickle

import pytest

from models import contract
from models.catalogue import MESSAGES
from models.messages import LANGUAGES, Said, fields_of, msg, resolve_language, say
from models.problems import error
from tests.untranslated import untranslated


def test_every_message_has_both_languages_with_the_same_fields() -> None:
    wrong = [key for key, (english, chinese) in MESSAGES.items()
             if not english.strip() or not chinese.strip()
             or fields_of(english) != fields_of(chinese)]
    assert not wrong


def test_no_chinese_message_keeps_english_words() -> None:
    leaks = {}
    for key, (_, chinese) in MESSAGES.items():
        filled = chinese.format(**dict.fromkeys(fields_of(chinese), "1"))
        if words := untranslated(filled):
            leaks[key] = words
    assert not leaks


def test_every_column_of_the_contract_has_its_help_in_chinese() -> None:
    for sheet in contract.INPUT_SHEETS:
        assert say(f"sheethelp.{sheet.name}", "zh") != sheet.help
        for column in sheet.columns:
            english = say(f"help.{sheet.name}.{column.name}", "en")
            assert english == column.help.rstrip(".")
            assert say(f"help.{sheet.name}.{column.name}", "zh") != english, column.name


def test_the_check_for_english_finds_english() -> None:
    """The check the tests lean on can fail: an English label in Chinese text is found,
    the contract's words and the test's own values are not."""
    assert untranslated("可行 in 17.6s；top3 share 99%") == ["in", "top3", "share"]
    assert untranslated("Students 第 3 行 grade：应为 1 至 9 的年级；Mon 或 all") == []
    assert untranslated("已写入 学校.xlsx；编号 S001", also=["S001"]) == []


def test_a_message_built_of_messages_reads_in_one_language() -> None:
    expected = msg("expect.slots")
    inner = msg("expect.no_such_period", expected=expected, period=3)
    problem = error("Rooms", msg("cell.expected", expected=inner), row=4, column="unavailable")
    assert problem.message == ("expected a slot list such as 'Wed; Mon 2' (days, or a day and "
                               "period 1 or 2, separated by ;); there is no period 3")
    assert problem.text("zh") == ("应为时段列表，如 'Wed; Mon 2'（星期几，或星期几加第 1 或 2 "
                                  "节，用 ; 分隔）；没有第 3 节")
    assert problem.render("zh") == f"错误: Rooms，第 4 行，unavailable 列: {problem.text('zh')}"
    assert str(problem).startswith("error: Rooms, row 4, column unavailable: expected")


def test_an_unknown_key_fails_when_written_not_when_shown() -> None:
    with pytest.raises(KeyError, match="no message"):
        msg("no.such.message")


def test_said_text_stays_english_text_and_travels_between_processes() -> None:
    said = Said(msg("diagnose.weekly_hours", need=12, supply=8))
    assert said == ("supervised study needs at least 12 staff class hours a week but school "
                    "staff may give at most 8")
    copied = pickle.loads(pickle.dumps(said))
    assert copied.text("zh") == "托管自习每周至少需要 12 个人员课时，但校内人员最多只能提供 8 个"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lang_wins_over_the_school_sheet_and_english_is_the_default(lang: str) -> None:
    assert resolve_language(lang) == lang
    assert resolve_language(None) == "en"
    with pytest.raises(ValueError, match="language"):
        resolve_language("fr")


def test_every_kind_of_cell_and_role_has_its_words() -> None:
    """The reader and the validator build these keys from the contract: a new kind or
    role without words would fail the first workbook that uses it."""
    for kind in contract.Kind:
        assert f"kind.{kind.value}" in MESSAGES
        assert f"kindname.{kind.value}" in MESSAGES
    for role in contract.ROLES:
        assert f"role.{role}" in MESSAGES
