"""The constructive schedule: complete and checked before any search, at any size.

The greedy (optimizer/search/greedy.py) builds two schedules in about a second even on
5,000 students: the coordinator's way by hand, and the same improved (the warm
start's orders and the flow placement). Each is checked by the independent checker
on its own; the better of them, lexicographically on the levels being solved, is
the constructive schedule. The search starts from it and only ever replaces it
with a better checked schedule; when the search finds nothing (no time, no
memory, a model that will not take it), it is what gets written.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from models.check import CheckReport, check
from models.schedule import Schedule
from models.school import School
from optimizer.model.instance import Instance
from optimizer.model.rules import GOALS
from optimizer.search.levels import Levels

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Constructive:
    """A complete schedule the checker accepted, with its goal values."""

    schedule: Schedule
    report: CheckReport
    method: str
    """"warm" (the greedy improved) or "by hand" (the coordinator's baseline)."""
    seconds: float

    @property
    def goals(self) -> dict[str, int]:
        return self.report.goals


def rank(goals: dict[str, int], levels: Levels) -> tuple[int, ...]:
    """A schedule's goal values as one tuple to compare: larger is better, level by level."""
    return tuple(sum(weight * GOALS[name].sense * goals.get(name, 0) for name, weight in level)
                 for level in levels)


def constructive_schedule(school: School, inst: Instance, levels: Levels, seed: int
                          ) -> Constructive | None:
    """The better of the greedy's two schedules that the checker accepts; None when the
    greedy finds no way to seat and staff study even with no activity open."""
    from optimizer.search.greedy import greedy_schedule

    started = time.monotonic()
    found: list[tuple[str, Schedule, CheckReport]] = []
    for method, reassign in (("warm", True), ("by hand", False)):
        schedule = greedy_schedule(school, inst, reassign=reassign, seed=seed)
        if schedule is None:
            continue
        report = check(school, schedule, seed=seed)
        if not report.ok:
            # The greedy is ours: a schedule it makes that breaks a rule is a bug, but
            # the search can still do without it.
            log.warning("constructive schedule (%s) breaks rule(s) %s; not used", method,
                        ", ".join(sorted({str(v.rule) for v in report.violations})))
            continue
        found.append((method, schedule, report))
    if not found:
        log.info("constructive schedule: none (study cannot be seated and staffed greedily)")
        return None
    method, schedule, report = max(found, key=lambda f: rank(f[2].goals, levels))
    built = Constructive(schedule, report, method, time.monotonic() - started)
    log.info("constructive schedule (%s) in %.1fs: %d unserved", method, built.seconds,
             report.goals.get("unserved", -1))
    return built


def better(goals: dict[str, int], than: dict[str, int], levels: Levels) -> bool:
    """Whether goal values ``goals`` are lexicographically better than ``than``."""
    return rank(goals, levels) > rank(than, levels)
