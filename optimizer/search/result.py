"""What a solve takes and gives: :class:`Params`, :class:`Status`, :class:`Progress` and
:class:`Result`.

Plain objects with statistics, free of the search: reports, exports, compare and
the sweep read results through this module, never through the solver.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from enum import Enum

import pandas as pd

from models.check import CheckReport
from models.schedule import Schedule
from models.school import School
from optimizer.model.rules import HARD_RULES, PLACEMENT_GOALS
from optimizer.search.levels import DEFAULT_LEVELS, Levels

DEFAULT_TIME_LIMIT = 60.0


DEFAULT_WORKERS = 2


class Status(Enum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"  # a schedule, not proven best within the time limit
    INFEASIBLE = "infeasible"  # proven: no schedule keeps every rule
    NO_SOLUTION = "no solution"  # none found within the time limit, none proven impossible


@dataclass(frozen=True)
class Params:
    time_limit: float = DEFAULT_TIME_LIMIT
    workers: int = DEFAULT_WORKERS
    seed: int = 0
    deterministic: bool = False
    levels: Levels = DEFAULT_LEVELS
    """Lexicographic levels, each a weighted sum of (goal name, weight); see levels.py."""
    rules: tuple[str, ...] = tuple(HARD_RULES)
    warm_start: bool = True
    log_search: bool = False


@dataclass(frozen=True)
class Progress:
    """One improvement during search, for progress lines and plots."""

    elapsed: float
    level: int
    goal: str
    objective: float
    bound: float
    placed: int  # choosers placed in at least one choice


class NotSearched(Exception):
    """The search was given up before its first level (Ctrl-C, or the time limit with the
    constructive schedule to write instead): raised between the parts of the model's
    building and of the work before the levels, each up to 4 s at 5,000 students."""


@dataclass
class Result:
    """What a solve found: status, the schedule (or None), goal values and bounds, the
    independent checker's report, timings and the progress trace."""

    status: Status
    schedule: Schedule | None
    params: Params
    goal_values: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, float] = field(default_factory=dict)
    """Best proven bound of each goal solved at its own level."""
    level_status: list[tuple[str, str, float]] = field(default_factory=list)
    """(goal, CP-SAT status, seconds) per lexicographic level."""
    wall_time: float = 0.0
    build_time: float = 0.0
    trace: list[Progress] = field(default_factory=list)
    interrupted: bool = False
    num_variables: int = 0
    num_constraints: int = 0
    diagnosis: list[str] = field(default_factory=list)
    source: str = "search"
    """Who made the schedule: "search" (CP-SAT, from the constructive schedule) or
    "constructive" (optimizer/search/construct.py, when the search found nothing better)."""
    notes: list[str] = field(default_factory=list)
    """What the Summary and the console say about how the schedule was found."""
    no_time_to_search: bool = False
    """The time limit was reached before the search's first level could begin: the
    constructive schedule was written as it was, and a longer limit would let the search
    improve it."""
    school: School | None = field(default=None, repr=False)
    report: CheckReport | None = field(default=None, repr=False)
    """The independent checker's verdict on the schedule (None without a schedule)."""

    @property
    def seed(self) -> int:
        return self.params.seed

    def kpis(self) -> pd.Series:
        """Headline numbers of this solve as a pandas Series (shares 0-1, money in yuan)."""
        row: dict[str, object] = {
            "status": self.status.value,
            "seed": self.seed,
            "wall_time_s": round(self.wall_time, 2),
            "checker_ok": None if self.report is None else self.report.ok,
        }
        row.update({f"{name}_gap": self.gap(name) for name in PLACEMENT_GOALS})
        if self.report is not None:
            row.update(self.report.kpis)
        return pd.Series(row, name="kpis")

    def to_frames(self) -> dict[str, pd.DataFrame]:
        """The contract's Sections and Assignments sheets as DataFrames (empty without a
        schedule), plus the progress trace."""
        from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
        from models.schedule_io import schedule_frames

        frames = {"Sections": pd.DataFrame(columns=list(SECTIONS_COLUMNS)),
                  "Assignments": pd.DataFrame(columns=list(ASSIGNMENTS_COLUMNS))}
        if self.schedule is not None and self.school is not None:
            for name, rows in schedule_frames(self.school, self.schedule).items():
                frames[name] = pd.DataFrame(rows)
        frames["Trace"] = pd.DataFrame([dataclasses.asdict(p) for p in self.trace])
        return frames

    def gap(self, goal: str) -> float | None:
        """Relative gap between the value found and the proven bound of a goal."""
        if goal not in self.bounds or goal not in self.goal_values:
            return None
        value, bound = self.goal_values[goal], self.bounds[goal]
        return abs(value - bound) / max(abs(value), 1.0)


def new_seed() -> int:
    """A fresh seed for a run that was not given one (reported so it can be replayed)."""
    return random.SystemRandom().randrange(1, 2**31 - 1)
