"""The coordinator's way, by hand: first choices first, first come first served.

This is the baseline the benchmark compares against, and the warm start of
the CP-SAT search. Students are taken in row order (the order they registered)
for their first choices, then their second, and so on; a section opens when a
student needs it and a room and staff are free; sections below their minimum
size close at the end; everyone else goes to supervised study. No solver.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from models.lottery import tickets
from models.schedule import Schedule
from models.school import School
from models.time import DAYS
from optimizer.model.extract import Draft, assign_rooms, even_split, to_schedule
from optimizer.model.instance import CandidateSection, Instance, Option, StudyPool, build_instance

log = logging.getLogger(__name__)


@dataclass
class _Open:
    """A section the coordinator has opened: its meetings, room class, staff, students."""

    section: CandidateSection
    options: list[int]
    room_class: int
    staff: list[list[int]]  # per meeting
    capacity: int
    members: list[int] = field(default_factory=list)


class _Ledger:
    """Who and what is taken when: rooms per class and time point, staff hours, money."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        self.rooms: dict[tuple[int, int, int], int] = defaultdict(int)
        self.staff_busy: set[tuple[int, int, int]] = set()
        self.staff_day: dict[tuple[int, int], int] = defaultdict(int)
        self.staff_week: dict[int, int] = defaultdict(int)
        self.vendor_week: dict[str, int] = defaultdict(int)
        self.cost = 0
        self._points: dict[tuple[int, int, int], tuple[tuple[int, int], ...]] = {}
        """(day, start, end) → its time points: asked millions of times on 5,000
        students, and the same for every ledger of one instance (copies share it)."""

    def copy(self) -> _Ledger:
        """A ledger to try things on, sharing nothing mutable with this one."""
        other = _Ledger(self.inst)
        other.rooms.update(self.rooms)
        other.staff_busy = set(self.staff_busy)
        other.staff_day.update(self.staff_day)
        other.staff_week.update(self.staff_week)
        other.vendor_week.update(self.vendor_week)
        other.cost = self.cost
        other._points = self._points
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
        for d, p in self.points(day, start, end):
            if sign > 0:
                self.staff_busy.add((t, d, p))
            else:
                self.staff_busy.discard((t, d, p))
        self.staff_day[t, day] += sign * hours
        self.staff_week[t] += sign * hours

    def pick_staff(self, candidates: tuple[int, ...], need: int, day: int, start: int,
                   end: int, slots: tuple[tuple[int, int], ...]) -> list[int] | None:
        """The least-loaded free people, sparing in-service teachers and pay."""
        hours = len(slots)
        free = [t for t in candidates if self.staff_free(t, day, start, end, hours, slots)]
        free.sort(key=lambda t: (self.inst.staff[t].is_teacher, self.staff_week[t],
                                 self.inst.staff[t].pay_per_period, t))
        return free[:need] if len(free) >= need else None


def greedy_schedule(school: School, inst: Instance | None = None, *,
                    reassign: bool = False, seed: int = 0) -> Schedule | None:
    """The hand-made schedule, or None when the coordinator's way runs out of room or staff.

    With ``reassign`` (the warm start of the CP-SAT search), the coordinator's way is
    improved three times over: a section opens on the days, among those that suit
    the child who asks, that suit most of the others who chose it; the order in
    which children ask is chosen from a few — priority first, then the seeded
    lottery or the fewest registered days first — keeping whichever serves best;
    and students are placed in the opened sections optimally (optimizer/search/assign.py).
    Without it, this is the baseline: row order, first come, first served.
    """
    inst = inst or build_instance(school)
    if reassign:
        demand = _demand(inst)
        tried = [_greedy(school, inst, order, reassign=True, demand=demand)
                 for order in _warm_orders(inst, seed)]
        found = [outcome for outcome in tried if outcome is not None]
        if found:
            best = max(found, key=lambda outcome: outcome.score)
            log.info("greedy: warm start from order %d of %d", tried.index(best) + 1,
                     len(tried))
            return best.schedule
        log.info("greedy: optimal reassignment left study short; keeping first come, "
                 "first served")
    row = {student.id: position for position, student in enumerate(school.students)}
    by_hand = sorted(range(len(inst.students)), key=lambda i: row[inst.students[i].id])
    outcome = _greedy(school, inst, by_hand, reassign=False)
    return None if outcome is None else outcome.schedule


def _warm_orders(inst: Instance, seed: int) -> list[list[int]]:
    """Orders in which children ask for sections: a section opens on the days of the
    child who first needs it, so who asks first decides when sections meet.

    Priority first, as the goals weigh it; among equal priority the lottery, as the
    contract wants — never row order. Then either that, or the children who come on
    the fewest days first: a child here only on Wednesday to Friday finds no place
    in sections opened for others on Monday and Tuesday, while a child here every
    day fits any section. Neither order wins on every school.
    """
    students = inst.students
    ticket = tickets(inst.school, seed)
    by_priority = sorted(range(len(students)), key=lambda i: (
        -inst.priority_level.get(i, 0), -ticket[students[i].id]))
    fewest_days = sorted(by_priority, key=lambda i: (-inst.priority_level.get(i, 0),
                                                     len(students[i].days)))
    return [by_priority, fewest_days]


@dataclass(frozen=True)
class _Outcome:
    schedule: Schedule
    score: tuple[int, int, int, int]
    """(-unserved, priority served, first choices, choice points), as the goals count
    them."""


def _score(inst: Instance, groups: list[_Open]) -> tuple[int, int, int, int]:
    from optimizer.model.rules.goals import priority_weight, rank_points

    rank_of = {(i, inst.sections[s].activity.id): rank
               for i, choices in inst.applicants.items() for s, rank in choices}
    ranks: dict[int, list[int]] = defaultdict(list)
    for group in groups:
        for i in group.members:
            ranks[i].append(rank_of[i, group.section.activity.id])
    return (-sum(1 for i in inst.applicants if not ranks[i]),
            sum(priority_weight(inst, i) for i, got in ranks.items() if got),
            sum(priority_weight(inst, i) for i, got in ranks.items() if 1 in got),
            sum(priority_weight(inst, i) * rank_points(rank)
                for i, got in ranks.items() for rank in got))


def _greedy(school: School, inst: Instance, order: Sequence[int], *, reassign: bool,
            demand: dict[tuple[str, int, int], int] | None = None) -> _Outcome | None:
    ledger = _Ledger(inst)
    students = inst.students
    busy: dict[int, set[tuple[int, int]]] = defaultdict(set)
    joined: dict[int, set[str]] = defaultdict(set)
    fees: dict[int, int] = defaultdict(int)
    opened: dict[tuple[str, int], list[_Open]] = defaultdict(list)
    spare: dict[tuple[str, int], list[CandidateSection]] = defaultdict(list)
    for section in inst.sections:
        spare[section.activity.id, section.band.idx].append(section)
    # Candidate sections are per band, max_sections per activity: an activity open to
    # two bands shares its sections between them (hard rule 2).
    sections_left = {a.id: a.max_sections for a in school.activities}
    budget = school.info.term_budget
    fee_cap = school.info.student_fee_cap
    reserve = _StudyReserve(inst, ledger)

    def fits(i: int, group: _Open) -> bool:
        student = students[i]
        for o in group.options:
            option = group.section.options[o]
            if any(slot in busy[i] for slot in option.slots):
                return False
            if not student.stays_for_all(option.slots):
                return False
        return True

    def place(i: int, group: _Open) -> None:
        group.members.append(i)
        joined[i].add(group.section.activity.id)
        fees[i] += group.section.activity.fee_per_student
        ledger.cost += group.section.activity.fee_per_student
        for o in group.options:
            busy[i].update(group.section.options[o].slots)
            reserve.leave_study(group.section, group.section.options[o], 1)

    for rank in range(1, 6):
        for i in order:
            student = students[i]
            if len(joined[i]) >= student.wants:
                continue
            for s, r in inst.applicants.get(i, ()):
                if r != rank:
                    continue
                section = inst.sections[s]
                activity = section.activity
                if activity.id in joined[i] or fees[i] + activity.fee_per_student > fee_cap:
                    break
                if ledger.cost + activity.fee_per_student > budget:
                    break
                key = (activity.id, section.band.idx)
                group = next((g for g in opened[key]
                              if len(g.members) < g.capacity and fits(i, g)), None)
                left = sections_left[activity.id]
                if group is None and spare[key] and (left is None or left > 0):
                    group = _open_for(inst, ledger, reserve, spare[key][0], student.days,
                                      student.stay, busy[i], budget, demand)
                    if group is not None:
                        spare[key].pop(0)
                        opened[key].append(group)
                        if left is not None:
                            sections_left[activity.id] = left - 1
                if group is not None:
                    place(i, group)
                break
    groups = [g for gs in opened.values() for g in gs]
    if reassign:
        _reassign(inst, ledger, reserve, groups)
        busy.clear()
        joined.clear()
        for group in groups:
            for i in group.members:
                joined[i].add(group.section.activity.id)
                for o in group.options:
                    busy[i].update(group.section.options[o].slots)

    def close(group: _Open) -> None:
        _close(inst, ledger, reserve, group)
        for i in group.members:
            joined[i].discard(group.section.activity.id)
            for o in group.options:
                for slot in group.section.options[o].slots:
                    busy[i].discard(slot)
        group.members.clear()

    # Sections below their minimum close; their students go back to study.
    for group in groups:
        if len(group.members) < max(group.section.activity.min_size, 1):
            close(group)
    groups = [g for g in groups if g.members]
    # The study reserve looks at one time at a time; when study still cannot be seated
    # or staffed (a person's weekly hours went to sections on other days), the coordinator
    # closes the smallest section in the way and tries again — down to study alone.
    closed = 0
    while True:
        drafts, place_of = _activity_drafts(inst, groups)
        trial = ledger.copy()
        study = reserve.study_drafts(busy, place_of, trial)
        if not isinstance(study, _Shortage):
            break
        victim = study.victim(inst, groups)
        if victim is None:
            log.info("greedy: not enough rooms, supervisors or money for study (%s)",
                     study.reason)
            return None
        close(victim)
        groups.remove(victim)
        closed += 1
    if closed:
        log.info("greedy: closed %d sections to seat and staff study", closed)
    drafts.extend(study)
    assign_rooms(inst, drafts)
    return _Outcome(to_schedule(inst, drafts, place_of), _score(inst, groups))


@dataclass(frozen=True)
class _Shortage:
    """Why study could not be placed: at a time (rooms, supervisors) or in money."""

    reason: str
    day: int | None = None
    start: int = 0
    end: int = 0
    room_classes: tuple[int, ...] = ()
    staff: tuple[int, ...] = ()

    def victim(self, inst: Instance, groups: list[_Open]) -> _Open | None:
        """The section to close: the smallest of those that hold what study lacked then
        (a room of its kind, one of its people, on that day at an overlapping time,
        or, for people, on any day: their weekly hours), else the smallest that costs."""
        def meets_then(group: _Open) -> bool:
            return any(group.section.options[o].day == self.day
                       and group.section.options[o].start < self.end
                       and self.start < group.section.options[o].end
                       for o in group.options)

        def holds(group: _Open) -> bool:
            if self.reason == "rooms":
                return group.room_class in self.room_classes and meets_then(group)
            if self.reason == "supervisors":
                return any(t in self.staff for team in group.staff for t in team)
            return True

        def size(group: _Open) -> tuple[int, bool, int]:
            return (len(group.members), not meets_then(group), group.section.idx)

        return min((g for g in groups if holds(g)), key=size, default=None)


def _reassign(inst: Instance, ledger: _Ledger, reserve: _StudyReserve, groups: list[_Open]
              ) -> None:
    """Keep the opened sections, place the students in them optimally."""
    from optimizer.search.assign import assign_students

    for group in groups:
        ledger.cost -= group.section.activity.fee_per_student * len(group.members)
        for o in group.options:
            reserve.leave_study(group.section, group.section.options[o], -len(group.members))
    members = assign_students(inst, [g.section for g in groups], [g.options for g in groups],
                              [g.capacity for g in groups])
    for group, new in zip(groups, members, strict=True):
        group.members = sorted(new)
        ledger.cost += group.section.activity.fee_per_student * len(group.members)
        for o in group.options:
            reserve.leave_study(group.section, group.section.options[o], len(group.members))


def _demand(inst: Instance) -> dict[tuple[str, int, int], int]:
    """(activity, band, option) → how much the children who chose the activity would
    earn if a section met then (priority weight × rank points of those who come then).
    Copies of a section share their options, so each activity and band is counted once."""
    from optimizer.model.rules.goals import priority_weight, rank_points

    options = {(section.activity.id, section.band.idx): section.options
               for section in inst.sections}
    demand: dict[tuple[str, int, int], int] = defaultdict(int)
    for i, choices in inst.applicants.items():
        student = inst.students[i]
        for key, rank in {(inst.sections[s].activity.id, inst.sections[s].band.idx): rank
                          for s, rank in choices}.items():
            for o, option in enumerate(options[key]):
                if student.stays_for_all(option.slots):
                    demand[(*key, o)] += priority_weight(inst, i) * rank_points(rank)
    return demand


def _open_for(inst: Instance, ledger: _Ledger, reserve: _StudyReserve,
              section: CandidateSection, days: frozenset[int], stay: int,
              student_busy: set[tuple[int, int]], budget: int,
              demand: dict[tuple[str, int, int], int] | None = None) -> _Open | None:
    """Open a section on days that suit the student who asks, if a room and staff are free.

    With ``demand`` (the warm start), of the days that suit them, those that suit the
    most other children who chose the activity come first; by hand, the week's order."""
    activity = section.activity
    wanted = activity.sessions_per_week
    for first in sorted({o.first_period for o in section.options}):
        usable = [
            o for o, option in enumerate(section.options)
            if option.first_period == first and option.day in days
            and all(p <= stay for _, p in option.slots)
            and not any(slot in student_busy for slot in option.slots)
        ]
        if demand is not None:
            usable.sort(key=lambda o: -demand[section.activity.id, section.band.idx, o])
        if len(usable) < wanted:
            continue
        for c in sorted(section.room_classes, key=lambda c: -inst.room_classes[c].capacity):
            chosen, staff = _book(inst, ledger, reserve, section, usable, c, wanted)
            if chosen is None:
                continue
            weekly = sum(_meeting_cost(inst, section, section.options[o], c, team)
                         for o, team in zip(chosen, staff, strict=True))
            if ledger.cost + weekly * inst.school.info.weeks > budget:
                _release(inst, ledger, reserve, section, chosen, c, staff)
                return None
            ledger.cost += weekly * inst.school.info.weeks
            capacity = min(section.max_size, inst.room_classes[c].capacity)
            return _Open(section, chosen, c, staff, capacity)
    return None


def _book(inst: Instance, ledger: _Ledger, reserve: _StudyReserve, section: CandidateSection,
          usable: list[int], c: int, wanted: int) -> tuple[list[int] | None, list[list[int]]]:
    chosen: list[int] = []
    staff: list[list[int]] = []
    provider = section.activity.provider
    if provider is not None:
        limit = inst.school.vendor_by_id[provider].max_sessions_week
        if limit is not None and ledger.vendor_week[provider] + wanted > limit:
            return None, []
    for o in usable:
        option = section.options[o]
        if (c, option.day) in {(c, section.options[x].day) for x in chosen}:
            continue
        if (option.slots[0] in inst.room_classes[c].unavailable
                or option.slots[-1] in inst.room_classes[c].unavailable
                or not ledger.room_free(c, option.day, option.start, option.end)):
            continue
        team = ledger.pick_staff(section.staff, section.activity.staff_per_section,
                                 option.day, option.start, option.end, option.slots)
        if team is None or not reserve.can_spare(option, team, c):
            continue
        ledger.take_room(c, option.day, option.start, option.end)
        for t in team:
            ledger.take_staff(t, option.day, option.start, option.end, len(option.slots))
        chosen.append(o)
        staff.append(team)
        if len(chosen) == wanted:
            if provider is not None:
                ledger.vendor_week[provider] += wanted
            return chosen, staff
    _release(inst, ledger, reserve, section, chosen, c, staff, vendor=False)
    return None, []


def _release(inst: Instance, ledger: _Ledger, reserve: _StudyReserve, section: CandidateSection,
             chosen: list[int], c: int, staff: list[list[int]], vendor: bool = True) -> None:
    for o, team in zip(chosen, staff, strict=True):
        option = section.options[o]
        ledger.take_room(c, option.day, option.start, option.end, -1)
        for t in team:
            ledger.take_staff(t, option.day, option.start, option.end, len(option.slots), -1)
    provider = section.activity.provider
    if vendor and provider is not None and chosen:
        ledger.vendor_week[provider] -= len(chosen)


def _close(inst: Instance, ledger: _Ledger, reserve: _StudyReserve, group: _Open) -> None:
    _release(inst, ledger, reserve, group.section, group.options, group.room_class, group.staff)
    weekly = sum(_meeting_cost(inst, group.section, group.section.options[o], group.room_class,
                               team) for o, team in zip(group.options, group.staff, strict=True))
    ledger.cost -= weekly * inst.school.info.weeks
    ledger.cost -= group.section.activity.fee_per_student * len(group.members)
    for o in group.options:
        reserve.leave_study(group.section, group.section.options[o], -len(group.members))


def _meeting_cost(inst: Instance, section: CandidateSection, option: Option, c: int,
                  team: list[int]) -> int:
    hours = len(option.slots)
    return (section.activity.fee_per_session + inst.room_classes[c].fee_per_use
            + sum(inst.staff[t].pay_per_period * hours for t in team))


def _activity_drafts(inst: Instance, groups: list[_Open]
                     ) -> tuple[list[Draft], dict[tuple[str, int, int], str]]:
    drafts: list[Draft] = []
    place_of: dict[tuple[str, int, int], str] = {}
    for group in groups:
        section = group.section
        ids = tuple(inst.students[i].id for i in sorted(group.members))
        for o, team in zip(group.options, group.staff, strict=True):
            option = section.options[o]
            periods = tuple(p for _, p in option.slots)
            drafts.append(Draft(section.id, section.activity.id, option.day, periods,
                                option.start, option.end, group.room_class,
                                tuple(inst.staff[t].id for t in team), ids))
            for student_id in ids:
                for p in periods:
                    place_of[student_id, option.day, p] = section.id
    return drafts, place_of


class _StudyReserve:
    """Keeps enough rooms and supervisors free for everyone still headed to study.

    Before an activity takes a room or a person at some time, the coordinator
    checks that the study hall at that time can still be staffed and seated.
    """

    def __init__(self, inst: Instance, ledger: _Ledger) -> None:
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
                     place_of: dict[tuple[str, int, int], str], ledger: _Ledger
                     ) -> list[Draft] | _Shortage:
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
            seats: list[tuple[int, list[int], int]] = []  # (room class, team, cap)
            total = 0
            classes = sorted(pool.room_classes,
                             key=lambda c: -pool.seat_cap(inst.room_classes[c], self.ratio))
            while total < len(waiting):
                c = next((c for c in classes if (day, period) not in inst.room_classes[c]
                          .unavailable and ledger.room_free(c, day, pool.start, pool.end)),
                         None)
                if c is None:
                    return _Shortage("rooms", day, pool.start, pool.end,
                                     room_classes=pool.room_classes)
                team = ledger.pick_staff(pool.staff, pool.activity.staff_per_section, day,
                                         pool.start, pool.end, ((day, period),))
                if team is None:
                    return _Shortage("supervisors", day, pool.start, pool.end,
                                     staff=pool.staff)
                ledger.take_room(c, day, pool.start, pool.end)
                for t in team:
                    ledger.take_staff(t, day, pool.start, pool.end, 1)
                ledger.cost += inst.school.info.weeks * (
                    pool.activity.fee_per_session + inst.room_classes[c].fee_per_use
                    + sum(inst.staff[t].pay_per_period for t in team))
                cap = pool.seat_cap(inst.room_classes[c], self.ratio)
                seats.append((c, team, cap))
                total += cap
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
            return _Shortage("budget")
        return drafts
