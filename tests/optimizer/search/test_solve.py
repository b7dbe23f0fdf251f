"""End to end on tiny schools: exact optimal goal values, outcomes, determinism, lottery."""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from models.check import check
from models.sample import generate_school
from models.school import School, Student
from models.template import write_school
from optimizer.model.instance import build_instance
from optimizer.model.rules import HARD_RULES
from optimizer.outputs.export import write_schedule
from optimizer.search.bounds import choice_points_bound, first_choice_bound
from optimizer.search.ceilings import largest_tie_break, placement_ceilings, with_tie_break
from optimizer.search.greedy import greedy_schedule
from optimizer.search.levels import parse_levels
from optimizer.search.solve import Params, Status, build_model, solve
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school
from tests.optimizer.helpers import solve_checked


def test_tiny_school_exact_optimum() -> None:
    """Six children, room for all in their first choice: 6 × 16 points, nobody unserved,
    one teacher hour (chess needs the chess teacher), no cost."""
    result, report = solve_checked(tiny_school())
    assert result.status is Status.OPTIMAL
    assert report.goals == {**report.goals, "unserved": 0, "choice_points": 6 * 16, "cost": 0}
    assert result.goal_values["choice_points"] == report.goals["choice_points"]
    assert result.goal_values["unserved"] == report.goals["unserved"]
    assert report.goals["teacher_max_load"] == 1  # chess; study goes to the volunteer
    assert result.goal_values["lottery"] == report.goals["lottery"]


def test_a_child_no_section_can_take_counts_as_unserved() -> None:
    """A child registered only on Monday who chose only a club meeting twice a week is a
    chooser with none of their choices (docs/goals.md), though no section could ever
    take them: the model counts them as the checker does, in value and in bound."""
    twice = dataclasses.replace(CHESS, id="BAND", name="Band", skill=None,
                                sessions_per_week=2)
    school = tiny_school()
    monday_only = Student(id="S7", name="Student 7", grade=3, class_name="3-1",
                          days=frozenset({0}), stay=2, wants=1, choices=("BAND",))
    school = dataclasses.replace(school, activities=(*school.activities, twice),
                                 students=(*school.students, monday_only))
    inst = build_instance(school)
    assert 6 not in inst.applicants
    # The rank-point bound reasons from the unserved count: it must not leave out one
    # of the six who can be placed (every one can be, in their first choice).
    assert choice_points_bound(inst, unserved=1, first_choices=6) == 6 * 16
    result, report = solve_checked(school)
    assert report.goals["unserved"] == 1
    assert result.goal_values["unserved"] == 1
    assert result.bounds["unserved"] == 1
    assert result.status is Status.OPTIMAL
    assert result.bounds["choice_points"] == report.goals["choice_points"] == 6 * 16
    placed = [p for p in result.trace if p.goal == "unserved"]
    assert all(point.placed <= 6 for point in placed)


def test_priority_wins_the_scarce_place() -> None:
    """One chess seat, four equal first choices: the higher-priority child gets it."""
    school = _one_seat_school(priorities={"S3": 1})
    result, _ = solve_checked(school)
    chess = next(s for s in result.schedule.sections if s.activity_id == "CHESS")  # type: ignore[union-attr]
    assert chess.student_ids == ("S3",)


def test_first_choices_bound_counts_the_seats() -> None:
    """Four children want the one chess seat first: at most one first choice, the
    priority child's (weight 17), whatever CP-SAT's LP says; the solve proves it."""
    school = _one_seat_school(priorities={"S3": 1})
    assert first_choice_bound(build_instance(school)) == 17
    result, report = solve_checked(school)
    assert report.goals["first_choices"] == 17
    assert result.bounds["first_choices"] == 17


def test_first_choices_bound_counts_the_days() -> None:
    """One chess section of four seats meets once a week; two children come on Mondays
    only, two on Wednesdays only. Four seats, but one day: at most two first choices."""
    school = tiny_school()
    one_section = dataclasses.replace(CHESS, max_sections=1)
    students = tuple(
        Student(id=f"S{i}", name=f"Student {i}", grade=3, class_name="3-1",
                days=frozenset({0 if i <= 2 else 2}), choices=("CHESS", "FOOT"))
        for i in range(1, 5))
    school = dataclasses.replace(school, activities=(STUDY, one_section, FOOTBALL),
                                 students=students)
    inst = build_instance(school)
    assert sum(section.max_size for section in inst.sections
               if section.activity.id == "CHESS") == 4  # counting seats alone
    assert first_choice_bound(inst) == 2
    result, report = solve_checked(school)
    assert report.goals["first_choices"] == 2
    assert result.bounds["first_choices"] == 2


def _one_seat_school(priorities: dict[str, int] | None = None, order: list[int] | None = None,
                     ) -> School:
    school = tiny_school()
    one_seat = dataclasses.replace(CHESS, max_size=1)
    students = [
        Student(id=f"S{i}", name=f"Student {i}", grade=3, class_name="3-1",
                days=frozenset({0}), choices=("CHESS", "FOOT"),
                priority=(priorities or {}).get(f"S{i}", 0))
        for i in range(1, 5)
    ]
    if order:
        students = [students[k] for k in order]
    return dataclasses.replace(school, activities=(STUDY, one_seat, FOOTBALL),
                               students=tuple(students))


def test_lottery_decides_not_row_order() -> None:
    """The seat goes by the seeded lottery: the same seed gives the same winner whatever
    the row order, and over many seeds every child wins sometimes."""
    winners = Counter()
    for seed in range(12):
        picked = set()
        for shuffle in range(2):
            order = list(range(4))
            random.Random(shuffle).shuffle(order)
            result, _ = solve_checked(_one_seat_school(order=order), seed=seed, time_limit=5)
            chess = next(s for s in result.schedule.sections  # type: ignore[union-attr]
                         if s.activity_id == "CHESS")
            picked.add(chess.student_ids)
        assert len(picked) == 1, f"seed {seed}: row order changed the winner {picked}"
        winners[picked.pop()[0]] += 1
    assert set(winners) == {"S1", "S2", "S3", "S4"}, winners


def test_infeasible_school_is_diagnosed_before_search() -> None:
    """Six children on Monday, one room of two seats: the pre-check names the slot."""
    school = tiny_school()
    small = tuple(dataclasses.replace(r, capacity=2) for r in school.rooms if r.id == "R1")
    school = dataclasses.replace(school, rooms=small, activities=(STUDY,))
    result = solve(school, Params(time_limit=5, workers=1))
    assert result.status is Status.INFEASIBLE
    assert result.schedule is None
    assert any("Mon" in line and "hold 2" in line for line in result.diagnosis), result.diagnosis


def test_infeasible_by_search_is_reported() -> None:
    """Enough rooms and people on paper, but the only supervisor may give two hours a
    week for four study hours: CP-SAT proves it (or the pre-check does)."""
    school = tiny_school()
    staff = tuple(dataclasses.replace(p, max_periods_week=0) for p in school.staff[:3])
    volunteer = dataclasses.replace(school.staff[3], max_periods_week=2)
    school = dataclasses.replace(school, staff=(*staff, volunteer))
    result = solve(school, Params(time_limit=10, workers=1))
    assert result.status is Status.INFEASIBLE
    assert result.diagnosis


@pytest.mark.slow
def test_deterministic_runs_write_identical_workbooks(tmp_path: Path) -> None:
    school = tiny_school()
    seeds = (3, 11)
    paths: dict[int, list[Path]] = {seed: [] for seed in seeds}
    for run in range(2):
        if run:
            # Zip dates have 2-second resolution: make the clock differ (once for both
            # seeds, as a sleep for each would only add time).
            time.sleep(2.1)
        for seed in seeds:
            result = solve(school, Params(time_limit=5, seed=seed, deterministic=True))
            assert result.schedule is not None
            assert check(school, result.schedule, seed=seed).ok
            paths[seed].append(write_schedule(tmp_path / f"run{run}-{seed}.xlsx", school,
                                              result))
    for seed, (first, second) in paths.items():
        assert first.read_bytes() == second.read_bytes(), f"seed {seed}"


@pytest.mark.slow
def test_deterministic_cli_runs_are_identical_across_processes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Byte-identical output from two separate processes with different hash seeds,
    so neither set ordering nor the clock can leak into the schedule."""
    school_path = tmp_path / "tiny.xlsx"
    write_school(school_path, tiny_school())
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"out{hash_seed}.xlsx"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-m", "optimizer.cli", "solve", str(school_path), "-o", str(out),
             "--deterministic", "--seed", "5", "--time-limit", "5", "--quiet"],
            env=env, capture_output=True, text=True, check=False,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_time_limit_feasible_status_has_gap_fields() -> None:
    result, _ = solve_checked(tiny_school(), time_limit=10)
    for goal in ("unserved", "priority_served", "first_choices", "choice_points"):
        assert result.gap(goal) == pytest.approx(0.0)
    assert [name for name, _, _ in result.level_status][:4] == [
        "unserved", "priority_served", "first_choices", "choice_points"]


@pytest.mark.slow
@pytest.mark.parametrize("time_limit", [2.0, 6.0])
def test_levels_never_lose_what_the_warm_start_had(time_limit: float) -> None:
    """Whatever the time limit, the final schedule serves at least as many children as
    the warm start, and the model's count agrees with the checker's."""
    school = generate_school(num_students=400, seed=5)
    warm = check(school, greedy_schedule(school, reassign=True))  # type: ignore[arg-type]
    result, report = solve_checked(school, time_limit=time_limit, deterministic=False)
    assert report.goals["unserved"] <= warm.goals["unserved"]
    assert report.goals["unserved"] == result.goal_values["unserved"]
    assert report.goals["first_choices"] == result.goal_values["first_choices"]
    assert report.goals["choice_points"] == result.goal_values["choice_points"]


def test_warm_start_opens_sections_on_the_days_that_suit_most() -> None:
    """One weekly chess section. By hand, the first Monday-and-Wednesday child opens it
    on Monday and the Wednesday-only child, who chose nothing else, is left out; the
    warm start opens it on the day that suits all four (and would also let the child
    here on fewest days ask first)."""
    one_section = dataclasses.replace(CHESS, max_sections=1)
    students = tuple(
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({2}) if k == 4 else frozenset({0, 2}), choices=("CHESS",))
        for k in range(1, 5))
    school = dataclasses.replace(tiny_school(), activities=(STUDY, one_section, FOOTBALL),
                                 students=students)
    baseline = check(school, greedy_schedule(school))  # type: ignore[arg-type]
    warm = check(school, greedy_schedule(school, reassign=True))  # type: ignore[arg-type]
    assert baseline.ok
    assert warm.ok
    assert baseline.goals["unserved"] == 1
    assert warm.goals["unserved"] == 0


def test_warm_start_does_not_depend_on_row_order() -> None:
    """Who gets which place in the warm start is the same whatever order the rows
    come in: the lottery orders equal claims, never the row."""
    school = generate_school(num_students=300, seed=3)
    rows = list(school.students)
    random.Random(5).shuffle(rows)
    shuffled = dataclasses.replace(school, students=tuple(rows))

    def places(school: School) -> set[tuple[str, str]]:
        schedule = greedy_schedule(school, reassign=True, seed=7)
        assert schedule is not None
        return {(section.activity_id, student_id) for section in schedule.sections
                for student_id in section.student_ids}

    assert places(school) == places(shuffled)


def _chess_members(school: School, levels: str | None = None
                   ) -> tuple[tuple[str, ...], dict[str, int]]:
    """Who has the chess section in a proven-optimal solve (goal order ``levels``), and
    the checker's goal values."""
    extra = {} if levels is None else {"levels": parse_levels(levels)}
    result, report = solve_checked(school, **extra)
    assert result.status is Status.OPTIMAL
    chess = next(s for s in result.schedule.sections  # type: ignore[union-attr]
                 if s.activity_id == "CHESS")
    return chess.student_ids, report.goals


def test_a_priority_child_is_not_the_one_left_without() -> None:
    """docs/goals.md: higher priority first, also for who has a place at all. One chess
    seat; S1 (priority) can only have it as a second choice (football cannot open), S2
    wants it first. One child is left without either way: it is not S1, though S2's
    first choice is lost. Without the priority_served level, first choices give it to
    S2."""
    one_seat = dataclasses.replace(CHESS, max_size=1, max_sections=1)
    closed = dataclasses.replace(FOOTBALL, max_sections=0)
    monday = frozenset({0})
    students = (
        Student(id="S1", name="Student 1", grade=3, class_name="3-1", days=monday,
                choices=("FOOT", "CHESS"), priority=1),
        Student(id="S2", name="Student 2", grade=3, class_name="3-1", days=monday,
                choices=("CHESS",)),
    )
    school = dataclasses.replace(tiny_school(), activities=(STUDY, one_seat, closed),
                                 students=students)

    members, goals = _chess_members(school)
    assert members == ("S1",)
    assert (goals["unserved"], goals["priority_served"], goals["first_choices"]) == (1, 17, 0)
    members, goals = _chess_members(school, "unserved; first_choices; choice_points")
    assert members == ("S2",)
    assert (goals["priority_served"], goals["first_choices"]) == (1, 1)


def test_five_priority_levels_do_not_overflow_the_objectives() -> None:
    """Forty children over five priority levels (a level-4 child weighs 17**4): the
    lexicographic factors would pass 64 bits in the warm start's flow and in the
    tie-broken objectives; both step back, and the seat still goes by priority."""
    one_seat = dataclasses.replace(CHESS, max_size=1)
    students = tuple(
        Student(id=f"S{k:02d}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({0}), choices=("CHESS", "FOOT"), priority=k % 5)
        for k in range(40))
    school = dataclasses.replace(tiny_school(), activities=(STUDY, one_seat, FOOTBALL),
                                 students=students)
    result, report = solve_checked(school, time_limit=10)
    chess = next(s for s in result.schedule.sections  # type: ignore[union-attr]
                 if s.activity_id == "CHESS")
    assert [int(i[1:]) % 5 for i in chess.student_ids] == [4]
    assert report.goals["first_choices"] == 17**4


def test_first_choices_come_before_rank_points() -> None:
    """docs/goals.md: first choices first. S1 (priority, wants two) could take the one
    chess seat as a second place, worth more rank points (8 × 17) than S2's first
    choice (16); counting first choices first gives it to S2, as a coordinator would."""
    one_seat = dataclasses.replace(CHESS, max_size=1, max_sections=1)
    monday = frozenset({0})
    students = (
        Student(id="S1", name="Student 1", grade=3, class_name="3-1", days=monday, stay=2,
                wants=2, choices=("FOOT", "CHESS"), priority=1),
        Student(id="S2", name="Student 2", grade=3, class_name="3-1", days=monday, stay=2,
                wants=1, choices=("CHESS", "FOOT")),
    )
    school = dataclasses.replace(tiny_school(), activities=(STUDY, one_seat, FOOTBALL),
                                 students=students)

    members, goals = _chess_members(school)
    assert members == ("S2",)
    assert goals["unserved"] == 0
    assert goals["first_choices"] == 17 + 1
    # Rank points alone would give the seat to S1's second place.
    members, goals = _chess_members(school, "unserved; choice_points")
    assert members == ("S1",)
    assert goals["choice_points"] == 17 * (16 + 8) + 8


def test_a_goal_left_out_does_not_end_the_tie_break() -> None:
    """A coordinator's order without priority_served ('unserved; first_choices;
    choice_points') still tie-breaks unserved by the two after it; one out of the
    default order ends the chain."""
    school = tiny_school()
    _, inst, v, goals = build_model(school, Params())
    ceilings, _ = placement_ceilings(inst, tuple(HARD_RULES))
    later = parse_levels("first_choices; choice_points")
    _, scale, _ = with_tie_break(goals["unserved"], (("unserved", 1),), later, goals,
                                  ceilings, choosers=len(v.served) + inst.unreachable)
    assert scale == largest_tie_break(["first_choices", "choice_points"], ceilings) + 1
    _, scale, _ = with_tie_break(goals["unserved"], (("unserved", 1),),
                                  parse_levels("choice_points; first_choices"), goals,
                                  ceilings, choosers=len(v.served) + inst.unreachable)
    assert scale == ceilings["choice_points"] + 1
