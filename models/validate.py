"""Cross-reference and policy checks on a built :class:`School`, in the school's words.

Works on any school — read from a workbook or changed by a scenario. ``locate``
maps (sheet, id) to an Excel row when the school came from a workbook.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from models.contract import ACTIVITIES, PERIODS, SCHOOL, STAFF, STUDENTS, VENDORS
from models.problems import Problem, error, warning
from models.school import VENDOR_INSTRUCTOR, Activity, School
from models.time import DAYS, format_grades, format_time

Locate = Callable[[str, str], int | None]


def _nowhere(sheet: str, entity_id: str) -> int | None:
    return None


def validate_school(school: School, locate: Locate | None = None,
                    is_broken: Callable[[str, str], bool] | None = None) -> list[Problem]:
    """Every cross-reference and policy problem of the school, errors and warnings."""
    where = locate or _nowhere
    broken = is_broken or (lambda sheet, entity_id: False)
    checks = (
        _term, _periods, _period_coverage, _activities, _study_present, _staff, _vendors,
        _students,
    )
    problems: list[Problem] = []
    for check in checks:
        problems.extend(check(school, where, broken))
    return problems


Check = Iterator[Problem]


def _term(school: School, where: Locate, broken: Callable[[str, str], bool]) -> Check:
    info = school.info
    if info.term_end < info.term_start:
        yield error(SCHOOL.name, "term_end is before term_start", column="term_end",
                    value=info.term_end.isoformat())


def _periods(school: School, where: Locate, broken: Callable[[str, str], bool]) -> Check:
    latest = school.info.latest_end
    seen: dict[tuple[int, int | None, int], int | None] = {}
    for index, row in enumerate(school.periods):
        excel_row = where(PERIODS.name, str(index))
        if row.end > latest:
            yield error(PERIODS.name, f"ends after latest_end {format_time(latest)}; the policy "
                        "ends after-school service by 18:00", row=excel_row, column="end",
                        value=format_time(row.end))
        for grade in sorted(row.grades):
            key = (grade, row.day, row.period)
            if key in seen:
                day = "all days" if row.day is None else DAYS[row.day]
                yield error(PERIODS.name, f"grade {grade} already has period {row.period} on "
                            f"{day} (row {seen[key]}); expected one row per grade, day and "
                            "period", row=excel_row, column="grades",
                            value=format_grades(row.grades))
                break
            seen[key] = excel_row
    for grade in range(1, 10):
        for day in range(len(DAYS)):
            first = school.period_time(grade, day, 1)
            second = school.period_time(grade, day, 2)
            if first and second and second[0] < first[1]:
                yield error(PERIODS.name, f"grade {grade} on {DAYS[day]}: period 2 starts at "
                            f"{format_time(second[0])}, before period 1 ends at "
                            f"{format_time(first[1])}", column="start")
                break
            if second and not first:
                yield error(PERIODS.name, f"grade {grade} has period 2 on {DAYS[day]} but no "
                            "period 1", column="period")
                break


def _period_coverage(school: School, where: Locate, broken: Callable[[str, str], bool]
                     ) -> Check:
    """Each grade with registered students has its periods on every registered day."""
    missing: dict[tuple[int, int], set[int]] = defaultdict(set)  # (grade, period) → days
    first_row: dict[tuple[int, int], str] = {}
    for student in school.registered_students:
        for day in student.days:
            for period in range(1, student.stay + 1):
                if school.period_time(student.grade, day, period) is None:
                    missing[student.grade, period].add(day)
                    first_row.setdefault((student.grade, period), student.id)
    for (grade, period), days in sorted(missing.items()):
        day_names = ", ".join(DAYS[d] for d in sorted(days))
        stay = " and stay for period 2" if period == 2 else ""
        yield error(
            PERIODS.name,
            f"grade {grade} students are registered on {day_names}{stay}, but there is no "
            f"period {period} for grade {grade} on those days; add Periods rows (first such "
            f"student: Students row {where(STUDENTS.name, first_row[grade, period])})",
            column="grades", value=grade,
        )


def _activities(school: School, where: Locate, broken: Callable[[str, str], bool]) -> Check:
    room_types = {room.type for room in school.rooms}
    for activity in school.activities:
        row = where(ACTIVITIES.name, activity.id)
        if activity.provider is not None and activity.provider not in school.vendor_by_id:
            if not broken(VENDORS.name, activity.provider):
                yield error(ACTIVITIES.name, "unknown vendor; expected 'school' or an id from "
                            "the Vendors sheet", row=row, column="provider",
                            value=activity.provider)
            continue
        if activity.is_study and (activity.periods != 1 or activity.sessions_per_week != 1):
            yield error(ACTIVITIES.name, "study is placed one class hour at a time; expected "
                        "periods 1 and sessions_per_week 1 for a study activity", row=row,
                        column="periods" if activity.periods != 1 else "sessions_per_week",
                        value=activity.id)
        reason = _cannot_open(school, activity, room_types)
        if reason:
            text, column = reason
            yield warning(ACTIVITIES.name, f"activity '{activity.name}' cannot open: {text}",
                          row=row, column=column, value=activity.id)


def _cannot_open(school: School, activity: Activity, room_types: set[str]
                 ) -> tuple[str, str] | None:
    """Why the activity can never open (and the column to look at), or None."""
    if activity.max_sections == 0:
        return None  # switched off on purpose
    if activity.room_type not in room_types:
        return (f"no room of type '{activity.room_type}'", "room_type")
    if activity.provider is not None:
        vendor = school.vendor_by_id[activity.provider]
        if not school.vendor_may_serve(vendor.id):
            return (f"vendor '{vendor.name}' may not serve this term (not qualified or "
                           "contract ending before term_end)", "provider")
        if not any(p.vendor == vendor.id and p.role == VENDOR_INSTRUCTOR
                   for p in school.serving_staff):
            return (f"vendor '{vendor.name}' has no instructor who may serve (vetted "
                           "through term_end)", "provider")
    able = sum(1 for p in school.staff if school.may_staff(p, activity))
    if able < activity.staff_per_section:
        need = f"skill '{activity.skill}'" if activity.skill else "the provider's staff"
        return (f"needs {activity.staff_per_section} staff with {need} but {able} may "
                       "serve", "skill")
    return None


def _study_present(school: School, where: Locate, broken: Callable[[str, str], bool]) -> Check:
    """Every registered grade needs a study activity: the place of every unplaced child."""
    covered = {g for a in school.study_activities for g in a.grades}
    missing = sorted({s.grade for s in school.registered_students} - covered)
    if missing:
        yield error(ACTIVITIES.name, f"no study activity for grade(s) {format_grades(missing)}; "
                    "every registered student who is not in a chosen activity goes to "
                    "supervised study, so add an activity with category study for them",
                    column="category")


def _staff(school: School, where: Locate, broken: Callable[[str, str], bool]) -> Check:
    term_end = school.info.term_end.isoformat()
    for person in school.staff:
        row = where(STAFF.name, person.id)
        if person.vendor is not None and person.vendor not in school.vendor_by_id:
            if not broken(VENDORS.name, person.vendor):
                yield error(STAFF.name, "unknown vendor; expected an id from the Vendors sheet",
                            row=row, column="vendor", value=person.vendor)
            continue
        if person.role == VENDOR_INSTRUCTOR and person.vendor is None:
            yield error(STAFF.name, "a vendor instructor needs the vendor they work for",
                        row=row, column="vendor", value=person.id)
            continue
        if person.is_teacher:
            if person.affiliated_vendor:
                yield warning(STAFF.name, "in-service teacher affiliated with a social "
                              "institution may not serve (policy 5(1)); left out",
                              row=row, column="affiliated_vendor",
                              value=person.affiliated_vendor)
            continue
        if not person.vetted:
            yield warning(STAFF.name, f"{person.role.replace('_', ' ')} without a background "
                          "check may not serve; left out", row=row, column="vetted",
                          value=person.id)
        elif person.vetted_until is None or person.vetted_until < school.info.term_end:
            shown = person.vetted_until.isoformat() if person.vetted_until else "blank"
            yield warning(STAFF.name, f"background check valid until {shown}, before "
                          f"term_end {term_end}; left out", row=row, column="vetted_until",
                          value=shown)


def _vendors(school: School, where: Locate, broken: Callable[[str, str], bool]) -> Check:
    used = {a.provider for a in school.activities if a.provider}
    term_end = school.info.term_end
    for vendor in school.vendors:
        row = where(VENDORS.name, vendor.id)
        if vendor.id not in used:
            continue
        if not vendor.qualified:
            yield warning(VENDORS.name, "vendor has activities but has not passed the school's "
                          "selection (qualified = no); its activities cannot open", row=row,
                          column="qualified", value=vendor.id)
        elif vendor.contract_until is None or vendor.contract_until < term_end:
            shown = vendor.contract_until.isoformat() if vendor.contract_until else "blank"
            yield warning(VENDORS.name, f"contract ends {shown}, before term_end "
                          f"{term_end.isoformat()}; its activities cannot open", row=row,
                          column="contract_until", value=shown)


def _students(school: School, where: Locate, broken: Callable[[str, str], bool]) -> Check:
    unknown: dict[str, list[int | None]] = defaultdict(list)
    for student in school.students:
        row = where(STUDENTS.name, student.id)
        for rank, activity_id in enumerate(student.choices, start=1):
            column = f"choice{rank}"
            activity = school.activity_by_id.get(activity_id)
            if activity is None:
                if not broken(ACTIVITIES.name, activity_id):
                    unknown[activity_id].append(row)
                    yield error(STUDENTS.name, "unknown activity; expected an id from the "
                                "Activities sheet", row=row, column=column, value=activity_id)
                continue
            if activity.is_study:
                yield warning(STUDENTS.name, "study is not chosen (every unplaced student goes "
                              "to study); choice ignored", row=row, column=column,
                              value=activity_id)
            elif student.grade not in activity.grades:
                yield warning(STUDENTS.name, f"grade {student.grade} may not join "
                              f"'{activity.name}' (grades {format_grades(activity.grades)}); "
                              "choice ignored", row=row, column=column, value=activity_id)
            elif activity_id in student.choices[: rank - 1]:
                yield warning(STUDENTS.name, "the same activity is chosen twice; the later "
                              "choice is ignored", row=row, column=column, value=activity_id)
        if student.registered and student.wants > 0 and not student.choices:
            yield warning(STUDENTS.name, "registered but no choices listed; the student goes "
                          "to supervised study", row=row, column="choice1", value=student.id)
