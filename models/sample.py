"""Realistic generated Shenzhen schools, deterministic for ``(num_students, seed)``.

``generate_school(num_students, seed)`` builds a whole :class:`School` the way a
Shenzhen coordinator would fill in the workbook, and ``describe(school)`` says
in one markdown paragraph what is in it.

What a generated school looks like
----------------------------------
* Up to 2000 students: a primary school (grades 1-6); larger: a nine-year
  school (grades 1-9) with a junior-middle band (7-9). Primary class hours are
  40 minutes (e.g. 16:00-16:40 and 16:50-17:30), junior-middle ones 45 minutes
  (16:25-17:10 and 17:15-18:00, ending by the policy's 18:00). Some seeds give
  Friday its own earlier times as day-specific Periods rows.
* Classes of at most 50 (about 45 on average), named like ``3-2``; one
  classroom per class. 82-92 % of students register, for 3-5 days (many for
  all five); 20-30 % stay for period 1 only; most want one activity, some two;
  each lists 3-5 ranked choices drawn Zipf-like from the activities open to
  their grade, on their days and within their stay. About 5 % have priority 1
  (they got none of their choices last term).
* Every category: sports, arts, science, club, reading, other, a two-period
  off-site visit (bus fee per session, venue fee per use) and one supervised
  study activity per band. Vendor programs (robotics and coding; fencing from
  800 students; street dance from 1500) with qualified vendors whose contracts
  and instructors' background checks outlast the term. Parallel sections scale
  with the band's size; specialist rooms (gym, field, lab, art, music, library,
  garden) scale with the meetings that need them.
* Staff: one in-service teacher per 15 students (default 4 class hours a week,
  skills covering the school's activities), retired teachers, volunteers,
  parents and a few professionals, all vetted past the term; some have
  unavailable days or periods. Chinese names throughout.

What is guaranteed by construction
----------------------------------
* **Feasible**: a schedule with every registered child in supervised study
  exists with 15 % to spare. The generator builds such a study roster greedily
  — rooms and people never in two meetings whose clock times overlap (the two
  bands' periods overlap, so period numbers alone would not do), people within
  their daily and weekly limits and availability — for 115 % of each slot's
  children, and adds classrooms or volunteers until it succeeds.
* **Affordable**: even if every section of every activity opened and every paid
  person worked their weekly maximum, the term's cost stays within 75 % of
  ``enrolled × 1000 / 2`` yuan; sections, then fees and pay, are trimmed until
  it does (only the very smallest schools need this).
* **Clean**: the result has no validation errors or warnings; the generator
  checks this itself.

Randomness comes only from ``random.Random(seed)``; no global random state and
no ``hash()`` of strings, so a seed gives the same school on every run.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from models.school import (
    FEN_PER_YUAN,
    TEACHER,
    VENDOR_INSTRUCTOR,
    Activity,
    PeriodRow,
    Room,
    School,
    SchoolInfo,
    Staff,
    Student,
    Vendor,
    yuan,
)
from models.time import ALL_SLOTS, DAYS, Slot, format_grades, format_time, parse_slots

PRIMARY_MAX_STUDENTS = 2000
"""Above this many students the school is a nine-year school (grades 1-9)."""

TERM_START = dt.date(2026, 9, 1)
TERM_END = dt.date(2027, 1, 22)
STUDY_MARGIN = 1.15
"""The study roster is built for this many times each slot's children."""
BUDGET_SHARE = 0.75
"""The worst-case term cost stays within this share of the term's budget."""

MAX_CLASS_SIZE = 50
_FRIDAY = 4

# --- Chinese names ------------------------------------------------------------
# Common surnames, most frequent first (Guangdong favours 陈, 黄 and 林).
_SURNAMES = (
    "陈", "李", "王", "黄", "张", "刘", "林", "杨", "吴", "周", "赵", "徐", "孙", "郭", "何",
    "马", "朱", "胡", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "蔡", "蒋", "余", "叶", "程", "魏", "苏", "吕",
    "丁", "卢", "钟", "姚", "沈", "谭", "陆", "范", "廖", "江", "邱", "赖", "温", "莫", "方",
)
_SURNAME_CUM_WEIGHTS = tuple(sum(1 / (k + 3) for k in range(i + 1)) for i in range(len(_SURNAMES)))
"""Zipf-like surname frequencies: the common ones dominate, as on a real roster."""
_CHILD_CHARS = (
    "子梓浩宇轩涵欣怡思雨博文佳一诗晨嘉俊泽睿铭明昊然可馨琪悦妍若航瑞晴安乐逸辰皓宸煜诺萱"
    "彤桐语沐阳奕霖钰昕钧琳熙哲恩希凯锦瑶柏霏骏"
)
_ADULT_CHARS = (
    "建国华明伟芳丽敏静强磊军洋勇艳杰娟涛超秀英霞平刚玲红燕辉鹏斌亮婷雪慧志海林波丹萍宁"
    "春峰健琴"
)

_DISTRICTS = ("南山", "福田", "罗湖", "宝安", "龙岗", "龙华", "光明", "坪山", "盐田")
_SCHOOL_STEMS = (
    "荔湾", "桃源", "海滨", "红岭", "翠竹", "景秀", "育才", "天健", "梅林", "蛇口", "海湾", "百花",
    "莲花", "松坪", "前海", "鹏城", "科苑", "西丽", "园岭", "华富",
)


@dataclass(frozen=True)
class _Band:
    """A grade band: its grades and class-hour times, every day and on an own Friday."""

    key: str
    label: str
    grades: tuple[int, ...]
    times: tuple[tuple[int, int], tuple[int, int]]
    friday: tuple[tuple[int, int], tuple[int, int]] | None

    def time(self, day: int, period: int) -> tuple[int, int]:
        if day == _FRIDAY and self.friday is not None:
            return self.friday[period - 1]
        return self.times[period - 1]


@dataclass(frozen=True)
class _Offer:
    """A catalogue entry: what a Shenzhen school typically runs after class."""

    code: str
    name: str
    category: str
    grades: tuple[int, int]  # lowest, highest
    room_type: str
    skill: str | None
    max_size: int
    sections: int  # parallel sections for a band of about 700 students
    popularity: float
    band: str = "P"
    periods: int = 1
    sessions: int = 1
    staff: int = 1
    min_size: int = 1
    vendor: str | None = None
    days: str | None = None
    fee_per_session: int = 0  # yuan
    fee_per_student: int = 0  # yuan
    min_students: int = 0  # offered only by schools at least this large


_CATALOGUE: tuple[_Offer, ...] = (
    # Primary band.
    _Offer("FB", "校园足球", "sports", (3, 6), "field", "football", 30, 2, 1.0, sessions=2,
           min_size=10),
    _Offer("BB", "小篮球", "sports", (3, 6), "gym", "basketball", 24, 2, 0.9, min_size=8),
    _Offer("ROPE", "花样跳绳", "sports", (1, 4), "gym", None, 30, 1, 0.5),
    _Offer("TT", "乒乓球", "sports", (2, 6), "gym", "pingpong", 16, 1, 0.5),
    _Offer("CHESS", "国际象棋", "club", (1, 6), "classroom", "chess", 24, 2, 0.7),
    _Offer("GO", "围棋", "club", (2, 6), "classroom", "chess", 24, 1, 0.4),
    _Offer("ART", "创意美术", "arts", (1, 6), "art", "art", 30, 2, 0.8),
    _Offer("CAL", "硬笔书法", "arts", (2, 6), "classroom", "calligraphy", 30, 1, 0.4),
    _Offer("CHOIR", "童声合唱团", "arts", (1, 6), "music", "music", 40, 1, 0.5, sessions=2,
           days="Tue; Thu", min_size=15),
    _Offer("DANCE", "中国舞", "arts", (1, 5), "music", "dance", 25, 1, 0.5),
    _Offer("SCI", "科学小实验", "science", (3, 6), "lab", "science", 30, 1, 0.7),
    _Offer("ROBOT", "乐高机器人", "science", (3, 6), "lab", "programming", 20, 2, 0.9,
           vendor="V-MAKER", fee_per_session=240, fee_per_student=150, min_size=8),
    _Offer("CODE", "Scratch 编程", "science", (4, 6), "lab", "programming", 25, 1, 0.6,
           vendor="V-MAKER", days="Mon; Wed", fee_per_session=200),
    _Offer("BOOK", "绘本阅读", "reading", (1, 3), "library", "reading", 30, 1, 0.5),
    _Offer("CLASSIC", "经典诵读", "reading", (4, 6), "library", "reading", 30, 1, 0.3),
    _Offer("GARDEN", "校园种植", "other", (3, 6), "garden", None, 25, 1, 0.3),
    _Offer("VISIT", "深圳博物馆研学", "visit", (4, 6), "offsite", None, 40, 1, 0.6,
           periods=2, staff=2, days="Tue; Thu", fee_per_session=400, min_size=20),
    _Offer("FENCE", "少儿击剑", "sports", (3, 6), "gym", "fencing", 16, 1, 0.5,
           vendor="V-SPORT", fee_per_session=300, min_students=800),
    _Offer("HIPHOP", "少儿街舞", "arts", (2, 6), "music", "dance", 25, 1, 0.6,
           vendor="V-ARTS", fee_per_session=220, fee_per_student=60, min_students=1500),
    # Junior-middle band (nine-year schools).
    _Offer("BB-J", "篮球队", "sports", (7, 9), "gym", "basketball", 24, 2, 1.0, band="J",
           min_size=8),
    _Offer("FB-J", "足球队", "sports", (7, 9), "field", "football", 30, 1, 0.8, band="J",
           sessions=2, min_size=10),
    _Offer("BAD-J", "羽毛球", "sports", (7, 9), "gym", "badminton", 20, 1, 0.6, band="J"),
    _Offer("ROBOT-J", "创客与机器人", "science", (7, 9), "lab", "programming", 20, 1, 0.8,
           band="J", vendor="V-MAKER", fee_per_session=260, fee_per_student=150, min_size=8),
    _Offer("LAB-J", "趣味理化实验", "science", (7, 9), "lab", "science", 30, 1, 0.5, band="J"),
    _Offer("DEBATE-J", "辩论社", "club", (7, 9), "classroom", "debate", 24, 1, 0.4, band="J"),
    _Offer("SKETCH-J", "素描", "arts", (7, 9), "art", "art", 25, 1, 0.5, band="J"),
    _Offer("BAND-J", "管乐团", "arts", (7, 9), "music", "music", 40, 1, 0.4, band="J",
           sessions=2, days="Tue; Thu", min_size=15),
    _Offer("READ-J", "名著阅读", "reading", (7, 9), "library", "reading", 30, 1, 0.4,
           band="J"),
    _Offer("CAREER-J", "生涯探索", "other", (7, 9), "classroom", None, 40, 1, 0.3, band="J"),
    _Offer("VISIT-J", "深圳科学馆研学", "visit", (7, 9), "offsite", None, 40, 1, 0.5,
           band="J", periods=2, staff=2, days="Wed", fee_per_session=400, min_size=20),
)

_VENDORS = {
    "V-MAKER": "深圳市鹏城创客教育科技有限公司",
    "V-SPORT": "深圳市青少年击剑运动俱乐部",
    "V-ARTS": "深圳市小百灵艺术培训中心",
}

# Room types: (id prefix, name, capacity at least, venue fee in yuan per use).
_ROOM_KINDS = {
    "gym": ("GYM", "风雨操场", 60, 0),
    "field": ("FIELD", "田径场", 80, 0),
    "lab": ("LAB", "科学实验室", 40, 0),
    "art": ("ART", "美术室", 40, 0),
    "music": ("MUS", "音乐室", 50, 0),
    "library": ("LIB", "图书馆阅览室", 50, 0),
    "garden": ("GARDEN", "生态种植园", 30, 0),
}
_VENUES = {"VISIT": ("MUSEUM", "深圳博物馆", 100), "VISIT-J": ("SCIMUS", "深圳市科学馆", 100)}

# Outsiders: role → (id prefix, students per person, weekly class hours, pay in yuan, skills).
_OUTSIDERS = {
    "retired_teacher": ("RT", 300, 6, 80, ("calligraphy", "chess", "reading", "science")),
    "volunteer": ("VOL", 400, 4, 50, ("reading", "art", "pingpong")),
    "parent": ("PA", 250, 3, 50, ("reading", "football", "art", "dance")),
    "professional": ("PRO", 1000, 6, 100, ("music", "dance", "art", "science")),
}
_TEACHER_EXTRA_SKILLS = (
    "chess", "football", "basketball", "art", "music", "science", "reading", "calligraphy",
    "dance", "programming", "pingpong", "badminton", "debate",
)


# --- public -------------------------------------------------------------------

def generate_school(num_students: int, seed: int) -> School:
    """A realistic Shenzhen school of ``num_students`` students, the same for the same seed.

    See the module docstring for what it contains and what it guarantees.
    """
    if num_students < 1:
        raise ValueError("num_students must be at least 1")
    rng = random.Random(seed)
    nine_year = num_students > PRIMARY_MAX_STUDENTS
    bands = _bands(rng, nine_year)
    info = _info(rng, num_students, nine_year)
    students = _students(rng, num_students, bands)
    band_sizes = Counter(_band_of(bands, s.grade).key for s in students)
    activities = _activities(bands, band_sizes, num_students)
    rooms = _rooms(rng, students, activities)
    vendors = _vendors(rng, activities)
    staff = _staff(rng, num_students, activities, vendors)
    rooms, staff = _make_study_feasible(rng, info, bands, students, rooms, staff)
    activities, rooms, staff = _trim_to_budget(info, activities, rooms, staff)
    vendors = _vendor_limits(vendors, activities)
    students = _with_choices(rng, students, bands, activities)
    school = School(
        info=info,
        periods=_period_rows(bands),
        activities=activities,
        rooms=rooms,
        staff=staff,
        vendors=vendors,
        students=students,
    )
    _check_clean(school)
    return school


def describe(school: School) -> str:
    """One markdown paragraph: students, bands and times, activities, staff, rooms, budget."""
    info = school.info
    students = school.students
    registered = school.registered_students
    share = 100 * len(registered) / len(students) if students else 0.0
    grades = format_grades({s.grade for s in students}) if students else "none"
    num_classes = len({s.class_name for s in students})
    bands = []
    for grades_set in sorted({row.grades for row in school.periods}, key=min):
        rows = [r for r in school.periods if r.grades == grades_set]
        usual = " / ".join(_span(r) for r in sorted(rows, key=lambda r: r.period)
                           if r.day is None)
        own_days = sorted({r.day for r in rows if r.day is not None})
        special = "".join(
            f"; {DAYS[d]} " + " / ".join(_span(r) for r in sorted(rows, key=lambda r: r.period)
                                         if r.day == d)
            for d in own_days
        )
        bands.append(f"grades {format_grades(grades_set)} {usual}{special}")
    categories = Counter(a.category for a in school.activities)
    roles = Counter(p.role for p in school.staff)
    room_types = Counter(r.type for r in school.rooms)
    vendor_count = sum(1 for a in school.activities if a.is_vendor)
    return (
        f"**{info.name}** ({info.type}, term {info.term_start.isoformat()} to "
        f"{info.term_end.isoformat()}, {info.weeks} weeks): {len(students)} students in "
        f"{num_classes} classes, grades {grades}; {len(registered)} registered "
        f"({share:.0f} %). Class hours: {'; '.join(bands)}. "
        f"{len(school.activities)} activities ({_counts(categories)}; {vendor_count} run by "
        f"vendors). Staff {len(school.staff)}: {_counts(roles)}. "
        f"Rooms {len(school.rooms)}: {_counts(room_types)}. Term budget "
        f"{yuan(info.term_budget):,.0f} yuan ({info.enrolled} enrolled × "
        f"{yuan(info.budget_per_student_year):,.0f} / {info.terms_per_year})."
    )


# --- the school and its bands ---------------------------------------------------

def _info(rng: random.Random, num_students: int, nine_year: bool) -> SchoolInfo:
    district = rng.choice(_DISTRICTS)
    stem = rng.choice(_SCHOOL_STEMS)
    kind = "学校（九年一贯制" if nine_year else "小学（"
    return SchoolInfo(
        name=f"深圳市{district}区{stem}{kind}{num_students}名学生）",
        type="public",
        term_start=TERM_START,
        term_end=TERM_END,
        enrolled=num_students,
        budget_per_student_year=1000 * FEN_PER_YUAN,
        terms_per_year=2,
        weeks=18,
        study_ratio=40,
    )


def _hm(hours: int, minutes: int) -> int:
    return hours * 60 + minutes


def _bands(rng: random.Random, nine_year: bool) -> tuple[_Band, ...]:
    """Primary 40-minute class hours after an earlier dismissal; junior-middle 45 minutes."""
    start = rng.choice((_hm(15, 50), _hm(16, 0)))
    primary = ((start, start + 40), (start + 50, start + 90))
    early_friday = rng.random() < 0.5
    bands = [_Band(
        key="P", label="primary", grades=tuple(range(1, 7)), times=primary,
        friday=((_hm(15, 30), _hm(16, 10)), (_hm(16, 20), _hm(17, 0))) if early_friday else None,
    )]
    if nine_year:
        bands.append(_Band(
            key="J", label="junior middle", grades=(7, 8, 9),
            times=((_hm(16, 25), _hm(17, 10)), (_hm(17, 15), _hm(18, 0))),
            friday=((_hm(16, 0), _hm(16, 45)), (_hm(16, 50), _hm(17, 35)))
            if early_friday else None,
        ))
    return tuple(bands)


def _band_of(bands: Sequence[_Band], grade: int) -> _Band:
    return next(b for b in bands if grade in b.grades)


def _period_rows(bands: Sequence[_Band]) -> tuple[PeriodRow, ...]:
    rows: list[PeriodRow] = []
    for band in bands:
        grades = frozenset(band.grades)
        for period, (start, end) in enumerate(band.times, start=1):
            rows.append(PeriodRow(grades=grades, day=None, period=period, start=start, end=end))
        if band.friday is not None:
            for period, (start, end) in enumerate(band.friday, start=1):
                rows.append(PeriodRow(grades=grades, day=_FRIDAY, period=period, start=start,
                                      end=end))
    return tuple(rows)


# --- students ---------------------------------------------------------------------

def _person_name(rng: random.Random, chars: str, two_chars: float) -> str:
    surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0]
    length = 2 if rng.random() < two_chars else 1
    return surname + "".join(rng.choice(chars) for _ in range(length))


def _grade_sizes(rng: random.Random, num_students: int, grades: Sequence[int]) -> list[int]:
    """Students per grade: about even, a little uneven, summing to ``num_students``."""
    weights = [1 + rng.uniform(-0.08, 0.08) for _ in grades]
    raw = [num_students * w / sum(weights) for w in weights]
    sizes = [math.floor(x) for x in raw]
    # Largest remainders get the students left over, so the total is exact.
    order = sorted(range(len(raw)), key=lambda i: (sizes[i] - raw[i], i))
    for i in order[: num_students - sum(sizes)]:
        sizes[i] += 1
    return sizes


def _students(rng: random.Random, num_students: int, bands: Sequence[_Band], *,
              registration: float | None = None, leave_early: float | None = None
              ) -> tuple[Student, ...]:
    """The roster with registration, days and stay; choices come once activities exist.

    ``registration`` and ``leave_early`` (shares 0-1) replace the drawn shares; they are
    drawn all the same, so a school without them is the same for its seed.
    """
    grades = [g for band in bands for g in band.grades]
    registered_share = rng.uniform(0.82, 0.92)
    leave_early_share = rng.uniform(0.2, 0.3)
    if registration is not None:
        registered_share = registration
    if leave_early is not None:
        leave_early_share = leave_early
    num_registered = round(num_students * registered_share)
    registered = set(rng.sample(range(num_students), num_registered))
    students: list[Student] = []
    for grade, size in zip(grades, _grade_sizes(rng, num_students, grades), strict=True):
        num_classes = max(1, math.ceil(size / MAX_CLASS_SIZE))
        for class_idx in range(num_classes):
            class_size = size // num_classes + (class_idx < size % num_classes)
            for seat in range(1, class_size + 1):
                index = len(students)
                days: frozenset[int] = frozenset()
                stay = 2
                if index in registered:
                    num_days = rng.choices((3, 4, 5), weights=(25, 30, 45))[0]
                    days = frozenset(rng.sample(range(len(DAYS)), num_days))
                    stay = 1 if rng.random() < leave_early_share else 2
                students.append(Student(
                    id=f"S{grade}{class_idx + 1:02d}{seat:02d}",
                    name=_person_name(rng, _CHILD_CHARS, two_chars=0.75),
                    grade=grade,
                    class_name=f"{grade}-{class_idx + 1}",
                    days=days,
                    stay=stay,
                ))
    return tuple(students)


def _with_choices(rng: random.Random, students: Sequence[Student], bands: Sequence[_Band],
                  activities: Sequence[Activity]) -> tuple[Student, ...]:
    """Wants, ranked choices and priority for every registered student."""
    popularity = {offer.code: offer.popularity for offer in _CATALOGUE}
    ranking: dict[str, list[Activity]] = {}
    for band in bands:
        offered = [a for a in activities if not a.is_study and min(a.grades) in band.grades]
        # Each school has its own fashions: noise on the catalogue's popularity.
        noisy = {a.id: popularity[a.id] * rng.uniform(0.7, 1.3) for a in offered}
        ranking[band.key] = sorted(offered, key=lambda a: (-noisy[a.id], a.id))
    result: list[Student] = []
    for student in students:
        if not student.registered:
            result.append(student)
            continue
        band = _band_of(bands, student.grade)
        candidates = [
            (rank, a) for rank, a in enumerate(ranking[band.key], start=1)
            if student.grade in a.grades and a.periods <= student.stay
            and len(student.days & {d for d, _ in a.allowed_slots}) >= a.sessions_per_week
        ]
        num_choices = min(len(candidates), rng.choices((3, 4, 5), weights=(40, 35, 25))[0])
        choices: list[str] = []
        while len(choices) < num_choices:
            # Zipf-like: the k-th most popular activity is chosen about 1/k as often.
            left = [(r, a) for r, a in candidates if a.id not in choices]
            pick = rng.choices(left, weights=[1 / r for r, _ in left])[0]
            choices.append(pick[1].id)
        wants_two = 0.2 if band.key == "P" else 0.1
        wants = 2 if rng.random() < wants_two and len(choices) >= 2 else 1
        priority = 1 if rng.random() < 0.05 else 0
        result.append(replace(student, wants=wants, choices=tuple(choices), priority=priority))
    return tuple(result)


# --- activities, rooms, vendors, staff ------------------------------------------------

def _activities(bands: Sequence[_Band], band_sizes: Counter[str], num_students: int
                ) -> tuple[Activity, ...]:
    activities: list[Activity] = []
    for band in bands:
        size = band_sizes[band.key]
        grades = frozenset(band.grades)
        activities.append(Activity(
            id=f"STUDY-{band.key}",
            name="托管自习与答疑" if band.key == "P" else "自主学习与答疑",
            category="study",
            grades=grades,
            max_sections=None,
        ))
        for offer in _CATALOGUE:
            if offer.band != band.key or num_students < offer.min_students:
                continue
            slots = parse_slots(offer.days) if offer.days else ALL_SLOTS
            sections = max(1, round(offer.sections * size / 700))
            if offer.room_type == "offsite":
                # The venue takes one group for the whole afternoon: one trip a day.
                sections = min(sections, len({day for day, _ in slots}))
            activities.append(Activity(
                id=offer.code,
                name=offer.name,
                category=offer.category,
                grades=frozenset(range(offer.grades[0], offer.grades[1] + 1)),
                periods=offer.periods,
                sessions_per_week=offer.sessions,
                min_size=offer.min_size,
                max_size=offer.max_size,
                max_sections=sections,
                room_type=offer.room_type,
                skill=offer.skill,
                staff_per_section=offer.staff,
                provider=offer.vendor,
                allowed_slots=slots,
                fee_per_session=offer.fee_per_session * FEN_PER_YUAN,
                fee_per_student=offer.fee_per_student * FEN_PER_YUAN,
            ))
    return tuple(activities)


def _weekly_meetings(activity: Activity) -> int:
    """Class hours a week the activity uses when every section opens."""
    return (activity.max_sections or 0) * activity.sessions_per_week * activity.periods


def _rooms(rng: random.Random, students: Sequence[Student], activities: Sequence[Activity]
           ) -> tuple[Room, ...]:
    rooms: list[Room] = []
    class_sizes = Counter(s.class_name for s in students)
    for class_name in sorted(class_sizes, key=lambda c: tuple(int(x) for x in c.split("-"))):
        grade, number = class_name.split("-")
        rooms.append(Room(
            id=f"CR{grade}-{number}",
            name=f"{grade}年级{number}班教室",
            type="classroom",
            capacity=max(class_sizes[class_name], rng.choice((45, 48, 50))),
        ))
    for room_type, (prefix, name, capacity, fee) in _ROOM_KINDS.items():
        users = [a for a in activities if a.room_type == room_type]
        if not users:
            continue
        # About six of a room's ten weekly slots in use when every section opens.
        count = max(1, math.ceil(sum(_weekly_meetings(a) for a in users) / 6))
        size = max(capacity, *(a.max_size or 0 for a in users))
        for k in range(1, count + 1):
            unavailable: frozenset[Slot] = frozenset()
            if room_type == "library" and k == 1:
                unavailable = frozenset({(_FRIDAY, 1), (_FRIDAY, 2)})  # stocktaking on Fridays
            rooms.append(Room(
                id=f"{prefix}{k}", name=name if count == 1 else f"{name}{k}", type=room_type,
                capacity=size, unavailable=unavailable, fee_per_use=fee * FEN_PER_YUAN,
            ))
    for activity in activities:
        if activity.room_type == "offsite":
            room_id, name, fee = _VENUES[activity.id]
            rooms.append(Room(id=room_id, name=name, type="offsite",
                              capacity=max(60, activity.max_size or 0),
                              fee_per_use=fee * FEN_PER_YUAN))
    return tuple(rooms)


def _vendors(rng: random.Random, activities: Sequence[Activity]) -> tuple[Vendor, ...]:
    used = sorted({a.provider for a in activities if a.provider})
    return tuple(
        Vendor(
            id=vendor_id,
            name=_VENDORS[vendor_id],
            qualified=True,
            contract_until=dt.date(2027, rng.choice((6, 7, 8)), 30),
            rating=rng.choice((3.0, 3.5, 4.0, 4.5, 5.0)),
        )
        for vendor_id in used
    )


def _vendor_limits(vendors: Sequence[Vendor], activities: Sequence[Activity]
                   ) -> tuple[Vendor, ...]:
    """Each vendor contracts for exactly the meetings its programs need at full size."""
    return tuple(
        replace(vendor, max_sessions_week=sum(
            (a.max_sections or 0) * a.sessions_per_week
            for a in activities if a.provider == vendor.id))
        for vendor in vendors
    )


def _vetted_until(rng: random.Random) -> dt.date:
    """A background check that lasts past the term, by a few months to a year and a half."""
    return TERM_END + dt.timedelta(days=rng.randint(40, 560))


def _skill_needs(rng: random.Random, activities: Sequence[Activity]) -> list[str]:
    """The skilled people the school activities need, one skill per person, shuffled:
    two weekly class hours per person when every section opens."""
    needs: list[str] = []
    for activity in activities:
        if activity.skill and not activity.is_vendor:
            count = max(activity.staff_per_section,
                        math.ceil(_weekly_meetings(activity) * activity.staff_per_section / 2))
            needs.extend([activity.skill] * count)
    rng.shuffle(needs)
    return needs


def _staff(rng: random.Random, num_students: int, activities: Sequence[Activity],
           vendors: Sequence[Vendor]) -> tuple[Staff, ...]:
    staff: list[Staff] = []
    needs = _skill_needs(rng, activities)
    teacher_pay = rng.choice((0, 20, 30))
    num_teachers = max(len(needs) // 2 + 1, math.ceil(num_students / 15))
    for k in range(num_teachers):
        skills: set[str] = set()
        # Teachers cover the needs first, two skills each; then a hobby for some.
        for _ in range(2):
            if needs:
                skills.add(needs.pop())
        if rng.random() < 0.4:
            skills.add(rng.choice(_TEACHER_EXTRA_SKILLS))
        unavailable = _unavailable(rng, 0.2)
        staff.append(Staff(
            id=f"T{k + 1:03d}",
            name=_person_name(rng, _ADULT_CHARS, two_chars=0.6),
            role=TEACHER,
            skills=frozenset(skills),
            # Head teachers with heavy days take fewer after-school hours.
            max_periods_week=3 if rng.random() < 0.15 else 4,
            unavailable=unavailable,
            pay_per_period=teacher_pay * FEN_PER_YUAN,
        ))
    for role, (prefix, per_person, weekly, pay, skill_pool) in _OUTSIDERS.items():
        count = max(1, round(num_students / per_person)) if role != "professional" else \
            round(num_students / per_person)
        for k in range(count):
            staff.append(Staff(
                id=f"{prefix}{k + 1:02d}",
                name=_person_name(rng, _ADULT_CHARS, two_chars=0.6),
                role=role,
                skills=frozenset(rng.sample(skill_pool, rng.randint(1, 2))),
                max_periods_week=weekly,
                unavailable=_unavailable(rng, 0.5 if role == "parent" else 0.25),
                vetted=True,
                vetted_until=_vetted_until(rng),
                pay_per_period=pay * FEN_PER_YUAN,
            ))
    for vendor in vendors:
        programs = [a for a in activities if a.provider == vendor.id]
        hours = sum(_weekly_meetings(a) * a.staff_per_section for a in programs)
        vendor_skills = frozenset(a.skill for a in programs if a.skill)
        for k in range(max(2, math.ceil(hours / 6))):
            staff.append(Staff(
                id=f"{vendor.id}-{k + 1}",
                name=_person_name(rng, _ADULT_CHARS, two_chars=0.6),
                role=VENDOR_INSTRUCTOR,
                skills=vendor_skills,
                vendor=vendor.id,
                vetted=True,
                vetted_until=_vetted_until(rng),
            ))
    return tuple(staff)


def _unavailable(rng: random.Random, share: float) -> frozenset[Slot]:
    """For some people: a whole day (a weekly meeting) or one period on one or two days."""
    if rng.random() >= share:
        return frozenset()
    if rng.random() < 0.5:
        day = rng.randrange(len(DAYS))
        return frozenset({(day, 1), (day, 2)})
    return frozenset((day, 2) for day in rng.sample(range(len(DAYS)), rng.randint(1, 2)))


# --- feasibility: a study roster for everyone, with a margin ----------------------------

@dataclass(frozen=True)
class _Meeting:
    """Study sections needed in one band's period on one day."""

    day: int
    period: int
    start: int
    end: int
    sections: int


def _study_meetings(info: SchoolInfo, bands: Sequence[_Band], students: Sequence[Student]
                    ) -> list[_Meeting]:
    staying: Counter[tuple[str, int, int]] = Counter()
    for student in students:
        band = _band_of(bands, student.grade)
        for day in student.days:
            for period in range(1, student.stay + 1):
                staying[band.key, day, period] += 1
    meetings = []
    for band in bands:
        for day in range(len(DAYS)):
            for period in (1, 2):
                children = staying[band.key, day, period]
                if children:
                    start, end = band.time(day, period)
                    needed = math.ceil(math.ceil(children * STUDY_MARGIN) / info.study_ratio)
                    meetings.append(_Meeting(day, period, start, end, needed))
    return sorted(meetings, key=lambda m: (m.day, m.start, m.period))


def _roster_shortfall(info: SchoolInfo, meetings: Sequence[_Meeting], rooms: Sequence[Room],
                      staff: Sequence[Staff]) -> tuple[int, int]:
    """(rooms, people) missing from a greedy all-study roster; (0, 0) when it succeeds.

    Counts are the most missing on one day: adding that many always helps, and the
    caller repeats until nothing is missing. The sections of one meeting overlap each
    other, so each takes a different room and person: a meeting picks its rooms and
    people in one pass over those still free.
    """
    classrooms = [r for r in rooms if r.type == "classroom" and r.capacity >= info.study_ratio]
    supervisors = [p for p in staff if p.role != VENDOR_INSTRUCTOR]
    # Days each person can still come from a day on, for the scarcity order below.
    days_from = [
        [sum(1 for d in range(day, len(DAYS)) if not {(d, 1), (d, 2)} <= p.unavailable)
         for day in range(len(DAYS))]
        for p in supervisors
    ]
    week_load = [0] * len(supervisors)
    missing_rooms = missing_people = 0
    for day in range(len(DAYS)):
        room_busy: list[list[tuple[int, int]]] = [[] for _ in classrooms]
        person_busy: list[list[tuple[int, int]]] = [[] for _ in supervisors]
        day_rooms = day_people = 0
        for meeting in (m for m in meetings if m.day == day):
            slot = (day, meeting.period)
            span = (meeting.start, meeting.end)
            free_rooms = [i for i, r in enumerate(classrooms)
                          if slot not in r.unavailable and not _overlaps(room_busy[i], span)]
            for i in free_rooms[: meeting.sections]:
                room_busy[i].append(span)
            day_rooms += max(0, meeting.sections - len(free_rooms))
            # Scarcest first: remaining weekly hours per remaining available day, so
            # people who come on few days are used while they are here.
            free_people = sorted(
                (-(p.max_periods_week - week_load[i]) / max(days_from[i][day], 1), i)
                for i, p in enumerate(supervisors)
                if week_load[i] < p.max_periods_week and slot not in p.unavailable
                and len(person_busy[i]) < p.max_periods_day
                and not _overlaps(person_busy[i], span)
            )
            for _, i in free_people[: meeting.sections]:
                person_busy[i].append(span)
                week_load[i] += 1
            day_people += max(0, meeting.sections - len(free_people))
        missing_rooms = max(missing_rooms, day_rooms)
        missing_people = max(missing_people, day_people)
    return missing_rooms, missing_people


def _overlaps(busy: Sequence[tuple[int, int]], span: tuple[int, int]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in busy)


def _make_study_feasible(rng: random.Random, info: SchoolInfo, bands: Sequence[_Band],
                         students: Sequence[Student], rooms: tuple[Room, ...],
                         staff: tuple[Staff, ...]) -> tuple[tuple[Room, ...], tuple[Staff, ...]]:
    """Add multi-purpose classrooms and volunteers until the all-study roster exists."""
    meetings = _study_meetings(info, bands, students)
    extra_rooms = extra_people = 0
    while True:
        missing_rooms, missing_people = _roster_shortfall(info, meetings, rooms, staff)
        if not missing_rooms and not missing_people:
            return rooms, staff
        for _ in range(missing_rooms):
            extra_rooms += 1
            rooms += (Room(id=f"MP{extra_rooms}", name=f"多功能室{extra_rooms}",
                           type="classroom", capacity=info.study_ratio + 8),)
        # A volunteer covers about four class hours; a day's shortfall recurs on other days.
        for _ in range(missing_people):
            extra_people += 1
            prefix, _, weekly, pay, pool = _OUTSIDERS["volunteer"]
            staff += (Staff(
                id=f"{prefix}X{extra_people:02d}",
                name=_person_name(rng, _ADULT_CHARS, two_chars=0.6),
                role="volunteer",
                skills=frozenset({pool[0]}),
                max_periods_week=weekly,
                vetted=True,
                vetted_until=TERM_END + dt.timedelta(days=180),
                pay_per_period=pay * FEN_PER_YUAN,
            ),)


# --- budget ---------------------------------------------------------------------------

def _activity_cost(info: SchoolInfo, activity: Activity, room_fee: dict[str, int]) -> int:
    """Fen per term if every section of the activity opened and filled."""
    sections = activity.max_sections or 0
    per_meeting = activity.fee_per_session + room_fee.get(activity.room_type, 0)
    return (info.weeks * sections * activity.sessions_per_week * per_meeting
            + activity.fee_per_student * sections * (activity.max_size or 0))


def _role_cost(info: SchoolInfo, staff: Sequence[Staff], role: str) -> int:
    """Fen per term if everyone in the role worked their weekly maximum."""
    return info.weeks * sum(p.max_periods_week * p.pay_per_period
                            for p in staff if p.role == role)


def _study_room_cost(info: SchoolInfo, activities: Sequence[Activity], rooms: Sequence[Room]
                     ) -> int:
    """Venue fees if study filled every room of its type in every slot."""
    types = {a.room_type for a in activities if a.is_study}
    return info.weeks * len(ALL_SLOTS) * sum(r.fee_per_use for r in rooms if r.type in types)


def _cost_bound(info: SchoolInfo, activities: Sequence[Activity], rooms: Sequence[Room],
                staff: Sequence[Staff]) -> int:
    """Fen: the most the term could cost, whatever opens and whoever works."""
    room_fee = _max_room_fee(rooms)
    return (
        sum(_activity_cost(info, a, room_fee) for a in activities if not a.is_study)
        + sum(_role_cost(info, staff, role) for role in sorted({p.role for p in staff}))
        + _study_room_cost(info, activities, rooms)
    )


def _max_room_fee(rooms: Sequence[Room]) -> dict[str, int]:
    fees: dict[str, int] = {}
    for room in rooms:
        fees[room.type] = max(fees.get(room.type, 0), room.fee_per_use)
    return fees


def _halve(fen: int) -> int:
    """Half, rounded down to whole yuan."""
    return fen // 2 // FEN_PER_YUAN * FEN_PER_YUAN


def _trim_to_budget(info: SchoolInfo, activities: tuple[Activity, ...], rooms: tuple[Room, ...],
                    staff: tuple[Staff, ...], share: float = BUDGET_SHARE
                    ) -> tuple[tuple[Activity, ...], tuple[Room, ...], tuple[Staff, ...]]:
    """Cut the largest worst-case cost until the bound fits within ``share`` of the budget.

    Fewer sections first; an activity already down to one section gets half the
    fees (and its venue half the hire); a role gets half the pay. Neither touches
    who may supervise study, so the roster found before stays valid.
    """
    limit = int(info.term_budget * share)
    while _cost_bound(info, activities, rooms, staff) > limit:
        room_fee = _max_room_fee(rooms)
        costs: list[tuple[int, str, str]] = [
            (_activity_cost(info, a, room_fee), "activity", a.id)
            for a in activities if not a.is_study
        ]
        costs += [(_role_cost(info, staff, role), "role", role)
                  for role in sorted({p.role for p in staff})]
        cost, what, key = max(costs)
        if cost == 0:
            raise RuntimeError("sample: the budget cannot hold even free activities")
        if what == "role":
            staff = tuple(replace(p, pay_per_period=_halve(p.pay_per_period))
                          if p.role == key else p for p in staff)
            continue
        activity = next(a for a in activities if a.id == key)
        if (activity.max_sections or 0) > 1:
            trimmed = replace(activity, max_sections=(activity.max_sections or 0) - 1)
        else:
            trimmed = replace(activity, fee_per_session=_halve(activity.fee_per_session),
                              fee_per_student=_halve(activity.fee_per_student))
            rooms = tuple(replace(r, fee_per_use=_halve(r.fee_per_use))
                          if r.type == activity.room_type else r for r in rooms)
        activities = tuple(trimmed if a.id == key else a for a in activities)
    return activities, rooms, staff


# --- self-check -----------------------------------------------------------------------

def _check_clean(school: School) -> None:
    """The generator's promise: no validation problem at all. A failure is our bug."""
    from models.validate import validate_school

    problems = validate_school(school)
    if problems:
        raise RuntimeError("generated sample is not clean: "
                           + "; ".join(str(p) for p in problems[:5]))


def _span(row: PeriodRow) -> str:
    return f"{format_time(row.start)}-{format_time(row.end)}"


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{key} {num}" for key, num in sorted(counter.items(),
                                                           key=lambda kv: (-kv[1], kv[0])))
