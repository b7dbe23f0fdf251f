"""What changed between two schedules of one school: for the letters home.

``compare(before, after)`` reads two :class:`Schedule` objects and says, in the
school's terms, which children's weeks changed (day by day, before → after),
which staff members' duties changed, and which sections moved in day or time,
room or staff, opened or closed. It needs no school and no solver: the
``Changes`` sheet, its PDF and ``schedule diff`` all show what it finds.

What counts as a change is chosen for the people who are told:

* a child's day changed when, in some period that day, they are in another
  section or activity, or their section meets at other clock times; a new room
  or new staff for the same section is a change of the section, not of each child;
* a staff member's duties changed when the meetings they staff (day, times,
  section, room) are not the same set;
* a section moved when its meetings' days or times, rooms or staff differ; a
  section only in the new schedule opened, one only in the old one closed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from models.schedule import Meeting, Place, Schedule, Section
from models.time import DAYS

MOVED = "moved"
JOINED = "joined"
LEFT = "left"
"""How a child's week changed: still here, new, or gone."""

TIME = "time"
ROOM = "room"
STAFF = "staff"
OPENED = "opened"
CLOSED = "closed"
"""What changed about a section, in the order the reports list them."""


@dataclass(frozen=True, kw_only=True, order=True)
class Stop:
    """Where a child is in one period of one day: the section, its activity and times."""

    period: int
    section_id: str
    activity_id: str
    start: int  # minutes after midnight
    end: int


@dataclass(frozen=True, kw_only=True)
class DayChange:
    """One day of one child's week: before → after, in period order (empty: not here)."""

    day: int
    before: tuple[Stop, ...]
    after: tuple[Stop, ...]


@dataclass(frozen=True, kw_only=True)
class ChildChange:
    student_id: str
    kind: str  # MOVED, JOINED or LEFT
    days: tuple[DayChange, ...]  # only the days that changed


@dataclass(frozen=True, kw_only=True, order=True)
class Duty:
    """One meeting a staff member staffs."""

    day: int
    start: int
    end: int
    section_id: str
    activity_id: str
    room_id: str


@dataclass(frozen=True, kw_only=True)
class StaffChange:
    staff_id: str
    before: tuple[Duty, ...]
    after: tuple[Duty, ...]

    @property
    def dropped(self) -> tuple[Duty, ...]:
        """Duties they no longer have."""
        return tuple(d for d in self.before if d not in self.after)

    @property
    def added(self) -> tuple[Duty, ...]:
        """Duties that are new to them."""
        return tuple(d for d in self.after if d not in self.before)


@dataclass(frozen=True, kw_only=True)
class SectionChange:
    section_id: str
    activity_id: str
    what: tuple[str, ...]  # some of TIME, ROOM, STAFF; or (OPENED,) or (CLOSED,)
    before: tuple[Meeting, ...]  # by day and start; empty when it opened
    after: tuple[Meeting, ...]  # empty when it closed


@dataclass(frozen=True, kw_only=True)
class Changes:
    """Everything that changed, each list in id order."""

    children: tuple[ChildChange, ...] = ()
    staff: tuple[StaffChange, ...] = ()
    sections: tuple[SectionChange, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        """The numbers at the top of every Changes report, in the order shown."""
        kinds = [c.kind for c in self.children]
        whats = [s.what for s in self.sections]
        return {
            "children_moved": kinds.count(MOVED),
            "children_joined": kinds.count(JOINED),
            "children_left": kinds.count(LEFT),
            "staff_changed": len(self.staff),
            "sections_moved": sum(1 for w in whats if w not in ((OPENED,), (CLOSED,))),
            "sections_opened": whats.count((OPENED,)),
            "sections_closed": whats.count((CLOSED,)),
        }

    @property
    def none(self) -> bool:
        return not (self.children or self.staff or self.sections)


def compare(before: Schedule, after: Schedule) -> Changes:
    """What changed from ``before`` to ``after`` (see the module's words for what counts)."""
    return Changes(children=_children(before, after), staff=_staff(before, after),
                   sections=_sections(before, after))


def id_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Ids in the order a person expects: S2 before S10 (digits compare as numbers)."""
    return tuple((0, int(part)) if part.isdecimal() else (1, part)
                 for part in re.split(r"(\d+)", text) if part)


# --- children -------------------------------------------------------------------------

def _week(schedule: Schedule) -> dict[str, dict[int, tuple[Stop, ...]]]:
    """Student → day → their stops that day, in period order."""
    sections = schedule.section_by_id
    week: dict[str, dict[int, list[Stop]]] = defaultdict(lambda: defaultdict(list))
    for place in schedule.places:
        week[place.student_id][place.day].append(_stop(place, sections.get(place.section_id)))
    return {student: {day: tuple(sorted(stops)) for day, stops in days.items()}
            for student, days in week.items()}


def _stop(place: Place, section: Section | None) -> Stop:
    """A place with its section's activity and its meeting's clock times that day."""
    meeting = next((m for m in section.meetings if m.day == place.day), None) if section else None
    return Stop(period=place.period, section_id=place.section_id,
                activity_id=section.activity_id if section else "",
                start=meeting.start if meeting else 0, end=meeting.end if meeting else 0)


def _children(before: Schedule, after: Schedule) -> tuple[ChildChange, ...]:
    old, new = _week(before), _week(after)
    found: list[ChildChange] = []
    for student_id in sorted(old.keys() | new.keys(), key=id_key):
        was, now = old.get(student_id, {}), new.get(student_id, {})
        days = tuple(DayChange(day=day, before=was.get(day, ()), after=now.get(day, ()))
                     for day in range(len(DAYS)) if was.get(day, ()) != now.get(day, ()))
        if not days:
            continue
        kind = JOINED if not was else LEFT if not now else MOVED
        found.append(ChildChange(student_id=student_id, kind=kind, days=days))
    return tuple(found)


# --- staff ----------------------------------------------------------------------------

def _duties(schedule: Schedule) -> dict[str, tuple[Duty, ...]]:
    """Staff id → the meetings they staff, by day and time."""
    duties: dict[str, list[Duty]] = defaultdict(list)
    for section in schedule.sections:
        for meeting in section.meetings:
            for staff_id in dict.fromkeys(meeting.staff_ids):
                duties[staff_id].append(Duty(
                    day=meeting.day, start=meeting.start, end=meeting.end,
                    section_id=section.id, activity_id=section.activity_id,
                    room_id=meeting.room_id))
    return {staff_id: tuple(sorted(found)) for staff_id, found in duties.items()}


def _staff(before: Schedule, after: Schedule) -> tuple[StaffChange, ...]:
    old, new = _duties(before), _duties(after)
    return tuple(
        StaffChange(staff_id=staff_id, before=old.get(staff_id, ()), after=new.get(staff_id, ()))
        for staff_id in sorted(old.keys() | new.keys(), key=id_key)
        if set(old.get(staff_id, ())) != set(new.get(staff_id, ())))


# --- sections -------------------------------------------------------------------------

def _in_order(section: Section | None) -> tuple[Meeting, ...]:
    if section is None:
        return ()
    return tuple(sorted(section.meetings, key=lambda m: (m.day, m.start, m.end)))


def _what_moved(old: tuple[Meeting, ...], new: tuple[Meeting, ...]) -> tuple[str, ...]:
    """Which of day/time, room and staff differ, meeting by meeting in day order."""
    moved: list[str] = []
    if [(m.day, m.start, m.end) for m in old] != [(m.day, m.start, m.end) for m in new]:
        moved.append(TIME)
    if [m.room_id for m in old] != [m.room_id for m in new]:
        moved.append(ROOM)
    if [sorted(m.staff_ids) for m in old] != [sorted(m.staff_ids) for m in new]:
        moved.append(STAFF)
    return tuple(moved)


def _sections(before: Schedule, after: Schedule) -> tuple[SectionChange, ...]:
    old, new = before.section_by_id, after.section_by_id
    found: list[SectionChange] = []
    for section_id in sorted(old.keys() | new.keys(), key=id_key):
        was, now = old.get(section_id), new.get(section_id)
        meetings_before, meetings_after = _in_order(was), _in_order(now)
        what = ((OPENED,) if was is None else (CLOSED,) if now is None
                else _what_moved(meetings_before, meetings_after))
        if what:
            activity_id = (now or was).activity_id  # type: ignore[union-attr]
            found.append(SectionChange(section_id=section_id, activity_id=activity_id,
                                       what=what, before=meetings_before,
                                       after=meetings_after))
    return tuple(found)
