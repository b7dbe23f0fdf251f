"""The model against the checker's boundary cases (tests/models/test_check.py): a schedule
just inside a rule is one the model can take, and one just outside is one it cannot.

Each case's schedule is written by hand, with its own section ids; the model maps it by
what each section is (``warmstart.rules_rejecting``), fixes every decision to it, and
says which of its rules reject it. A just-inside schedule rejected here would mean the
model is stricter than the contract: the best schedule could be out of its reach.
"""

from __future__ import annotations

import pytest

from models.check import RULE_NAMES, check
from optimizer.model.instance import build_instance
from optimizer.model.rules import HARD_RULES
from optimizer.model.warmstart import rules_rejecting
from tests.models.test_check import FAILING, PASSING, Case

BEYOND_THE_MODEL = {
    "time-start-not-period-start": "the model's meetings take their periods' clock times",
    "time-two-periods-end-at-period-1": "the model's meetings take their periods' clock times",
    "sections-not-the-same-group": "the model's places are its sections' members",
    "sections-duplicate-section-id": "the model's section ids are its own",
    "rooms-two-meetings-overlap": "the model counts rooms of a kind; extraction gives each "
                                  "meeting its own room",
}
"""Breaks that a schedule the model writes cannot have: only the checker sees them."""


@pytest.mark.parametrize("case", PASSING, ids=[c.id for c in PASSING])
def test_the_model_takes_every_schedule_just_inside_a_rule(case: Case) -> None:
    school, schedule = case.make()
    assert check(school, schedule).ok
    assert rules_rejecting(build_instance(school), schedule, list(HARD_RULES)) == []


@pytest.mark.parametrize("case", [c for c in FAILING if c.id not in BEYOND_THE_MODEL],
                         ids=[c.id for c in FAILING if c.id not in BEYOND_THE_MODEL])
def test_the_model_rejects_every_schedule_just_outside_a_rule(case: Case) -> None:
    school, schedule = case.make()
    assert case.rule in check(school, schedule).by_rule()
    rejecting = rules_rejecting(build_instance(school), schedule, list(HARD_RULES))
    assert rejecting, f"the model takes a schedule that breaks rule {case.rule}"


def test_each_rule_rejects_some_case_of_its_own() -> None:
    """Each rule function, alone, catches at least one of its rule's just-outside cases
    (the rest it leaves to the variables that do not exist, which every rule shares)."""
    caught = set()
    for case in FAILING:
        if case.id in BEYOND_THE_MODEL:
            continue
        school, schedule = case.make()
        name = RULE_NAMES[case.rule]
        if name in rules_rejecting(build_instance(school), schedule, [name]):
            caught.add(name)
    assert caught == set(HARD_RULES) - {"time"}
    # Rule 1 is kept by the options themselves (a section can only meet in its band's
    # periods); its function adds one clause, caught under rule 2's cases.
    school, schedule = next(c for c in FAILING if c.id == "sections-two-meetings-one-day").make()
    assert "time" in rules_rejecting(build_instance(school), schedule, ["time"])


def test_the_cases_beyond_the_model_are_real_cases() -> None:
    assert set(BEYOND_THE_MODEL) <= {c.id for c in FAILING}
