"""Placing children in opened sections by min-cost flow (search/assign.py), by hand."""

from __future__ import annotations

from dataclasses import replace

from optimizer.model.instance import build_instance
from optimizer.search.assign import assign_students
from tests.factories import tiny_school


def _monday_sections(school):  # type: ignore[no-untyped-def]
    """Chess and football, one section each, both on Monday period 1."""
    inst = build_instance(school)
    chess = next(s for s in inst.sections if s.activity.id == "CHESS")
    football = next(s for s in inst.sections if s.activity.id == "FOOT")
    options = [[next(o for o, opt in enumerate(s.options) if (opt.day, opt.first_period)
                     == (0, 1))] for s in (chess, football)]
    return inst, [chess, football], options


def test_everyone_gets_their_first_choice_when_seats_allow() -> None:
    inst, sections, options = _monday_sections(tiny_school())
    chess, football = assign_students(inst, sections, options, [4, 10])
    ids = {i: inst.students[i].id for i in range(len(inst.students))}
    first = {s.id: s.choices[0] for s in inst.students}
    assert all(first[ids[i]] == "CHESS" for i in chess)
    assert all(first[ids[i]] == "FOOT" for i in football)
    assert len(chess) + len(football) == len(inst.students)


def test_seats_short_the_others_get_their_second_choice_not_nothing() -> None:
    school = tiny_school()
    school = replace(school, students=tuple(replace(s, choices=("CHESS", "FOOT"))
                                            for s in school.students))
    inst, sections, options = _monday_sections(school)
    chess, football = assign_students(inst, sections, options, [4, 10])
    assert len(chess) == 4
    assert len(football) == 2
    assert not set(chess) & set(football)


def test_a_section_below_its_minimum_comes_back_empty() -> None:
    school = tiny_school()
    chess = replace(next(a for a in school.activities if a.id == "CHESS"), min_size=4)
    school = replace(school, activities=tuple(chess if a.id == "CHESS" else a
                                              for a in school.activities))
    inst, sections, options = _monday_sections(school)
    # Three children put chess first; four seats would need a fourth: chess closes and
    # its choosers go to football, their second choice.
    members = assign_students(inst, sections, options, [4, 10])
    assert members[0] == []
    assert len(members[1]) == len(inst.students)


def test_the_flow_ranks_the_placement_goals_in_the_registry_order() -> None:
    from optimizer.model.rules import PLACEMENT_GOALS
    from optimizer.search.assign import SERVES

    assert SERVES == PLACEMENT_GOALS
