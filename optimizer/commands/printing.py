"""``schedule print`` (A4 PDFs of rosters, class lists and staff timetables) and
``schedule report`` (the report workbook of an existing schedule, checked first)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from models.messages import said_in
from models.problems import WorkbookError
from optimizer.commands.deliver import FILE, alone, deliver
from optimizer.commands.exits import Exit
from optimizer.commands.reading import school_and_schedule
from optimizer.commands.voice import say, speak, voice
from optimizer.outputs.report.labels import LANGUAGES

if TYPE_CHECKING:
    from optimizer.outputs.report.book import PrintBook


@click.command(name="print")
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("--rosters", "kinds", flag_value="rosters", multiple=True,
              help="Rosters for the whole term: a dated sign-in column for every meeting and "
                   "a line to sign [default].")
@click.option("--classes", "kinds", flag_value="classes", multiple=True,
              help="A list per homeroom class: each child's activity, each day and period.")
@click.option("--staff", "staff", is_flag=False, flag_value="", default=None, metavar="[ID]",
              help="Staff timetables: a compact week per person, several to a page; with an "
                   "ID, that person's only (and, with --rosters, the rosters they lead).")
@click.option("--day", callback=lambda _ctx, _param, value: _school_day(value),
              metavar="DAY",
              help="Only this day (Mon…Fri, or 周三, 星期三): its rosters (dated that weekday), "
                   "class-list columns and the staff who meet then.")
@click.option("--activity", metavar="ID|NAME", help="Only this activity's rosters and staff.")
@click.option("--class", "class_name", metavar="CLASS",
              help="Only this class's list and the rosters with a child of it.")
@click.option("--no-study", is_flag=True, help="Leave out the supervised-study rosters.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PDF to write [default: SCHEDULE-<what>.pdf beside the schedule].")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language [default: the language the workbook was written in].")
@click.option("--redact", is_flag=True, help="Pseudonymise every student (no names).")
@click.option("--school", "school_workbook", type=click.Path(path_type=Path),
              help="The school workbook: print from the schedule's Sections and Assignments "
                   "sheets (checked first) instead of the print data 'schedule solve' stored.")
@click.option("--font", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A TrueType .ttf/.ttc font to embed for Chinese [default: an installed "
                   "Chinese TrueType font, found by itself].")
def print_command(schedule: Path, kinds: tuple[str, ...], staff: str | None,
                  day: int | None, activity: str | None, class_name: str | None,
                  no_study: bool, output: Path | None, lang: str | None, redact: bool,
                  school_workbook: Path | None, font: Path | None) -> None:
    """Print-ready A4 PDF of rosters, class lists or staff timetables from a schedule workbook.

    Several of --rosters, --classes and --staff go into one PDF, in that order;
    --day, --activity, --class, --staff ID and --no-study choose what of them.
    Exit 0 when written, 2 when the workbook cannot be read, 6 when --school is
    given and the schedule breaks a rule, 8 when no place takes the PDF, 64 for an
    unusable --font or a filter that names nothing in the schedule.
    """
    from optimizer.outputs.report.book import Selection, print_book, select
    from optimizer.outputs.report.pdf import KINDS, write_pdf

    kinds = (*kinds, *(("staff",) if staff is not None else ()))
    chosen = [k for k in KINDS if k in kinds] or ["rosters"]
    wanted = Selection(day=day, activity=activity,
                       class_name=class_name, staff_id=staff or None, study=not no_study)
    if output is not None and output.suffix.lower() != ".pdf":
        # `-o school.xlsx` once turned the school workbook beside the schedule into a
        # PDF: print writes PDFs only, and a PDF is named so.
        click.echo(say("cli.print.not_pdf", name=output.name), err=True)
        sys.exit(Exit.USAGE)
    output = output or schedule.with_name(f"{schedule.stem}-{'-'.join(chosen)}.pdf")
    speak(lang)
    if school_workbook is None:
        book = _stored_book(schedule, lang, redact)
    else:
        school, plan = school_and_schedule(school_workbook, schedule, lang)
        book = print_book(school, plan, lang=lang, redact=redact)
    try:
        chosen_book = select(book, wanted)
        delivered = deliver(output, alone,
                            lambda paths: write_pdf(paths[FILE], chosen_book, chosen,
                                                    lang=lang, font=font),
                            protect=[schedule, *([school_workbook] if school_workbook else [])],
                            default_name=f"{schedule.stem}-{'-'.join(chosen)}.pdf")
    except ValueError as exc:  # an unusable --font, or a filter naming nothing printed
        click.echo(say("cli.error", text=exc), err=True)
        sys.exit(Exit.USAGE)
    click.echo(say("cli.wrote", path=delivered.main))


def _school_day(value: str | None) -> int | None:
    """A school day as the workbooks accept it: Mon…Fri, 周三, 星期三."""
    from models.time import ParseError, parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ParseError as exc:
        raise click.BadParameter(str(exc)) from None


def _stored_book(schedule: Path, lang: str | None, redact: bool) -> PrintBook:
    """The prints from the print data ``schedule solve`` stored, unless the visible
    sheets now say otherwise (:func:`_visible_book`); the language it was written in
    unless --lang says another."""
    from optimizer.console.crash import keep_out
    from optimizer.outputs.report.book import read_print_book, redact_book

    try:
        book = read_print_book(schedule)
    except WorkbookError as exc:
        click.echo(say("cli.error", text=exc.first(voice.lang)), err=True)
        sys.exit(Exit.INVALID)
    keep_out(pupil.name for roster in book.rosters for pupil in roster.students)
    speak(lang, book.language)
    book = _visible_book(schedule, book, lang)
    return redact_book(book) if redact else book


def _visible_book(schedule: Path, book: PrintBook, lang: str | None) -> PrintBook:
    """The stored print data when it says what the visible sheets say; else the prints
    rebuilt from the visible sheets: checked against the school workbook when one is
    found beside the schedule, else as the sheets are, and said so. Never stale."""
    from optimizer.outputs.report.book import print_book
    from optimizer.outputs.visible import rebuilt_book, stale_print_data

    differs = stale_print_data(schedule, book)
    if differs is None:
        return book
    school_path = _school_beside(schedule, book)
    if school_path is None:
        click.echo(say("cli.print.unchecked", differs=said_in(differs, voice.lang)), err=True)
        return rebuilt_book(schedule, book)
    click.echo(say("cli.print.checked", differs=said_in(differs, voice.lang),
                   school=school_path.name), err=True)
    school, plan = school_and_schedule(school_path, schedule, lang)
    return print_book(school, plan, lang=lang or book.language, redact=book.redacted)


def _school_beside(schedule: Path, book: PrintBook) -> Path | None:
    """``school.xlsx`` beside ``school-schedule.xlsx`` (solve's default name), when it is
    the school the print data names."""
    from models.reader import inspect_workbook

    stem = schedule.stem
    if not stem.endswith("-schedule"):
        return None
    candidate = schedule.with_name(f"{stem.removesuffix('-schedule')}{schedule.suffix}")
    if not candidate.is_file():
        return None
    try:
        school, _ = inspect_workbook(candidate)
    except WorkbookError:
        return None
    if school is None or school.info.name != book.school_name:
        return None
    return candidate


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Report workbook to write.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the report sheets [default: the School sheet's language].")
@click.option("--redact", is_flag=True, help="Pseudonymise every student (no names).")
@click.option("--seed", type=int,
              help="The schedule's lottery seed, so Unmet reasons can say who drew luckier.")
def report(workbook: Path, schedule: Path, output: Path, lang: str | None, redact: bool,
           seed: int | None) -> None:
    """Write the full report workbook for an existing schedule (checked first).

    For a schedule edited by hand, another language, or a redacted copy for the
    district. Exit 0 when written, 2 on unreadable input, 6 when the schedule
    breaks a rule, 8 when no place takes the report.
    """
    from optimizer.outputs.report.workbook import write_report

    school, plan = school_and_schedule(workbook, schedule, lang)
    delivered = deliver(output, alone,
                        lambda paths: write_report(paths[FILE], school, plan, lang=lang,
                                                   redact=redact, seed=seed),
                        protect=[workbook, schedule],
                        default_name=f"{schedule.stem}-report.xlsx")
    click.echo(say("cli.wrote", path=delivered.main))
