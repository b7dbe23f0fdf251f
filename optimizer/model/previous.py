"""The schedule in force, in the model's terms: what ``children_moved`` and
``sections_moved`` count, the locks as constraints, and the previous ids to write.

Which places and sections count is decided in models/previous.py, so the checker
and the model agree; here each of them is tied to the candidate section that stands
for it (``warmstart.standing_for``: same activity, same grade band). A place or
section with no variable that could keep it counts as moved in every schedule, as
the checker counts it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from models.locks import PlaceLock, SectionLock
from models.previous import Previous, kept_places, study_duties
from models.schedule import Meeting
from optimizer.model.instance import Instance
from optimizer.model.variables import Variables


@dataclass(frozen=True)
class KeptMeeting:
    """A previous meeting as the model sees it: None where nothing can keep it."""

    option: int | None
    room_class: int | None
    staff: tuple[int | None, ...]


@dataclass(frozen=True)
class KeptSection:
    section_id: str
    candidate: int | None
    meetings: tuple[KeptMeeting, ...]


@dataclass(frozen=True)
class PreviousPlan:
    """The previous schedule prepared once for the model."""

    previous: Previous
    standing: dict[int, str]
    """Candidate section → the previous section id it stands for (and is written as)."""
    places: tuple[tuple[int, tuple[int | None, ...]], ...]
    """Student → the candidates standing for the places they still want and may have."""
    sections: tuple[KeptSection, ...]
    rooms: dict[tuple[str, int], str]
    """(candidate id, day) → the room its previous meeting had, for ``extract.assign_rooms``."""
    duties: tuple[tuple[int | None, int | None], ...] = ()
    """Each previous study duty as (study pool, staff index); None where no pool of the
    school as it is now, or no such person, can keep it."""

    @property
    def candidate_of(self) -> dict[str, int]:
        return {section_id: s for s, section_id in self.standing.items()}

    def names(self, inst: Instance) -> dict[str, str]:
        """Candidate id → the id written: the previous section's it stands for; a new
        section keeps its own id unless a previous section had it (then ``-new``)."""
        taken = {s.id for s in self.previous.schedule.sections}
        names: dict[str, str] = {}
        for section in inst.sections:
            name = self.standing.get(section.idx)
            if name is None:
                name = section.id if section.id not in taken else f"{section.id}-new"
            names[section.id] = name
        return names


def locked_rooms(previous: Previous | None) -> frozenset[str]:
    """Rooms a lock keeps: each becomes a room class of its own, so the model can keep it."""
    if previous is None:
        return frozenset()
    return frozenset(lock.room_id for lock in previous.locks.sections if "room" in lock.keeps)


def plan(inst: Instance, previous: Previous) -> PreviousPlan:
    """Tie the previous schedule's places, sections and rooms to the model's candidates."""
    school = inst.school
    mapping = _standing_for(inst, previous)
    student_idx = {student.id: i for i, student in enumerate(inst.students)}
    by_student: dict[int, list[int | None]] = {}
    for student_id, section_id in kept_places(school, previous.schedule):
        i = student_idx[student_id]  # a kept place is a registered student's
        by_student.setdefault(i, []).append(mapping.get(section_id))
    class_of_room = {room: c.idx for c in inst.room_classes for room in c.room_ids}
    staff_idx = {person.id: t for t, person in enumerate(inst.staff)}
    sections, rooms = [], {}
    chosen = previous.chosen_sections(school)
    for section in chosen:
        s = mapping.get(section.id)
        meetings = tuple(_kept_meeting(inst, s, m, class_of_room, staff_idx)
                         for m in section.meetings)
        if s is not None:
            if len(section.meetings) != inst.sections[s].activity.sessions_per_week:
                meetings = (KeptMeeting(None, None, ()),)  # the section must meet otherwise
            for meeting in section.meetings:
                rooms[inst.sections[s].id, meeting.day] = meeting.room_id
        sections.append(KeptSection(section.id, s, meetings))
    chosen_ids = {section.id for section in chosen}
    for section in previous.schedule.sections:
        if section.id not in chosen_ids:
            for meeting in section.meetings:  # study: its room, for the section of its id
                rooms[section.id, meeting.day] = meeting.room_id
    pool_at = {(pool.activity.id, pool.day, pool.start): pool.idx for pool in inst.study_pools}
    duties = tuple((pool_at.get((activity_id, day, start)), staff_idx.get(staff_id))
                   for activity_id, day, start, staff_id in study_duties(school,
                                                                          previous.schedule))
    return PreviousPlan(previous=previous, standing={s: i for i, s in mapping.items()},
                        places=tuple((i, tuple(found)) for i, found in by_student.items()),
                        sections=tuple(sections), rooms=rooms, duties=duties)


def _standing_for(inst: Instance, previous: Previous) -> dict[str, int]:
    from optimizer.model.warmstart import standing_for

    return standing_for(inst, previous.schedule)


def _kept_meeting(inst: Instance, s: int | None, meeting: Meeting,
                  class_of_room: dict[str, int], staff_idx: dict[str, int]) -> KeptMeeting:
    if s is None:
        return KeptMeeting(None, None, ())
    option = next((o for o, opt in enumerate(inst.sections[s].options)
                   if opt.day == meeting.day and opt.first_period == meeting.periods[0]
                   and (opt.start, opt.end) == (meeting.start, meeting.end)), None)
    return KeptMeeting(option, class_of_room.get(meeting.room_id),
                       tuple(staff_idx.get(t) for t in dict.fromkeys(meeting.staff_ids)))


def _moved(model: cp_model.CpModel, keeping: list[cp_model.IntVar]) -> cp_model.LinearExprT:
    """1 unless every literal holds: a single literal's complement, else a helper that
    minimizing makes exact."""
    if len(keeping) == 1:
        return 1 - keeping[0]
    moved = model.new_bool_var("")
    for literal in keeping:
        model.add(moved >= 1 - literal)
    return moved


def children_moved(model: cp_model.CpModel, inst: Instance, v: Variables
                   ) -> cp_model.LinearExprT:
    """Each child out of a place they still want and may still have counts once."""
    plan_ = inst.previous
    terms: list[cp_model.LinearExprT] = []
    for i, candidates in (plan_.places if plan_ is not None else ()):
        keeping = [v.place.get((i, s)) for s in candidates if s is not None]
        if len(keeping) < len(candidates) or any(k is None for k in keeping):
            terms.append(1)  # no schedule of this model keeps the place
        else:
            terms.append(_moved(model, keeping))  # type: ignore[arg-type]
    return sum(terms, start=0)  # type: ignore[arg-type]


def sections_moved(model: cp_model.CpModel, inst: Instance, v: Variables
                   ) -> cp_model.LinearExprT:
    """Each previous section gone, or met another day or time, in another room class or
    by other staff, counts once."""
    plan_ = inst.previous
    terms: list[cp_model.LinearExprT] = []
    for kept in (plan_.sections if plan_ is not None else ()):
        keeping = _keeping(v, kept)
        terms.append(1 if keeping is None else _moved(model, keeping))
    return sum(terms, start=0)  # type: ignore[arg-type]


def supervisors_moved(model: cp_model.CpModel, inst: Instance, v: Variables
                      ) -> cp_model.LinearExprT:
    """Each previous study duty (a person supervising study at one time) not kept counts
    once; one no variable can keep (the person gone, the pool no more) counts always."""
    plan_ = inst.previous
    terms: list[cp_model.LinearExprT] = []
    for k, t in (plan_.duties if plan_ is not None else ()):
        var = v.study_staff.get((k, t)) if k is not None and t is not None else None
        terms.append(1 if var is None else 1 - var)
    return sum(terms, start=0)  # type: ignore[arg-type]


def _keeping(v: Variables, kept: KeptSection) -> list[cp_model.IntVar] | None:
    """The literals that all hold when the section is kept as it was; None: it cannot be."""
    s = kept.candidate
    if s is None:
        return None
    found = [v.open[s]]
    for meeting in kept.meetings:
        o, c = meeting.option, meeting.room_class
        literals = [v.meets.get((s, o)) if o is not None else None,
                    v.room.get((s, o, c)) if o is not None and c is not None else None,
                    *(v.staff.get((s, o, t)) if o is not None and t is not None else None
                      for t in meeting.staff)]
        if any(literal is None for literal in literals):
            return None
        found.extend(literals)  # type: ignore[arg-type]
    return found


def intact(inst: Instance, v: Variables) -> list[cp_model.IntVar]:
    """The literals that keep, as they were, every previous section the model can still
    keep whole, and every kept place in one of them: what a repair tries first."""
    if inst.previous is None:
        return []
    found: list[cp_model.IntVar] = []
    whole: set[int] = set()
    for kept in inst.previous.sections:
        keeping = _keeping(v, kept)
        if keeping is not None and kept.candidate is not None:
            found.extend(keeping)
            whole.add(kept.candidate)
    for i, candidates in inst.previous.places:
        found.extend(v.place[i, s] for s in candidates
                     if s in whole and (i, s) in v.place)
    return list({literal.index: literal for literal in found}.values())


class UnkeptLocks(ValueError):
    """Locks no variable of the model can keep, though models/locks.py found nothing
    wrong with them one by one (no section of that activity may open in that band now,
    or meet that day)."""

    def __init__(self, locks: list[SectionLock | PlaceLock]) -> None:
        self.locks = locks
        super().__init__("locks the model cannot keep: " + "; ".join(map(str, locks)))


def pin_locks(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """Fix what the locks keep; raise :class:`UnkeptLocks` for those the model has no
    variable for."""
    if inst.previous is None:
        return
    locks = inst.previous.previous.locks
    candidate_of = inst.previous.candidate_of
    unkept: list[SectionLock | PlaceLock] = [
        lock for lock in locks.sections
        if not _pin_section(model, inst, v, lock, candidate_of.get(lock.section_id))]
    unkept += [lock for lock in locks.places
               if not _pin_place(model, inst, v, lock, candidate_of.get(lock.section_id))]
    if unkept:
        raise UnkeptLocks(unkept)


def _pin_section(model: cp_model.CpModel, inst: Instance, v: Variables, lock: SectionLock,
                 s: int | None) -> bool:
    """The section open and meeting on the lock's day; at its times, in its room, with its
    staff as the lock says."""
    if s is None:
        return False
    options = [o for o, opt in enumerate(inst.sections[s].options) if opt.day == lock.day]
    if "time" in lock.keeps:
        options = [o for o in options if (inst.sections[s].options[o].start,
                                          inst.sections[s].options[o].end)
                   == (lock.start, lock.end)]
    if not options:
        return False
    model.add(v.open[s] == 1)
    model.add(sum(v.meets[s, o] for o in options) == 1)
    if "room" in lock.keeps:
        classes = [c.idx for c in inst.room_classes if c.room_ids == (lock.room_id,)]
        _all_with(model, v, [v.room.get((s, o, c)) for o in options for c in classes[:1]],
                  options, s)
    if "staff" in lock.keeps:
        staff_idx = {person.id: t for t, person in enumerate(inst.staff)}
        for staff_id in lock.staff_ids:
            t = staff_idx.get(staff_id)
            _all_with(model, v, [v.staff.get((s, o, t)) if t is not None else None
                                 for o in options], options, s)
    return True


def _all_with(model: cp_model.CpModel, v: Variables,
              literals: Iterable[cp_model.IntVar | None], options: list[int], s: int) -> None:
    """Whichever of ``options`` the section meets in, it does so with the literal of that
    option; an option with no such literal is not taken."""
    listed = list(literals)
    for o, literal in zip(options, listed + [None] * (len(options) - len(listed)),
                          strict=True):
        if literal is None:
            model.add(v.meets[s, o] == 0)
        else:
            model.add(literal == v.meets[s, o])


def _pin_place(model: cp_model.CpModel, inst: Instance, v: Variables, lock: PlaceLock,
               s: int | None) -> bool:
    student_idx = {student.id: i for i, student in enumerate(inst.students)}
    i = student_idx.get(lock.student_id)
    literal = v.place.get((i, s)) if i is not None and s is not None else None
    if literal is None:
        return False
    model.add(literal == 1)
    return True
