"""The contract's hard rules 1–7, one function each.

Each opens with the rule as a head teacher would say it. Much of every rule is
already kept by which variables exist (see instance.py and variables.py); the
functions add what filtering cannot.

A constraint that holds one number a coordinator can change (a staff member's
daily limit, a room count, the budget…) is named ``kind:index…``; the names cost
nothing in the search and let optimizer/explain/ guard each fact with a literal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ortools.sat.python import cp_model

from optimizer.model.instance import Instance
from optimizer.model.variables import Variables


def _by_day_point(inst: Instance, day: int, start: int, end: int) -> Iterator[int]:
    """The time points of a day that an interval [start, end) covers."""
    return (p for p in inst.time_points.get(day, ()) if start <= p < end)


def rule_time(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """Every meeting lies in its band's period(s) on one day and ends by latest_end.

    Options are built from the band's own period times and never end after
    latest_end, so here we only forbid two options of one section on one day.
    """
    for section in inst.sections:
        by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for o, option in enumerate(section.options):
            by_day[option.day].append(v.meets[section.idx, o])
        for meetings in by_day.values():
            if len(meetings) > 1:
                model.add_at_most_one(meetings)


def rule_sections(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """An activity opens at most max_sections sections; each holds min…max students and
    meets sessions_per_week times on different days, always in the same period(s)."""
    by_activity: dict[str, list[int]] = defaultdict(list)
    for section in inst.sections:
        s = section.idx
        by_activity[section.activity.id].append(s)
        firsts = sorted({o.first_period for o in section.options})
        model.add(sum(v.first_period[s, f] for f in firsts) == v.open[s])
        for first in firsts:
            chosen = v.first_period[s, first]
            meetings = [v.meets[s, o] for o, opt in enumerate(section.options)
                        if opt.first_period == first]
            model.add(sum(meetings) == section.activity.sessions_per_week * chosen)
        model.add(v.size[s] <= section.max_size * v.open[s])
        model.add(v.size[s] >= max(section.activity.min_size, 1) * v.open[s]).with_name(
            f"section_min:{s}")
    for activity_id, sections in by_activity.items():
        limit = inst.school.activity_by_id[activity_id].max_sections
        if limit is not None and len(sections) > limit:
            model.add(sum(v.open[s] for s in sections) <= limit).with_name(
                f"max_sections:{activity_id}")
    study_sections: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (k, _), var in v.study_sections.items():
        study_sections[inst.study_pools[k].activity.id].append(var)
    for activity_id, counts in study_sections.items():
        limit = inst.school.activity_by_id[activity_id].max_sections
        if limit is not None:
            model.add(sum(counts) <= limit).with_name(f"max_sections:{activity_id}")
    _break_symmetry(model, inst, v)


def _break_symmetry(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """Copies of one activity in one band are interchangeable: open them in order,
    the larger first — unless a re-solve's previous schedule tells them apart (each
    stands for a section with its own children, who may shrink it below the next)."""
    standing = inst.previous.standing if inst.previous is not None else {}
    previous = None
    for section in inst.sections:
        if previous is not None and (previous.activity.id, previous.band.idx) == (
                section.activity.id, section.band.idx) and not (
                previous.idx in standing or section.idx in standing):
            model.add(v.open[previous.idx] >= v.open[section.idx])
            model.add(v.size[previous.idx] >= v.size[section.idx])
        previous = section


def rule_rooms(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """A meeting has one room of the activity's type, big enough, available, and a room
    never holds two meetings whose times overlap."""
    usage: dict[tuple[int, int, int], list[cp_model.LinearExprT]] = defaultdict(list)
    for section in inst.sections:
        s = section.idx
        for o, option in enumerate(section.options):
            rooms = v.rooms_of_meeting.get((s, o), [])
            model.add(sum(var for _, var in rooms) == v.meets[s, o])
            for c, var in rooms:
                capacity = inst.room_classes[c].capacity
                if capacity < section.max_size:
                    model.add(v.size[s] <= capacity).only_enforce_if(var)
                for point in _by_day_point(inst, option.day, option.start, option.end):
                    usage[c, option.day, point].append(var)
    for pool in inst.study_pools:
        for c, var in v.study_sections_of.get(pool.idx, []):
            for point in _by_day_point(inst, pool.day, pool.start, pool.end):
                usage[c, pool.day, point].append(var)
    for (c, day, point), terms in usage.items():
        model.add(sum(terms) <= inst.room_classes[c].size).with_name(
            f"room_count:{c}:{day}:{point}")


def rule_staff(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """Exactly staff_per_section qualified, available, allowed people per meeting; nobody
    in two overlapping meetings or over their daily and weekly class hours; a vendor
    within its weekly sessions."""
    busy: dict[tuple[int, int, int], list[cp_model.IntVar]] = defaultdict(list)
    daily: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    """(person, day) → (class hours, literal) of each meeting they might staff."""
    by_meeting: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (s, o, t), var in v.staff.items():
        option = inst.sections[s].options[o]
        by_meeting[s, o].append(var)
        daily[t, option.day].append((len(option.slots), var))
        for point in _by_day_point(inst, option.day, option.start, option.end):
            busy[t, option.day, point].append(var)
    for section in inst.sections:
        for o in range(len(section.options)):
            model.add(sum(by_meeting.get((section.idx, o), []))
                      == section.activity.staff_per_section * v.meets[section.idx, o])
    for (k, t), var in v.study_staff.items():
        pool = inst.study_pools[k]
        daily[t, pool.day].append((1, var))
        for point in _by_day_point(inst, pool.day, pool.start, pool.end):
            busy[t, pool.day, point].append(var)
    for terms in busy.values():
        if len(terms) > 1:
            model.add_at_most_one(terms)
    for (t, day), hours in daily.items():
        day_limit = inst.staff[t].max_periods_day
        # Weighted: a 2-period meeting counts twice, so compare hours, not meetings.
        if sum(h for h, _ in hours) > day_limit:
            model.add(sum(h * var for h, var in hours) <= day_limit).with_name(
                f"staff_day:{t}:{day}")
    for t, load in v.load.items():
        model.add(load <= inst.staff[t].max_periods_week).with_name(f"staff_week:{t}")
    vendor_meetings: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for (s, _), var in v.meets.items():
        provider = inst.sections[s].activity.provider
        if provider is not None:
            vendor_meetings[provider].append(var)
    for vendor_id, meetings in vendor_meetings.items():
        limit = inst.school.vendor_by_id[vendor_id].max_sessions_week
        if limit is not None and len(meetings) > limit:
            model.add(sum(meetings) <= limit).with_name(f"vendor_week:{vendor_id}")


def rule_students(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """Students join only sections of activities they chose, on days they are registered
    and periods they stay for; never two places at once, at most `wants` chosen sections,
    one section per activity, and per-head fees within the cap."""
    for section in inst.sections:
        s = section.idx
        members = v.places_of_section.get(s, [])
        model.add(v.size[s] == sum(v.place[i, s] for i, _ in members))
        for i, _ in members:
            # Per-student links tighten the relaxation far beyond the aggregate size bound.
            model.add_implication(v.place[i, s], v.open[s])
        for o in range(len(section.options)):
            present, meets = v.present[s, o], v.meets[s, o]
            model.add(present == v.size[s]).only_enforce_if(meets)
            model.add(present == 0).only_enforce_if(~meets)
    cap = inst.school.info.student_fee_cap
    for i, places in v.places_of_student.items():
        student = inst.students[i]
        chosen = [v.place[i, s] for s, _, _ in places]
        model.add(sum(chosen) <= student.wants)
        # served is exactly "has a place": never lazily 0, so fixing a level's value of
        # unserved cannot hide a placed child from the count.
        model.add(v.served[i] <= sum(chosen))
        for place in chosen:
            model.add_implication(place, v.served[i])
        by_activity: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for s, _, a in places:
            by_activity[a].append(v.place[i, s])
        for same in by_activity.values():
            if len(same) > 1:
                model.add_at_most_one(same)
        fees = [(inst.sections[s].activity.fee_per_student, v.place[i, s]) for s, _, _ in places]
        if sum(f for f, _ in fees) > cap and any(f for f, _ in fees):
            model.add(sum(f * var for f, var in fees) <= cap)
    _registered_days_only(model, inst, v)
    _no_double_booking(model, inst, v)


def _registered_days_only(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """A section meets only on days all its students are registered and in periods they
    stay for. Students with the same days and stay share one literal per section, so the
    day clauses are written per group, not per child."""
    for section in inst.sections:
        s = section.idx
        groups: dict[tuple[frozenset[int], int], list[cp_model.IntVar]] = defaultdict(list)
        for i, _ in v.places_of_section.get(s, []):
            student = inst.students[i]
            groups[student.days, student.stay].append(v.place[i, s])
        for (days, stay), places in groups.items():
            barred = [v.meets[s, o] for o, option in enumerate(section.options)
                      if not all(d in days and p <= stay for d, p in option.slots)]
            if not barred:
                continue
            if len(places) == 1:
                anyone = places[0]
            else:
                anyone = model.new_bool_var("")
                for place in places:
                    model.add_implication(place, anyone)
            for meets in barred:
                model.add_implication(anyone, ~meets)


def _no_double_booking(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """A student who wants several activities is never in two sections meeting at once.

    One ``clash`` literal per pair of sections (true when some meetings overlap) is
    shared by every child who might take both; each child then needs one clause per pair.
    """
    clash: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, places in v.places_of_student.items():
        if inst.students[i].wants < 2:
            continue
        for x, (s1, _, a1) in enumerate(places):
            for s2, _, a2 in places[x + 1:]:
                if a1 == a2:
                    continue  # one section per activity is already enforced
                key = (min(s1, s2), max(s1, s2))
                if key not in clash:
                    literal = _clash(model, inst, v, *key)
                    if literal is None:
                        continue
                    clash[key] = literal
                model.add_bool_or([~v.place[i, s1], ~v.place[i, s2], ~clash[key]])


def _clash(model: cp_model.CpModel, inst: Instance, v: Variables, s1: int, s2: int
           ) -> cp_model.IntVar | None:
    pairs = [
        (o1, o2)
        for o1, first in enumerate(inst.sections[s1].options)
        for o2, second in enumerate(inst.sections[s2].options)
        if set(first.slots) & set(second.slots)
    ]
    if not pairs:
        return None
    literal = model.new_bool_var("")
    for o1, o2 in pairs:
        # One-sided: clash is forced on by any overlapping pair of meetings.
        model.add_bool_or([~v.meets[s1, o1], ~v.meets[s2, o2], literal])
    return literal


def rule_study(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """Every registered child not in a chosen section is in supervised study, at most
    study_ratio per supervisor and no more than the room holds."""
    present_at: dict[tuple[int, int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (s, o), var in v.present.items():
        section = inst.sections[s]
        for day, period in section.options[o].slots:
            present_at[section.band.idx, day, period].append(var)
    pools_at: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for pool in inst.study_pools:
        pools_at[pool.band.idx, pool.day, pool.period].append(pool.idx)
    for band in inst.bands:
        for (day, period) in band.times:
            staying = len(inst.staying(band, day, period))
            if staying == 0:
                continue
            pools = pools_at.get((band.idx, day, period), [])
            model.add(sum(v.study_students[k] for k in pools)
                      + sum(present_at.get((band.idx, day, period), [])) == staying)
    ratio = inst.school.info.study_ratio
    for pool in inst.study_pools:
        k = pool.idx
        sections = v.study_sections_of.get(k, [])
        seats = sum(pool.seat_cap(inst.room_classes[c], ratio) * var for c, var in sections)
        model.add(v.study_students[k] <= seats).with_name(f"study_seats:{k}")
        opened = sum(var for _, var in sections)
        model.add(sum(v.study_staff_of.get(k, [])) == pool.activity.staff_per_section * opened)
        model.add(v.study_students[k] >= max(pool.activity.min_size, 1) * opened).with_name(
            f"study_min:{k}")


def rule_budget(model: cp_model.CpModel, inst: Instance, v: Variables) -> None:
    """The term's cost stays within enrolled × budget_per_student_year / terms_per_year."""
    model.add(term_cost(inst, v) <= inst.school.info.term_budget).with_name("budget")


def term_cost(inst: Instance, v: Variables) -> cp_model.LinearExprT:
    """Rule 7's cost in fen: weekly meeting costs × weeks + per-head fees."""
    weekly: list[cp_model.LinearExprT] = []
    for (s, _), var in v.meets.items():
        fee = inst.sections[s].activity.fee_per_session
        if fee:
            weekly.append(fee * var)
    for (_, _, c), var in v.room.items():
        fee = inst.room_classes[c].fee_per_use
        if fee:
            weekly.append(fee * var)
    for (s, o, t), var in v.staff.items():
        pay = inst.staff[t].pay_per_period * len(inst.sections[s].options[o].slots)
        if pay:
            weekly.append(pay * var)
    for (k, c), var in v.study_sections.items():
        # Each study section is one meeting: the study activity's session fee and the
        # room's fee both count.
        fee = inst.study_pools[k].activity.fee_per_session + inst.room_classes[c].fee_per_use
        if fee:
            weekly.append(fee * var)
    for (_, t), var in v.study_staff.items():
        pay = inst.staff[t].pay_per_period
        if pay:
            weekly.append(pay * var)
    per_head = [inst.sections[s].activity.fee_per_student * var
                for (_, s), var in v.place.items() if inst.sections[s].activity.fee_per_student]
    weeks = inst.school.info.weeks
    return weeks * sum(weekly, start=0) + sum(per_head, start=0)  # type: ignore[arg-type, operator]
