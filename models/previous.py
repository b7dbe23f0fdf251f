"""The schedule in force, against the school as it is now (``schedule resolve``).

Solver-free, so that the checker and the model count the same moves: which places
a child still wants and may still have (:func:`kept_places`), what a new schedule
moved (:func:`moves`), whether a previous schedule is this school's at all
(:func:`mismatches`). docs/goals.md defines ``children_moved`` and
``sections_moved`` from these.

A section is the same section when it keeps its id: ``resolve`` writes every
section that stands for a previous one under the previous id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from models.locks import Locks
from models.problems import Problem, error
from models.schedule import Meeting, Schedule, Section
from models.school import Activity, School, Student

MISMATCH_SHARE = 0.5
"""A previous schedule of which fewer than this share of students (or of activities) are
the school's is taken for another school's: a term's joiners and leavers are far fewer."""

_SHOWN = 3


@dataclass(frozen=True)
class Previous:
    """The schedule in force and the locks written in it."""

    schedule: Schedule
    locks: Locks = field(default_factory=Locks)

    def chosen_sections(self, school: School) -> tuple[Section, ...]:
        """Its sections of activities that are not study (study is shared out afresh)."""
        return tuple(s for s in self.schedule.sections if not _is_study(school, s))


def _is_study(school: School, section: Section) -> bool:
    activity = school.activity_by_id.get(section.activity_id)
    return activity is not None and activity.is_study


def mismatches(school: School, schedule: Schedule) -> list[Problem]:
    """Errors when the previous schedule is not this school's: too few of its students or
    activities are the school's. Each names the first ids that are not."""
    problems = []
    for sheet, column, ids, known in (
            ("Assignments", "student", [p.student_id for p in schedule.places],
             school.student_by_id),
            ("Sections", "activity", [s.activity_id for s in schedule.sections],
             school.activity_by_id)):
        distinct = list(dict.fromkeys(ids))
        unknown = [i for i in distinct if i not in known]
        if distinct and len(distinct) - len(unknown) < MISMATCH_SHARE * len(distinct):
            what = "students" if column == "student" else "activities"
            problems.append(error(sheet, f"{len(unknown)} of the {len(distinct)} {what} of the "
                                  f"previous schedule are not in this school's workbook "
                                  f"(first: {', '.join(unknown[:_SHOWN])}); is it another "
                                  "school's schedule?", column=column,
                                  value=", ".join(unknown[:_SHOWN])))
    return problems


def may_open(school: School, activity: Activity) -> bool:
    """Whether a section of the activity can still exist: it may open sections, enough
    people may staff it, and a room of its type seats its minimum."""
    if activity.is_study or activity.max_sections == 0:
        return False
    able = sum(1 for person in school.staff if school.may_staff(person, activity))
    room = any(r.type == activity.room_type and r.capacity >= max(activity.min_size, 1)
               for r in school.rooms)
    return able >= activity.staff_per_section and room


def _still_wants(school: School, student: Student | None, section: Section) -> bool:
    """Registered, still choosing the activity, and staying for every meeting of it."""
    if student is None or not student.days or student.wants < 1:
        return False
    if section.activity_id not in {a.id for _, a in school.eligible_choices(student)}:
        return False
    return all(student.stays_for(slot) for m in section.meetings for slot in m.slots)


def kept_places(school: School, previous: Schedule) -> tuple[tuple[str, str], ...]:
    """(student id, section id) of every previous place in a chosen activity's section that
    the child still wants and may still have: still registered, still choosing the
    activity, still coming on its days and staying for its periods, and the activity
    can still open (:func:`may_open`). Moving a child out of one of these is a move that
    ``children_moved`` counts."""
    openable = {a.id for a in school.activities if may_open(school, a)}
    kept = []
    for section in previous.sections:
        if section.activity_id not in openable:
            continue
        for student_id in dict.fromkeys(section.student_ids):
            if _still_wants(school, school.student_by_id.get(student_id), section):
                kept.append((student_id, section.id))
    return tuple(kept)


@dataclass(frozen=True)
class Moves:
    """What a new schedule changed of the previous one, in the school's terms."""

    needless: tuple[tuple[str, str], ...]
    """(student, section) kept places the child lost: moves that were not needed."""
    forced: tuple[tuple[str, str], ...]
    """(student, section) places of children still registered that could not be kept
    (the activity cannot open, the child's days or choices changed)."""
    sections: tuple[str, ...]
    """Previous sections of chosen activities now gone or changed in day, time, room or
    staff."""
    supervision: tuple[Duty, ...] = ()
    """Previous study duties (activity, day, start, staff) the new schedule does not keep."""

    @property
    def children_moved(self) -> int:
        return len({student for student, _ in self.needless})

    @property
    def children_forced(self) -> int:
        return len({student for student, _ in self.forced} - {s for s, _ in self.needless})


def moves(school: School, previous: Schedule, schedule: Schedule) -> Moves:
    """The children and sections ``schedule`` moved from ``previous`` (docs/goals.md)."""
    kept = set(kept_places(school, previous))
    needless, forced = [], []
    for section in previous.sections:
        if _is_study(school, section):
            continue
        now = schedule.section_by_id.get(section.id)
        members = set(now.student_ids) if now is not None else set()
        for student_id in dict.fromkeys(section.student_ids):
            if student_id in members:
                continue
            student = school.student_by_id.get(student_id)
            if (student_id, section.id) in kept:
                needless.append((student_id, section.id))
            elif student is not None and student.days:
                forced.append((student_id, section.id))
    moved = tuple(s.id for s in previous.sections if not _is_study(school, s)
                  and _changed(s, schedule.section_by_id.get(s.id)))
    kept_duties = study_duties(school, schedule)
    dropped = tuple(d for d in study_duties(school, previous) if d not in kept_duties)
    return Moves(tuple(needless), tuple(forced), moved, dropped)


Duty = tuple[str, int, int, str]
"""(study activity, day, start, staff id): one person supervising study at one time."""


def study_duties(school: School, schedule: Schedule) -> tuple[Duty, ...]:
    """Every study duty of ``schedule``, in order, each once: whoever supervises study
    when, whatever the section's letter or room (``supervisors_moved`` counts these)."""
    duties: dict[Duty, None] = {}
    for section in schedule.sections:
        if _is_study(school, section):
            for meeting in section.meetings:
                for staff_id in meeting.staff_ids:
                    duties[section.activity_id, meeting.day, meeting.start, staff_id] = None
    return tuple(duties)


def _shape(meeting: Meeting) -> tuple[object, ...]:
    return (meeting.day, meeting.start, meeting.end, meeting.room_id,
            tuple(sorted(set(meeting.staff_ids))))


def _changed(before: Section, after: Section | None) -> bool:
    """Gone, or met on another day, at another time, in another room or by other staff."""
    if after is None or after.activity_id != before.activity_id:
        return True
    return sorted(map(_shape, before.meetings)) != sorted(map(_shape, after.meetings))
