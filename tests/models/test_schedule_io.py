"""Sections and Assignments sheets: the frames the writer writes read back as the same schedule.

Uses the base school and schedule of ``test_check`` (chess twice a week, a
2-period robotics meeting, study sections), written with openpyxl exactly as
``schedule_frames`` gives the rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
from models.problems import WorkbookError
from models.schedule import Place, Schedule
from models.schedule_io import (
    ASSIGNMENTS_SHEET,
    SECTIONS_SHEET,
    read_assignments,
    read_previous,
    read_schedule,
    schedule_frames,
)
from models.school import School
from tests.models.test_check import (
    BOTH,
    P2,
    WED,
    base_schedule,
    base_school,
    base_sections,
    build,
    meet,
    sec,
)

Grid = dict[str, list[list[object]]]
"""Sheet name → rows of cells, header first: what gets written."""


def grid(school: School, schedule: Schedule) -> Grid:
    frames = schedule_frames(school, schedule)
    columns = {SECTIONS_SHEET: SECTIONS_COLUMNS, ASSIGNMENTS_SHEET: ASSIGNMENTS_COLUMNS}
    return {name: [list(columns[name]), *([row[c] for c in columns[name]] for row in rows)]
            for name, rows in frames.items()}


def write(path: Path, sheets: Grid) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def round_trip(tmp_path: Path, school: School, schedule: Schedule) -> Schedule:
    return read_schedule(write(tmp_path / "out.xlsx", grid(school, schedule)), school)


# --- frames ------------------------------------------------------------------------

def test_frames_follow_the_contract() -> None:
    frames = schedule_frames(base_school(), base_schedule())
    assert set(frames) == {"Sections", "Assignments"}
    assert all(tuple(row) == SECTIONS_COLUMNS for row in frames["Sections"])
    assert all(tuple(row) == ASSIGNMENTS_COLUMNS for row in frames["Assignments"])
    assert frames["Sections"][:2] == [
        {"section": "CH1", "activity": "CHESS", "day": "Mon", "start": "15:30", "end": "16:10",
         "room": "R1", "staff": "T1", "size": 2, "lock": None},
        {"section": "CH1", "activity": "CHESS", "day": "Wed", "start": "15:30", "end": "16:10",
         "room": "R1", "staff": "T1", "size": 2, "lock": None},
    ]
    robotics = [row for row in frames["Sections"] if row["section"] == "RB1"]
    assert robotics == [{"section": "RB1", "activity": "ROBO", "day": "Wed", "start": "15:30",
                         "end": "17:00", "room": "R2", "staff": "VI1", "size": 1,
                         "lock": None}]


def test_one_sections_row_per_meeting_and_one_assignment_per_place() -> None:
    schedule = base_schedule()
    frames = schedule_frames(base_school(), schedule)
    assert len(frames["Sections"]) == sum(len(s.meetings) for s in schedule.sections)
    assert len(frames["Assignments"]) == len(schedule.places) == 4 * 6 + 1


def test_choice_rank_is_the_choice_column_and_blank_for_study() -> None:
    rows = schedule_frames(base_school(), base_schedule())["Assignments"]
    rank = {(r["student"], r["day"], r["period"]): r["choice_rank"] for r in rows}
    assert rank["S1", "Mon", 1] == 1  # chess, choice 1
    assert rank["S5", "Mon", 2] == 2  # football, choice 2
    assert rank["S6", "Wed", 2] == 1  # robotics, both periods
    assert rank["S1", "Mon", 2] is None  # study
    assert {r["activity"] for r in rows if r["choice_rank"] is None} == {"STUDY"}


def test_staff_are_joined_by_commas() -> None:
    sections = base_sections()
    sections["FT1"] = replace(sections["FT1"], meetings=(meet(0, P2, "GYM", "V1", "T3"),))
    rows = schedule_frames(base_school(), build(sections))["Sections"]
    assert next(r for r in rows if r["section"] == "FT1")["staff"] == "V1,T3"


# --- reading back -----------------------------------------------------------------------

def test_written_frames_read_back_as_the_same_schedule(tmp_path: Path) -> None:
    school, schedule = base_school(), base_schedule()
    assert round_trip(tmp_path, school, schedule) == schedule


def test_two_period_meeting_takes_periods_from_assignments(tmp_path: Path) -> None:
    read = round_trip(tmp_path, base_school(), base_schedule())
    (robotics,) = (s for s in read.sections if s.id == "RB1")
    assert robotics.meetings[0].periods == BOTH


def test_meeting_nobody_attends_takes_periods_from_times(tmp_path: Path) -> None:
    sections = base_sections()
    sections["FT2"] = sec("FT2", "FOOT", [meet(WED, P2, "GYM", "V1")], "")
    sections["RB2"] = sec("RB2", "ROBO", [meet(WED, BOTH, "GYM", "VI1")], "")
    schedule = build(sections)
    read = round_trip(tmp_path, base_school(), schedule)
    assert read == schedule
    by_id = {s.id: s for s in read.sections}
    assert by_id["FT2"].meetings[0].periods == P2
    assert by_id["RB2"].meetings[0].periods == BOTH


def test_numeric_ids_equal_text_ids(tmp_path: Path) -> None:
    """Excel stores 101 as a number; it is the same id as the text "101"."""
    school = base_school()
    numbers = {s.id: str(100 + i) for i, s in enumerate(base_schedule().sections)}
    schedule = base_schedule()
    schedule = Schedule(
        sections=tuple(replace(s, id=numbers[s.id]) for s in schedule.sections),
        places=tuple(replace(p, section_id=numbers[p.section_id]) for p in schedule.places),
    )
    sheets = grid(school, schedule)
    for sheet, columns in ((SECTIONS_SHEET, SECTIONS_COLUMNS),
                           (ASSIGNMENTS_SHEET, ASSIGNMENTS_COLUMNS)):
        index = columns.index("section")
        for row in sheets[sheet][1:]:
            row[index] = int(str(row[index]))
    assert isinstance(sheets[SECTIONS_SHEET][1][0], int)
    assert read_schedule(write(tmp_path / "out.xlsx", sheets), school) == schedule


def test_excel_time_cells_extra_columns_and_sheet_order(tmp_path: Path) -> None:
    school, schedule = base_school(), base_schedule()
    sheets = grid(school, schedule)
    sections = sheets[SECTIONS_SHEET]
    sections[0].append("notes")
    for row in sections[1:]:
        for index in (3, 4):  # start, end as Excel time cells
            hours, minutes = str(row[index]).split(":")
            row[index] = dt.time(int(hours), int(minutes))
        row.append("bring shoes")
    reordered: Grid = {ASSIGNMENTS_SHEET: sheets[ASSIGNMENTS_SHEET], "Notes": [["hello"]],
                 SECTIONS_SHEET: sections}
    assert read_schedule(write(tmp_path / "out.xlsx", reordered), school) == schedule


def test_section_members_follow_the_school_not_the_rows(tmp_path: Path) -> None:
    school, schedule = base_school(), base_schedule()
    sheets = grid(school, schedule)
    header, *rows = sheets[ASSIGNMENTS_SHEET]
    sheets[ASSIGNMENTS_SHEET] = [header, *reversed(rows)]
    read = read_schedule(write(tmp_path / "out.xlsx", sheets), school)
    assert read.sections == schedule.sections
    assert set(read.places) == set(schedule.places)


# --- malformed workbooks ---------------------------------------------------------------------

Mutation = Callable[[Grid], None]


def _cell(sheet: str, row: int, column: str, value: object) -> Mutation:
    """Set one cell; ``row`` is the Excel row (1 is the header)."""
    columns = SECTIONS_COLUMNS if sheet == SECTIONS_SHEET else ASSIGNMENTS_COLUMNS

    def mutate(sheets: Grid) -> None:
        sheets[sheet][row - 1][columns.index(column)] = value
    return mutate


def _row_of(sheets: Grid, sheet: str, **match: object) -> int:
    columns = SECTIONS_COLUMNS if sheet == SECTIONS_SHEET else ASSIGNMENTS_COLUMNS
    for number, row in enumerate(sheets[sheet], start=1):
        if all(row[columns.index(c)] == v for c, v in match.items()):
            return number
    raise AssertionError(match)


def _drop_sheet(sheets: Grid) -> None:
    del sheets[ASSIGNMENTS_SHEET]


def _drop_room_column(sheets: Grid) -> None:
    index = SECTIONS_COLUMNS.index("room")
    for row in sheets[SECTIONS_SHEET]:
        del row[index]


def _empty_sections(sheets: Grid) -> None:
    sheets[SECTIONS_SHEET] = []


def _unplaceable_empty_section(sheets: Grid) -> None:
    sheets[SECTIONS_SHEET].append(["FT9", "FOOT", "Wed", "16:25", "17:00", "GYM", "V1", 0])


# FT1 is on Sections row 4; S1's Assignments rows are 2-5 (Mon 1 CH1, Mon 2 ST-M2, Wed 1 CH1,
# Wed 2 ST-W2), checked by test_malformed_rows_are_where_the_tests_think.
MALFORMED: list[tuple[str, Mutation, str, int | None, str | None]] = [
    ("missing-sheet", _drop_sheet, ASSIGNMENTS_SHEET, None, None),
    ("empty-sheet", _empty_sections, SECTIONS_SHEET, None, None),
    ("missing-column", _drop_room_column, SECTIONS_SHEET, 1, "room"),
    ("bad-day", _cell(SECTIONS_SHEET, 2, "day", "Sat"), SECTIONS_SHEET, 2, "day"),
    ("bad-time", _cell(SECTIONS_SHEET, 2, "end", "4pm"), SECTIONS_SHEET, 2, "end"),
    ("ends-before-start", _cell(SECTIONS_SHEET, 2, "end", "15:00"), SECTIONS_SHEET, 2, "end"),
    ("size-not-a-number", _cell(SECTIONS_SHEET, 2, "size", "two"), SECTIONS_SHEET, 2, "size"),
    ("blank-room", _cell(SECTIONS_SHEET, 2, "room", None), SECTIONS_SHEET, 2, "room"),
    ("size-disagrees-with-assignments", _cell(SECTIONS_SHEET, 4, "size", 4), SECTIONS_SHEET, 4,
     "size"),
    ("size-differs-between-meetings", _cell(SECTIONS_SHEET, 3, "size", 3), SECTIONS_SHEET, 3,
     "size"),
    ("activity-differs-between-meetings", _cell(SECTIONS_SHEET, 3, "activity", "FOOT"),
     SECTIONS_SHEET, 3, "activity"),
    ("times-match-no-period", _unplaceable_empty_section, SECTIONS_SHEET, 10, "start"),
    ("bad-period", _cell(ASSIGNMENTS_SHEET, 2, "period", 3), ASSIGNMENTS_SHEET, 2, "period"),
    ("blank-student", _cell(ASSIGNMENTS_SHEET, 2, "student", None), ASSIGNMENTS_SHEET, 2,
     "student"),
    ("bad-assignment-day", _cell(ASSIGNMENTS_SHEET, 2, "day", "someday"), ASSIGNMENTS_SHEET, 2,
     "day"),
    ("unknown-section", _cell(ASSIGNMENTS_SHEET, 2, "section", "NOPE"), ASSIGNMENTS_SHEET, 2,
     "section"),
    ("activity-disagrees-with-section", _cell(ASSIGNMENTS_SHEET, 2, "activity", "FOOT"),
     ASSIGNMENTS_SHEET, 2, "activity"),
    ("wrong-choice-rank", _cell(ASSIGNMENTS_SHEET, 2, "choice_rank", 2), ASSIGNMENTS_SHEET, 2,
     "choice_rank"),
    ("choice-rank-for-study", _cell(ASSIGNMENTS_SHEET, 3, "choice_rank", 1), ASSIGNMENTS_SHEET,
     3, "choice_rank"),
    ("choice-rank-out-of-range", _cell(ASSIGNMENTS_SHEET, 2, "choice_rank", 7),
     ASSIGNMENTS_SHEET, 2, "choice_rank"),
]


def test_malformed_rows_are_where_the_tests_think() -> None:
    sheets = grid(base_school(), base_schedule())
    assert _row_of(sheets, SECTIONS_SHEET, section="FT1") == 4
    assert _row_of(sheets, SECTIONS_SHEET, section="CH1", day="Wed") == 3
    assert len(sheets[SECTIONS_SHEET]) == 9  # the appended empty section lands on row 10
    assert [row[:4] for row in sheets[ASSIGNMENTS_SHEET][1:5]] == [
        ["S1", "Mon", 1, "CH1"], ["S1", "Mon", 2, "ST-M2"],
        ["S1", "Wed", 1, "CH1"], ["S1", "Wed", 2, "ST-W2"],
    ]


@pytest.mark.parametrize(
    ("mutate", "sheet", "row", "column"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_workbooks_give_located_errors(
    tmp_path: Path, mutate: Mutation, sheet: str, row: int | None, column: str | None,
) -> None:
    sheets = grid(base_school(), base_schedule())
    mutate(sheets)
    with pytest.raises(WorkbookError) as caught:
        read_schedule(write(tmp_path / "bad.xlsx", sheets), base_school())
    located = [(p.sheet, p.row, p.column) for p in caught.value.problems if p.is_error]
    assert (sheet, row, column) in located, caught.value.problems


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    sheets = grid(base_school(), base_schedule())
    _cell(SECTIONS_SHEET, 2, "day", "Sat")(sheets)
    _cell(ASSIGNMENTS_SHEET, 5, "period", 0)(sheets)
    with pytest.raises(WorkbookError) as caught:
        read_schedule(write(tmp_path / "bad.xlsx", sheets), base_school())
    where = {(p.sheet, p.row) for p in caught.value.problems}
    assert {(SECTIONS_SHEET, 2), (ASSIGNMENTS_SHEET, 5)} <= where


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    path.write_text("section,activity\n")
    with pytest.raises(WorkbookError, match="not an Excel"):
        read_schedule(path, base_school())


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="does not exist"):
        read_schedule(tmp_path / "nowhere.xlsx", base_school())


def test_read_schedule_of_unknown_ids_is_left_to_the_checker(tmp_path: Path) -> None:
    """The reader reads; unknown rooms, staff and students are the checker's to report."""
    sections = base_sections()
    sections["FT1"] = replace(sections["FT1"], meetings=(meet(0, P2, "POOL", "NOBODY"),))
    schedule = build(sections, extra=(Place(student_id="S99", day=0, period=1,
                                            section_id="ST-M1"),))
    schedule = Schedule(
        sections=tuple(replace(s, student_ids=(*s.student_ids, "S99")) if s.id == "ST-M1"
                       else s for s in schedule.sections),
        places=schedule.places,
    )
    assert round_trip(tmp_path, base_school(), schedule) == schedule


# --- reading without the school (diff, last term) -----------------------------------

def test_without_the_school_the_same_places_and_meetings_read_back(tmp_path: Path) -> None:
    school, schedule = base_school(), base_schedule()
    path = write(tmp_path / "out.xlsx", grid(school, schedule))
    alone = read_schedule(path, None)
    assert alone.places == schedule.places
    assert {s.id: s.meetings for s in alone.sections} == {
        s.id: s.meetings for s in schedule.sections}
    assert {s.id: set(s.student_ids) for s in alone.sections} == {
        s.id: set(s.student_ids) for s in schedule.sections}


def test_without_the_school_a_meeting_nobody_attends_is_a_located_error(
        tmp_path: Path) -> None:
    sections = base_sections()
    sections["FT2"] = sec("FT2", "FOOT", [meet(WED, P2, "GYM", "V1")], "")
    path = write(tmp_path / "out.xlsx", grid(base_school(), build(sections)))
    with pytest.raises(WorkbookError) as caught:
        read_schedule(path, None)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.column) == (SECTIONS_SHEET, "start")
    assert "school workbook is needed" in problem.message


def test_read_assignments_keeps_each_row_and_its_choice_rank(tmp_path: Path) -> None:
    school, schedule = base_school(), base_schedule()
    rows = read_assignments(write(tmp_path / "out.xlsx", grid(school, schedule)))
    frames = schedule_frames(school, schedule)[ASSIGNMENTS_SHEET]
    assert [(r.row, r.student_id, r.section_id, r.choice_rank) for r in rows] == [
        (number, f["student"], f["section"], f["choice_rank"])
        for number, f in enumerate(frames, start=2)]
# --- locks -------------------------------------------------------------------------

def test_a_schedule_written_before_the_lock_column_still_reads(tmp_path: Path) -> None:
    sheets = {name: [row[:-1] for row in rows]
              for name, rows in grid(base_school(), base_schedule()).items()}
    assert sheets[SECTIONS_SHEET][0][-1] == "size"
    assert read_schedule(write(tmp_path / "old.xlsx", sheets), base_school()) == base_schedule()


def test_locks_are_read_with_their_rows(tmp_path: Path) -> None:
    sheets = grid(base_school(), base_schedule())
    sheets[SECTIONS_SHEET][1][-1] = "time, room"
    sheets[SECTIONS_SHEET][2][-1] = "yes"
    sheets[ASSIGNMENTS_SHEET][1][-1] = "是"
    _, locks = read_previous(write(tmp_path / "locked.xlsx", sheets), base_school())
    assert [(k.row, sorted(k.keeps)) for k in locks.sections] == [
        (2, ["room", "time"]), (3, ["room", "staff", "time"])]
    assert [(k.row, k.student_id) for k in locks.places] == [
        (2, sheets[ASSIGNMENTS_SHEET][1][0])]


@pytest.mark.parametrize(("sheet", "cell"), [(SECTIONS_SHEET, "kids"),
                                             (ASSIGNMENTS_SHEET, "room")])
def test_a_lock_cell_not_understood_is_a_located_error(tmp_path: Path, sheet: str,
                                                       cell: str) -> None:
    sheets = grid(base_school(), base_schedule())
    sheets[sheet][3][-1] = cell
    with pytest.raises(WorkbookError) as raised:
        read_previous(write(tmp_path / "bad.xlsx", sheets), base_school())
    (problem,) = raised.value.problems
    assert (problem.sheet, problem.row, problem.column, problem.value) == (sheet, 4, "lock", cell)
