"""Cross-reference and policy checks on a built :class:`School`, in the school's words.

Works on any school — read from a workbook or changed by a scenario. An
:class:`Origin` says where each entity came from when the school was read from a
workbook, so a problem can name the Excel row and column to fix.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from models.contract import ACTIVITIES, PERIODS, ROOMS, SCHOOL, STAFF, STUDENTS, VENDORS
from models.messages import Message, msg
from models.problems import Problem, error, warning
from models.school import VENDOR_INSTRUCTOR, Activity, School
from models.time import ALL_SLOTS, DAYS, Slot, format_grades, format_slots, format_time
from models.time import PERIODS as PERIODS_OF_DAY


@dataclass(frozen=True, kw_only=True)
class Origin:
    """Where a school's entities sit in its workbook; empty for a school built in code."""

    rows: Mapping[tuple[str, str], int] = field(default_factory=dict)
    """(sheet, id) → Excel row. School keys use the key as id; Periods rows their index
    in ``School.periods``."""
    broken: frozenset[tuple[str, str]] = frozenset()
    """Ids whose rows had errors: references to them are not reported again."""
    incomplete: frozenset[str] = frozenset()
    """Sheets with rows left out because of errors. Checks that need the whole sheet
    (every period of a grade, a study activity for every grade, enough staff) are skipped
    there, so one bad cell is reported once and not again as a missing period."""
    unreadable: frozenset[str] = frozenset()
    """Sheets missing or without a required column: any reference into them may be right."""
    choice_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Student id → the column of each of their choices (choice2 when choice1 is blank)."""

    def row(self, sheet: str, entity_id: str) -> int | None:
        return self.rows.get((sheet, entity_id))

    def is_broken(self, sheet: str, entity_id: str) -> bool:
        return sheet in self.unreadable or (sheet, entity_id) in self.broken

    def choice_column(self, student_id: str, rank: int) -> str:
        columns = self.choice_columns.get(student_id, ())
        return columns[rank - 1] if rank <= len(columns) else f"choice{rank}"


def validate_school(school: School, origin: Origin | None = None) -> list[Problem]:
    """Every cross-reference and policy problem of the school, errors and warnings."""
    where = origin or Origin()
    checks = (
        _term, _latest_end_policy, _periods, _period_coverage, _activities, _study_present,
        _staff, _teacher_load_policy, _vendors, _students, _priority_levels, _look_alike_ids,
        _look_alike_words,
    )
    problems: list[Problem] = []
    for check in checks:
        problems.extend(check(school, where))
    return problems


Check = Iterator[Problem]


def _settled(where: Origin, *keys: str) -> bool:
    """These School settings were read (not stand-ins), so checks may judge by them."""
    return not any(where.is_broken(SCHOOL.name, key) for key in keys)


def _term(school: School, where: Origin) -> Check:
    if not _settled(where, "term_start", "term_end"):
        return
    info = school.info
    if info.term_end < info.term_start:
        yield error(SCHOOL.name, msg("school.term_end_first", start=info.term_start.isoformat()),
                    row=where.row(SCHOOL.name, "term_end"), column="value",
                    value=info.term_end.isoformat())


POLICY_LATEST_END = 18 * 60
"""The policy ends after-school service by 18:00."""

POLICY_TEACHER_WEEK = 4
"""In-service teachers' after-school class hours a week when the Staff sheet leaves it
blank (the contract's default, from the policy's limit on teachers' extra load)."""

PRIORITY_LEVELS = 5
"""Distinct priority values the goals tell apart; more are merged into the highest
(optimizer/model/instance.py: 17 to the power of the level must stay exact)."""


def _latest_end_policy(school: School, where: Origin) -> Check:
    """Service ends by 18:00: a later latest_end is allowed, and said."""
    latest = school.info.latest_end
    if latest > POLICY_LATEST_END and _settled(where, "latest_end"):
        yield warning(SCHOOL.name, msg("school.latest_end_late", latest=format_time(latest)),
                      row=where.row(SCHOOL.name, "latest_end"), column="value",
                      value=format_time(latest))


def _teacher_load_policy(school: School, where: Origin) -> Check:
    """An in-service teacher above the policy's default weekly load is allowed, and said."""
    for person in school.staff:
        if person.is_teacher and person.max_periods_week > POLICY_TEACHER_WEEK:
            yield warning(STAFF.name, msg("staff.teacher_load", hours=person.max_periods_week,
                                          default=POLICY_TEACHER_WEEK),
                          row=where.row(STAFF.name, person.id), column="max_periods_week",
                          value=person.max_periods_week)


def _priority_levels(school: School, where: Origin) -> Check:
    """More distinct priorities than the goals tell apart: the highest are merged, said
    with the rows of the students merged."""
    values = sorted({s.priority for s in school.registered_students if s.choices})
    if len(values) <= PRIORITY_LEVELS:
        return
    merged = values[PRIORITY_LEVELS - 1:]
    rows = sorted(r for s in school.registered_students
                  if s.choices and s.priority in merged[1:]
                  and (r := where.row(STUDENTS.name, s.id)) is not None)
    shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
    yield warning(STUDENTS.name, msg("student.priority_levels", count=len(values),
                                     levels=PRIORITY_LEVELS,
                                     merged=", ".join(map(str, merged)),
                                     rows=shown or msg("rows.none_read")),
                  column="priority", value=merged[-1])


def look_alike(entity_id: str) -> str:
    """An id as a person reads it: full-width forms as ASCII, case and spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", entity_id).casefold().split())


def _look_alike_ids(school: School, where: Origin) -> Check:
    """Ids that differ only in case, full-width forms or spaces are different ids to the
    optimizer and the same to a person: said, with both rows."""
    sheets = ((ACTIVITIES.name, school.activities), (ROOMS.name, school.rooms),
              (STAFF.name, school.staff), (VENDORS.name, school.vendors),
              (STUDENTS.name, school.students))
    for sheet, entities in sheets:
        first: dict[str, str] = {}
        for entity in entities:
            key = look_alike(entity.id)
            other = first.setdefault(key, entity.id)
            if other == entity.id:
                continue
            yield warning(sheet, msg("row.look_alike_id", id=entity.id, other=other,
                                     row=where.row(sheet, other)),
                          row=where.row(sheet, entity.id), column="id", value=entity.id)


def _word_key(word: str) -> str:
    """A skill or room type as a person reads it: look_alike, with - and _ as spaces."""
    return look_alike(word.replace("-", " ").replace("_", " "))


def _look_alike_words(school: School, where: Origin) -> Check:
    """A staff skill or room type written otherwise than the activity's (``table-tennis``
    for ``table tennis``) matches nothing, so that person or room is never used for it:
    said on the Staff or Rooms row, naming the activity's spelling."""
    skills = {_word_key(a.skill): a.skill for a in school.activities if a.skill}
    room_types = {_word_key(a.room_type): a.room_type for a in school.activities}
    for person in school.staff:
        for skill in sorted(person.skills):
            wanted = skills.get(_word_key(skill))
            if wanted is not None and wanted != skill and wanted not in person.skills:
                yield warning(STAFF.name, msg("staff.skill_spelling", skill=skill, wanted=wanted),
                              row=where.row(STAFF.name, person.id),
                              column="skills", value=skill)
    for room in school.rooms:
        wanted = room_types.get(_word_key(room.type))
        if wanted is not None and wanted != room.type:
            yield warning(ROOMS.name, msg("room.type_spelling", type=room.type, wanted=wanted),
                          row=where.row(ROOMS.name, room.id),
                          column="type", value=room.type)


def _effective_rows(school: School) -> dict[tuple[int, int, int], int]:
    """(grade, day, period) → index of the Periods row that sets it (a day's row wins)."""
    table: dict[tuple[int, int, int], int] = {}
    for specific in (False, True):
        for index, row in enumerate(school.periods):
            if (row.day is not None) != specific:
                continue
            for day in range(len(DAYS)) if row.day is None else (row.day,):
                for grade in row.grades:
                    table[grade, day, row.period] = index
    return table


def _periods(school: School, where: Origin) -> Check:
    latest = school.info.latest_end
    seen: dict[tuple[int, int | None, int], int | None] = {}
    for index, row in enumerate(school.periods):
        excel_row = where.row(PERIODS.name, str(index))
        if row.end > latest and _settled(where, "latest_end"):
            yield error(PERIODS.name, msg("period.after_latest_end", latest=format_time(latest)),
                        row=excel_row, column="end",
                        value=format_time(row.end))
        for grade in sorted(row.grades):
            key = (grade, row.day, row.period)
            if key in seen:
                day_name = msg("days.all") if row.day is None else DAYS[row.day]
                yield error(PERIODS.name, msg("period.twice", grade=grade, period=row.period,
                                              day=day_name, row=seen[key]),
                            row=excel_row, column="grades",
                            value=format_grades(row.grades))
                break
            seen[key] = excel_row
    effective = _effective_rows(school)
    # One problem per Periods row, naming the grades and days it affects.
    early: dict[int, tuple[set[int], set[int], int, int]] = {}
    alone: dict[int, tuple[set[int], set[int]]] = {}
    for grade in range(1, 10):
        for day in range(len(DAYS)):
            second_idx = effective.get((grade, day, 2))
            if second_idx is None:
                continue
            second = school.periods[second_idx]
            first_idx = effective.get((grade, day, 1))
            if first_idx is None:
                grades, days = alone.setdefault(second_idx, (set(), set()))
                grades.add(grade)
                days.add(day)
                continue
            first = school.periods[first_idx]
            if second.start < first.end:
                grades, days, _, _ = early.setdefault(
                    second_idx, (set(), set(), first.end, first_idx))
                grades.add(grade)
                days.add(day)
    for index, (grades, days, first_end, first_idx) in early.items():
        second = school.periods[index]
        yield error(PERIODS.name, msg("period.overlap", start=format_time(second.start),
                                      end=format_time(first_end), grades=format_grades(grades),
                                      days=_day_names(days),
                                      row=where.row(PERIODS.name, str(first_idx))),
                    row=where.row(PERIODS.name, str(index)),
                    column="start", value=format_time(second.start))
    if PERIODS.name in where.incomplete:
        return  # the missing period 1 may be on a row that could not be read
    for index, (grades, days) in alone.items():
        yield error(PERIODS.name, msg("period.second_alone", grades=format_grades(grades),
                                      days=_day_names(days)),
                    row=where.row(PERIODS.name, str(index)), column="period", value=2)


def _day_names(days: set[int]) -> Message | str:
    return msg("days.every") if len(days) == len(DAYS) else ", ".join(
        DAYS[d] for d in sorted(days))


def _period_coverage(school: School, where: Origin) -> Check:
    """Each grade with registered students has its periods on every registered day."""
    if PERIODS.name in where.incomplete:
        return  # a row that could not be read may be the one that covers them
    missing: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    first_student: dict[int, str] = {}
    for student in school.registered_students:
        for day in student.days:
            for period in range(1, student.stay + 1):
                if school.period_time(student.grade, day, period) is None:
                    missing[student.grade][period].add(day)
                    first_student.setdefault(student.grade, student.id)
    for grade, by_period in sorted(missing.items()):
        gaps = [msg("period.on_days", period=period, days=_day_names(days))
                for period, days in sorted(by_period.items())]
        student_row = where.row(STUDENTS.name, first_student[grade])
        first = (msg("student.at_row", row=student_row) if student_row
                 else msg("student.with_id", id=first_student[grade]))
        yield error(PERIODS.name, msg("period.missing_for_grade", grade=grade, gaps=gaps,
                                      first=first),
                    column="grades", value=grade)


def _activities(school: School, where: Origin) -> Check:
    room_types = {room.type for room in school.rooms}
    # An activity's staff, room or vendor may be on a row that could not be read.
    judge_opening = _settled(where, "term_end") and not where.incomplete & {
        ROOMS.name, STAFF.name, VENDORS.name}
    for activity in school.activities:
        row = where.row(ACTIVITIES.name, activity.id)
        if activity.provider is not None and activity.provider not in school.vendor_by_id:
            if not where.is_broken(VENDORS.name, activity.provider):
                yield error(ACTIVITIES.name, msg(
                    "activity.unknown_vendor",
                    hint=_did_you_mean(activity.provider, school.vendor_by_id)),
                            row=row, column="provider", value=activity.provider)
            continue
        if activity.is_study and activity.fee_per_student:
            yield error(ACTIVITIES.name, msg("activity.study_per_head"), row=row,
                        column="fee_per_student", value=activity.id)
        if activity.is_study and (activity.periods != 1 or activity.sessions_per_week != 1):
            yield error(ACTIVITIES.name, msg("activity.study_one_hour"), row=row,
                        column="periods" if activity.periods != 1 else "sessions_per_week",
                        value=activity.id)
        if PERIODS.name not in where.incomplete:
            yield from _slots_without_periods(school, activity, row)
        reason = _cannot_open(school, activity, room_types) if judge_opening else None
        if reason:
            text, column = reason
            yield warning(ACTIVITIES.name, msg("activity.cannot_open", name=activity.name,
                                               why=text),
                          row=row, column=column, value=activity.id)


def _slots_without_periods(school: School, activity: Activity, row: int | None) -> Check:
    """Allowed days on which no grade of the activity has a period there (``Mon 2`` for
    grades that stay one period on Monday) are never used: said, with the days. A whole
    day allowed where only one of its periods runs is no slip and not said."""
    if activity.allowed_slots == ALL_SLOTS:
        return  # blank or all: every slot its grades have
    unused: list[Slot] = []
    for day in range(len(DAYS)):
        allowed = [(day, p) for p in PERIODS_OF_DAY if (day, p) in activity.allowed_slots]
        if allowed and not any(school.period_time(g, d, p) is not None
                               for d, p in allowed for g in activity.grades):
            unused.extend(allowed)
    if not unused:
        return
    left = msg("activity.never_opens" if set(unused) == activity.allowed_slots
               else "activity.never_used")
    yield warning(ACTIVITIES.name, msg("activity.days_without_periods",
                                       slots=format_slots(unused),
                                       grades=format_grades(activity.grades), left=left),
                  row=row, column="days", value=format_slots(activity.allowed_slots))


def _did_you_mean(wrong: str, known: Mapping[str, object]) -> Message | str:
    """Ids are matched exactly; point out one that differs only in case or spaces."""
    folded = wrong.replace(" ", "").casefold()
    for candidate in known:
        if candidate.replace(" ", "").casefold() == folded:
            return msg("hint.exact_id", candidate=candidate)
    return ""


def _cannot_open(school: School, activity: Activity, room_types: set[str]
                 ) -> tuple[Message, str] | None:
    """Why the activity can never open (and the column to look at), or None."""
    if activity.max_sections == 0:
        return None  # switched off on purpose
    if activity.room_type not in room_types:
        return msg("why.no_room", type=activity.room_type), "room_type"
    if activity.provider is not None:
        vendor = school.vendor_by_id[activity.provider]
        if not school.vendor_may_serve(vendor.id):
            return msg("why.vendor_may_not", vendor=vendor.name), "provider"
        if not any(p.vendor == vendor.id and p.role == VENDOR_INSTRUCTOR
                   for p in school.serving_staff):
            return msg("why.no_instructor", vendor=vendor.name, id=vendor.id), "provider"
    able = sum(1 for p in school.staff if school.may_staff(p, activity))
    if able < activity.staff_per_section:
        need = (msg("need.skill", skill=activity.skill) if activity.skill
                else msg("need.provider_staff"))
        return msg("why.too_few_staff", staff=activity.staff_per_section, need=need,
                   able=able), "skill"
    return None


def _study_present(school: School, where: Origin) -> Check:
    """Every registered grade needs a study activity: the place of every unplaced child."""
    if ACTIVITIES.name in where.incomplete:
        return  # the study activity may be on a row that could not be read
    covered = {g for a in school.study_activities for g in a.grades}
    missing = sorted({s.grade for s in school.registered_students} - covered)
    if missing:
        yield error(ACTIVITIES.name, msg("activity.no_study", grades=format_grades(missing)),
                    column="category")


def _staff(school: School, where: Origin) -> Check:
    term_end = school.info.term_end.isoformat()
    for person in school.staff:
        row = where.row(STAFF.name, person.id)
        if person.vendor is not None and person.vendor not in school.vendor_by_id:
            if not where.is_broken(VENDORS.name, person.vendor):
                yield error(STAFF.name, msg("staff.unknown_vendor",
                                            hint=_did_you_mean(person.vendor,
                                                               school.vendor_by_id)),
                            row=row, column="vendor", value=person.vendor)
            continue
        if person.role == VENDOR_INSTRUCTOR and person.vendor is None:
            yield error(STAFF.name, msg("staff.instructor_without_vendor"), row=row,
                        column="vendor", value=person.id)
            continue
        if person.vendor is not None and person.role != VENDOR_INSTRUCTOR:
            yield warning(STAFF.name, msg("staff.vendor_not_instructor",
                                          role=msg(f"role.{person.role}")),
                          row=row, column="vendor", value=person.vendor)
        if person.is_teacher:
            if person.affiliated_vendor:
                yield warning(STAFF.name, msg("staff.affiliated"),
                              row=row, column="affiliated_vendor",
                              value=person.affiliated_vendor)
            continue
        role = msg(f"role.{person.role}")
        if not _settled(where, "term_end"):
            continue  # vetting is judged against term_end
        if not person.vetted:
            yield warning(STAFF.name, msg("staff.not_vetted", role=role), row=row,
                          column="vetted", value=person.id)
        elif person.vetted_until is None:
            yield warning(STAFF.name, msg("staff.vetted_no_end", role=role, term_end=term_end),
                          row=row,
                          column="vetted_until", value=person.id)
        elif person.vetted_until < school.info.term_end:
            yield warning(STAFF.name, msg("staff.vetted_expires",
                                          until=person.vetted_until.isoformat(),
                                          term_end=term_end), row=row,
                          column="vetted_until", value=person.vetted_until.isoformat())


def _vendors(school: School, where: Origin) -> Check:
    used = {a.provider for a in school.activities if a.provider}
    term_end = school.info.term_end.isoformat()
    for vendor in school.vendors:
        row = where.row(VENDORS.name, vendor.id)
        if vendor.id not in used or not _settled(where, "term_end"):
            continue
        if not vendor.qualified:
            yield warning(VENDORS.name, msg("vendor.not_qualified"),
                          row=row, column="qualified", value=vendor.id)
        elif vendor.contract_until is None:
            yield warning(VENDORS.name, msg("vendor.no_contract_end", term_end=term_end),
                          row=row, column="contract_until",
                          value=vendor.id)
        elif vendor.contract_until < school.info.term_end:
            yield warning(VENDORS.name, msg("vendor.contract_ends",
                                            until=vendor.contract_until.isoformat(),
                                            term_end=term_end), row=row,
                          column="contract_until", value=vendor.contract_until.isoformat())


def _students(school: School, where: Origin) -> Check:
    for student in school.students:
        row = where.row(STUDENTS.name, student.id)
        for rank, activity_id in enumerate(student.choices, start=1):
            column = where.choice_column(student.id, rank)
            activity = school.activity_by_id.get(activity_id)
            if activity is None:
                if not where.is_broken(ACTIVITIES.name, activity_id):
                    yield error(STUDENTS.name, msg(
                        "student.unknown_activity",
                        hint=_did_you_mean(activity_id, school.activity_by_id)),
                                row=row, column=column, value=activity_id)
                continue
            if activity.is_study:
                yield warning(STUDENTS.name, msg("student.chose_study"), row=row, column=column,
                              value=activity_id)
            elif student.grade not in activity.grades:
                yield warning(STUDENTS.name, msg("student.wrong_grade", grade=student.grade,
                                                 activity=activity.name,
                                                 grades=format_grades(activity.grades)),
                              row=row, column=column, value=activity_id)
            elif activity_id in student.choices[: rank - 1]:
                yield warning(STUDENTS.name, msg("student.chosen_twice"), row=row,
                              column=column, value=activity_id)
        if student.choices and not student.registered:
            yield warning(STUDENTS.name, msg("student.choices_unregistered"),
                          row=row, column="days", value=student.id)
        if student.registered and student.wants > 0 and not student.choices:
            yield warning(STUDENTS.name, msg("student.no_choices"),
                          row=row, column="choice1", value=student.id)
