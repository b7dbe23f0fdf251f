"""What the coordinator's greedy keeps track of while it builds a schedule: the sections
it opened (:class:`Open`), who and what is taken when (:class:`Ledger`), and the study
hall it must still seat and staff (:class:`StudyReserve`, :class:`Shortage`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from models.time import DAYS
from optimizer.model.extract import Draft, even_split
from optimizer.model.instance import CandidateSection, Instance, Option, StudyPool


def sought(inst: Instance) -> list[float]:
    """How much the activities want each person: for every activity they may staff, their
    share of the people who may (one of the two who can coach table tennis: a half).
    Taking the least sought first leaves the rare skills to the sections only they can
    staff; on some schools it is the rare skills' people who should go first (at 3,000
    students, rich-staff: 268 → 244 children without a place, few-activities: 677 →
    701 on the same attempt), so it is one more way an attempt may go."""
    pools = {s.activity.id: s.staff for s in inst.sections}
    wanted = [0.0] * len(inst.staff)
    for pool in pools.values():
        for t in pool:
            wanted[t] += 1 / len(pool)
    return wanted


@dataclass
class Open:
    """A section the coordinator has opened: its meetings, room class, staff, students."""

    section: CandidateSection
    options: list[int]
    room_class: int
    staff: list[list[int]]  # per meeting
    capacity: int
    members: list[int] = field(default_factory=list)


class Ledger:
    """Who and what is taken when: rooms per class and time point, staff hours, money."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.rooms: dict[tuple[int, int, int], int] = defaultdict(int)
        self.staff_busy: set[tuple[int, int, int]] = set()
        self.staff_day: dict[tuple[int, int], int] = defaultdict(int)
        self.staff_week: dict[int, int] = defaultdict(int)
        self.vendor_week: dict[str, int] = defaultdict(int)
        self.cost = 0
        self.opened: dict[tuple[str, int], list[Open]] | None = None
        """The sections opened so far, by activity and band, when a busy person's meeting
        may be handed to another (:meth:`pick_staff`); None when it may not."""
        self._changes = 0
        """How many times someone's hours changed: what a fruitless hand-over is dated by."""
        self._fruitless: dict[tuple[object, ...], int] = {}
        """Hand-overs asked for that found no one, with ``_changes`` when they were asked."""
        self.sought: list[float] | None = None
        """When set (:func:`sought`), among people equally loaded the least sought are
        taken first."""
        self._points: dict[tuple[int, int, int], tuple[tuple[int, int], ...]] = {}
        """(day, start, end) → its time points: asked millions of times on 5,000
        students, and the same for every ledger of one instance (copies share it)."""

    def copy(self) -> Ledger:
        """A ledger to try things on, sharing nothing mutable with this one."""
        other = Ledger(self.inst)
        other.rooms.update(self.rooms)
        other.staff_busy = set(self.staff_busy)
        other.staff_day.update(self.staff_day)
        other.staff_week.update(self.staff_week)
        other.vendor_week.update(self.vendor_week)
        other.cost = self.cost
        other._points = self._points
        other.sought = self.sought
        return other

    def points(self, day: int, start: int, end: int) -> tuple[tuple[int, int], ...]:
        key = (day, start, end)
        found = self._points.get(key)
        if found is None:
            found = tuple((day, p) for p in self.inst.time_points.get(day, ())
                          if start <= p < end)
            self._points[key] = found
        return found

    def room_free(self, c: int, day: int, start: int, end: int) -> bool:
        size = self.inst.room_classes[c].size
        return all(self.rooms[c, d, p] < size for d, p in self.points(day, start, end))

    def take_room(self, c: int, day: int, start: int, end: int, sign: int = 1) -> None:
        for d, p in self.points(day, start, end):
            self.rooms[c, d, p] += sign

    def staff_free(self, t: int, day: int, start: int, end: int, hours: int,
                   slots: tuple[tuple[int, int], ...]) -> bool:
        person = self.inst.staff[t]
        # Cheapest tests first: this runs millions of times on 5,000 students.
        if (self.staff_week[t] + hours > person.max_periods_week
                or self.staff_day[t, day] + hours > person.max_periods_day):
            return False
        if person.unavailable and any(s in person.unavailable for s in slots):
            return False
        busy = self.staff_busy
        return not any((t, d, p) in busy for d, p in self.points(day, start, end))

    def take_staff(self, t: int, day: int, start: int, end: int, hours: int,
                   sign: int = 1) -> None:
        self._changes += 1
        for d, p in self.points(day, start, end):
            if sign > 0:
                self.staff_busy.add((t, d, p))
            else:
                self.staff_busy.discard((t, d, p))
        self.staff_day[t, day] += sign * hours
        self.staff_week[t] += sign * hours

    def pick_staff(self, candidates: tuple[int, ...], need: int, day: int, start: int,
                   end: int, slots: tuple[tuple[int, int], ...]) -> list[int] | None:
        """The least-loaded free people, sparing in-service teachers and pay; when too
        few are free and :attr:`opened` is kept, after handing meetings over."""
        hours = len(slots)
        free = [t for t in candidates if self.staff_free(t, day, start, end, hours, slots)]
        if len(free) < need and self.opened is not None:
            self._hand_over([t for t in candidates if t not in free], free, need - len(free),
                            day, start, end, slots)
            free = [t for t in candidates if self.staff_free(t, day, start, end, hours, slots)]
        staff, week, sought = self.inst.staff, self.staff_week, self.sought
        if sought is None:
            free.sort(key=lambda t: (staff[t].is_teacher, week[t], staff[t].pay_per_period, t))
        else:
            free.sort(key=lambda t: (staff[t].is_teacher, week[t], sought[t],
                                     staff[t].pay_per_period, t))
        return free[:need] if len(free) >= need else None

    def _hand_over(self, busy: list[int], free: list[int], need: int, day: int, start: int,
                   end: int, slots: tuple[tuple[int, int], ...]) -> None:
        """Up to ``need`` of the ``busy`` people freed for this time, each by handing one
        of their meetings to someone else who may staff it and is free then.

        A person with two skills may have been taken for the common one (reading) when
        only they could staff the rare one (table tennis); the coordinator asks a
        colleague to take the reading group over. Only meetings already opened move,
        within the budget, and never to one of the ``free``: they are wanted here. A
        question that found no one is not asked again until someone's hours change
        (the greedy asks the same one for every room class it tries)."""
        asked = (tuple(busy), day, start, end, len(slots))
        if self._fruitless.get(asked) == self._changes:
            return
        duties = self._duties(set(busy))
        spare: dict[tuple[object, ...], list[int]] = {}
        freed: list[int] = []
        for person in busy:
            if len(freed) >= need:
                break
            if any(s in self.inst.staff[person].unavailable for s in slots):
                continue
            for group, k in duties.get(person, ()):
                option = group.section.options[group.options[k]]
                if not self._frees(person, option, day, start, end, len(slots)):
                    continue
                self.take_staff(person, option.day, option.start, option.end,
                                len(option.slots), -1)
                if self._replace(group, k, person, free + freed, spare):
                    freed.append(person)
                    break
                self.take_staff(person, option.day, option.start, option.end,
                                len(option.slots))
        if not freed:
            self._fruitless[asked] = self._changes

    def _frees(self, person: int, option: Option, day: int, start: int, end: int,
               hours: int) -> bool:
        """Whether ``person`` would be free for this time without meeting ``option``."""
        staff, own = self.inst.staff[person], len(option.slots)
        same_day = option.day == day
        if (self.staff_week[person] - own + hours > staff.max_periods_week
                or self.staff_day[person, day] - (own if same_day else 0) + hours
                > staff.max_periods_day):
            return False
        mine = set(self.points(option.day, option.start, option.end)) if same_day else set()
        return not any((person, d, p) in self.staff_busy and (d, p) not in mine
                       for d, p in self.points(day, start, end))

    def _duties(self, people: set[int]) -> dict[int, list[tuple[Open, int]]]:
        """Person → the meetings of the opened sections they staff, for these people."""
        assert self.opened is not None
        found: dict[int, list[tuple[Open, int]]] = defaultdict(list)
        for groups in self.opened.values():
            for group in groups:
                for k, team in enumerate(group.staff):
                    for person in team:
                        if person in people:
                            found[person].append((group, k))
        return found

    def _replace(self, group: Open, k: int, person: int, keep: list[int],
                 spare: dict[tuple[object, ...], list[int]]) -> bool:
        """Give ``person``'s place in meeting ``k`` of ``group`` (already released) to a
        free colleague who may staff it, not one of ``keep``, if the budget allows.
        ``spare`` remembers, for one hand-over, who of a pool is free at a time: the
        same pools and times are asked for many meetings (on 5,000 students, six
        million questions of who is free came from here before)."""
        option = group.section.options[group.options[k]]
        hours = len(option.slots)
        when = (group.section.staff, option.day, option.start, option.end, hours)
        if when not in spare:
            # Never ``person``: released just now, they look free, but may be back in
            # this meeting when the list is asked again for another's.
            spare[when] = [t for t in group.section.staff if t != person and self.staff_free(
                t, option.day, option.start, option.end, hours, option.slots)]
        info = self.inst.school.info
        pay = self.inst.staff[person].pay_per_period
        for other in spare[when]:
            extra = (self.inst.staff[other].pay_per_period - pay) * hours * info.weeks
            if (other not in group.staff[k] and other != person and other not in keep
                    and self.cost + extra <= info.term_budget):
                self.take_staff(other, option.day, option.start, option.end, hours)
                group.staff[k] = [other if t == person else t for t in group.staff[k]]
                self.cost += extra
                spare.clear()  # ``other`` is no longer free then
                return True
        return False


@dataclass(frozen=True)
class Shortage:
    """Why study could not be placed: at a time (rooms, supervisors) or in money."""

    reason: str
    day: int | None = None
    start: int = 0
    end: int = 0
    room_classes: tuple[int, ...] = ()
    staff: tuple[int, ...] = ()

    def victim(self, inst: Instance, groups: list[Open]) -> Open | None:
        """The section to close: the smallest of those that hold what study lacked then
        (a room of its kind, one of its people, on that day at an overlapping time,
        or, for people, on any day: their weekly hours), else the smallest that costs."""
        def meets_then(group: Open) -> bool:
            return any(group.section.options[o].day == self.day
                       and group.section.options[o].start < self.end
                       and self.start < group.section.options[o].end
                       for o in group.options)

        def holds(group: Open) -> bool:
            if self.reason == "study sections":
                return False
            if self.reason == "rooms":
                return group.room_class in self.room_classes and meets_then(group)
            if self.reason == "supervisors":
                return any(t in self.staff for team in group.staff for t in team)
            return True

        def size(group: Open) -> tuple[int, bool, int]:
            return (len(group.members), not meets_then(group), group.section.idx)

        return min((g for g in groups if holds(g)), key=size, default=None)


class StudyReserve:
    """Keeps enough rooms and supervisors free for everyone still headed to study.

    Before an activity takes a room or a person at some time, the coordinator
    checks that the study hall at that time can still be staffed and seated.
    """

    def __init__(self, inst: Instance, ledger: Ledger) -> None:
        self.inst, self.ledger = inst, ledger
        self.ratio = inst.school.info.study_ratio
        self.pool_at: dict[tuple[int, int, int], StudyPool] = {}
        for pool in inst.study_pools:
            self.pool_at.setdefault((pool.band.idx, pool.day, pool.period), pool)
        self.heading: dict[int, int] = {pool.idx: pool.demand for pool in self.pool_at.values()}

    def leave_study(self, section: CandidateSection, option: Option, count: int) -> None:
        for day, period in option.slots:
            pool = self.pool_at.get((section.band.idx, day, period))
            if pool is not None:
                self.heading[pool.idx] -= count

    def _needs(self, pool: StudyPool) -> tuple[int, int]:
        """(sections, supervisors) the pool needs at worst, seated in its largest rooms."""
        biggest = max((pool.seat_cap(self.inst.room_classes[c], self.ratio)
                       for c in pool.room_classes), default=0)
        sections = -(-max(self.heading[pool.idx], 0) // max(biggest, 1))
        return sections, sections * pool.activity.staff_per_section

    def can_spare(self, option: Option, team: list[int], room_class: int) -> bool:
        ledger = self.ledger
        for pool in self.pool_at.values():
            if pool.day != option.day or not (pool.start < option.end
                                               and option.start < pool.end):
                continue
            sections, supervisors = self._needs(pool)
            needed = supervisors + self._other_needs(pool)
            # Counted only as far as needed: on 5,000 students this check ran ten
            # million times over every pool's people.
            free = 0
            slot = ((pool.day, pool.period),)
            for t in pool.staff:
                if free >= needed:
                    break
                if t not in team and ledger.staff_free(t, pool.day, pool.start, pool.end, 1,
                                                       slot):
                    free += 1
            if free < needed:
                return False
            rooms = sum(
                self.inst.room_classes[c].size - max(
                    (ledger.rooms[c, d, p] + (c == room_class)
                     for d, p in ledger.points(pool.day, pool.start, pool.end)), default=0)
                for c in pool.room_classes
            )
            if rooms < sections:
                return False
        return True

    def _other_needs(self, pool: StudyPool) -> int:
        """Supervisors other pools need at overlapping times (they share the staff)."""
        total = 0
        for other in self.pool_at.values():
            if other is pool or other.day != pool.day:
                continue
            if other.start < pool.end and pool.start < other.end:
                total += self._needs(other)[1]
        return total

    def study_drafts(self, busy: dict[int, set[tuple[int, int]]],
                     place_of: dict[tuple[str, int, int], str], ledger: Ledger
                     ) -> list[Draft] | Shortage:
        """Study sections for every child not in an activity, booked on ``ledger``;
        or what ran short first."""
        inst = self.inst
        drafts: list[Draft] = []
        for (band_idx, day, period), pool in sorted(self.pool_at.items(),
                                                    key=lambda kv: (kv[0][1], kv[1].start)):
            band = inst.bands[band_idx]
            waiting = sorted(
                (i for i in inst.staying(band, day, period) if (day, period) not in busy[i]),
                key=lambda i: (inst.students[i].class_name, inst.students[i].id),
            )
            if not waiting:
                continue
            seats = self._book_pool(pool, day, period, len(waiting), ledger)
            if isinstance(seats, Shortage):
                return seats
            counts = even_split(len(waiting), [cap for _, _, cap in seats])
            start = 0
            for n, ((c, team, _), count) in enumerate(zip(seats, counts, strict=True)):
                members = waiting[start:start + count]
                start += count
                section_id = f"{pool.activity.id}-{DAYS[day]}{period}-{band_idx + 1}.{n + 1}"
                ids = tuple(inst.students[i].id for i in members)
                drafts.append(Draft(section_id, pool.activity.id, day, (period,), pool.start,
                                    pool.end, c, tuple(inst.staff[t].id for t in team), ids))
                for student_id in ids:
                    place_of[student_id, day, period] = section_id
        if ledger.cost > inst.school.info.term_budget:
            return Shortage("budget")
        opened = Counter(draft.activity_id for draft in drafts)
        for activity_id, count in opened.items():
            limit = inst.school.activity_by_id[activity_id].max_sections
            if limit is not None and count > limit:
                # Each study meeting is a section of its own (rule 2 counts them all);
                # closing an activity would only send more children to study.
                return Shortage("study sections")
        return drafts

    def _book_pool(self, pool: StudyPool, day: int, period: int, children: int,
                   ledger: Ledger) -> list[tuple[int, list[int], int]] | Shortage:
        """Rooms and supervisors for ``children`` in one study pool, booked on ``ledger``,
        the roomiest classes first, as (room class, team, seats); or what ran short."""
        inst = self.inst
        seats: list[tuple[int, list[int], int]] = []
        total = 0
        classes = sorted(pool.room_classes,
                         key=lambda c: -pool.seat_cap(inst.room_classes[c], self.ratio))
        while total < children:
            c = next((c for c in classes if (day, period) not in inst.room_classes[c]
                      .unavailable and ledger.room_free(c, day, pool.start, pool.end)),
                     None)
            if c is None:
                return Shortage("rooms", day, pool.start, pool.end,
                                 room_classes=pool.room_classes)
            team = ledger.pick_staff(pool.staff, pool.activity.staff_per_section, day,
                                     pool.start, pool.end, ((day, period),))
            if team is None:
                return Shortage("supervisors", day, pool.start, pool.end, staff=pool.staff)
            ledger.take_room(c, day, pool.start, pool.end)
            for t in team:
                ledger.take_staff(t, day, pool.start, pool.end, 1)
            ledger.cost += inst.school.info.weeks * (
                pool.activity.fee_per_session + inst.room_classes[c].fee_per_use
                + sum(inst.staff[t].pay_per_period for t in team))
            cap = pool.seat_cap(inst.room_classes[c], self.ratio)
            seats.append((c, team, cap))
            total += cap
        return seats
