"""Does the print data a solve stored still say what the visible sheets say?

``schedule print`` without the school workbook prints from the hidden print data. A
coordinator who moves a child in the Assignments sheet (or a section's room in the
Sections sheet) expects the printed roster to show it; the print data still holds the
schedule as solved. :func:`stale_print_data` compares the two — who is in which
section, and when, where and with whom each section meets — reading the visible
sheets as they are, without the school.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import openpyxl

from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
from models.schedule_io import ASSIGNMENTS_SHEET, SECTIONS_SHEET
from models.time import parse_day, parse_time
from optimizer.outputs.report.book import PrintBook

Meeting = tuple[int | None, int | None, int | None, str, tuple[str, ...]]
"""(day, start, end, room id, staff ids sorted) of one section meeting."""


def stale_print_data(path: str | Path, book: PrintBook) -> str | None:
    """What the visible Sections and Assignments sheets of ``path`` say differently from
    its print data, as a clause ("the Assignments sheet places 2 students differently
    from …"); None when they agree."""
    members, meetings = _visible(Path(path))
    stored_members = {r.section_id: frozenset(p.id for p in r.students) for r in book.rosters}
    stored_meetings = {r.section_id: frozenset(
        (m.day, m.start, m.end, m.room_id, tuple(sorted(p.id for p in m.staff)))
        for m in r.meetings) for r in book.rosters}
    moved = _students_moved(stored_members, members)
    changed = sorted(s for s in set(stored_meetings) | set(meetings)
                     if stored_meetings.get(s, frozenset()) != meetings.get(s, frozenset()))
    parts = []
    if moved:
        parts.append(f"the {ASSIGNMENTS_SHEET} sheet places {len(moved)} student(s) "
                     "differently")
    if changed:
        shown = ", ".join(changed[:3]) + (" …" if len(changed) > 3 else "")
        parts.append(f"the {SECTIONS_SHEET} sheet differs for {len(changed)} section(s) "
                     f"({shown})")
    if not parts:
        return None
    return " and ".join(parts) + " from the print data the solve stored"


def _students_moved(stored: dict[str, frozenset[str]],
                    visible: dict[str, frozenset[str]]) -> set[str]:
    """Students whose sections differ between the two."""
    def sections_of(members: dict[str, frozenset[str]]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for section, students in members.items():
            for student in students:
                found[student].add(section)
        return found

    before, after = sections_of(stored), sections_of(visible)
    return {s for s in set(before) | set(after) if before.get(s) != after.get(s)}


def _visible(path: Path) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[Meeting]]]:
    """Section → its students (Assignments), section → its meetings (Sections)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        members: dict[str, set[str]] = defaultdict(set)
        for cells in _rows(workbook, ASSIGNMENTS_SHEET, ASSIGNMENTS_COLUMNS):
            if cells["section"] and cells["student"]:
                members[_text(cells["section"])].add(_text(cells["student"]))
        meetings: dict[str, set[Meeting]] = defaultdict(set)
        for cells in _rows(workbook, SECTIONS_SHEET, SECTIONS_COLUMNS):
            if not cells["section"]:
                continue
            staff = tuple(sorted(s.strip() for s in _text(cells["staff"]).split(",")
                                 if s.strip()))
            meetings[_text(cells["section"])].add(
                (_day(cells["day"]), _minutes(cells["start"]), _minutes(cells["end"]),
                 _text(cells["room"]), staff))
    finally:
        workbook.close()
    return ({k: frozenset(v) for k, v in members.items()},
            {k: frozenset(v) for k, v in meetings.items()})


def _rows(workbook: openpyxl.Workbook, sheet: str, columns: tuple[str, ...]
          ) -> list[dict[str, object]]:
    """The sheet's rows as column → value, by the header's names (a sheet that is missing
    reads as empty: every section then differs, which is the truth)."""
    if sheet not in workbook.sheetnames:
        return []
    rows = workbook[sheet].iter_rows(values_only=True)
    header = next(rows, None) or ()
    where = {str(name).strip(): index for index, name in enumerate(header) if name}
    found = []
    for row in rows:
        cells = {c: row[where[c]] if c in where and where[c] < len(row) else None
                 for c in columns}
        if any(v not in (None, "") for v in cells.values()):
            found.append(cells)
    return found


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _day(value: object) -> int | None:
    try:
        return parse_day(_text(value))
    except ValueError:
        return None


def _minutes(value: object) -> int | None:
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    try:
        return parse_time(_text(value))
    except ValueError:
        return None
