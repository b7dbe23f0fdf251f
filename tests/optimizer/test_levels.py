"""Coordinators reorder and reweight goals: the spec parses, and a reordered solve differs."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.levels import DEFAULT_LEVELS, GoalSpecError, format_levels, parse_levels
from optimizer.rules import GOALS
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school
from tests.optimizer.helpers import solve_checked


def test_default_levels_follow_the_contract() -> None:
    assert [level[0][0] for level in DEFAULT_LEVELS] == list(GOALS)


def test_parse_levels_round_trip() -> None:
    spec = "unserved; choice_points*3, lottery; cost"
    levels = parse_levels(spec)
    assert levels == ((("unserved", 1),), (("choice_points", 3), ("lottery", 1)),
                      (("cost", 1),))
    assert parse_levels(format_levels(levels)) == levels


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("unserved; happiness", "unknown goal 'happiness'"),
        ("unserved; unserved", "listed twice"),
        ("cost*two", "whole number"),
        ("cost*0", "at least 1"),
        (" ; ", "no goals"),
    ],
)
def test_bad_specs_say_what_was_expected(spec: str, message: str) -> None:
    with pytest.raises(GoalSpecError, match=message):
        parse_levels(spec)


def test_cost_first_changes_the_schedule() -> None:
    """A paid coach makes football cost money: by default the children still get it;
    with cost first, football does not open."""
    school = tiny_school()
    paid = dataclasses.replace(school.staff_by_id["V1"], pay_per_period=5_000,
                               skills=frozenset({"football"}))
    school = dataclasses.replace(school, staff=(*school.staff[:3], paid),
                                 activities=(STUDY, dataclasses.replace(CHESS, max_size=1),
                                             dataclasses.replace(FOOTBALL, skill="football")))
    _, default = solve_checked(school)
    _, frugal = solve_checked(school, levels=parse_levels("cost; unserved; choice_points"))
    assert frugal.goals["cost"] < default.goals["cost"]
    assert frugal.goals["unserved"] > default.goals["unserved"]
