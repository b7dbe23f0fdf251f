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

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import hashlib
import json
import logging
import math
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from models import contract
from models.atomic import atomic_path
from models.cells import as_text, is_blank, parse_cell
from models.contract import Column, Kind, normalize
from models.problems import Problem, Severity, WorkbookError, error, warning
from models.school import (
    TEACHER,
    VENDOR_INSTRUCTOR,
    Activity,
    School,
    Staff,
    Student,
    Vendor,
)
from models.time import ALL_SLOTS, Slot, parse_time
from models.validate import validate_school

log = logging.getLogger(__name__)

SCENARIOS_SHEET = "Scenarios"
"""The sheet of a scenarios workbook: one row per scenario, one column per key."""

HELP_SHEET = "Help"

MAX_CHOICES = 5
"""The contract's choice1 … choice5."""

_ID_SEPARATORS = re.compile(r"[,;，；、]")


class ScenarioError(WorkbookError):
    """A scenario that cannot be read or applied. ``problems`` names each key, the
    scenario, and (from a workbook) the sheet row and column."""


# --- the vocabulary -------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Key:
    """One key of the vocabulary: how its value is read, and an example for the docs."""

    name: str
    """``budget_per_student_year``; in a group, ``add_staff.role``."""
    column: Column
    """How a value is read: the contract's kinds, ranges and choices."""
    example: object
    many: bool = False
    """A list of ids: a Python list, or text separated by commas or semicolons."""

    @property
    def group(self) -> str | None:
        return self.name.split(".")[0] if "." in self.name else None

    @property
    def short(self) -> str:
        """The name within its group: ``role`` for ``add_staff.role``."""
        return self.name.split(".")[-1]


def _key(name: str, kind: Kind, help_text: str, example: object, *, required: bool = False,
         default: object = None, minimum: float | None = None, maximum: float | None = None,
         choices: tuple[str, ...] = (), many: bool = False) -> Key:
    column = Column(name=name, kind=kind, help=help_text, required=required, default=default,
                    minimum=minimum, maximum=maximum, choices=choices)
    return Key(name=name, column=column, example=example, many=many)


def _ids(name: str, help_text: str, example: object) -> Key:
    return _key(name, Kind.ID, help_text, example, many=True)


_SETTINGS_KEYS: tuple[Key, ...] = (
    _key("name", Kind.TEXT, "Name of the scenario, unique in a sweep; shown in every table "
         "and chart.", "more volunteers", required=True),
    _key("description", Kind.TEXT, "Free text for the reader of the results.",
         "five more volunteers for reading and art"),
    _key("seed", Kind.INT, "Seed of the scenario's own random choices (which students register "
         "under `participation`, who adds a new activity, which staff `remove_staff` picks). "
         "Default 0.", 3, default=0, minimum=0),
    _key("budget_per_student_year", Kind.MONEY, "Yuan per enrolled student per year (the "
         "School sheet's key). A per_student_cap the workbook leaves blank follows it.", 800,
         minimum=0),
    _key("per_student_cap", Kind.MONEY, "Yuan of per-head fees one student may incur per term.",
         300, minimum=0),
    _key("study_ratio", Kind.INT, "At most this many students per supervising staff member in "
         "supervised study.", 30, minimum=1, maximum=200),
    _key("teacher_max_periods_week", Kind.INT, "Caps every in-service teacher's after-school "
         "class hours per week: a teacher whose own limit is lower keeps it.", 2, minimum=0,
         maximum=10),
    _key("teacher_max_periods_day", Kind.INT, "Caps every in-service teacher's class hours per "
         "day the same way.", 1, minimum=0, maximum=2),
    _key("participation", Kind.NUMBER, "Share (0-1) of the students on the roster who register. "
         "Raising it registers more students (deterministically, with `seed`), each copying the "
         "days, stay, wants and choices of a registered classmate of the same grade; lowering "
         "it un-registers students.", 0.95, minimum=0, maximum=1),
    _ids("drop_vendor", "Vendor id(s): the vendor's activities close (students keep them among "
         "their choices, so their ranks still count) and its instructors leave.", "V-MAKER"),
    _ids("drop_activity", "Activity id(s) that close. Not a study activity.", "CHESS, GO"),
)

_STAFF_FILTER_HELP = ("staff chosen either by `ids` or by `role` and/or `skill`")

_GROUP_KEYS: tuple[Key, ...] = (
    # add_staff
    _key("add_staff.role", Kind.CHOICE, "Role of the people added.", "volunteer",
         required=True, choices=contract.ROLES),
    _key("add_staff.count", Kind.INT, "How many people.", 5, default=1, minimum=1,
         maximum=1000),
    _key("add_staff.skills", Kind.TEXT, "Comma list of their skills.", "reading, art"),
    _key("add_staff.unavailable", Kind.SLOTS, "Slot list when they cannot serve.", "Wed"),
    _key("add_staff.max_periods_week", Kind.INT, "Class hours a week each; default teacher 4, "
         "others 10.", 4, minimum=0, maximum=10),
    _key("add_staff.max_periods_day", Kind.INT, "Class hours a day each.", 2, default=2,
         minimum=0, maximum=2),
    _key("add_staff.pay_per_period", Kind.MONEY, "Yuan paid per class hour.", 50, default=0,
         minimum=0),
    _key("add_staff.vendor", Kind.ID, "Vendor id, for role vendor_instructor.", "V-MAKER"),
    # remove_staff
    _ids("remove_staff.ids", "Staff ids to remove.", "VOL01, PA02"),
    _key("remove_staff.role", Kind.CHOICE, "Remove staff of this role …", "parent",
         choices=contract.ROLES),
    _key("remove_staff.skill", Kind.TEXT, "… and/or with this skill.", "football"),
    _key("remove_staff.count", Kind.INT, "How many of those matching (chosen with `seed`); "
         "default all of them.", 2, minimum=1, maximum=1000),
    # staff_unavailable
    _ids("staff_unavailable.ids", "Staff ids who become unavailable.", "T001, T002"),
    _key("staff_unavailable.role", Kind.CHOICE, "Everyone of this role …", "teacher",
         choices=contract.ROLES),
    _key("staff_unavailable.skill", Kind.TEXT, "… and/or with this skill.", "music"),
    _key("staff_unavailable.slots", Kind.SLOTS, "Slot list they cannot serve in (added to their "
         "own).", "Wed 2", required=True),
    # close_room
    _ids("close_room.ids", "Room ids to close.", "GYM1"),
    _key("close_room.type", Kind.WORDS, "Or every room of this type.", "gym"),
    _key("close_room.slots", Kind.SLOTS, "Slot list when they are closed (added to their own).",
         "Wed", required=True),
    # add_vendor
    _key("add_vendor.id", Kind.ID, "Id of the new vendor (qualified, contract to term_end).",
         "V-CHESS", required=True),
    _key("add_vendor.name", Kind.TEXT, "Its name; default the id.", "Shenzhen Chess Academy"),
    _key("add_vendor.rating", Kind.NUMBER, "1-5; default 3.", 4, default=3, minimum=1,
         maximum=5),
    _key("add_vendor.max_sessions_week", Kind.INT, "Section meetings per week at most; default "
         "unlimited.", 4, minimum=0),
    _key("add_vendor.instructors", Kind.INT, "Vendor instructors added with it (vetted to "
         "term_end).", 2, default=2, minimum=0, maximum=100),
    _key("add_vendor.skills", Kind.TEXT, "Comma list of the instructors' skills.", "chess"),
    # add_activity: every Activities column of the contract, then who chooses it.
    *(
        Key(name=f"add_activity.{c.name}", column=c,
            example={"id": "CHESS-V", "name": "Chess academy", "category": "club",
                     "grades": "3-6", "skill": "chess", "provider": "V-CHESS",
                     "max_size": 20, "max_sections": 2, "days": "Mon; Wed",
                     "fee_per_session": 200}.get(c.name, c.default))
        for c in contract.ACTIVITIES.columns
    ),
    _key("add_activity.demand", Kind.NUMBER, "Share (0-1) of the registered students of its "
         "grades who list it among their choices (chosen with `seed`).", 0.2, default=0,
         minimum=0, maximum=1),
    _key("add_activity.rank", Kind.INT, "The rank they give it; their later choices move down "
         "(a sixth falls off).", 1, default=1, minimum=1, maximum=MAX_CHOICES),
)

KEYS: tuple[Key, ...] = _SETTINGS_KEYS + _GROUP_KEYS
"""Every key of the vocabulary, in the order the docs and the workbook list them."""

GROUPS: dict[str, str] = {
    "add_staff": "Add people: `count` of them, with fresh ids, vetted through term_end.",
    "remove_staff": f"Remove people: {_STAFF_FILTER_HELP}.",
    "staff_unavailable": f"Make people unavailable on slots: {_STAFF_FILTER_HELP}.",
    "close_room": "Close rooms on slots: by `ids`, or every room of a `type`.",
    "add_vendor": "Add a qualified vendor and its instructors.",
    "add_activity": "Add an activity (the Activities sheet's columns) and students who "
                    "choose it.",
}
"""Grouped keys; in Python a dict (or a list of dicts), in a workbook dotted columns."""

_BY_NORMAL: dict[str, Key] = {normalize(k.name): k for k in KEYS}
_GROUP_BY_NORMAL: dict[str, str] = {normalize(g): g for g in GROUPS}


# --- the parsed scenario --------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class StaffAddition:
    role: str
    count: int = 1
    skills: frozenset[str] = frozenset()
    unavailable: frozenset[Slot] = frozenset()
    max_periods_week: int | None = None  # None: the contract's default for the role
    max_periods_day: int = 2
    pay_per_period: int = 0  # fen
    vendor: str | None = None


@dataclass(frozen=True, kw_only=True)
class StaffRemoval:
    ids: tuple[str, ...] = ()
    role: str | None = None
    skill: str | None = None
    count: int | None = None  # None: every match


@dataclass(frozen=True, kw_only=True)
class StaffAbsence:
    slots: frozenset[Slot]
    ids: tuple[str, ...] = ()
    role: str | None = None
    skill: str | None = None


@dataclass(frozen=True, kw_only=True)
class RoomClosure:
    slots: frozenset[Slot]
    ids: tuple[str, ...] = ()
    type: str | None = None


@dataclass(frozen=True, kw_only=True)
class VendorAddition:
    id: str
    name: str
    rating: float = 3.0
    max_sessions_week: int | None = None
    instructors: int = 2
    skills: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class ActivityAddition:
    activity: Activity
    demand: float = 0.0  # share of eligible registered students who choose it
    rank: int = 1


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A named set of changes to a school. Money in fen, as everywhere in the school."""

    name: str
    description: str = ""
    seed: int = 0
    budget_per_student_year: int | None = None
    per_student_cap: int | None = None
    study_ratio: int | None = None
    teacher_max_periods_week: int | None = None
    teacher_max_periods_day: int | None = None
    participation: float | None = None
    drop_vendor: tuple[str, ...] = ()
    drop_activity: tuple[str, ...] = ()
    add_staff: tuple[StaffAddition, ...] = ()
    remove_staff: tuple[StaffRemoval, ...] = ()
    staff_unavailable: tuple[StaffAbsence, ...] = ()
    close_room: tuple[RoomClosure, ...] = ()
    add_vendor: tuple[VendorAddition, ...] = ()
    add_activity: tuple[ActivityAddition, ...] = ()
    data: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)
    """The scenario as given (keys in the vocabulary's spelling), for tables and files."""
    row: int | None = field(default=None, compare=False, repr=False)
    """Its row in a scenarios workbook, to locate problems found when it is applied."""
    headers: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Key name → the column header as written in the workbook."""

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Scenario:
        """Read a scenario from a dict; see :func:`parse_scenario`."""
        return parse_scenario(data)

    @property
    def is_baseline(self) -> bool:
        """No change at all: the school as its workbook has it."""
        changes = {f.name for f in dataclasses.fields(self) if f.compare} - {
            "name", "description", "seed"}
        return all(getattr(self, n) in (None, ()) for n in changes)

    def to_dict(self) -> dict[str, object]:
        """The scenario as data again (a copy): ``parse_scenario(s.to_dict()) == s``."""
        return copy.deepcopy(dict(self.data))

    def digest(self) -> str:
        """A fingerprint of what the scenario changes (not of its name or how it was
        written), so a sweep can tell a finished pair from one whose scenario changed."""
        return fingerprint({f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                            if f.compare and f.name not in ("name", "description")})

    def summary(self) -> str:
        """One line: the changes as given, for logs and tables."""
        parts = []
        for key, value in self.data.items():
            if key in ("name", "description"):
                continue
            parts.append(f"{key}={_show(value)}")
        return "; ".join(parts) or "no change (baseline)"


BASELINE = Scenario(name="baseline", data={"name": "baseline"})
"""The school as its workbook has it."""

EXAMPLE_SCENARIOS: tuple[dict[str, object], ...] = (
    {"name": "baseline", "description": "the school as its workbook has it"},
    {"name": "5 more volunteers", "description": "five vetted volunteers for reading and art, "
     "four class hours a week each, paid 50 yuan an hour",
     "add_staff": {"role": "volunteer", "count": 5, "skills": "reading, art",
                   "max_periods_week": 4, "pay_per_period": 50}},
    {"name": "budget 800", "description": "800 yuan per student a year instead of 1,000",
     "budget_per_student_year": 800},
    {"name": "teachers max 2", "description": "in-service teachers at most two after-school "
     "class hours a week", "teacher_max_periods_week": 2},
    {"name": "gym closed Wed", "description": "the gym is closed on Wednesdays",
     "close_room": {"type": "gym", "slots": "Wed"}},
    {"name": "no maker vendor", "description": "the robotics and coding vendor is dropped",
     "drop_vendor": "V-MAKER"},
    {"name": "staff meeting Wed 2", "description": "teachers meet in period 2 on Wednesdays",
     "staff_unavailable": {"role": "teacher", "slots": "Wed 2"}},
    {"name": "95% register", "description": "95 % of the roster registers", "seed": 1,
     "participation": 0.95},
    {"name": "chess academy", "description": "a chess vendor with a club for grades 3-6 that "
     "15 % of them put first", "seed": 1,
     "add_vendor": {"id": "V-CHESS", "name": "Chess academy", "rating": 4, "instructors": 2,
                    "skills": "chess"},
     "add_activity": {"id": "CHESS-ACAD", "name": "Chess academy club", "category": "club",
                      "grades": "3-6", "skill": "chess", "provider": "V-CHESS", "max_size": 20,
                      "fee_per_session": 200, "demand": 0.15, "rank": 1}},
)
"""The scenarios of ``sample_data/scenarios.xlsx``; they fit every school ``schedule sample``
generates (each has a gym and the V-MAKER vendor)."""


def fingerprint(value: object) -> str:
    """A short hex digest of a scenario's or a school's content, the same in every
    process (sets are sorted, so Python's salted string hashes do not leak in)."""
    text = json.dumps(_canonical(value), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _canonical(value: object) -> object:
    """JSON-able and independent of set order and hash seeds, for digests."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.compare}
    if isinstance(value, frozenset | set):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _show(value: object) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


# --- reading ----------------------------------------------------------------------------

class _Reader:
    """Collects the problems of one scenario, each naming it and where it sits."""

    def __init__(self, label: str, row: int | None, headers: Mapping[str, str]) -> None:
        self.label = label
        self.row = row
        self.headers = headers
        self.problems: list[Problem] = []

    def error(self, key: str | None, message: str, value: object = None) -> None:
        column = None if key is None else _column(self.headers, key)
        self.problems.append(error(SCENARIOS_SHEET, f"{self.label}: {message}", row=self.row,
                                   column=column, value=value))


def _column(headers: Mapping[str, str], key: str) -> str:
    """The column a problem points at: the header as written; for a whole group, the
    headers of its columns in the workbook (``close_room.ids, close_room.slots``)."""
    if key in headers:
        return headers[key]
    in_group = [header for name, header in headers.items() if name.startswith(f"{key}.")]
    return ", ".join(in_group) or key


def _label(name: object, row: int | None) -> str:
    if not is_blank(name) and not _is_nan(name):
        return f"scenario '{as_text(name)}'"
    return f"the scenario in row {row}" if row is not None else "a scenario without a name"


def _is_nan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _blank(value: object) -> bool:
    """Blank cells, None and the NaN pandas gives for an empty cell all mean "not given"."""
    return is_blank(value) or _is_nan(value)


def parse_scenario(data: Mapping[str, object], *, row: int | None = None,
                   headers: Mapping[str, str] | None = None) -> Scenario:
    """Read one scenario; raise :class:`ScenarioError` listing every problem.

    Keys are matched like the workbook's columns: case-insensitive, ignoring spaces
    and underscores. A group (``add_staff`` …) is a dict, a list of dicts, or dotted
    keys (``add_staff.role``). ``row`` and ``headers`` locate problems in a workbook.
    """
    scenario, problems = _parse(data, row=row, headers=headers or {})
    if scenario is None:
        raise ScenarioError(problems)
    return scenario


def _parse(data: Mapping[str, object], *, row: int | None, headers: Mapping[str, str]
           ) -> tuple[Scenario | None, list[Problem]]:
    if not isinstance(data, Mapping):
        problem = error(SCENARIOS_SHEET, f"a scenario is a dict of changes, not "
                        f"{type(data).__name__}", row=row)
        return None, [problem]
    reader = _Reader(_label(_find_name(data), row), row, headers)
    top: dict[str, object] = {}
    groups: dict[str, list[dict[str, object]]] = {}
    # Groups given whole (``"add_staff": {...}``): their dotted keys would be a second copy.
    whole = {_GROUP_BY_NORMAL[normalize(str(k))] for k, v in data.items()
             if normalize(str(k)) in _GROUP_BY_NORMAL and not _blank(v) and v not in ({}, [])}
    for raw_key, raw_value in data.items():
        _sort_key(reader, str(raw_key), raw_value, top, groups, whole)
    values: dict[str, object] = {}
    for name, raw in top.items():
        parsed = _parse_value(reader, _BY_NORMAL[normalize(name)], raw)
        if parsed is not _BAD:
            values[name] = parsed
    if "name" not in values:
        reader.error("name", "a name is required; expected a short name such as 'more "
                     "volunteers', unique among the scenarios")
    built: dict[str, tuple[object, ...]] = {}
    for group, items in groups.items():
        made = []
        for index, item in enumerate(items):
            parsed_item = _parse_group_item(reader, group, index, len(items), item)
            if parsed_item is not None:
                made.append(parsed_item)
        built[group] = tuple(made)
    if reader.problems:
        return None, reader.problems
    scenario = Scenario(
        name=str(values["name"]),
        description=str(values.get("description") or ""),
        seed=int(values.get("seed") or 0),  # type: ignore[call-overload]
        budget_per_student_year=values.get("budget_per_student_year"),  # type: ignore[arg-type]
        per_student_cap=values.get("per_student_cap"),  # type: ignore[arg-type]
        study_ratio=values.get("study_ratio"),  # type: ignore[arg-type]
        teacher_max_periods_week=values.get("teacher_max_periods_week"),  # type: ignore[arg-type]
        teacher_max_periods_day=values.get("teacher_max_periods_day"),  # type: ignore[arg-type]
        participation=values.get("participation"),  # type: ignore[arg-type]
        drop_vendor=values.get("drop_vendor", ()),  # type: ignore[arg-type]
        drop_activity=values.get("drop_activity", ()),  # type: ignore[arg-type]
        data=_as_given(top, groups),
        row=row,
        headers=dict(headers),
        **built,  # type: ignore[arg-type]
    )
    return scenario, []


def _find_name(data: Mapping[str, object]) -> object:
    return next((v for k, v in data.items() if normalize(k) == "name"), None)


def _as_given(top: Mapping[str, object], groups: Mapping[str, list[dict[str, object]]]
              ) -> dict[str, object]:
    """The scenario as given, in the vocabulary's order and spelling: a group as a dict
    of its keys, or a list of such dicts."""
    given: dict[str, object] = {}
    for key in KEYS:
        if key.group is None and key.name in top:
            given[key.name] = top[key.name]
        elif key.group is not None and key.group in groups and key.group not in given:
            items = [{k.split(".")[1]: v for k, v in item.items()}
                     for item in groups[key.group]]
            given[key.group] = items[0] if len(items) == 1 else items
    return given


def _sort_key(reader: _Reader, raw_key: str, raw_value: object, top: dict[str, object],
              groups: dict[str, list[dict[str, object]]], whole: set[str]) -> None:
    """File one given key under its top-level key or its group, or report it unknown."""
    normal = normalize(raw_key)
    if normal in _GROUP_BY_NORMAL:
        group = _GROUP_BY_NORMAL[normal]
        if _blank(raw_value) or raw_value in ({}, []):
            return
        items = raw_value if isinstance(raw_value, list | tuple) else [raw_value]
        if not all(isinstance(item, Mapping) for item in items):
            reader.error(group, f"{group} takes a dict of its keys (or a list of them), e.g. "
                         + _group_example(group), value=_show(raw_value))
            return
        if group in groups:
            reader.error(group, f"{group} is given twice; expected it once")
            return
        groups[group] = []
        for item in items:
            fields: dict[str, object] = {}
            for sub_key, sub_value in item.items():  # type: ignore[union-attr]
                key = _BY_NORMAL.get(normalize(f"{group}.{sub_key}"))
                if key is None:
                    reader.error(group, f"unknown key '{sub_key}' in {group}"
                                 + _suggest(f"{group}.{sub_key}", group) + "; expected "
                                 + ", ".join(k.short for k in KEYS if k.group == group))
                    continue
                if not _blank(sub_value):
                    fields[key.name] = sub_value
            groups[group].append(fields)
        return
    key = _BY_NORMAL.get(normal)
    if key is None:
        reader.error(raw_key, f"unknown key '{raw_key}'" + _suggest(raw_key) + "; see "
                     "docs/scenarios.md for the keys", value=_show(raw_value))
        return
    if _blank(raw_value):
        return
    if key.group is None:
        if key.name in top:  # "study ratio" and "study_ratio" are one key
            reader.error(key.name, f"{key.name} is given twice; expected it once",
                         value=_show(raw_value))
            return
        top[key.name] = raw_value
        return
    if key.group in whole:
        reader.error(key.group, f"{key.group} is given both whole and as the dotted key "
                     f"'{raw_key}'; expected one of the two")
        return
    fields = groups.setdefault(key.group, [{}])[0]
    if key.name in fields:
        reader.error(key.name, f"{key.name} is given twice; expected it once",
                     value=_show(raw_value))
        return
    fields[key.name] = raw_value


def _suggest(wrong: str, group: str | None = None) -> str:
    names = [k.name for k in KEYS if group is None or k.group == group] + (
        list(GROUPS) if group is None else [])
    normal = {normalize(n): n for n in names}
    close = difflib.get_close_matches(normalize(wrong), list(normal), n=1, cutoff=0.75)
    if not close:
        return ""
    found = normal[close[0]]
    return f" (did you mean '{found.split('.')[-1] if group else found}'?)"


def _group_example(group: str) -> str:
    fields = [k for k in KEYS if k.group == group and (k.column.required or k.example)][:3]
    return "{" + ", ".join(f"'{k.short}': {k.example!r}" for k in fields) + "}"


_BAD = object()


def _parse_value(reader: _Reader, key: Key, raw: object) -> object:
    """The typed value, or ``_BAD`` after recording what was expected."""
    if key.many:
        items = [as_text(v) for v in raw] if isinstance(raw, list | tuple | set | frozenset) \
            else [part.strip() for part in _ID_SEPARATORS.split(as_text(raw))]
        ids = tuple(dict.fromkeys(i for i in items if i))
        if not ids:
            reader.error(key.name, "expected one or more ids separated by commas",
                         value=_show(raw))
            return _BAD
        return ids
    try:
        return parse_cell(key.column, raw)
    except ValueError as exc:  # ParseError, or a value no parser can take
        reader.error(key.name, f"{key.name}: expected {exc}", value=_show(raw))
        return _BAD


def _parse_group_item(reader: _Reader, group: str, index: int, count: int,
                      raw: dict[str, object]) -> object | None:
    """Build one item of a group, or None after recording its problems."""
    which = f"{group}" if count == 1 else f"{group} item {index + 1}"
    values: dict[str, object] = {}
    bad = False
    for key in (k for k in KEYS if k.group == group):
        if key.name in raw:
            parsed = _parse_value(reader, key, raw[key.name])
            if parsed is _BAD:
                bad = True
            else:
                values[key.short] = parsed
        elif key.column.required:
            reader.error(key.name, f"{which} needs {key.short}; expected {key.column.help}")
            bad = True
        elif key.column.default is not None:
            values[key.short] = _default(key.column)
    if bad:
        return None
    try:
        return _BUILDERS[group](values)
    except ValueError as exc:
        reader.error(group, f"{which}: {exc}")
        return None


def _default(column: Column) -> object:
    if column.kind is Kind.TIME:
        return parse_time(str(column.default))
    return parse_cell(column, column.default)


def _words(text: object) -> frozenset[str]:
    """A comma list of skills, lowercased like the reader does."""
    return frozenset(s.strip().lower() for s in re.split(r"[,，、;；]", str(text or ""))
                     if s.strip())


def _filters(values: dict[str, object], what: str) -> None:
    has_ids = bool(values.get("ids"))
    has_filter = values.get("role") is not None or values.get("skill") is not None
    if has_ids and has_filter:
        raise ValueError(f"give {what} either by ids or by role/skill, not both")
    if not has_ids and not has_filter:
        raise ValueError(f"say which {what}: ids, or a role and/or a skill")


def _build_add_staff(v: dict[str, object]) -> StaffAddition:
    role = str(v["role"])
    if role == VENDOR_INSTRUCTOR and not v.get("vendor"):
        raise ValueError("vendor instructors need the vendor they work for; expected "
                         "add_staff.vendor")
    if role != VENDOR_INSTRUCTOR and v.get("vendor"):
        raise ValueError(f"only vendor instructors have a vendor, not a {role}")
    return StaffAddition(
        role=role, count=int(v.get("count", 1)),  # type: ignore[call-overload]
        skills=_words(v.get("skills")),
        unavailable=v.get("unavailable") or frozenset(),  # type: ignore[arg-type]
        max_periods_week=v.get("max_periods_week"),  # type: ignore[arg-type]
        max_periods_day=int(v.get("max_periods_day", 2)),  # type: ignore[call-overload]
        pay_per_period=int(v.get("pay_per_period", 0)),  # type: ignore[call-overload]
        vendor=v.get("vendor"),  # type: ignore[arg-type]
    )


def _build_remove_staff(v: dict[str, object]) -> StaffRemoval:
    _filters(v, "staff to remove")
    return StaffRemoval(ids=v.get("ids", ()), role=v.get("role"),  # type: ignore[arg-type]
                        skill=_lower(v.get("skill")), count=v.get("count"))  # type: ignore[arg-type]


def _build_staff_unavailable(v: dict[str, object]) -> StaffAbsence:
    _filters(v, "staff become unavailable")
    return StaffAbsence(slots=v["slots"], ids=v.get("ids", ()),  # type: ignore[arg-type]
                        role=v.get("role"), skill=_lower(v.get("skill")))  # type: ignore[arg-type]


def _build_close_room(v: dict[str, object]) -> RoomClosure:
    if v.get("ids") and v.get("type"):
        raise ValueError("give the rooms either by ids or by type, not both")
    if not v.get("ids") and not v.get("type"):
        raise ValueError("say which rooms close: ids, or a type such as gym")
    return RoomClosure(slots=v["slots"], ids=v.get("ids", ()),  # type: ignore[arg-type]
                       type=v.get("type"))  # type: ignore[arg-type]


def _build_add_vendor(v: dict[str, object]) -> VendorAddition:
    vendor_id = str(v["id"])
    return VendorAddition(
        id=vendor_id, name=str(v.get("name") or vendor_id),
        rating=float(v.get("rating", 3)),  # type: ignore[arg-type]
        max_sessions_week=v.get("max_sessions_week"),  # type: ignore[arg-type]
        instructors=int(v.get("instructors", 2)),  # type: ignore[call-overload]
        skills=_words(v.get("skills")),
    )


def _build_add_activity(v: dict[str, object]) -> ActivityAddition:
    category = str(v["category"])
    max_sections = v.get("max_sections")
    if max_sections is None and category != "study":
        max_sections = 1  # the reader's default for a blank cell
    provider = v.get("provider")
    min_size = int(v.get("min_size", 1))  # type: ignore[call-overload]
    max_size = v.get("max_size")
    if max_size is not None and max_size < max(min_size, 1):  # type: ignore[operator]
        raise ValueError(f"max_size {max_size} is below min_size {min_size}")
    activity = Activity(
        id=str(v["id"]), name=str(v["name"]), category=category,
        grades=v["grades"],  # type: ignore[arg-type]
        periods=int(v.get("periods", 1)),  # type: ignore[call-overload]
        sessions_per_week=int(v.get("sessions_per_week", 1)),  # type: ignore[call-overload]
        min_size=min_size, max_size=max_size,  # type: ignore[arg-type]
        max_sections=max_sections,  # type: ignore[arg-type]
        room_type=str(v.get("room_type") or "classroom"),
        skill=_lower(v.get("skill")),
        staff_per_section=int(v.get("staff_per_section", 1)),  # type: ignore[call-overload]
        provider=None if str(provider or "school").lower() == "school" else str(provider),
        allowed_slots=v.get("days") or ALL_SLOTS,  # type: ignore[arg-type]
        fee_per_session=int(v.get("fee_per_session", 0)),  # type: ignore[call-overload]
        fee_per_student=int(v.get("fee_per_student", 0)),  # type: ignore[call-overload]
    )
    return ActivityAddition(activity=activity,
                            demand=float(v.get("demand", 0)),  # type: ignore[arg-type]
                            rank=int(v.get("rank", 1)))  # type: ignore[call-overload]


def _lower(value: object) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip().lower()


_BUILDERS: dict[str, Callable[[dict[str, object]], object]] = {
    "add_staff": _build_add_staff,
    "remove_staff": _build_remove_staff,
    "staff_unavailable": _build_staff_unavailable,
    "close_room": _build_close_room,
    "add_vendor": _build_add_vendor,
    "add_activity": _build_add_activity,
}


# --- the scenarios workbook -------------------------------------------------------------

def read_scenarios(path: str | Path) -> list[Scenario]:
    """Every scenario of a workbook's ``Scenarios`` sheet, one per non-blank row.

    Raises :class:`ScenarioError` with every problem (unknown columns, bad values,
    duplicate names), each naming the sheet, row and column.
    """
    import openpyxl

    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for missing or damaged files
        raise ScenarioError(f"{path.name} could not be opened as an Excel workbook "
                            f"({type(exc).__name__}: {exc})") from None
    try:
        sheet_name = next((n for n in workbook.sheetnames
                           if normalize(n) == normalize(SCENARIOS_SHEET)), None)
        if sheet_name is None:
            raise ScenarioError([error(SCENARIOS_SHEET, f"{path.name} has no sheet "
                                       f"'{SCENARIOS_SHEET}'; expected one row per scenario "
                                       "with a column per key (name, add_staff.role, …)")])
        rows = [(number, values) for number, values in enumerate(
            workbook[sheet_name].iter_rows(values_only=True), start=1)
            if any(not _blank(v) for v in values)]
    finally:
        workbook.close()
    return _scenarios_from_rows(rows)


def _scenarios_from_rows(rows: Sequence[tuple[int, tuple[object, ...]]]) -> list[Scenario]:
    if not rows:
        raise ScenarioError([error(SCENARIOS_SHEET, "the sheet is empty; expected a header "
                                   "row (name, and a column per key) and a row per scenario")])
    header_row, header = rows[0]
    problems: list[Problem] = []
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, cell in enumerate(header):
        if _blank(cell):
            continue
        text = as_text(cell)
        normal = normalize(text)
        if normal in seen:
            problems.append(error(SCENARIOS_SHEET, f"column '{text}' appears twice (also "
                                  f"'{seen[normal]}'); expected each key once",
                                  row=header_row, column=text))
            continue
        if normal not in _BY_NORMAL:
            problems.append(error(SCENARIOS_SHEET, f"unknown column '{text}'" + _suggest(text)
                                  + "; expected a key of docs/scenarios.md (grouped keys as "
                                  "add_staff.role, …)", row=header_row, column=text))
            continue
        seen[normal] = text
        columns[position] = text
    if "name" not in seen:
        problems.append(error(SCENARIOS_SHEET, "no 'name' column; expected the first row to "
                              "name the keys, with a name for each scenario",
                              row=header_row))
    if problems:
        raise ScenarioError(problems)
    scenarios: list[Scenario] = []
    names: dict[str, int] = {}
    for number, values in rows[1:]:
        data = {columns[i]: v for i, v in enumerate(values) if i in columns and not _blank(v)}
        headers = {_BY_NORMAL[normalize(text)].name: text for text in columns.values()}
        scenario, found = _parse(data, row=number, headers=headers)
        problems.extend(found)
        if scenario is None:
            continue
        if scenario.name in names:
            problems.append(error(SCENARIOS_SHEET, f"scenario '{scenario.name}' is named "
                                  f"twice (also row {names[scenario.name]}); expected unique "
                                  "names", row=number, column=headers.get("name", "name"),
                                  value=scenario.name))
            continue
        names[scenario.name] = number
        scenarios.append(scenario)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def parse_scenarios(items: Iterable[Scenario | Mapping[str, object]]) -> list[Scenario]:
    """Scenarios from dicts (or scenarios already read), names unique; every problem at once."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for item in items:
        if isinstance(item, Scenario):
            scenarios.append(item)
            continue
        scenario, found = _parse(item, row=None, headers={})
        problems.extend(found)
        if scenario is not None:
            scenarios.append(scenario)
    counts: dict[str, int] = {}
    for scenario in scenarios:
        counts[scenario.name] = counts.get(scenario.name, 0) + 1
    problems.extend(error(SCENARIOS_SHEET, f"scenario '{name}' is named {n} times; expected "
                          "unique names", column="name", value=name)
                    for name, n in counts.items() if n > 1)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def write_scenarios(path: str | Path, scenarios: Iterable[Scenario | Mapping[str, object]]
                    ) -> None:
    """A scenarios workbook: the ``Scenarios`` sheet (a column per key used) and a Help
    sheet listing every key. Raises ValueError for a scenario with a group given as a
    list (a row holds one item of each group)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    parsed = parse_scenarios(scenarios)
    rows: list[dict[str, object]] = []
    for scenario in parsed:
        row: dict[str, object] = {}
        for key, value in scenario.to_dict().items():
            if isinstance(value, list):
                raise ValueError(f"scenario '{scenario.name}': {key} has {len(value)} items; "
                                 "a workbook row holds one item per group")
            if isinstance(value, Mapping):
                row.update({f"{key}.{sub}": _cell(sub_value)
                            for sub, sub_value in value.items()})
            else:
                row[key] = _cell(value)
        rows.append(row)
    used = [k.name for k in KEYS if any(k.name in r for r in rows)]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SCENARIOS_SHEET
    sheet.append(used)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(name) for name in used])
    for position, name in enumerate(used, start=1):
        sheet.cell(row=1, column=position).alignment = Alignment(wrap_text=True)
        sheet.column_dimensions[sheet.cell(row=1, column=position).column_letter].width = \
            max(12, min(len(name) + 2, 28))
    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.append(["key", "meaning", "example"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    help_sheet.append(["", "One row of the Scenarios sheet is one scenario; a blank cell "
                       "changes nothing. Money in yuan; slot lists like 'Wed; Mon 2'.", ""])
    for declared in KEYS:
        help_sheet.append([declared.name, declared.column.help, _cell(declared.example)])
    help_sheet.column_dimensions["A"].width = 30
    help_sheet.column_dimensions["B"].width = 90
    help_sheet.column_dimensions["C"].width = 24
    with atomic_path(path) as temporary:
        workbook.save(temporary)


def _cell(value: object) -> object:
    """A value as a cell: lists as comma text, everything else as given."""
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return value


# --- applying ---------------------------------------------------------------------------

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
