"""The workbook contract, declared once (``docs/workbook.md`` is written from it).

The reader, the template writer, the sample writer, the docs and the tests all
read these declarations; nothing else lists the sheets or their columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """How a cell is read. The reader maps each kind to one parser."""

    ID = "id"  # text; numbers read as their integer text, leading zeros kept
    TEXT = "text"
    INT = "whole number"
    MONEY = "amount in yuan"
    NUMBER = "number"
    TIME = "time HH:MM"
    DATE = "date"
    BOOL = "yes/no"
    GRADE = "grade 1-9"
    GRADES = "grade list"
    SLOTS = "slot list"
    DAYS = "day list"
    DAY_OR_ALL = "day or all"
    CHOICE = "one of a list"
    WORDS = "comma list"


@dataclass(frozen=True, kw_only=True)
class Column:
    name: str
    kind: Kind
    help: str
    required: bool = False
    default: object = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    width: int = 14


@dataclass(frozen=True, kw_only=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    id_column: str | None = "id"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def normalize(header: object) -> str:
    """How the contract matches names: case-insensitive, ignoring spaces and underscores."""
    return re.sub(r"[\s_]+", "", str(header)).lower()


CATEGORIES = ("sports", "arts", "science", "club", "reading", "study", "visit", "other")
FORBIDDEN_CATEGORIES = (
    "lesson", "lessons", "tutoring", "tutorial", "exam", "exams", "test", "homework",
    "class", "course", "补课", "考试", "作业", "授课",
)
ROLES = ("teacher", "retired_teacher", "volunteer", "parent", "vendor_instructor", "professional")
ROOM_TYPES = ("classroom", "gym", "field", "lab", "art", "music", "library", "offsite")
SCHOOL_TYPES = ("public", "private")
YES_NO = ("yes", "no")

_C = Column

SCHOOL = Sheet(
    name="School",
    help="Two columns, key and value: one row per setting of the school and term.",
    id_column=None,
    columns=(
        _C(name="name", kind=Kind.TEXT, required=True, help="School name."),
        _C(name="type", kind=Kind.CHOICE, required=True, choices=SCHOOL_TYPES,
           help="public or private (decides what happens to an unspent budget)."),
        _C(name="term_start", kind=Kind.DATE, required=True, help="First day of the term."),
        _C(name="term_end", kind=Kind.DATE, required=True,
           help="Last day of the term; background checks and vendor contracts must last to it."),
        _C(name="enrolled", kind=Kind.INT, required=True, minimum=1,
           help="Students enrolled in the school (the funding base, not only those who register)."),
        _C(name="budget_per_student_year", kind=Kind.MONEY, default=1000, minimum=0,
           help="Yuan per enrolled student per year."),
        _C(name="terms_per_year", kind=Kind.INT, default=2, minimum=1, maximum=4,
           help="The term's budget is enrolled x budget_per_student_year / terms_per_year."),
        _C(name="weeks", kind=Kind.INT, default=18, minimum=1, maximum=30,
           help="School weeks in the term; weekly costs are multiplied by this."),
        _C(name="latest_end", kind=Kind.TIME, default="18:00",
           help="No session may end later than this (policy: 18:00 at the latest)."),
        _C(name="per_student_cap", kind=Kind.MONEY, minimum=0,
           help="Yuan per student per term for per-head fees; default budget_per_student_year / "
                "terms_per_year."),
        _C(name="study_ratio", kind=Kind.INT, default=40, minimum=1, maximum=200,
           help="At most this many students per supervising staff member in supervised study."),
        _C(name="language", kind=Kind.CHOICE, choices=("en", "zh"), default="en",
           help="Language of the printed reports and of the command's messages (en or zh). "
                "Optional."),
    ),
)

PERIODS = Sheet(
    name="Periods",
    help="One row per grade band, day and period: when the after-school class hours run.",
    id_column=None,
    columns=(
        _C(name="grades", kind=Kind.GRADES, required=True, help="Grade list this row applies to, "
           "e.g. 1-6."),
        _C(name="day", kind=Kind.DAY_OR_ALL, required=True,
           choices=("all", "Mon", "Tue", "Wed", "Thu", "Fri"),
           help="A day, or all. A row for a specific day overrides an all row."),
        _C(name="period", kind=Kind.INT, required=True, minimum=1, maximum=2,
           help="1 or 2 (at most two after-school class hours)."),
        _C(name="start", kind=Kind.TIME, required=True, help="Start time HH:MM."),
        _C(name="end", kind=Kind.TIME, required=True, help="End time HH:MM, no later than "
           "latest_end."),
    ),
)

ACTIVITIES = Sheet(
    name="Activities",
    help="Everything the school offers after class, including supervised study.",
    columns=(
        _C(name="id", kind=Kind.ID, required=True, help="Unique id."),
        _C(name="name", kind=Kind.TEXT, required=True, help="Display name.", width=22),
        _C(name="category", kind=Kind.CHOICE, required=True, choices=CATEGORIES,
           help="sports, arts, science, club, reading, study, visit or other. study is the "
                "supervised homework/reading hour every unplaced student goes to."),
        _C(name="grades", kind=Kind.GRADES, required=True, help="Grades that may join, e.g. 3-6."),
        _C(name="periods", kind=Kind.INT, default=1, minimum=1, maximum=2,
           help="Class hours per session: 1, or 2 consecutive periods on one day."),
        _C(name="sessions_per_week", kind=Kind.INT, default=1, minimum=1, maximum=5,
           help="A section meets this many times a week, on different days."),
        _C(name="min_size", kind=Kind.INT, default=1, minimum=0,
           help="Fewest students for a section to open."),
        _C(name="max_size", kind=Kind.INT, minimum=1,
           help="Most students in a section; blank: the room's capacity."),
        _C(name="max_sections", kind=Kind.INT, minimum=0,
           help="How many parallel sections may open; blank: 1 (no limit for study)."),
        _C(name="room_type", kind=Kind.WORDS, default="classroom",
           help="Rooms of this type only (blank: any classroom)."),
        _C(name="skill", kind=Kind.TEXT, help="Staff need this skill (blank: any school staff)."),
        _C(name="staff_per_section", kind=Kind.INT, default=1, minimum=1, maximum=10,
           help="People staffing each section meeting."),
        _C(name="provider", kind=Kind.ID, default="school",
           help="school, or a vendor id: then only that vendor's instructors staff it."),
        _C(name="days", kind=Kind.SLOTS, help="Allowed days (slot list such as 'Mon; Wed 2'); "
           "blank: any."),
        _C(name="fee_per_session", kind=Kind.MONEY, default=0, minimum=0,
           help="Yuan per section per meeting (vendor fee, venue, transport)."),
        _C(name="fee_per_student", kind=Kind.MONEY, default=0, minimum=0,
           help="Yuan per term for each student placed (materials, per-head price)."),
    ),
)

ROOMS = Sheet(
    name="Rooms",
    help="Every room or venue that can hold a section.",
    columns=(
        _C(name="id", kind=Kind.ID, required=True, help="Unique id."),
        _C(name="name", kind=Kind.TEXT, required=True, help="Display name.", width=20),
        _C(name="type", kind=Kind.WORDS, required=True, choices=ROOM_TYPES,
           help="classroom, gym, field, lab, art, music, library, offsite, or another word."),
        _C(name="capacity", kind=Kind.INT, required=True, minimum=1, help="Students it holds."),
        _C(name="unavailable", kind=Kind.SLOTS, help="Slot list when it cannot be used."),
        _C(name="fee_per_use", kind=Kind.MONEY, default=0, minimum=0,
           help="Yuan per session held there (venue hire)."),
    ),
)

STAFF = Sheet(
    name="Staff",
    help="Everyone who may run or supervise a section.",
    columns=(
        _C(name="id", kind=Kind.ID, required=True, help="Unique id."),
        _C(name="name", kind=Kind.TEXT, required=True, help="Display name."),
        _C(name="role", kind=Kind.CHOICE, required=True, choices=ROLES,
           help="teacher (in-service), retired_teacher, volunteer, parent, vendor_instructor or "
                "professional."),
        _C(name="skills", kind=Kind.TEXT, help="Comma list of skills, e.g. chess, football.",
           width=22),
        _C(name="vendor", kind=Kind.ID, help="Vendor id (for vendor instructors)."),
        _C(name="max_periods_week", kind=Kind.INT, minimum=0, maximum=10,
           help="After-school class hours per week at most; blank: teacher 4, others 10."),
        _C(name="max_periods_day", kind=Kind.INT, default=2, minimum=0, maximum=2,
           help="After-school class hours per day at most."),
        _C(name="unavailable", kind=Kind.SLOTS, help="Slot list when they cannot serve."),
        _C(name="vetted", kind=Kind.BOOL, default=False, choices=YES_NO,
           help="Background check passed (required for everyone but in-service teachers)."),
        _C(name="vetted_until", kind=Kind.DATE, help="Date the check expires; must cover the "
           "term."),
        _C(name="pay_per_period", kind=Kind.MONEY, default=0, minimum=0,
           help="Yuan paid per after-school class hour."),
        _C(name="affiliated_vendor", kind=Kind.TEXT,
           help="A teacher affiliated with a social institution may not serve (policy 5(1))."),
    ),
)

VENDORS = Sheet(
    name="Vendors",
    help="Social institutions the school buys programs from.",
    columns=(
        _C(name="id", kind=Kind.ID, required=True, help="Unique id."),
        _C(name="name", kind=Kind.TEXT, required=True, help="Display name.", width=24),
        _C(name="qualified", kind=Kind.BOOL, default=False, choices=YES_NO,
           help="Passed the school's selection / bidding."),
        _C(name="contract_until", kind=Kind.DATE, help="Contract end date; must cover the term."),
        _C(name="max_sessions_week", kind=Kind.INT, minimum=0,
           help="Section meetings per week at most; blank: unlimited."),
        _C(name="rating", kind=Kind.NUMBER, default=3, minimum=1, maximum=5,
           help="1-5 from evaluations."),
    ),
)

STUDENTS = Sheet(
    name="Students",
    help="One row per student; only those with registered days are served.",
    columns=(
        _C(name="id", kind=Kind.ID, required=True, help="Unique id (student number)."),
        _C(name="name", kind=Kind.TEXT,
           help="Name (blank: a warning, and the prints show the id)."),
        _C(name="grade", kind=Kind.GRADE, required=True, minimum=1, maximum=9, help="Grade 1-9."),
        _C(name="class", kind=Kind.ID, required=True, help="Homeroom class, e.g. 3-2."),
        _C(name="days", kind=Kind.DAYS, help="Registered days ('Mon;Wed;Fri' or all); blank: not "
           "registered."),
        _C(name="stay", kind=Kind.INT, default=2, minimum=1, maximum=2,
           help="1: picked up after period 1; 2: stays both periods."),
        _C(name="wants", kind=Kind.INT, default=1, minimum=0, maximum=5,
           help="How many chosen activities (sections) a week."),
        *(
            _C(name=f"choice{k}", kind=Kind.ID, help=f"Activity id, choice number {k}.")
            for k in range(1, 6)
        ),
        _C(name="priority", kind=Kind.INT, default=0,
           help="Higher is served first when places are short."),
    ),
)

INPUT_SHEETS: tuple[Sheet, ...] = (SCHOOL, PERIODS, ACTIVITIES, ROOMS, STAFF, VENDORS, STUDENTS)
"""Every input sheet, in the order the template writes them."""


SETTINGS_KEYS: dict[str, str] = {
    "goals": "Goal order and weights, e.g. 'unserved; priority_served; first_choices; "
             "choice_points; lottery; teacher_max_load, teacher_load_squares; cost*2, "
             "vendor_rating_shortfall' (';' separates levels solved in order, ',' joins goals "
             "into one weighted level, '*N' a whole-number weight).",
}
"""The optional Settings sheet (columns key, value): the keys the optimizer reads."""

SECTIONS_HELP: dict[str, str] = {
    "section": "section id, unique per section (the same on all its meetings)",
    "activity": "activity id",
    "day": "Mon … Fri",
    "start": "HH:MM",
    "end": "HH:MM",
    "room": "room id",
    "staff": "comma-separated staff ids",
    "size": "students in the section",
    "lock": "blank, or what `schedule resolve` must keep of this meeting: `time` (its day "
            "and times), `room`, `staff`, several of them (`time, room`), or `yes` for all "
            "three",
}
"""The Sections output sheet: one row per section meeting."""
SECTIONS_COLUMNS = tuple(SECTIONS_HELP)

ASSIGNMENTS_HELP: dict[str, str] = {
    "student": "student id",
    "day": "Mon … Fri",
    "period": "1 or 2",
    "section": "the section id (a chosen activity's, or a study section's)",
    "activity": "activity id",
    "choice_rank": "1-5 when it is one of the student's choices, blank for study",
    "lock": "blank, or `yes`: `schedule resolve` keeps the child in this section (a chosen "
            "activity's section; study places cannot be locked)",
}
"""The Assignments output sheet: one row per registered student, day and period stayed."""
ASSIGNMENTS_COLUMNS = tuple(ASSIGNMENTS_HELP)

LOCK_COLUMN = "lock"
"""The last column of Sections and Assignments: written blank, filled in by the coordinator
for ``schedule resolve``, optional when read (a schedule written before it existed reads)."""

LOCK_PARTS: tuple[str, ...] = ("time", "room", "staff")
"""What a Sections lock may keep of a meeting; ``yes`` (or ``all``) keeps all three."""

LOCKS_TEXT = (
    "`schedule resolve school.xlsx --previous schedule.xlsx` reads the `lock` column of the "
    "previous schedule's Sections and Assignments sheets. Any lock on a Sections row keeps "
    "its section open and meeting on that row's day; `time` also keeps the meeting's start "
    "and end, `room` its room, `staff` every person on it; `yes` keeps all three; a comma "
    "list keeps several. "
    "On Assignments, `yes` keeps that child in that section (all its meetings). A lock the "
    "current school cannot keep (the room closed then, the person gone or unavailable, the "
    "child no longer registered that day or no longer choosing the activity) is an error "
    "naming its sheet, row and column and the rule it breaks; `--unlock-broken` frees those "
    "and lists them. Locks are read from the previous schedule only; the new schedule is "
    "written with a blank `lock` column."
)

HARD_RULES: tuple[tuple[int, str, str], ...] = (
    (1, "time", "Every section meeting lies inside one grade band's period(s) for all the "
                "grades it holds, on one day, and ends no later than latest_end. A 2-period "
                "session takes periods 1 and 2 of the same day."),
    (2, "sections", "An activity opens at most max_sections sections in all (an activity "
                    "open to several grade bands shares them); each holds min_size … max_size "
                    "students and meets sessions_per_week times on different allowed days, "
                    "always in the same period(s). A section is one group: the same students "
                    "at every meeting and every period of it."),
    (3, "rooms", "A meeting's room is of the activity's room_type, holds its students, is "
                 "not unavailable then, and never holds two meetings whose times overlap. A "
                 "meeting occupies exactly its period(s), from the first period's start to "
                 "the last one's end."),
    (4, "staff", "Exactly staff_per_section people per meeting, each with the skill (if "
                 "any), available, never in two overlapping meetings, within max_periods_day "
                 "and max_periods_week. A vendor activity is staffed only by that vendor's "
                 "instructors, a school activity never by vendor instructors. Nobody but an "
                 "in-service teacher serves unless vetted until term_end or later; an "
                 "in-service teacher with an affiliated_vendor never serves. A vendor serves "
                 "only if qualified, with contract_until on or after term_end, within "
                 "max_sessions_week."),
    (5, "students", "A student joins only activities of their grade that they chose; a "
                    "section only if registered on all its meeting days and staying for all "
                    "its periods; never two places at once; exactly one place (a chosen "
                    "section or a study section) in each registered day and period they stay "
                    "for; never more than wants chosen sections, never two sections of one "
                    "activity; their fee_per_student total within per_student_cap."),
    (6, "study", "A study section holds at most study_ratio × staff_per_section students, "
                 "and no more than its room's capacity."),
    (7, "budget", "Term cost = weeks × Σ over meetings (fee_per_session + the room's "
                  "fee_per_use + each staff member's pay_per_period × the meeting's periods) "
                  "+ Σ over students of the fee_per_student of each activity they are placed "
                  "in; within enrolled × budget_per_student_year / terms_per_year."),
)
"""The hard rules, numbered as the checker and every report number them."""

GOALS_TEXT = (
    "Goals, in this order unless the coordinator reweights them (Settings, key goals, or "
    "`schedule solve --goals`): as few registered students as possible left with none of "
    "their choices; then as many as possible in their higher-ranked choices, as many as they "
    "want, higher priority first; then in-service teachers' after-school load low and even; "
    "then lower cost, and higher-rated vendors. Among students of equal priority, who gets a "
    "scarce place is decided by a seeded lottery — never by row order, id or name — and the "
    "seed is reported. Exact definitions: docs/goals.md."
)

NEXT_TERM_RAISE = 1
"""How much a child who fared badly last term is raised: priority + this."""

NEXT_TERM_MATCH = 0.5
"""At least this share of the children a previous schedule places must be in this term's
Students sheet, or it is taken to be another school's schedule."""

NEXT_TERM_TEXT = (
    "`schedule solve school.xlsx --previous last-term.xlsx` remembers last term. A student "
    "is raised when last term's schedule places them (its Assignments sheet, matched by "
    "student id) in fewer chosen sections — Assignments rows with a choice_rank, counted "
    "once per section — than the `wants` of this term's Students sheet: none of their "
    "choices, or fewer than they want; and this term they are registered, want at least "
    "one activity and list at least one choice their grade may join. The schedule "
    "workbook does not record last term's wants, so this term's stand in. A raised "
    f"student's priority this term is their `priority` + {NEXT_TERM_RAISE}: ahead of "
    "everyone of the same priority, level with those the school gave one more; the output's "
    "Students sheet shows the priority used, and its Summary how many were raised and what "
    "they got. Students new this term, or placed as they wanted, keep their priority. "
    f"When fewer than {NEXT_TERM_MATCH:.0%} of the students the previous schedule places "
    "are in this term's Students sheet, it is taken to be another school's schedule: an "
    "error naming the first Assignments rows whose students are unknown, and nothing is "
    "solved."
)
"""The next-term rule, as docs/workbook.md states it."""
