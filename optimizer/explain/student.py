"""Why this child got this: each choice above what they got, and where it went.

Read from the school and a checked schedule alone, no solver: the same reasons the
Unmet sheet gives (``outputs/report/reasons.py``), asked for every choice ranked
above the child's best placement, with a full activity's places counted by claim
(priority, rank, lottery) when the lottery seed is known. Another child is never
named: a family hears counts, not who.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from models.schedule import Schedule
from models.school import School
from optimizer.outputs.report.labels import LANGUAGES, Labels
from optimizer.outputs.report.reasons import Reason, ReasonFinder, describe
from optimizer.outputs.report.views import eligible_ranks

SEAT_KEYS = ("by_priority", "by_rank", "by_lottery", "by_other")
"""How a full activity's places went, against the child's own claim."""


class UnknownStudent(LookupError):
    """The school has no student of that id."""


@dataclass(frozen=True, kw_only=True)
class StudentExplanation:
    """One child's schedule explained: what they got and why nothing ranked higher."""

    student_id: str
    class_name: str
    grade: int
    registered: bool
    got: tuple[tuple[int, str], ...]
    """(rank, activity name) of the chosen activities they got, best first."""
    best_rank: int | None
    """Their best rank got; None when they got none of their choices."""
    reasons: tuple[Reason, ...]
    """One per eligible choice ranked above ``best_rank`` (all of them when None)."""
    num_eligible: int
    """How many of their choices exist and are open to their grade."""
    seed: int | None

    @property
    def codes(self) -> dict[int, str]:
        """Rank → reason code, for tests and tables."""
        return {r.rank: r.code for r in self.reasons if r.rank is not None}


def explain_student(school: School, schedule: Schedule, student_id: str,
                    seed: int | None = None) -> StudentExplanation:
    """Explain one child's places in ``schedule`` (checked beforehand by the caller).

    ``seed`` is the schedule's lottery seed; without it a full activity says how many
    applied and how many places there were, but not how the places went.
    Raises :class:`UnknownStudent` when the school has no such student.
    """
    student = school.student_by_id.get(student_id)
    if student is None:
        raise UnknownStudent(student_id)
    finder = ReasonFinder(school, schedule, seed)
    ranks = eligible_ranks(school, student)
    best, reasons = finder.above_best(student)
    got = sorted((ranks[s.activity_id], finder.name(s.activity_id))
                 for s in finder.chosen_of(student))
    return StudentExplanation(
        student_id=student.id, class_name=student.class_name, grade=student.grade,
        registered=student.registered, got=tuple(got), best_rank=best,
        reasons=tuple(reasons), num_eligible=len(ranks), seed=seed)


def explanation_lines(labels: Labels, explanation: StudentExplanation) -> list[str]:
    """The explanation in the report's language: a head line, then one line per choice."""
    e = explanation
    if not e.registered:
        what = labels("explain.not_registered")
    elif e.num_eligible == 0:
        what = labels("explain.no_choices")
    elif e.got:
        what = labels("explain.got", what=labels("list_sep").join(
            f"{name} ({labels.ordinal(rank)})" for rank, name in e.got))
    else:
        what = labels("none_of_choices")
    lines = [labels("explain.head", id=e.student_id, class_name=e.class_name, grade=e.grade,
                    got=what)]
    if e.registered and e.best_rank == 1:
        lines.append(labels("explain.nothing_above"))
    lines.extend(f"- {describe_one(labels, reason)}" for reason in e.reasons)
    if e.seed is None and any(r.code == "full" for r in e.reasons):
        lines.append(labels("explain.no_seed"))
    return lines


def describe_one(labels: Labels, reason: Reason) -> str:
    """A reason in full: a full activity with how its places went, when that is known."""
    if reason.code == "full" and all(k in reason.params for k in SEAT_KEYS):
        return labels("explain.full_seats", activity=reason.activity_name,
                      ordinal=labels.ordinal(reason.rank or 0), **reason.params)
    return describe(labels, reason)


def recorded_seed(schedule_path: Path) -> int | None:
    """The lottery seed a schedule workbook's Summary records, if it is one we wrote."""
    workbook = openpyxl.load_workbook(schedule_path, read_only=True, data_only=True)
    try:
        names = {Labels(lang).sheet("summary") for lang in LANGUAGES}
        labels = {Labels(lang)("seed") for lang in LANGUAGES}
        for name in names & set(workbook.sheetnames):
            for row in workbook[name].iter_rows(max_col=2, values_only=True):
                if len(row) == 2 and row[0] in labels and isinstance(row[1], int):
                    return row[1]
        return None
    finally:
        workbook.close()
