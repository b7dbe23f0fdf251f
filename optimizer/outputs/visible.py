"""The visible Sections and Assignments sheets against the print data a solve stored.

``schedule print`` without the school workbook prints from the hidden print data. A
coordinator who moves a child in the Assignments sheet (or a section's room in the
Sections sheet) expects the printed roster to show it; the print data still holds the
schedule as solved. :func:`stale_print_data` compares the two — who is in which
section, and when, where and with whom each section meets — reading the visible
sheets as they are, without the school; :func:`rebuilt_book` makes the prints from
the visible sheets, taking from the print data only what the sheets do not hold
(names, classes, activity and room names, class-list columns, staff details).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
from models.messages import Said, msg
from models.schedule_io import ASSIGNMENTS_SHEET, SECTIONS_SHEET
from models.time import parse_day, parse_time
from optimizer.outputs.report.book import PrintBook
from optimizer.outputs.report.views import (
    ClassList,
    ClassRow,
    Duty,
    MeetingView,
    Person,
    Pupil,
    Roster,
    Spot,
    StaffView,
    natural_key,
)


@dataclass(frozen=True)
class _Place:
    """One Assignments row: a student's section in one day and period."""

    student: str
    day: int | None
    period: int | None
    section: str
    activity: str
    rank: int | None


@dataclass(frozen=True)
class _Meeting:
    """One Sections row: a section's meeting."""

    section: str
    activity: str
    day: int | None
    start: int | None
    end: int | None
    room: str
    staff: tuple[str, ...]

    def key(self) -> tuple[int | None, int | None, int | None, str, tuple[str, ...]]:
        return self.day, self.start, self.end, self.room, tuple(sorted(self.staff))


@dataclass(frozen=True)
class _Sheets:
    places: list[_Place]
    meetings: list[_Meeting]

    def members(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for place in self.places:
            found[place.section].add(place.student)
        return {section: frozenset(students) for section, students in found.items()}

    def meeting_keys(self) -> dict[str, frozenset[tuple[object, ...]]]:
        found: dict[str, set[tuple[object, ...]]] = defaultdict(set)
        for meeting in self.meetings:
            found[meeting.section].add(meeting.key())
        return {section: frozenset(keys) for section, keys in found.items()}


def stale_print_data(path: str | Path, book: PrintBook) -> str | None:
    """What the visible Sections and Assignments sheets of ``path`` say differently from
    its print data, as a clause ("the Assignments sheet places 2 student(s) differently
    from …"); None when they agree."""
    sheets = _read(Path(path))
    stored_members = {r.section_id: frozenset(p.id for p in r.students) for r in book.rosters}
    stored_meetings = {r.section_id: frozenset(
        (m.day, m.start, m.end, m.room_id, tuple(sorted(p.id for p in m.staff)))
        for m in r.meetings) for r in book.rosters}
    visible_meetings = sheets.meeting_keys()
    moved = _students_moved(stored_members, sheets.members())
    changed = sorted(s for s in set(stored_meetings) | set(visible_meetings)
                     if stored_meetings.get(s, frozenset()) != visible_meetings.get(s,
                                                                                   frozenset()))
    parts = []
    if moved:
        parts.append(msg("visible.moved", sheet=ASSIGNMENTS_SHEET, count=len(moved)))
    if changed:
        shown = ", ".join(changed[:3]) + (" …" if len(changed) > 3 else "")
        parts.append(msg("visible.changed", sheet=SECTIONS_SHEET, count=len(changed),
                         shown=shown))
    if not parts:
        return None
    if len(parts) == 1:
        return Said(msg("visible.stale", differs=parts[0]))
    return Said(msg("visible.stale_both", first=parts[0], second=parts[1]))


def rebuilt_book(path: str | Path, book: PrintBook) -> PrintBook:
    """The print data remade from the visible sheets of ``path``: rosters, class lists
    and staff timetables say what the sheets say now. Not checked against the rules
    (that needs the school workbook)."""
    sheets = _read(Path(path))
    known = _Known.of(book)
    meetings: dict[str, list[_Meeting]] = defaultdict(list)
    for meeting in sheets.meetings:
        meetings[meeting.section].append(meeting)
    periods: dict[tuple[str, int | None], set[int]] = defaultdict(set)
    for place in sheets.places:
        if place.period is not None:
            periods[place.section, place.day].add(place.period)
    views = {section: known.meeting_views(rows, periods) for section, rows in meetings.items()}
    members = sheets.members()
    rosters = tuple(known.roster(section, rows[0].activity, views[section],
                                 members.get(section, frozenset()))
                    for section, rows in _in_book_order(meetings, book))
    return dataclasses.replace(book, rosters=rosters,
                               classes=known.class_lists(book, sheets.places, views),
                               staff=known.staff(book, rosters))


@dataclass
class _Known:
    """What the print data knows and the sheets do not, by id."""

    pupils: dict[str, Pupil]
    activities: dict[str, tuple[str, str]]  # id → (name, category)
    rooms: dict[str, str]
    people: dict[str, str]
    old_periods: dict[tuple[str, int], tuple[int, ...]]

    @classmethod
    def of(cls, book: PrintBook) -> _Known:
        pupils = {row.pupil.id: row.pupil for c in book.classes for row in c.rows}
        pupils.update({p.id: p for r in book.rosters for p in r.students})
        return cls(
            pupils=pupils,
            activities={r.activity_id: (r.activity_name, r.category) for r in book.rosters},
            rooms={m.room_id: m.room_name for r in book.rosters for m in r.meetings},
            people={p.id: p.name for p in book.staff},
            old_periods={(r.section_id, m.day): m.periods for r in book.rosters
                         for m in r.meetings})

    def meeting_views(self, rows: list[_Meeting],
                      periods: dict[tuple[str, int | None], set[int]]) -> list[MeetingView]:
        views = []
        for row in sorted(rows, key=lambda m: (m.day or 0, m.start or 0)):
            if row.day is None or row.start is None or row.end is None:
                continue  # a meeting the sheet no longer places in time: nothing to print
            used = tuple(sorted(periods.get((row.section, row.day), ())))
            views.append(MeetingView(
                day=row.day, periods=used or self.old_periods.get((row.section, row.day), (1,)),
                start=row.start, end=row.end, room_id=row.room,
                room_name=self.rooms.get(row.room, row.room),
                staff=tuple(Person(id=i, name=self.people.get(i, i)) for i in row.staff)))
        return views

    def roster(self, section: str, activity: str, meetings: list[MeetingView],
               members: frozenset[str]) -> Roster:
        name, category = self.activities.get(activity, (activity, "other"))
        students = sorted((self.pupil(i) for i in members),
                          key=lambda p: (natural_key(p.class_name), natural_key(p.id)))
        return Roster(section_id=section, activity_id=activity, activity_name=name,
                      category=category, meetings=tuple(meetings), students=tuple(students))

    def pupil(self, student_id: str) -> Pupil:
        return self.pupils.get(student_id) or Pupil(id=student_id, name=student_id,
                                                    class_name="", grade=0)

    def class_lists(self, book: PrintBook, places: list[_Place],
                    views: dict[str, list[MeetingView]]) -> tuple[ClassList, ...]:
        where = {(p.student, p.day, p.period): p for p in places}
        lists = []
        for class_list in book.classes:
            rows = tuple(ClassRow(pupil=row.pupil, spots=tuple(
                self.spot(where.get((row.pupil.id, slot.day, slot.period)), views)
                for slot in class_list.slots)) for row in class_list.rows)
            lists.append(dataclasses.replace(class_list, rows=rows))
        return tuple(lists)

    def spot(self, place: _Place | None, views: dict[str, list[MeetingView]]) -> Spot | None:
        if place is None:
            return None
        meeting = next((m for m in views.get(place.section, ()) if m.day == place.day), None)
        name, category = self.activities.get(place.activity, (place.activity, "other"))
        return Spot(section_id=place.section, activity_id=place.activity, activity_name=name,
                    category=category, start=meeting.start if meeting else 0,
                    end=meeting.end if meeting else 0,
                    room_name=meeting.room_name if meeting else "",
                    staff_names=tuple(p.name for p in meeting.staff) if meeting else (),
                    choice_rank=place.rank)

    def staff(self, book: PrintBook, rosters: tuple[Roster, ...]) -> tuple[StaffView, ...]:
        duties: dict[str, list[Duty]] = defaultdict(list)
        for roster in rosters:
            for meeting in roster.meetings:
                for person in dict.fromkeys(meeting.staff):
                    duties[person.id].append(Duty(
                        day=meeting.day, periods=meeting.periods, start=meeting.start,
                        end=meeting.end, section_id=roster.section_id,
                        activity_name=roster.activity_name, category=roster.category,
                        room_name=meeting.room_name, size=len(roster.students)))
        return tuple(dataclasses.replace(view, duties=tuple(sorted(
            duties.get(view.id, ()), key=lambda d: (d.day, d.start)))) for view in book.staff)


def _in_book_order(meetings: dict[str, list[_Meeting]], book: PrintBook
                   ) -> list[tuple[str, list[_Meeting]]]:
    """The sections in the print data's order, then any new ones by id."""
    order = {r.section_id: i for i, r in enumerate(book.rosters)}
    return sorted(meetings.items(), key=lambda item: (order.get(item[0], len(order)),
                                                      natural_key(item[0])))


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


def _read(path: Path) -> _Sheets:
    """The Assignments and Sections rows as they are."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        places = [_Place(student=_text(c["student"]), day=_day(c["day"]),
                         period=_int(c["period"]), section=_text(c["section"]),
                         activity=_text(c["activity"]), rank=_int(c["choice_rank"]))
                  for c in _rows(workbook, ASSIGNMENTS_SHEET, ASSIGNMENTS_COLUMNS)
                  if _text(c["section"]) and _text(c["student"])]
        meetings = [_Meeting(section=_text(c["section"]), activity=_text(c["activity"]),
                             day=_day(c["day"]), start=_minutes(c["start"]),
                             end=_minutes(c["end"]), room=_text(c["room"]),
                             staff=tuple(s.strip() for s in _text(c["staff"]).split(",")
                                         if s.strip()))
                    for c in _rows(workbook, SECTIONS_SHEET, SECTIONS_COLUMNS)
                    if _text(c["section"])]
    finally:
        workbook.close()
    return _Sheets(places, meetings)


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


def _int(value: object) -> int | None:
    try:
        return int(_text(value))
    except ValueError:
        return None


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
