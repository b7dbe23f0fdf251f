"""The seeded lottery: by seed, never by row order, id or name."""

from __future__ import annotations

from dataclasses import replace

from models.lottery import tickets
from tests.factories import tiny_school


def test_every_registered_student_draws_one_distinct_ticket() -> None:
    school = tiny_school()
    drawn = tickets(school, seed=3)
    assert set(drawn) == {s.id for s in school.registered_students}
    assert sorted(drawn.values()) == list(range(1, len(drawn) + 1))


def test_the_same_seed_draws_the_same_tickets_whatever_the_row_order() -> None:
    school = tiny_school()
    reversed_rows = replace(school, students=tuple(reversed(school.students)))
    assert tickets(school, seed=3) == tickets(reversed_rows, seed=3)


def test_another_seed_draws_other_tickets() -> None:
    school = tiny_school()
    assert any(tickets(school, seed) != tickets(school, 1) for seed in range(2, 6))


def test_names_do_not_change_the_draw() -> None:
    school = tiny_school()
    renamed = replace(school, students=tuple(replace(s, name=f"Z {s.id}")
                                             for s in school.students))
    assert tickets(school, seed=9) == tickets(renamed, seed=9)
