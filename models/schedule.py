"""A schedule in the school's terms: sections, their meetings, and where each child is.

This is what the optimizer produces and what the checker validates; it knows
nothing of how it was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from models.time import Slot


@dataclass(frozen=True, kw_only=True)
class Meeting:
    """One meeting of a section: a day, its period(s) and clock times, a room, its staff."""

    day: int
    periods: tuple[int, ...]  # (1,), (2,) or (1, 2)
    start: int  # minutes after midnight
    end: int
    room_id: str
    staff_ids: tuple[str, ...]

    @property
    def slots(self) -> tuple[Slot, ...]:
        return tuple((self.day, p) for p in self.periods)

    def overlaps(self, other: Meeting) -> bool:
        return self.day == other.day and self.start < other.end and other.start < self.end


@dataclass(frozen=True, kw_only=True)
class Section:
    """One group of one activity: the same students at every meeting.

    A study section meets once (one day, one period); its students are the
    children placed in supervised study in that slot and room.
    """

    id: str
    activity_id: str
    meetings: tuple[Meeting, ...]
    student_ids: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.student_ids)


@dataclass(frozen=True, kw_only=True)
class Place:
    """Where one registered student is in one day and period: a row of Assignments."""

    student_id: str
    day: int
    period: int
    section_id: str


@dataclass(frozen=True, kw_only=True)
class Schedule:
    sections: tuple[Section, ...] = ()
    places: tuple[Place, ...] = ()

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    @cached_property
    def places_by_student(self) -> dict[str, tuple[Place, ...]]:
        grouped: dict[str, list[Place]] = {}
        for place in self.places:
            grouped.setdefault(place.student_id, []).append(place)
        return {k: tuple(v) for k, v in grouped.items()}
