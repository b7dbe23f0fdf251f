"""What-if scenarios: declarative changes to a school, applied without editing its workbook.

A scenario is data: a dict such as ::

    {"name": "more volunteers",
     "add_staff": {"role": "volunteer", "count": 5, "skills": "reading, art",
                   "unavailable": "Wed"},
     "budget_per_student_year": 800, "teacher_max_periods_week": 2,
     "close_room": {"type": "gym", "slots": "Wed"}, "drop_vendor": "V-MAKER",
     "participation": 0.95}

or one row of a scenarios workbook (sheet ``Scenarios``, one column per key; a
grouped key such as ``add_staff`` is written as columns ``add_staff.role``,
``add_staff.count`` …). :func:`parse_scenario` reads the dict, :func:`read_scenarios`
the workbook; both report every unknown key and bad value at once, naming the
scenario (and the sheet row and column). :func:`apply_scenario` gives a new
:class:`~models.school.School` through ``dataclasses.replace`` — the frozen school
is never touched — and validates it like a workbook, refusing it on errors.

The vocabulary is declared once, in :data:`KEYS`; ``docs/scenarios.md`` lists every
key with an example, and a test keeps the two in step. Values are read with the
workbook contract's own parsers (money in yuan → fen, slot lists, grade lists), so
a scenario cell means what the same cell means in a school workbook.
"""

from optimizer.district.scenarios.apply import apply_scenario
from optimizer.district.scenarios.vocabulary import (
    BASELINE,
    EXAMPLE_SCENARIOS,
    GROUPS,
    KEYS,
    Scenario,
    ScenarioError,
    fingerprint,
)
from optimizer.district.scenarios.workbook import (
    parse_scenario,
    parse_scenarios,
    read_scenarios,
    write_scenarios,
)

__all__ = ["BASELINE", "EXAMPLE_SCENARIOS", "GROUPS", "KEYS", "Scenario", "ScenarioError",
           "apply_scenario", "fingerprint", "parse_scenario", "parse_scenarios",
           "read_scenarios", "write_scenarios"]
