"""Fast capacity pre-checks: reasons a school cannot be scheduled, found before any search.

Each check is a necessary condition stated in the school's words, e.g. "Wed
16:50–17:30: 420 registered grade 1–6 students but the free classrooms hold 360".
"""

from __future__ import annotations

from collections import defaultdict

from models.school import School
from models.time import DAYS, format_grades, format_time


def capacity_problems(school: School) -> list[str]:
    """Why no schedule can exist, or an empty list when these checks pass."""
    from optimizer.instance import build_instance

    inst = build_instance(school)
    problems: list[str] = []
    ratio = school.info.study_ratio
    by_slot: dict[tuple[int, int], list] = defaultdict(list)
    for pool in inst.study_pools:
        by_slot[pool.day, pool.period].append(pool)
    for band in inst.bands:
        for (day, period), (start, end) in sorted(band.times.items()):
            staying = len(inst.staying(band, day, period))
            if not staying:
                continue
            where = (f"{DAYS[day]} {format_time(start)}–{format_time(end)}: {staying} "
                     f"registered grade {format_grades(band.grades)} students")
            pools = [p for p in by_slot[day, period] if p.band.idx == band.idx]
            if not pools:
                problems.append(f"{where} but no study activity may meet then")
                continue
            seats = 0
            rooms_free = 0
            for pool in pools[:1]:
                for c in pool.room_classes:
                    room_class = inst.room_classes[c]
                    if (day, period) in room_class.unavailable:
                        continue
                    rooms_free += room_class.size
                    seats += room_class.size * pool.seat_cap(room_class, ratio)
            if seats < staying:
                problems.append(f"{where} but the free study rooms ({rooms_free}) hold "
                                f"{seats}")
            supervisors = sum(
                1 for t in pools[0].staff
                if (day, period) not in inst.staff[t].unavailable
                and inst.staff[t].max_periods_week > 0 and inst.staff[t].max_periods_day > 0
            )
            per_section = min(ratio, max((inst.room_classes[c].capacity
                                          for c in pools[0].room_classes), default=0))
            needed = -(-staying // max(per_section, 1)) * pools[0].activity.staff_per_section
            if supervisors < needed:
                problems.append(f"{where}: at least {needed} study sections need supervisors "
                                f"but only {supervisors} staff may supervise then")
    # Rooms and supervisors are shared by all bands whose times overlap: check each
    # day's busiest clock moment too.
    weekly_need = 0
    for band in inst.bands:
        for (day, period) in band.times:
            weekly_need += -(-len(inst.staying(band, day, period)) // ratio)
    weekly_supply = sum(min(p.max_periods_week, 2 * len(DAYS)) for p in inst.staff
                        if p.role != "vendor_instructor")
    if weekly_need > weekly_supply:
        problems.append(f"supervised study needs about {weekly_need} staff class hours a week "
                        f"but school staff may give at most {weekly_supply}")
    return problems
