"""During the term: ``schedule diff`` (what changed between two schedules) and
``schedule cover`` (one day's cover for absent staff, without touching the term)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from optimizer.commands.deliver import FILE, alone, deliver
from optimizer.commands.exits import Exit
from optimizer.commands.reading import load, read_schedule_of
from optimizer.commands.voice import say, speak
from optimizer.outputs.report.labels import LANGUAGES

if TYPE_CHECKING:
    from models.school import School
    from optimizer.outputs.report.changes import ChangesView
    from optimizer.outputs.report.labels import Labels


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--school", "school_workbook", type=click.Path(path_type=Path),
              help="The school workbook: names the activities, rooms, staff and (in -o) the "
                   "children; needed for -o.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Also write the Changes sheet: a workbook (.xlsx) or a PDF (.pdf).")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language [default: the School sheet's language, else en].")
@click.option("--redact", is_flag=True, help="Pseudonymise every student in -o (no names).")
@click.option("--font", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="For a PDF: a TrueType .ttf/.ttc font to embed for Chinese.")
def diff(old: Path, new: Path, school_workbook: Path | None, output: Path | None,
         lang: str | None, redact: bool, font: Path | None) -> None:
    """Say what changed between two schedule workbooks of one school.

    Every child whose week changed (day by day, before and after), every staff
    member whose duties changed, every section moved, opened or closed; counts
    first. The terminal shows children by pseudonym (class-number), never by
    name. Exit 0 when said (and written), 2 when a workbook cannot be read, 8 when
    no place takes -o, 64 for -o without --school or of another kind.
    """
    from optimizer.outputs.report.changes import changes_view, view_lines
    from optimizer.outputs.report.labels import Labels, resolve_language
    from optimizer.outputs.report.redact import redact_school

    speak(lang)
    if output is not None and (school_workbook is None
                               or output.suffix.lower() not in (".xlsx", ".pdf")):
        click.echo(say("cli.diff.needs_school"), err=True)
        sys.exit(Exit.USAGE)
    school = load(school_workbook, lang) if school_workbook is not None else None
    before, after = (read_schedule_of(path, None, unreadable="cli.diff.unreadable")
                     for path in (old, new))
    labels = Labels(resolve_language(lang, school))
    # The terminal never shows a child's name: pseudonyms whatever --redact says.
    view = changes_view(before, after, redact_school(school) if school else None, labels)
    for line in [say("cli.diff.title", title=labels("changes.title")), *view_lines(view)]:
        click.echo(line)
    if output is not None and school is not None:
        shown = redact_school(school) if redact else school
        written = _write_changes(output, shown, changes_view(before, after, shown, labels),
                                 labels, redact, font,
                                 protect=[old, new, *([school_workbook] if school_workbook
                                                      else [])])
        click.echo(say("cli.wrote", path=written))
    changes = view.changes
    if changes.none:
        click.echo(say("cli.diff.none", old=old.name, new=new.name))
    else:
        click.echo(say("cli.diff.changed", children=len(changes.children),
                       staff=changes.counts["staff_changed"], sections=len(changes.sections),
                       next=say("cli.diff.send" if output else "cli.diff.add_o")))


def _write_changes(output: Path, shown: School, view: ChangesView, labels: Labels, redact: bool,
                   font: Path | None, *, protect: Sequence[Path]) -> Path:
    """The Changes sheet alone, as a workbook or a PDF, through deliver; ``shown`` is the
    school as the file may show it (redacted or not)."""
    from optimizer.outputs.report.changes import write_changes_pdf, write_changes_workbook

    info = shown.info

    def write(paths: Mapping[str, Path]) -> None:
        if output.suffix.lower() == ".pdf":
            write_changes_pdf(paths[FILE], view, labels, school_name=info.name,
                              term=labels("term", start=info.term_start.isoformat(),
                                          end=info.term_end.isoformat()),
                              redacted=redact, font=font)
        else:
            write_changes_workbook(paths[FILE], shown, view, labels=labels, redacted=redact)

    return deliver(output, alone, write, protect=protect,
                   default_name=f"changes{output.suffix.lower()}").main


@click.command(name="cover")
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("--school", "school_workbook", type=click.Path(path_type=Path), required=True,
              help="The school workbook the schedule was made for.")
@click.option("--date", "when", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              metavar="YYYY-MM-DD", help="The day to cover, a weekday of the term.")
@click.option("--absent", "absent", multiple=True, required=True, metavar="STAFF_ID",
              help="A staff id who is away that day (repeatable).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Also write the printable Cover sheet to this workbook (.xlsx).")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language [default: the School sheet's language, else en].")
def cover_command(schedule: Path, school_workbook: Path, when: dt.datetime,
                  absent: tuple[str, ...], output: Path | None, lang: str | None) -> None:
    """One day's cover without touching the term: who may take the absent staff's meetings.

    Lists the meetings the absent staff have that day and, for each, the staff who
    may take it (free then, allowed to serve, skilled, within their daily and weekly
    limits counting the cover), best first: fewest class hours that week, then that
    day, then lowest pay. Exit 0 when said (and written), 2 when a workbook cannot be
    read, 8 when no place takes -o, 64 for an unknown staff id or a date that is not a
    school day of the term.
    """
    from models.cover import CoverError, cover
    from optimizer.outputs.report.cover import cover_rows, cover_title, write_cover_workbook
    from optimizer.outputs.report.labels import Labels, resolve_language

    speak(lang)
    school = load(school_workbook, lang)
    plan_of = read_schedule_of(schedule, school, unreadable="cli.cover.unreadable")
    try:
        plan = cover(school, plan_of, when.date(), absent)
    except CoverError as exc:
        click.echo(say("cli.cover.error", text=exc.said), err=True)
        sys.exit(Exit.USAGE)
    labels = Labels(resolve_language(lang, school))
    click.echo(say("cli.cover.title", title=cover_title(plan, labels)))
    for row in cover_rows(plan, school, labels):
        click.echo(say("cli.cover.meeting", time=row.time, activity=row.activity,
                       room=row.room, away=row.away))
        click.echo("\n".join(f"      {line}" for line in row.candidates))
    if output is not None:
        written = deliver(output, alone,
                          lambda paths: write_cover_workbook(paths[FILE], school, plan,
                                                             labels=labels),
                          protect=[schedule, school_workbook],
                          default_name=f"cover-{plan.date.isoformat()}.xlsx").main
        click.echo(say("cli.wrote", path=written))
    date = plan.date.isoformat()
    if not plan.needs:
        click.echo(say("cli.cover.nobody_away", date=date))
    else:
        uncovered = (say("cli.cover.uncovered", count=plan.uncovered) if plan.uncovered
                     else "")
        click.echo(say("cli.cover.to_cover", count=len(plan.needs), date=date,
                       uncovered=uncovered,
                       next=say("cli.cover.print" if output else "cli.cover.add_o")))
