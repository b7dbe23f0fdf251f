"""Malformed and policy-breaking workbooks, one row of a table each.

Every case starts from the clean workbook of :mod:`tests.models.workbooks`, breaks
one thing, and states the problem the coordinator must see: its severity, the
sheet, the Excel row and column, and words of the message that say what was
expected. A case fails if that problem is missing or reported twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from models.problems import Severity
from models.reader import inspect_workbook
from tests.models.workbooks import Book, valid_book

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Book], object]
    severity: Severity
    sheet: str
    row: int | None
    column: str | None
    expected: str
    """Words of the message, case-insensitive, that say what was expected."""


def _set_all(sheet: str, column: str, rows: tuple[int, ...], value: object
             ) -> Callable[[Book], object]:
    def mutate(book: Book) -> None:
        for row in rows:
            book.set(sheet, row, column, value)
    return mutate


def _more_priorities(book: Book) -> None:
    """Four more choosers, so six distinct priorities: 0, 1 (the book's) and 2-5."""
    for number, priority in enumerate((2, 3, 4, 5)):
        book.append("Students", id=200 + number, name=f"Pupil {number}", grade=3,
                    days="Mon", choice1="CHESS", priority=priority, **{"class": "3-1"})


CASES = [
    # --- structure --------------------------------------------------------------
    Case("sheet-named-almost-so", lambda b: b.rename_sheet("Students", "student"),
         E, "Students", None, None, "the workbook has a sheet 'student': rename it"),
    Case("missing-sheet-rooms", lambda b: b.drop_sheet("Rooms"),
         E, "Rooms", None, None, "expected a sheet with columns id, name, type, capacity"),
    Case("missing-sheet-school", lambda b: b.drop_sheet("School"),
         E, "School", None, None, "expected a sheet with columns name, type"),
    Case("empty-sheet", lambda b: b.sheets.update(Staff=[[]]),
         E, "Staff", None, None, "expected a header row naming the columns id, name, role"),
    Case("missing-column-category", lambda b: b.drop_column("Activities", "category"),
         E, "Activities", 1, "category", "expected a column named category"),
    Case("missing-column-capacity", lambda b: b.drop_column("Rooms", "capacity"),
         E, "Rooms", 1, "capacity", "expected a column named capacity"),
    Case("column-twice", lambda b: b.rename_column("Students", "priority", "Name"),
         E, "Students", 1, "name", "expected it once"),
    Case("missing-school-key", lambda b: b.drop_key("enrolled"),
         E, "School", None, "key", "expected a row with key enrolled"),
    Case("school-key-twice", lambda b: b.append("School", key="name", value="Other"),
         E, "School", 8, "key", "expected it once"),
    # --- blank required values --------------------------------------------------
    # A name is not needed to schedule: the prints show the id.
    Case("blank-student-name", lambda b: b.set("Students", 3, "name", ""),
         W, "Students", 3, "name", "the prints show the id instead"),
    Case("blank-school-name", lambda b: b.set_key("name", None),
         E, "School", 2, "value", "name: a value is required"),
    Case("blank-room-type", lambda b: b.set("Rooms", 4, "type", "   "),
         E, "Rooms", 4, "type", "a value is required"),
    # --- wrong type -------------------------------------------------------------
    Case("text-in-number", lambda b: b.set("Rooms", 2, "capacity", "forty"),
         E, "Rooms", 2, "capacity", "expected a whole number"),
    Case("fraction-in-number", lambda b: b.set("Rooms", 2, "capacity", 30.5),
         E, "Rooms", 2, "capacity", "expected a whole number"),
    Case("text-in-money", lambda b: b.set("Activities", 5, "fee_per_session", "three hundred"),
         E, "Activities", 5, "fee_per_session", "expected an amount in yuan"),
    Case("bad-time", lambda b: b.set("Periods", 2, "start", "half past three"),
         E, "Periods", 2, "start", "expected a time as hh:mm"),
    Case("impossible-time", lambda b: b.set("Periods", 2, "end", "16:75"),
         E, "Periods", 2, "end", "between 00:00 and 23:59"),
    Case("bad-date", lambda b: b.set_key("term_end", "next summer"),
         E, "School", 5, "value", "term_end: expected a date such as 2026-09-01"),
    Case("impossible-date", lambda b: b.set("Staff", 5, "vetted_until", "2027-02-30"),
         E, "Staff", 5, "vetted_until", "expected a date"),
    Case("bad-boolean", lambda b: b.set("Staff", 5, "vetted", "maybe"),
         E, "Staff", 5, "vetted", "expected yes or no"),
    Case("bad-grade-list", lambda b: b.set("Activities", 3, "grades", "1-10"),
         E, "Activities", 3, "grades", "expected a grade list such as '1-3'"),
    Case("bad-slot-list", lambda b: b.set("Rooms", 3, "unavailable", "Fri 3"),
         E, "Rooms", 3, "unavailable", "expected a slot list such as 'wed; mon 2'"),
    Case("bad-day-list", lambda b: b.set("Students", 2, "days", "Mon;Funday"),
         E, "Students", 2, "days", "expected registered days such as 'mon;wed;fri'"),
    Case("weekend-day", lambda b: b.set("Periods", 2, "day", "Sat"),
         E, "Periods", 2, "day", "expected a day (mon, tue, wed, thu, fri) or all"),
    Case("bad-role", lambda b: b.set("Staff", 2, "role", "headmaster"),
         E, "Staff", 2, "role", "expected one of teacher, retired_teacher"),
    Case("bad-school-type", lambda b: b.set_key("type", "charter"),
         E, "School", 3, "value", "expected one of public, private"),
    Case("excel-error-value", lambda b: b.set("Rooms", 2, "capacity", "#REF!"),
         E, "Rooms", 2, "capacity", "excel error #ref!"),
    # --- out of range -----------------------------------------------------------
    Case("grade-10", lambda b: b.set("Students", 2, "grade", 10),
         E, "Students", 2, "grade", "expected a grade from 1 to 9"),
    Case("period-3", lambda b: b.set("Periods", 3, "period", 3),
         E, "Periods", 3, "period", "more than two periods"),
    Case("activity-3-periods", lambda b: b.set("Activities", 3, "periods", 3),
         E, "Activities", 3, "periods", "more than two periods"),
    Case("stay-3", lambda b: b.set("Students", 3, "stay", 3),
         E, "Students", 3, "stay", "expected a whole number from 1 to 2"),
    Case("negative-fee", lambda b: b.set("Activities", 5, "fee_per_session", -5),
         E, "Activities", 5, "fee_per_session", "expected an amount in yuan of at least 0"),
    Case("zero-capacity", lambda b: b.set("Rooms", 2, "capacity", 0),
         E, "Rooms", 2, "capacity", "of at least 1"),
    Case("max-below-min", lambda b: b.set("Activities", 3, "min_size", 20),
         E, "Activities", 3, "max_size", "expected max_size of at least min_size"),
    # --- duplicate ids ----------------------------------------------------------
    Case("duplicate-activity",
         lambda b: b.append("Activities", id="CHESS", name="Chess 2", category="club",
                            grades="1-6"),
         E, "Activities", 6, "id", "already used on row 3"),
    Case("duplicate-student",
         lambda b: b.append("Students", id=102, name="Twin", grade=5, **{"class": "5-2"}),
         E, "Students", 5, "id", "already used on row 3"),
    Case("duplicate-staff",
         lambda b: b.append("Staff", id="T1", name="Li Na 2", role="teacher"),
         E, "Staff", 7, "id", "already used on row 2"),
    Case("duplicate-room",
         lambda b: b.append("Rooms", id="GYM", name="Gym 2", type="gym", capacity=30),
         E, "Rooms", 5, "id", "already used on row 4"),
    Case("duplicate-vendor",
         lambda b: b.append("Vendors", id="ROBO", name="Robo 2"),
         E, "Vendors", 3, "id", "expected each id once"),
    # --- unknown references -----------------------------------------------------
    Case("unknown-choice", lambda b: b.set("Students", 2, "choice2", "CHES"),
         E, "Students", 2, "choice2", "expected an id from the activities sheet"),
    Case("unknown-choice-case", lambda b: b.set("Students", 2, "choice1", "chess"),
         E, "Students", 2, "choice1", "did you mean 'chess'"),
    Case("unknown-choice-after-blank",
         lambda b: (b.set("Students", 3, "choice1", None), b.set("Students", 3, "choice3", "X")),
         E, "Students", 3, "choice3", "expected an id from the activities sheet"),
    Case("unknown-provider", lambda b: b.set("Activities", 5, "provider", "ROBOX"),
         E, "Activities", 5, "provider", "expected 'school' or an id from the vendors sheet"),
    Case("unknown-staff-vendor", lambda b: b.set("Staff", 6, "vendor", "ROBOX"),
         E, "Staff", 6, "vendor", "expected an id from the vendors sheet"),
    Case("instructor-without-vendor", lambda b: b.set("Staff", 6, "vendor", None),
         E, "Staff", 6, "vendor", "expected a vendor id"),
    # --- periods and the policy -------------------------------------------------
    Case("period-after-latest-end", lambda b: b.set("Periods", 5, "end", "18:30"),
         E, "Periods", 5, "end", "expected an end no later than 18:00"),
    Case("latest-end-earlier", lambda b: b.set_key("latest_end", "17:30"),
         E, "Periods", 5, "end", "no later than 17:30"),
    Case("period-2-overlaps-1", lambda b: b.set("Periods", 3, "start", "16:00"),
         E, "Periods", 3, "start", "expected period 2 to start no earlier than period 1 ends"),
    Case("period-backwards", lambda b: b.set("Periods", 2, "end", "15:00"),
         E, "Periods", 2, "end", "expected an end later than the start"),
    Case("period-2-without-1", lambda b: b.drop_row("Periods", 4),
         E, "Periods", 4, "period", "expected a period 1 row"),
    Case("same-period-twice",
         lambda b: b.append("Periods", grades="3", day="all", period=1, start="15:30",
                            end="16:10"),
         E, "Periods", 6, "grades", "expected one row per grade, day and period"),
    *(
        Case(f"forbidden-{word}", _set_all("Activities", "category", (3,), word),
             E, "Activities", 3, "category", "policy forbids collective teaching")
        for word in ("tutoring", "lesson", "exam", "homework")
    ),
    Case("grade-without-period", _set_all("Periods", "day", (2, 3), "Mon"),
         E, "Periods", None, "grades", "grade 3 has registered students but no period 1 on Wed"),
    Case("study-missing", lambda b: b.drop_row("Activities", 2),
         E, "Activities", None, "category", "expected an activity with category study"),
    Case("study-two-periods", lambda b: b.set("Activities", 2, "periods", 2),
         E, "Activities", 2, "periods", "expected periods 1 and sessions_per_week 1"),
    Case("term-backwards", lambda b: b.set_key("term_end", "2026-08-01"),
         E, "School", 5, "value", "expected the term's last day"),
    # --- warnings -----------------------------------------------------------------
    Case("not-vetted", lambda b: b.set("Staff", 5, "vetted", "no"),
         W, "Staff", 5, "vetted", "expected vetted = yes"),
    Case("vetted-until-early", lambda b: b.set("Staff", 5, "vetted_until", "2026-12-31"),
         W, "Staff", 5, "vetted_until", "expected vetted_until on or after 2027-01-20"),
    Case("vetted-no-end", lambda b: b.set("Staff", 5, "vetted_until", None),
         W, "Staff", 5, "vetted_until", "expected vetted_until on or after"),
    Case("teacher-affiliated", lambda b: b.set("Staff", 4, "affiliated_vendor", "Star Tutors"),
         W, "Staff", 4, "affiliated_vendor", "policy 5(1)"),
    Case("vendor-not-qualified", lambda b: b.set("Vendors", 2, "qualified", "no"),
         W, "Vendors", 2, "qualified", "expected qualified = yes"),
    Case("vendor-contract-expired", lambda b: b.set("Vendors", 2, "contract_until", "2026-12-31"),
         W, "Vendors", 2, "contract_until", "expected contract_until on or after 2027-01-20"),
    Case("vendor-activity-without-instructor", lambda b: b.drop_row("Staff", 6),
         W, "Activities", 5, "provider", "no instructor who may serve"),
    Case("choice-wrong-grade", lambda b: b.set("Students", 2, "choice1", "ROBOT"),
         W, "Students", 2, "choice1", "expected grades 4-9"),
    Case("registered-no-choices", lambda b: b.set("Students", 3, "choice1", None),
         W, "Students", 3, "choice1", "expected at least choice1"),
    Case("choice-of-study", lambda b: b.set("Students", 2, "choice2", "STUDY"),
         W, "Students", 2, "choice2", "study is not chosen"),
    Case("same-choice-twice", lambda b: b.set("Students", 2, "choice2", "CHESS"),
         W, "Students", 2, "choice2", "expected different activities"),
    Case("no-room-of-type", lambda b: b.set("Activities", 4, "room_type", "pool"),
         W, "Activities", 4, "room_type", "no room of type 'pool'"),
    Case("nobody-with-skill", lambda b: b.set("Activities", 3, "skill", "go"),
         W, "Activities", 3, "skill", "staff with skill 'go'"),
    Case("unknown-school-key", lambda b: b.append("School", key="colour", value="blue"),
         W, "School", 8, "key", "expected one of name, type"),
    # --- allowed, but said -------------------------------------------------------
    Case("unknown-settings-key",
         lambda b: b.sheets.update(Settings=[["key", "value"], ["goal", "unserved"]]),
         W, "Settings", 2, "key", "unknown key, not used; expected one of goals (did you mean "
         "'goals'?)"),
    Case("latest-end-after-18", lambda b: b.set_key("latest_end", "19:00"),
         W, "School", 7, "value", "the policy ends after-school service by 18:00"),
    Case("teacher-above-default-load", lambda b: b.set("Staff", 2, "max_periods_week", 9),
         W, "Staff", 2, "max_periods_week", "above the default of 4"),
    Case("six-priorities", _more_priorities,
         W, "Students", None, "priority", "priorities 4, 5 count as one (the highest) for the "
         "students on rows 8"),
    Case("student-id-in-full-width-digits",
         lambda b: b.append("Students", id="１０３", name="Xiao Gang 2", grade=8, days="Tue",
                            choice1="ROBOT", **{"class": "8-1"}),
         W, "Students", 5, "id", "looks like '103' (row 4)"),
    Case("activity-id-differs-in-case",
         lambda b: b.append("Activities", id="chess", name="Chess again", category="club",
                            grades="1-6", skill="chess"),
         W, "Activities", 6, "id", "looks like 'CHESS' (row 3)"),
    Case("staff-id-with-a-space",
         lambda b: b.append("Staff", id="T 1", name="Li Na again", role="teacher"),
         W, "Staff", 7, "id", "looks like 'T1' (row 2)"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_problem_is_reported_where_the_coordinator_can_fix_it(case: Case, tmp_path: Path
                                                               ) -> None:
    book = valid_book()
    case.mutate(book)
    school, problems = inspect_workbook(book.save(tmp_path / f"{case.id}.xlsx"))

    here = [p for p in problems if (p.sheet, p.row, p.column) == (case.sheet, case.row,
                                                                   case.column)]
    found = [p for p in here if case.expected.lower() in p.message.lower()]
    assert len(found) == 1, f"wanted one '{case.expected}' at {case.sheet} row {case.row} " \
        f"column {case.column}; got:\n" + "\n".join(map(str, problems))
    problem = found[0]
    assert problem.severity is case.severity
    assert "expected" in problem.message.lower()
    if case.severity is W:
        assert not any(p.is_error for p in problems), "\n".join(map(str, problems))
        assert school is not None
        assert problem in school.warnings
    elif case.sheet != "School" or case.row is not None or case.column != "value":
        assert str(problem).startswith(f"error: {problem.where}")


def test_the_cases_cover_at_least_thirty_workbooks() -> None:
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
