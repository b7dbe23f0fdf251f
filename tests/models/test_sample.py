"""Generated schools: deterministic, realistic, clean, and feasible by construction.

The feasibility and budget properties are recomputed here from the school alone,
without the generator's own roster, so a generator bug cannot hide behind itself.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from models.contract import CATEGORIES
from models.reader import inspect_workbook
from models.sample import describe, generate_school
from models.school import VENDOR_INSTRUCTOR, School, Student
from models.time import DAYS
from tests.factories import tiny_school

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLES = {  # file → (students, seed), as in sample_data/README.md
    "small_primary.xlsx": (300, 1),
    "medium_primary.xlsx": (1500, 2),
    "large_nine_year.xlsx": (3000, 3),
}
MARGIN = 1.15
CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


@pytest.fixture(scope="module")
def primary() -> School:
    return generate_school(num_students=300, seed=5)


@pytest.fixture(scope="module")
def nine_year() -> School:
    return generate_school(num_students=2400, seed=8)


@pytest.fixture(scope="module", params=["primary", "nine_year"])
def school(request: pytest.FixtureRequest) -> School:
    return request.getfixturevalue(request.param)


# --- an independent check of the study capacity ----------------------------------------

def study_shortfalls(school: School, margin: float = MARGIN) -> list[str]:
    """Every way the all-study schedule falls short: seats, supervisors, hours.

    In each day and at each clock time at which a period starts, for every set of
    periods running then (two bands overlap in time, whatever their period numbers),
    ``margin`` × the staying children must fit in the rooms and under the supervisors
    free for at least one of those periods (Hall's condition); per day and per week,
    the study sections needed must fit in the supervisors' class-hour limits.
    """
    ratio = school.info.study_ratio
    study_types = {a.room_type for a in school.study_activities}
    rooms = [r for r in school.rooms if r.type in study_types]
    people = [p for p in school.serving_staff if p.role != VENDOR_INSTRUCTOR]
    problems: list[str] = []
    week_sections = 0
    for day in range(len(DAYS)):
        staying: Counter[tuple[int, int, int]] = Counter()  # (period, start, end) → children
        for student in school.registered_students:
            for period in range(1, student.stay + 1):
                if day in student.days:
                    time = school.period_time(student.grade, day, period)
                    assert time is not None
                    staying[(period, time[0], time[1])] += 1
        day_sections = sum(math.ceil(n / ratio) for n in staying.values())
        week_sections += day_sections
        day_hours = sum(
            min(p.max_periods_day, p.max_periods_week,
                sum((day, k) not in p.unavailable for k in (1, 2)))
            for p in people)
        if day_sections > day_hours:
            problems.append(f"{DAYS[day]}: {day_sections} sections, {day_hours} hours")
        for point in sorted({start for _, start, _ in staying}):
            running = [k for k in staying if k[1] <= point < k[2]]
            for size in range(1, len(running) + 1):
                for group in itertools.combinations(running, size):
                    children = margin * sum(staying[k] for k in group)
                    periods = {(day, k[0]) for k in group}
                    seats = sum(min(r.capacity, ratio) for r in rooms
                                if not periods <= r.unavailable)
                    supervisors = sum(1 for p in people if not periods <= p.unavailable)
                    if children > seats or children > ratio * supervisors:
                        problems.append(f"{DAYS[day]} {point // 60}:{point % 60:02d}: "
                                        f"{children:.0f} children, {seats} seats, "
                                        f"{supervisors} supervisors")
    week_hours = sum(p.max_periods_week for p in people)
    if margin * week_sections > week_hours:
        problems.append(f"week: {week_sections} sections, {week_hours} hours")
    return problems


def worst_case_term_cost(school: School) -> int:
    """Fen if every section opened full and every paid person worked their weekly maximum."""
    info = school.info
    room_fee: dict[str, int] = defaultdict(int)
    for room in school.rooms:
        room_fee[room.type] = max(room_fee[room.type], room.fee_per_use)
    weekly = sum(p.max_periods_week * p.pay_per_period for p in school.staff)
    per_head = 0
    for activity in school.activities:
        if activity.is_study:
            weekly += 10 * sum(r.fee_per_use for r in school.rooms
                               if r.type == activity.room_type)
            continue
        sections = activity.max_sections or 0
        weekly += sections * activity.sessions_per_week * (
            activity.fee_per_session + room_fee[activity.room_type])
        per_head += sections * (activity.max_size or 0) * activity.fee_per_student
    return info.weeks * weekly + per_head


def test_study_check_sees_a_school_that_is_too_small() -> None:
    """The independent check is not vacuous: forty more children than one room holds fail."""
    base = tiny_school()
    crowd = tuple(Student(id=f"X{i}", name="学生", grade=3, class_name="3-1",
                          days=frozenset({0}), stay=1) for i in range(100))
    assert study_shortfalls(replace(base, students=base.students + crowd))
    assert study_shortfalls(base) == []


# --- determinism ---------------------------------------------------------------------------

def test_same_seed_gives_the_same_school() -> None:
    first, second = generate_school(400, seed=3), generate_school(400, seed=3)
    assert first == second
    assert describe(first) == describe(second)


def test_different_seeds_give_different_schools() -> None:
    assert generate_school(400, seed=3) != generate_school(400, seed=4)


# --- realism ---------------------------------------------------------------------------------

def test_size_decides_primary_or_nine_year(primary: School, nine_year: School) -> None:
    assert {s.grade for s in primary.students} == set(range(1, 7))
    assert {s.grade for s in nine_year.students} == set(range(1, 10))
    assert len(primary.students) == primary.info.enrolled == 300
    assert "小学" in primary.info.name
    assert "300" in primary.info.name


def test_every_category_including_study_and_visit(school: School) -> None:
    assert {a.category for a in school.activities} == set(CATEGORIES)
    visits = [a for a in school.activities if a.category == "visit"]
    offsite = {r.type for r in school.rooms} & {a.room_type for a in visits}
    assert offsite == {"offsite"}
    assert all(a.fee_per_session > 0 for a in visits)  # the bus
    study_grades = {g for a in school.study_activities for g in a.grades}
    assert study_grades == {s.grade for s in school.students}


def test_nine_year_school_has_two_bands_with_different_times(nine_year: School) -> None:
    bands = {row.grades for row in nine_year.periods}
    assert bands == {frozenset(range(1, 7)), frozenset({7, 8, 9})}
    for day in range(len(DAYS)):
        primary = [nine_year.period_time(3, day, p) for p in (1, 2)]
        junior = [nine_year.period_time(8, day, p) for p in (1, 2)]
        assert primary != junior
        assert all(end - start == 40 for start, end in primary)  # type: ignore[misc]
        assert all(end - start == 45 for start, end in junior)  # type: ignore[misc]
        assert max(end for _, end in junior) <= 18 * 60  # type: ignore[misc]


def test_names_are_chinese(school: School) -> None:
    assert all(CHINESE_NAME.match(s.name) for s in school.students)
    assert all(CHINESE_NAME.match(p.name) for p in school.staff)
    assert re.search(r"[\u4e00-\u9fff]", school.info.name)


def test_registration_stay_wants_and_choices(school: School) -> None:
    students = school.students
    registered = school.registered_students
    assert 0.80 <= len(registered) / len(students) <= 0.95
    assert all(3 <= len(s.days) <= 5 for s in registered)
    assert any(len(s.days) == 5 for s in registered)
    assert 0.15 <= sum(s.stay == 1 for s in registered) / len(registered) <= 0.35
    assert Counter(s.wants for s in registered).most_common(1)[0][0] == 1
    assert any(s.wants == 2 for s in registered)
    assert all(3 <= len(s.choices) <= 5 for s in registered)
    assert all(len(school.eligible_choices(s)) == len(s.choices) for s in registered)
    assert 0.01 <= sum(s.priority > 0 for s in registered) / len(registered) <= 0.10
    class_sizes = Counter(s.class_name for s in students)
    assert max(class_sizes.values()) <= 50
    assert all(re.fullmatch(r"[1-9]-\d+", c) for c in class_sizes)


def test_choices_favour_popular_activities(school: School) -> None:
    first = Counter(s.choices[0] for s in school.registered_students)
    offered = sum(1 for a in school.activities if not a.is_study)
    mean = len(school.registered_students) / offered
    assert first.most_common(1)[0][1] > 2 * mean


def test_staff_and_vendors_may_serve(school: School) -> None:
    roles = Counter(p.role for p in school.staff)
    assert {"teacher", "retired_teacher", "volunteer", "parent", VENDOR_INSTRUCTOR} <= set(roles)
    assert roles["teacher"] >= len(school.students) / 15
    assert all(school.may_serve(p) for p in school.staff)
    assert all(school.vendor_may_serve(v.id) for v in school.vendors)
    assert all(3 <= v.rating <= 5 for v in school.vendors)
    assert any(p.unavailable for p in school.staff)


# --- guarantees -----------------------------------------------------------------------------

def test_all_study_schedule_fits_with_margin(school: School) -> None:
    assert study_shortfalls(school) == []


@pytest.mark.parametrize(("num_students", "seed"), [(10, 1), (120, 2), (900, 3), (2100, 4)])
def test_guarantees_hold_across_sizes(num_students: int, seed: int) -> None:
    school = generate_school(num_students, seed)
    assert study_shortfalls(school) == []
    assert worst_case_term_cost(school) <= school.info.term_budget


def test_worst_case_cost_is_well_within_budget(school: School) -> None:
    assert worst_case_term_cost(school) <= 0.8 * school.info.term_budget


def test_describe_summarises_the_school(nine_year: School) -> None:
    text = describe(nine_year)
    assert nine_year.info.name in text
    assert f"{len(nine_year.registered_students)} registered" in text
    assert "grades 7-9" in text
    assert "study 2" in text
    assert "1,200,000 yuan" in text


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_committed_sample_validates_cleanly_and_matches_its_command(name: str) -> None:
    school, problems = inspect_workbook(SAMPLE_DIR / name)
    assert school is not None
    assert [str(p) for p in problems] == []
    num_students, seed = SAMPLES[name]
    assert school == generate_school(num_students, seed)  # regenerate when the generator changes
    assert study_shortfalls(school) == []
