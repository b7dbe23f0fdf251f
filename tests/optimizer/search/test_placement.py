"""The placement program: the children's best places in a fixed timetable."""

from __future__ import annotations

import dataclasses
import random

import pytest

from models.school import School, Student
from optimizer.model.instance import Instance, build_instance
from optimizer.model.rules.goals import priority_weight, rank_points
from optimizer.search.bounds import Held
from optimizer.search.placement import OpenSection, Timetable, best_places
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school
from tests.optimizer.helpers import solve_checked

MONDAY = frozenset({(0, 1)})


def _school(children: list[tuple[tuple[str, ...], int]], wants: int = 1) -> School:
    """Children who come on Monday, each with (choices, priority)."""
    students = tuple(
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset({0}), wants=wants, choices=choices, priority=priority)
        for k, (choices, priority) in enumerate(children))
    return dataclasses.replace(tiny_school(), activities=(STUDY, CHESS, FOOTBALL),
                               students=students)


def _open(inst: Instance, activity_id: str, slots: frozenset[tuple[int, int]], seats: int
          ) -> OpenSection:
    first = next(s for s in inst.sections if s.activity.id == activity_id)
    return OpenSection(first, slots, seats)


def _places(inst: Instance, timetable: Timetable, members: list[set[int]]
            ) -> dict[str, set[str]]:
    """Section's activity → the ids of its children."""
    return {open_.section.activity.id: {inst.students[i].id for i in group}
            for open_, group in zip(timetable.sections, members, strict=True)}


def test_a_priority_child_takes_the_seat_and_another_moves_on() -> None:
    """Chess (four seats) and football meet on Monday at different times. Four children
    want chess first and football second; a fifth, of priority, wants chess only. Best:
    the priority child in chess (17 × 16), three of the four with it (3 × 16) and the
    fourth in football (8)."""
    inst = build_instance(_school([(("CHESS", "FOOT"), 0)] * 4 + [(("CHESS",), 1)]))
    timetable = Timetable([_open(inst, "CHESS", MONDAY, 4),
                           _open(inst, "FOOT", frozenset({(0, 2)}), 10)], fees_left=10**9)
    members = best_places(inst, timetable, Held(), ["choice_points"])
    assert members is not None
    places = _places(inst, timetable, members)
    assert "S4" in places["CHESS"]
    assert len(places["CHESS"]) == 4
    assert len(places["FOOT"]) == 1
    assert _points(inst, timetable, members) == 17 * 16 + 3 * 16 + 8


def test_what_the_levels_before_held_keeps_the_seats() -> None:
    """Chess seats four on Monday. Four children want it first; a priority child wants it
    second (football, their first, does not meet). Alone, the priority child's second
    choice (17 × 8) beats a first choice (16); once a level held four first choices,
    the four keep their seats and the priority child has none."""
    inst = build_instance(_school([(("CHESS",), 0)] * 4 + [(("FOOT", "CHESS"), 1)]))
    timetable = Timetable([_open(inst, "CHESS", MONDAY, 4)], fees_left=10**9)
    free = best_places(inst, timetable, Held(), ["choice_points"])
    held = best_places(inst, timetable, Held(first_choices=4), ["choice_points"])
    assert free is not None
    assert held is not None
    assert "S4" in _places(inst, timetable, free)["CHESS"]
    assert _places(inst, timetable, held)["CHESS"] == {"S0", "S1", "S2", "S3"}


def test_first_choices_come_before_points() -> None:
    """The same school with the goals in the first-choice level's order: four first
    choices (weight 4) beat the priority child's second choice, the points after."""
    inst = build_instance(_school([(("CHESS",), 0)] * 4 + [(("FOOT", "CHESS"), 1)]))
    timetable = Timetable([_open(inst, "CHESS", MONDAY, 4)], fees_left=10**9)
    members = best_places(inst, timetable, Held(), ["first_choices", "choice_points"])
    assert members is not None
    assert _places(inst, timetable, members)["CHESS"] == {"S0", "S1", "S2", "S3"}


def test_never_two_places_at_once() -> None:
    """Two children want chess and football, two places each; both meet on Monday in
    the same period, so each child has one of them (and each open section, one child:
    a section holds at least one)."""
    inst = build_instance(_school([(("CHESS", "FOOT"), 0)] * 2, wants=2))
    timetable = Timetable([_open(inst, "CHESS", MONDAY, 4),
                           _open(inst, "FOOT", MONDAY, 10)], fees_left=10**9)
    members = best_places(inst, timetable, Held(), ["choice_points"])
    assert members is not None
    places = _places(inst, timetable, members)
    assert len(places["CHESS"]) == len(places["FOOT"]) == 1
    assert places["CHESS"] | places["FOOT"] == {"S0", "S1"}


def test_no_placement_keeps_an_impossible_hold() -> None:
    inst = build_instance(_school([(("CHESS",), 0)] * 6))
    timetable = Timetable([_open(inst, "CHESS", MONDAY, 4)], fees_left=10**9)
    assert best_places(inst, timetable, Held(unserved=1), ["choice_points"]) is None
    assert best_places(inst, timetable, Held(unserved=2), ["choice_points"]) is not None


@pytest.mark.parametrize("seed", range(3))
def test_never_worse_than_the_schedule_it_starts_from(seed: int) -> None:
    """Random children on random days solved by the whole model: in its timetable, the
    program places them at least as well, keeps what the schedule holds, and puts each
    child only where they come and chose, within the seats."""
    rng = random.Random(seed)
    children = [
        Student(id=f"S{k}", name=f"Student {k}", grade=3, class_name="3-1",
                days=frozenset(rng.sample(range(5), rng.randint(1, 3))), stay=2,
                wants=rng.choice((1, 1, 2)), choices=tuple(rng.sample(("CHESS", "FOOT"), 2)),
                priority=rng.randrange(2))
        for k in range(14)]
    school = dataclasses.replace(tiny_school(), students=tuple(children),
                                 activities=(STUDY, CHESS, FOOTBALL))
    result, report = solve_checked(school, time_limit=5.0)
    assert result.schedule is not None
    inst = build_instance(school)
    by_id = {section.id: section for section in inst.sections}
    opened = [OpenSection(by_id[section.id],
                          frozenset(slot for meeting in section.meetings
                                    for slot in meeting.slots),
                          by_id[section.id].max_size)
              for section in result.schedule.sections if section.id in by_id
              and not by_id[section.id].activity.is_study]
    timetable = Timetable(opened, fees_left=10**9)
    held = Held(unserved=report.goals["unserved"],
                priority_served=report.goals["priority_served"],
                first_choices=report.goals["first_choices"])
    members = best_places(inst, timetable, held, ["choice_points"])
    assert members is not None
    assert _points(inst, timetable, members) >= report.goals["choice_points"]
    for open_, group in zip(timetable.sections, members, strict=True):
        assert len(group) <= open_.seats
        for i in group:
            assert inst.students[i].stays_for_all(open_.slots)
            assert open_.section.activity.id in inst.students[i].choices


def _points(inst: Instance, timetable: Timetable, members: list[set[int]]) -> int:
    rank = {(i, s): r for i, choices in inst.applicants.items() for s, r in choices}
    return sum(priority_weight(inst, i) * rank_points(rank[i, open_.section.idx])
               for open_, group in zip(timetable.sections, members, strict=True)
               for i in group)


def test_per_head_fees_keep_to_the_cap_and_the_budget() -> None:
    """Chess and football each cost 60 yuan a head, at different times. Two children
    want both, with a cap of 100 yuan each: one place each. With 60 yuan of budget
    left for fees, one child has a place."""
    school = _school([(("CHESS", "FOOT"), 0)] * 2, wants=2)
    school = dataclasses.replace(
        school, info=dataclasses.replace(school.info, per_student_cap=10_000),
        activities=tuple(dataclasses.replace(a, fee_per_student=6_000)
                         if a.id in ("CHESS", "FOOT") else a for a in school.activities))
    inst = build_instance(school)
    sections = [_open(inst, "CHESS", MONDAY, 4), _open(inst, "FOOT", frozenset({(0, 2)}), 10)]
    capped = best_places(inst, Timetable(sections, fees_left=10**9), Held(), ["choice_points"])
    assert capped is not None
    assert all(sum(i in group for group in capped) == 1 for i in inst.applicants)
    lean = best_places(inst, Timetable(sections[:1], fees_left=6_000), Held(),
                       ["choice_points"])
    assert lean is not None
    assert len(lean[0]) == 1
