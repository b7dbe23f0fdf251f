"""The school's facts a coordinator can change, and the model constraints that hold each.

optimizer/model/rules/hard.py names each constraint that holds one changeable
number (``staff_day:3:2`` is staff member 3's daily limit on Wednesday). Here a
name becomes a :class:`Fact`: the workbook cell to look at. Constraints without
a name are the contract's rules themselves (nobody in two places, every child
somewhere) or facts that decide which variables exist (availability, skills,
room types, grades, periods); an explanation takes those as given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.messages import Message, Said, msg
from models.time import DAYS, format_grades, format_time
from optimizer.model.instance import Instance


@dataclass(frozen=True)
class Fact:
    """One changeable number of the workbook: its sheet, the rows' ids, its column."""

    sheet: str
    ids: tuple[str, ...]
    """The School key for the School sheet, else the ids of the rows (a room count
    is held by every room of a kind)."""
    column: str
    value: str
    """The number as the workbook shows it."""


@dataclass(frozen=True)
class Guarded:
    """A fact and the indices of the model's constraints that hold it."""

    fact: Fact
    kind: str
    constraints: tuple[int, ...]


def guarded_facts(model: cp_model.CpModel, inst: Instance) -> list[Guarded]:
    """Every changeable fact of the model, in a fixed order (sheet, then workbook order)."""
    found: dict[tuple[str, Fact], list[int]] = defaultdict(list)
    for index, constraint in enumerate(model.proto.constraints):
        if constraint.name:
            kind, *parts = constraint.name.split(":")
            fact = fact_of(kind, parts, inst)
            if fact is not None:
                found[kind, fact].append(index)
    return [Guarded(fact, kind, tuple(indices)) for (kind, fact), indices in found.items()]


def fact_of(kind: str, parts: list[str], inst: Instance) -> Fact | None:
    """The fact a named constraint holds; None when it is not one a coordinator changes."""
    info = inst.school.info
    if kind == "budget":
        return Fact("School", ("budget_per_student_year",), "budget_per_student_year",
                    yuan(info.budget_per_student_year))
    if kind == "study_seats":
        pool = inst.study_pools[int(parts[0])]
        ratio_seats = info.study_ratio * pool.activity.staff_per_section
        # Where a room or max_size holds fewer than the ratio allows, the seat limit is
        # the room's, which is taken as given.
        if all(ratio_seats <= pool.seat_cap(inst.room_classes[c], 10**9)
               for c in pool.room_classes):
            return Fact("School", ("study_ratio",), "study_ratio", str(info.study_ratio))
        return None
    if kind in ("section_min", "study_min"):
        activity = (inst.sections[int(parts[0])].activity if kind == "section_min"
                    else inst.study_pools[int(parts[0])].activity)
        return Fact("Activities", (activity.id,), "min_size", str(activity.min_size))
    if kind == "max_sections":
        activity = inst.school.activity_by_id[parts[0]]
        return Fact("Activities", (activity.id,), "max_sections", str(activity.max_sections))
    if kind == "room_count":
        # By type, not by the model's room classes: "one more classroom" is the change,
        # whatever its capacity or fee.
        kind_of_room = inst.room_classes[int(parts[0])].type
        return Fact("Rooms", tuple(r.id for r in inst.school.rooms if r.type == kind_of_room),
                    "type", kind_of_room)
    if kind in ("staff_day", "staff_week"):
        person = inst.staff[int(parts[0])]
        if kind == "staff_day":
            return Fact("Staff", (person.id,), "max_periods_day", str(person.max_periods_day))
        return Fact("Staff", (person.id,), "max_periods_week", str(person.max_periods_week))
    if kind == "vendor_week":
        vendor = inst.school.vendor_by_id[parts[0]]
        return Fact("Vendors", (vendor.id,), "max_sessions_week", str(vendor.max_sessions_week))
    return None


def when(kind: str, parts: list[str], inst: Instance) -> str:
    """The day and time a named constraint is about, in the school's words ('' if none):
    a :class:`models.messages.Said`, so that it reads in the reader's language too."""
    if kind == "room_count":
        return Said(msg("why.when", day=_day(int(parts[1])), time=format_time(int(parts[2]))))
    if kind == "staff_day":
        return Said(_day(int(parts[1])))
    if kind in ("study_seats", "study_min"):
        pool = inst.study_pools[int(parts[0])]
        return Said(msg("why.when_study", day=_day(pool.day), start=format_time(pool.start),
                        end=format_time(pool.end), grades=format_grades(pool.band.grades)))
    return ""


def _day(day: int) -> Message:
    return msg(f"day.{DAYS[day]}")


def yuan(fen: int) -> str:
    """Fen as the workbook writes money: yuan, cents only when there are some."""
    return f"{fen / 100:,.2f}".removesuffix(".00")
