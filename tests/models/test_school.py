"""The domain types' own small rules."""

from __future__ import annotations

from models.school import Student


def test_a_child_stays_for_the_slots_of_their_days_and_periods() -> None:
    """Registered Monday and Wednesday for one period: a Monday period-1 meeting suits,
    one that also needs Tuesday or the second period does not."""
    child = Student(id="S1", name="Student 1", grade=3, class_name="3-1",
                    days=frozenset({0, 2}), stay=1)
    assert child.stays_for_all([(0, 1), (2, 1)])
    assert not child.stays_for_all([(0, 1), (1, 1)])
    assert not child.stays_for_all([(0, 2)])
    assert child.stays_for_all([])  # nothing asked: nothing missed
