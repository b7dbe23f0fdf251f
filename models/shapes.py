"""Schools of many shapes, for judging the optimizer on more than one kind of school.

``models.sample.generate_school`` makes one kind of school: a primary band and a
junior-middle band, each activity open to one band, sections scaled to the band.
A coordinator's school need not look like that. :class:`Shape` holds the knobs a
school's shape turns on — its grade bands and their clock times (bands may overlap
in clock time), how many activities and how many of them are open across bands,
how many sections each may open, staff per student and their mix, rooms per type,
the vendors' share, how concentrated the children's choices are, registration,
who stays for period 2 or wants two activities, and how tight the budget is —
and :func:`generate_shaped_school` builds a school of any shape and size.

:data:`SHAPES` is the benchmark's fixed grid of named shapes. They were written
down from what schools look like, before the optimizer was run on any of them;
a constant tuned until one of them looks good would defeat their purpose.

What every shaped school guarantees, as the generated samples do: a schedule with
every registered child in supervised study exists (rooms and supervisors are added
until a greedy all-study roster fits, with 15 % to spare), that schedule is within
the budget, and the workbook has no validation problem at all. Randomness comes
only from ``random.Random`` seeded by the shape's name and the seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace

from models.messages import Message, msg
from models.sample import (
    _ADULT_CHARS,
    _ROOM_KINDS,
    _Band,
    _check_clean,
    _hm,
    _info,
    _make_study_feasible,
    _period_rows,
    _person_name,
    _role_cost,
    _skill_needs,
    _students,
    _study_room_cost,
    _trim_to_budget,
    _unavailable,
    _vendor_limits,
    _vetted_until,
    _weekly_meetings,
)
from models.school import (
    FEN_PER_YUAN,
    TEACHER,
    VENDOR_INSTRUCTOR,
    Activity,
    Room,
    School,
    SchoolInfo,
    Staff,
    Student,
    Vendor,
)
from models.time import ALL_SLOTS, DAYS, ParseError, format_time, parse_time

_FRIDAY = 4
MAX_SECTIONS = 14
"""The most parallel sections a shaped activity may open (a large school's football)."""


class ShapeError(ValueError):
    """A shape that cannot be made. ``str()`` is the English; ``said`` the catalogue
    message, for the reader's language."""

    def __init__(self, said: Message) -> None:
        super().__init__(said.text("en"))
        self.said = said


@dataclass(frozen=True, kw_only=True)
class BandShape:
    """A grade band: its grades and when its two class hours run (minutes)."""

    grades: tuple[int, ...]
    start: int
    length: int = 40
    gap: int = 10
    friday_earlier: int = 0
    """Minutes earlier on Friday (0: Friday keeps the usual times)."""

    def times(self, shift: int = 0) -> tuple[tuple[int, int], tuple[int, int]]:
        first = self.start - shift
        second = first + self.length + self.gap
        return (first, first + self.length), (second, second + self.length)

    def __post_init__(self) -> None:
        if self.times()[1][1] > 18 * 60:
            raise ShapeError(msg("shape.late", time=format_time(self.times()[1][1])))


@dataclass(frozen=True, kw_only=True)
class Shape:
    """The knobs of a school's shape; every share is 0-1."""

    name: str
    bands: tuple[BandShape, ...] = (
        BandShape(grades=(1, 2, 3, 4, 5, 6), start=_hm(16, 0)),
        BandShape(grades=(7, 8, 9), start=_hm(16, 25), length=45, gap=5),
    )
    activities: int = 20
    """Activities besides supervised study (one study activity per band is added)."""
    cross_share: float = 0.0
    """Share of activities open to grades of more than one band."""
    section_scale: float = 1.0
    """max_sections against the sections the activity's expected first choices fill."""
    staff_per_100: float = 7.0
    """Staff (all roles but vendor instructors) per 100 students."""
    teacher_share: float = 0.75
    """Share of those staff who are in-service teachers."""
    room_slack: float = 1.0
    """Specialist rooms against what every section of their activities needs."""
    vendor_share: float = 0.15
    """Share of activities run by vendors."""
    concentration: float = 1.0
    """Zipf exponent of the activities' popularity: 0 even, 2 a few take all."""
    registration: float = 0.87
    leave_early: float = 0.25
    """Share of registered children picked up after period 1."""
    wants_two: float = 0.15
    """Share of choosers who want two activities."""
    two_periods: float = 0.1
    """Share of activities that take both periods (visits, long practices)."""
    two_sessions: float = 0.2
    """Share of one-period activities that meet twice a week."""
    budget_share: float = 0.75
    """The most the term could cost (every section open, every paid hour worked) against
    the budget: above 1 the budget can bind."""
    knobs: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def grades(self) -> tuple[int, ...]:
        return tuple(g for band in self.bands for g in band.grades)


def _overlapping_bands() -> tuple[BandShape, ...]:
    """Grades 1-3 dismissed at 15:40, grades 4-9 at 16:35: their hours overlap."""
    return (BandShape(grades=(1, 2, 3), start=_hm(15, 40), length=40, gap=10),
            BandShape(grades=(4, 5, 6, 7, 8, 9), start=_hm(16, 35), length=40, gap=5,
                      friday_earlier=30))


SHAPES: dict[str, Shape] = {s.name: s for s in (
    Shape(name="two-bands"),
    Shape(name="overlap-cross", bands=_overlapping_bands(), cross_share=0.6, activities=24,
          section_scale=1.2, staff_per_100=8.0, room_slack=1.5),
    Shape(name="one-band", bands=(BandShape(grades=tuple(range(1, 10)), start=_hm(16, 10)),),
          cross_share=0.0),
    Shape(name="three-bands",
          bands=(BandShape(grades=(1, 2), start=_hm(15, 30), friday_earlier=20),
                 BandShape(grades=(3, 4, 5, 6), start=_hm(16, 0)),
                 BandShape(grades=(7, 8, 9), start=_hm(16, 25), length=45, gap=5)),
          cross_share=0.3),
    Shape(name="scarce-staff", staff_per_100=4.0, teacher_share=0.9, section_scale=1.5),
    Shape(name="rich-staff", bands=_overlapping_bands(), staff_per_100=12.0, room_slack=2.0,
          cross_share=0.4),
    Shape(name="vendor-heavy", vendor_share=0.5, budget_share=1.3),
    Shape(name="concentrated", concentration=2.0, section_scale=0.7, bands=_overlapping_bands(),
          cross_share=0.5),
    Shape(name="even-choices", concentration=0.0, activities=30),
    Shape(name="tight-budget", budget_share=2.0, vendor_share=0.3),
    Shape(name="long-sessions", two_periods=0.35, two_sessions=0.5, leave_early=0.1),
    Shape(name="few-rooms", room_slack=0.5, bands=_overlapping_bands(), cross_share=0.3),
    Shape(name="two-each", wants_two=0.5, registration=0.95, activities=16),
    Shape(name="few-activities", activities=8, section_scale=1.5, cross_share=0.5,
          bands=_overlapping_bands()),
)}
"""The benchmark's grid of school shapes, fixed before any was solved."""

# Activity kinds: (name, category, room type, skill, max size).
_KINDS: tuple[tuple[str, str, str, str | None, int], ...] = (
    ("足球", "sports", "field", "football", 30),
    ("篮球", "sports", "gym", "basketball", 24),
    ("羽毛球", "sports", "gym", "badminton", 20),
    ("乒乓球", "sports", "gym", "pingpong", 16),
    ("田径", "sports", "field", "athletics", 30),
    ("跳绳", "sports", "gym", None, 30),
    ("国际象棋", "club", "classroom", "chess", 24),
    ("围棋", "club", "classroom", "chess", 24),
    ("辩论", "club", "classroom", "debate", 24),
    ("美术", "arts", "art", "art", 30),
    ("书法", "arts", "classroom", "calligraphy", 30),
    ("合唱", "arts", "music", "music", 40),
    ("舞蹈", "arts", "music", "dance", 25),
    ("科学实验", "science", "lab", "science", 30),
    ("机器人", "science", "lab", "programming", 20),
    ("编程", "science", "lab", "programming", 25),
    ("绘本阅读", "reading", "library", "reading", 30),
    ("名著阅读", "reading", "library", "reading", 30),
    ("种植", "other", "garden", None, 25),
    ("手工", "other", "classroom", None, 30),
)
_VISIT = ("场馆研学", "visit", "offsite", None, 40)
_ROOM_CAPACITY = {"gym": 60, "field": 80, "lab": 40, "art": 40, "music": 50, "library": 50,
                  "garden": 30}
_OUTSIDER_ROLES = (("retired_teacher", "RT", 6, 80), ("volunteer", "VOL", 4, 50),
                   ("parent", "PA", 3, 50), ("professional", "PRO", 6, 100))


def shape_with(base: Shape | str, **knobs: object) -> Shape:
    """``base`` (a Shape or the name of one of :data:`SHAPES`) with some knobs changed.

    Values may be text (from a command line): they are converted to the knob's type.
    """
    shape = SHAPES[base] if isinstance(base, str) else base
    known = {f.name: f for f in fields(Shape) if f.name not in ("name", "bands", "knobs")}
    changes: dict[str, object] = {}
    for key, value in knobs.items():
        if key not in known:
            raise ShapeError(msg("shape.unknown_knob", knob=key, known=", ".join(sorted(known))))
        text = str(value)
        try:
            changes[key] = int(text) if known[key].type in (int, "int") else float(text)
        except ValueError:
            raise ShapeError(msg("shape.knob_not_number", knob=key, value=text)) from None
    if not changes:
        return shape
    label = ",".join(f"{k}={changes[k]}" for k in sorted(changes))
    return replace(shape, name=f"{shape.name}[{label}]", **changes)  # type: ignore[arg-type]


def generate_shaped_school(num_students: int, seed: int, shape: Shape | str) -> School:
    """A school of ``num_students`` of the given shape, the same for the same seed."""
    if isinstance(shape, str):
        if shape not in SHAPES:
            raise ShapeError(msg("shape.unknown", shape=shape, known=", ".join(SHAPES)))
        shape = SHAPES[shape]
    if num_students < 1:
        raise ShapeError(msg("shape.no_students"))
    grades = shape.grades()
    if len(set(grades)) != len(grades):
        raise ShapeError(msg("shape.grade_twice"))
    rng = random.Random(f"{shape.name}:{num_students}:{seed}")
    bands = tuple(_Band(key=f"B{k + 1}", label=_grades_label(b.grades), grades=b.grades,
                        times=b.times(),
                        friday=b.times(b.friday_earlier) if b.friday_earlier else None)
                  for k, b in enumerate(shape.bands))
    info = _info(rng, num_students, max(shape.grades()) > 6)
    students = _students(rng, num_students, bands, registration=shape.registration,
                         leave_early=shape.leave_early)
    activities, popularity = _activities(rng, shape, bands, students)
    rooms = _rooms(rng, shape, students, activities)
    vendors = _vendors(rng, activities)
    staff = _staff(rng, shape, num_students, activities, vendors)
    rooms, staff = _make_study_feasible(rng, info, bands, students, rooms, staff)
    staff = _study_affordable(info, activities, rooms, staff)
    activities, rooms, staff = _trim_to_budget(info, activities, rooms, staff,
                                               share=shape.budget_share)
    vendors = _vendor_limits(vendors, activities)
    students = _choices(rng, shape, students, activities, popularity)
    school = School(info=info, periods=_period_rows(bands), activities=activities, rooms=rooms,
                    staff=staff, vendors=vendors, students=students)
    _check_clean(school)
    return school


def describe_shape(shape: Shape) -> str:
    """One line: the bands with their times, then the knobs that differ from the default."""
    bands = "; ".join(
        f"grades {b.grades[0]}-{b.grades[-1]} " + "/".join(
            f"{format_time(s)}-{format_time(e)}" for s, e in b.times())
        for b in shape.bands)
    default = Shape(name="")
    knobs = [f"{f.name}={getattr(shape, f.name)}" for f in fields(Shape)
             if f.name not in ("name", "bands", "knobs")
             and getattr(shape, f.name) != getattr(default, f.name)]
    return f"{shape.name}: {bands}" + (f" · {', '.join(knobs)}" if knobs else "")


# --- the parts -------------------------------------------------------------------------

def _span_grades(rng: random.Random, shape: Shape, cross: bool) -> tuple[int, ...]:
    """The grades an activity is open to: within one band, or across two or more."""
    if cross and len(shape.bands) > 1:
        first = rng.randrange(len(shape.bands) - 1)
        last = rng.randrange(first + 1, len(shape.bands))
        low = rng.choice(shape.bands[first].grades)
        high = rng.choice(shape.bands[last].grades)
        return tuple(range(low, high + 1))
    band = rng.choices(shape.bands, weights=[len(b.grades) for b in shape.bands])[0]
    grades = band.grades
    width = rng.randint(min(3, len(grades)), len(grades))
    start = rng.randrange(len(grades) - width + 1)
    return grades[start:start + width]


def _grades_label(grades: Sequence[int]) -> str:
    """A band as a Chinese school names it: 1–3年级."""
    low, high = min(grades), max(grades)
    return f"{low}年级" if low == high else f"{low}–{high}年级"


def _activities(rng: random.Random, shape: Shape, bands: Sequence[_Band],
                students: Sequence[Student]) -> tuple[tuple[Activity, ...], dict[str, float]]:
    """The study activities (one per band) and ``shape.activities`` others, with each
    other activity's popularity (a Zipf weight by the school's own ranking)."""
    activities = [Activity(id=f"STUDY-{band.key}", name=f"托管自习与答疑（{band.label}）",
                           category="study", grades=frozenset(band.grades), max_sections=None)
                  for band in bands]
    registered = Counter(s.grade for s in students if s.registered)
    popularity: dict[str, float] = {}
    weights = [1 / (k + 1) ** shape.concentration for k in range(shape.activities)]
    rng.shuffle(weights)
    picks: list[Activity] = []
    for k in range(shape.activities):
        long = rng.random() < shape.two_periods
        name, category, room_type, skill, max_size = _VISIT if long and rng.random() < 0.5 \
            else rng.choice(_KINDS)
        grades = _span_grades(rng, shape, rng.random() < shape.cross_share)
        vendor = f"V{rng.randint(1, 3)}" if rng.random() < shape.vendor_share else None
        sessions = 2 if not long and rng.random() < shape.two_sessions else 1
        code = f"A{k + 1:02d}"
        popularity[code] = weights[k]
        picks.append(Activity(
            id=code, name=f"{name}{k + 1}", category=category, grades=frozenset(grades),
            periods=2 if long else 1, sessions_per_week=sessions,
            min_size=rng.choice((1, 5, 8)) if category != "visit" else 15,
            max_size=max_size, room_type=room_type, skill=skill,
            staff_per_section=2 if category == "visit" else 1, provider=vendor,
            allowed_slots=ALL_SLOTS, max_sections=1,
            fee_per_session=(rng.choice((150, 200, 260)) if vendor else
                             300 if category == "visit" else 0) * FEN_PER_YUAN,
            fee_per_student=(rng.choice((0, 60, 150)) if vendor else 0) * FEN_PER_YUAN,
        ))
    # Every grade has something to choose: a grade no activity is open to joins the
    # one-period activity whose grades come nearest.
    for grade in shape.grades():
        if not any(grade in a.grades for a in picks if a.periods == 1):
            k = min((k for k, a in enumerate(picks) if a.periods == 1),
                    key=lambda k: (min(abs(g - grade) for g in picks[k].grades), k), default=0)
            picks[k] = replace(picks[k], grades=picks[k].grades | {grade})
    # Sections for the first choices the activity can expect: its share of the
    # popularity among the activities each registered child may join.
    expected: dict[str, float] = dict.fromkeys(popularity, 0.0)
    for grade, count in registered.items():
        open_to = [a for a in picks if grade in a.grades]
        total = sum(popularity[a.id] for a in open_to)
        for a in open_to:
            expected[a.id] += count * popularity[a.id] / total
    for activity in picks:
        fill = expected[activity.id] / (activity.max_size or 30) * shape.section_scale
        sections = min(MAX_SECTIONS, max(1, round(fill)))
        if activity.category == "visit":
            sections = min(sections, len(DAYS))  # a venue takes one trip a day
        activities.append(replace(activity, max_sections=sections))
    return tuple(activities), popularity


def _rooms(rng: random.Random, shape: Shape, students: Sequence[Student],
           activities: Sequence[Activity]) -> tuple[Room, ...]:
    rooms: list[Room] = []
    class_sizes = Counter(s.class_name for s in students)
    for class_name in sorted(class_sizes, key=lambda c: tuple(int(x) for x in c.split("-"))):
        grade, number = class_name.split("-")
        rooms.append(Room(id=f"CR{grade}-{number}", name=f"{grade}年级{number}班教室",
                          type="classroom",
                          capacity=max(class_sizes[class_name], rng.choice((45, 48, 50)))))
    for room_type, capacity in _ROOM_CAPACITY.items():
        users = [a for a in activities if a.room_type == room_type]
        if not users:
            continue
        # About six of a room's weekly slots per band in use when every section opens.
        per_room = 6 * len(shape.bands) * shape.room_slack
        count = max(1, math.ceil(sum(_weekly_meetings(a) for a in users) / per_room))
        size = max(capacity, *(a.max_size or 0 for a in users))
        for k in range(1, count + 1):
            rooms.append(Room(id=f"{room_type.upper()}{k}",
                              name=f"{_ROOM_KINDS[room_type][1]}{k}"
                              if room_type in _ROOM_KINDS else f"{room_type}{k}",
                              type=room_type, capacity=size))
    visits = [a for a in activities if a.room_type == "offsite"]
    for k, activity in enumerate(visits, start=1):
        rooms.append(Room(id=f"VENUE{k}", name=f"研学场馆{k}", type="offsite",
                          capacity=max(60, activity.max_size or 0),
                          fee_per_use=100 * FEN_PER_YUAN))
    return tuple(rooms)


def _vendors(rng: random.Random, activities: Sequence[Activity]) -> tuple[Vendor, ...]:
    return tuple(Vendor(id=vendor_id, name=f"深圳市第{vendor_id[1:]}教育服务有限公司",
                        qualified=True, contract_until=dt.date(2027, 7, 31),
                        rating=rng.choice((3.0, 3.5, 4.0, 4.5, 5.0)))
                 for vendor_id in sorted({a.provider for a in activities if a.provider}))


def _staff(rng: random.Random, shape: Shape, num_students: int,
           activities: Sequence[Activity], vendors: Sequence[Vendor]) -> tuple[Staff, ...]:
    """Teachers and outsiders in the shape's numbers, their skills covering the school
    activities (two weekly class hours per person at full size), and vendor instructors."""
    needs = _skill_needs(rng, activities)
    total = max(4, round(num_students * shape.staff_per_100 / 100))
    num_teachers = max(1, round(total * shape.teacher_share))
    staff: list[Staff] = []
    for k in range(num_teachers):
        skills = {needs.pop() for _ in range(2) if needs}
        staff.append(Staff(id=f"T{k + 1:03d}", name=_person_name(rng, _ADULT_CHARS, 0.6),
                           role=TEACHER, skills=frozenset(skills),
                           max_periods_week=3 if rng.random() < 0.15 else 4,
                           unavailable=_unavailable(rng, 0.2)))
    # Skills the teachers could not cover go to the outsiders, then anyone's.
    for k in range(total - num_teachers):
        role, prefix, weekly, pay = _OUTSIDER_ROLES[k % len(_OUTSIDER_ROLES)]
        skills = {needs.pop() for _ in range(2) if needs}
        staff.append(Staff(id=f"{prefix}{k + 1:03d}", name=_person_name(rng, _ADULT_CHARS, 0.6),
                           role=role, skills=frozenset(skills), max_periods_week=weekly,
                           unavailable=_unavailable(rng, 0.4 if role == "parent" else 0.25),
                           vetted=True, vetted_until=_vetted_until(rng),
                           pay_per_period=pay * FEN_PER_YUAN))
    for k, skill in enumerate(sorted(set(needs))):
        staff.append(Staff(id=f"PRO-X{k + 1:02d}", name=_person_name(rng, _ADULT_CHARS, 0.6),
                           role="professional", skills=frozenset({skill}), max_periods_week=6,
                           vetted=True, vetted_until=_vetted_until(rng),
                           pay_per_period=100 * FEN_PER_YUAN))
    for vendor in vendors:
        programs = [a for a in activities if a.provider == vendor.id]
        hours = sum(_weekly_meetings(a) * a.staff_per_section for a in programs)
        taught = frozenset(a.skill for a in programs if a.skill)
        for k in range(max(2, math.ceil(hours / 6))):
            staff.append(Staff(id=f"{vendor.id}-{k + 1}",
                               name=_person_name(rng, _ADULT_CHARS, 0.6),
                               role=VENDOR_INSTRUCTOR, skills=taught, vendor=vendor.id,
                               vetted=True, vetted_until=_vetted_until(rng)))
    return tuple(staff)


def _study_affordable(info: SchoolInfo, activities: Sequence[Activity],
                      rooms: Sequence[Room], staff: tuple[Staff, ...]) -> tuple[Staff, ...]:
    """Halve the best-paid role's pay until everyone working their most, and study in
    every room, fits the budget: the all-study schedule is then affordable even where
    the shape lets the budget bind (``budget_share`` above 1)."""
    while (sum(_role_cost(info, staff, role) for role in {p.role for p in staff})
           + _study_room_cost(info, activities, rooms)) > info.term_budget:
        role = max(sorted({p.role for p in staff}), key=lambda r: _role_cost(info, staff, r))
        if _role_cost(info, staff, role) == 0:
            raise RuntimeError("shapes: study alone cannot fit the budget")
        staff = tuple(replace(p, pay_per_period=p.pay_per_period // 2 // FEN_PER_YUAN
                              * FEN_PER_YUAN) if p.role == role else p for p in staff)
    return staff


def _choices(rng: random.Random, shape: Shape, students: Sequence[Student],
             activities: Sequence[Activity], popularity: dict[str, float]
             ) -> tuple[Student, ...]:
    """Wants, 3-5 ranked choices by popularity (with the school's own noise), priority."""
    noisy = {a: w * rng.uniform(0.7, 1.3) for a, w in popularity.items()}
    offered = [a for a in activities if not a.is_study]
    result: list[Student] = []
    for student in students:
        if not student.registered:
            result.append(student)
            continue
        candidates = [a for a in offered if student.grade in a.grades
                      and a.periods <= student.stay
                      and len(student.days) >= a.sessions_per_week]
        num_choices = min(len(candidates), rng.choices((3, 4, 5), weights=(40, 35, 25))[0])
        choices: list[str] = []
        while len(choices) < num_choices:
            left = [a for a in candidates if a.id not in choices]
            choices.append(rng.choices(left, weights=[noisy[a.id] for a in left])[0].id)
        wants = 2 if rng.random() < shape.wants_two and len(choices) >= 2 else 1
        if not choices:
            wants = 0  # nothing on their days: study only, as the contract allows
        priority = 1 if rng.random() < 0.05 else 0
        result.append(replace(student, wants=wants, choices=tuple(choices), priority=priority))
    return tuple(result)


def parse_band(text: str) -> BandShape:
    """``1-3@15:40``, ``4-9@16:35/45`` or ``4-9@16:35/40+5``: the grades, period 1's start,
    the class hour's minutes (40) and the break between the periods (10)."""
    expected = msg("shape.band_expected")
    grades_text, _, when = text.partition("@")
    low, _, high = grades_text.partition("-")
    start_text, _, rest = when.partition("/")
    length, _, gap = rest.partition("+")
    try:
        grades = tuple(range(int(low), int(high or low) + 1))
        minutes = (int(length) if length else 40, int(gap) if gap else 10)
        start = parse_time(start_text)
    except ValueError as exc:  # ParseError is one
        reason = exc.expected if isinstance(exc, ParseError) else msg("shape.band_numbers")
        raise ShapeError(msg("shape.band", band=text, reason=reason, expected=expected)) from exc
    if not grades or not set(grades) <= set(range(1, 10)):
        raise ShapeError(msg("shape.band", band=text, reason=msg("shape.band_grades"),
                             expected=expected))
    try:
        return BandShape(grades=grades, start=start, length=minutes[0], gap=minutes[1])
    except ShapeError as exc:
        raise ShapeError(msg("shape.band_cannot", band=text, reason=exc.said)) from exc


__all__ = ["SHAPES", "BandShape", "Shape", "ShapeError", "describe_shape", "generate_shaped_school",
           "parse_band", "shape_with"]
