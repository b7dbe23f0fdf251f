"""The next term remembers: children who fared badly last term are served first this term.

The rule is the contract's (``models.contract.NEXT_TERM_TEXT``, in docs/workbook.md):
a student whom last term's schedule placed in fewer chosen sections than they want
has their priority raised by ``NEXT_TERM_RAISE``. Last term is read from its
schedule workbook's Assignments sheet alone (:func:`models.schedule_io.read_assignments`),
matched to this term's students by student id; nothing here knows of a solver.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from models.contract import NEXT_TERM_MATCH, NEXT_TERM_RAISE
from models.messages import msg
from models.problems import Problem, WorkbookError, error
from models.schedule_io import ASSIGNMENTS_SHEET, AssignmentRow
from models.school import School, Student

SHOWN_MISMATCHES = 5
"""Unknown students named in the error; the rest are counted."""


@dataclass(frozen=True, kw_only=True)
class LastTerm:
    """What last term's schedule gave each child it placed."""

    chosen_sections: dict[str, int]  # student id → chosen sections they were in
    first_row: dict[str, int]  # student id → their first Assignments row


@dataclass(frozen=True, kw_only=True)
class Raised:
    """Who was raised, for the Summary sheet and the command's last words."""

    student_ids: tuple[str, ...]  # in this term's Students order
    num_last_term: int  # students last term's schedule placed
    num_matched: int  # of them, in this term's Students sheet


def last_term(rows: Sequence[AssignmentRow]) -> LastTerm:
    """Count each child's chosen sections (rows with a choice_rank, once per section)."""
    chosen: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for row in rows:
        first.setdefault(row.student_id, row.row)
        sections = chosen.setdefault(row.student_id, set())  # only in study: zero
        if row.choice_rank is not None:
            sections.add(row.section_id)
    return LastTerm(chosen_sections={k: len(v) for k, v in chosen.items()}, first_row=first)


def remember(school: School, previous: LastTerm) -> tuple[School, Raised]:
    """The school with the priorities of the children the rule raises, and who they are.

    Raises :class:`WorkbookError` when the previous schedule is another school's
    (too few of its students are in this term's Students sheet), naming the first
    unknown students by their Assignments row.
    """
    _same_school(school, previous)
    raised = tuple(student.id for student in school.students
                   if student.id in previous.chosen_sections
                   and _fared_badly(school, student, previous.chosen_sections[student.id]))
    lifted = set(raised)
    students = tuple(
        dataclasses.replace(s, priority=s.priority + NEXT_TERM_RAISE) if s.id in lifted else s
        for s in school.students)
    matched = sum(1 for i in previous.chosen_sections if i in school.student_by_id)
    return dataclasses.replace(school, students=students), Raised(
        student_ids=raised, num_last_term=len(previous.chosen_sections), num_matched=matched)


def _fared_badly(school: School, student: Student, chosen_last_term: int) -> bool:
    """Registered, wanting and able to choose this term, and given fewer than they want."""
    return (student.registered and student.wants >= 1
            and bool(school.eligible_choices(student))
            and chosen_last_term < student.wants)


def _same_school(school: School, previous: LastTerm) -> None:
    unknown = [i for i in previous.chosen_sections if i not in school.student_by_id]
    placed = len(previous.chosen_sections)
    if placed and len(unknown) <= (1 - NEXT_TERM_MATCH) * placed:
        return
    problems: list[Problem] = [
        error(ASSIGNMENTS_SHEET, msg("previous.unknown_student", student=student_id),
              row=previous.first_row[student_id], column="student", value=student_id)
        for student_id in sorted(unknown, key=previous.first_row.__getitem__)[:SHOWN_MISMATCHES]
    ]
    problems.append(error(ASSIGNMENTS_SHEET, msg(
        "previous.other_school", unknown=len(unknown), placed=placed,
        most=f"{1 - NEXT_TERM_MATCH:.0%}") if placed else msg("previous.nobody")))
    raise WorkbookError(problems)
