"""Solver values → a :class:`Schedule` in school terms (sections, rooms, staff, places)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from models.schedule import Meeting, Place, Schedule, Section
from models.time import DAYS
from optimizer.model.instance import Instance, StudyPool
from optimizer.model.variables import Variables

Value = Callable[[object], int]


@dataclass
class Draft:
    """A meeting before rooms are given out: the room class is known, the room not yet."""

    section_id: str
    activity_id: str
    day: int
    periods: tuple[int, ...]
    start: int
    end: int
    room_class: int
    staff_ids: tuple[str, ...]
    student_ids: tuple[str, ...]
    room_id: str = ""


def extract_schedule(inst: Instance, v: Variables, value: Value) -> Schedule:
    """Read the solution through ``value`` (solver.value) into a schedule."""
    drafts: list[Draft] = []
    place_of: dict[tuple[str, int, int], str] = {}
    busy: set[tuple[int, int, int]] = set()  # (student idx, day, period) in a chosen section
    for section in inst.sections:
        s = section.idx
        if not value(v.open[s]):
            continue
        members = [i for i, _ in v.places_of_section.get(s, []) if value(v.place[i, s])]
        student_ids = tuple(inst.students[i].id for i in members)
        for o, option in enumerate(section.options):
            if not value(v.meets[s, o]):
                continue
            room_class = next(c for c, var in v.rooms_of_meeting[s, o] if value(var))
            staff_ids = tuple(inst.staff[t].id for t in section.staff
                              if (var := v.staff.get((s, o, t))) is not None and value(var))
            periods = tuple(p for _, p in option.slots)
            drafts.append(Draft(section.id, section.activity.id, option.day, periods,
                                 option.start, option.end, room_class, staff_ids, student_ids))
            for i in members:
                for p in periods:
                    busy.add((i, option.day, p))
                    place_of[inst.students[i].id, option.day, p] = section.id
    drafts.extend(_study_drafts(inst, v, value, busy, place_of))
    assign_rooms(inst, drafts)
    return to_schedule(inst, drafts, place_of)


def _study_drafts(inst: Instance, v: Variables, value: Value,
                  busy: set[tuple[int, int, int]], place_of: dict[tuple[str, int, int], str]
                  ) -> list[Draft]:
    """Split each study pool's students over its opened sections, classmates together."""
    pools_at: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for pool in inst.study_pools:
        pools_at[pool.band.idx, pool.day, pool.period].append(pool.idx)
    ratio = inst.school.info.study_ratio
    drafts: list[Draft] = []
    for (band_idx, day, period), pool_ids in sorted(pools_at.items()):
        band = inst.bands[band_idx]
        waiting = sorted(
            (i for i in inst.staying(band, day, period) if (i, day, period) not in busy),
            key=lambda i: (inst.students[i].class_name, inst.students[i].id),
        )
        for k in pool_ids:
            pool = inst.study_pools[k]
            take = value(v.study_students[k])
            mine, waiting = waiting[:take], waiting[take:]
            classes = [c for c, var in v.study_sections_of.get(k, []) for _ in range(value(var))]
            classes = _classes_as_before(inst, classes, [_study_id(pool, band_idx, n)
                                                         for n in range(len(classes))], day)
            caps = [pool.seat_cap(inst.room_classes[c], ratio) for c in classes]
            staff = [inst.staff[t].id for t in pool.staff
                     if (var := v.study_staff.get((k, t))) is not None and value(var)]
            spp = pool.activity.staff_per_section
            staff = _as_before(inst, staff, [_study_id(pool, band_idx, n)
                                             for n in range(len(classes))], day, spp)
            counts = even_split(len(mine), caps)
            start = 0
            for n, (count, c) in enumerate(zip(counts, classes, strict=True)):
                if count == 0:
                    continue
                members = mine[start:start + count]
                start += count
                section_id = _study_id(pool, band_idx, n)
                ids = tuple(inst.students[i].id for i in members)
                drafts.append(Draft(section_id, pool.activity.id, day, (period,), pool.start,
                                     pool.end, c, tuple(staff[n * spp:(n + 1) * spp]), ids))
                for student_id in ids:
                    place_of[student_id, day, period] = section_id
        if waiting:
            raise AssertionError(f"{len(waiting)} students without a study place on "
                                 f"{DAYS[day]} period {period}: the model let them go")
    return drafts


def _study_id(pool: StudyPool, band_idx: int, n: int) -> str:
    return f"{pool.activity.id}-{DAYS[pool.day]}{pool.period}-{band_idx + 1}.{n + 1}"


def _classes_as_before(inst: Instance, classes: list[int], section_ids: list[str],
                       day: int) -> list[int]:
    """The room classes of a study pool's sections, ordered so that on a re-solve each
    section gets the class of last time's room where the pool still has one (then
    ``assign_rooms`` gives it that very room if free); unchanged otherwise."""
    if inst.previous is None:
        return classes
    class_of_room = {room: c.idx for c in inst.room_classes for room in c.room_ids}
    left = list(classes)
    wished: list[int | None] = []
    for section_id in section_ids:
        room = inst.previous.rooms.get((section_id, day))
        c = class_of_room.get(room) if room is not None else None
        if c is not None and c in left:
            left.remove(c)
            wished.append(c)
        else:
            wished.append(None)
    return [c if c is not None else left.pop(0) for c in wished]


def _as_before(inst: Instance, staff: list[str], section_ids: list[str], day: int,
               per_section: int) -> list[str]:
    """The supervisors chosen for a study pool, ordered so that on a re-solve each of its
    sections keeps last time's team, where those people are among them (the order gives
    section n the n-th team); unchanged otherwise."""
    if inst.previous is None or len(staff) != per_section * len(section_ids):
        return staff
    before = {section.id: meeting.staff_ids
              for section in inst.previous.previous.schedule.sections
              for meeting in section.meetings if meeting.day == day}
    left = list(staff)
    teams: list[list[str | None]] = []
    for section_id in section_ids:
        team: list[str | None] = [t for t in before.get(section_id, ()) if t in left]
        team = team[:per_section]
        for t in team:
            left.remove(t)  # type: ignore[arg-type]
        teams.append(team + [None] * (per_section - len(team)))
    ordered = [t if t is not None else left.pop(0) for team in teams for t in team]
    return ordered + left


def even_split(total: int, caps: list[int]) -> list[int]:
    """Spread ``total`` students over sections as evenly as their caps allow."""
    counts = [0] * len(caps)
    remaining = total
    open_idx = [j for j, cap in enumerate(caps) if cap > 0]
    while remaining and open_idx:
        share = max(remaining // len(open_idx), 1)
        for j in list(open_idx):
            add = min(share, caps[j] - counts[j], remaining)
            counts[j] += add
            remaining -= add
            if counts[j] == caps[j]:
                open_idx.remove(j)
            if not remaining:
                break
    if remaining:
        raise AssertionError("study seats short of the students placed there")
    return counts


def assign_rooms(inst: Instance, drafts: list[Draft]) -> None:
    """Give each meeting a room of its class. Greedy by start time is exact on an
    interval graph, and the model kept every time point within the class size."""
    by_class_day: dict[tuple[int, int], list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_class_day[draft.room_class, draft.day].append(draft)
    preferred: dict[str, str] = {}  # section id → room it had on another day
    # A re-solve keeps each section's previous room when it can (sections_moved counts a
    # room change): the others take rooms nobody had before on that day first.
    before = inst.previous.rooms if inst.previous is not None else {}
    for (c, day), meetings in sorted(by_class_day.items()):
        rooms = inst.room_classes[c].room_ids
        free_at: dict[str, int] = dict.fromkeys(rooms, 0)
        wished = {before[d.section_id, day] for d in meetings if (d.section_id, day) in before}
        for draft in sorted(meetings, key=lambda d: (d.start, d.section_id)):
            free = [r for r in rooms if free_at[r] <= draft.start]
            if not free:
                raise AssertionError(f"no free room of class {c} for {draft.section_id}")
            wish = before.get((draft.section_id, day)) or preferred.get(draft.section_id)
            unwished = [r for r in free if r not in wished]
            room = wish if wish in free else (unwished or free)[0]
            draft.room_id = room
            free_at[room] = draft.end
            preferred.setdefault(draft.section_id, room)


def to_schedule(inst: Instance, drafts: list[Draft], place_of: dict[tuple[str, int, int], str]
              ) -> Schedule:
    grouped: dict[str, list[Draft]] = defaultdict(list)
    if inst.previous is not None:
        # A section standing for a previous one is written under the previous id.
        names = inst.previous.names(inst)
        for draft in drafts:
            draft.section_id = names.get(draft.section_id, draft.section_id)
        place_of = {key: names.get(section_id, section_id)
                    for key, section_id in place_of.items()}
    for draft in drafts:
        grouped[draft.section_id].append(draft)
    sections = tuple(
        Section(
            id=section_id,
            activity_id=meetings[0].activity_id,
            meetings=tuple(
                Meeting(day=d.day, periods=d.periods, start=d.start, end=d.end,
                        room_id=d.room_id, staff_ids=d.staff_ids)
                for d in sorted(meetings, key=lambda d: d.day)
            ),
            student_ids=meetings[0].student_ids,
        )
        for section_id, meetings in grouped.items()
    )
    places = tuple(
        Place(student_id=student.id, day=day, period=period,
              section_id=place_of[student.id, day, period])
        for student in inst.students
        for day in sorted(student.days)
        for period in range(1, student.stay + 1)
    )
    return Schedule(sections=sections, places=places)
