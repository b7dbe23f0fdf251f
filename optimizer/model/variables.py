"""The decision variables, created only where they can be true.

Indices: ``s`` candidate section, ``o`` option (day and first period) of that
section, ``c`` room class, ``t`` serving staff member, ``i`` registered student,
``k`` study pool (band × study activity × day × period).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.model.instance import Instance


@dataclass
class Variables:
    open: dict[int, cp_model.IntVar] = field(default_factory=dict)
    first_period: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    meets: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    room: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    staff: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    size: dict[int, cp_model.IntVar] = field(default_factory=dict)
    present: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    """(s, o) → students of s at that meeting: size when it meets, else 0."""
    place: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    served: dict[int, cp_model.IntVar] = field(default_factory=dict)
    study_sections: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    study_staff: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    study_students: dict[int, cp_model.IntVar] = field(default_factory=dict)
    load: dict[int, cp_model.LinearExprT] = field(default_factory=dict)
    """t → after-school class hours per week (a linear expression)."""

    # Reverse indices the rules need; built with the variables.
    rooms_of_meeting: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = field(
        default_factory=lambda: defaultdict(list))
    study_sections_of: dict[int, list[tuple[int, cp_model.IntVar]]] = field(
        default_factory=lambda: defaultdict(list))
    study_staff_of: dict[int, list[cp_model.IntVar]] = field(
        default_factory=lambda: defaultdict(list))
    places_of_section: dict[int, list[tuple[int, int]]] = field(
        default_factory=lambda: defaultdict(list))
    places_of_student: dict[int, list[tuple[int, int, int]]] = field(
        default_factory=lambda: defaultdict(list))
    """i → (s, rank, activity position) for each place the student may take."""


def create_variables(model: cp_model.CpModel, inst: Instance) -> Variables:
    v = Variables()
    for section in inst.sections:
        s = section.idx
        v.open[s] = model.new_bool_var(f"open[{section.id}]")
        v.size[s] = model.new_int_var(0, section.max_size, f"size[{section.id}]")
        for first in sorted({o.first_period for o in section.options}):
            v.first_period[s, first] = model.new_bool_var(f"first[{section.id},{first}]")
        for o, option in enumerate(section.options):
            v.meets[s, o] = model.new_bool_var(
                f"meets[{section.id},{option.day},{option.first_period}]")
            v.present[s, o] = model.new_int_var(0, section.max_size, "")
            for c in section.room_classes:
                room_class = inst.room_classes[c]
                if any(slot in room_class.unavailable for slot in option.slots):
                    continue
                v.room[s, o, c] = model.new_bool_var("")
                v.rooms_of_meeting[s, o].append((c, v.room[s, o, c]))
            for t in section.staff:
                if any(slot in inst.staff[t].unavailable for slot in option.slots):
                    continue
                v.staff[s, o, t] = model.new_bool_var("")
    activity_pos: dict[str, int] = {}
    for i, choices in inst.applicants.items():
        v.served[i] = model.new_bool_var("")
        for s, rank in choices:
            activity_id = inst.sections[s].activity.id
            v.place[i, s] = model.new_bool_var("")
            v.places_of_section[s].append((i, rank))
            v.places_of_student[i].append(
                (s, rank, activity_pos.setdefault(activity_id, len(activity_pos))))
    for pool in inst.study_pools:
        k = pool.idx
        v.study_students[k] = model.new_int_var(0, pool.demand, "")
        for c in pool.room_classes:
            room_class = inst.room_classes[c]
            if (pool.day, pool.period) in room_class.unavailable:
                continue
            v.study_sections[k, c] = model.new_int_var(0, room_class.size, "")
            v.study_sections_of[k].append((c, v.study_sections[k, c]))
        for t in pool.staff:
            if (pool.day, pool.period) not in inst.staff[t].unavailable:
                v.study_staff[k, t] = model.new_bool_var("")
                v.study_staff_of[k].append(v.study_staff[k, t])
    _loads(v, inst)
    return v


def _loads(v: Variables, inst: Instance) -> None:
    terms: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
    for (s, o, t), var in v.staff.items():
        terms[t].append(len(inst.sections[s].options[o].slots) * var)
    for (_, t), var in v.study_staff.items():
        terms[t].append(var)
    for t in range(len(inst.staff)):
        v.load[t] = sum(terms.get(t, []), start=0)  # type: ignore[arg-type]
