"""Reading scenarios from dicts and from a scenarios workbook, and writing one; every
unknown key and bad value is reported at once, naming the scenario, row and column."""

from __future__ import annotations

import difflib
import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from models.atomic import atomic_path
from models.cells import as_text, is_blank, parse_cell
from models.contract import Column, Kind, normalize
from models.problems import Problem, error
from models.school import (
    VENDOR_INSTRUCTOR,
    Activity,
)
from models.time import ALL_SLOTS, parse_time
from optimizer.district.scenarios.vocabulary import (
    _BY_NORMAL,
    _GROUP_BY_NORMAL,
    _ID_SEPARATORS,
    GROUPS,
    HELP_SHEET,
    KEYS,
    SCENARIOS_SHEET,
    ActivityAddition,
    ActivityChange,
    Key,
    RoomAddition,
    RoomClosure,
    Scenario,
    ScenarioError,
    StaffAbsence,
    StaffAddition,
    StaffRemoval,
    VendorAddition,
    VendorChange,
    _show,
)

log = logging.getLogger(__name__)


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


def _build_add_room(v: dict[str, object]) -> RoomAddition:
    room_type = str(v["type"]).strip().lower()
    return RoomAddition(type=room_type, capacity=int(v["capacity"]),  # type: ignore[call-overload]
                        count=int(v.get("count", 1)),  # type: ignore[call-overload]
                        unavailable=v.get("unavailable") or frozenset())  # type: ignore[arg-type]


def _build_change_activity(v: dict[str, object]) -> ActivityChange:
    if not v.get("ids"):
        raise ValueError("say which activities change: ids")
    if v.get("max_sections") is None and v.get("max_size") is None:
        raise ValueError("say what changes: max_sections and/or max_size")
    return ActivityChange(ids=v["ids"], max_sections=v.get("max_sections"),  # type: ignore[arg-type]
                          max_size=v.get("max_size"))  # type: ignore[arg-type]


def _build_change_vendor(v: dict[str, object]) -> VendorChange:
    if not v.get("ids"):
        raise ValueError("say which vendors change: ids")
    return VendorChange(ids=v["ids"],  # type: ignore[arg-type]
                        max_sessions_week=int(v["max_sessions_week"]))  # type: ignore[call-overload]


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
    "add_room": _build_add_room,
    "change_activity": _build_change_activity,
    "change_vendor": _build_change_vendor,
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
