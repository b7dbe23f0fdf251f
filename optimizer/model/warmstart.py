"""A schedule (the greedy one) as a CP-SAT hint, so the search starts from a good place."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence

from ortools.sat.python import cp_model

from models.schedule import Schedule, Section
from optimizer.model.instance import Instance
from optimizer.model.variables import Variables


def hint_schedule(model: cp_model.CpModel, inst: Instance, v: Variables,
                  schedule: Schedule) -> int:
    """Hint every decision variable from ``schedule``; return how many sections matched.

    Each variable is hinted exactly once (a second hint makes the model invalid).
    """
    values: dict[int, int] = {}  # proto index → value; one entry per variable

    def put(var: cp_model.IntVar, value: int) -> None:
        values[var.index] = value

    section_idx = _candidates(inst, schedule)
    student_idx = {student.id: i for i, student in enumerate(inst.students)}
    staff_idx = {person.id: t for t, person in enumerate(inst.staff)}
    class_of_room = {room: c.idx for c in inst.room_classes for room in c.room_ids}
    for var in (*v.open.values(), *v.first_period.values(), *v.meets.values(),
                *v.room.values(), *v.staff.values(), *v.place.values(), *v.served.values(),
                *v.study_staff.values()):
        put(var, 0)
    for var in (*v.size.values(), *v.present.values(), *v.study_students.values(),
                *v.study_sections.values()):
        put(var, 0)
    matched = 0
    pool_of = {(p.activity.id, p.band.idx, p.day, p.period): p.idx for p in inst.study_pools}
    study_students: Counter[int] = Counter()
    study_sections: Counter[tuple[int, int]] = Counter()
    for section in schedule.sections:
        s = section_idx.get(section.id)
        if s is None:
            _hint_study(section, inst, v, pool_of, student_idx, staff_idx, class_of_room,
                        study_students, study_sections, put)
            continue
        matched += 1
        candidate = inst.sections[s]
        put(v.open[s], 1)
        put(v.size[s], section.size)
        # What the model has no variable for (a meeting at a time the section cannot
        # take, a room of another type, a person who may not serve, a child who did not
        # choose it) stays 0: the rule that needs it then rejects the schedule.
        for meeting in section.meetings:
            o = next((o for o, opt in enumerate(candidate.options)
                      if opt.day == meeting.day and opt.first_period == meeting.periods[0]),
                     None)
            if o is None:
                continue
            put(v.meets[s, o], 1)
            if (s, meeting.periods[0]) in v.first_period:
                put(v.first_period[s, meeting.periods[0]], 1)
            put(v.present[s, o], section.size)
            c = class_of_room.get(meeting.room_id)
            if c is not None and (s, o, c) in v.room:
                put(v.room[s, o, c], 1)
            for staff_id in meeting.staff_ids:
                t = staff_idx.get(staff_id)
                if t is not None and (s, o, t) in v.staff:
                    put(v.staff[s, o, t], 1)
        for student_id in section.student_ids:
            i = student_idx.get(student_id)
            if i is not None and (i, s) in v.place:
                put(v.place[i, s], 1)
                put(v.served[i], 1)
    for k, count in study_students.items():
        put(v.study_students[k], count)
    for key, count in study_sections.items():
        if key in v.study_sections:
            put(v.study_sections[key], count)
    hint_values(model, values)
    return matched


def rules_rejecting(inst: Instance, schedule: Schedule, rules: Sequence[str],
                    seconds: float = 5.0) -> list[str]:
    """The hard rules whose constraints alone reject ``schedule`` as a fixed assignment.

    Each rule gets a model of its own with only that rule and the schedule's values
    fixed; a rule whose model is then infeasible is stricter than the contract (the
    checker accepted the schedule) or the schedule does not map onto the model's
    variables. Empty when each rule alone accepts it.
    """
    from optimizer.model.rules import HARD_RULES
    from optimizer.model.variables import create_variables

    # A chosen activity's section with no candidate section to stand for it would be
    # hinted as study: it is more sections than the model opens (rule 2).
    mapped = _candidates(inst, schedule)
    study = {a.id for a in inst.school.study_activities}
    rejecting = ["sections"] if any(
        section.id not in mapped and section.activity_id not in study
        for section in schedule.sections) else []
    for name in rules:
        if name in rejecting:
            continue
        model = cp_model.CpModel()
        v = create_variables(model, inst)
        HARD_RULES[name](model, inst, v)
        hint_schedule(model, inst, v, schedule)
        solver = cp_model.CpSolver()
        solver.parameters.fix_variables_to_their_hinted_value = True
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = seconds
        if solver.solve(model) == cp_model.INFEASIBLE:
            rejecting.append(name)
    return rejecting


def hint_values(model: cp_model.CpModel, values: Sequence[int] | Mapping[int, int]) -> None:
    """Hint variables by proto index, replacing earlier hints: every variable, the i-th
    with ``values[i]``, or those a mapping names.

    Written into the proto at once: one ``add_hint`` per variable takes a second on
    5,000 students, and the pieces of the neighbourhood search hint again each time.
    """
    model.clear_hints()
    hint = model.proto.solution_hint
    if isinstance(values, Mapping):
        hint.vars.extend(list(values))
        hint.values.extend(list(values.values()))
    else:
        hint.vars.extend(range(len(values)))
        hint.values.extend(values)


def _candidates(inst: Instance, schedule: Schedule) -> dict[str, int]:
    """Chosen activities' section id → the candidate section standing for it.

    A section is matched by what it is, not by its id, so a schedule made by hand maps
    as well as one of ours: its activity, and the grade band of its students (of its
    meeting times, for a section without students). The model opens the copies of
    one activity in one band in order, the larger first (symmetry breaking), so
    sections are given copies by size.
    """
    copies: dict[tuple[str, int], list[int]] = defaultdict(list)
    for section in inst.sections:
        copies[section.activity.id, section.band.idx].append(section.idx)
    study = {a.id for a in inst.school.study_activities}
    band_of = {student.id: inst.band_of_grade[student.grade] for student in inst.students}
    groups: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    for placed in schedule.sections:
        if placed.activity_id in study:
            continue
        band = next((band_of[i] for i in placed.student_ids if i in band_of), None)
        if band is None:
            band = _band_of_times(inst, placed)
        if band is not None:
            groups[placed.activity_id, band].append((-placed.size, placed.id))
    mapping: dict[str, int] = {}
    for key, members in groups.items():
        for (_, section_id), idx in zip(sorted(members), copies[key], strict=False):
            mapping[section_id] = idx
    return mapping


def _band_of_times(inst: Instance, section: Section) -> int | None:
    """The band whose period times a section's first meeting keeps, if one does."""
    if not section.meetings:
        return None
    meeting = section.meetings[0]
    for band in inst.bands:
        span = band.meeting_time(meeting.day, meeting.periods[0], len(meeting.periods))
        if span == (meeting.start, meeting.end):
            return band.idx
    return None


def _hint_study(section: Section, inst: Instance, v: Variables,
                pool_of: dict[tuple[str, int, int, int], int], student_idx: dict[str, int],
                staff_idx: dict[str, int], class_of_room: dict[str, int],
                study_students: Counter[int], study_sections: Counter[tuple[int, int]],
                put: Callable[[cp_model.IntVar, int], None]) -> None:
    """A study section counts towards its pool: students, sections per room class, staff."""
    if not section.meetings:
        return
    meeting = section.meetings[0]
    i = next((student_idx[s] for s in section.student_ids if s in student_idx), None)
    if i is None:
        return
    band = inst.band_of_grade[inst.students[i].grade]
    k = pool_of.get((section.activity_id, band, meeting.day, meeting.periods[0]))
    c = class_of_room.get(meeting.room_id)
    if k is None or c is None:
        return
    study_students[k] += section.size
    study_sections[k, c] += 1
    for staff_id in meeting.staff_ids:
        key = (k, staff_idx.get(staff_id, -1))
        if key in v.study_staff:
            put(v.study_staff[key], 1)

