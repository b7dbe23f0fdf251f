"""The scenario vocabulary: every key a scenario may hold, declared once (:data:`KEYS`),
the parsed :class:`Scenario`, the examples, and content fingerprints."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from models import contract
from models.contract import Column, Kind, normalize
from models.problems import WorkbookError
from models.school import (
    Activity,
)
from models.time import Slot

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
    # add_room
    _key("add_room.type", Kind.WORDS, "Type of the rooms added (the Rooms sheet's type).",
         "field", required=True),
    _key("add_room.capacity", Kind.INT, "Students each holds.", 40, required=True, minimum=1,
         maximum=2000),
    _key("add_room.count", Kind.INT, "How many rooms.", 1, default=1, minimum=1, maximum=100),
    _key("add_room.unavailable", Kind.SLOTS, "Slot list when they cannot be used.", "Fri"),
    # change_activity
    _ids("change_activity.ids", "Activity id(s) whose limits change. Not a study activity.",
         "FOOTBALL"),
    _key("change_activity.max_sections", Kind.INT, "Parallel sections it may open at most.",
         2, minimum=1, maximum=100),
    _key("change_activity.max_size", Kind.INT, "Students in a section at most.", 30,
         minimum=1, maximum=2000),
    # change_vendor
    _ids("change_vendor.ids", "Vendor id(s) whose weekly sessions change.", "V-ARTS"),
    _key("change_vendor.max_sessions_week", Kind.INT, "Section meetings per week at most.", 4,
         required=True, minimum=0, maximum=100),
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
    "add_room": "Add rooms (or venues) of a type, open every slot unless `unavailable` says.",
    "change_activity": "Let activities open more sections or take more students each.",
    "change_vendor": "Let vendors hold more (or fewer) section meetings a week.",
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
class RoomAddition:
    type: str
    capacity: int
    count: int = 1
    unavailable: frozenset[Slot] = frozenset()


@dataclass(frozen=True, kw_only=True)
class ActivityChange:
    ids: tuple[str, ...]
    max_sections: int | None = None  # None: unchanged
    max_size: int | None = None  # None: unchanged


@dataclass(frozen=True, kw_only=True)
class VendorChange:
    ids: tuple[str, ...]
    max_sessions_week: int


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
    add_room: tuple[RoomAddition, ...] = ()
    change_activity: tuple[ActivityChange, ...] = ()
    change_vendor: tuple[VendorChange, ...] = ()
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
        from optimizer.district.scenarios.workbook import parse_scenario

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
