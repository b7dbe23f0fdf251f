"""Coordinators reorder and reweight goals: the spec parses, and a reordered solve differs."""

from __future__ import annotations

import dataclasses

import pytest

from optimizer.model.rules import GOALS
from optimizer.search.levels import DEFAULT_LEVELS, GoalSpecError, format_levels, parse_levels
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school
from tests.optimizer.helpers import solve_checked


def test_default_levels_follow_the_contract() -> None:
    assert [level[0][0] for level in DEFAULT_LEVELS] == [
        name for name, goal in GOALS.items() if not goal.needs_previous]


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


def test_settings_sheet_sets_the_goal_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A Settings sheet with key goals reorders the levels; a bad spec names the sheet."""
    import openpyxl
    from click.testing import CliRunner

    from models.reader import read_school
    from models.template import write_school
    from optimizer.cli import main
    from optimizer.commands.goals import goal_levels

    path = tmp_path / "school.xlsx"
    write_school(path, tiny_school())
    workbook = openpyxl.load_workbook(path)
    settings = workbook.create_sheet("Settings")
    settings.append(["key", "value"])
    settings.append(["goals", "cost; unserved; choice_points"])
    workbook.save(path)
    school = read_school(path)
    assert goal_levels(None, school) == parse_levels("cost; unserved; choice_points")
    assert goal_levels("unserved", school) == parse_levels("unserved")  # --goals wins
    settings["B2"] = "unserved; happiness"
    workbook.save(path)
    result = CliRunner().invoke(main, ["solve", str(path), "--time-limit", "5", "--quiet"])
    assert result.exit_code == 2
    assert "Settings sheet" in result.output
    assert "happiness" in result.output


def test_solve_takes_settings_by_keyword() -> None:
    from optimizer.search.solve import solve

    result = solve(tiny_school(), time_limit=5, workers=1, seed=9)
    assert result.params.seed == 9
    assert result.report is not None
    assert result.report.ok
