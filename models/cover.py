"""One day's cover without touching the term: who may take an absent person's meetings.

``cover(school, schedule, date, absent)`` finds the meetings the absent staff
have on that date's weekday and, for each, the staff who may take it. "May" is
the checker's own rule 4 (:func:`models.check.rule_staff`), not a restatement of
it: a person may take the meeting when putting them in the absent person's place
adds no breach of rule 4 — so they are free then (no overlapping meeting, not
unavailable), allowed to serve (vetted to term_end unless an in-service teacher;
a vendor's activity only by its instructors), skilled for the activity, and
within max_periods_day and max_periods_week counting the covered meeting.

Each meeting is considered on its own: when one person is offered for two
meetings of the day, taking both may pass their daily limit (the printed sheet
says so). The School sheet has no holidays, so a date inside the term on a
weekday is taken to be a school day.

Best first (docs/reports.md, "Cover"): fewest class hours that week counting the
cover (the term's goals keep loads low and even), then fewest that day, then the
lowest pay per class hour (the cover's cost), then the staff id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from models.check import rule_staff
from models.messages import Message, msg
from models.schedule import Meeting, Schedule, Section
from models.school import School, Staff
from models.time import DAYS


class CoverError(ValueError):
    """A request that cannot be answered: an unknown person, a date that is no school day.

    ``str()`` is the English; ``said`` the catalogue message, for the reader's language.
    """

    def __init__(self, said: Message) -> None:
        super().__init__(said.text("en"))
        self.said = said


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """Someone who may take the meeting, and their load counting it."""

    staff_id: str
    periods_day: int  # class hours that day, counting the cover
    periods_week: int  # class hours that week, counting the cover
    pay_per_period: int  # fen


@dataclass(frozen=True, kw_only=True)
class Need:
    """One meeting of the day that lost one of its staff, and who may take their place."""

    section_id: str
    activity_id: str
    meeting: Meeting
    absent_id: str
    candidates: tuple[Candidate, ...]  # best first


@dataclass(frozen=True, kw_only=True)
class CoverPlan:
    date: dt.date
    day: int
    absent_ids: tuple[str, ...]
    needs: tuple[Need, ...]  # by time, then section

    @property
    def uncovered(self) -> int:
        """Meetings nobody may take."""
        return sum(1 for need in self.needs if not need.candidates)


def cover(school: School, schedule: Schedule, date: dt.date, absent: Sequence[str]
          ) -> CoverPlan:
    """Who may take each meeting the ``absent`` staff have on ``date``, best first.

    Raises :class:`CoverError` naming every unknown staff id, or saying why the date
    is no school day of the term.
    """
    day = school_day(school, date)
    unknown = [staff_id for staff_id in absent if staff_id not in school.staff_by_id]
    if unknown:
        raise CoverError(msg("cover.unknown_one" if len(unknown) == 1 else "cover.unknown_many",
                             ids=", ".join(unknown),
                             example=school.staff[0].id if school.staff else "T001"))
    away = tuple(dict.fromkeys(absent))
    needs = [Need(section_id=section.id, activity_id=section.activity_id, meeting=meeting,
                  absent_id=person,
                  candidates=_candidates(school, schedule, section, meeting, person, away))
             for section in schedule.sections for meeting in section.meetings
             if meeting.day == day for person in meeting.staff_ids if person in away]
    needs.sort(key=lambda n: (n.meeting.start, n.meeting.end, n.section_id, n.absent_id))
    return CoverPlan(date=date, day=day, absent_ids=away, needs=tuple(needs))


def school_day(school: School, date: dt.date) -> int:
    """The date's weekday (0 = Monday) when it is a school day of the term; else raise."""
    info = school.info
    if not info.term_start <= date <= info.term_end:
        raise CoverError(msg("cover.outside_term", date=date.isoformat(),
                             start=info.term_start.isoformat(), end=info.term_end.isoformat()))
    if date.weekday() >= len(DAYS):
        weekend = ("Saturday", "Sunday")[date.weekday() - len(DAYS)]
        raise CoverError(msg("cover.not_school_day", date=date.isoformat(),
                             weekday=msg(f"weekday.{weekend}")))
    return date.weekday()


def _candidates(school: School, schedule: Schedule, section: Section, meeting: Meeting,
                absent_id: str, away: tuple[str, ...]) -> tuple[Candidate, ...]:
    found = [candidate for person in school.staff
             if person.id not in away and person.id not in meeting.staff_ids
             and (candidate := _may_take(school, schedule, section, meeting, absent_id,
                                         person)) is not None]
    return tuple(sorted(found, key=lambda c: (c.periods_week, c.periods_day,
                                              c.pay_per_period, c.staff_id)))


def _may_take(school: School, schedule: Schedule, section: Section, meeting: Meeting,
              absent_id: str, person: Staff) -> Candidate | None:
    """The person's load with the cover when rule 4 finds nothing new against them, else None.

    Rule 4 is asked twice, of a schedule holding only the person's own sections and the
    covered one: as it is, and with the person in the absent one's place. Only what the
    swap adds counts, so a breach of someone else's is never held against them.
    """
    staff_ids = tuple(person.id if i == absent_id else i for i in meeting.staff_ids)
    covered = replace(meeting, staff_ids=staff_ids)
    swapped = replace(section, meetings=tuple(covered if m is meeting else m
                                              for m in section.meetings))
    theirs = tuple(s for s in schedule.sections if s.id != section.id and any(
        person.id in m.staff_ids for m in s.meetings))
    before = rule_staff(school, Schedule(sections=(*theirs, section)))
    after = rule_staff(school, Schedule(sections=(*theirs, swapped)))
    if {str(v) for v in after} - {str(v) for v in before}:
        return None
    jobs = [m for s in (*theirs, swapped) for m in s.meetings if person.id in m.staff_ids]
    return Candidate(staff_id=person.id,
                     periods_day=sum(len(m.periods) for m in jobs if m.day == meeting.day),
                     periods_week=sum(len(m.periods) for m in jobs),
                     pay_per_period=person.pay_per_period)
