"""The seeded lottery that orders equal-priority students: by seed, never by row, id or name."""

from __future__ import annotations

import random

from models.school import School


def tickets(school: School, seed: int) -> dict[str, int]:
    """Student id → ticket 1…N for every registered student; a higher ticket is luckier."""
    ids = sorted(s.id for s in school.registered_students)  # canonical: row order cannot matter
    random.Random(seed).shuffle(ids)
    return {student_id: position for position, student_id in enumerate(ids, start=1)}
