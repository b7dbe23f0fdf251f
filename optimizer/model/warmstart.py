"""A schedule (the greedy one) as a CP-SAT hint, so the search starts from a good place."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from models.schedule import Schedule, Section
from optimizer.model.instance import Instance
from optimizer.model.variables import Variables


def hint_schedule(model: cp_model.CpModel, inst: Instance, v: Variables,
                  schedule: Schedule) -> int:
    """Hint every decision variable from ``schedule``; return how many sections matched.

    Each variable is hinted exactly once (a second hint makes the model invalid).
    """
    hints = _Hints(inst, v)
    section_idx = standing_for(inst, schedule)
    matched = 0
    for section in schedule.sections:
        s = section_idx.get(section.id)
        if s is None:
            hints.study(section)
        else:
            hints.section(section, s)
            matched += 1
    hints.count_study()
    hint_values(model, hints.values)
    return matched


class _Hints:
    """The values of one schedule, variable by variable: every decision 0 until the
    schedule says otherwise."""

    def __init__(self, inst: Instance, v: Variables) -> None:
        self.inst, self.v = inst, v
        self.values: dict[int, int] = {}  # proto index → value; one entry per variable
        self.student_idx = {student.id: i for i, student in enumerate(inst.students)}
        self.staff_idx = {person.id: t for t, person in enumerate(inst.staff)}
        self.class_of_room = {room: c.idx for c in inst.room_classes for room in c.room_ids}
        self.pool_of = {(p.activity.id, p.band.idx, p.day, p.period): p.idx
                        for p in inst.study_pools}
        self.study_students: Counter[int] = Counter()
        self.study_sections: Counter[tuple[int, int]] = Counter()
        for var in (*v.open.values(), *v.first_period.values(), *v.meets.values(),
                    *v.room.values(), *v.staff.values(), *v.place.values(),
                    *v.served.values(), *v.study_staff.values(), *v.size.values(),
                    *v.present.values(), *v.study_students.values(),
                    *v.study_sections.values()):
            self.put(var, 0)

    def put(self, var: cp_model.IntVar, value: int) -> None:
        self.values[var.index] = value

    def section(self, section: Section, s: int) -> None:
        """An activity's section, as candidate section ``s``."""
        v, candidate = self.v, self.inst.sections[s]
        self.put(v.open[s], 1)
        self.put(v.size[s], section.size)
        # What the model has no variable for (a meeting at a time the section cannot
        # take, a room of another type, a person who may not serve, a child who did not
        # choose it) stays 0: the rule that needs it then rejects the schedule.
        for meeting in section.meetings:
            o = next((o for o, opt in enumerate(candidate.options)
                      if opt.day == meeting.day and opt.first_period == meeting.periods[0]),
                     None)
            if o is None:
                continue
            self.put(v.meets[s, o], 1)
            if (s, meeting.periods[0]) in v.first_period:
                self.put(v.first_period[s, meeting.periods[0]], 1)
            self.put(v.present[s, o], section.size)
            c = self.class_of_room.get(meeting.room_id)
            if c is not None and (s, o, c) in v.room:
                self.put(v.room[s, o, c], 1)
            for staff_id in meeting.staff_ids:
                t = self.staff_idx.get(staff_id)
                if t is not None and (s, o, t) in v.staff:
                    self.put(v.staff[s, o, t], 1)
        for student_id in section.student_ids:
            i = self.student_idx.get(student_id)
            if i is not None and (i, s) in v.place:
                self.put(v.place[i, s], 1)
                self.put(v.served[i], 1)

    def study(self, section: Section) -> None:
        """A study section counts towards its pool: students, sections per room class,
        staff."""
        if not section.meetings:
            return
        meeting = section.meetings[0]
        i = next((self.student_idx[s] for s in section.student_ids
                  if s in self.student_idx), None)
        if i is None:
            return
        band = self.inst.band_of_grade[self.inst.students[i].grade]
        k = self.pool_of.get((section.activity_id, band, meeting.day, meeting.periods[0]))
        c = self.class_of_room.get(meeting.room_id)
        if k is None or c is None:
            return
        self.study_students[k] += section.size
        self.study_sections[k, c] += 1
        for staff_id in meeting.staff_ids:
            key = (k, self.staff_idx.get(staff_id, -1))
            if key in self.v.study_staff:
                self.put(self.v.study_staff[key], 1)

    def count_study(self) -> None:
        """The study pools' totals, once every study section is in."""
        for k, count in self.study_students.items():
            self.put(self.v.study_students[k], count)
        for key, count in self.study_sections.items():
            if key in self.v.study_sections:
                self.put(self.v.study_sections[key], count)


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
    mapped = standing_for(inst, schedule)
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


def standing_for(inst: Instance, schedule: Schedule) -> dict[str, int]:
    """Chosen activities' section id → the candidate section standing for it.

    A section is matched by what it is, not by its id, so a schedule made by hand maps
    as well as one of ours: its activity, and the grade band of its students (of its
    meeting times, for a section without students). The model opens the copies of
    one activity in one band in order, the larger first (symmetry breaking), so
    sections are given copies by size. In a re-solve, a section written under a
    previous section's id is the copy standing for that one.
    """
    if inst.previous is not None:
        names = inst.previous.names(inst)
        written = {names[section.id]: section.idx for section in inst.sections}
        return {placed.id: written[placed.id] for placed in schedule.sections
                if placed.id in written
                and inst.sections[written[placed.id]].activity.id == placed.activity_id}
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


