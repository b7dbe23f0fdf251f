"""Days, clock times, slots and grade lists: the school week in integers.

Times are minutes after midnight; days are indices 0 (Mon) … 4 (Fri);
periods are 1 and 2. A *slot* is a ``(day_idx, period)`` pair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri")
PERIODS: tuple[int, ...] = (1, 2)
GRADES: tuple[int, ...] = tuple(range(1, 10))

Slot = tuple[int, int]
"""``(day_idx, period)``."""

ALL_SLOTS: frozenset[Slot] = frozenset((d, p) for d in range(len(DAYS)) for p in PERIODS)

_DAY_INDEX = {name.lower(): idx for idx, name in enumerate(DAYS)}
# Coordinators also write full English names and Chinese day names.
_DAY_INDEX.update(
    {
        "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
        "周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4,
        "星期一": 0, "星期二": 1, "星期三": 2, "星期四": 3, "星期五": 4,
    }
)
_TIME_RE = re.compile(r"^\s*(\d{1,2})[:：](\d{2})(?::\d{2})?\s*$")


class ParseError(ValueError):
    """A value that does not read as the expected kind; the message says what was expected."""


def parse_day(text: str) -> int:
    """``"Wed"`` → 2."""
    idx = _DAY_INDEX.get(text.strip().lower())
    if idx is None:
        raise ParseError(f"a day (one of {', '.join(DAYS)})")
    return idx


def parse_time(text: str) -> int:
    """``"16:40"`` → 1000 (minutes after midnight)."""
    match = _TIME_RE.match(text)
    if not match:
        raise ParseError("a time as HH:MM, e.g. 16:40")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        raise ParseError("a time of day between 00:00 and 23:59")
    return hours * 60 + minutes


def format_time(minutes: int) -> str:
    """1000 → ``"16:40"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_slots(text: str) -> frozenset[Slot]:
    """A slot list: ``"Wed; Mon 2"`` → every period of Wednesday and Monday period 2."""
    slots: set[Slot] = set()
    for item in _split(text, ";"):
        parts = item.split()
        if len(parts) == 1:
            day = parse_day(parts[0])
            slots.update((day, p) for p in PERIODS)
        elif len(parts) == 2 and parts[1] in ("1", "2"):
            slots.add((parse_day(parts[0]), int(parts[1])))
        else:
            raise ParseError("a slot list such as 'Wed; Mon 2' (days, or a day and period 1 or 2)")
    return frozenset(slots)


def parse_days(text: str) -> frozenset[int]:
    """A list of whole days (``"Mon;Wed"``, ``"Mon, Wed"`` or ``"all"``) → day indices."""
    if text.strip().lower() == "all":
        return frozenset(range(len(DAYS)))
    days: set[int] = set()
    for item in re.split(r"[;,，；\s]+", text.strip()):
        if item:
            try:
                days.add(parse_day(item))
            except ParseError:
                raise ParseError(
                    f"registered days such as 'Mon;Wed;Fri' or 'all' (days are {', '.join(DAYS)})"
                ) from None
    return frozenset(days)


def parse_grades(text: str) -> frozenset[int]:
    """A grade list: ``"1-3,7"`` → {1, 2, 3, 7}."""
    grades: set[int] = set()
    expected = "a grade list such as '1-3', '4,5,6' or '1-3,7' with grades 1-9"
    for item in _split(text, ","):
        bounds = [b.strip() for b in re.split(r"[-–~]", item)]
        if not all(b.isdigit() for b in bounds) or len(bounds) > 2:
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


def _split(text: str, sep: str) -> list[str]:
    text = text.replace("；", ";").replace("，", ",")
    return [item.strip() for item in text.split(sep) if item.strip()]
