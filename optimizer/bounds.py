"""Upper bounds on the placement goals, from small models solved one activity at a time.

CP-SAT's LP on the whole school bounds ``first_choices`` only loosely: it may spread
a section over every day at once, so every child seems to fit it. Here each activity
is solved on its own, exactly: how many sections meet on which days and periods, and
which first-choosers fit them. Nothing else (rooms shared with other activities,
staff, budget) is counted, so the sum over activities is at least what any schedule
can earn, and well below the seat count when children come on few days.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from optimizer.instance import CandidateSection, Instance
from optimizer.rules.goals import PRIORITY_BASE

_SECONDS_PER_ACTIVITY = 2.0
"""Each activity's model is tiny (tens of variables); this is a safety net only.
Cut short, its proven bound is used, which is still valid."""


@dataclass(frozen=True)
class Pattern:
    """When a section meets: the same period(s) on ``sessions_per_week`` different days."""

    first_period: int
    days: frozenset[int]
    slots: frozenset[tuple[int, int]]


def first_choice_bound(inst: Instance) -> int:
    """At least the best ``first_choices`` any schedule can reach (see module doc)."""
    by_activity: dict[str, list[CandidateSection]] = defaultdict(list)
    for section in inst.sections:
        by_activity[section.activity.id].append(section)
    first_choosers: dict[str, list[int]] = defaultdict(list)
    for i, choices in inst.applicants.items():
        first = next((s for s, rank in choices if rank == 1), None)
        if first is not None:
            first_choosers[inst.sections[first].activity.id].append(i)
    return sum(_activity_bound(inst, by_activity[a], students)
               for a, students in first_choosers.items())


def _patterns(inst: Instance, section: CandidateSection) -> list[Pattern]:
    """The meeting patterns a section could use: days on which it has a room and staff."""
    needed = section.activity.staff_per_section
    usable: dict[int, dict[int, frozenset[tuple[int, int]]]] = defaultdict(dict)
    for option in section.options:
        has_room = any(not any(slot in inst.room_classes[c].unavailable
                               for slot in option.slots) for c in section.room_classes)
        free_staff = sum(1 for t in section.staff
                         if not any(slot in inst.staff[t].unavailable for slot in option.slots))
        if has_room and free_staff >= needed:
            usable[option.first_period][option.day] = frozenset(option.slots)
    sessions = section.activity.sessions_per_week
    return [Pattern(first, frozenset(days), frozenset().union(*(by_day[d] for d in days)))
            for first, by_day in sorted(usable.items())
            for days in itertools.combinations(sorted(by_day), sessions)]


def _activity_bound(inst: Instance, sections: list[CandidateSection],
                    students: Iterable[int]) -> int:
    """The most priority-weighted first-choosers one activity's sections can hold."""
    model = cp_model.CpModel()
    copies: Counter[int] = Counter(section.band.idx for section in sections)
    size = {section.band.idx: section.max_size for section in sections}
    patterns = {section.band.idx: _patterns(inst, section) for section in sections}
    opened: dict[tuple[int, int], cp_model.IntVar] = {}
    for band, count in copies.items():
        for p, _ in enumerate(patterns[band]):
            opened[band, p] = model.new_int_var(0, count, "")
        model.add(sum(opened[band, p] for p, _ in enumerate(patterns[band])) <= count)
    limit = sections[0].activity.max_sections
    if limit is not None:
        model.add(sum(opened.values()) <= limit)
    # Children of one band, weight and fit are interchangeable: count them, not name them.
    kinds: Counter[tuple[int, int, tuple[int, ...]]] = Counter()
    for i in students:
        student = inst.students[i]
        band = inst.band_of_grade[student.grade]
        fits = tuple(p for p, pattern in enumerate(patterns.get(band, []))
                     if all(d in student.days and period <= student.stay
                            for d, period in pattern.slots))
        if fits:
            kinds[band, PRIORITY_BASE ** inst.priority_level[i], fits] += 1
    seated: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    terms: list[cp_model.LinearExprT] = []
    for (band, weight, fits), count in kinds.items():
        placed = [model.new_int_var(0, count, "") for _ in fits]
        model.add(sum(placed) <= count)
        for p, var in zip(fits, placed, strict=True):
            seated[band, p].append(var)
        terms.extend(weight * var for var in placed)
    for (band, p), vars_ in seated.items():
        model.add(sum(vars_) <= size[band] * opened[band, p])
    if not terms:
        return 0
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = _SECONDS_PER_ACTIVITY
    code = solver.solve(model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"the first-choice bound model failed: {solver.status_name(code)}")
    return int(solver.best_objective_bound)
