"""Pseudonyms for students, so a report can be shared with the district without names.

Redaction happens to the school before any report is built: every sheet, the
print data and every PDF then come from a school whose students have no names,
so no layout can leak one by forgetting to redact.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict

from models.messages import Message
from models.problems import Problem
from models.school import School
from optimizer.outputs.report.views import natural_key

log = logging.getLogger(__name__)


def pseudonyms(school: School) -> dict[str, str]:
    """Student id → a pseudonym ``<class>-<nn>``, e.g. ``3-2-07``.

    Stable: the number is the student's place in their class ordered by student
    id (never by name or row), so the same class list gives the same pseudonyms
    in every run and every file. Two digits at least, so they sort as printed.
    """
    by_class: dict[str, list[str]] = defaultdict(list)
    for student in school.students:
        by_class[student.class_name].append(student.id)
    names: dict[str, str] = {}
    for class_name, ids in by_class.items():
        width = max(2, len(str(len(ids))))
        for number, student_id in enumerate(sorted(set(ids), key=natural_key), start=1):
            names[student_id] = f"{class_name}-{number:0{width}d}"
    return names


def redact_school(school: School) -> School:
    """The school with every student's name replaced by their pseudonym.

    Ids, classes and grades stay: the contract's sheets must still join, and the
    school (which holds the key, its own Students sheet) can map findings back.
    Validation warnings are scrubbed too, in case one quotes a name.
    """
    names = pseudonyms(school)
    students = tuple(dataclasses.replace(s, name=names[s.id]) for s in school.students)
    real = sorted({s.name for s in school.students if s.name.strip()}, key=len, reverse=True)
    warnings = tuple(_scrub(p, real) for p in school.warnings)
    log.info("redacted %d student names", len(students))
    return dataclasses.replace(school, students=students, warnings=warnings)


def _scrub(problem: Problem, names: list[str]) -> Problem:
    """The problem with any student name in its message (in every language) or value
    blanked out."""
    message = _without(problem.message, names)
    value = _without(problem.value, names) if isinstance(problem.value, str) else problem.value
    said = _scrub_said(problem.said, names) if problem.said is not None else None
    if message == problem.message and value == problem.value and said == problem.said:
        return problem
    return dataclasses.replace(problem, message=message, value=value, said=said)


def _scrub_said(said: Message, names: list[str]) -> Message:
    """The message with every field that quotes a name blanked, so that no language shows it."""
    fields = tuple((name, _scrub_field(value, names)) for name, value in said.fields)
    return said if fields == said.fields else dataclasses.replace(said, fields=fields)


def _scrub_field(value: object, names: list[str]) -> object:
    if isinstance(value, Message):
        return _scrub_said(value, names)
    if isinstance(value, tuple):
        return tuple(_scrub_field(v, names) for v in value)
    return _without(value, names) if isinstance(value, str) else value


def _without(text: str, names: list[str]) -> str:
    # Longest names first, so 王小明 is removed whole before 王小 could match inside it.
    for name in names:
        if name in text:
            text = text.replace(name, "***")
    return text
