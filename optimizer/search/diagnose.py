"""Fast capacity pre-checks: reasons a school cannot be scheduled, found before any search.

Each check is a necessary condition stated in the school's words, e.g. "Wed
16:50–17:30: 420 registered grade 1-6 students but the free study rooms (9)
hold 360". Children who could be in an activity at that time are not counted
against study: only those no section could possibly take.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator

from models.messages import Said, msg
from models.school import VENDOR_INSTRUCTOR, School, Staff
from models.time import DAYS, format_grades, format_time
from optimizer.model.instance import Band, Instance, StudyPool, build_instance


def proven_infeasible() -> list[str]:
    """The diagnosis when CP-SAT proves what the pre-checks below could not."""
    return [Said(msg("diagnose.proven_infeasible"))]


def capacity_problems(school: School | Instance) -> list[str]:
    """Why no schedule can exist, or an empty list when these checks pass.

    Each reason is English text that the command line can say again in Chinese
    (:class:`models.messages.Said`). Takes the prepared instance when the caller has
    one, so it is built once.
    """
    inst = school if isinstance(school, Instance) else build_instance(school)
    return [*moment_problems(inst), *weekly_problems(inst)]


def moment_problems(inst: Instance) -> list[str]:
    """What cannot hold at one day and period: study rooms or supervisors too few."""
    problems: list[str] = []
    for band, day, period, pools, must_study in _must_study(inst):
        start, end = band.times[day, period]
        where = msg("diagnose.where", day=DAYS[day], start=format_time(start),
                    end=format_time(end), staying=len(inst.staying(band, day, period)),
                    grades=format_grades(band.grades))
        if not pools:
            problems.append(Said(msg("diagnose.no_study", where=where)))
            continue
        seats, rooms, needed = _study_capacity(inst, pools, day, period, must_study)
        if seats < must_study:
            problems.append(Said(msg("diagnose.study_seats", where=where,
                                     must_study=must_study, rooms=rooms, seats=seats)))
            continue
        supervisors = len({
            t for pool in pools for t in pool.staff
            if (day, period) not in inst.staff[t].unavailable
            and inst.staff[t].max_periods_week > 0 and inst.staff[t].max_periods_day > 0
        })
        if supervisors < needed:
            problems.append(Said(msg("diagnose.supervisors", where=where,
                                     needed=needed, supervisors=supervisors)))
    return problems


def weekly_problems(inst: Instance) -> list[str]:
    """What cannot hold over the week: the staff's class hours, summed.

    A sum says the week is short, not whose limit to raise; the explanation asks the
    model for that (optimizer/explain/infeasible.py).
    """
    problems: list[str] = []
    need = sum(_study_capacity(inst, pools, day, period, must_study)[2]
               for _, day, period, pools, must_study in _must_study(inst) if pools)
    supply = sum(_can_give(inst, p) for p in inst.staff if p.role != VENDOR_INSTRUCTOR)
    if need > supply:
        problems.append(Said(msg("diagnose.weekly_hours", need=need, supply=supply)))
    return problems + _people_hours(inst)


def _must_study(inst: Instance) -> Iterator[tuple[Band, int, int, list[StudyPool], int]]:
    """Each band, day and period where more children stay than every section then could
    hold: its study pools, and how many must be in study."""
    pools_at: dict[tuple[int, int, int], list[StudyPool]] = defaultdict(list)
    for pool in inst.study_pools:
        pools_at[pool.band.idx, pool.day, pool.period].append(pool)
    for band in inst.bands:
        for day, period in sorted(band.times):
            staying = len(inst.staying(band, day, period))
            must_study = staying - _activity_seats(inst, band.idx, day, period)
            if must_study > 0:
                yield band, day, period, pools_at.get((band.idx, day, period), []), must_study


def _can_give(inst: Instance, person: Staff) -> int:
    """The most class hours a person can give in a week: their weekly limit, their
    daily limit on each school day, and no two class hours at once."""
    days = sum(min(person.max_periods_day, inst.disjoint_hours(day))
               for day in inst.time_points)
    return min(person.max_periods_week, days)


def _people_hours(inst: Instance) -> list[Said]:
    """Every registered child is with someone at every class hour they stay, and one
    person's class hour holds at most the largest group then (a full section or study
    group, shared by its staff): the week needs at least that many staff class hours."""
    ratio = inst.school.info.study_ratio
    most: dict[tuple[int, int, int], float] = defaultdict(float)
    for section in inst.sections:
        per_person = section.max_size / section.activity.staff_per_section
        for option in section.options:
            for day, period in option.slots:
                key = (section.band.idx, day, period)
                most[key] = max(most[key], per_person)
    for pool in inst.study_pools:
        key = (pool.band.idx, pool.day, pool.period)
        for c in pool.room_classes:
            seats = pool.seat_cap(inst.room_classes[c], ratio)
            most[key] = max(most[key], seats / pool.activity.staff_per_section)
    need = sum(math.ceil(len(inst.staying(band, day, period)) / most[band.idx, day, period])
               for band in inst.bands for day, period in band.times
               if most[band.idx, day, period] > 0)
    supply = sum(_can_give(inst, p) for p in inst.staff)
    if need <= supply:
        return []
    return [Said(msg("diagnose.people_hours", need=need, supply=supply))]


def _activity_seats(inst: Instance, band_idx: int, day: int, period: int) -> int:
    """Most children of a band that sections could hold at a day and period."""
    return sum(section.max_size for section in inst.sections
               if section.band.idx == band_idx
               and any(o.day == day and (day, period) in o.slots for o in section.options))


def _study_capacity(inst: Instance, pools: list[StudyPool], day: int, period: int,
                    students: int) -> tuple[int, int, int]:
    """(seats, rooms, supervisors needed at least) for ``students`` in study then.

    Supervisors: the biggest sections need the fewest people, so filling the
    largest seats first gives a lower bound on how many must supervise.
    """
    sections: list[tuple[int, int]] = []  # (seats per section, staff per section)
    rooms = 0
    for pool in pools:
        for c in pool.room_classes:
            room_class = inst.room_classes[c]
            if (day, period) in room_class.unavailable:
                continue
            rooms += room_class.size
            per = pool.seat_cap(room_class, inst.school.info.study_ratio)
            sections += [(per, pool.activity.staff_per_section)] * room_class.size
    seats = sum(per for per, _ in sections)
    needed, left = 0, students
    for per, staff in sorted(sections, key=lambda x: -x[0] / x[1]):
        if left <= 0:
            break
        left -= per
        needed += staff
    return seats, rooms, needed
