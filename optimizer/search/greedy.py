"""The coordinator's way, by hand: first choices first, first come first served.

This is the baseline the benchmark compares against, and the warm start of
the CP-SAT search. Students are taken in row order (the order they registered)
for their first choices, then their second, and so on; a section opens when a
student needs it and a room and staff are free; sections below their minimum
size close at the end; everyone else goes to supervised study. No solver.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from models.check import placement_values
from models.lottery import tickets
from models.schedule import Schedule
from models.school import Activity, School
from optimizer.model.extract import Draft, assign_rooms, to_schedule
from optimizer.model.instance import CandidateSection, Instance, Option, build_instance
from optimizer.model.rules import GOALS, PLACEMENT_GOALS
from optimizer.search.bounds import Pattern
from optimizer.search.cover import open_by_cover, open_planned, rounded
from optimizer.search.ledger import Ledger, Open, Shortage, StudyReserve, sought
from optimizer.search.lp_bounds import Planned, section_plan

log = logging.getLogger(__name__)


def greedy_schedule(school: School, inst: Instance | None = None, *,
                    reassign: bool = False, seed: int = 0) -> Schedule | None:
    """The hand-made schedule, or None when the coordinator's way runs out of room or staff.

    With ``reassign`` (the warm start of the CP-SAT search), the coordinator's way
    improved: see :class:`WarmGreedy`, here with its two first orders only.
    Without it, this is the baseline: row order, first come, first served.
    """
    inst = inst or build_instance(school)
    if reassign:
        warm = WarmGreedy(school, inst, seed)
        warm.try_orders(most=2)
        if warm.best is not None:
            return warm.best.schedule
        log.info("greedy: optimal reassignment left study short; keeping first come, "
                 "first served")
    row = {student.id: position for position, student in enumerate(school.students)}
    by_hand = sorted(range(len(inst.students)), key=lambda i: row[inst.students[i].id])
    outcome = _greedy(school, inst, by_hand, reassign=False)
    return None if outcome is None else outcome.schedule


class WarmGreedy:
    """The coordinator's way improved, tried one way after another.

    Three things improve on the hand-made way: a section opens on the days, among those
    that suit the child who asks, that suit most of the others who chose it; students
    are placed in the opened sections optimally (optimizer/search/assign.py); and four
    choices that decide when and how sections meet are searched. One is the order in
    which children ask: priority first, as the goals weigh it, then the seeded lottery
    (never row order), or among equal priority the children who come on the fewest days
    first (a child here only Wednesday to Friday finds no place in sections opened on
    Monday for others). Another is the period a section takes: the day's first that
    suits, or where its rooms are least taken (see :func:`_peak_raise`). The third is
    who opens sections: the children as they ask; first the sections that seat the most
    children per class hour (optimizer/search/cover.py); or first those a linear program
    of rooms, people and time opens when it seats the most children
    (``lp_bounds.section_plan``), its fractions rounded down, to the nearest whole, or
    at random. The fourth is whom a section takes: the least loaded people, or among
    them the least sought (``ledger.sought``) first. Eleven such attempts come first;
    then a fresh seeded shuffle (every other one following the program rounded at
    random) alternates with the best attempt so far with the children it left out moved
    to the front of their priority ("squeaky wheel"). How a school's days, rooms and
    choices interlock decides which wins; none wins on every school, and one way can
    leave twice as many children out as another (at 3,000 students, the two-bands shape:
    385 following the program, 495 with levelled periods, 735 by seats per hour).
    """

    def __init__(self, school: School, inst: Instance, seed: int) -> None:
        self.school, self.inst = school, inst
        self.best: _Outcome | None = None
        self.last: _Outcome | None = None
        """The last attempt's schedule, better or not."""
        self.tried = 0
        self._best = _Attempt([])
        self._shuffles = 0
        self._plans: dict[bool, list[Planned] | None] = {}
        self._demand = _demand(inst)
        self._random = random.Random(seed)
        by_priority, fewest_days = self._first_orders(seed)
        self._fresh = [_Attempt(by_priority), _Attempt(fewest_days),
                       _Attempt(by_priority, plan=NEAREST),
                       _Attempt(by_priority, plan=NEAREST, study=False),
                       _Attempt(by_priority, plan=NEAREST, study=False, spare_rare=True),
                       _Attempt(by_priority, level=True),
                       _Attempt(by_priority, cover=True),
                       _Attempt(fewest_days, plan=FLOOR),
                       _Attempt(by_priority, cover=True, plan=NEAREST),
                       _Attempt(fewest_days, level=True),
                       _Attempt(fewest_days, cover=True)]

    def try_orders(self, *, most: int, patience: int | None = None,
                   deadline: float | None = None, stop: threading.Event | None = None,
                   better: Callable[[int], None] | None = None) -> bool:
        """Try up to ``most`` more attempts; stop early after ``patience`` reshuffles in a
        row found nothing better, at the ``deadline`` (time.monotonic()) or once ``stop``
        is set. ``better`` is told how many children each better schedule leaves without
        a place (not yet checked), counted as the ``unserved`` goal counts them. Whether
        the best schedule improved."""
        improved, idle, longest = False, 0, 0.0
        for _ in range(most):
            if stop is not None and stop.is_set():
                break
            # An attempt that would end past the deadline is not begun: on 5,000 students
            # one takes seconds.
            if deadline is not None and time.monotonic() + longest >= deadline:
                break
            began = time.monotonic()
            fresh = bool(self._fresh)
            attempt = self._next()
            plan = self.plan(attempt.study) if attempt.plan is not None else None
            if plan is None:
                attempt = attempt._replace(plan=None)
            elif attempt.whole is None:
                attempt = attempt._replace(whole=rounded(plan, attempt.plan or "",
                                                         self._random))
            outcome = _greedy(self.school, self.inst, attempt.order, reassign=True,
                              demand=self._demand, level=attempt.level, cover=attempt.cover,
                              plan=plan, whole=attempt.whole or (),
                              spare_rare=attempt.spare_rare)
            longest = max(longest, time.monotonic() - began)
            self.tried += 1
            self.last = outcome
            if outcome is not None and (self.best is None or outcome.score > self.best.score):
                self.best, self._best = outcome, attempt
                improved, idle = True, 0
                log.debug("greedy: attempt %d leaves %d out", self.tried, len(outcome.left_out))
                if better is not None:
                    better(len(outcome.left_out) + self.inst.unreachable)
            elif not fresh:
                # Each fresh attempt is a way of its own, and which way wins depends on
                # the school: only the reshuffles that follow can stop paying.
                idle += 1
                if patience is not None and idle >= patience:
                    break
        return improved

    def _first_orders(self, seed: int) -> tuple[list[int], list[int]]:
        inst, students = self.inst, self.inst.students
        ticket = tickets(inst.school, seed)
        by_priority = sorted(range(len(students)), key=lambda i: (
            -inst.priority_level.get(i, 0), -ticket[students[i].id]))
        fewest_days = sorted(by_priority, key=lambda i: (-inst.priority_level.get(i, 0),
                                                         len(students[i].days)))
        return by_priority, fewest_days

    def plan(self, study: bool = True) -> list[Planned] | None:
        """The rooms-and-people program's sections (``lp_bounds.section_plan``), with
        study or without, solved once, the first time an attempt follows it; None if it
        could not be solved."""
        if study not in self._plans:
            self._plans[study] = section_plan(self.inst, study)
        return self._plans[study]

    def _next(self) -> _Attempt:
        if self._fresh:
            return self._fresh.pop(0)
        priority = self.inst.priority_level
        if self.best is not None and self.tried % 2 == 1:
            best, left_out = self._best, self.best.left_out
            return best._replace(order=sorted(best.order, key=lambda i: (
                -priority.get(i, 0), i not in left_out)))
        shuffled = list(range(len(self.inst.students)))
        self._random.shuffle(shuffled)
        # Every other shuffle follows a program rounded at random (with study and
        # without, in turn), beginning with the first; the rest take turns at the other
        # ways of opening sections.
        way, self._shuffles = self._shuffles % 12, self._shuffles + 1
        return _Attempt(sorted(shuffled, key=lambda i: -priority.get(i, 0)),
                        level=way % 6 == 3, cover=way % 6 == 5,
                        plan=RANDOM if way % 2 == 0 else None, study=way % 4 == 0,
                        spare_rare=way % 3 == 1)


FLOOR: Literal["floor"] = "floor"
NEAREST: Literal["nearest"] = "nearest"
RANDOM: Literal["random"] = "random"


class _Attempt(NamedTuple):
    """One way to build a schedule: who asks first, and how sections choose periods and
    open (see :class:`WarmGreedy`)."""

    order: list[int]
    level: bool = False
    """Periods where the section's rooms are least taken first (:func:`_peak_raise`)."""
    cover: bool = False
    """Sections opened where they seat the most children first (search/cover.py)."""
    plan: Literal["floor", "nearest", "random"] | None = None
    """The program's sections opened first, their fractions rounded down, to the nearest
    whole or at random (search/cover.py ``rounded``); None: no plan."""
    whole: tuple[int, ...] | None = None
    """How many sections of each of the program's entries, once rounded: a squeaky-wheel
    attempt on a random rounding keeps its draw."""
    study: bool = True
    """The program counts study's rooms and supervisors (``lp_bounds.section_plan``)."""
    spare_rare: bool = False
    """Among people equally loaded, the least sought are taken first (``ledger.sought``)."""


@dataclass(frozen=True)
class _Outcome:
    schedule: Schedule
    score: tuple[int, ...]
    """The placement goals, as ``_score`` counts them."""
    left_out: frozenset[int]
    """The children with choices who got none of them."""


def _score(school: School, schedule: Schedule) -> tuple[int, ...]:
    """The placement goals in the registry's order, larger is better: how the warm
    greedy compares the schedules of two orders of children."""
    values = placement_values(school, schedule)
    return tuple(GOALS[name].sense * values[name] for name in PLACEMENT_GOALS)


def _greedy(school: School, inst: Instance, order: Sequence[int], *, reassign: bool,
            demand: dict[tuple[str, int, int], int] | None = None, level: bool = False,
            cover: bool = False, plan: Sequence[Planned] | None = None,
            whole: Sequence[int] = (), spare_rare: bool = False) -> _Outcome | None:
    """One schedule: children ask in ``order``, first choices first; with ``reassign``
    the opened sections are then filled optimally; with ``cover``, sections are first
    opened where they seat the most children (optimizer/search/cover.py). None when
    study cannot be seated and staffed even with every activity closed."""
    desk = _Desk(school, inst, demand, level)
    if reassign:
        # The coordinator by hand does not reshuffle who staffs what; the warm start does.
        desk.ledger.opened = desk.opened
    if spare_rare:
        desk.ledger.sought = sought(inst)
    if plan is not None:
        open_planned(desk, plan, whole)
    if cover:
        open_by_cover(desk, order)
    for rank in range(1, 6):
        for i in order:
            desk.ask(i, rank)
    groups = [g for gs in desk.opened.values() for g in gs]
    if reassign:
        _reassign(inst, desk.ledger, desk.reserve, groups)
        desk.seat_again(groups)
    # Sections below their minimum close; their students go back to study.
    for group in groups:
        if len(group.members) < max(group.section.activity.min_size, 1):
            desk.close(group)
    groups = [g for g in groups if g.members]
    made = desk.with_study(groups)
    if made is None:
        return None
    drafts, place_of = made
    assign_rooms(inst, drafts)
    placed = {i for group in groups for i in group.members}
    schedule = to_schedule(inst, drafts, place_of)
    return _Outcome(schedule, _score(school, schedule),
                    frozenset(i for i in inst.applicants if i not in placed))


class _Desk:
    """What the coordinator keeps track of while placing children by hand: the sections
    opened, who is where when, fees, and the rooms, staff and money taken."""

    def __init__(self, school: School, inst: Instance,
                 demand: dict[tuple[str, int, int], int] | None, level: bool) -> None:
        self.inst, self.demand, self.level = inst, demand, level
        self.ledger = Ledger(inst)
        self.reserve = StudyReserve(inst, self.ledger)
        self.busy: dict[int, set[tuple[int, int]]] = defaultdict(set)
        self.joined: dict[int, set[str]] = defaultdict(set)
        self.fees: dict[int, int] = defaultdict(int)
        self.opened: dict[tuple[str, int], list[Open]] = defaultdict(list)
        self.spare: dict[tuple[str, int], list[CandidateSection]] = defaultdict(list)
        for section in inst.sections:
            self.spare[section.activity.id, section.band.idx].append(section)
        # Candidate sections are per band, max_sections per activity: an activity open
        # to two bands shares its sections between them (hard rule 2).
        self.sections_left = {a.id: a.max_sections for a in school.activities}
        self.budget = school.info.term_budget
        self.fee_cap = school.info.student_fee_cap

    def ask(self, i: int, rank: int) -> None:
        """Child ``i`` asks for their choice of this rank: a seat in an open section that
        fits them, else a new section if one may open."""
        student = self.inst.students[i]
        if len(self.joined[i]) >= student.wants:
            return
        for s, r in self.inst.applicants.get(i, ()):
            if r != rank:
                continue
            section = self.inst.sections[s]
            activity = section.activity
            if not self.may_join(i, activity):
                return
            key = (activity.id, section.band.idx)
            group = next((g for g in self.opened[key]
                          if len(g.members) < g.capacity and self.fits(i, g)), None)
            left = self.sections_left[activity.id]
            if group is None and self.spare[key] and (left is None or left > 0):
                group = _open_for(self.inst, self.ledger, self.reserve, self.spare[key][0],
                                  student.days, student.stay, self.busy[i], self.budget,
                                  self.demand, self.level)
                if group is not None:
                    self.spare[key].pop(0)
                    self.opened[key].append(group)
                    if left is not None:
                        self.sections_left[activity.id] = left - 1
            if group is not None:
                self.place(i, group)
            return

    def may_join(self, i: int, activity: Activity) -> bool:
        """Not in the activity yet, and its fee within the child's cap and the budget."""
        return (activity.id not in self.joined[i]
                and self.fees[i] + activity.fee_per_student <= self.fee_cap
                and self.ledger.cost + activity.fee_per_student <= self.budget)

    def open_at(self, section: CandidateSection, pattern: Pattern) -> Open | None:
        """Open the next copy of ``section``'s activity and band in ``pattern`` (its days and
        first period), if a room, staff and money are free and it may open another."""
        key = (section.activity.id, section.band.idx)
        left = self.sections_left[section.activity.id]
        if not self.spare[key] or (left is not None and left <= 0):
            return None
        spare = self.spare[key][0]
        usable = [o for o, option in enumerate(spare.options)
                  if option.first_period == pattern.first_period and option.day in pattern.days]
        group = _open_in(self.inst, self.ledger, self.reserve, spare, usable, self.budget)
        if not group:
            return None
        self.spare[key].pop(0)
        self.opened[key].append(group)
        if left is not None:
            self.sections_left[section.activity.id] = left - 1
        return group

    def withdraw(self, group: Open) -> None:
        """Close a section just opened as if it never had been: it may open again."""
        self.close(group)
        key = (group.section.activity.id, group.section.band.idx)
        self.opened[key].remove(group)
        self.spare[key].insert(0, group.section)
        left = self.sections_left[group.section.activity.id]
        if left is not None:
            self.sections_left[group.section.activity.id] = left + 1

    def fits(self, i: int, group: Open) -> bool:
        student, busy = self.inst.students[i], self.busy[i]
        for o in group.options:
            option = group.section.options[o]
            if any(slot in busy for slot in option.slots):
                return False
            if not student.stays_for_all(option.slots):
                return False
        return True

    def place(self, i: int, group: Open) -> None:
        group.members.append(i)
        self.joined[i].add(group.section.activity.id)
        self.fees[i] += group.section.activity.fee_per_student
        self.ledger.cost += group.section.activity.fee_per_student
        for o in group.options:
            self.busy[i].update(group.section.options[o].slots)
            self.reserve.leave_study(group.section, group.section.options[o], 1)

    def seat_again(self, groups: list[Open]) -> None:
        """Who is where, after the sections' members were chosen again."""
        self.busy.clear()
        self.joined.clear()
        for group in groups:
            for i in group.members:
                self.joined[i].add(group.section.activity.id)
                for o in group.options:
                    self.busy[i].update(group.section.options[o].slots)

    def close(self, group: Open) -> None:
        _close(self.inst, self.ledger, self.reserve, group)
        for i in group.members:
            self.joined[i].discard(group.section.activity.id)
            for o in group.options:
                for slot in group.section.options[o].slots:
                    self.busy[i].discard(slot)
        group.members.clear()

    def with_study(self, groups: list[Open]
                   ) -> tuple[list[Draft], dict[tuple[str, int, int], str]] | None:
        """The activities' meetings and study for everyone else, or None.

        The study reserve looks at one time at a time; when study still cannot be
        seated or staffed (a person's weekly hours went to sections on other days), the
        coordinator closes the smallest section in the way and tries again — down to
        study alone. ``groups`` loses the sections closed.
        """
        closed = 0
        while True:
            drafts, place_of = _activity_drafts(self.inst, groups)
            study = self.reserve.study_drafts(self.busy, place_of, self.ledger.copy())
            if not isinstance(study, Shortage):
                break
            victim = study.victim(self.inst, groups)
            if victim is None:
                log.info("greedy: not enough rooms, supervisors or money for study (%s)",
                         study.reason)
                return None
            self.close(victim)
            groups.remove(victim)
            closed += 1
        if closed:
            log.info("greedy: closed %d sections to seat and staff study", closed)
        return drafts + study, place_of


def _reassign(inst: Instance, ledger: Ledger, reserve: StudyReserve, groups: list[Open]
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


def _open_for(inst: Instance, ledger: Ledger, reserve: StudyReserve,
              section: CandidateSection, days: frozenset[int], stay: int,
              student_busy: set[tuple[int, int]], budget: int,
              demand: dict[tuple[str, int, int], int] | None = None, level: bool = False
              ) -> Open | None:
    """Open a section on days that suit the student who asks, if a room and staff are free.

    With ``demand`` (the warm start), of the days that suit them, those that suit the
    most other children who chose the activity come first; by hand, the week's order.
    Periods go in the day's order, or, with ``level``, those where the section's
    rooms are least taken first (see :func:`_peak_raise`)."""
    activity = section.activity
    wanted = activity.sessions_per_week
    by_first: dict[int, list[int]] = {}
    for first in sorted({o.first_period for o in section.options}):
        usable = [
            o for o, option in enumerate(section.options)
            if option.first_period == first and option.day in days
            and all(p <= stay for _, p in option.slots)
            and not any(slot in student_busy for slot in option.slots)
        ]
        if demand is not None:
            usable.sort(key=lambda o: -demand[section.activity.id, section.band.idx, o])
        if len(usable) >= wanted:
            by_first[first] = usable
    firsts = list(by_first)
    if level:
        largest = max(section.room_classes, key=lambda c: inst.room_classes[c].capacity)
        firsts.sort(key=lambda f: sum(_peak_raise(ledger, largest, section.options[o])
                                      for o in by_first[f][:wanted]))
    for first in firsts:
        booked = _open_in(inst, ledger, reserve, section, by_first[first], budget)
        if booked is not None:
            return booked or None
    return None


def _open_in(inst: Instance, ledger: Ledger, reserve: StudyReserve, section: CandidateSection,
             usable: list[int], budget: int) -> Open | Literal[False] | None:
    """Open ``section`` on ``sessions_per_week`` of the ``usable`` options, in the largest
    room class that has a room and staff free then. None when none has; False when one
    has but the term's budget does not (no other room or period would be cheaper
    enough to matter to the coordinator, who stops there)."""
    wanted = section.activity.sessions_per_week
    for c in sorted(section.room_classes, key=lambda c: -inst.room_classes[c].capacity):
        chosen, staff = _book(inst, ledger, reserve, section, usable, c, wanted)
        if chosen is None:
            continue
        weekly = sum(_meeting_cost(inst, section, section.options[o], c, team)
                     for o, team in zip(chosen, staff, strict=True))
        if ledger.cost + weekly * inst.school.info.weeks > budget:
            _release(inst, ledger, reserve, section, chosen, c, staff)
            return False
        ledger.cost += weekly * inst.school.info.weeks
        capacity = min(section.max_size, inst.room_classes[c].capacity)
        return Open(section, chosen, c, staff, capacity)
    return None


def _peak_raise(ledger: Ledger, c: int, option: Option) -> int:
    """How much booking a room of class ``c`` for ``option`` raises the most rooms of the
    class taken at once that day. Rooms of a class are interchangeable, so the rooms a
    day needs are its peak: a one-period section put beside others leaves whole free
    blocks for the sections that need two periods, where stacking every one-period
    section in the first period would leave none."""
    rooms = ledger.rooms
    peak = max((rooms[c, d, p] for d, p in ledger.points(option.day, 0, 1 << 30)), default=0)
    here = max((rooms[c, d, p] for d, p in ledger.points(option.day, option.start, option.end)),
               default=0)
    return max(0, here + 1 - peak)


def _book(inst: Instance, ledger: Ledger, reserve: StudyReserve, section: CandidateSection,
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


def _release(inst: Instance, ledger: Ledger, reserve: StudyReserve, section: CandidateSection,
             chosen: list[int], c: int, staff: list[list[int]], vendor: bool = True) -> None:
    for o, team in zip(chosen, staff, strict=True):
        option = section.options[o]
        ledger.take_room(c, option.day, option.start, option.end, -1)
        for t in team:
            ledger.take_staff(t, option.day, option.start, option.end, len(option.slots), -1)
    provider = section.activity.provider
    if vendor and provider is not None and chosen:
        ledger.vendor_week[provider] -= len(chosen)


def _close(inst: Instance, ledger: Ledger, reserve: StudyReserve, group: Open) -> None:
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


def _activity_drafts(inst: Instance, groups: list[Open]
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


