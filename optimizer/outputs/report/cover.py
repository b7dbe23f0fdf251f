"""The Cover sheet: one day's meetings whose staff are away, and who may take each.

:func:`models.cover.cover` finds them; :func:`cover_rows` puts them in words once,
for the printable sheet (``schedule cover -o``) and the terminal alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from models.atomic import atomic_path
from models.cover import CoverPlan, Need
from models.school import School
from optimizer.outputs.report import sheets
from optimizer.outputs.report.labels import Labels

SHOWN_CANDIDATES = 10
"""The best this many are listed per meeting; a study hour may have fifty who could."""


@dataclass(frozen=True)
class CoverRow:
    """One meeting to cover, in words; ``candidates`` best first, one per line."""

    time: str
    activity: str
    room: str
    away: str
    candidates: tuple[str, ...]


def cover_title(plan: CoverPlan, labels: Labels) -> str:
    return labels("cover.title", date=f"{plan.date.isoformat()} {labels.day(plan.day)}")


def cover_rows(plan: CoverPlan, school: School, labels: Labels) -> list[CoverRow]:
    return [_row(need, school, labels) for need in plan.needs]


def _name(school: School, staff_id: str) -> str:
    person = school.staff_by_id.get(staff_id)
    return f"{person.name} ({staff_id})" if person is not None else staff_id


def _row(need: Need, school: School, labels: Labels) -> CoverRow:
    activity = school.activity_by_id.get(need.activity_id)
    room = school.room_by_id.get(need.meeting.room_id)
    shown = need.candidates[:SHOWN_CANDIDATES]
    candidates = tuple(
        labels("cover.candidate", rank=rank, name=_name(school, c.staff_id),
               day=c.periods_day, week=c.periods_week)
        for rank, c in enumerate(shown, start=1)) or (labels("cover.nobody"),)
    if len(need.candidates) > len(shown):
        candidates += (labels("cover.more", n=len(need.candidates) - len(shown)),)
    return CoverRow(time=labels.span(need.meeting.start, need.meeting.end),
                    activity=f"{activity.name if activity else need.activity_id} "
                             f"({need.section_id})",
                    room=room.name if room is not None else need.meeting.room_id,
                    away=_name(school, need.absent_id), candidates=candidates)


def write_cover_workbook(path: str | Path, school: School, plan: CoverPlan, *,
                         labels: Labels) -> Path:
    """A printable workbook of one sheet: the day, who is away, each meeting and its cover."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = labels.sheet("cover")
    ctx = sheets.Context(school=school, labels=labels, redacted=False)
    widths = [12, 26, 16, 20, 60]
    paper = sheets.laid_out(sheet, widths, landscape=True)
    w = sheets.Writer(sheet, paper)
    w.title(f"{cover_title(plan, labels)} · {school.info.name}")
    w.line([labels("cover.absent", people=labels("list_sep").join(
        _name(school, i) for i in plan.absent_ids))])
    w.skip()
    head = [labels("time"), labels("activity"), labels("room"), labels("cover.away"),
            labels("cover.who")]

    def header() -> None:
        w.header(head, height=30)

    header()
    w.continued = header
    for row in cover_rows(plan, school, labels):
        w.line([row.time, row.activity, row.room, row.away, "\n".join(row.candidates)],
               border=True, align=sheets.WRAP, height=15.0 * max(1, len(row.candidates)))
    w.continued = None
    w.skip()
    w.line([labels("cover.none") if not plan.needs else labels("cover.note")],
           font=sheets.NOTE)
    sheets.page_setup(sheet, ctx, labels.sheet("cover"), paper)
    with atomic_path(path) as temporary:
        workbook.save(temporary)
    return Path(path)
