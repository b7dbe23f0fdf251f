"""What printing needs, carried inside the output workbook.

``schedule print`` gets only the schedule workbook, so the workbook carries a
:class:`PrintBook`: the school's name, type, term and language, and the
rosters, class lists and staff views, in no language (ids, names, codes,
minutes), so a PDF can be printed in either language from one workbook. It is
stored as JSON in a hidden sheet, ``Print data``, split over cells because one
Excel cell holds at most 32,767 characters. A redacted workbook carries the
redacted book: no name is in the file, hidden or not.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import openpyxl

from models.problems import WorkbookError
from models.schedule import Schedule
from models.school import School
from optimizer.outputs.report.labels import resolve_language
from optimizer.outputs.report.redact import pseudonyms, redact_school
from optimizer.outputs.report.safe import put
from optimizer.outputs.report.views import (
    ClassList,
    ClassRow,
    ClassSlot,
    Duty,
    MeetingView,
    Person,
    Pupil,
    Roster,
    Spot,
    StaffView,
    class_lists,
    rosters,
    staff_views,
)

PRINT_SHEET = "Print data"
FORMAT = "afterschool-print/1"
CHUNK = 30_000  # characters per cell, under Excel's 32,767


@dataclass(frozen=True, kw_only=True)
class PrintBook:
    school_name: str
    school_type: str
    term_start: str  # ISO date
    term_end: str
    weeks: int  # school weeks in the term: weekly pay × weeks is the term's pay
    language: str
    redacted: bool
    rosters: tuple[Roster, ...]
    classes: tuple[ClassList, ...]
    staff: tuple[StaffView, ...]
    pseudonyms: dict[str, str] = field(default_factory=dict)
    """Student id → pseudonym, so ``schedule print --redact`` of an unredacted workbook
    gives the same pseudonyms as ``solve --redact``; empty in a redacted book."""


def print_book(school: School, schedule: Schedule, *, lang: str | None = None,
               redact: bool = False) -> PrintBook:
    """What printing needs of a school and its schedule; students pseudonymised if ``redact``."""
    language = resolve_language(lang, school)
    names = pseudonyms(school)
    shown = redact_school(school) if redact else school
    return PrintBook(
        school_name=shown.info.name, school_type=shown.info.type,
        term_start=shown.info.term_start.isoformat(), term_end=shown.info.term_end.isoformat(),
        weeks=shown.info.weeks, language=language, redacted=redact,
        rosters=tuple(rosters(shown, schedule)), classes=tuple(class_lists(shown, schedule)),
        staff=tuple(staff_views(shown, schedule)),
        pseudonyms={} if redact else names,
    )


def redact_book(book: PrintBook) -> PrintBook:
    """The book with every student's name replaced by their pseudonym."""
    if book.redacted:
        return book

    def hide(p: Pupil) -> Pupil:
        return replace(p, name=book.pseudonyms.get(p.id, f"{p.class_name}-?"))

    return replace(
        book, redacted=True, pseudonyms={},
        rosters=tuple(replace(r, students=tuple(hide(p) for p in r.students))
                      for r in book.rosters),
        classes=tuple(replace(c, rows=tuple(replace(row, pupil=hide(row.pupil))
                                            for row in c.rows)) for c in book.classes),
    )


# --- choosing what to print ------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Selection:
    """What ``schedule print`` was asked for: one day, activity, class or person, or no study.

    ``day`` is 0-4 (Monday first); ``activity`` an activity id or name; ``class_name`` a
    homeroom class; ``staff_id`` a staff member's id. Unset fields select everything.
    """

    day: int | None = None
    activity: str | None = None
    class_name: str | None = None
    staff_id: str | None = None
    study: bool = True


def select(book: PrintBook, chosen: Selection) -> PrintBook:
    """The part of ``book`` a selection asks for; ``ValueError`` naming the valid choices
    when an activity, class or person is not in the schedule.

    A day keeps that day's meetings and slots (a roster's sign-in dates become that
    weekday's); an activity keeps its rosters; a class keeps its class list and the
    rosters with a child of it; a person keeps their timetable and the rosters they
    lead; ``study=False`` drops study rosters. Staff timetables always show a person's
    whole week; the filters choose whose (those with a meeting on the day, of the
    activity, other than study).
    """
    rosters = list(book.rosters)
    classes = list(book.classes)
    staff = list(book.staff)
    activity_of = {r.section_id: r.activity_id for r in book.rosters}
    if chosen.activity is not None:
        wanted = chosen.activity.casefold()
        ids = {r.activity_id for r in rosters
               if wanted in (r.activity_id.casefold(), r.activity_name.casefold())}
        if not ids:
            known = sorted({f"{r.activity_id} ({r.activity_name})" for r in rosters})
            raise ValueError(f"no activity {chosen.activity!r} in this schedule; "
                             f"choose one of: {', '.join(known)}")
        rosters = [r for r in rosters if r.activity_id in ids]
        staff = [p for p in staff if any(activity_of.get(d.section_id) in ids
                                         for d in p.duties)]
    if chosen.class_name is not None:
        if chosen.class_name not in {c.class_name for c in classes}:
            raise ValueError(f"no class {chosen.class_name!r} with a registered student; "
                             f"choose one of: {', '.join(c.class_name for c in classes)}")
        classes = [c for c in classes if c.class_name == chosen.class_name]
        rosters = [r for r in rosters
                   if any(p.class_name == chosen.class_name for p in r.students)]
    if chosen.staff_id is not None:
        if chosen.staff_id not in {p.id for p in staff}:
            people = ", ".join(f"{p.id} ({p.name})" for p in book.staff if p.duties)
            raise ValueError(f"no staff member {chosen.staff_id!r}; choose one of: {people}")
        staff = [p for p in staff if p.id == chosen.staff_id]
        rosters = [r for r in rosters if any(person.id == chosen.staff_id
                                             for m in r.meetings for person in m.staff)]
    if not chosen.study:
        rosters = [r for r in rosters if not r.is_study]
        staff = [p for p in staff if any(d.category != "study" for d in p.duties)]
    if chosen.day is not None:
        day = chosen.day
        rosters = [replace(r, meetings=tuple(m for m in r.meetings if m.day == day))
                   for r in rosters if any(m.day == day for m in r.meetings)]
        classes = [_class_on(c, day) for c in classes if any(s.day == day for s in c.slots)]
        staff = [p for p in staff if any(d.day == day for d in p.duties)]
    return replace(book, rosters=tuple(rosters), classes=tuple(classes), staff=tuple(staff))


def _class_on(class_list: ClassList, day: int) -> ClassList:
    keep = [i for i, slot in enumerate(class_list.slots) if slot.day == day]
    return replace(class_list, slots=tuple(class_list.slots[i] for i in keep),
                   rows=tuple(replace(row, spots=tuple(row.spots[i] for i in keep))
                              for row in class_list.rows
                              if any(row.spots[i] is not None for i in keep)))


# --- JSON ---------------------------------------------------------------------------

def to_json(book: PrintBook) -> str:
    data = asdict(book)
    data["format"] = FORMAT
    # ensure_ascii=False keeps Chinese readable (and the file small); json escapes every
    # control character, so the text is safe to put in an .xlsx cell.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> PrintBook:
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"print data of format {data.get('format')!r}; expected {FORMAT}")

    def person(d: dict[str, Any]) -> Person:
        return Person(**d)

    def meeting(d: dict[str, Any]) -> MeetingView:
        return MeetingView(**{**d, "periods": tuple(d["periods"]),
                              "staff": tuple(person(p) for p in d["staff"])})

    def spot(d: dict[str, Any] | None) -> Spot | None:
        return None if d is None else Spot(**{**d, "staff_names": tuple(d["staff_names"])})

    return PrintBook(
        school_name=data["school_name"], school_type=data["school_type"],
        term_start=data["term_start"], term_end=data["term_end"], weeks=data["weeks"],
        language=data["language"],
        redacted=data["redacted"],
        rosters=tuple(Roster(**{**r, "meetings": tuple(meeting(m) for m in r["meetings"]),
                                "students": tuple(Pupil(**p) for p in r["students"])})
                      for r in data["rosters"]),
        classes=tuple(ClassList(
            class_name=c["class_name"], grades=tuple(c["grades"]),
            slots=tuple(ClassSlot(**s) for s in c["slots"]),
            rows=tuple(ClassRow(pupil=Pupil(**row["pupil"]),
                                spots=tuple(spot(s) for s in row["spots"]))
                       for row in c["rows"]))
            for c in data["classes"]),
        staff=tuple(StaffView(**{**s, "duties": tuple(
            Duty(**{**d, "periods": tuple(d["periods"])}) for d in s["duties"])})
            for s in data["staff"]),
        pseudonyms={str(k): str(v) for k, v in data.get("pseudonyms", {}).items()},
    )


# --- the hidden sheet ------------------------------------------------------------------

def write_print_sheet(workbook: openpyxl.Workbook, book: PrintBook) -> None:
    """Add the hidden ``Print data`` sheet: a note, then the JSON in column A, row by row."""
    sheet = workbook.create_sheet(PRINT_SHEET)
    sheet.sheet_state = "hidden"  # hidden, not "very hidden": an auditor can unhide it
    put(sheet.cell(row=1, column=1), f"{FORMAT}: data for 'schedule print'; do not edit.")
    text = to_json(book)
    for index, start in enumerate(range(0, len(text), CHUNK), start=2):
        put(sheet.cell(row=index, column=1), text[start:start + CHUNK])


def read_print_book(path: str | Path) -> PrintBook:
    """The print data of an output workbook; :class:`WorkbookError` when it has none."""
    path = Path(path)
    if not path.exists():
        raise WorkbookError(f"{path} does not exist.")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise WorkbookError(f"{path.name} could not be opened as an Excel workbook "
                            f"({type(exc).__name__}).") from None
    try:
        if PRINT_SHEET not in workbook.sheetnames:
            raise WorkbookError(
                f"{path.name} has no '{PRINT_SHEET}' sheet: it was not written by "
                "'schedule solve' (or an older version). Give the school workbook with "
                "--school to print from its Sections and Assignments sheets.")
        rows = workbook[PRINT_SHEET].iter_rows(min_row=2, max_col=1, values_only=True)
        text = "".join(str(row[0]) for row in rows if row and row[0] is not None)
    finally:
        workbook.close()
    try:
        return from_json(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise WorkbookError(f"{path.name}: the '{PRINT_SHEET}' sheet is damaged ({exc}); "
                            "give the school workbook with --school instead.") from None
