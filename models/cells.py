"""Reading one Excel cell as one contract kind.

Each parser takes the raw cell value (as openpyxl gives it: str, int, float,
bool, datetime, date, time or None) and returns the typed value, or raises
:class:`~models.time.ParseError` whose message says what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from models.contract import FORBIDDEN_CATEGORIES, Column, Kind
from models.messages import Message, msg
from models.school import FEN_PER_YUAN
from models.time import (
    ParseError,
    grade_word,
    parse_day,
    parse_days,
    parse_grades,
    parse_slots,
    parse_time,
)

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_TIME_DAYS = dt.date(1900, 1, 1)
"""Excel's pure times sit on its first days; later dates are calendar dates."""
_TRUE = {"yes", "y", "true", "1", "是", "t"}
_FALSE = {"no", "n", "false", "0", "否", "f"}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: object) -> str:
    """Any cell as trimmed text; 101.0 reads as "101" so numeric ids match text ids."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()


def _whole(value: object, expected: Message) -> int:
    if isinstance(value, bool):
        raise ParseError(expected)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ParseError(expected)
    if isinstance(value, str):
        # At most 15 digits: more is no count of ours, and int() of thousands of
        # digits raises ValueError of its own.
        match = re.fullmatch(r"\s*([+-]?\d{1,15})(?:\.0+)?\s*", value)
        if match:
            return int(match[1])
    raise ParseError(expected)


def parse_int(value: object) -> int:
    return _whole(value, msg("expect.whole_number"))


_MONEY_EXPECTED = msg("expect.money")
_MAX_YUAN = Decimal(10) ** 12
"""Far beyond any school's budget; also keeps Decimal from overflowing on "1e999999"."""


def _yuan(value: object) -> Decimal:
    """The amount a money cell holds, in yuan, exactly as written."""
    if isinstance(value, bool | dt.date | dt.time):
        raise ParseError(_MONEY_EXPECTED)
    text = as_text(value).replace(",", "").replace("¥", "").replace("￥", "").replace("元", "")
    try:
        amount = Decimal(text.strip())
    except InvalidOperation:
        raise ParseError(_MONEY_EXPECTED) from None
    if not amount.is_finite() or abs(amount) >= _MAX_YUAN:
        raise ParseError(_MONEY_EXPECTED)
    return amount


def parse_money(value: object) -> int:
    """Yuan (decimals allowed) → fen, rounded half up to the fen."""
    return int((_yuan(value) * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def has_fractions_of_a_fen(value: object) -> bool:
    """A money cell finer than the fen (``33.333``, a formula's ``100/3``): reading it
    rounds, which the coordinator is told. False for a cell that is not money at all, and
    for a float's binary noise (``=30*1.1`` gives 33.000000000000004): no one meant that."""
    if isinstance(value, float):
        value = round(value, 6)
    try:
        fen = _yuan(value) * FEN_PER_YUAN
    except ParseError:
        return False
    return fen != fen.to_integral_value()


def parse_number(value: object) -> float:
    if isinstance(value, bool):
        raise ParseError(msg("expect.number"))
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(as_text(value))
        except ValueError:
            raise ParseError(msg("expect.number")) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ParseError(msg("expect.number"))
    return number


def parse_time_cell(value: object) -> int:
    """An Excel time cell, a datetime, a fraction of a day, or HH:MM text → minutes."""
    if isinstance(value, dt.datetime):
        # A time that Excel shows with a day attached still is a time, but a calendar
        # date at midnight is a date typed into a time column.
        if value.date() > _EXCEL_TIME_DAYS and value.time() == dt.time(0):
            raise ParseError(msg("expect.time_not_date"))
        return value.hour * 60 + value.minute
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, bool):
        raise ParseError(msg("expect.time"))
    if isinstance(value, int | float):
        if 0 <= value < 1:
            return round(value * 24 * 60)
        raise ParseError(msg("expect.time"))
    return parse_time(as_text(value))


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ParseError(msg("expect.date"))
    if isinstance(value, int | float) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = as_text(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?", text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ParseError(msg("expect.date"))


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = as_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError(msg("expect.yes_no"))


def parse_grade(value: object) -> int:
    if isinstance(value, str):
        value = grade_word(value)  # 3年级, 三年级, 初一
    grade = _whole(value, msg("expect.grade"))
    if not 1 <= grade <= 9:
        raise ParseError(msg("expect.grade"))
    return grade


def _list_text(column: Column, value: object) -> str:
    """Text of a list cell. Excel turns a typed ``1-3`` into 3 January: read it back."""
    if column.kind is Kind.GRADES and isinstance(value, dt.datetime | dt.date):
        return f"{value.month}-{value.day}"
    if isinstance(value, dt.date | dt.time | bool):
        raise ParseError(msg("expect.list_not_date",
                               kind=msg(f"kindname.{column.kind.value}")))
    return as_text(value)


def _id_text(value: object) -> str:
    """An id as text. Excel turns a typed class such as ``3-2`` into 2 March: read it back."""
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return f"{value.month}-{value.day}"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.month}-{value.day}"
    return as_text(value)


def _day_or_all(text: str) -> int | str:
    if text.strip().lower() == "all":
        return "all"
    try:
        return parse_day(text)
    except ParseError:
        raise ParseError(msg("expect.day_or_all")) from None


def parse_cell(column: Column, value: object) -> object:
    """The typed value of a non-blank cell for ``column``, range-checked."""
    parsed: object
    match column.kind:
        case Kind.ID:
            parsed = _id_text(value)
        case Kind.TEXT:
            parsed = as_text(value)
        case Kind.WORDS:
            parsed = as_text(value).lower()
        case Kind.INT:
            parsed = parse_int(value)
        case Kind.MONEY:
            parsed = parse_money(value)
        case Kind.NUMBER:
            parsed = parse_number(value)
        case Kind.TIME:
            parsed = parse_time_cell(value)
        case Kind.DATE:
            parsed = parse_date(value)
        case Kind.BOOL:
            parsed = parse_bool(value)
        case Kind.GRADE:
            parsed = parse_grade(value)
        case Kind.GRADES:
            parsed = parse_grades(_list_text(column, value))
        case Kind.SLOTS:
            parsed = parse_slots(_list_text(column, value))
        case Kind.DAYS:
            parsed = parse_days(_list_text(column, value))
        case Kind.DAY_OR_ALL:
            parsed = _day_or_all(_list_text(column, value))
        case Kind.CHOICE:
            parsed = _parse_choice(column, as_text(value))
    _check_range(column, parsed)
    return parsed


def _parse_choice(column: Column, text: str) -> str:
    word = text.strip().lower().replace(" ", "_").replace("-", "_")
    if word in column.choices:
        return word
    if column.name == "category" and word in FORBIDDEN_CATEGORIES:
        raise ParseError(msg("expect.category", choices=", ".join(column.choices)))
    raise ParseError(msg("expect.one_of", choices=", ".join(column.choices)))


def _check_range(column: Column, parsed: object) -> None:
    if not isinstance(parsed, int | float) or isinstance(parsed, bool):
        return
    scale = FEN_PER_YUAN if column.kind is Kind.MONEY else 1
    low = None if column.minimum is None else column.minimum * scale
    high = None if column.maximum is None else column.maximum * scale
    if low is not None and parsed < low:
        raise ParseError(_range_text(column))
    if high is not None and parsed > high:
        raise ParseError(_range_text(column))


def _range_text(column: Column) -> Message:
    if column.name in ("period", "periods") and column.maximum == 2:
        # The policy's 1-2 class hours after dismissal: say so, not just "1 to 2".
        return msg("expect.periods_policy", noun=msg(f"noun.{column.name}"))
    noun = msg(_RANGE_NOUNS.get(column.kind, "range.number"))
    low, high = column.minimum, column.maximum

    def fmt(x: float | None) -> str:
        return "" if x is None else str(int(x)) if float(x).is_integer() else str(x)

    if low is not None and high is not None:
        return msg("expect.range_between", noun=noun, low=fmt(low), high=fmt(high))
    if low is not None:
        return msg("expect.range_at_least", noun=noun, low=fmt(low))
    return msg("expect.range_at_most", noun=noun, high=fmt(high))


_RANGE_NOUNS = {Kind.MONEY: "range.money", Kind.GRADE: "range.grade", Kind.INT: "range.int"}
