"""Fast capacity pre-checks: reasons a school cannot be scheduled, found before any search.

Each check is a necessary condition stated in the school's words, e.g. "Wed
16:50–17:30: 420 registered grade 1-6 students but the free study rooms (9)
hold 360". Children who could be in an activity at that time are not counted
against study: only those no section could possibly take.
"""

from __future__ import annotations

from collections import defaultdict

from models.messages import Said, msg
from models.school import VENDOR_INSTRUCTOR, School
from models.time import DAYS, format_grades, format_time
from optimizer.model.instance import Instance, StudyPool, build_instance


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
    problems: list[Said] = []
    ratio = inst.school.info.study_ratio
    pools_at: dict[tuple[int, int, int], list[StudyPool]] = defaultdict(list)
    for pool in inst.study_pools:
        pools_at[pool.band.idx, pool.day, pool.period].append(pool)
    weekly_need = 0
    for band in inst.bands:
        for (day, period), (start, end) in sorted(band.times.items()):
            staying = len(inst.staying(band, day, period))
            must_study = staying - _activity_seats(inst, band.idx, day, period)
            if must_study <= 0:
                continue
            where = msg("diagnose.where", day=DAYS[day], start=format_time(start),
                        end=format_time(end), staying=staying,
                        grades=format_grades(band.grades))
            pools = pools_at.get((band.idx, day, period), [])
            if not pools:
                problems.append(Said(msg("diagnose.no_study", where=where)))
                continue
            seats, rooms, sections_needed = _study_capacity(inst, pools, day, period, ratio,
                                                            must_study)
            if seats < must_study:
                problems.append(Said(msg("diagnose.study_seats", where=where,
                                         must_study=must_study, rooms=rooms, seats=seats)))
                continue
            supervisors = len({
                t for pool in pools for t in pool.staff
                if (day, period) not in inst.staff[t].unavailable
                and inst.staff[t].max_periods_week > 0 and inst.staff[t].max_periods_day > 0
            })
            if supervisors < sections_needed:
                problems.append(Said(msg("diagnose.supervisors", where=where,
                                         needed=sections_needed, supervisors=supervisors)))
            weekly_need += sections_needed
    weekly_supply = sum(min(p.max_periods_week, 2 * len(DAYS)) for p in inst.staff
                        if p.role != VENDOR_INSTRUCTOR)
    if weekly_need > weekly_supply:
        problems.append(Said(msg("diagnose.weekly_hours", need=weekly_need,
                                 supply=weekly_supply)))
    return list(problems)


def _activity_seats(inst: Instance, band_idx: int, day: int, period: int) -> int:
    """Most children of a band that sections could hold at a day and period."""
    return sum(section.max_size for section in inst.sections
               if section.band.idx == band_idx
               and any(o.day == day and (day, period) in o.slots for o in section.options))


def _study_capacity(inst: Instance, pools: list[StudyPool], day: int, period: int,
                    ratio: int, students: int) -> tuple[int, int, int]:
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
            per = pool.seat_cap(room_class, ratio)
            sections += [(per, pool.activity.staff_per_section)] * room_class.size
    seats = sum(per for per, _ in sections)
    needed, left = 0, students
    for per, staff in sorted(sections, key=lambda x: -x[0] / x[1]):
        if left <= 0:
            break
        left -= per
        needed += staff
    return seats, rooms, needed
