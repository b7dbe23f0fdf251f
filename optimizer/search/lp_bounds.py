"""Bounds on the placement goals that couple the activities, as linear programs.

The flows of optimizer/search/bounds.py seat each activity's choosers on their own;
here the activities meet: a program over the children's places and each activity's
sections, placed in meeting patterns (days and first period) that rooms of the right
type and people with the right skill must cover at every moment of the week, and the
study every child not in a section then needs. Every row holds for every schedule
that keeps the hard rules, and everything a row would need that is hard to count (the
budget, clashes between one child's places, room and staff unavailability) is left
out, so the optimum of each program is a valid bound: no schedule places more
children, or more first choices.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from models.school import Activity
from optimizer.model.instance import CandidateSection, Instance, StudyPool
from optimizer.model.rules.goals import priority_weight, rank_points
from optimizer.search.bounds import Held, Pattern, Seats, patterns, sections_by

log = logging.getLogger(__name__)

Key = tuple[str, int]
"""(activity id, band index): the sections a child's choice can be seated in."""


@dataclass(frozen=True)
class ResourceBounds:
    """What no schedule passes, counting rooms, people and time together."""

    unserved: int
    """At least this many registered choosers are left without a place."""
    priority_served: int
    """At most this priority-weighted count of choosers have a place."""
    first_choices: int
    """At most this many priority-weighted first choices."""


def resource_bounds(inst: Instance, seats: Seats, first_seats: dict[str, int]
                    ) -> ResourceBounds | None:
    """The placement goals' bounds with rooms, people and vendors' sessions counted.

    One program (``_places_lp`` and ``_section_rows``) solved three times: most
    children with a place; most of them by priority weight; most first choices.
    None if the solver fails (the caller keeps the flows' bounds).
    """
    rows = _places_lp(inst, seats, first_seats)
    if rows is None:
        return None
    _section_rows(rows.lp, inst, rows)
    results = []
    # One program, three objectives: each solve starts from the basis the last one left.
    for objective in ([(1.0, var) for _, var in rows.served], rows.served, rows.firsts):
        rows.lp.Maximize(_weighted(rows.lp, objective))
        value = _solved(rows.lp)
        if value is None:
            return None
        results.append(value)
    served, weighted, firsts = results
    return ResourceBounds(unserved=inst.unreachable + len(inst.applicants) - served,
                          priority_served=weighted, first_choices=firsts)


def choice_points_lp_bound(inst: Instance, seats: Seats, first_seats: dict[str, int],
                           held: Held) -> int | None:
    """At least the most ``choice_points`` a schedule can earn that keeps ``held``: the
    flow of ``bounds.choice_points_flow_bound`` as a linear program, with what the
    levels before fixed, and each activity's first choices within ``first_seats``.

    The flow alone may give first choices to children who do not come on the days
    those sections can meet, and spend the seats they would need on others' lower
    ranks; with the first choices held near their own bound, the per-activity first
    choice seats make it place them where they fit (on the 3,000-student sample,
    60,478 → 60,070). None if the solver fails (the caller keeps its other bounds).
    """
    rows = _places_lp(inst, seats, first_seats)
    if rows is None:
        return None
    lp, served, firsts = rows.lp, rows.served, rows.firsts
    choosers = len(inst.applicants) + inst.unreachable
    if held.unserved is not None:
        lp.Add(lp.Sum([var for _, var in served]) >= choosers - held.unserved)
    if held.priority_served is not None:
        lp.Add(_weighted(lp, served) >= held.priority_served)
    if held.first_choices is not None:
        lp.Add(_weighted(lp, firsts) >= held.first_choices)
    lp.Maximize(_weighted(lp, rows.points))
    return _solved(lp)


@dataclass(frozen=True)
class Planned:
    """Sections of one activity's band that the program opens in one meeting pattern."""

    section: CandidateSection
    """The first candidate of the activity's band (what every copy shares)."""
    pattern: Pattern
    count: float
    """How many: a fraction where the program splits a section between patterns."""


def section_plan(inst: Instance, study: bool = True) -> list[Planned] | None:
    """Where the program of :func:`resource_bounds` opens sections when it seats the most
    children: a timetable in outline, with rooms, people and time counted together, that
    the greedy can follow (optimizer/search/cover.py). Without ``study``, the program
    leaves study's rooms and supervisors out, as the greedy's own reserve for study
    counts them another way; which outline the greedy follows better differs from
    school to school. About a second on 3,000 students; None if the solver fails."""
    rows = _places_lp(inst, Seats.uncounted(inst), None)
    if rows is None:
        return None
    opened = _section_rows(rows.lp, inst, rows, study)
    rows.lp.Maximize(rows.lp.Sum([var for _, var in rows.served]))
    if _solved(rows.lp) is None:
        return None
    return [Planned(o.section, o.pattern, o.var.solution_value())
            for options in opened.values() for o in options if o.var.solution_value() > 1e-6]


def whole_sections_program(inst: Instance) -> pywraplp.Solver | None:
    """The program of :func:`resource_bounds`, most children served, with its sections and
    the seats in them in whole numbers (optimizer/search/whole_sections.py); None if SCIP
    is not in this build. Study's sections stay fractions: whole, SCIP could not bound the
    three-bands shape at 3,000 students within 20 s; fractional, 650 within 12 s."""
    rows = _places_lp(inst, Seats.uncounted(inst), None, "SCIP")
    if rows is None:
        return None
    first = rows.lp.NumVariables()
    _section_rows(rows.lp, inst, rows)
    for var in rows.lp.variables()[first:]:
        var.SetInteger(var.index() not in rows.fractional)
    rows.lp.Maximize(rows.lp.Sum([var for _, var in rows.served]))
    return rows.lp


@dataclass
class _PlacesLP:
    """The children's places as a linear program, within the seats the flows count and
    each activity's first-choice seats: the rows every placement LP shares."""

    lp: pywraplp.Solver
    points: list[tuple[float, pywraplp.Variable]] = field(default_factory=list)
    """(priority weight × rank points, place) of every place a child may take."""
    firsts: list[tuple[float, pywraplp.Variable]] = field(default_factory=list)
    served: list[tuple[float, pywraplp.Variable]] = field(default_factory=list)
    """(priority weight, has a place) per child."""
    into: dict[object, list[pywraplp.Variable]] = field(
        default_factory=lambda: defaultdict(list))
    """The places into each (activity, band), activity and (activity, band, level)."""
    place: dict[tuple[int, Key], pywraplp.Variable] = field(default_factory=dict)
    """(child, (activity, band)) → the child's place there."""
    fractional: set[int] = field(default_factory=set)
    """Indices of the variables the whole-sections program leaves fractional: study's
    sections (:func:`whole_sections_program`)."""


def _places_lp(inst: Instance, seats: Seats, first_seats: dict[str, int] | None,
               solver: str = "GLOP") -> _PlacesLP | None:
    lp = pywraplp.Solver.CreateSolver(solver)
    if lp is None:
        return None
    rows = _PlacesLP(lp)
    first_into: dict[str, list[tuple[float, pywraplp.Variable]]] = defaultdict(list)
    for i, ranks in seats.rank_of.items():
        weight, level = priority_weight(inst, i), inst.priority_level.get(i, 0)
        places = []
        for key, rank in ranks.items():
            place = lp.NumVar(0, 1, "")
            places.append(place)
            rows.place[i, key] = place
            rows.into[key].append(place)
            rows.into[key[0]].append(place)
            for above in range(1, level + 1):
                rows.into[(*key, above)].append(place)
            rows.points.append((weight * rank_points(rank), place))
            if rank == 1:
                rows.firsts.append((weight, place))
                first_into[key[0]].append((weight, place))
        lp.Add(lp.Sum(places) <= min(inst.students[i].wants, len(ranks)))
        has_place = lp.NumVar(0, 1, "")
        lp.Add(has_place <= lp.Sum(places))
        rows.served.append((weight, has_place))
    for seat_group, cap in [*seats.per_band.items(), *seats.per_activity.items(),
                            *seats.per_level.items()]:
        lp.Add(lp.Sum(rows.into[seat_group]) <= cap)
    if first_seats is not None:
        for activity_id, terms in first_into.items():
            lp.Add(_weighted(lp, terms) <= first_seats.get(activity_id, 0))
    return rows


def _solved(lp: pywraplp.Solver) -> int | None:
    """The optimum of an LP whose objective is integral at any schedule, rounded down
    above the LP's own tolerance; None if the solver fails."""
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = lp.Objective().Value()
    return math.floor(value + 1e-6 * max(1.0, abs(value)))


@dataclass(frozen=True)
class _Opened:
    """An (activity, band)'s sections in one meeting pattern, as a program variable."""

    section: CandidateSection
    """The first candidate of the (activity, band): what every copy shares."""
    pattern: Pattern
    var: pywraplp.Variable


@dataclass(frozen=True)
class _Use:
    """Sections (of an activity in a pattern, or of study at one period) as the rooms
    and people they take: ``var`` of them, each a room of the ``activity``'s type (one of
    ``room_classes``) and its staff_per_section people at every one of the ``moments``
    (day, start time), for ``hours[day]`` class hours on each day they meet."""

    activity: Activity
    room_classes: tuple[int, ...]
    moments: tuple[tuple[int, int], ...]
    hours: dict[int, int]
    var: pywraplp.Variable


def _section_rows(lp: pywraplp.Solver, inst: Instance, rows: _PlacesLP, study: bool = True
                  ) -> dict[Key, list[_Opened]]:
    """Sections, in meeting patterns, for the places ``rows`` has, and what they need.

    Each (activity, band) opens at most its candidates' count of sections, each in a
    pattern of days and first period with a room and people free (``bounds.patterns``),
    and seats at most max_size children who stay on every day and period of it; an
    activity opens at most max_sections. With ``study``, every registered child who
    stays at a period and is not seated in a section then is in study, whose sections
    seat at most what their largest room holds (``_study_rows``). At each moment of each day, the
    sections meeting then need a room of their type each and their staff_per_section
    people from those with the skill (an interval graph: counting at every start time
    is exact). Over the week, as before: rooms hold at most as many meetings a day as
    there are disjoint class hours, people give at most max_periods_week (and
    max_periods_day a day), vendors max_sessions_week.
    """
    opened: dict[Key, list[_Opened]] = {}
    seated_at: dict[tuple[int, int, int], list[pywraplp.Variable]] = defaultdict(list)
    for sections in sections_by(inst, lambda s: (s.activity.id, s.band.idx)).values():
        key, first = (sections[0].activity.id, sections[0].band.idx), sections[0]
        opened[key] = [_Opened(first, pattern, lp.NumVar(0, len(sections), ""))
                       for pattern in patterns(inst, first)]
        lp.Add(lp.Sum([o.var for o in opened[key]]) <= len(sections))
        seated = _seat_rows(lp, inst, rows, key, opened[key])
        for p, seats in seated.items():
            for day, period in opened[key][p].pattern.slots:
                seated_at[first.band.idx, day, period].extend(seats)
    by_activity: dict[str, list[_Opened]] = defaultdict(list)
    for key, options in opened.items():
        by_activity[key[0]].extend(options)
    for options in by_activity.values():
        limit = options[0].section.activity.max_sections if options else None
        if limit is not None:
            lp.Add(lp.Sum([o.var for o in options]) <= limit)
    uses = [_Use(o.section.activity, o.section.room_classes, tuple(_meets_at(inst, o)),
                 dict.fromkeys(o.pattern.days, o.section.activity.periods), o.var)
            for options in opened.values() for o in options]
    if study:
        supervised = _study_rows(lp, inst, seated_at)
        rows.fractional.update(use.var.index() for use in supervised)
        uses += supervised
    _room_rows(lp, inst, uses)
    _people_rows(lp, inst, uses)
    return opened


def _seat_rows(lp: pywraplp.Solver, inst: Instance, rows: _PlacesLP, key: Key,
               options: list[_Opened]) -> dict[int, list[pywraplp.Variable]]:
    """Children of one (activity, band) sit only in sections meeting when they stay:
    the seats taken in each of the ``options``.

    Children who fit the same patterns are interchangeable here, so their places are
    summed and seated together: far fewer rows than one per child."""
    kinds: dict[tuple[int, ...], list[pywraplp.Variable]] = defaultdict(list)
    for (i, place_key), place in rows.place.items():
        if place_key != key:
            continue
        student = inst.students[i]
        fits = tuple(p for p, o in enumerate(options) if student.stays_for_all(o.pattern.slots))
        kinds[fits].append(place)
    seated: dict[int, list[pywraplp.Variable]] = defaultdict(list)
    for fits, places in kinds.items():
        seats = [lp.NumVar(0, len(places), "") for _ in fits]
        lp.Add(lp.Sum(places) <= lp.Sum(seats))  # an empty ``fits`` seats nobody
        for p, seat in zip(fits, seats, strict=True):
            seated[p].append(seat)
    for p, seats in seated.items():
        lp.Add(lp.Sum(seats) <= options[p].section.max_size * options[p].var)
    return seated


def _study_rows(lp: pywraplp.Solver, inst: Instance,
                seated_at: dict[tuple[int, int, int], list[pywraplp.Variable]]
                ) -> list[_Use]:
    """Study's sections at each period of each band: with the seats taken in activities
    then, they seat every registered child who stays (hard rule 6: every child is
    somewhere). A child the program seats in two activities at once is counted twice,
    so the study it needs is, if anything, too little: the bound stays valid. Study
    takes rooms and supervisors as activities do, which counting activities alone had
    left to them (on the grid's few-activities shape, staff who supervise study)."""
    ratio = inst.school.info.study_ratio
    by_period: dict[tuple[int, int, int], list[StudyPool]] = defaultdict(list)
    for pool in inst.study_pools:
        by_period[pool.band.idx, pool.day, pool.period].append(pool)
    uses = []
    for (band, day, period), pools in by_period.items():
        held = []
        for pool in pools:
            seats = max((pool.seat_cap(inst.room_classes[c], ratio) for c in pool.room_classes),
                        default=0)
            if seats <= 0:
                continue
            var = lp.NumVar(0, -(-pool.demand // seats), "")
            held.append(seats * var)
            moments = tuple((day, point) for point in inst.time_points.get(day, ())
                            if pool.start <= point < pool.end)
            uses.append(_Use(pool.activity, pool.room_classes, moments, {day: 1}, var))
        lp.Add(lp.Sum(held) + lp.Sum(seated_at.get((band, day, period), []))
               >= pools[0].demand)
    return uses


def _meets_at(inst: Instance, o: _Opened) -> Iterable[tuple[int, int]]:
    """The (day, start time) moments of the week at which ``o``'s sections meet."""
    activity = o.section.activity
    for day in o.pattern.days:
        span = o.section.band.meeting_time(day, o.pattern.first_period, activity.periods)
        if span is not None:
            for point in inst.time_points.get(day, ()):
                if span[0] <= point < span[1]:
                    yield day, point


def _room_rows(lp: pywraplp.Solver, inst: Instance, uses: list[_Use]) -> None:
    at: dict[tuple[str, int, int], list[pywraplp.Variable]] = defaultdict(list)
    week: dict[str, list[tuple[float, pywraplp.Variable]]] = defaultdict(list)
    classes: dict[str, set[int]] = defaultdict(set)
    for use in uses:
        room_type = use.activity.room_type
        classes[room_type].update(use.room_classes)
        week[room_type].append((sum(use.hours.values()), use.var))
        for day, point in use.moments:
            at[room_type, day, point].append(use.var)
    count = {room_type: sum(inst.room_classes[c].size for c in cs)
             for room_type, cs in classes.items()}
    for (room_type, _, _), vars_ in at.items():
        lp.Add(lp.Sum(vars_) <= count[room_type])
    per_room = sum(inst.disjoint_hours(day) for day in inst.time_points)
    for room_type, terms in week.items():
        lp.Add(_weighted(lp, terms) <= count[room_type] * per_room)


def _people_rows(lp: pywraplp.Solver, inst: Instance, uses: list[_Use]) -> None:
    """People with the skill, at each moment and over the week and each day; and
    vendors' sessions.

    An activity's sections draw on its pool of people, so the activities whose pools
    lie within one pool together need no more people than that pool has. Over a day and
    the week the class hours are a flow from kinds of people to activities: where pools
    overlap (a teacher of football who also coaches athletics) counting each pool on
    its own would give the shared people's hours twice, and a plan the people cannot
    staff (on the two-each shape at 3,000 students, 83 sections where no staffing
    opens more than 81)."""
    pool_of: dict[str, frozenset[int]] = defaultdict(frozenset)
    for section in inst.sections:
        pool_of[section.activity.id] |= frozenset(section.staff)
    for study in inst.study_pools:
        pool_of[study.activity.id] |= frozenset(study.staff)
    pools = set(pool_of.values())
    at: dict[tuple[frozenset[int], int, int], list[tuple[float, pywraplp.Variable]]] = \
        defaultdict(list)
    hours: dict[tuple[str, int | None], list[tuple[float, pywraplp.Variable]]] = \
        defaultdict(list)
    vendors: dict[str, list[tuple[float, pywraplp.Variable]]] = defaultdict(list)
    for use in uses:
        activity = use.activity
        needed = float(activity.staff_per_section)
        hours[activity.id, None].append((needed * sum(use.hours.values()), use.var))
        for day, count in use.hours.items():
            hours[activity.id, day].append((needed * count, use.var))
        for pool in pools:
            if pool_of[activity.id] <= pool:
                for day, point in use.moments:
                    at[pool, day, point].append((needed, use.var))
        if activity.provider is not None:
            vendors[activity.provider].append((len(use.hours), use.var))
    for (pool, _, _), terms in at.items():
        lp.Add(_weighted(lp, terms) <= len(pool))
    _hours_flow(lp, inst, pool_of, hours)
    for vendor_id, terms in vendors.items():
        limit = inst.school.vendor_by_id[vendor_id].max_sessions_week
        if limit is not None:
            lp.Add(_weighted(lp, terms) <= limit)


def _hours_flow(lp: pywraplp.Solver, inst: Instance, pool_of: dict[str, frozenset[int]],
                hours: dict[tuple[str, int | None], list[tuple[float, pywraplp.Variable]]]
                ) -> None:
    """Each activity's class hours of people, for the week (day None) and each day,
    come from the people who may staff it, within what each gives: max_periods_week,
    and max_periods_day on a day. People who may staff the same activities and give
    the same hours are one kind, so the flow is small (kinds × activities)."""
    kinds: dict[tuple[frozenset[str], int, int], int] = defaultdict(int)
    for t, person in enumerate(inst.staff):
        serves = frozenset(a for a, pool in pool_of.items() if t in pool)
        if serves:
            kinds[serves, person.max_periods_week, person.max_periods_day] += 1
    days = sorted({day for _, day in hours if day is not None})
    for day in (None, *days):
        given: dict[str, list[pywraplp.Variable]] = defaultdict(list)
        for (serves, week, per_day), count in kinds.items():
            most = count * (week if day is None else min(per_day, week))
            share = [lp.NumVar(0, most, "") for _ in serves]
            lp.Add(lp.Sum(share) <= most)
            for activity_id, var in zip(sorted(serves), share, strict=True):
                given[activity_id].append(var)
        for activity_id in pool_of:
            terms = hours.get((activity_id, day))
            if terms:
                lp.Add(_weighted(lp, terms) <= lp.Sum(given[activity_id]))


def _weighted(lp: pywraplp.Solver, terms: list[tuple[float, pywraplp.Variable]]
              ) -> pywraplp.LinearExpr:
    return lp.Sum([coefficient * var for coefficient, var in terms])
