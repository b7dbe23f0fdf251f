"""Applying a scenario: a new School through ``dataclasses.replace``, one small function
per kind of change, validated like a workbook."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from models import contract
from models.problems import Problem, Severity, error, warning
from models.school import (
    TEACHER,
    VENDOR_INSTRUCTOR,
    Room,
    School,
    Staff,
    Student,
    Vendor,
)
from models.validate import validate_school
from optimizer.district.scenarios.vocabulary import (
    MAX_CHOICES,
    SCENARIOS_SHEET,
    Scenario,
    ScenarioError,
    StaffRemoval,
)
from optimizer.district.scenarios.workbook import _column, parse_scenario

log = logging.getLogger(__name__)

class _Changes:
    """The school being changed, and what went wrong, located at the scenario's keys."""

    def __init__(self, school: School, scenario: Scenario) -> None:
        self.school = school
        self.scenario = scenario
        self.problems: list[Problem] = []

    def _locate(self, key: str, message: str) -> tuple[str, str]:
        where = f"scenario '{self.scenario.name}' on school '{self.school.info.name}'"
        return f"{where}: {message}", _column(self.scenario.headers, key)

    def error(self, key: str, message: str, value: object = None) -> None:
        text, column = self._locate(key, message)
        self.problems.append(error(SCENARIOS_SHEET, text, row=self.scenario.row,
                                   column=column, value=value))

    def warning(self, key: str, message: str, value: object = None) -> None:
        text, column = self._locate(key, message)
        self.problems.append(warning(SCENARIOS_SHEET, text, row=self.scenario.row,
                                     column=column, value=value))

    def rng(self, what: str) -> random.Random:
        """A generator for one change, seeded by the scenario's seed and the change: the
        same scenario picks the same people on every run (string seeds are hashed with
        SHA-512, not Python's salted hash)."""
        return random.Random(f"{self.scenario.seed}:{what}")


def apply_scenario(school: School, scenario: Scenario | Mapping[str, object]) -> School:
    """The school with the scenario's changes, validated like a workbook.

    Changes apply in the order of :data:`CHANGES`. Raises :class:`ScenarioError`
    naming the scenario, the key and (from a workbook) its row and column when an
    id is unknown or the changed school has validation errors. Warnings (an activity
    that can no longer open, a room type the school lacks) are logged and added to
    ``School.warnings`` with sheet ``Scenarios``.
    """
    if not isinstance(scenario, Scenario):
        scenario = parse_scenario(scenario)
    if scenario.is_baseline:
        return school
    changes = _Changes(school, scenario)
    for _name, change in CHANGES:
        changes.school = change(changes.school, scenario, changes)
    changed = changes.school
    if not any(p.is_error for p in changes.problems):
        _validate(school, changed, changes)
    errors = [p for p in changes.problems if p.is_error]
    if errors:
        raise ScenarioError(changes.problems)
    notes = tuple(p for p in changes.problems if not p.is_error)
    for note in notes:
        log.warning("%s", note.message)
    log.info("scenario '%s' applied to '%s': %s", scenario.name, school.info.name,
             scenario.summary())
    return replace(changed, warnings=tuple(school.warnings) + notes)


def _validate(original: School, changed: School, changes: _Changes) -> None:
    """Validate the changed school; report errors, and warnings the workbook did not have."""
    before = {p.message for p in validate_school(original)}
    for problem in validate_school(changed):
        if problem.message in before:
            continue
        text = f"the changed school: {problem.where}: {problem.message}"
        if problem.severity is Severity.ERROR:
            changes.error("name", text, problem.value)
        else:
            changes.warning("name", text, problem.value)


Change = Callable[[School, Scenario, _Changes], School]


def change_settings(school: School, scenario: Scenario, changes: _Changes) -> School:
    """Budget per student, per-student cap and study ratio become the scenario's."""
    updates = {name: getattr(scenario, name) for name in
               ("budget_per_student_year", "per_student_cap", "study_ratio")
               if getattr(scenario, name) is not None}
    if not updates:
        return school
    return replace(school, info=replace(school.info, **updates))


def drop_vendors(school: School, scenario: Scenario, changes: _Changes) -> School:
    """A dropped vendor's activities close and its instructors leave."""
    dropped = set()
    for vendor_id in scenario.drop_vendor:
        if vendor_id not in school.vendor_by_id:
            changes.error("drop_vendor", f"unknown vendor '{vendor_id}'; expected one of "
                          + _known(school.vendor_by_id), vendor_id)
        else:
            dropped.add(vendor_id)
    if not dropped:
        return school
    activities = tuple(replace(a, max_sections=0) if a.provider in dropped else a
                       for a in school.activities)
    staff = tuple(p for p in school.staff
                  if not (p.role == VENDOR_INSTRUCTOR and p.vendor in dropped))
    return replace(school, activities=activities, staff=staff)


def drop_activities(school: School, scenario: Scenario, changes: _Changes) -> School:
    """A dropped activity opens no section; students keep it among their choices."""
    dropped = set()
    for activity_id in scenario.drop_activity:
        activity = school.activity_by_id.get(activity_id)
        if activity is None:
            changes.error("drop_activity", f"unknown activity '{activity_id}'; expected one of "
                          + _known(school.activity_by_id), activity_id)
        elif activity.is_study:
            changes.error("drop_activity", f"'{activity_id}' is supervised study, where every "
                          "unplaced student goes; it cannot be dropped", activity_id)
        else:
            dropped.add(activity_id)
    if not dropped:
        return school
    return replace(school, activities=tuple(
        replace(a, max_sections=0) if a.id in dropped else a for a in school.activities))


def remove_staff(school: School, scenario: Scenario, changes: _Changes) -> School:
    """The chosen people leave: by id, or ``count`` of those with the role and skill."""
    staff = list(school.staff)
    for index, removal in enumerate(scenario.remove_staff):
        matches = _select_staff(staff, removal.ids, removal.role, removal.skill,
                                "remove_staff", changes)
        if matches is None:
            continue
        if removal.count is not None:
            if removal.count > len(matches):
                changes.error("remove_staff", f"remove_staff asks for {removal.count} but "
                              f"{len(matches)} staff match {_describe(removal)}")
                continue
            ordered = sorted(matches, key=lambda p: p.id)  # sampling, not row order, decides
            matches = changes.rng(f"remove_staff:{index}").sample(ordered, removal.count)
        leaving = {p.id for p in matches}
        staff = [p for p in staff if p.id not in leaving]
    return replace(school, staff=tuple(staff))


def add_vendors(school: School, scenario: Scenario, changes: _Changes) -> School:
    """A new vendor, qualified with a contract to term end, and its vetted instructors."""
    vendors, staff = list(school.vendors), list(school.staff)
    for addition in scenario.add_vendor:
        if any(v.id == addition.id for v in vendors):
            changes.error("add_vendor", f"vendor '{addition.id}' already exists; expected a "
                          "new id", addition.id)
            continue
        vendors.append(Vendor(id=addition.id, name=addition.name, qualified=True,
                              contract_until=school.info.term_end,
                              max_sessions_week=addition.max_sessions_week,
                              rating=addition.rating))
        used = {p.id for p in staff}
        for number in _fresh_numbers(used, f"{addition.id}-NEW", addition.instructors):
            staff.append(Staff(
                id=f"{addition.id}-NEW{number}", name=f"{addition.name} instructor {number}",
                role=VENDOR_INSTRUCTOR, skills=addition.skills, vendor=addition.id,
                vetted=True, vetted_until=school.info.term_end))
    return replace(school, vendors=tuple(vendors), staff=tuple(staff))


_ID_PREFIX = {"teacher": "T", "retired_teacher": "RT", "volunteer": "VOL", "parent": "PA",
              "professional": "PRO"}


def add_staff(school: School, scenario: Scenario, changes: _Changes) -> School:
    """``count`` new people of the role, with fresh ids, vetted through term end."""
    staff = list(school.staff)
    for addition in scenario.add_staff:
        if addition.vendor is not None and addition.vendor not in school.vendor_by_id:
            changes.error("add_staff", f"unknown vendor '{addition.vendor}'; expected one of "
                          + _known(school.vendor_by_id), addition.vendor)
            continue
        prefix = (f"{addition.vendor}-NEW" if addition.role == VENDOR_INSTRUCTOR
                  else f"{_ID_PREFIX[addition.role]}-NEW")
        label = addition.role.replace("_", " ")
        weekly = addition.max_periods_week
        if weekly is None:
            weekly = 4 if addition.role == TEACHER else 10  # the contract's blank, by role
        for number in _fresh_numbers({p.id for p in staff}, prefix, addition.count):
            staff.append(Staff(
                id=f"{prefix}{number}", name=f"New {label} {number}", role=addition.role,
                skills=addition.skills, vendor=addition.vendor, max_periods_week=weekly,
                max_periods_day=addition.max_periods_day, unavailable=addition.unavailable,
                # A background check through term end: the least the policy accepts.
                vetted=True, vetted_until=school.info.term_end,
                pay_per_period=addition.pay_per_period))
    return replace(school, staff=tuple(staff))


def make_staff_unavailable(school: School, scenario: Scenario, changes: _Changes) -> School:
    """The chosen people cannot serve in the given slots (on top of their own)."""
    staff = list(school.staff)
    for absence in scenario.staff_unavailable:
        matches = _select_staff(staff, absence.ids, absence.role, absence.skill,
                                "staff_unavailable", changes)
        if matches is None:
            continue
        chosen = {p.id for p in matches}
        staff = [replace(p, unavailable=p.unavailable | absence.slots) if p.id in chosen else p
                 for p in staff]
    return replace(school, staff=tuple(staff))


def cap_teachers(school: School, scenario: Scenario, changes: _Changes) -> School:
    """No in-service teacher works more after-school class hours than the caps allow."""
    week, day = scenario.teacher_max_periods_week, scenario.teacher_max_periods_day
    if week is None and day is None:
        return school
    if not any(p.is_teacher for p in school.staff):
        changes.warning("teacher_max_periods_week", "the school has no in-service teachers; "
                        "the cap changes nothing")
    return replace(school, staff=tuple(
        replace(p,
                max_periods_week=p.max_periods_week if week is None
                else min(p.max_periods_week, week),
                max_periods_day=p.max_periods_day if day is None
                else min(p.max_periods_day, day))
        if p.is_teacher else p
        for p in school.staff))


def close_rooms(school: School, scenario: Scenario, changes: _Changes) -> School:
    """The chosen rooms cannot be used in the given slots (on top of their own)."""
    rooms = list(school.rooms)
    for closure in scenario.close_room:
        if closure.ids:
            unknown = [i for i in closure.ids if i not in school.room_by_id]
            for room_id in unknown:
                changes.error("close_room", f"unknown room '{room_id}'; expected one of "
                              + _known(school.room_by_id), room_id)
            chosen = set(closure.ids) - set(unknown)
        else:
            chosen = {r.id for r in rooms if r.type == closure.type}
            if not chosen:
                types = sorted({r.type for r in rooms})
                if closure.type in contract.ROOM_TYPES:
                    # A district sweep closes "the gym" in schools that have none: nothing
                    # to close there, which is an answer, not a mistake.
                    changes.warning("close_room", f"the school has no room of type "
                                    f"'{closure.type}'; nothing closed", closure.type)
                else:
                    changes.error("close_room", f"no room of type '{closure.type}'; expected "
                                  "one of " + ", ".join(types), closure.type)
        rooms = [replace(r, unavailable=r.unavailable | closure.slots) if r.id in chosen else r
                 for r in rooms]
    return replace(school, rooms=tuple(rooms))


def add_rooms(school: School, scenario: Scenario, changes: _Changes) -> School:
    """``count`` new rooms of the type, with fresh ids, free of charge."""
    rooms = list(school.rooms)
    for addition in scenario.add_room:
        prefix = f"{addition.type.upper()}-NEW"
        for number in _fresh_numbers({r.id for r in rooms}, prefix, addition.count):
            rooms.append(Room(id=f"{prefix}{number}", name=f"New {addition.type} {number}",
                              type=addition.type, capacity=addition.capacity,
                              unavailable=addition.unavailable))
    return replace(school, rooms=tuple(rooms))


def change_activities(school: School, scenario: Scenario, changes: _Changes) -> School:
    """The chosen activities may open more (or fewer) sections, of another size."""
    activities = list(school.activities)
    for change in scenario.change_activity:
        for activity_id in change.ids:
            activity = school.activity_by_id.get(activity_id)
            if activity is None or activity.is_study:
                changes.error("change_activity", f"no activity '{activity_id}' that is not "
                              "study; expected one of " + _known(
                                  {a.id: a for a in school.activities if not a.is_study}),
                              activity_id)
                continue
            updates: dict[str, object] = {}
            if change.max_sections is not None:
                updates["max_sections"] = change.max_sections
            if change.max_size is not None:
                if change.max_size < activity.min_size:
                    changes.error("change_activity", f"max_size {change.max_size} is below "
                                  f"{activity_id}'s min_size {activity.min_size}",
                                  change.max_size)
                    continue
                updates["max_size"] = change.max_size
            activities = [replace(a, **updates) if a.id == activity_id else a  # type: ignore[arg-type]
                          for a in activities]
    return replace(school, activities=tuple(activities))


def change_vendors(school: School, scenario: Scenario, changes: _Changes) -> School:
    """The chosen vendors may hold this many section meetings a week."""
    vendors = list(school.vendors)
    for change in scenario.change_vendor:
        for vendor_id in change.ids:
            if vendor_id not in school.vendor_by_id:
                changes.error("change_vendor", f"unknown vendor '{vendor_id}'; expected one "
                              "of " + _known(school.vendor_by_id), vendor_id)
                continue
            vendors = [replace(v, max_sessions_week=change.max_sessions_week)
                       if v.id == vendor_id else v for v in vendors]
    return replace(school, vendors=tuple(vendors))


def set_participation(school: School, scenario: Scenario, changes: _Changes) -> School:
    """This share of the roster registers: more students register, or some un-register.

    A newly registered student copies the days, stay, wants and (if they listed none)
    the choices of a registered student of the same grade, drawn with the scenario's
    seed, so new demand looks like the school's own.
    """
    share = scenario.participation
    if share is None:
        return school
    students = list(school.students)
    target = round(share * len(students))
    registered = [s for s in students if s.registered]
    change = target - len(registered)
    if change == 0:
        return school
    rng = changes.rng("participation")
    if change < 0:
        leaving = set(rng.sample(sorted(s.id for s in registered), -change))
        return replace(school, students=tuple(
            replace(s, days=frozenset()) if s.id in leaving else s for s in students))
    peers: dict[int, list[Student]] = {}
    for student in sorted(registered, key=lambda s: s.id):
        peers.setdefault(student.grade, []).append(student)
    candidates = sorted(s.id for s in students if not s.registered and s.grade in peers)
    if change > len(candidates):
        changes.error("participation", f"participation {share:g} needs {change} more "
                      f"registered students, but only {len(candidates)} unregistered students "
                      "are in grades with registered students to take after", share)
        return school
    joining = set(rng.sample(candidates, change))
    updated = []
    for student in students:
        if student.id in joining:
            peer = rng.choice(peers[student.grade])
            student = replace(student, days=peer.days, stay=peer.stay, wants=peer.wants,
                              choices=student.choices or peer.choices)
        updated.append(student)
    return replace(school, students=tuple(updated))


def add_activities(school: School, scenario: Scenario, changes: _Changes) -> School:
    """A new activity, and a ``demand`` share of eligible students who choose it at ``rank``."""
    activities, students = list(school.activities), list(school.students)
    for index, addition in enumerate(scenario.add_activity):
        activity = addition.activity
        if any(a.id == activity.id for a in activities):
            changes.error("add_activity", f"activity '{activity.id}' already exists; expected "
                          "a new id", activity.id)
            continue
        if activity.provider is not None and activity.provider not in school.vendor_by_id:
            changes.error("add_activity", f"unknown vendor '{activity.provider}' as provider; "
                          "expected 'school' or one of " + _known(school.vendor_by_id),
                          activity.provider)
            continue
        activities.append(activity)
        if not addition.demand or activity.is_study:
            continue
        eligible = sorted(s.id for s in students
                          if s.registered and s.wants and s.grade in activity.grades)
        count = round(addition.demand * len(eligible))
        choosing = set(changes.rng(f"add_activity:{index}").sample(eligible, count))
        position = addition.rank - 1
        students = [
            replace(s, choices=(*s.choices[:position], activity.id,
                                *s.choices[position:])[:MAX_CHOICES])
            if s.id in choosing else s
            for s in students
        ]
        log.debug("add_activity %s: %d of %d eligible students choose it", activity.id,
                  count, len(eligible))
    return replace(school, activities=tuple(activities), students=tuple(students))


CHANGES: tuple[tuple[str, Change], ...] = (
    ("settings", change_settings),
    ("drop_vendor", drop_vendors),
    ("drop_activity", drop_activities),
    ("remove_staff", remove_staff),
    ("add_vendor", add_vendors),
    ("add_staff", add_staff),
    ("staff_unavailable", make_staff_unavailable),
    ("teacher caps", cap_teachers),
    ("close_room", close_rooms),
    ("add_room", add_rooms),
    ("change_activity", change_activities),
    ("change_vendor", change_vendors),
    ("participation", set_participation),
    ("add_activity", add_activities),
)
"""The changes in the order they apply: people added before the teacher caps (so an added
teacher is capped too), participation before new activities (so new registrants may choose
them), vendors before the staff and activities that name them."""


def _select_staff(staff: Sequence[Staff], ids: Sequence[str], role: str | None,
                  skill: str | None, key: str, changes: _Changes) -> list[Staff] | None:
    """Staff by id, or by role and/or skill; None after an error."""
    if ids:
        by_id = {p.id: p for p in staff}
        unknown = [i for i in ids if i not in by_id]
        for staff_id in unknown:
            changes.error(key, f"unknown staff id '{staff_id}'; expected ids from the Staff "
                          "sheet", staff_id)
        return None if unknown else [by_id[i] for i in ids]
    matches = [p for p in staff if (role is None or p.role == role)
               and (skill is None or skill in p.skills)]
    if not matches:
        what = " and ".join(part for part in (
            f"role {role}" if role else "", f"skill '{skill}'" if skill else "") if part)
        changes.error(key, f"no staff with {what}")
        return None
    return matches


def _describe(removal: StaffRemoval) -> str:
    parts = [f"role {removal.role}" if removal.role else "",
             f"skill '{removal.skill}'" if removal.skill else ""]
    return " and ".join(p for p in parts if p)


def _fresh_numbers(used: set[str], prefix: str, count: int) -> list[int]:
    """``count`` numbers n with ``prefix + n`` not yet an id, counting up from 1."""
    numbers: list[int] = []
    number = 0
    while len(numbers) < count:
        number += 1
        if f"{prefix}{number}" not in used:
            numbers.append(number)
    return numbers


def _known(by_id: Mapping[str, object]) -> str:
    ids = sorted(by_id)
    shown = ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")
    return shown or "(none in this school)"
