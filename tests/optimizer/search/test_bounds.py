"""The first-choices bound: one activity at a time, on the days and periods it can meet."""

from __future__ import annotations

import dataclasses
import io
import logging
import random
import time

import pytest
from ortools.sat.python import cp_model

from models.school import School, Student
from models.shapes import generate_shaped_school
from optimizer.model.instance import build_instance
from optimizer.model.rules import HARD_RULES
from optimizer.search import scip_worker
from optimizer.search.bounds import (
    Held,
    Seats,
    choice_points_bound,
    choice_points_flow_bound,
    fewest_unserved,
    first_choice_bound,
    first_choice_seats,
    most_served_by_priority,
)
from optimizer.search.ceilings import placement_ceilings
from optimizer.search.lp_bounds import (
    choice_points_lp_bound,
    resource_bounds,
    section_plan,
)
from optimizer.search.solve import Params, build_model
from optimizer.search.whole_sections import WholeSections
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school
from tests.optimizer.helpers import solve_checked


def _chess_school(days: list[int], priorities: dict[int, int] | None = None,
                  choices: tuple[str, ...] = ("CHESS", "FOOT")) -> School:
    """One weekly chess section of four seats; child k comes on ``days[k]`` only."""
    students = tuple(
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({day}), choices=choices,
                priority=(priorities or {}).get(k, 0))
        for k, day in enumerate(days))
    return dataclasses.replace(
        tiny_school(), activities=(STUDY, dataclasses.replace(CHESS, max_sections=1), FOOTBALL),
        students=students)


def test_the_section_meets_on_the_day_most_children_come() -> None:
    assert first_choice_bound(build_instance(_chess_school([0, 0, 0, 2]))) == 3


def test_a_day_without_the_chess_teacher_does_not_count() -> None:
    school = _chess_school([0, 0, 0, 2])
    teacher = dataclasses.replace(school.staff[0], unavailable=frozenset({(0, 1), (0, 2)}))
    school = dataclasses.replace(school, staff=(teacher, *school.staff[1:]))
    assert first_choice_bound(build_instance(school)) == 1


def test_priority_children_weigh_seventeen() -> None:
    """The lone Wednesday child has priority: Wednesday (17) beats Monday (3)."""
    assert first_choice_bound(build_instance(_chess_school([0, 0, 0, 2], {3: 1}))) == 17


def test_seats_still_count() -> None:
    """Six Monday children, four seats."""
    assert first_choice_bound(build_instance(_chess_school([0] * 6))) == 4


def test_most_served_by_priority_fills_the_seats_heaviest_first() -> None:
    """Six Monday children, four seats, one child of priority level 1: that child and
    three others, 17 + 3."""
    inst = build_instance(_chess_school([0] * 6, {5: 1}, choices=("CHESS",)))
    assert most_served_by_priority(inst, Seats.count(inst)) == 17 + 3


def test_priority_children_count_the_seats_on_their_own_days() -> None:
    """Chess seats four on one day. Four children of level 0 come on Tuesday; three of
    level 1 on Monday, Wednesday and Friday, one each. The seats go to Tuesday's four
    or to one priority child: at most one of level 1 has a seat (17), and three others
    beside them; counting heads alone gave the three priority children all a seat."""
    school = _chess_school([1, 1, 1, 1, 0, 2, 4], {4: 1, 5: 1, 6: 1}, choices=("CHESS",))
    inst = build_instance(school)
    seats = Seats.count(inst)
    assert seats.per_level == {("CHESS", 0, 1): 1}
    assert most_served_by_priority(inst, seats) == 17 + 3
    assert _best(school, "priority_served") == 17


@pytest.mark.parametrize("seed", range(4))
def test_bounds_are_never_below_the_best_schedule(seed: int) -> None:
    """Ten children on random days and priorities want chess (four seats, one day) or
    football. CP-SAT's proven best, without any of our bounds, never exceeds them — a
    ceiling set too low would end a level's search early, unseen: the weight of
    served children; and the choice points, alone and after the levels before
    (fewest unserved, then most first choices) are held."""
    rng = random.Random(seed)
    school = _chess_school([rng.randrange(5) for _ in range(10)],
                           {k: rng.randrange(3) for k in range(10)})
    inst = build_instance(school)
    seats, firsts = Seats.count(inst), first_choice_seats(inst)
    assert _best(school, "priority_served") <= most_served_by_priority(inst, seats)
    assert _best(school, "choice_points") <= choice_points_lp_bound(inst, seats, firsts,
                                                                     Held())
    unserved = -_best(school, "unserved", sense=-1)
    first = _best(school, "first_choices", held={"unserved": unserved})
    points = _best(school, "choice_points",
                   held={"unserved": unserved, "first_choices": first})
    assert points <= choice_points_lp_bound(
        inst, seats, firsts, Held(unserved=unserved, first_choices=first))


UNPROVEN_SEARCH = 1.5
"""Deterministic seconds for a best that need not be proven. On the four shapes of
``test_resource_bounds_are_never_beyond_the_best_schedule`` 1.5 finds what 4 found
wherever a bound is reached (scarce-staff's 66 served by priority, two-each's 86, every
proven level) and at most two fewer first choices where the bound is 3-10 above either;
4 took three times as long (measured 2026-12)."""


def _best(school: School, goal: str, sense: int = 1,
          held: dict[str, int] | None = None, proven: bool = True) -> int:
    """CP-SAT's proven best of ``sense`` × one goal, every hard rule kept, none of our
    bounds (with ``proven`` false, the best it finds in 1.5 deterministic seconds);
    ``held``: unserved at most, other goals at least, these values."""
    model, _, _, goals = build_model(school, Params(time_limit=10, workers=1, seed=1))
    for name, value in (held or {}).items():
        model.add(goals[name] <= value if name == "unserved" else goals[name] >= value)
    model.maximize(sense * goals[goal])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    # Deterministic time, so that a busy machine gets the same search, only later.
    solver.parameters.max_deterministic_time = 10 if proven else UNPROVEN_SEARCH
    solver.parameters.max_time_in_seconds = 300
    status = solver.solve(model)
    assert status == cp_model.OPTIMAL or (not proven and status == cp_model.FEASIBLE)
    return round(solver.objective_value)


def test_first_choice_seats_keep_the_flow_to_the_days_first_choosers_come() -> None:
    """Chess seats four once a week. Three children want it first and come on Monday,
    Wednesday and Friday, one each; three want it second (football, their first, is
    not offered) and come on Tuesday. The flow gives the three first-choosers the
    three seats Tuesday's count allows (48); at most one of them can have chess (16),
    so with the others' second choices the linear program allows 16 + 8 + 8. The best
    schedule seats Tuesday's three: 24."""
    school = _first_choosers_apart()
    inst = build_instance(school)
    seats = Seats.count(inst)
    assert choice_points_flow_bound(inst, seats) == 48
    assert choice_points_lp_bound(inst, seats, first_choice_seats(inst), Held()) == 32
    assert _best(school, "choice_points") == 24


def test_what_the_levels_before_held_lowers_the_bound() -> None:
    """The same school, Tuesday's children of the higher priority: three second choices
    worth 8 × 17 each. Once a level has held a first choice, one seat goes to a
    first-chooser (16) and two stay for Tuesday: 16 + 2 × 136."""
    school = _first_choosers_apart(tuesday_priority=1)
    inst = build_instance(school)
    seats, firsts = Seats.count(inst), first_choice_seats(inst)
    assert choice_points_lp_bound(inst, seats, firsts, Held()) == 3 * 136
    assert choice_points_lp_bound(inst, seats, firsts, Held(first_choices=1)) == 16 + 2 * 136


def _first_choosers_apart(tuesday_priority: int = 0) -> School:
    closed = dataclasses.replace(FOOTBALL, max_sections=0)
    apart = [(0, ("CHESS",), 0), (2, ("CHESS",), 0), (4, ("CHESS",), 0)]
    tuesday = [(1, ("FOOT", "CHESS"), tuesday_priority)] * 3
    students = tuple(
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({day}), choices=choices, priority=priority)
        for k, (day, choices, priority) in enumerate(apart + tuesday))
    return dataclasses.replace(
        tiny_school(), activities=(STUDY, dataclasses.replace(CHESS, max_sections=1), closed),
        students=students)


def test_choice_points_bound_by_hand() -> None:
    """Each child wants one place: at most a second choice's 8 points each, plus 8 more
    for each first choice; a child left out earns nothing."""
    inst = build_instance(_chess_school([0, 0, 0, 2]))
    assert choice_points_bound(inst, unserved=0, first_choices=3) == 8 * 4 + 8 * 3
    assert choice_points_bound(inst, unserved=1, first_choices=3) == 8 * 3 + 8 * 3


def test_choice_points_bound_is_reached() -> None:
    """Chess meets on Monday for three children (16 each); the Wednesday child plays
    football, their second choice (8): 56, which the bound proves best."""
    result, report = solve_checked(_chess_school([0, 0, 0, 2]))
    assert report.goals["choice_points"] == 56
    assert result.bounds["choice_points"] == 56


def test_choice_points_flow_bound_counts_the_seats_of_every_choice() -> None:
    """Six children want only chess, four seats: 4 × 16. Reasoning from first choices
    alone allows the other two a second choice they do not have (8 × 6 + 8 × 4)."""
    school = _chess_school([0] * 6, choices=("CHESS",))
    inst = build_instance(school)
    assert choice_points_flow_bound(inst, Seats.count(inst)) == 64
    assert choice_points_bound(inst, unserved=0, first_choices=4) == 80
    result, report = solve_checked(school)
    assert report.goals["choice_points"] == 64
    assert result.bounds["choice_points"] == 64


@pytest.mark.parametrize(("days", "left_out"), [([0] * 6, 2), ([0, 0, 0, 2, 2, 2], 3)])
def test_fewest_unserved_counts_the_seats_on_the_days_children_come(
        days: list[int], left_out: int) -> None:
    """Four chess seats on one day: of six Monday children two go without; of three
    Monday and three Wednesday children, three — the section meets on one day only."""
    school = _chess_school(days, choices=("CHESS",))
    inst = build_instance(school)
    assert fewest_unserved(inst, Seats.count(inst)) == left_out
    result, report = solve_checked(school)
    assert report.goals["unserved"] == left_out
    assert result.bounds["unserved"] == left_out
    assert result.level_status[0][1] == "OPTIMAL"


def test_choice_points_flow_bound_on_the_days_children_come() -> None:
    """Chess on one day: the three Monday children (16 each), the Wednesday child in
    football (8)."""
    inst = build_instance(_chess_school([0, 0, 0, 2]))
    assert choice_points_flow_bound(inst, Seats.count(inst)) == 56


def test_without_every_hard_rule_the_bounds_step_aside() -> None:
    """Six Monday children want the four chess seats. With every rule, at most four
    get them; with the rules left out (experiments only), only the place variables
    bound the goals: all six."""
    inst = build_instance(_chess_school([0] * 6, choices=("CHESS",)))
    assert placement_ceilings(inst, tuple(HARD_RULES))[0]["first_choices"] == 4
    loose, counts = placement_ceilings(inst, ("time",))
    assert counts is None
    assert loose == {"unserved": 0, "priority_served": 6, "first_choices": 6,
                     "choice_points": 6 * 16}


def _one_gym_football(children: int) -> School:
    """Football (two a section, up to twenty sections) in the school's one gym, which
    holds ten meetings a week (two class hours a day); every child wants football only."""
    from dataclasses import replace as changed

    from models.school import Student
    from tests.factories import FOOTBALL, STUDY, tiny_school

    school = tiny_school()
    football = changed(FOOTBALL, max_size=2, max_sections=20)
    kids = tuple(Student(id=f"K{k:02d}", name=f"Kid {k}", grade=3, class_name="3-1",
                         days=frozenset(range(5)), stay=2, wants=1, choices=("FOOT",))
                 for k in range(children))
    return changed(school, activities=(STUDY, football), students=kids)


def test_the_rooms_a_room_type_has_bound_the_children_it_can_seat() -> None:
    school = _one_gym_football(30)
    inst = build_instance(school)
    seats = Seats.count(inst)
    coupled = resource_bounds(inst, seats, first_choice_seats(inst))
    assert coupled is not None
    # Ten meetings of two: twenty children at most; the seat flow alone sees forty seats.
    assert coupled.unserved == 10
    assert fewest_unserved(inst, seats) < 10
    assert -_best(school, "unserved", sense=-1) == 10


@pytest.mark.slow
@pytest.mark.parametrize("shape", ["few-rooms", "scarce-staff", "vendor-heavy", "two-each",
                                   "long-sessions", "few-activities"])
def test_resource_bounds_are_never_beyond_the_best_schedule(shape: str) -> None:
    """On small schools of shapes where rooms, people or vendors bind, CP-SAT's proven
    best never passes the bounds: a bound too tight would stop a level's search early."""
    from models.shapes import generate_shaped_school

    school = generate_shaped_school(40, seed=5, shape=shape)
    inst = build_instance(school)
    coupled = resource_bounds(inst, Seats.count(inst), first_choice_seats(inst))
    assert coupled is not None
    # The best CP-SAT finds in a second or two (proven or not) may never pass them.
    assert -_best(school, "unserved", sense=-1, proven=False) >= coupled.unserved
    assert _best(school, "priority_served", proven=False) <= coupled.priority_served
    assert _best(school, "first_choices", proven=False) <= coupled.first_choices


def _one_gym_two_sports() -> School:
    """One gym, one class hour (Monday's first): football or basketball, not both; six
    children want each. A program may open six tenths of one and four of the other."""
    basketball = dataclasses.replace(FOOTBALL, id="BASKET", name="Basketball")
    students = tuple(
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({0}), stay=1, choices=("FOOT",) if k < 6 else ("BASKET",))
        for k in range(12))
    return dataclasses.replace(tiny_school(), activities=(STUDY, FOOTBALL, basketball),
                               students=students)


def test_whole_sections_prove_what_fractions_of_sections_cannot() -> None:
    school = _one_gym_two_sports()
    inst = build_instance(school)
    seats = Seats.count(inst)
    assert fewest_unserved(inst, seats) == 0  # each sport alone seats its six
    coupled = resource_bounds(inst, seats, first_choice_seats(inst))
    assert coupled is not None
    assert coupled.unserved == 2
    unstarted = WholeSections(inst, seconds=10)
    assert unstarted.unserved() is None
    whole = WholeSections(inst, seconds=10)
    whole.start()
    assert whole.unserved(wait=10) == 6
    without, _ = placement_ceilings(inst, HARD_RULES)
    whole = WholeSections(inst, seconds=10)
    whole.start()
    whole.unserved(wait=10)  # solved to the end: what the ceilings take is its bound
    with_whole, _ = placement_ceilings(inst, HARD_RULES, whole)
    assert (without["unserved"], with_whole["unserved"]) == (-2, -6)
    result, report = solve_checked(school, time_limit=10, deterministic=False)
    assert report.goals["unserved"] == 6
    assert result.bounds["unserved"] == 6


def test_whole_sections_never_claim_more_than_a_schedule_found() -> None:
    """SCIP looks only for plans that leave fewer without a place than the schedule
    found: finding none proves that schedule, never more."""
    inst = build_instance(_one_gym_two_sports())
    whole = WholeSections(inst, seconds=10)
    whole.found(5)  # pretend a schedule left 5 without a place; whole sections, 6
    whole.start()
    assert whole.unserved(wait=10) == 5
    whole = WholeSections(inst, seconds=10)
    whole.found(6)
    whole.start()
    assert whole.unserved(wait=10) == 6
    whole = WholeSections(inst, seconds=10)
    whole.found(7)  # a plan that leaves 6 is above the cutoff: its optimum holds
    whole.start()
    assert whole.unserved(wait=10) == 6
    whole.found(5)  # told, after the proof, of a schedule said to leave 5: nonsense
    assert whole.settled() is None


def test_whole_sections_begin_again_from_a_better_schedule(
        caplog: pytest.LogCaptureFixture) -> None:
    """Told of a better schedule while it runs, SCIP begins again with that cutoff."""
    inst = build_instance(generate_shaped_school(600, seed=1, shape="long-sessions"))
    first = WholeSections(inst, seconds=30)
    first.start()
    first.unserved(wait=30)
    proven = first.settled()
    assert proven is not None
    whole = WholeSections(inst, seconds=30)
    whole.found(len(inst.applicants) + inst.unreachable)  # a schedule serving none
    whole.start()
    given_up = time.monotonic() + 10
    while not whole.solving() and time.monotonic() < given_up:
        time.sleep(0.01)
    assert whole.solving()
    with caplog.at_level(logging.DEBUG, logger="optimizer.search.whole_sections"):
        whole.found(proven)
        assert whole.unserved(wait=30) == proven
    assert f"begins again, cutoff {proven}" in caplog.text


def _football_or_study() -> School:
    """One person, Monday's first class hour: six children want football (a section of
    six), four want nothing and must be supervised in study. The person cannot do both
    at once."""
    students = tuple(
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({0}), stay=1, choices=("FOOT",) if k < 6 else ())
        for k in range(10))
    base = tiny_school()
    return dataclasses.replace(base, activities=(STUDY, dataclasses.replace(FOOTBALL, max_size=6)),
                               students=students, staff=base.staff[1:2])


def test_study_takes_the_people_it_needs() -> None:
    """Counting activities alone, the one person coaches football and no child is left
    out; but the four who chose nothing must be supervised, so football cannot open."""
    school = _football_or_study()
    inst = build_instance(school)
    coupled = resource_bounds(inst, Seats.count(inst), first_choice_seats(inst))
    assert coupled is not None
    assert coupled.unserved >= 1
    result, report = solve_checked(school, time_limit=10, deterministic=False)
    assert report.goals["unserved"] == 6
    assert result.bounds["unserved"] >= coupled.unserved


def test_the_plan_with_study_keeps_its_supervisor() -> None:
    """The greedy's outline (``section_plan``) with study's needs opens less football
    than the outline without, which gives the one person to football whole."""
    inst = build_instance(_football_or_study())
    sections = {study: sum(p.count for p in section_plan(inst, study) or [])
                for study in (True, False)}
    assert sections[False] == pytest.approx(1.0)
    assert sections[True] < 0.95


def test_whole_sections_stopped_while_being_built_hold_up_nothing() -> None:
    """Stopped before its program is built (seconds, at 5,000 students), it says nothing
    at once rather than wait for the build, and then starts no worker."""
    inst = build_instance(generate_shaped_school(600, seed=1, shape="rich-staff"))
    whole = WholeSections(inst, seconds=60)
    whole.start()
    assert whole.unserved() is None
    given_up = time.monotonic() + 30
    while not whole.ended() and time.monotonic() < given_up:
        time.sleep(0.05)
    assert whole.ended()
    assert not whole.solving()


def test_whole_sections_stop_at_once_when_asked() -> None:
    """Its worker is killed, not asked: SCIP in the middle of its root node (seconds on
    this school) would hear an interrupt only after it, and the solve must end on time
    and at Ctrl-C."""
    inst = build_instance(generate_shaped_school(600, seed=1, shape="rich-staff"))
    whole = WholeSections(inst, seconds=60)
    whole.start()
    given_up = time.monotonic() + 20
    while not whole.solving() and time.monotonic() < given_up:
        time.sleep(0.05)
    assert whole.solving()
    time.sleep(1.0)
    assert not whole.ended()
    asked = time.monotonic()
    whole.unserved()
    assert time.monotonic() - asked < 2.0
    assert not whole.solving()


def test_scip_log_gives_each_better_bound_on_the_children_served() -> None:
    """The worker reads SCIP's display lines: the dualbound column, once it is a number,
    and only when it moves down (most children served is maximized)."""
    out = io.StringIO()
    read = scip_worker.BoundFromLog(out)
    header = " time | node  | left  |LP iter|  dualbound   | primalbound  |  gap   "
    read(["presolving:", header,
          "  0.1s|     1 |     0 |    10 |      --      |      --      |    Inf "])
    read(["p 0.6s|     1 |     0 |  1218 | 5.220000e+02 | 5.020000e+02 |   3.98%",
          "  0.7s|     1 |     0 |  3713 | 5.220000e+02 | 5.020000e+02 |   3.98%", header,
          "d 7.7s|    18 |    19 | 23290 | 5.180000e+02 | 5.120000e+02 |   1.95%",
          "SCIP Status        : solving was interrupted [time limit reached]"])
    assert out.getvalue().splitlines() == ["bound 522.0", "bound 518.0"]


def test_whole_sections_end_on_their_own_by_their_deadline() -> None:
    """It runs beside every level and must be over before the solve is: its time is
    counted from when it was made, not from when it starts."""
    inst = build_instance(generate_shaped_school(600, seed=1, shape="rich-staff"))
    whole = WholeSections(inst, seconds=1.0)
    assert not whole.ended()
    whole.start()
    given_up = time.monotonic() + 30
    while not whole.ended() and time.monotonic() < given_up:
        time.sleep(0.1)
    assert whole.ended()
    bound = whole.settled()
    assert bound is None or 0 <= bound <= len(inst.applicants) + inst.unreachable
