"""Goals as the commands read and name them: ``--goals`` or the Settings sheet into
levels, a goal's name in the command's language, a progress point in the goal's sense."""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING

import click

from optimizer.commands.exits import Exit
from optimizer.commands.voice import say, voice

if TYPE_CHECKING:
    from models.school import School
    from optimizer.search.levels import Levels
    from optimizer.search.result import Progress


def goal_levels(goal_spec: str | None, school: School, resolving: bool = False) -> Levels:
    """The goal levels from --goals, else the Settings sheet, else the default order (a
    re-solve puts the moves first)."""
    from optimizer.search.levels import GoalSpecError, school_levels
    from optimizer.search.resolve import resolve_levels

    try:
        if resolving:
            return resolve_levels(school.settings, goal_spec)
        return school_levels(school.settings, goal_spec)
    except GoalSpecError as exc:
        click.echo(say("cli.error", text=exc.said), err=True)
        # --goals wins over the sheet: with it, the command line is at fault.
        sys.exit(Exit.USAGE if goal_spec is not None else Exit.INVALID)


def goal_name(goal: str) -> str:
    """A goal (or a level ``cost+vendor_rating_shortfall``): its key in English (as
    ``--goals`` spells it), the report's words in Chinese."""
    from optimizer.outputs.report.labels import Labels

    if voice.lang == "en":
        return goal
    if goal == "constructive":
        return say("progress.constructive")
    return "+".join(Labels(voice.lang).goal(name) for name in goal.split("+"))


def goal_label(goal: str) -> str:
    """A goal as the progress line names it: :func:`goal_name`, the cost in yuan."""
    return "cost (yuan)" if goal == "cost" and voice.lang == "en" else goal_name(goal)


def as_goal(point: Progress) -> tuple[float, float]:
    """A progress point's value and bound in the goal's own sense (a count of unserved
    children, not its negative); a weighted level stays as the sum the solver maximizes."""
    from optimizer.model.rules import GOALS

    if point.goal == "constructive":
        return -point.objective, math.nan
    # A level sharing goals is labelled "cost+vendor_rating_shortfall": goals that all
    # minimize are shown as the cost they are, not as the negative the solver maximizes.
    senses = {GOALS[name].sense for name in point.goal.split("+") if name in GOALS}
    if len(senses) != 1:
        return point.objective, point.bound
    sense = senses.pop()
    return sense * point.objective, sense * point.bound
