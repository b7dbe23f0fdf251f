"""Locks: what ``schedule resolve`` must keep of the previous schedule, and whether it can.

A lock is a cell of the previous schedule's ``lock`` column (docs/workbook.md,
"Locks"): a meeting's time, room or staff on a Sections row, a child's place on an
Assignments row. :func:`broken_locks` says, without a solver, which of them the
school as it is now cannot keep — each located by sheet, row and column and naming
the contract rule it would break — and :func:`locks_kept` checks a new schedule
against them, so that "pinned items never move" is verified, not assumed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from models.contract import LOCK_COLUMN
from models.problems import Problem, error
from models.schedule import Schedule, Section
from models.school import Activity, School
from models.time import DAYS, format_time

SECTIONS_SHEET = "Sections"
ASSIGNMENTS_SHEET = "Assignments"


@dataclass(frozen=True, kw_only=True)
class SectionLock:
    """One locked Sections row: its meeting as written, and what of it is kept."""

    row: int
    section_id: str
    day: int
    start: int  # minutes after midnight
    end: int
    room_id: str
    staff_ids: tuple[str, ...]
    keeps: frozenset[str]  # of LOCK_PARTS: "time", "room", "staff"

    def __str__(self) -> str:
        return (f"{SECTIONS_SHEET} row {self.row}: section {self.section_id} on "
                f"{DAYS[self.day]} {format_time(self.start)}-{format_time(self.end)} "
                f"({', '.join(sorted(self.keeps))})")


@dataclass(frozen=True, kw_only=True)
class PlaceLock:
    """One locked Assignments row: the child stays in that section."""

    row: int
    student_id: str
    day: int
    period: int
    section_id: str

    def __str__(self) -> str:
        return (f"{ASSIGNMENTS_SHEET} row {self.row}: student {self.student_id} in section "
                f"{self.section_id}")


@dataclass(frozen=True, kw_only=True)
class Locks:
    sections: tuple[SectionLock, ...] = ()
    places: tuple[PlaceLock, ...] = ()

    def __len__(self) -> int:
        return len(self.sections) + len(self.places)

    def without(self, rows: set[tuple[str, int]]) -> Locks:
        """These locks but those on the given (sheet, row)s: ``--unlock-broken``."""
        return replace(
            self,
            sections=tuple(k for k in self.sections if (SECTIONS_SHEET, k.row) not in rows),
            places=tuple(k for k in self.places if (ASSIGNMENTS_SHEET, k.row) not in rows))


def broken_locks(school: School, previous: Schedule, locks: Locks) -> list[Problem]:
    """Every lock the school as it is now cannot keep, located on its row, with the rule.

    Each lock is judged on its own: locks that each hold but together break a limit
    (a teacher's weekly hours, the budget) are found by the solve, which then finds no
    schedule.
    """
    problems: list[Problem] = []
    for lock in locks.sections:
        problems.extend(_section_lock(school, previous, lock))
    for place in locks.places:
        problems.extend(_place_lock(school, previous, place))
    return problems


def _broken(lock: SectionLock | PlaceLock, rule: str, message: str) -> Problem:
    sheet = SECTIONS_SHEET if isinstance(lock, SectionLock) else ASSIGNMENTS_SHEET
    return error(sheet, f"this lock cannot be kept ({rule}): {message}", row=lock.row,
                 column=LOCK_COLUMN, value=lock.section_id)


def _locked(school: School, previous: Schedule, lock: SectionLock | PlaceLock
            ) -> tuple[Section, Activity] | Problem:
    """The locked section and its activity now; a problem when it is gone or is study
    (study is shared out again every solve: it cannot be locked)."""
    section = previous.section_by_id.get(lock.section_id)
    activity = school.activity_by_id.get(section.activity_id) if section else None
    if section is None or activity is None:
        return _broken(lock, "rule 2, sections", f"the activity of section {lock.section_id} "
                       "is no longer in the Activities sheet")
    if activity.is_study:
        return _broken(lock, "rule 2, sections", "study cannot be locked: it is shared out "
                       "again every solve")
    return section, activity


def _section_lock(school: School, previous: Schedule, lock: SectionLock) -> list[Problem]:
    locked = _locked(school, previous, lock)
    if isinstance(locked, Problem):
        return [locked]
    section, activity = locked
    meeting = next((m for m in section.meetings if m.day == lock.day), None)
    found: list[Problem] = []
    # Every lock keeps the meeting on its day; "time" keeps its times too.
    if meeting is not None and not any((lock.day, p) in activity.allowed_slots
                                       for p in (1, 2)):
        found.append(_broken(lock, "rule 2, sections", f"{activity.id} may no longer meet "
                             f"on {DAYS[lock.day]}"))
    elif "time" in lock.keeps and meeting is not None:
        slots = [(lock.day, p) for p in meeting.periods]
        grades = {school.student_by_id[i].grade for i in section.student_ids
                  if i in school.student_by_id} or set(activity.grades)
        if any(school.meeting_time(g, lock.day, meeting.periods[0], len(meeting.periods))
               != (lock.start, lock.end) for g in grades):
            found.append(_broken(lock, "rule 1, time", f"{DAYS[lock.day]} "
                                 f"{format_time(lock.start)}-{format_time(lock.end)} is no "
                                 "longer the period time of the grades in it"))
        elif any(slot not in activity.allowed_slots for slot in slots):
            found.append(_broken(lock, "rule 2, sections", f"{activity.id} may no longer meet "
                                 f"in period {slots[0][1]} on {DAYS[lock.day]}"))
    if "room" in lock.keeps and meeting is not None:
        found.extend(_room_lock(school, lock, activity, [(lock.day, p) for p in meeting.periods]))
    if "staff" in lock.keeps and meeting is not None:
        found.extend(_staff_lock(school, lock, activity, [(lock.day, p) for p in meeting.periods]))
    return found


def _room_lock(school: School, lock: SectionLock, activity: Activity,
               slots: list[tuple[int, int]]) -> list[Problem]:
    room = school.room_by_id.get(lock.room_id)
    if room is None:
        return [_broken(lock, "rule 3, rooms", f"room {lock.room_id} is no longer in the Rooms "
                        "sheet")]
    if room.type != activity.room_type:
        return [_broken(lock, "rule 3, rooms", f"room {room.id} is a {room.type}, not a "
                        f"{activity.room_type}")]
    closed = [s for s in slots if s in room.unavailable]
    if closed:
        return [_broken(lock, "rule 3, rooms", f"room {room.id} is unavailable on "
                        f"{DAYS[closed[0][0]]} period {closed[0][1]}")]
    return []


def _staff_lock(school: School, lock: SectionLock, activity: Activity,
                slots: list[tuple[int, int]]) -> list[Problem]:
    found = []
    for staff_id in lock.staff_ids:
        person = school.staff_by_id.get(staff_id)
        if person is None:
            found.append(_broken(lock, "rule 4, staff", f"{staff_id} is no longer in the Staff "
                                 "sheet"))
        elif not school.may_staff(person, activity):
            found.append(_broken(lock, "rule 4, staff", f"{staff_id} may no longer staff "
                                 f"{activity.id} (skill, vetting, vendor)"))
        elif any(s in person.unavailable for s in slots):
            found.append(_broken(lock, "rule 4, staff", f"{staff_id} is unavailable on "
                                 f"{DAYS[lock.day]}"))
    return found


def _place_lock(school: School, previous: Schedule, lock: PlaceLock) -> list[Problem]:
    student = school.student_by_id.get(lock.student_id)
    if student is None or not student.days:
        return [_broken(lock, "rule 5, students", f"student {lock.student_id} is no longer "
                        "registered")]
    locked = _locked(school, previous, lock)
    if isinstance(locked, Problem):
        return [locked]
    section, activity = locked
    if activity.id not in {a.id for _, a in school.eligible_choices(student)}:
        return [_broken(lock, "rule 5, students", f"student {student.id} no longer chooses "
                        f"{activity.id}")]
    if not all(student.stays_for(slot) for m in section.meetings for slot in m.slots):
        return [_broken(lock, "rule 5, students", f"student {student.id} is no longer "
                        f"registered and staying for every meeting of {section.id}")]
    return []


def locks_kept(previous: Schedule, locks: Locks, schedule: Schedule) -> list[str]:
    """The locks the new schedule does not keep, in words (empty: every lock held)."""
    missed: list[str] = []
    for lock in locks.sections:
        section = schedule.section_by_id.get(lock.section_id)
        meeting = _meeting_on(section, lock.day)
        if meeting is None:
            missed.append(f"{lock}: the meeting is gone")
            continue
        if "time" in lock.keeps and (meeting.start, meeting.end) != (lock.start, lock.end):
            missed.append(f"{lock}: moved to {format_time(meeting.start)}")
        if "room" in lock.keeps and meeting.room_id != lock.room_id:
            missed.append(f"{lock}: moved to room {meeting.room_id}")
        if "staff" in lock.keeps and set(meeting.staff_ids) != set(lock.staff_ids):
            missed.append(f"{lock}: staffed by {', '.join(meeting.staff_ids)}")
    for place in locks.places:
        section = schedule.section_by_id.get(place.section_id)
        if section is None or place.student_id not in section.student_ids:
            missed.append(f"{place}: moved")
    return missed


def _meeting_on(section: Section | None, day: int):  # type: ignore[no-untyped-def]
    if section is None:
        return None
    return next((m for m in section.meetings if m.day == day), None)
