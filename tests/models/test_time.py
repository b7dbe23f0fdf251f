"""The school week in integers: days, clock times, slot lists, day lists and grade lists.

Each parser is shown what coordinators really type — English and Chinese day
names, full-width punctuation from Chinese input methods, Excel's habits — and
what it must refuse with a message that says what was expected.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.time import (
    ALL_SLOTS,
    DAYS,
    ParseError,
    format_days,
    format_grades,
    format_slots,
    format_time,
    parse_day,
    parse_days,
    parse_grades,
    parse_slots,
    parse_time,
)

MON, TUE, WED, THU, FRI = range(5)


# --- days ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "day"), [
    ("Mon", MON), ("mon", MON), (" MON ", MON), ("Monday", MON), ("Tues", TUE),
    ("Weds", WED), ("thurs", THU), ("Thur", THU), ("Fri", FRI),
    ("周一", MON), ("周三", WED), ("星期五", FRI), ("星期二", TUE),
])
def test_parse_day(text: str, day: int) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize("text", ["", "Funday", "M", "Mo", "周", "1", "Mon 2"])
def test_parse_day_refuses(text: str) -> None:
    with pytest.raises(ParseError, match=r"a day \(one of Mon, Tue, Wed, Thu, Fri\)"):
        parse_day(text)


@pytest.mark.parametrize("text", ["Sat", "sunday", "周六", "星期日"])
def test_weekend_days_are_refused_with_the_reason(text: str) -> None:
    with pytest.raises(ParseError, match="school days only"):
        parse_day(text)


# --- times -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "minutes"), [
    ("16:40", 1000), ("7:05", 425), ("07:05", 425), (" 16:40 ", 1000), ("00:00", 0),
    ("23:59", 1439), ("16:40:00", 1000), ("16：40", 1000),  # full-width colon
    ("4:40 pm", 1000), ("4:40PM", 1000), ("4:40 p.m.", 1000), ("11:15 am", 675),
    ("12:00 pm", 720), ("12:30 am", 30),  # noon and midnight, as clocks say them
    ("16点", 960), ("16点40", 1000), ("16点40分", 1000), ("16点05分", 965),
])
def test_parse_time(text: str, minutes: int) -> None:
    assert parse_time(text) == minutes


@pytest.mark.parametrize("text", ["", "16", "1640", "16:4", "16.40", "half past four",
                                  "4:40 xm", "13:00 pm", "0:30 am", "16:40:0", ":40"])
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(ParseError, match="HH:MM"):
        parse_time(text)


@pytest.mark.parametrize("text", ["24:00", "16:60", "99:99"])
def test_parse_time_refuses_impossible_clock_times(text: str) -> None:
    with pytest.raises(ParseError, match="between 00:00 and 23:59"):
        parse_time(text)


def test_every_minute_of_the_day_round_trips() -> None:
    for minutes in range(24 * 60):
        assert parse_time(format_time(minutes)) == minutes


def test_first_and_last_minute_format() -> None:
    assert format_time(0) == "00:00"
    assert format_time(18 * 60) == "18:00"
    assert format_time(24 * 60 - 1) == "23:59"


# --- slot lists --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "slots"), [
    ("Wed", {(WED, 1), (WED, 2)}),
    ("Mon 2", {(MON, 2)}),
    ("Wed; Mon 2", {(WED, 1), (WED, 2), (MON, 2)}),
    ("Wed;Mon 2;", {(WED, 1), (WED, 2), (MON, 2)}),  # a trailing separator
    ("Mon 1; Mon 2", {(MON, 1), (MON, 2)}),
    ("Mon2", {(MON, 2)}),
    ("Fri, Mon 2", {(FRI, 1), (FRI, 2), (MON, 2)}),  # commas, as people type them
    ("周一 2；周三", {(MON, 2), (WED, 1), (WED, 2)}),  # full-width semicolon
    ("周一2，周三", {(MON, 2), (WED, 1), (WED, 2)}),  # full-width comma
    ("周一、周五 1", {(MON, 1), (MON, 2), (FRI, 1)}),  # the enumeration comma
    ("Mon-Wed 1", {(MON, 1), (TUE, 1), (WED, 1)}),
    ("Mon ２", {(MON, 2)}),  # a full-width digit
    ("all", set(ALL_SLOTS)),
    ("ALL ", set(ALL_SLOTS)),
])
def test_parse_slots(text: str, slots: set[tuple[int, int]]) -> None:
    assert parse_slots(text) == frozenset(slots)


@pytest.mark.parametrize("text", ["Funday", "Mon 1 2", "Sat", "Mon 2 Wed", ";", " ; ; ",
                                  "Wed-Mon", "Mon-", "2"])
def test_parse_slots_refuses(text: str) -> None:
    with pytest.raises(ParseError, match="a slot list such as 'Wed; Mon 2'"):
        parse_slots(text)


@pytest.mark.parametrize("text", ["Mon 3", "Mon 0", "Fri 12"])
def test_parse_slots_names_a_period_that_does_not_exist(text: str) -> None:
    with pytest.raises(ParseError, match="there is no period"):
        parse_slots(text)


_SLOTS = st.frozensets(st.sampled_from(sorted(ALL_SLOTS)), min_size=1)


@given(_SLOTS)
def test_slot_lists_round_trip(slots: frozenset[tuple[int, int]]) -> None:
    assert parse_slots(format_slots(slots)) == slots


def test_format_slots_writes_whole_days_as_the_day() -> None:
    assert format_slots({(WED, 1), (WED, 2), (MON, 2)}) == "Mon 2; Wed"


# --- day lists -----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "days"), [
    ("Mon;Wed;Fri", {MON, WED, FRI}),
    ("Mon, Wed", {MON, WED}),
    ("Mon Wed", {MON, WED}),
    ("mon；wed", {MON, WED}),
    ("周一、周三、周五", {MON, WED, FRI}),
    ("all", {MON, TUE, WED, THU, FRI}),
    ("All", {MON, TUE, WED, THU, FRI}),
    ("Mon-Fri", {MON, TUE, WED, THU, FRI}),
    ("Mon - Wed", {MON, TUE, WED}),
    ("Mon–Wed, Fri", {MON, TUE, WED, FRI}),  # an en dash
    ("周一至周三", {MON, TUE, WED}),
    ("Wed;Wed", {WED}),
])
def test_parse_days(text: str, days: set[int]) -> None:
    assert parse_days(text) == frozenset(days)


@pytest.mark.parametrize("text", ["Mon 2", "Sat", "Funday", "Fri-Mon", ";", "Mon-Wed-Fri"])
def test_parse_days_refuses(text: str) -> None:
    with pytest.raises(ParseError, match="registered days such as 'Mon;Wed;Fri' or 'all'"):
        parse_days(text)


@given(st.frozensets(st.integers(min_value=0, max_value=4), min_size=1))
def test_day_lists_round_trip(days: frozenset[int]) -> None:
    assert parse_days(format_days(days)) == days


def test_format_days_writes_the_whole_week_as_all() -> None:
    assert format_days(range(5)) == "all"
    assert format_days({FRI, MON}) == "Mon;Fri"


# --- grade lists ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "grades"), [
    ("1-3", {1, 2, 3}),
    ("4,5,6", {4, 5, 6}),
    ("1-3,7", {1, 2, 3, 7}),
    ("1 - 3 , 7", {1, 2, 3, 7}),
    ("1–3", {1, 2, 3}),  # an en dash
    ("1~3", {1, 2, 3}),
    ("1至3", {1, 2, 3}),
    ("１－３", {1, 2, 3}),  # full-width digits and dash from a Chinese input method
    ("1-3，7", {1, 2, 3, 7}),  # a full-width comma
    ("3;5", {3, 5}),
    ("9", {9}),
    ("1-9", set(range(1, 10))),
    ("3-3", {3}),
    ("1-3,2-4", {1, 2, 3, 4}),
    ("all", set(range(1, 10))),
])
def test_parse_grades(text: str, grades: set[int]) -> None:
    assert parse_grades(text) == frozenset(grades)


@pytest.mark.parametrize("text", ["", ",", "0", "10", "1-10", "0-3", "3-1", "1-2-3", "a",
                                  "²", "1-²", "-3", "3-", "1.5", "one", "1" * 5000])
def test_parse_grades_refuses(text: str) -> None:
    with pytest.raises(ParseError, match="a grade list such as '1-3'"):
        parse_grades(text)


@given(st.frozensets(st.integers(min_value=1, max_value=9), min_size=1))
def test_grade_lists_round_trip(grades: frozenset[int]) -> None:
    assert parse_grades(format_grades(grades)) == grades


def test_format_grades_writes_runs() -> None:
    assert format_grades({1, 2, 3, 7}) == "1-3,7"
    assert format_grades({5}) == "5"
    assert format_grades({1, 3, 5}) == "1,3,5"
    assert format_grades(()) == ""


# --- any text at all ---------------------------------------------------------------------

_ANY_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789-–,;:：点分 MonWedFripam周一二三", max_size=30),
    st.integers(min_value=300, max_value=6000).map(lambda n: "9" * n),
    st.sampled_from(DAYS).map(lambda d: f"{d} " + "2" * 5000),
)


@settings(max_examples=300)
@given(_ANY_TEXT)
def test_parsers_return_a_value_or_say_what_was_expected(text: str) -> None:
    messages = []
    for parse in (parse_day, parse_time, parse_slots, parse_days, parse_grades):
        try:
            parse(text)
        except ParseError as exc:
            messages.append(str(exc))
    assert all(m.startswith(("a ", "registered days")) for m in messages), messages
