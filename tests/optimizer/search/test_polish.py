"""Placing the students again around a fixed timetable (optimizer/search/polish.py)."""

from __future__ import annotations

import math
import random
import threading
import time

from ortools.sat.python import cp_model

from models.check import check
from models.sample import generate_school
from models.schedule import Schedule
from models.school import School
from optimizer.model.extract import extract_schedule
from optimizer.model.instance import Instance
from optimizer.model.variables import Variables
from optimizer.model.warmstart import hint_schedule, hint_values
from optimizer.search.cpsat import ProgressCallback
from optimizer.search.greedy import greedy_schedule
from optimizer.search.polish import neighbourhoods, place_students, timetable_variables
from optimizer.search.solve import Params, Progress, build_model
from optimizer.search.tactics import Level, search_pieces

Start = tuple[School, cp_model.CpModel, Instance, Variables, dict[str, cp_model.LinearExprT],
              Schedule, list[int]]


def _coordinators_start(num_students: int, seed: int) -> Start:
    """A generated school's model and the coordinator's schedule as a full solution."""
    school = generate_school(num_students=num_students, seed=seed)
    model, inst, v, goals = build_model(school, Params(seed=1))
    greedy = greedy_schedule(school, inst)
    assert greedy is not None
    hint_schedule(model, inst, v, greedy)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return school, model, inst, v, goals, greedy, list(solver.response_proto.solution)


def _searcher(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = seconds
    return solver


def test_students_placed_best_around_the_coordinators_timetable() -> None:
    """The coordinator's own placement (first come, first served) in their timetable:
    placed again with every section kept where it is, no child loses their place,
    the checker accepts the result, and the timetable is exactly the one given."""
    school, model, inst, v, goals, greedy, start = _coordinators_start(80, seed=3)
    before = check(school, greedy, seed=1).goals
    objective = 1_000_000 * -goals["unserved"] + goals["first_choices"]
    found = place_students(model, _searcher(5), v, start, objective)

    assert found is not None
    assert all(found[var.index] == start[var.index] for _, var in timetable_variables(v))
    report = check(school, extract_schedule(inst, v, lambda var: found[var.index]), seed=1)
    assert report.ok, report.summary()
    assert report.goals["unserved"] <= before["unserved"]
    assert (report.goals["unserved"], -report.goals["first_choices"]) < (
        before["unserved"], -before["first_choices"])
    # The model is left as found: every variable can move again.
    assert all(len(model.proto.variables[var.index].domain) == 2
               and model.proto.variables[var.index].domain[0]
               < model.proto.variables[var.index].domain[1]
               for _, var in timetable_variables(v))


def test_free_sections_may_move() -> None:
    """With every section free the same call is a full search: it may open sections
    the start kept closed."""
    school, model, inst, v, goals, greedy, start = _coordinators_start(60, seed=2)
    every = {section.idx for section in inst.sections}
    found = place_students(model, _searcher(20), v, start, -goals["unserved"], free=every)
    assert found is not None
    report = check(school, extract_schedule(inst, v, lambda var: found[var.index]), seed=1)
    assert report.ok, report.summary()
    assert report.goals["unserved"] == 0
    assert check(school, greedy).goals["unserved"] > 0


def test_pieces_are_rival_activities_and_their_choosers() -> None:
    """Each piece is every candidate section of a few activities that can use the same
    kind of room, with exactly the children who chose one of them; the seed decides."""
    school = generate_school(num_students=300, seed=4)
    _, inst, _, _ = build_model(school, Params(seed=1))
    drawn = neighbourhoods(inst, random.Random(7))
    pieces = [next(drawn) for _ in range(20)]
    again = neighbourhoods(inst, random.Random(7))
    assert pieces == [next(again) for _ in range(20)]
    for sections, students in pieces:
        activities = {inst.sections[s].activity.id for s in sections}
        assert 1 <= len(activities) <= 3
        assert sections == {x.idx for x in inst.sections if x.activity.id in activities}
        kinds = [{inst.room_classes[c].type for x in inst.sections if x.activity.id == a
                  for c in x.room_classes} for a in activities]
        assert any(all(kind & other for other in kinds) for kind in kinds)
        assert students == {i for i, choices in inst.applicants.items()
                            if any(inst.sections[s].activity.id in activities
                                   for s, _ in choices)}
    assert len({frozenset(inst.sections[s].activity.id for s in sections)
                for sections, _ in pieces}) > 5


def test_a_piece_moves_only_its_sections_and_children() -> None:
    """Searching one piece of the coordinator's schedule again: every other section and
    every other child stays where it was, the checker accepts the result, and the
    students are no worse off."""
    school, model, inst, v, goals, greedy, start = _coordinators_start(120, seed=5)
    before = check(school, greedy, seed=1).goals
    objective = 1_000_000 * -goals["unserved"] + goals["choice_points"]
    sections, students = next(neighbourhoods(inst, random.Random(3)))
    domains = [list(variable.domain) for variable in model.proto.variables]
    found = place_students(model, _searcher(10), v, start, objective, free=sections,
                           students=students)

    assert found is not None
    assert all(found[var.index] == start[var.index]
               for s, var in timetable_variables(v) if s not in sections)
    assert all(found[var.index] == start[var.index]
               for (i, _), var in v.place.items() if i not in students)
    report = check(school, extract_schedule(inst, v, lambda var: found[var.index]), seed=1)
    assert report.ok, report.summary()
    assert (report.goals["unserved"], -report.goals["choice_points"]) <= (
        before["unserved"], -before["choice_points"])
    # The model is left as found: everyone can move again.
    assert [list(variable.domain) for variable in model.proto.variables] == domains
    assert any(start[var.index] != found[var.index] for var in v.place.values())


def test_searching_pieces_keeps_the_best_and_leaves_it_loaded() -> None:
    """The pieces phase of a placement level, from the coordinator's schedule: the
    result is at least as good, strictly better here (first come, first served leaves
    room), the checker accepts it, the solver holds exactly that solution, and under
    --deterministic the same seed finds the same schedule again."""
    school, model, inst, v, goals, _, start = _coordinators_start(150, seed=6)
    combined = 1_000_000 * -goals["unserved"] + goals["choice_points"]
    params = Params(seed=1, deterministic=True)
    solver = cp_model.CpSolver()
    trace: list[Progress] = []

    def search_from_start() -> tuple[int, list[int]]:
        model.maximize(combined)
        hint_values(model, start)
        solver.parameters.fix_variables_to_their_hinted_value = True
        assert solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        before = solver.value(combined)
        callback = ProgressCallback(time.monotonic(), 0, "choice_points",
                                    goals["choice_points"], list(v.served.values()), trace, None)
        level = Level(model, solver, params, v, combined, callback, threading.Event())
        return before, search_pieces(level, start, 4.0, neighbourhoods(inst, random.Random(1)))

    before, best = search_from_start()

    assert solver.value(combined) > before
    assert list(solver.response_proto.solution) == best
    report = check(school, extract_schedule(inst, v, lambda var: best[var.index]), seed=1)
    assert report.ok, report.summary()
    assert trace
    assert all(point.bound == math.inf for point in trace)
    assert search_from_start()[1] == best


def test_pieces_by_regret_come_in_order_of_what_choosers_would_gain_per_seat() -> None:
    """Nobody placed yet: chess (four seats, every child's first or second choice) has
    3 × 16 + 3 × 8 to give on its seats, football (ten) the same on more; chess first,
    then football, round and round. Once every child is in football, its choosers
    have nothing more to gain there and only chess is left."""
    from dataclasses import replace

    from optimizer.search.polish import by_regret
    from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school

    school = replace(tiny_school(), activities=(STUDY, CHESS, FOOTBALL))
    model, inst, v, _ = build_model(school, Params(seed=1))
    nobody = [0] * len(model.proto.variables)
    pieces = by_regret(inst, v, nobody)
    order = [sorted({inst.sections[s].activity.id for s in next(pieces)[0]})
             for _ in range(4)]
    assert order == [["CHESS"], ["FOOT"], ["CHESS"], ["FOOT"]]
    chess_choosers = {i for i, choices in inst.applicants.items()
                      for s, _ in choices if inst.sections[s].activity.id == "CHESS"}
    assert next(pieces)[1] == chess_choosers

    in_football = list(nobody)  # every chooser in the first football section
    for (_, s), var in v.place.items():
        if inst.sections[s].activity.id == "FOOT" and inst.sections[s].copy == 0:
            in_football[var.index] = 1
    pieces = by_regret(inst, v, in_football)
    # Chess's first-choosers would gain 16 - 8 each there; football has nothing to give.
    assert [{inst.sections[s].activity.id for s in next(pieces)[0]} for _ in range(2)] \
        == [{"CHESS"}, {"CHESS"}]
