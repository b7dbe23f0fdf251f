"""The output workbook's Sections and Assignments sheets ↔ :class:`Schedule`.

``schedule_frames`` gives the rows exactly as the contract names them (the
optimizer's report writer writes these), and ``read_schedule`` reads them back
(the checker and audits read these), so writer and reader agree by
construction. Problems in the sheets raise :class:`WorkbookError` located by
sheet, row and column, like the school reader.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from models.cells import as_text, is_blank, parse_int, parse_time_cell
from models.contract import (
    ASSIGNMENTS_COLUMNS,
    LOCK_COLUMN,
    LOCK_PARTS,
    SECTIONS_COLUMNS,
    normalize,
)
from models.locks import Locks, PlaceLock, SectionLock
from models.messages import Message, msg
from models.problems import Problem, WorkbookError, error
from models.schedule import Meeting, Place, Schedule, Section
from models.school import Activity, School
from models.time import DAYS, ParseError, format_time, parse_day

SECTIONS_SHEET = "Sections"
ASSIGNMENTS_SHEET = "Assignments"

MAX_COLUMNS = 64
"""Columns read per sheet; formatting far to the right is never data of ours."""

Row = dict[str, object]

_YES = frozenset({"yes", "y", "true", "1", "all", "是", "锁定"})
_NO = frozenset({"no", "n", "false", "0", "否"})


# --- writing -------------------------------------------------------------------

def schedule_frames(school: School, schedule: Schedule) -> dict[str, list[Row]]:
    """The rows of the Sections and Assignments sheets, columns in contract order.

    Sections: one row per meeting, in the schedule's section and meeting order;
    staff ids joined by "," (no space, so tools splitting on commas get clean ids).
    Assignments: one row per place, in the schedule's order; ``choice_rank`` is
    K of the student's ``choiceK`` naming the section's activity, None for
    study (and for an activity the student did not choose).
    """
    activity_of = {section.id: section.activity_id for section in schedule.sections}
    sections: list[Row] = []
    for section in schedule.sections:
        size = len(dict.fromkeys(section.student_ids))
        for meeting in section.meetings:
            values = (section.id, section.activity_id, DAYS[meeting.day],
                      format_time(meeting.start), format_time(meeting.end), meeting.room_id,
                      ",".join(meeting.staff_ids), size, None)
            sections.append(dict(zip(SECTIONS_COLUMNS, values, strict=True)))
    assignments: list[Row] = []
    for place in schedule.places:
        activity_id = activity_of.get(place.section_id)
        rank = _choice_rank(school, place.student_id, activity_id)
        cells = (place.student_id, DAYS[place.day], place.period, place.section_id,
                 activity_id, rank, None)
        assignments.append(dict(zip(ASSIGNMENTS_COLUMNS, cells, strict=True)))
    return {SECTIONS_SHEET: sections, ASSIGNMENTS_SHEET: assignments}


def _choice_rank(school: School, student_id: str, activity_id: str | None) -> int | None:
    """K of the first ``choiceK`` naming the activity; None for study or an unchosen one."""
    student = school.student_by_id.get(student_id)
    activity = school.activity_by_id.get(activity_id) if activity_id is not None else None
    if student is None or activity is None or activity.category == "study":
        return None
    if activity.id not in student.choices:
        return None
    return student.choices.index(activity.id) + 1


# --- reading --------------------------------------------------------------------

@dataclass
class _MeetingRow:
    row: int
    section_id: str
    activity_id: str
    day: int
    start: int
    end: int
    room_id: str
    staff_ids: tuple[str, ...]
    size: int
    lock: frozenset[str] = frozenset()


@dataclass
class _Table:
    header_row: int
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


def read_schedule(path: str | Path, school: School | None) -> Schedule:
    """Read the Sections and Assignments sheets of an output workbook into a Schedule.

    A meeting's periods are the periods its section's students are assigned to
    it on that day; for a meeting nobody is assigned to, the period(s) whose
    times match its start and end for a grade the activity admits. A section's
    students are those Assignments place in it, in the school's student order.
    Ids are text (101 and "101" are the same id). Raises :class:`WorkbookError`
    listing every problem found, each located by sheet, row and column.

    ``school`` None reads the schedule as it stands, for comparing two schedules
    (``schedule diff``) or reading last term's: the choice ranks are not checked
    against any Students sheet, a section's students keep the Assignments' order,
    and a meeting nobody is assigned to is an error (its periods cannot be told).
    """
    return _read(Path(path), school, strict=True)[0]


def read_previous(path: str | Path, school: School) -> tuple[Schedule, Locks]:
    """A schedule written for this school as it was, read for the school as it is now,
    with the locks of its ``lock`` columns (``schedule resolve``).

    The sheets must still agree with each other, but not with the school's current
    choices: a child who changed their choices since keeps the choice_rank written
    then, and a meeting nobody is assigned to whose times no longer match a period is
    read as the activity's first period(s). Whether the schedule still keeps the
    rules is the checker's question (models/previous.py), not the reader's.
    """
    schedule, meetings, places = _read(Path(path), school, strict=False)
    sections = tuple(SectionLock(row=m.row, section_id=m.section_id, day=m.day,
                                 start=m.start, end=m.end, room_id=m.room_id,
                                 staff_ids=m.staff_ids, keeps=m.lock)
                     for m in meetings if m.lock)
    pinned = tuple(PlaceLock(row=p.row, student_id=p.student_id, day=p.day,
                             period=p.period, section_id=p.section_id)
                   for p in places if p.lock)
    return schedule, Locks(sections=sections, places=pinned)


def _read(path: Path, school: School | None, *, strict: bool
          ) -> tuple[Schedule, list[_MeetingRow], list[AssignmentRow]]:
    workbook = _open_workbook(path)
    problems: list[Problem] = []
    try:
        tables = {
            name: _read_table(workbook, name, columns, problems)
            for name, columns in ((SECTIONS_SHEET, SECTIONS_COLUMNS),
                                  (ASSIGNMENTS_SHEET, ASSIGNMENTS_COLUMNS))
        }
    finally:
        workbook.close()
    sections_table, assignments_table = tables[SECTIONS_SHEET], tables[ASSIGNMENTS_SHEET]
    if sections_table is None or assignments_table is None:
        raise WorkbookError(problems)
    meetings = [m for row, cells in sections_table.rows
                if (m := _meeting_row(row, cells, problems)) is not None]
    places = [p for row, cells in assignments_table.rows
              if (p := _place_row(row, cells, problems)) is not None]
    schedule = _build(school, meetings, places, problems, strict=strict)
    if any(p.is_error for p in problems):
        raise WorkbookError(problems)
    return schedule, meetings, places


@dataclass(frozen=True, kw_only=True)
class AssignmentRow:
    """One row of an Assignments sheet as written, with its Excel row number."""

    row: int
    student_id: str
    day: int
    period: int
    section_id: str
    activity_id: str
    choice_rank: int | None  # None: study, or an activity the child did not choose
    lock: bool = False
    """``yes`` in the lock column: ``schedule resolve`` keeps the child in that section."""


def read_assignments(path: str | Path) -> list[AssignmentRow]:
    """The Assignments sheet's rows alone, as written (no school needed): for reading what
    last term gave each child. Raises :class:`WorkbookError` with every unreadable cell."""
    workbook = _open_workbook(Path(path))
    problems: list[Problem] = []
    try:
        table = _read_table(workbook, ASSIGNMENTS_SHEET, ASSIGNMENTS_COLUMNS, problems)
    finally:
        workbook.close()
    if table is None:
        raise WorkbookError(problems)
    rows = [p for row, cells in table.rows if (p := _place_row(row, cells, problems)) is not None]
    if any(p.is_error for p in problems):
        raise WorkbookError(problems)
    return rows


def _open_workbook(path: Path) -> openpyxl.Workbook:
    """Open an .xlsx read-only, or raise one clear sentence for anything else."""
    if not path.exists():
        raise WorkbookError(msg("schedule.missing", path=path))
    if path.is_dir() or not zipfile.is_zipfile(path):
        raise WorkbookError(msg("schedule.not_xlsx", name=path.name))
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise WorkbookError(msg("schedule.unopenable", name=path.name,
                                reason=type(exc).__name__)) from None


def _data_rows(worksheet: object) -> Iterator[tuple[int, tuple[object, ...]]]:
    """(Excel row number, cell values) of the non-blank rows."""
    worksheet.reset_dimensions()  # type: ignore[attr-defined]  # some writers record wrong sizes
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)  # type: ignore[attr-defined]
    for number, values in enumerate(rows, start=1):
        if values and not all(is_blank(v) for v in values):
            yield number, tuple(values)


def _read_table(workbook: object, name: str, columns: tuple[str, ...],
                problems: list[Problem]) -> _Table | None:
    """The sheet's data rows keyed by contract column; None when it cannot be read at all."""
    sheets = {normalize(sheet): sheet for sheet in workbook.sheetnames}  # type: ignore[attr-defined]
    actual = sheets.get(normalize(name))
    if actual is None:
        problems.append(error(name, msg("schedule.sheet_missing", sheet=name,
                                        columns=", ".join(columns))))
        return None
    rows = _data_rows(workbook[actual])  # type: ignore[index]
    header = next(rows, None)
    if header is None:
        problems.append(error(name, msg("schedule.sheet_empty", columns=", ".join(columns))))
        return None
    header_row, names = header
    positions: dict[str, int] = {}
    wanted = {normalize(c): c for c in columns}
    for position, cell in enumerate(names):
        column = wanted.get(normalize(as_text(cell))) if not is_blank(cell) else None
        if column is not None:
            positions.setdefault(column, position)  # extra columns after ours are allowed
    # The lock column came later: a schedule written before it still reads.
    missing = [c for c in columns if c not in positions and c != LOCK_COLUMN]
    for column in missing:
        problems.append(error(name, msg("schedule.column_missing", column=column),
                              row=header_row, column=column))
    if missing:
        return None
    table = _Table(header_row)
    for number, values in rows:
        table.rows.append((number, {
            c: values[p] if p < len(values) else None for c, p in positions.items()
        }))
    return table


def _meeting_row(row: int, cells: dict[str, object], problems: list[Problem]
                 ) -> _MeetingRow | None:
    reader = _Cells(SECTIONS_SHEET, row, cells, problems)
    section_id = reader.id("section")
    activity_id = reader.id("activity")
    day = reader.day("day")
    start = reader.time("start")
    end = reader.time("end")
    room_id = reader.id("room")
    staff = () if is_blank(cells["staff"]) else tuple(
        item.strip() for item in as_text(cells["staff"]).replace("，", ",").split(",")
        if item.strip()
    )
    size = reader.whole("size", low=0)
    lock = reader.lock_parts()
    if not reader.ok:
        return None
    if end <= start:  # type: ignore[operator]
        problems.append(error(SECTIONS_SHEET, msg("schedule.ends_before_start"), row=row,
                              column="end", value=as_text(cells["end"])))
        return None
    return _MeetingRow(row, section_id, activity_id, day, start, end, room_id,  # type: ignore[arg-type]
                       staff, size, lock)  # type: ignore[arg-type]


def _place_row(row: int, cells: dict[str, object], problems: list[Problem]) -> AssignmentRow | None:
    reader = _Cells(ASSIGNMENTS_SHEET, row, cells, problems)
    student_id = reader.id("student")
    day = reader.day("day")
    period = reader.whole("period", low=1, high=2)
    section_id = reader.id("section")
    activity_id = reader.id("activity")
    rank = None if is_blank(cells["choice_rank"]) else reader.whole("choice_rank", low=1, high=5)
    lock = reader.lock_parts(parts=())
    if not reader.ok:
        return None
    return AssignmentRow(row=row, student_id=student_id, day=day, period=period,  # type: ignore[arg-type]
                         section_id=section_id, activity_id=activity_id,  # type: ignore[arg-type]
                         choice_rank=rank, lock=bool(lock))


class _Cells:
    """Reads one row's cells, recording a located problem for each unreadable one."""

    def __init__(self, sheet: str, row: int, cells: dict[str, object],
                 problems: list[Problem]) -> None:
        self.sheet, self.row, self.cells, self.problems = sheet, row, cells, problems
        self.ok = True

    def _fail(self, column: str, expected: Message) -> None:
        raw = self.cells[column]
        self.problems.append(error(self.sheet, msg("cell.expected", expected=expected),
                                   row=self.row,
                                   column=column, value=None if raw is None else as_text(raw)))
        self.ok = False

    def id(self, column: str) -> str | None:
        raw = self.cells[column]
        if is_blank(raw) or isinstance(raw, bool | dt.date | dt.time):
            self._fail(column, msg("kind.id"))
            return None
        return as_text(raw)

    def day(self, column: str) -> int | None:
        raw = self.cells[column]
        try:
            if is_blank(raw) or not isinstance(raw, str):
                raise ParseError(msg("expect.day", days=", ".join(DAYS)))
            return parse_day(raw)
        except ParseError as exc:
            self._fail(column, exc.expected)
            return None

    def time(self, column: str) -> int | None:
        raw = self.cells[column]
        try:
            if is_blank(raw):
                raise ParseError(msg("expect.time"))
            return parse_time_cell(raw)
        except ParseError as exc:
            self._fail(column, exc.expected)
            return None

    def lock_parts(self, parts: tuple[str, ...] = LOCK_PARTS) -> frozenset[str]:
        """What a ``lock`` cell keeps: yes (all of ``parts``, or the place itself when
        there are none), no or blank (nothing), or a comma list of ``parts``."""
        raw = self.cells.get(LOCK_COLUMN)
        if is_blank(raw):
            return frozenset()
        words = {w.strip().lower() for w in as_text(raw).replace("，", ",").replace(";", ",")
                 .split(",") if w.strip()}
        if words <= _NO:
            return frozenset()
        if words <= _YES:
            return frozenset(parts or ("place",))
        if parts and words <= set(parts):
            return frozenset(words)
        listed = "yes, or a comma list of " + ", ".join(parts) if parts else "yes or blank"
        self.problems.append(error(self.sheet, f"expected {listed}", row=self.row,
                                   column=LOCK_COLUMN, value=as_text(raw)))
        # The row itself is read: its other cells are fine, and dropping it would bring
        # problems that are not there.
        return frozenset()

    def whole(self, column: str, *, low: int, high: int | None = None) -> int | None:
        noun = msg("range.int")
        expected = (msg("expect.range_between", noun=noun, low=low, high=high)
                    if high is not None else msg("expect.range_at_least", noun=noun, low=low))
        raw = self.cells[column]
        try:
            if is_blank(raw):
                raise ParseError(expected)
            value = parse_int(raw)
        except ParseError:
            self._fail(column, expected)
            return None
        if value < low or (high is not None and value > high):
            self._fail(column, expected)
            return None
        return value


def _build(school: School | None, meetings: list[_MeetingRow], places: list[AssignmentRow],
           problems: list[Problem], *, strict: bool = True) -> Schedule:
    """Group the rows into sections, cross-checking the two sheets against each other."""
    by_section = _by_section(meetings, problems)
    students, periods = _members(school, by_section, places, problems, strict)
    students_in_order = school.students if school is not None else ()
    order = {student.id: index for index, student in enumerate(students_in_order)}
    sections: list[Section] = []
    for section_id, rows in by_section.items():
        # The school's order, not the rows', so the same schedule reads back the same.
        members = sorted(students.get(section_id, []), key=lambda i: order.get(i, len(order)))
        if rows[0].size != len(members):
            problems.append(error(SECTIONS_SHEET, msg("schedule.size_differs", size=rows[0].size,
                                                      placed=len(members), section=section_id),
                                  row=rows[0].row, column="size", value=rows[0].size))
        built = _meetings(school, section_id, rows, periods, problems, strict)
        sections.append(Section(id=section_id, activity_id=rows[0].activity_id,
                                meetings=tuple(built), student_ids=tuple(members)))
    return Schedule(
        sections=tuple(sections),
        places=tuple(Place(student_id=p.student_id, day=p.day, period=p.period,
                           section_id=p.section_id) for p in places),
    )


def _by_section(meetings: list[_MeetingRow], problems: list[Problem]
                ) -> dict[str, list[_MeetingRow]]:
    """Section id → its Sections rows, which must agree on the activity and the size."""
    by_section: dict[str, list[_MeetingRow]] = defaultdict(list)
    for meeting in meetings:
        first = by_section[meeting.section_id][0] if by_section[meeting.section_id] else None
        if first is not None and meeting.activity_id != first.activity_id:
            problems.append(error(SECTIONS_SHEET, msg("schedule.two_activities",
                                                      section=meeting.section_id,
                                                      activity=first.activity_id,
                                                      row=first.row),
                                  row=meeting.row, column="activity",
                                  value=meeting.activity_id))
        if first is not None and meeting.size != first.size:
            problems.append(error(SECTIONS_SHEET, msg("schedule.two_sizes",
                                                      section=meeting.section_id,
                                                      size=first.size, row=first.row),
                                  row=meeting.row, column="size", value=meeting.size))
        by_section[meeting.section_id].append(meeting)
    return by_section


def _members(school: School | None, by_section: dict[str, list[_MeetingRow]],
             places: list[AssignmentRow], problems: list[Problem], strict: bool
             ) -> tuple[dict[str, list[str]], dict[tuple[str, int], set[int]]]:
    """Each section's students and (section, day) → the periods they are placed in it,
    from Assignments rows that name a section of Sections, of its activity."""
    students: dict[str, list[str]] = defaultdict(list)
    periods: dict[tuple[str, int], set[int]] = defaultdict(set)
    for place in places:
        rows = by_section.get(place.section_id)
        if rows is None:
            problems.append(error(ASSIGNMENTS_SHEET, msg("schedule.unknown_section"),
                                  row=place.row, column="section", value=place.section_id))
            continue
        if place.activity_id != rows[0].activity_id:
            problems.append(error(ASSIGNMENTS_SHEET, msg("schedule.other_activity",
                                                         section=place.section_id,
                                                         activity=rows[0].activity_id,
                                                         row=rows[0].row),
                                  row=place.row, column="activity", value=place.activity_id))
        expected = (place.choice_rank if school is None
                    else _choice_rank(school, place.student_id, rows[0].activity_id))
        if strict and place.choice_rank != expected:
            shown = msg("schedule.blank") if expected is None else str(expected)
            problems.append(error(ASSIGNMENTS_SHEET, msg("schedule.choice_rank", rank=shown,
                                                         activity=rows[0].activity_id,
                                                         student=place.student_id),
                                  row=place.row, column="choice_rank", value=place.choice_rank))
        if place.student_id not in students[place.section_id]:
            students[place.section_id].append(place.student_id)
        periods[place.section_id, place.day].add(place.period)
    return students, periods


def _meetings(school: School | None, section_id: str, rows: list[_MeetingRow],
              periods: dict[tuple[str, int], set[int]], problems: list[Problem],
              strict: bool) -> list[Meeting]:
    """A section's meetings, each taking the periods its students are placed in that day,
    else the periods its times match."""
    activity = (school.activity_by_id.get(rows[0].activity_id)
                if school is not None else None)
    built: list[Meeting] = []
    for row in rows:
        taken = tuple(sorted(periods.get((section_id, row.day), ())))
        if not taken and school is not None:
            taken = _periods_from_times(school, activity, row) or ()
        if not taken and not strict:
            # The school's periods changed since: nobody is in it, so which period
            # it took matters to no rule about children.
            taken = tuple(range(1, (activity.periods if activity else 1) + 1))
        if not taken:
            problems.append(error(SECTIONS_SHEET, msg(
                "schedule.unknown_periods" if school is not None
                else "schedule.periods_need_school",
                section=section_id, day=DAYS[row.day], start=format_time(row.start),
                end=format_time(row.end)),
                                  row=row.row, column="start", value=format_time(row.start)))
            continue
        built.append(Meeting(day=row.day, periods=taken, start=row.start, end=row.end,
                             room_id=row.room_id, staff_ids=row.staff_ids))
    return built


def _periods_from_times(school: School, activity: Activity | None, row: _MeetingRow
                        ) -> tuple[int, ...] | None:
    """The period(s) whose times are the meeting's for some grade the activity admits.

    Only for meetings nobody is assigned to; when two candidates match (grade
    bands whose periods share times), the first in (1,), (2,), (1, 2) order wins
    — with no students in it, which one cannot matter to any rule about them.
    """
    grades = sorted(activity.grades) if activity is not None else list(range(1, 10))
    for periods in ((1,), (2,), (1, 2)):
        if activity is not None and len(periods) != (
                1 if activity.category == "study" else activity.periods):
            continue
        for grade in grades:
            first = school.period_time(grade, row.day, periods[0])
            last = school.period_time(grade, row.day, periods[-1])
            if first is not None and last is not None and (first[0], last[1]) == (
                    row.start, row.end):
                return periods
    return None

