"""Scenarios: each change does exactly what it says, bad scenarios fail clearly, and the
comparison table and pictures come out of real solves.

Fixtures: ``tiny_school()`` (tests/factories.py) and ``vendor_school()`` below, a tiny
school with a robotics vendor. Every test of a change checks the changed part *and*
that everything else is as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import matplotlib
import openpyxl
import pandas as pd
import pytest

from models.school import Activity, School, Staff, Student
from models.validate import validate_school
from optimizer.district.compare import (
    KPI_COLUMNS,
    LOAD_COLUMNS,
    compare,
    district_summary,
    kpi_row,
    planner_table,
    plot_cost_satisfaction,
    plot_kpis,
    plot_teacher_load,
    teacher_load_distribution,
)
from optimizer.district.scenarios import (
    BASELINE,
    EXAMPLE_SCENARIOS,
    GROUPS,
    KEYS,
    Scenario,
    ScenarioError,
    apply_scenario,
    parse_scenario,
    parse_scenarios,
    read_scenarios,
    write_scenarios,
)
from optimizer.search.solve import Params, solve
from tests.factories import TERM_END, tiny_school, vendor

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[3]
ROBOT = Activity(id="ROBOT", name="Robotics", category="science", grades=frozenset(range(1, 7)),
                 provider="V-ROBO", skill="robots", max_size=8, fee_per_session=20_000)


def vendor_school() -> School:
    """tiny_school() plus a qualified robotics vendor with one vetted instructor, and
    robotics as S1's first choice."""
    school = tiny_school()
    instructor = Staff(id="R1", name="Robo Instructor", role="vendor_instructor",
                       skills=frozenset({"robots"}), vendor="V-ROBO", vetted=True,
                       vetted_until=dt.date(2027, 6, 30))
    students = tuple(dataclasses.replace(s, choices=("ROBOT", *s.choices)) if s.id == "S1" else s
                     for s in school.students)
    return dataclasses.replace(school, vendors=(vendor(),), staff=(*school.staff, instructor),
                               activities=(*school.activities, ROBOT), students=students)


def _same_except(before: School, after: School, *changed: str) -> None:
    """Every part of the school other than ``changed`` is untouched."""
    for part in ("info", "periods", "activities", "rooms", "staff", "vendors", "students"):
        if part not in changed:
            assert getattr(before, part) == getattr(after, part), part


# --- each change, exactly ---------------------------------------------------------------

def test_baseline_is_the_school_itself() -> None:
    school = tiny_school()
    assert apply_scenario(school, BASELINE) is school
    assert apply_scenario(school, {"name": "nothing", "description": "no change"}) is school


@pytest.mark.parametrize(("key", "value", "field", "expected"), [
    ("budget_per_student_year", 800, "budget_per_student_year", 80_000),
    ("budget_per_student_year", "800.5", "budget_per_student_year", 80_050),
    ("per_student_cap", 300, "per_student_cap", 30_000),
    ("study_ratio", 25, "study_ratio", 25),
])
def test_settings_change_only_the_school_sheet(key: str, value: object, field: str,
                                               expected: int) -> None:
    school = tiny_school()
    changed = apply_scenario(school, {"name": "s", key: value})
    assert getattr(changed.info, field) == expected
    assert dataclasses.replace(changed.info, **{field: getattr(school.info, field)}) \
        == school.info
    _same_except(school, changed, "info")


def test_budget_moves_an_unset_per_student_cap_with_it() -> None:
    """The workbook left per_student_cap blank: it is the term's per-head budget."""
    changed = apply_scenario(tiny_school(), {"name": "s", "budget_per_student_year": 800})
    assert changed.info.student_fee_cap == 40_000


def test_teacher_caps_lower_teachers_only_and_never_raise() -> None:
    school = tiny_school()
    school = dataclasses.replace(school, staff=tuple(
        dataclasses.replace(p, max_periods_week=1) if p.id == "T3" else p for p in school.staff))
    changed = apply_scenario(school, {"name": "cap", "teacher_max_periods_week": 2,
                                      "teacher_max_periods_day": 1})
    limits = {p.id: (p.max_periods_week, p.max_periods_day) for p in changed.staff}
    assert limits == {"T1": (2, 1), "T2": (2, 1), "T3": (1, 1), "V1": (10, 2)}
    _same_except(school, changed, "staff")


def test_add_staff_adds_vetted_people_with_fresh_ids() -> None:
    school = tiny_school()
    taken = Staff(id="VOL-NEW1", name="Already here", role="volunteer", vetted=True,
                  vetted_until=dt.date(2027, 6, 30))
    school = dataclasses.replace(school, staff=(*school.staff, taken))
    changed = apply_scenario(school, {"name": "more", "add_staff": {
        "role": "volunteer", "count": 3, "skills": "Reading, art", "unavailable": "Wed",
        "max_periods_week": 4, "pay_per_period": 50}})
    added = changed.staff[len(school.staff):]
    assert changed.staff[:len(school.staff)] == school.staff
    assert [p.id for p in added] == ["VOL-NEW2", "VOL-NEW3", "VOL-NEW4"]
    for person in added:
        assert person.role == "volunteer"
        assert person.skills == frozenset({"reading", "art"})
        assert person.unavailable == frozenset({(2, 1), (2, 2)})
        assert (person.max_periods_week, person.max_periods_day) == (4, 2)
        assert person.pay_per_period == 5_000
        assert person.vetted
        assert person.vetted_until == school.info.term_end == TERM_END
        assert changed.may_serve(person)
    _same_except(school, changed, "staff")


def test_added_teachers_get_the_teacher_default_and_the_cap() -> None:
    changed = apply_scenario(tiny_school(), {"name": "t", "teacher_max_periods_week": 3,
                                             "add_staff": {"role": "teacher", "count": 2}})
    added = [p for p in changed.staff if p.id.startswith("T-NEW")]
    assert [p.max_periods_week for p in added] == [3, 3]  # default 4, capped to 3


def test_remove_staff_by_ids_and_by_role_with_a_seeded_count() -> None:
    school = tiny_school()
    by_ids = apply_scenario(school, {"name": "r", "remove_staff": {"ids": "T2, V1"}})
    assert [p.id for p in by_ids.staff] == ["T1", "T3"]
    _same_except(school, by_ids, "staff")
    picks = set()
    for seed in range(8):
        changed = apply_scenario(school, {"name": "r", "seed": seed, "remove_staff": {
            "role": "teacher", "count": 2}})
        again = apply_scenario(school, {"name": "r", "seed": seed, "remove_staff": {
            "role": "teacher", "count": 2}})
        assert changed.staff == again.staff  # the same seed picks the same people
        remaining = [p.id for p in changed.staff]
        assert len(remaining) == 2
        assert "V1" in remaining
        picks.add(tuple(remaining))
    assert len(picks) > 1  # the seed, not the row order, decides who goes


def test_remove_staff_by_skill() -> None:
    changed = apply_scenario(tiny_school(), {"name": "r", "remove_staff": {"skill": "chess"}})
    assert [p.id for p in changed.staff] == ["T2", "T3", "V1"]


def test_staff_unavailable_adds_slots_to_the_chosen_people() -> None:
    school = tiny_school()
    changed = apply_scenario(school, {"name": "meeting", "staff_unavailable": {
        "role": "teacher", "slots": "Wed 2"}})
    for before, after in zip(school.staff, changed.staff, strict=True):
        expected = before.unavailable | ({(2, 2)} if before.is_teacher else set())
        assert after.unavailable == expected
        assert dataclasses.replace(after, unavailable=before.unavailable) == before


@pytest.mark.parametrize("closure", [{"ids": "GYM", "slots": "Wed; Mon 1"},
                                     {"type": "gym", "slots": "Wed; Mon 1"}])
def test_close_room_by_id_or_type(closure: dict[str, str]) -> None:
    school = tiny_school()
    changed = apply_scenario(school, {"name": "closed", "close_room": closure})
    gym = changed.room_by_id["GYM"]
    assert gym.unavailable == frozenset({(2, 1), (2, 2), (0, 1)})
    assert [r for r in changed.rooms if r.id != "GYM"] == [
        r for r in school.rooms if r.id != "GYM"]
    _same_except(school, changed, "rooms")


def test_closing_a_room_type_the_school_lacks_is_a_warning_not_an_error() -> None:
    """A district scenario "close the lab" in a school without a lab changes nothing."""
    school = tiny_school()
    changed = apply_scenario(school, {"name": "lab shut", "close_room": {"type": "lab",
                                                                         "slots": "Wed"}})
    assert changed.rooms == school.rooms
    [note] = [w for w in changed.warnings if w.sheet == "Scenarios"]
    assert "no room of type 'lab'" in note.message
    assert "lab shut" in note.message


def test_add_room_adds_free_rooms_of_the_type_with_fresh_ids() -> None:
    school = tiny_school()
    changed = apply_scenario(school, {"name": "field", "add_room": {
        "type": "Field", "capacity": 40, "count": 2, "unavailable": "Fri"}})
    added = changed.rooms[len(school.rooms):]
    assert [(r.id, r.type, r.capacity, r.fee_per_use) for r in added] == [
        ("FIELD-NEW1", "field", 40, 0), ("FIELD-NEW2", "field", 40, 0)]
    assert added[0].unavailable == frozenset({(4, 1), (4, 2)})
    _same_except(school, changed, "rooms")


def test_change_activity_raises_its_limits_and_leaves_the_rest() -> None:
    school = tiny_school()
    changed = apply_scenario(school, {"name": "more chess", "change_activity": {
        "ids": "CHESS", "max_sections": 3}})
    assert changed.activity_by_id["CHESS"] == dataclasses.replace(
        school.activity_by_id["CHESS"], max_sections=3)
    assert changed.activity_by_id["FOOT"] == school.activity_by_id["FOOT"]
    _same_except(school, changed, "activities")


@pytest.mark.parametrize(("change", "message"), [
    ({"ids": "STUDY", "max_size": 50}, r"no activity 'STUDY' that is not study"),
    ({"ids": "NOPE", "max_sections": 2}, r"no activity 'NOPE'"),
])
def test_change_activity_refuses_what_is_not_a_choosable_activity(
        change: dict[str, object], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        apply_scenario(tiny_school(), {"name": "c", "change_activity": change})


def test_change_vendor_sets_its_weekly_sessions() -> None:
    school = vendor_school()
    changed = apply_scenario(school, {"name": "more robots", "change_vendor": {
        "ids": "V-ROBO", "max_sessions_week": 7}})
    assert changed.vendor_by_id["V-ROBO"].max_sessions_week == 7
    _same_except(school, changed, "vendors")
    with pytest.raises(ScenarioError, match="unknown vendor 'V-X'"):
        apply_scenario(school, {"name": "x", "change_vendor": {"ids": "V-X",
                                                                "max_sessions_week": 1}})


def test_change_activity_without_a_change_is_refused() -> None:
    with pytest.raises(ScenarioError, match="max_sections and/or max_size"):
        parse_scenario({"name": "c", "change_activity": {"ids": "CHESS"}})


def test_drop_vendor_closes_its_activities_and_its_instructors_leave() -> None:
    school = vendor_school()
    changed = apply_scenario(school, {"name": "no robots", "drop_vendor": "V-ROBO"})
    assert changed.activity_by_id["ROBOT"].max_sections == 0
    assert [a for a in changed.activities if a.id != "ROBOT"] == [
        a for a in school.activities if a.id != "ROBOT"]
    assert "R1" not in changed.staff_by_id
    assert changed.vendors == school.vendors  # still referred to by its (closed) activity
    # Choices are kept, so a child who wanted robotics first counts as missing a choice.
    assert changed.students == school.students
    _same_except(school, changed, "activities", "staff")
    assert not [p for p in validate_school(changed) if p.is_error]


def test_drop_activity_closes_it() -> None:
    school = tiny_school()
    changed = apply_scenario(school, {"name": "no chess", "drop_activity": ["CHESS"]})
    assert changed.activity_by_id["CHESS"].max_sections == 0
    assert changed.activity_by_id["FOOT"] == school.activity_by_id["FOOT"]
    _same_except(school, changed, "activities")


def test_add_vendor_and_activity_with_demand_at_a_rank() -> None:
    school = tiny_school()
    changed = apply_scenario(school, {
        "name": "chess academy", "seed": 4,
        "add_vendor": {"id": "V-CHESS", "name": "Chess academy", "rating": 4.5,
                       "instructors": 2, "skills": "chess", "max_sessions_week": 3},
        "add_activity": {"id": "ACAD", "name": "Academy chess", "category": "club",
                         "grades": "1-6", "skill": "chess", "provider": "V-CHESS",
                         "max_size": 10, "fee_per_session": 150, "days": "Mon",
                         "demand": 0.5, "rank": 2},
    })
    new_vendor = changed.vendor_by_id["V-CHESS"]
    assert (new_vendor.qualified, new_vendor.contract_until, new_vendor.rating,
            new_vendor.max_sessions_week) == (True, TERM_END, 4.5, 3)
    instructors = [p for p in changed.staff if p.vendor == "V-CHESS"]
    assert [p.id for p in instructors] == ["V-CHESS-NEW1", "V-CHESS-NEW2"]
    assert all(changed.may_serve(p) and p.skills == {"chess"} for p in instructors)
    academy = changed.activity_by_id["ACAD"]
    assert (academy.provider, academy.fee_per_session, academy.max_sections,
            academy.allowed_slots) == ("V-CHESS", 15_000, 1, frozenset({(0, 1), (0, 2)}))
    choosing = [s for s in changed.students if "ACAD" in s.choices]
    assert len(choosing) == 3  # half of the six eligible registered students
    for student in choosing:
        before = school.student_by_id[student.id]
        assert student.choices == (before.choices[0], "ACAD", *before.choices[1:])
    assert not [p for p in validate_school(changed) if p.is_error]


def test_a_new_choice_pushes_a_sixth_off_the_list() -> None:
    school = tiny_school()
    extra = [Activity(id=f"X{k}", name=f"Extra {k}", category="club",
                      grades=frozenset(range(1, 7))) for k in range(1, 4)]
    students = tuple(dataclasses.replace(s, choices=("CHESS", "FOOT", "X1", "X2", "X3"))
                     for s in school.students)
    school = dataclasses.replace(school, activities=(*school.activities, *extra),
                                 students=students)
    changed = apply_scenario(school, {"name": "a", "add_activity": {
        "id": "NEW", "name": "New", "category": "arts", "grades": "3", "demand": 1}})
    assert all(s.choices == ("NEW", "CHESS", "FOOT", "X1", "X2") for s in changed.students)


def _roster() -> School:
    """Ten grade-3 students, four registered with different days and choices, and one
    grade-5 student with no registered classmate to take after."""
    school = tiny_school()
    registered = [
        Student(id=f"R{k}", name=f"Reg {k}", grade=3, class_name="3-1",
                days=frozenset({0, k % 5}), stay=1 + k % 2, wants=1,
                choices=("CHESS",) if k % 2 else ("FOOT", "CHESS"))
        for k in range(4)
    ]
    others = [Student(id=f"U{k}", name=f"Unreg {k}", grade=3, class_name="3-2")
              for k in range(5)]
    lone = Student(id="G5", name="Grade five", grade=5, class_name="5-1")
    return dataclasses.replace(school, students=(*registered, *others, lone))


def test_raising_participation_registers_students_like_their_classmates() -> None:
    school = _roster()
    changed = apply_scenario(school, {"name": "more", "seed": 2, "participation": 0.7})
    registered = [s for s in changed.students if s.registered]
    assert len(registered) == 7  # round(0.7 × 10)
    peers = {(s.days, s.stay, s.wants, s.choices) for s in school.students if s.registered}
    for student in registered:
        before = school.student_by_id[student.id]
        if not before.registered:
            assert student.id.startswith("U")  # never the grade-5 child: no one to copy
            assert (student.days, student.stay, student.wants, student.choices) in peers
            assert (student.name, student.grade, student.class_name, student.priority) == (
                before.name, before.grade, before.class_name, before.priority)
    again = apply_scenario(school, {"name": "more", "seed": 2, "participation": 0.7})
    assert again.students == changed.students
    _same_except(school, changed, "students")


def test_participation_beyond_the_students_who_could_register_is_refused() -> None:
    """Everyone but the grade-5 child may register; no registered grade-5 peer to copy."""
    with pytest.raises(ScenarioError, match=r"participation 1 needs 6 more registered "
                       r"students, but only 5 unregistered students"):
        apply_scenario(_roster(), {"name": "all", "participation": 1})


def test_lowering_participation_unregisters_students() -> None:
    school = _roster()
    changed = apply_scenario(school, {"name": "fewer", "participation": 0.2})
    assert sum(s.registered for s in changed.students) == 2
    assert all(s.choices == school.student_by_id[s.id].choices for s in changed.students)


def test_examples_apply_and_never_touch_the_original_school() -> None:
    from models.sample import generate_school

    school = generate_school(60, 3)
    for example in EXAMPLE_SCENARIOS:
        changed = apply_scenario(school, example)
        assert not [p for p in validate_school(changed) if p.is_error], example["name"]
    assert school == generate_school(60, 3)


# --- bad scenarios: clear errors ----------------------------------------------------------

@pytest.mark.parametrize(("data", "column", "message"), [
    ({"name": "x", "add_stuff": {"role": "volunteer"}}, "add_stuff",
     r"scenario 'x': unknown key 'add_stuff' \(did you mean 'add_staff'\?\)"),
    ({"name": "x", "budgt_per_student_year": 800}, "budgt_per_student_year",
     r"did you mean 'budget_per_student_year'"),
    ({"name": "x", "budget_per_student_year": "lots"}, "budget_per_student_year",
     r"expected an amount in yuan"),
    ({"name": "x", "budget_per_student_year": -5}, "budget_per_student_year",
     r"at least 0"),
    ({"name": "x", "teacher_max_periods_week": 11}, "teacher_max_periods_week",
     r"from 0 to 10"),
    ({"name": "x", "participation": 1.5}, "participation", r"from 0 to 1"),
    ({"name": "x", "participation": True}, "participation", r"expected a number"),
    ({"name": "x", "add_staff": {"role": "wizard"}}, "add_staff.role",
     r"expected one of teacher, retired_teacher"),
    ({"name": "x", "add_staff": {"count": 2}}, "add_staff.role", r"add_staff needs role"),
    ({"name": "x", "add_staff": {"role": "volunteer", "cnt": 2}}, "add_staff",
     r"unknown key 'cnt' in add_staff \(did you mean 'count'\?\)"),
    ({"name": "x", "add_staff": {"role": "vendor_instructor"}}, "add_staff",
     r"need the vendor they work for"),
    ({"name": "x", "add_staff": "five volunteers"}, "add_staff", r"takes a dict"),
    ({"name": "x", "close_room": {"type": "gym", "slots": "Wed 3"}}, "close_room.slots",
     r"there is no period 3"),
    ({"name": "x", "close_room": {"slots": "Wed"}}, "close_room", r"say which rooms close"),
    ({"name": "x", "close_room": {"ids": "GYM", "type": "gym", "slots": "Wed"}},
     "close_room", r"either by ids or by type"),
    ({"name": "x", "remove_staff": {}}, None, None),  # an empty group is no change
    ({"name": "x", "remove_staff": {"count": 2}}, "remove_staff", r"say which staff"),
    ({"name": "x", "add_activity": {"id": "A", "name": "A", "category": "tutoring",
                                    "grades": "1-3"}}, "add_activity.category",
     r"forbids collective teaching"),
    ({"name": "x", "add_activity": {"id": "A", "name": "A", "category": "club",
                                    "grades": "1-3", "max_size": 2, "min_size": 5}},
     "add_activity", r"max_size 2 is below min_size 5"),
    ({"description": "no name"}, "name", r"a scenario without a name: a name is required"),
    ({"name": "x", "add_staff": {"role": "volunteer"}, "add_staff.count": 3}, "add_staff",
     r"given both whole and as the dotted key 'add_staff.count'"),
    ({"add_staff.count": 3, "name": "x", "Add Staff": {"role": "volunteer"}}, "add_staff",
     r"given both whole and as the dotted key"),
    ({"name": "x", "study_ratio": 30, "Study Ratio": 35}, "study_ratio", r"given twice"),
    ({"name": "x", "close_room.slots": "Wed", "Close Room.Slots": "Thu"},
     "close_room.slots", r"given twice"),
])
def test_bad_scenarios_name_the_scenario_key_and_value(data: dict[str, object],
                                                       column: str | None,
                                                       message: str | None) -> None:
    if message is None:
        assert parse_scenario(data).is_baseline
        return
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(data)
    problems = raised.value.problems
    assert any(p.column == column and re.search(message, p.message) for p in problems), \
        [str(p) for p in problems]
    assert all(p.is_error and p.sheet == "Scenarios" for p in problems)


@pytest.mark.parametrize(("data", "column", "message"), [
    ({"name": "v", "drop_vendor": "V-NOPE"}, "drop_vendor",
     r"scenario 'v' on school 'Tiny Primary': unknown vendor 'V-NOPE'"),
    ({"name": "v", "drop_activity": "chess"}, "drop_activity",
     r"unknown activity 'chess'; expected one of CHESS, FOOT, ROBOT, STUDY"),
    ({"name": "v", "drop_activity": "STUDY"}, "drop_activity", r"cannot be dropped"),
    ({"name": "v", "remove_staff": {"ids": "T9"}}, "remove_staff", r"unknown staff id 'T9'"),
    ({"name": "v", "remove_staff": {"role": "parent"}}, "remove_staff",
     r"no staff with role parent"),
    ({"name": "v", "remove_staff": {"role": "teacher", "count": 4}}, "remove_staff",
     r"asks for 4 but 3 staff match role teacher"),
    ({"name": "v", "close_room": {"ids": "POOL", "slots": "Wed"}}, "close_room",
     r"unknown room 'POOL'"),
    ({"name": "v", "close_room": {"type": "swimming", "slots": "Wed"}}, "close_room",
     r"no room of type 'swimming'; expected one of classroom, gym"),
    ({"name": "v", "add_vendor": {"id": "V-ROBO"}}, "add_vendor", r"already exists"),
    ({"name": "v", "add_activity": {"id": "CHESS", "name": "C", "category": "club",
                                    "grades": "1-6"}}, "add_activity", r"already exists"),
    ({"name": "v", "add_activity": {"id": "N", "name": "N", "category": "club",
                                    "grades": "1-6", "provider": "V-X"}}, "add_activity",
     r"unknown vendor 'V-X' as provider"),
    ({"name": "v", "add_staff": {"role": "vendor_instructor", "vendor": "V-X"}},
     "add_staff", r"unknown vendor 'V-X'"),
])
def test_scenarios_that_do_not_fit_the_school_are_refused(data: dict[str, object],
                                                          column: str, message: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        apply_scenario(vendor_school(), data)
    assert any(p.column == column and re.search(message, p.message)
               for p in raised.value.problems), [str(p) for p in raised.value.problems]


def test_a_changed_school_with_validation_errors_is_refused() -> None:
    """The changed school is validated like a workbook: a study activity of two periods
    is an error there, so it is here, located at the scenario."""
    with pytest.raises(ScenarioError) as raised:
        apply_scenario(tiny_school(), {"name": "long study", "add_activity": {
            "id": "STUDY2", "name": "Long study", "category": "study", "grades": "1-6",
            "periods": 2}})
    [problem] = raised.value.problems
    assert problem.message.startswith("scenario 'long study' on school 'Tiny Primary': the "
                                      "changed school: Activities")
    assert "study is placed one class hour at a time" in problem.message


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ScenarioError, match="named 2 times"):
        parse_scenarios([{"name": "a"}, {"name": "a", "study_ratio": 30}])


# --- the scenarios workbook -----------------------------------------------------------------

def test_workbook_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.xlsx"
    write_scenarios(path, EXAMPLE_SCENARIOS)
    read = read_scenarios(path)
    assert read == parse_scenarios(EXAMPLE_SCENARIOS)
    assert [s.row for s in read] == list(range(2, 2 + len(EXAMPLE_SCENARIOS)))
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Scenarios", "Help"]
    help_keys = {row[0] for row in book["Help"].iter_rows(min_row=3, values_only=True)}
    assert help_keys == {k.name for k in KEYS}


def test_the_sample_scenarios_workbook_is_the_examples_and_fits_generated_schools() -> None:
    from models.sample import generate_school

    scenarios = read_scenarios(ROOT / "sample_data" / "scenarios.xlsx")
    assert scenarios == parse_scenarios(EXAMPLE_SCENARIOS)
    school = generate_school(80, 5)
    for scenario in scenarios:
        changed = apply_scenario(school, scenario)
        assert not [p for p in validate_school(changed) if p.is_error]


def _sheet(tmp_path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scenarios"
    for row in rows:
        sheet.append(row)
    path = tmp_path / "s.xlsx"
    book.save(path)
    return path


def test_workbook_errors_name_sheet_row_and_column(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [
        ["Name", "Budget Per Student Year", "add staff.role", "add_staff.count",
         "Close_Room.Slots"],
        ["ok", 800, None, None, None],
        [None, None, None, None, None],  # blank rows are skipped
        ["bad budget", "eight hundred", None, None, None],
        ["bad role", None, "wizard", 2, None],
        ["ok", None, None, None, None],
        ["closed", None, None, None, "Wed"],
    ])
    with pytest.raises(ScenarioError) as raised:
        read_scenarios(path)
    found = {(p.row, p.column) for p in raised.value.problems}
    assert found == {(4, "Budget Per Student Year"), (5, "add staff.role"), (6, "Name"),
                     (7, "Close_Room.Slots")}, [str(p) for p in raised.value.problems]
    messages = " | ".join(str(p) for p in raised.value.problems)
    assert "scenario 'bad budget'" in messages
    assert "named twice (also row 2)" in messages
    assert "close_room needs" not in messages  # slots alone: it is ids/type that are missing
    assert "say which rooms close" in messages


def test_workbook_unknown_column_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [["name", "partcipation"], ["a", 0.9]])
    with pytest.raises(ScenarioError, match=r"unknown column 'partcipation' \(did you mean "
                       r"'participation'\?\)") as raised:
        read_scenarios(path)
    assert raised.value.problems[0].row == 1


def test_a_scenario_from_a_workbook_is_located_when_it_does_not_fit(tmp_path: Path) -> None:
    path = _sheet(tmp_path, [["name", "drop_vendor"], ["a", "V-NOPE"]])
    [scenario] = read_scenarios(path)
    with pytest.raises(ScenarioError) as raised:
        apply_scenario(tiny_school(), scenario)
    [problem] = raised.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("Scenarios", 2, "drop_vendor")


def test_scenario_data_round_trips_and_digests_ignore_spelling() -> None:
    first = parse_scenario({"Name": "a", "Add Staff": {"Role": "volunteer", "count": 2},
                            "budget per student year": "800"})
    second = parse_scenario({"name": "b", "add_staff.role": "volunteer",
                             "add_staff.count": 2.0, "budget_per_student_year": 800})
    assert first.digest() == second.digest()
    assert parse_scenario(first.to_dict()) == first
    assert first.to_dict() == {"name": "a", "budget_per_student_year": "800",
                               "add_staff": {"role": "volunteer", "count": 2}}
    assert Scenario.from_dict(second.to_dict()) == second


def test_docs_list_every_key_with_an_example() -> None:
    docs = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"`{key.name}`" in docs, key.name
    for group in GROUPS:
        assert f"`{group}`" in docs, group


# --- solving a scenario, and comparing -------------------------------------------------------

@pytest.fixture(scope="module")
def solved() -> dict[str, object]:
    """The tiny school under three scenarios, solved to optimality."""
    school = vendor_school()
    params = Params(time_limit=10, workers=1, seed=2, deterministic=True)
    scenarios = parse_scenarios([
        {"name": "baseline"},
        {"name": "teachers max 0", "teacher_max_periods_week": 0},
        {"name": "no robots", "drop_vendor": "V-ROBO"},
        {"name": "impossible", "remove_staff": {"role": "volunteer"},
         "teacher_max_periods_week": 0},
    ])
    return {s.name: solve(apply_scenario(school, s), params) for s in scenarios}


def test_solves_keep_the_changed_rules(solved: dict[str, object]) -> None:
    from models.check import teacher_loads

    capped = solved["teachers max 0"]
    assert capped.report.ok  # type: ignore[attr-defined]
    assert max(teacher_loads(capped.school, capped.schedule).values()) == 0  # type: ignore[attr-defined]
    no_robots = solved["no robots"]
    assert all(s.activity_id != "ROBOT" for s in no_robots.schedule.sections)  # type: ignore[attr-defined]


def test_compare_gives_one_tidy_row_per_scenario(solved: dict[str, object]) -> None:
    table = compare(solved, baseline="baseline")  # type: ignore[arg-type]
    assert list(table["scenario"]) == list(solved)
    assert list(table.columns[:1 + len(KPI_COLUMNS)]) == ["scenario", *KPI_COLUMNS]
    assert set(LOAD_COLUMNS) <= set(table.columns)
    rows = table.set_index("scenario")
    assert rows.loc["baseline", "status"] == "optimal"
    assert rows.loc["baseline", "first_choice_share"] == 1.0
    assert rows.loc["baseline", "students_with_none"] == 0
    assert rows.loc["teachers max 0", "teacher_load_max"] == 0
    # S1 wanted robotics first; without the vendor they get their second choice.
    assert rows.loc["no robots", "first_choice_share"] == pytest.approx(5 / 6)
    assert rows.loc["no robots", "first_choice_share_change"] == pytest.approx(-1 / 6)
    assert rows.loc["no robots", "cost_yuan"] < rows.loc["baseline", "cost_yuan"]
    assert rows.loc["baseline", "budget_use"] == pytest.approx(
        rows.loc["baseline", "cost_yuan"] / rows.loc["baseline", "budget_yuan"])
    assert rows.loc["impossible", "status"] == "infeasible"
    assert not rows.loc["impossible", "ok"]
    assert rows.loc["impossible", "reason"]
    assert pd.isna(rows.loc["impossible", "first_choice_share"])
    teachers = rows.loc["baseline", list(LOAD_COLUMNS)].sum()
    assert teachers == 3  # the three in-service teachers, whatever their load


def test_district_tables_and_plots(solved: dict[str, object]) -> None:
    one = compare(solved)  # type: ignore[arg-type]
    frame = pd.concat([one.assign(school="a"), one.assign(school="b")], ignore_index=True)
    summary = district_summary(frame)
    baseline = summary.set_index("scenario").loc["baseline"]
    assert (baseline["schools"], baseline["solved"], baseline["failed"]) == (2, 2, 0)
    assert baseline["registered_students"] == 12
    impossible = summary.set_index("scenario").loc["impossible"]
    assert (impossible["solved"], impossible["failed"]) == (0, 2)
    table = planner_table(frame)
    assert table.loc[0, "Schools solved"] == "2 of 2"
    assert table.loc[0, "First choice"] == "100.0 %"
    loads = teacher_load_distribution(frame)
    assert set(loads.columns) == {"scenario", "load", "teachers", "share"}
    for figure in (plot_kpis(solved), plot_kpis(frame),  # type: ignore[arg-type]
                   plot_cost_satisfaction(solved), plot_cost_satisfaction(frame),  # type: ignore[arg-type]
                   plot_teacher_load(frame)):
        assert figure.axes
        figure.canvas.draw()  # renders without error


def test_kpi_row_of_a_failed_solve_keeps_the_columns(solved: dict[str, object]) -> None:
    row = kpi_row(solved["impossible"])  # type: ignore[arg-type]
    assert list(row)[:len(KPI_COLUMNS)] == list(KPI_COLUMNS)
    assert row["ok"] is False
    assert row["status"] == "infeasible"
