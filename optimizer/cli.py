"""The ``schedule`` command: the public API calls plus printing. Only this module prints."""

from __future__ import annotations

import datetime as dt
import logging
import math
import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from models.messages import msg, resolve_language, said_in, say
from models.problems import Problem, WorkbookError
from optimizer.console.crash import write_crash_log
from optimizer.console.interrupts import ABORTED, pressed_ctrl_c
from optimizer.outputs.report.labels import LANGUAGES

if TYPE_CHECKING:
    from models.next_term import Raised
    from models.schedule import Schedule
    from optimizer.console.interrupts import CtrlC, Stage
    from optimizer.console.progress import ProgressLine
    from optimizer.explain.advise import Advice
    from optimizer.outputs.report.book import PrintBook
    from optimizer.outputs.report.labels import Labels
    from optimizer.outputs.safe_write import Delivered, Naming, Writer
    from optimizer.search.result import Progress, Result

class Exit(IntEnum):
    """Every command's exit codes, one table (README, "Exit codes"; a test holds them equal)."""

    OK = 0
    """Done: a clean workbook, a checked schedule written (proven optimal or not), a
    schedule that keeps every rule, every pair of a sweep solved."""
    WARNINGS = 1
    """validate: usable, with warnings."""
    INVALID = 2
    """The workbook or scenarios have errors; nothing was solved or written."""
    NOT_PROVEN = 3
    """solve --strict: a schedule written, not proven optimal (or interrupted)."""
    INFEASIBLE = 4
    """solve, explain: no schedule can keep every rule (why printed, nothing written)."""
    NO_SOLUTION = 5
    """solve: none found within the time limit and none proven impossible; explain: no
    answer within its time."""
    CHECK_FAILED = 6
    """The independent checker rejected a schedule."""
    SOME_FAILED = 7
    """sweep: some school × scenario pairs have no schedule (see the reason column)."""
    NOT_WRITTEN = 8
    """A file could not be written anywhere: not where asked, beside it, nor in the
    temporary folder (each reason printed)."""
    USAGE = 64
    """The command line is wrong (an unknown option, a bad value); nothing was done."""
    INTERNAL = 70
    """An unexpected failure (a bug): one sentence, and a log file for the report."""
    INTERRUPTED = ABORTED
    """Ctrl-C before a schedule existed, or pressed twice; nothing was written."""


class _Voice:
    """The language the command speaks: ``--lang``, else the School sheet's language once
    the school is read, else English (README, "Language")."""

    lang = "en"


_voice = _Voice()


def _say(key: str, /, **fields: object) -> str:
    """A catalogue message (models/catalogue.py) in the command's language."""
    return say(key, _voice.lang, **fields)


def _speak(lang: str | None, school_language: str | None = None) -> None:
    """Speak ``--lang``, else the School sheet's language once it is read, else English."""
    _voice.lang = resolve_language(lang or school_language)


def _version() -> str:
    try:
        return metadata.version("afterschool-schedule")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown (not installed)"


class _Schedule(click.Group):
    """The command group, with the one place where every command ends: a bad command
    line gets its own exit code, Ctrl-C one sentence, and anything unexpected one
    sentence and a log file, never a traceback."""

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        from optimizer.console.usage import language_on_command_line, usage_lines

        said = list(sys.argv[1:] if args is None else args)
        try:
            outcome = super().main(args, prog_name, complete_var, standalone_mode=False,
                                   **extra)
        except click.UsageError as exc:
            # Before any command runs only --lang can choose: click's English otherwise.
            lang = language_on_command_line(said)
            if lang == "en":
                exc.show()
            else:
                click.echo("\n".join(usage_lines(exc, lang)), err=True)
            sys.exit(Exit.USAGE)
        except click.ClickException as exc:  # e.g. a file option that does not exist
            exc.show()
            sys.exit(Exit.USAGE)
        except (KeyboardInterrupt, click.Abort):
            click.echo(_say("cli.interrupted"), err=True)
            sys.exit(Exit.INTERRUPTED)
        except Exception as exc:
            if pressed_ctrl_c(exc):
                click.echo(_say("cli.interrupted"), err=True)
                sys.exit(Exit.INTERRUPTED)
            log = write_crash_log(exc, version=_version())
            where = _say("cli.crash_log", log=log) if log else _say("cli.crash_no_log")
            click.echo(_say("cli.crash", kind=type(exc).__name__, where=where), err=True)
            sys.exit(Exit.INTERNAL)
        sys.exit(outcome if isinstance(outcome, int) else Exit.OK)


@click.group(cls=_Schedule, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=_version(), prog_name="schedule",
                      message="%(prog)s %(version)s")
@click.option("-v", "--verbose", is_flag=True, help="Log more detail to stderr.")
def main(verbose: bool) -> None:
    """After-school timetabling and staffing for Shenzhen schools."""
    _speak(None)  # each command starts in English until it knows better
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _print_problems(problems: list[Problem]) -> None:
    if not problems:
        return
    lang = _voice.lang
    rows = [(p.level(lang), p.sheet, "" if p.row is None else str(p.row), p.column or "",
             "" if p.value in (None, "") else _one_line(p.value)[:30], _one_line(p.text(lang)))
            for p in problems]
    headers = tuple(_say(f"cli.problems.{name}")
                    for name in ("level", "sheet", "row", "column", "value", "problem"))
    widths = [max(_width(h), *(_width(r[i]) for r in rows))
              for i, h in enumerate(headers[:-1])]
    line = "  ".join(_pad(h, w) for h, w in zip(headers[:-1], widths, strict=True))
    click.echo(f"{line}  {headers[-1]}")
    for row in rows:
        cells = "  ".join(_pad(c, w) for c, w in zip(row[:-1], widths, strict=True))
        click.echo(f"{cells}  {row[-1]}")


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _one_line(value: object) -> str:
    """A cell typed with Alt+Enter holds newlines; keep the table one line per problem."""
    return " ".join(str(value).split())


_LANG_OPTION = click.option(
    "--lang", type=click.Choice(LANGUAGES),
    help="Language of the messages [default: the School sheet's language once it is read, "
         "else en].")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@_LANG_OPTION
def validate(workbook: Path, lang: str | None) -> None:
    """Check a school workbook against the contract.

    Exit 0 when clean, 1 with warnings only, 2 with errors.
    """
    from models.reader import inspect

    _speak(lang)
    try:
        found = inspect(workbook)
    except WorkbookError as exc:
        click.echo(_say("cli.error", text=exc.first(_voice.lang)), err=True)
        sys.exit(Exit.INVALID)
    school, problems = found.school, found.problems
    _speak(lang, found.language)
    _print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(_say("cli.validate.errors", name=workbook.name, errors=errors,
                        warnings=warnings))
        sys.exit(Exit.INVALID)
    assert school is not None
    click.echo(_say("cli.validate.ok", name=workbook.name, school=school.info.name,
                    registered=len(school.registered_students), students=len(school.students),
                    activities=len(school.activities), rooms=len(school.rooms),
                    staff=len(school.staff),
                    verdict=_say("cli.validate.warnings", warnings=warnings) if warnings
                    else _say("cli.validate.clean")))
    sys.exit(Exit.WARNINGS if warnings else Exit.OK)


@main.command()
@click.argument("output", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], show_default=True,
              help="Language of the Help sheet, the header notes and the drop-down messages "
                   "(sheet and column names stay the contract's).")
def template(output: Path, lang: str) -> None:
    """Write an empty school workbook with every sheet, column, help and drop-down."""
    from models.template import write_template

    _speak(lang)
    delivered = _deliver(output, _alone, lambda paths: write_template(paths[_FILE], lang=lang),
                         protect=(), default_name="school-template.xlsx")
    click.echo(_say("cli.template.wrote", path=delivered.main))


@main.command()
@click.option("--students", "num_students", type=click.IntRange(10, 20000), default=300,
              show_default=True, help="Students enrolled.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--shape", metavar="NAME",
              help="A school of this shape (see --list-shapes) instead of the usual sample.")
@click.option("--set", "knobs", metavar="KNOB=VALUE", multiple=True,
              help="Change one knob of the shape, e.g. --set cross_share=0.5 (repeatable).")
@click.option("--band", "bands", metavar="GRADES@HH:MM[/MIN]", multiple=True,
              help="A grade band and its period-1 start, e.g. --band 1-3@15:40 --band "
                   "4-9@16:35 (repeatable; replaces the shape's bands).")
@click.option("--list-shapes", is_flag=True, help="List the shapes and their knobs, then exit.")
@_LANG_OPTION
@click.argument("output", type=click.Path(path_type=Path), required=False)
def sample(num_students: int, seed: int, shape: str | None, knobs: tuple[str, ...],
           bands: tuple[str, ...], list_shapes: bool, lang: str | None,
           output: Path | None) -> None:
    """Write a realistic generated Shenzhen school (deterministic for a seed).

    With --shape, --set or --band, a school of another shape: its grade bands and
    their times (bands may overlap in clock time), activities across bands, staff,
    rooms, vendors, choices, registration and budget (docs/benchmarks.md).
    """
    from dataclasses import fields, replace

    from models.sample import generate_school
    from models.shapes import (
        SHAPES,
        Shape,
        ShapeError,
        describe_shape,
        generate_shaped_school,
        parse_band,
        shape_with,
    )
    from models.template import write_school

    _speak(lang)
    if list_shapes:
        for known in SHAPES.values():
            click.echo(describe_shape(known))
        names = [f.name for f in fields(Shape) if f.name not in ("name", "bands", "knobs")]
        click.echo(_say("cli.sample.knobs", knobs=", ".join(names)))
        return
    if output is None:
        raise click.UsageError(_say("cli.sample.no_output"))
    if shape is None and not knobs and not bands:
        school = generate_school(num_students=num_students, seed=seed)
    else:
        base = shape or "two-bands"
        if base not in SHAPES:
            raise click.BadParameter(_say("cli.sample.unknown_shape", shape=base,
                                          known=", ".join(SHAPES)), param_hint="--shape")
        try:
            changes = dict(_knob(text) for text in knobs)
            chosen = shape_with(base, **changes)
            if bands:
                chosen = replace(chosen, name=f"{chosen.name}[bands]",
                                 bands=tuple(parse_band(b) for b in bands))
            school = generate_shaped_school(num_students, seed, chosen)
        except ShapeError as exc:
            raise click.UsageError(exc.said.text(_voice.lang)) from None
        except ValueError as exc:  # a malformed --set, said already
            raise click.UsageError(str(exc)) from None
    delivered = _deliver(output, _alone, lambda paths: write_school(paths[_FILE], school),
                         protect=(), default_name=f"sample-{num_students}-{seed}.xlsx")
    click.echo(_say("cli.sample.wrote", path=delivered.main, school=school.info.name,
                    students=len(school.students), registered=len(school.registered_students)))


def _knob(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ValueError(_say("cli.sample.bad_knob", text=text, example="cross_share=0.5"))
    return key.strip(), value.strip()


# --- solve and check ------------------------------------------------------------------



_FILE = "file"
"""The role of a command's one output file (a solve's workbook and PDFs have their own)."""


def _alone(path: Path) -> dict[str, Path]:
    """A command that writes one file: the file, named as it is."""
    return {_FILE: path}


def _default_output(workbook: Path, resolved: bool = False) -> Path:
    # A re-solve's own name: the default would be the schedule in force it started from.
    return workbook.with_name(f"{workbook.stem}-{'resolved' if resolved else 'schedule'}.xlsx")


def _load(workbook: Path, lang: str | None = None):  # type: ignore[no-untyped-def]
    """Read and validate, printing every problem in ``--lang`` or the School sheet's
    language; exit 2 on errors. The students' names are kept out of any crash log from
    here on."""
    from models.reader import read_school, school_language
    from optimizer.console.crash import keep_out

    try:
        school = read_school(workbook)
    except WorkbookError as exc:
        _speak(lang, school_language(workbook))
        _print_problems(exc.problems)
        errors = sum(p.is_error for p in exc.problems)
        click.echo(_say("cli.load.errors", name=workbook.name, errors=errors), err=True)
        sys.exit(Exit.INVALID)
    keep_out(student.name for student in school.students)
    _speak(lang, school.info.language)
    return school


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output workbook [default: WORKBOOK-schedule.xlsx beside the input].")
@click.option("--time-limit", type=click.FloatRange(min=1), default=60, show_default=True,
              help="Seconds of search in all.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CP-SAT search threads.")
@click.option("--seed", type=int, help="Seed of the search and of the lottery "
              "[default: a fresh one, reported].")
@click.option("--deterministic", is_flag=True,
              help="Same input and seed give the same schedule (one worker; the time limit "
                   "counts deterministic work units, not seconds).")
@click.option("--goals", "goal_spec", metavar="SPEC",
              help="Goal order and weights, e.g. 'unserved; priority_served; first_choices; "
                   "choice_points; lottery; "
                   "teacher_max_load, teacher_load_squares; cost*2, vendor_rating_shortfall' "
                   "(';' separates levels, ',' shares one, '*N' weights). Default: the "
                   "Settings sheet's goals, else the contract's order.")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the report sheets and PDFs [default: the School sheet's "
                   "language, else en]. Sections and Assignments are never translated.")
@click.option("--redact", is_flag=True,
              help="Pseudonymise every student (class-number, no names) in every output, "
                   "for sharing with the district.")
@click.option("--pdf", is_flag=True,
              help="Also write print-ready PDFs beside the output: OUT-rosters.pdf, "
                   "OUT-classes.pdf and OUT-staff.pdf.")
@click.option("--font", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="With --pdf: a TrueType .ttf/.ttc font to embed for Chinese [default: an "
                   "installed Chinese TrueType font, found by itself].")
@click.option("--strict", is_flag=True,
              help="Exit 3 when the schedule written is not proven optimal (or the search "
                   "was interrupted) [default: exit 0 for any checked schedule written].")
@click.option("--previous", type=click.Path(path_type=Path), metavar="LAST-TERM.xlsx",
              help="Last term's schedule workbook: children it gave fewer places than they "
                   "want are raised one priority (docs/workbook.md, 'The next term "
                   "remembers').")
@click.option("--advise", "with_advice", is_flag=True,
              help="Also try the changes `schedule advise` would, each solved with the same "
                   "settings (up to 5 more solves), and add an Advice sheet.")
def solve(workbook: Path, output: Path | None, time_limit: float, workers: int,
          seed: int | None, deterministic: bool, goal_spec: str | None, quiet: bool,
          lang: str | None, redact: bool, pdf: bool, font: Path | None, strict: bool,
          previous: Path | None, with_advice: bool) -> None:
    """Find the best schedule for a school workbook and write it to Excel.

    Exit codes: 0 a checked schedule written (3 with --strict when not proven
    optimal), 2 invalid workbook (or a --previous of another school), 4 infeasible,
    5 no schedule found in time, 6 checker rejected the schedule, 8 nowhere to write
    it, 64 an unusable --font, 130 Ctrl-C before any schedule existed.
    """
    search = _Search(time_limit=time_limit, workers=workers, seed=seed,
                     deterministic=deterministic, goal_spec=goal_spec, quiet=quiet,
                     last_term=previous, lang=lang)
    _solve_and_write(workbook, output, search,
                     _Writing(lang, redact, pdf, font, strict, advise=with_advice))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--previous", type=click.Path(path_type=Path), required=True,
              help="The schedule in force (a workbook solve or resolve wrote, edited or not; "
                   "its lock columns say what must not move).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output workbook [default: WORKBOOK-resolved.xlsx beside the input].")
@click.option("--unlock-broken", is_flag=True,
              help="Free the locks the school as it is now cannot keep, and say which "
                   "[default: such a lock is an error, exit 2].")
def resolve(workbook: Path, previous: Path, output: Path | None, unlock_broken: bool,
            **options: Any) -> None:
    """Re-solve a changed school from the schedule in force, moving as little as possible.

    First as few children as possible moved out of a place they still want and may
    still have, then as few sections as possible moved in day, time, room or staff,
    then the usual goals (--goals overrides the whole order). Locked meetings and
    places never move. Every option of solve applies.

    Exit codes: 0 a checked schedule written (3 with --strict when not proven
    optimal), 2 an invalid workbook, a previous schedule of another school or a lock
    the school cannot keep, 4 infeasible (the locks together may be why), 5 no
    schedule found in time, 6 checker rejected the schedule or a lock was not kept,
    8 nowhere to write it, 130 Ctrl-C before any schedule existed.
    """
    search = _Search(previous=previous, unlock_broken=unlock_broken, lang=options["lang"],
                     **{name: options[name] for name in _SEARCH_OPTIONS})
    _solve_and_write(workbook, output, search,
                     _Writing(**{name: options[name] for name in _WRITING_OPTIONS}))


_SEARCH_OPTIONS = ("time_limit", "workers", "seed", "deterministic", "goal_spec", "quiet")
_WRITING_OPTIONS = ("lang", "redact", "pdf", "font", "strict")
# resolve takes solve's own options, so the two never drift apart.
resolve.params.extend(p for p in solve.params if p.name in _SEARCH_OPTIONS + _WRITING_OPTIONS)


@dataclass(frozen=True)
class _Search:
    """The solve command's options for the search and its progress line; a re-solve's
    previous schedule and whether to free the locks it cannot keep."""

    time_limit: float
    workers: int
    seed: int | None
    deterministic: bool
    goal_spec: str | None
    quiet: bool
    previous: Path | None = None
    unlock_broken: bool = False
    last_term: Path | None = None
    """solve --previous: last term's schedule, whose children it served too little are
    raised one priority."""
    lang: str | None = None


@dataclass(frozen=True)
class _Writing:
    """The solve command's options for what it writes and how it exits."""

    lang: str | None
    redact: bool
    pdf: bool
    font: Path | None
    strict: bool
    advise: bool = False
    """solve --advise: try the changes `schedule advise` would and add an Advice sheet."""


def _solve_and_write(workbook: Path, output: Path | None, search: _Search, writing: _Writing
                     ) -> None:
    """Solve (or re-solve) and write, as ``solve`` and ``resolve`` both do; exits."""
    from optimizer.console.interrupts import CtrlC, Stage
    from optimizer.console.progress import ProgressLine
    from optimizer.search.result import Status

    _speak(writing.lang)
    if writing.font is not None:  # a bad --font is said before the solve, not after it
        from optimizer.outputs.report.fonts import register_font

        try:
            register_font(writing.font)
        except ValueError as exc:
            click.echo(_say("cli.error", text=exc), err=True)
            sys.exit(Exit.USAGE)
    line = ProgressLine()
    with CtrlC(lambda text: line.say(said_in(text, _voice.lang))) as ctrl_c:
        try:
            result, school, seed, resolution, raised = _read_and_solve(
                workbook, output, search, line, ctrl_c)
        except KeyboardInterrupt:
            line.finish()
            click.echo(_say("cli.interrupted_before_schedule"), err=True)
            sys.exit(Exit.INTERRUPTED)
        ctrl_c.stage = Stage.WRITING
        _explain_infeasible(result, workbook, search)
        _exit_without_schedule(result, search.time_limit)
        if resolution is not None:
            _exit_if_locks_missed(resolution)
        stopped_at = _stopped_at(result, ctrl_c.pressed_in)
        if stopped_at is not None:  # the Summary sheet says so too
            result.notes.append(_say("cli.interrupted_note", where=stopped_at))
        output = output or _default_output(workbook, resolved=search.previous is not None)
        advice = (_solve_advice(school, result, line, search.quiet, ctrl_c)
                  if writing.advise else None)
        if not search.quiet:
            line.say(_say("cli.solve.writing", path=output))
        delivered = _deliver_schedule(
            output, workbook, school, result, lang=writing.lang, redact=writing.redact,
            pdf=writing.pdf, font=writing.font,
            raised=raised.student_ids if raised else None,
            previous=resolution.previous.schedule if resolution is not None else None,
            previous_path=search.previous, advice=advice)
    if raised is not None:
        _report_raised(raised, school, result)
    if resolution is not None:
        _report_resolution(resolution)
    _report_solve(result, seed, delivered, stopped_at)
    proven = result.status is Status.OPTIMAL and not result.interrupted
    sys.exit(Exit.NOT_PROVEN if writing.strict and not proven else Exit.OK)


def _read_and_solve(workbook: Path, output: Path | None, search: _Search, line: ProgressLine,
                    ctrl_c: CtrlC):  # type: ignore[no-untyped-def]
    """Read, validate, remember last term, and solve (or re-solve from
    ``search.previous``), showing progress; (result, school, seed, the re-solve's
    Resolution or None, who last term's schedule raised or None)."""
    from optimizer.search.result import Params, new_seed

    time_limit, seed, quiet = search.time_limit, search.seed, search.quiet
    if search.lang is None:  # the School sheet's language, before the long read
        from models.reader import school_language

        _speak(None, school_language(workbook))
    if output is not None and output.resolve() == workbook.resolve():
        click.echo(_say("cli.solve.output_is_input"), err=True)
    if not quiet:
        line.say(_say("cli.solve.reading", path=workbook))
    school = _load(workbook, search.lang)
    school, raised = _remember(school, search.last_term, workbook)
    previous, unlocked = (_load_previous(search.previous, school, search.unlock_broken)
                          if search.previous is not None else (None, []))
    if seed is None:
        seed = 1 if search.deterministic else new_seed()
    levels = _levels(search.goal_spec, school, resolving=previous is not None)
    params = Params(time_limit=time_limit, workers=search.workers, seed=seed,
                    deterministic=search.deterministic, levels=levels)
    chooser_count = sum(1 for s in school.registered_students
                        if s.wants and school.eligible_choices(s))
    if not quiet:
        click.echo(_say("cli.solve.start", school=school.info.name,
                        registered=len(school.registered_students), seed=seed,
                        limit=f"{time_limit:g}"), err=True)

    show = _progress_line(line, ctrl_c, quiet, chooser_count)
    if previous is None:
        from optimizer.search.solve import solve as run

        result = run(school, params, on_progress=show, stop=ctrl_c.stop)
        line.finish()
        return result, school, seed, None, raised
    from optimizer.search.resolve import resolve as run_again

    try:
        resolution = run_again(school, previous, params, unlocked=unlocked,
                               unlock_broken=search.unlock_broken, on_progress=show,
                               stop=ctrl_c.stop)
    except WorkbookError as exc:  # locks no section the school may open can keep
        line.finish()
        _print_problems(exc.problems)
        click.echo(_say("resolve.locks_unkept", name=Path(search.previous or "").name,
                        count=len(exc.problems)), err=True)
        sys.exit(Exit.INVALID)
    line.finish()
    return resolution.result, school, seed, resolution, raised


def _progress_line(line: ProgressLine, ctrl_c: CtrlC, quiet: bool, choosers: int
                   ) -> Callable[[Progress], None]:
    """What the search reports, as the progress line shows it: each goal in its own
    sense (yuan for the cost), its bound or "no bound", the children placed; and the
    moment a checked schedule exists, for Ctrl-C."""
    from optimizer.console.interrupts import Stage

    def show(point: Progress) -> None:
        if point.goal == "constructive":
            ctrl_c.stage = Stage.SEARCHING  # a checked schedule exists from here on
        if quiet:
            return
        value, bound_value = _as_goal(point)
        if point.goal == "cost":  # the goal counts fen; a coordinator reads yuan
            value, bound_value = value / 100, bound_value / 100
        if not math.isfinite(bound_value):
            bound = _pad(_say("progress.no_bound"), 29)
        else:
            gap = abs(value - bound_value) / max(abs(value), 1)
            # A gap of 100% or more is CP-SAT's trivial bound (a load of 0, no cost):
            # nothing is proven yet, and "gap 100.0%" reads as a failure.
            bound = (_say("progress.bound", bound=f"{bound_value:>14,.0f}", gap=f"{gap:6.1%}")
                     if gap < 1 else _pad(_say("progress.not_proven"), 29))
        label = _goal_label(point.goal)
        line.update(point.goal, _say("progress.line", elapsed=f"{point.elapsed:6.1f}",
                                     goal=_pad(label, max(24, _width(label))),
                                     value=f"{value:>14,.0f}", bound=bound,
                                     placed=point.placed, choosers=choosers))

    return show


def _load_previous(path: Path, school, unlock_broken: bool):  # type: ignore[no-untyped-def]
    """The previous schedule and its locks, or every problem printed and exit 2."""
    from optimizer.search.resolve import read_previous_schedule

    try:
        return read_previous_schedule(path, school, unlock_broken=unlock_broken)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        locks = any(p.column == "lock" for p in exc.problems)
        click.echo(_say("resolve.previous_lock_errors" if locks else "resolve.previous_errors",
                        name=path.name, count=sum(p.is_error for p in exc.problems)), err=True)
        sys.exit(Exit.INVALID)


def _exit_if_locks_missed(resolution) -> None:  # type: ignore[no-untyped-def]
    """A lock the new schedule does not keep is our bug: nothing is written (exit 6)."""
    if resolution.locks_missed:
        for missed in resolution.locks_missed[:20]:
            click.echo(_say("resolve.lock_missed", lock=missed), err=True)
        click.echo(_say("resolve.locks_missed"), err=True)
        sys.exit(Exit.CHECK_FAILED)


def _report_resolution(resolution) -> None:  # type: ignore[no-untyped-def]
    """What the previous schedule no longer keeps, the locks freed and what moved."""
    from collections import Counter

    broken = resolution.no_longer_holds
    if broken:
        by_rule = Counter((v.rule, v.name) for v in broken)
        rules = _say("cli.list_sep").join(
            _say("resolve.rule_count", rule=rule, name=msg(f"rule.{name}"), count=n)
            for (rule, name), n in by_rule.items())
        click.echo(_say("resolve.no_longer_holds", count=len(broken), rules=rules), err=True)
        for violation in broken[:5]:
            click.echo(f"  {violation.text(_voice.lang)}", err=True)
    for problem in resolution.unlocked:
        click.echo(_say("resolve.unlocked", where=problem.where,
                        problem=problem.text(_voice.lang)), err=True)
    moved = resolution.moves
    if moved is not None:
        bound = resolution.result.bounds.get("children_moved")
        least = None if bound is None else math.ceil(bound - 1e-9)
        proven = ("" if least is None else _say("resolve.fewest")
                  if least >= moved.children_moved else _say("resolve.at_least", least=least))
        click.echo(_say("resolve.moved", children=moved.children_moved, proven=proven,
                        forced=moved.children_forced, sections=len(moved.sections),
                        duties=len(moved.supervision)))


def _remember(school, previous: Path | None, workbook: Path):  # type: ignore[no-untyped-def]
    """The school with last term's children raised (models/next_term.py), and who; exit 2
    when last term's schedule cannot be read or is another school's."""
    from models.next_term import last_term, remember
    from models.schedule_io import read_assignments

    if previous is None:
        return school, None
    try:
        return remember(school, last_term(read_assignments(previous)))
    except WorkbookError as exc:
        _print_problems(exc.problems)
        click.echo(_say("cli.previous.unusable", previous=previous.name, workbook=workbook.name),
                   err=True)
        sys.exit(Exit.INVALID)


def _report_raised(raised: Raised, school, result: Result) -> None:  # type: ignore[no-untyped-def]
    """How many last term's schedule raised, and how many of them have a chosen place now."""
    sections = result.schedule.sections if result.schedule is not None else ()
    placed = {student_id for section in sections for student_id in section.student_ids
              if not school.activity_by_id[section.activity_id].is_study}
    got = sum(1 for student_id in raised.student_ids if student_id in placed)
    click.echo(_say("cli.previous.raised", matched=raised.num_matched,
                    last=raised.num_last_term, raised=len(raised.student_ids), got=got),
               err=True)


def _exit_without_schedule(result: Result, time_limit: float) -> None:
    """Say why there is nothing to write, and exit, when there is nothing to write."""
    from optimizer.search.result import Status

    if result.schedule is None:
        for line in result.diagnosis:
            click.echo(_say("cli.infeasible_line", line=said_in(line, _voice.lang)), err=True)
        if result.status is Status.INFEASIBLE:
            click.echo(_say("cli.infeasible"), err=True)
            sys.exit(Exit.INFEASIBLE)
        if result.interrupted:
            click.echo(_say("cli.interrupted_before_schedule"), err=True)
            sys.exit(Exit.INTERRUPTED)
        click.echo(_say("cli.no_solution", limit=f"{time_limit:g}"), err=True)
        sys.exit(Exit.NO_SOLUTION)
    report = result.report
    if report is None or not report.ok:
        for violation in (report.violations if report else ())[:20]:
            click.echo(_say("cli.checker_line", violation=violation.text(_voice.lang)),
                       err=True)
        click.echo(_say("cli.checker_rejected"), err=True)
        sys.exit(Exit.CHECK_FAILED)


def _explain_infeasible(result: Result, workbook: Path, search: _Search) -> None:
    """When CP-SAT proved that no schedule exists past the pre-checks, the conflicting
    facts become the diagnosis (searched for as long again as the solve was given)."""
    from optimizer.explain.infeasible import Verdict, explain_infeasible
    from optimizer.explain.words import explanation_lines
    from optimizer.search.result import Status

    school = result.school
    if result.schedule is not None or result.status is not Status.INFEASIBLE or school is None:
        return
    if result.num_variables == 0:  # no model was built: the pre-checks said why
        return
    if not search.quiet:
        click.echo(_say("explain.looking", limit=f"{search.time_limit:g}"), err=True)
    explanation = explain_infeasible(school, time_limit=search.time_limit,
                                     workers=search.workers)
    if explanation.verdict in (Verdict.CONFLICT, Verdict.UNQUESTIONED):
        result.diagnosis = explanation_lines(explanation, school, _rows_of(workbook))


def _rows_of(workbook: Path) -> dict[tuple[str, str], int]:
    """Where each entity sits in the workbook, for lines that point at a cell."""
    from models.reader import entity_rows

    try:
        return entity_rows(workbook)
    except WorkbookError:  # read once already; if not again, lines name ids only
        return {}


def _deliver_schedule(output: Path, workbook: Path, school, result: Result, *,  # type: ignore[no-untyped-def]
                      lang: str | None, redact: bool, pdf: bool,
                      font: Path | None = None,
                      raised: tuple[str, ...] | None = None,
                      previous: Schedule | None = None,
                      previous_path: Path | None = None,
                      advice: Advice | None = None) -> Delivered:
    """Write the workbook (and PDFs) where asked, else beside it or in the temporary
    folder; exit 8 only when no place takes them. ``previous``, the schedule this one
    replaces, adds the Changes sheet (and with ``pdf`` the Changes PDF); ``advice`` adds
    the Advice sheet."""
    from optimizer.explain.advice_report import add_advice_sheet
    from optimizer.outputs.export import WORKBOOK, schedule_files, write_schedule_files
    from optimizer.outputs.report.labels import Labels, resolve_language

    def write(paths: Mapping[str, Path]) -> None:
        write_schedule_files(paths, school, result, lang=lang, redact=redact, font=font,
                             raised=raised, previous=previous)
        if advice is not None:
            add_advice_sheet(paths[WORKBOOK], Labels(resolve_language(lang, school)), advice)

    return _deliver(output,
                    lambda main: schedule_files(main, pdf, changes=previous is not None),
                    write,
                    protect=[workbook, *([previous_path] if previous_path else [])],
                    default_name=_default_output(workbook,
                                                 resolved=previous_path is not None).name)


def _solve_advice(school, result: Result, line: ProgressLine, quiet: bool,  # type: ignore[no-untyped-def]
                  ctrl_c: CtrlC) -> Advice:
    """solve --advise: the changes advise would try, each solved with the solve's settings.
    Ctrl-C stops the trying, and the schedule is written with the advice measured so far."""
    from optimizer.console.interrupts import Stage
    from optimizer.explain.advise import advise

    if ctrl_c.stop.is_set():  # pressed during the search: the user wants out, not advice
        return advise(school, result.params, baseline=result, candidates=0)
    ctrl_c.stage = Stage.SEARCHING
    advice = advise(school, result.params, baseline=result, stop=ctrl_c.stop,
                    progress=(lambda _text: None) if quiet else line.say)
    ctrl_c.stage = Stage.WRITING
    line.finish()
    return advice


def _deliver(output: Path, naming: Naming, write: Writer, *, protect: Sequence[Path],
             default_name: str | None = None) -> Delivered:
    """Every command's files reach the disk this way (optimizer/outputs/safe_write.py)."""
    from optimizer.outputs.safe_write import NotWritten, deliver

    try:
        delivered = deliver(output, naming, write, protect=protect, default_name=default_name)
    except NotWritten as exc:
        reasons = [said_in(reason, _voice.lang) for reason in exc.reasons[:4]]
        click.echo(_say("cli.not_written", name=output.name,
                        reasons=_say("cli.clause_sep").join(reasons)), err=True)
        sys.exit(Exit.NOT_WRITTEN)
    if delivered.moved:
        click.echo(_say("cli.note", text=said_in(delivered.sentence(), _voice.lang)), err=True)
    return delivered


def _stopped_at(result: Result, pressed_in: Stage | None) -> str | None:
    """The goal the search was working on when Ctrl-C stopped it, in words; None when
    it was not stopped."""
    from optimizer.console.interrupts import Stage

    if not result.interrupted and pressed_in is not Stage.SEARCHING:
        return None
    levels = result.params.levels
    done = result.level_status
    if done and done[-1][1] != "OPTIMAL":
        return _say("cli.stopped_at", goal=_goal_name(done[-1][0]), level=len(done),
                    levels=len(levels))
    if len(done) < len(levels):
        label = "+".join(name for name, _ in levels[len(done)])
        return _say("cli.stopped_at", goal=_goal_name(label), level=len(done) + 1,
                    levels=len(levels))
    return _say("cli.stopped_at_last")


def _report_solve(result: Result, seed: int, delivered: Delivered,
                  stopped_at: str | None) -> None:
    """The outcome on stdout: status (with the gaps when not proven), files, headline numbers."""
    from optimizer.model.rules import PLACEMENT_GOALS
    from optimizer.outputs.report.labels import Labels
    from optimizer.search.result import Status

    words = Labels(_voice.lang)
    for note in result.notes:
        if _voice.lang != "en" and note.startswith("the constructive schedule"):
            # search/construct.py's note, which the report says as its "made by" line
            note = f"{words('made_by')}：{words('source.constructive')}"
        click.echo(_say("cli.note", text=note), err=True)
    status = _say(f"cli.status.{result.status.name.lower()}")
    if result.status is not Status.OPTIMAL:
        gaps = [_say("cli.solve.gap", goal=_goal_name(name), gap=f"{gap:.1%}")
                for name in PLACEMENT_GOALS
                if (gap := result.gap(name)) is not None and gap > 0]
        status += (_say("cli.solve.not_proven_gaps", gaps=_say("cli.list_sep").join(gaps))
                   if gaps else _say("cli.solve.not_proven"))
    if stopped_at is not None:
        status += _say("cli.solve.interrupted_during", where=stopped_at)
    kpis = result.report.kpis if result.report is not None else {}
    click.echo(
        _say("cli.solve.done", status=status, seconds=f"{result.wall_time:.1f}", seed=seed,
             paths=", ".join(map(str, delivered.paths.values()))) + "\n"
        + "\n".join(_say("cli.solve.kpi", name=_kpi_label(k, words), value=_fmt(k, v))
                    for k, v in kpis.items())
    )


def _kpi_label(key: str, words: Labels) -> str:
    """A headline number's name: its key in English (as tests and scripts read it), the
    report's words in Chinese."""
    return key.replace("_", " ") if _voice.lang == "en" else words.kpi(key)


def _goal_label(goal: str) -> str:
    """A goal as the progress line names it: :func:`_goal_name`, the cost in yuan."""
    return "cost (yuan)" if goal == "cost" and _voice.lang == "en" else _goal_name(goal)


def _goal_name(goal: str) -> str:
    """A goal (or a level ``cost+vendor_rating_shortfall``): its key in English (as
    ``--goals`` spells it), the report's words in Chinese."""
    from optimizer.outputs.report.labels import Labels

    if _voice.lang == "en":
        return goal
    if goal == "constructive":
        return _say("progress.constructive")
    return "+".join(Labels(_voice.lang).goal(name) for name in goal.split("+"))


def _levels(goal_spec: str | None, school, resolving: bool = False):  # type: ignore[no-untyped-def]
    """The goal levels from --goals, else the Settings sheet, else the default order (a
    re-solve puts the moves first)."""
    from optimizer.search.levels import GoalSpecError, school_levels
    from optimizer.search.resolve import resolve_levels

    try:
        if resolving:
            return resolve_levels(school.settings, goal_spec)
        return school_levels(school.settings, goal_spec)
    except GoalSpecError as exc:
        click.echo(_say("cli.error", text=exc.said), err=True)
        # --goals wins over the sheet: with it, the command line is at fault.
        sys.exit(Exit.USAGE if goal_spec is not None else Exit.INVALID)


def _as_goal(point: Progress) -> tuple[float, float]:
    """A progress point's value and bound in the goal's own sense (a count of unserved
    children, not its negative); a weighted level stays as the sum the solver maximizes."""
    from optimizer.model.rules import GOALS

    if point.goal == "constructive":
        return -point.objective, math.nan
    # A level sharing goals is labelled "cost+vendor_rating_shortfall": goals that all
    # minimize are shown as the cost they are, not as the negative the solver maximizes.
    senses = {GOALS[name].sense for name in point.goal.split("+") if name in GOALS}
    if len(senses) != 1:
        return point.objective, point.bound
    sense = senses.pop()
    return sense * point.objective, sense * point.bound


def _fmt(key: str, value: float) -> str:
    if key.endswith("_share"):
        return f"{value:.1%}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@main.command(name="check")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("--seed", type=int, help="Lottery seed, to recompute the lottery goal.")
@_LANG_OPTION
def check_command(workbook: Path, schedule: Path, seed: int | None, lang: str | None) -> None:
    """Check a schedule workbook (its Sections and Assignments sheets) against every rule.

    Exit 0 when every hard rule holds, 6 when one is broken, 2 on unreadable input.
    """
    from models.check import check
    from models.schedule_io import read_schedule

    _speak(lang)
    school = _load(workbook, lang)
    try:
        plan = read_schedule(schedule, school)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        sys.exit(Exit.INVALID)
    report = check(school, plan, seed=seed)
    for violation in report.violations:
        click.echo(violation.text(_voice.lang), err=True)
    for name, value in report.goals.items():
        # The Chinese goal name says yuan; the English key reads the fen the goal counts.
        shown = f"{value / 100:,.2f}" if name == "cost" and _voice.lang != "en" else value
        click.echo(_say("cli.check.goal", name=_goal_name(name), value=shown))
    if report.ok:
        click.echo(_say("cli.check.ok"))
        sys.exit(Exit.OK)
    click.echo(_say("cli.check.violations", count=len(report.violations)), err=True)
    sys.exit(Exit.CHECK_FAILED)


@main.command(name="explain")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--school", "school_path", type=click.Path(path_type=Path),
              help="With --student: the school workbook the schedule WORKBOOK was made for.")
@click.option("--student", "student_id", metavar="ID",
              help="Why this child got what they got in the schedule WORKBOOK.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="With --student: the language of the answer [default: the School sheet's].")
@click.option("--time-limit", type=click.FloatRange(min=1), default=120, show_default=True,
              help="Seconds for all the explanation's solves (each takes at most 20).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CP-SAT search threads.")
def explain(workbook: Path, school_path: Path | None, student_id: str | None,
            lang: str | None, time_limit: float, workers: int) -> None:
    """Why a school workbook has no schedule: the smallest set of its cells that cannot
    all hold, each with its sheet, row and column and what it would take.

    With --student ID --school SCHOOL, WORKBOOK is a schedule and the answer is why
    that child got what they got. Exit codes: 0 a schedule exists, 2 invalid
    workbook, 4 no schedule can keep every rule (the cells printed), 5 no answer
    within --time-limit, 64 --student without --school.
    """
    _speak(lang)
    if school_path is not None and student_id is None:
        click.echo(_say("explain.school_without_student"), err=True)
        sys.exit(Exit.USAGE)
    if student_id is not None:
        if school_path is None:
            click.echo(_say("explain.student_without_school"), err=True)
            sys.exit(Exit.USAGE)
        sys.exit(explain_student_command(workbook, school_path, student_id, lang))
    from optimizer.explain.infeasible import Verdict, explain_infeasible
    from optimizer.explain.words import explanation_lines

    school = _load(workbook, lang)
    click.echo(_say("explain.start", school=school.info.name, limit=f"{time_limit:g}"),
               err=True)
    explanation = explain_infeasible(school, time_limit=time_limit, workers=workers)
    rows = _rows_of(workbook) if explanation.verdict is Verdict.CONFLICT else {}
    for line in explanation_lines(explanation, school, rows):
        click.echo(said_in(line, _voice.lang))
    click.echo(_say("explain.solves", solves=explanation.num_solves,
                    seconds=f"{explanation.seconds:.1f}"), err=True)
    sys.exit({Verdict.FEASIBLE: Exit.OK, Verdict.UNDECIDED: Exit.NO_SOLUTION}.get(
        explanation.verdict, Exit.INFEASIBLE))


# --- reports ---------------------------------------------------------------------------

@main.command(name="print")
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
    from optimizer.console.crash import keep_out
    from optimizer.outputs.report.book import (
        Selection,
        print_book,
        read_print_book,
        redact_book,
        select,
    )
    from optimizer.outputs.report.pdf import KINDS, write_pdf

    kinds = (*kinds, *(("staff",) if staff is not None else ()))
    chosen = [k for k in KINDS if k in kinds] or ["rosters"]
    wanted = Selection(day=day, activity=activity,
                       class_name=class_name, staff_id=staff or None, study=not no_study)
    if output is not None and output.suffix.lower() != ".pdf":
        # `-o school.xlsx` once turned the school workbook beside the schedule into a
        # PDF: print writes PDFs only, and a PDF is named so.
        click.echo(_say("cli.print.not_pdf", name=output.name), err=True)
        sys.exit(Exit.USAGE)
    output = output or schedule.with_name(f"{schedule.stem}-{'-'.join(chosen)}.pdf")
    _speak(lang)
    if school_workbook is not None:
        school = _load(school_workbook, lang)
        plan = _read_checked(schedule, school)
        book = print_book(school, plan, lang=lang, redact=redact)
    else:
        try:
            book = read_print_book(schedule)
        except WorkbookError as exc:
            click.echo(_say("cli.error", text=exc.first(_voice.lang)), err=True)
            sys.exit(Exit.INVALID)
        keep_out(pupil.name for roster in book.rosters for pupil in roster.students)
        _speak(lang, book.language)
        book = _visible_book(schedule, book, lang)
        if redact:
            book = redact_book(book)
    try:
        chosen_book = select(book, wanted)
        delivered = _deliver(output, _alone,
                             lambda paths: write_pdf(paths[_FILE], chosen_book, chosen,
                                                     lang=lang, font=font),
                             protect=[schedule, *([school_workbook] if school_workbook else [])],
                             default_name=f"{schedule.stem}-{'-'.join(chosen)}.pdf")
    except ValueError as exc:  # an unusable --font, or a filter naming nothing printed
        click.echo(_say("cli.error", text=exc), err=True)
        sys.exit(Exit.USAGE)
    click.echo(_say("cli.wrote", path=delivered.main))


def _school_day(value: str | None) -> int | None:
    """A school day as the workbooks accept it: Mon…Fri, 周三, 星期三."""
    from models.time import ParseError, parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ParseError as exc:
        raise click.BadParameter(str(exc)) from None


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
        click.echo(_say("cli.print.unchecked", differs=said_in(differs, _voice.lang)), err=True)
        return rebuilt_book(schedule, book)
    click.echo(_say("cli.print.checked", differs=said_in(differs, _voice.lang),
                    school=school_path.name), err=True)
    school = _load(school_path, lang)
    plan = _read_checked(schedule, school)
    rebuilt = print_book(school, plan, lang=lang or book.language, redact=book.redacted)
    return rebuilt


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


@main.command()
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

    school = _load(workbook, lang)
    plan = _read_checked(schedule, school)
    delivered = _deliver(output, _alone,
                         lambda paths: write_report(paths[_FILE], school, plan, lang=lang,
                                                    redact=redact, seed=seed),
                         protect=[workbook, schedule],
                         default_name=f"{schedule.stem}-report.xlsx")
    click.echo(_say("cli.wrote", path=delivered.main))


def _read_checked(schedule: Path, school):  # type: ignore[no-untyped-def]
    """Read a schedule workbook and refuse one that breaks a hard rule (exit 6)."""
    from models.check import check
    from models.schedule_io import read_schedule

    try:
        plan = read_schedule(schedule, school)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        sys.exit(Exit.INVALID)
    verdict = check(school, plan)
    if not verdict.ok:
        for violation in verdict.violations[:20]:
            click.echo(_say("cli.checker_line", violation=violation.text(_voice.lang)),
                       err=True)
        click.echo(_say("cli.breaks_rules", name=schedule.name, count=len(verdict.violations)),
                   err=True)
        sys.exit(Exit.CHECK_FAILED)
    return plan


# --- during the term: what changed, one-day cover ----------------------------------

@main.command()
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

    _speak(lang)
    if output is not None and (school_workbook is None
                               or output.suffix.lower() not in (".xlsx", ".pdf")):
        click.echo(_say("cli.diff.needs_school"), err=True)
        sys.exit(Exit.USAGE)
    school = _load(school_workbook, lang) if school_workbook is not None else None
    before, after = (_read_as_is(path) for path in (old, new))
    labels = Labels(resolve_language(lang, school))
    # The terminal never shows a child's name: pseudonyms whatever --redact says.
    view = changes_view(before, after, redact_school(school) if school else None, labels)
    for line in [_say("cli.diff.title", title=labels("changes.title")), *view_lines(view)]:
        click.echo(line)
    if output is not None and school is not None:
        shown = redact_school(school) if redact else school
        written = _write_changes(output, shown, changes_view(before, after, shown, labels),
                                 labels, redact, font,
                                 protect=[old, new, *([school_workbook] if school_workbook
                                                      else [])])
        click.echo(_say("cli.wrote", path=written))
    changes = view.changes
    if changes.none:
        click.echo(_say("cli.diff.none", old=old.name, new=new.name))
    else:
        click.echo(_say("cli.diff.changed", children=len(changes.children),
                        staff=changes.counts["staff_changed"], sections=len(changes.sections),
                        next=_say("cli.diff.send" if output else "cli.diff.add_o")))


def _read_as_is(path: Path):  # type: ignore[no-untyped-def]
    """A schedule workbook read without its school (as diff and next term need); exit 2
    with every problem when it cannot be read."""
    from models.schedule_io import read_schedule

    try:
        return read_schedule(path, None)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        click.echo(_say("cli.diff.unreadable", name=path.name), err=True)
        sys.exit(Exit.INVALID)


def _write_changes(output: Path, shown, view, labels, redact: bool,  # type: ignore[no-untyped-def]
                   font: Path | None, *, protect: Sequence[Path]) -> Path:
    """The Changes sheet alone, as a workbook or a PDF, through deliver; ``shown`` is the
    school as the file may show it (redacted or not)."""
    from optimizer.outputs.report.changes import write_changes_pdf, write_changes_workbook

    info = shown.info

    def write(paths: Mapping[str, Path]) -> None:
        if output.suffix.lower() == ".pdf":
            write_changes_pdf(paths[_FILE], view, labels, school_name=info.name,
                              term=labels("term", start=info.term_start.isoformat(),
                                          end=info.term_end.isoformat()),
                              redacted=redact, font=font)
        else:
            write_changes_workbook(paths[_FILE], shown, view, labels=labels, redacted=redact)

    return _deliver(output, _alone, write, protect=protect,
                    default_name=f"changes{output.suffix.lower()}").main


@main.command(name="cover")
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
    from models.schedule_io import read_schedule
    from optimizer.outputs.report.cover import cover_rows, cover_title, write_cover_workbook
    from optimizer.outputs.report.labels import Labels, resolve_language

    _speak(lang)
    school = _load(school_workbook, lang)
    try:
        plan_of = read_schedule(schedule, school)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        click.echo(_say("cli.cover.unreadable", name=schedule.name), err=True)
        sys.exit(Exit.INVALID)
    try:
        plan = cover(school, plan_of, when.date(), absent)
    except CoverError as exc:
        click.echo(_say("cli.cover.error", text=exc.said), err=True)
        sys.exit(Exit.USAGE)
    labels = Labels(resolve_language(lang, school))
    click.echo(_say("cli.cover.title", title=cover_title(plan, labels)))
    for row in cover_rows(plan, school, labels):
        click.echo(_say("cli.cover.meeting", time=row.time, activity=row.activity,
                        room=row.room, away=row.away))
        click.echo("\n".join(f"      {line}" for line in row.candidates))
    if output is not None:
        written = _deliver(output, _alone,
                           lambda paths: write_cover_workbook(paths[_FILE], school, plan,
                                                              labels=labels),
                           protect=[schedule, school_workbook],
                           default_name=f"cover-{plan.date.isoformat()}.xlsx").main
        click.echo(_say("cli.wrote", path=written))
    date = plan.date.isoformat()
    if not plan.needs:
        click.echo(_say("cli.cover.nobody_away", date=date))
    else:
        uncovered = (_say("cli.cover.uncovered", count=plan.uncovered) if plan.uncovered
                     else "")
        click.echo(_say("cli.cover.to_cover", count=len(plan.needs), date=date,
                        uncovered=uncovered,
                        next=_say("cli.cover.print" if output else "cli.cover.add_o")))


# --- explanations ----------------------------------------------------------------------

def explain_student_command(schedule_path: Path, school_path: Path, student_id: str,
                            lang: str | None) -> int:
    """``schedule explain SCHEDULE --school SCHOOL --student ID``: print why the child got
    what they got, in the report language; return the exit code (``Exit``).

    The schedule is checked first: a schedule that breaks a rule explains nothing (6).
    An id the school does not know is a usage error (64); unreadable input is 2.
    """
    from models.check import check
    from models.reader import read_school
    from models.schedule_io import read_schedule
    from optimizer.explain.student import (
        UnknownStudent,
        explain_student,
        explanation_lines,
        recorded_seed,
    )
    from optimizer.outputs.report.labels import Labels, resolve_language

    try:
        school = read_school(school_path)
        plan = read_schedule(schedule_path, school)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        click.echo(_say("explain.bad_workbooks"), err=True)
        return Exit.INVALID
    verdict = check(school, plan)
    if not verdict.ok:
        click.echo(_say("explain.breaks_rules", name=schedule_path.name,
                        count=len(verdict.violations), first=verdict.violations[0]), err=True)
        return Exit.CHECK_FAILED
    seed = recorded_seed(schedule_path)
    try:
        explanation = explain_student(school, plan, student_id.strip(), seed)
    except UnknownStudent:
        click.echo(_say("explain.unknown_student", student=student_id,
                        school=school_path.name), err=True)
        return Exit.USAGE
    labels = Labels(resolve_language(lang, school))
    for line in explanation_lines(labels, explanation):
        click.echo(line)
    click.echo(_say("explain.done", student=explanation.student_id, schedule=schedule_path.name,
                    school=school_path.name), err=True)
    return Exit.OK


@main.command(name="advise")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Also write the changes tried as a scenarios workbook (the baseline first, "
                   "then each change) with an Advice sheet, for `schedule sweep --scenarios`.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed of every solve and its lottery: the same seed, the same advice.")
@click.option("--time-limit", type=click.FloatRange(min=1), default=20, show_default=True,
              help="Search for each solve (the school as it is, then each change), in "
                   "CP-SAT's deterministic work units (about seconds on one core).")
@click.option("--candidates", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Changes to try at most, one per activity holding back the most children.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the advice [default: the School sheet's language, else en].")
def advise_command(workbook: Path, output: Path | None, seed: int, time_limit: float,
                   candidates: int, lang: str | None) -> None:
    """What holds children back from their choices, and which small changes help most:
    each change is solved, and its measured effect is what is printed.

    Exit 0 when advised, 2 invalid workbook, 4 when the school as it is has no schedule,
    5 when none was found in time, 8 when the -o workbook could not be written.
    """
    from optimizer.explain.advice_report import advice_lines, write_advice
    from optimizer.explain.advise import advise
    from optimizer.outputs.report.labels import Labels, resolve_language
    from optimizer.search.result import Params, Status

    _speak(lang)
    school = _load(workbook, lang)
    params = Params(time_limit=time_limit, workers=1, seed=seed, deterministic=True,
                    levels=_levels(None, school))
    click.echo(_say("advise.start", school=school.info.name,
                    registered=len(school.registered_students), seed=seed,
                    candidates=candidates, limit=f"{time_limit:g}"), err=True)
    advice = advise(school, params, candidates=candidates,
                    progress=lambda text: click.echo(
                        _say("advise.progress", text=said_in(text, _voice.lang)), err=True))
    labels = Labels(resolve_language(lang, school))
    for text in advice_lines(labels, advice):
        click.echo(text)
    if not advice.baseline.solved:
        infeasible = advice.baseline.status == Status.INFEASIBLE.value
        click.echo(_say("advise.no_baseline"), err=True)
        sys.exit(Exit.INFEASIBLE if infeasible else Exit.NO_SOLUTION)
    if advice.everyone_first or not advice.suggestions:
        click.echo(_say("advise.all_first" if advice.everyone_first
                        else "advise.nothing_to_try"), err=True)
        return
    then = _say("advise.then_write")
    if output is not None:
        delivered = _deliver(output, _alone,
                             lambda paths: write_advice(paths[_FILE], labels, advice),
                             protect=[workbook], default_name=f"{workbook.stem}-advice.xlsx")
        then = _say("advise.then_wrote", path=delivered.main)
    helped = sum(s.helps for s in advice.suggestions)
    click.echo(_say("advise.done", seconds=f"{advice.wall_time:.0f}", helped=helped,
                    tried=len(advice.suggestions), then=then), err=True)


# --- district sweeps ---------------------------------------------------------------

@main.command(name="sweep")
@click.argument("schools", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--scenarios", "scenarios_path", type=click.Path(exists=True, dir_okay=False,
                                                              path_type=Path),
              help="Scenarios workbook (sheet Scenarios, one row per scenario) "
                   "[default: the baseline only].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("sweep-results.xlsx"), show_default=True,
              help="Results workbook (.xlsx; a .parquet is written beside it) or .parquet.")
@click.option("--time-limit", type=click.FloatRange(min=1), default=60, show_default=True,
              help="Seconds of search per school and scenario.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed of every solve (and its lottery).")
@click.option("--deterministic", is_flag=True,
              help="One CP-SAT thread per solve and deterministic time: reruns give the "
                   "same KPIs.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Run on an existing Dask cluster, e.g. tcp://host:8786 (workers started "
                   "with --nthreads 1) [default: a local cluster].")
@click.option("--n-workers", type=click.IntRange(min=1),
              help="Local worker processes [default: the cores, or fewer for less work].")
@click.option("--threads-per-solve", type=click.IntRange(min=1),
              help="CP-SAT threads per solve [default: cores / workers].")
@click.option("--memory-limit", default="auto", show_default=True,
              help="Memory per local worker, e.g. 4GB ('auto': the machine's memory split "
                   "evenly).")
@click.option("--fresh", is_flag=True,
              help="Solve every pair again, ignoring earlier results in the output.")
@click.option("--retry-failed", is_flag=True,
              help="Solve again the pairs that have no schedule in the output.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], show_default=True,
              help="Language of the console lines (the results file stays in English).")
def sweep(schools: tuple[Path, ...], scenarios_path: Path | None, output: Path,
                  time_limit: float, seed: int, deterministic: bool, scheduler: str | None,
                  n_workers: int | None, threads_per_solve: int | None, memory_limit: str,
                  fresh: bool, retry_failed: bool, quiet: bool, lang: str) -> None:
    """Solve every school workbook × scenario in parallel on Dask.

    SCHOOLS are workbooks or directories of them. A school that fails (bad workbook,
    infeasible, no schedule in time) is recorded with its reason; the sweep goes on.
    Rerunning skips the pairs already in the output.

    Exit codes: 0 every pair has a schedule, 7 some pairs failed (see the reason
    column), 2 the scenarios or schools could not be read (nothing solved), 130
    interrupted (the pairs finished are kept).
    """
    from optimizer.district.scenarios import BASELINE, ScenarioError, read_scenarios
    from optimizer.district.sweep import (
        district_summary,
        missing,
        result_files,
        run_sweep,
        school_sources,
    )
    from optimizer.search.result import Params

    _speak(lang)
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        # Dask logs every worker start and stop at INFO; show them only with -v. Its
        # import sets its loggers' levels, so import it first.
        import distributed  # noqa: F401

        logging.getLogger("distributed").setLevel(logging.WARNING)
    try:
        scenarios = read_scenarios(scenarios_path) if scenarios_path else [BASELINE]
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(problem.render(_voice.lang), err=True)
        click.echo(_say("cli.sweep.bad_scenarios", path=scenarios_path), err=True)
        sys.exit(Exit.INVALID)
    try:
        # The scenarios workbook may sit among the schools (sample_data/ does).
        scenario_files = [Path(scenarios_path)] if scenarios_path else []
        sources = school_sources(schools, exclude=[*result_files(output), *scenario_files])
    except ValueError as exc:
        click.echo(_say("cli.error", text=_said_error(exc)), err=True)
        sys.exit(Exit.INVALID)
    if not sources:
        click.echo(_say("cli.sweep.no_schools", paths=", ".join(map(str, schools))), err=True)
        sys.exit(Exit.INVALID)
    params = Params(time_limit=time_limit, seed=seed, deterministic=deterministic)
    bar: Any = None

    def start(to_solve: int, skipped: int) -> None:
        nonlocal bar
        kept = _say("cli.sweep.kept", count=skipped, name=output.name) if skipped else ""
        click.echo(_say("cli.sweep.start", schools=len(sources), scenarios=len(scenarios),
                        count=to_solve, kept=kept), err=True)
        if not quiet and to_solve:
            bar = click.progressbar(length=to_solve, label=_say("cli.sweep.solving"),
                                    file=sys.stderr,
                                    show_pos=True, show_eta=True)
            bar.__enter__()

    def progress(row: dict[str, object]) -> None:
        if bar is not None:
            bar.update(1)

    try:
        frame = run_sweep(sources, scenarios, params=params, output=output,
                          scheduler=scheduler, n_workers=n_workers,
                          threads_per_solve=threads_per_solve, memory_limit=memory_limit,
                          resume=not fresh, retry_failed=retry_failed, on_start=start,
                          on_result=progress)
    except ValueError as exc:  # an output that is not ours, before anything is solved
        click.echo(_say("cli.error", text=_said_error(exc)), err=True)
        sys.exit(Exit.INVALID)
    except KeyboardInterrupt:
        if bar is not None:
            bar.__exit__(None, None, None)
            bar = None
        click.echo(_say("cli.sweep.interrupted", path=output), err=True)
        sys.exit(Exit.INTERRUPTED)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    failed = frame[~frame["ok"]]
    for _, row in failed.iterrows():
        click.echo(_say("cli.sweep.failed", school=row["school"], scenario=row["scenario"],
                        status=row["status"], reason=row["reason"]), err=True)
    summary = district_summary(frame)
    click.echo(_say("cli.sweep.wrote", path=output, parquet=output.with_suffix(".parquet").name,
                    pairs=len(frame), solved=len(frame) - len(failed), failed=len(failed)))
    for _, line in summary.iterrows():
        click.echo(_say("cli.sweep.scenario", scenario=line["scenario"], solved=line["solved"],
                        schools=line["schools"],
                        none=_count(line["students_with_none"], missing),
                        first=_share(line["first_choice_share"], missing),
                        budget=_share(line["budget_use"], missing)))
    sys.exit(Exit.SOME_FAILED if len(failed) else Exit.OK)




def _said_error(exc: ValueError) -> object:
    """A sweep's refusal as its catalogue message (said in the reader's language), any
    other as its text."""
    from optimizer.district.sweep import SweepError

    return exc.said if isinstance(exc, SweepError) else exc


def _share(value: float, missing: Callable[[float], bool]) -> str:
    return "–" if missing(value) else f"{100 * value:.1f}%"


def _count(value: float, missing: Callable[[float], bool]) -> str:
    return "–" if missing(value) else f"{value:,.0f}"


if __name__ == "__main__":
    main()
