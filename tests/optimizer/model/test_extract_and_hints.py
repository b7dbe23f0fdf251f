"""A solution read back into a schedule (model/extract.py), and a schedule read into the
model's variables (model/warmstart.py): one is the other's inverse."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from models.check import check
from optimizer.model.extract import Draft, assign_rooms, even_split, extract_schedule
from optimizer.model.instance import build_instance
from optimizer.model.rules import HARD_RULES
from optimizer.model.warmstart import hint_schedule, rules_rejecting
from optimizer.search.greedy import greedy_schedule
from optimizer.search.solve import Params, build_model
from tests.factories import tiny_school


@pytest.mark.parametrize(("total", "caps", "expected"), [
    (10, [4, 4, 4], [4, 3, 3]), (8, [8, 2], [6, 2]), (0, [3, 3], [0, 0])])
def test_study_children_are_spread_evenly_within_each_cap(total: int, caps: list[int],
                                                           expected: list[int]) -> None:
    assert sorted(even_split(total, caps), reverse=True) == sorted(expected, reverse=True)
    assert sum(even_split(total, caps)) == total


def test_overlapping_meetings_of_one_room_class_get_different_rooms() -> None:
    inst = build_instance(tiny_school())
    classroom = next(c for c in inst.room_classes if c.type == "classroom")
    drafts = [Draft(f"S{k}", "STUDY", 0, (1,), 930 + k, 970, classroom.idx, (), ())
              for k in range(classroom.size)]
    assign_rooms(inst, drafts)
    assert len({d.room_id for d in drafts}) == classroom.size


def test_a_schedule_hinted_and_read_back_is_the_same_schedule() -> None:
    school = tiny_school()
    inst = build_instance(school)
    schedule = greedy_schedule(school, inst, reassign=True, seed=2)
    assert schedule is not None
    assert rules_rejecting(inst, schedule, list(HARD_RULES)) == []
    model, inst, v, _ = build_model(school, Params(seed=2), inst)
    matched = hint_schedule(model, inst, v, schedule)
    study = {a.id for a in school.study_activities}
    assert matched == sum(1 for s in schedule.sections if s.activity_id not in study)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    again = extract_schedule(inst, v, solver.value)  # type: ignore[arg-type]
    assert check(school, again, seed=2).ok
    places = {(p.student_id, p.day, p.period, p.section_id) for p in schedule.places
              if not p.section_id.startswith("STUDY")}
    assert places == {(p.student_id, p.day, p.period, p.section_id) for p in again.places
                      if not p.section_id.startswith("STUDY")}
