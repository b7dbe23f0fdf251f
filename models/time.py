"""Days, clock times, slots and grade lists: the school week in integers.

Times are minutes after midnight; days are indices 0 (Mon) … 4 (Fri);
periods are 1 and 2. A *slot* is a ``(day_idx, period)`` pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from models.messages import Message, msg

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
PERIODS: tuple[int, ...] = (1, 2)
GRADES: tuple[int, ...] = tuple(range(1, 10))

Slot = tuple[int, int]
"""``(day_idx, period)``."""

ALL_SLOTS: frozenset[Slot] = frozenset((d, p) for d in range(len(DAYS)) for p in PERIODS)

_DAY_INDEX = {name.lower(): idx for idx, name in enumerate(DAYS)}
# Coordinators also write full English names, common short forms and Chinese day names.
_DAY_INDEX.update(
    {
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
        "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
        "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4,
        "星期一": 0, "星期二": 1, "星期三": 2, "星期四": 3, "星期五": 4,
        "礼拜一": 0, "礼拜二": 1, "礼拜三": 2, "礼拜四": 3, "礼拜五": 4,
        "週一": 0, "週二": 1, "週三": 2, "週四": 3, "週五": 4,
        "星期1": 0, "星期2": 1, "星期3": 2, "星期4": 3, "星期5": 4,
        "周1": 0, "周2": 1, "周3": 2, "周4": 3, "周5": 4,
    }
)
_WEEKEND = {"sat", "sun", "saturday", "sunday", "周六", "周日", "周天", "星期六", "星期日",
            "星期天"}
_DAY_EXPECTED = msg("expect.day", days=", ".join(DAYS))

# 16:40, 16：40 (full-width colon), 16:40:00, 4:40 pm, 16点40, 16点40分, 16点.
_TIME_RE = re.compile(
    r"(?P<h>\d{1,2})\s*(?:[:：]\s*(?P<m>\d{2})(?:[:：]\d{2})?|点\s*(?:(?P<cm>\d{1,2})\s*分?)?)"
    r"\s*(?P<ampm>[ap]\.?m\.?)?",
    re.IGNORECASE,
)
_TIME_EXPECTED = msg("expect.time")

# "1-3", "Mon–Wed" (en dash), "１－３" (a Chinese input method's full-width dash),
# "1~3", "周一至周三": a range.
_RANGE = r"(?:[-–—－~～]|至|到)"

# Items of a list: ";" as the contract says, and the commas and enumeration mark
# that coordinators type in Chinese or English.
_LIST_SEPARATORS = re.compile(r"[;,；，、]")


class ParseError(ValueError):
    """A value that does not read as the expected kind; the message says what was expected."""

    def __init__(self, expected: Message | str) -> None:
        super().__init__(expected)

    @property
    def expected(self) -> Message:
        """What was expected, to be said in the reader's language."""
        said = self.args[0]
        return said if isinstance(said, Message) else msg("text", text=said)


def parse_day(text: str) -> int:
    """``"Wed"`` → 2."""
    word = text.strip().lower()
    idx = _DAY_INDEX.get(word)
    if idx is None:
        if word in _WEEKEND:
            raise ParseError(msg("expect.school_day", expected=_DAY_EXPECTED))
        raise ParseError(_DAY_EXPECTED)
    return idx


def parse_time(text: str) -> int:
    """``"16:40"`` → 1000 (minutes after midnight); ``"4:40 pm"`` and ``"16点40"`` too."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        raise ParseError(_TIME_EXPECTED)
    hours = int(match["h"])
    minutes = int(match["m"] or match["cm"] or 0)
    if match["ampm"]:
        # 12:30 pm is half past noon and 12:30 am half past midnight.
        if not 1 <= hours <= 12:
            raise ParseError(_TIME_EXPECTED)
        hours = hours % 12 + (12 if match["ampm"][0].lower() == "p" else 0)
    if hours > 23 or minutes > 59:
        raise ParseError(msg("expect.time_of_day"))
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    """1000 → ``"16:40"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_slots(text: str) -> frozenset[Slot]:
    """A slot list: ``"Wed; Mon 2"`` → every period of Wednesday and Monday period 2.

    ``all`` means every slot of the week; a day range such as ``Mon-Thu`` means each of
    those days.
    """
    expected = msg("expect.slots")
    if text.strip().lower() == "all":
        return ALL_SLOTS
    slots: set[Slot] = set()
    for item in _split(text):
        match = re.fullmatch(r"(?P<day>.*?)\s*(?P<period>\d{1,3})?", item, re.DOTALL)
        if match is None:  # cannot happen: the pattern matches any text
            raise ParseError(expected)
        try:
            days = _day_range(match["day"])
        except ParseError:
            raise ParseError(expected) from None
        if match["period"] is None:
            slots.update((day, p) for day in days for p in PERIODS)
        elif int(match["period"]) in PERIODS:
            slots.update((day, int(match["period"])) for day in days)
        else:
            raise ParseError(msg("expect.no_such_period", expected=expected,
                                 period=match["period"]))
    if not slots:
        raise ParseError(expected)  # only separators: a slip, not "no slots"
    return frozenset(slots)


def parse_days(text: str) -> frozenset[int]:
    """A list of whole days (``"Mon;Wed"``, ``"Mon, Wed"``, ``"Mon-Wed"`` or ``"all"``)."""
    if text.strip().lower() == "all":
        return frozenset(range(len(DAYS)))
    days: set[int] = set()
    expected = msg("expect.days", days=", ".join(DAYS))
    # "Mon - Wed" is one range, not three items: close up the spaces around the dash.
    text = re.sub(rf"\s*({_RANGE})\s*", r"\1", text)
    for item in _split(text, spaces=True):
        try:
            days.update(_day_range(item))
        except ParseError:
            raise ParseError(expected) from None
    if not days:
        raise ParseError(expected)  # only separators: a slip, not "not registered"
    return frozenset(days)


def _day_range(text: str) -> range:
    """``"Wed"`` → that day; ``"Mon-Wed"`` (``Mon~Wed``, ``周一至周三``) → the days between."""
    ends = re.split(rf"\s*{_RANGE}\s*", text.strip())
    if len(ends) > 2:
        raise ParseError(_DAY_EXPECTED)
    first, last = parse_day(ends[0]), parse_day(ends[-1])
    if last < first:
        raise ParseError(_DAY_EXPECTED)
    return range(first, last + 1)


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9}
_JUNIOR = {"初一": 7, "初二": 8, "初三": 9, "七年级": 7, "八年级": 8, "九年级": 9}
"""Junior-secondary grades as schools name them: in the nine-year count, 初一 is grade 7."""
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
"""Digits as a Chinese input method types them (not NFKC: it turns ² into 2)."""
_GRADE_SUFFIX = re.compile(r"\s*(?:年级|年級|级)$")


def grade_word(text: str) -> str:
    """A grade as Chinese schools write it, as the digits of its number: ``"3年级"``,
    ``"三年级"`` → ``"3"``, ``"初一"`` → ``"7"``; other text comes back stripped, as it
    was. Only spellings with one meaning are read (高一, senior secondary, is no grade
    of a nine-year school and stays as it is, to be refused)."""
    word = text.translate(_FULL_WIDTH_DIGITS).strip()
    if word in _JUNIOR:
        return str(_JUNIOR[word])
    bare = _GRADE_SUFFIX.sub("", word)
    if bare != word or bare in _CHINESE_DIGITS:
        if bare in _CHINESE_DIGITS:
            return str(_CHINESE_DIGITS[bare])
        return bare
    return word


def parse_grades(text: str) -> frozenset[int]:
    """A grade list: ``"1-3,7"`` → {1, 2, 3, 7}; ``"all"`` → every grade, 1-9."""
    if text.strip().lower() == "all":
        return frozenset(GRADES)
    grades: set[int] = set()
    expected = msg("expect.grades")
    for item in _split(text):
        bounds = [grade_word(b) for b in re.split(_RANGE, item)]
        # isdecimal, not isdigit: "²" is a digit that int() cannot read.
        if len(bounds) > 2 or not all(b.isdecimal() and len(b) <= 2 for b in bounds):
            raise ParseError(expected)
        low, high = int(bounds[0]), int(bounds[-1])
        if not (1 <= low <= high <= 9):
            raise ParseError(expected)
        grades.update(range(low, high + 1))
    if not grades:
        raise ParseError(expected)
    return frozenset(grades)


def format_grades(grades: Iterable[int]) -> str:
    """{1, 2, 3, 7} → ``"1-3,7"``."""
    ordered = sorted(set(grades))
    runs: list[str] = []
    start = prev = None
    for g in [*ordered, None]:
        if start is not None and (g is None or g != prev + 1):  # type: ignore[operator]
            runs.append(str(start) if start == prev else f"{start}-{prev}")
            start = None
        if g is not None and start is None:
            start = g
        prev = g
    return ",".join(runs)


def format_slots(slots: Iterable[Slot]) -> str:
    """Inverse of :func:`parse_slots`, whole days written as the day alone."""
    chosen = set(slots)
    items: list[str] = []
    for d, name in enumerate(DAYS):
        if all((d, p) in chosen for p in PERIODS):
            items.append(name)
        else:
            items.extend(f"{name} {p}" for p in PERIODS if (d, p) in chosen)
    return "; ".join(items)


def format_days(days: Iterable[int]) -> str:
    ordered = sorted(set(days))
    if ordered == list(range(len(DAYS))):
        return "all"
    return ";".join(DAYS[d] for d in ordered)


def _split(text: str, *, spaces: bool = False) -> list[str]:
    """The non-empty items of a list; ``spaces`` also splits on spaces (lists of days)."""
    pattern = r"[;,；，、\s]+" if spaces else _LIST_SEPARATORS
    return [item.strip() for item in re.split(pattern, text) if item.strip()]
