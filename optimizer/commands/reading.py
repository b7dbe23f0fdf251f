"""Reading what a command needs: the school (every problem printed, exit 2), a schedule
made for it (exit 2 when unreadable, 6 when it breaks a rule), and where each entity
sits in the workbook."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from models.problems import WorkbookError
from optimizer.commands.exits import Exit
from optimizer.commands.problems import print_problems
from optimizer.commands.voice import say, speak, voice

if TYPE_CHECKING:
    from models.schedule import Schedule
    from models.school import School


def load(workbook: Path, lang: str | None = None) -> School:
    """Read and validate, printing every problem in ``--lang`` or the School sheet's
    language; exit 2 on errors. The students' names are kept out of any crash log from
    here on."""
    from models.reader import read_school, school_language
    from optimizer.console.crash import keep_out

    try:
        school = read_school(workbook)
    except WorkbookError as exc:
        speak(lang, school_language(workbook))
        print_problems(exc.problems)
        errors = sum(p.is_error for p in exc.problems)
        click.echo(say("cli.load.errors", name=workbook.name, errors=errors), err=True)
        sys.exit(Exit.INVALID)
    keep_out(student.name for student in school.students)
    speak(lang, school.info.language)
    return school


def read_schedule_of(schedule: Path, school: School | None, unreadable: str | None = None
                     ) -> Schedule:
    """A schedule workbook read for its school (None: as it is, as ``diff`` reads two);
    exit 2 with every problem printed, then the command's own sentence ``unreadable``
    (a catalogue key given the file's name)."""
    from models.schedule_io import read_schedule

    try:
        return read_schedule(schedule, school)
    except WorkbookError as exc:
        print_problems(exc.problems)
        if unreadable is not None:
            click.echo(say(unreadable, name=schedule.name), err=True)
        sys.exit(Exit.INVALID)


def read_checked(schedule: Path, school: School) -> Schedule:
    """Read a schedule workbook and refuse one that breaks a hard rule (exit 6)."""
    from models.check import check

    plan = read_schedule_of(schedule, school)
    verdict = check(school, plan)
    if not verdict.ok:
        for violation in verdict.violations[:20]:
            click.echo(say("cli.checker_line", violation=violation.text(voice.lang)),
                       err=True)
        click.echo(say("cli.breaks_rules", name=schedule.name, count=len(verdict.violations)),
                   err=True)
        sys.exit(Exit.CHECK_FAILED)
    return plan


def school_and_schedule(school_path: Path, schedule: Path, lang: str | None
                        ) -> tuple[School, Schedule]:
    """The school read as every command reads it, then a schedule made for it that keeps
    every rule: what ``report``, ``print --school`` and print's rebuilt prints start from."""
    school = load(school_path, lang)
    return school, read_checked(schedule, school)


def rows_of(workbook: Path) -> dict[tuple[str, str], int]:
    """Where each entity sits in the workbook, for lines that point at a cell."""
    from models.reader import entity_rows

    try:
        return entity_rows(workbook)
    except WorkbookError:  # read once already; if not again, lines name ids only
        return {}
