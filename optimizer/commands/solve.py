"""``schedule solve`` and ``schedule resolve``: one path from the school workbook to the
written schedule (read, remember last term, solve or re-solve with a progress line and
Ctrl-C, write through deliver); how it ends is said by :mod:`.outcome`."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from models.messages import said_in
from models.problems import WorkbookError
from optimizer.commands.deliver import deliver
from optimizer.commands.exits import Exit
from optimizer.commands.goals import as_goal, goal_label, goal_levels
from optimizer.commands.outcome import (
    exit_if_locks_missed,
    exit_without_schedule,
    explain_no_schedule,
    report_raised,
    report_resolution,
    report_solve,
    where_stopped,
)
from optimizer.commands.problems import display_width, pad, print_problems
from optimizer.commands.reading import load
from optimizer.commands.voice import say, speak, voice
from optimizer.outputs.report.labels import LANGUAGES

if TYPE_CHECKING:
    from models.next_term import Raised
    from models.previous import Previous
    from models.problems import Problem
    from models.schedule import Schedule
    from models.school import School
    from optimizer.console.interrupts import CtrlC
    from optimizer.console.progress import ProgressLine
    from optimizer.explain.advise import Advice
    from optimizer.outputs.safe_write import Delivered
    from optimizer.search.resolve import Resolution
    from optimizer.search.result import Progress, Result


@click.command()
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
    search = Search(time_limit=time_limit, workers=workers, seed=seed,
                    deterministic=deterministic, goal_spec=goal_spec, quiet=quiet,
                    last_term=previous, lang=lang)
    _solve_and_write(workbook, output, search,
                     Writing(lang, redact, pdf, font, strict, advise=with_advice))


@click.command()
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
    search = Search(previous=previous, unlock_broken=unlock_broken, lang=options["lang"],
                    **{name: options[name] for name in _SEARCH_OPTIONS})
    _solve_and_write(workbook, output, search,
                     Writing(**{name: options[name] for name in _WRITING_OPTIONS}))


_SEARCH_OPTIONS = ("time_limit", "workers", "seed", "deterministic", "goal_spec", "quiet")
_WRITING_OPTIONS = ("lang", "redact", "pdf", "font", "strict")
# resolve takes solve's own options, so the two never drift apart.
resolve.params.extend(p for p in solve.params if p.name in _SEARCH_OPTIONS + _WRITING_OPTIONS)


@dataclass(frozen=True)
class Search:
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
class Writing:
    """The solve command's options for what it writes and how it exits."""

    lang: str | None
    redact: bool
    pdf: bool
    font: Path | None
    strict: bool
    advise: bool = False
    """solve --advise: try the changes `schedule advise` would and add an Advice sheet."""


class _Solved(NamedTuple):
    """What the read and the search leave for the writing: the result, the school as
    solved (last term's children raised), the seed, a re-solve's Resolution and whom
    last term's schedule raised."""

    result: Result
    school: School
    seed: int
    resolution: Resolution | None
    raised: Raised | None


def _solve_and_write(workbook: Path, output: Path | None, search: Search, writing: Writing
                     ) -> None:
    """Solve (or re-solve) and write, as ``solve`` and ``resolve`` both do; exits."""
    from optimizer.console.interrupts import CtrlC, Stage
    from optimizer.console.progress import ProgressLine
    from optimizer.search.result import Status

    speak(writing.lang)
    if writing.font is not None:  # a bad --font is said before the solve, not after it
        from optimizer.outputs.report.fonts import register_font

        try:
            register_font(writing.font)
        except ValueError as exc:
            click.echo(say("cli.error", text=exc), err=True)
            sys.exit(Exit.USAGE)
    line = ProgressLine()
    with CtrlC(lambda text: line.say(said_in(text, voice.lang))) as ctrl_c:
        try:
            result, school, seed, resolution, raised = _read_and_solve(
                workbook, output, search, line, ctrl_c)
        except KeyboardInterrupt:
            line.finish()
            click.echo(say("cli.interrupted_before_schedule"), err=True)
            sys.exit(Exit.INTERRUPTED)
        ctrl_c.stage = Stage.WRITING
        explain_no_schedule(result, workbook, search)
        exit_without_schedule(result, search.time_limit)
        if resolution is not None:
            exit_if_locks_missed(resolution)
        stopped_at = where_stopped(result, ctrl_c.pressed_in)
        if stopped_at is not None:  # the Summary sheet says so too
            result.notes.append(say("cli.interrupted_note", where=stopped_at))
        output = output or _default_output(workbook, resolved=search.previous is not None)
        advice = (_solve_advice(school, result, line, search.quiet, ctrl_c)
                  if writing.advise else None)
        if not search.quiet:
            line.say(say("cli.solve.writing", path=output))
        delivered = _deliver_schedule(
            output, workbook, school, result, lang=writing.lang, redact=writing.redact,
            pdf=writing.pdf, font=writing.font,
            raised=raised.student_ids if raised else None,
            previous=resolution.previous.schedule if resolution is not None else None,
            previous_path=search.previous, advice=advice)
    if raised is not None:
        report_raised(raised, school, result)
    if resolution is not None:
        report_resolution(resolution)
    report_solve(result, seed, delivered, stopped_at)
    proven = result.status is Status.OPTIMAL and not result.interrupted
    sys.exit(Exit.NOT_PROVEN if writing.strict and not proven else Exit.OK)


def _read_and_solve(workbook: Path, output: Path | None, search: Search, line: ProgressLine,
                    ctrl_c: CtrlC) -> _Solved:
    """Read, validate, remember last term, and solve (or re-solve from
    ``search.previous``), showing progress."""
    from optimizer.search.result import Params, new_seed

    time_limit, seed, quiet = search.time_limit, search.seed, search.quiet
    if search.lang is None:  # the School sheet's language, before the long read
        from models.reader import school_language

        speak(None, school_language(workbook))
    if output is not None and output.resolve() == workbook.resolve():
        click.echo(say("cli.solve.output_is_input"), err=True)
    if not quiet:
        line.say(say("cli.solve.reading", path=workbook))
    school = load(workbook, search.lang)
    school, raised = _remember(school, search.last_term, workbook)
    previous, unlocked = (_load_previous(search.previous, school, search.unlock_broken)
                          if search.previous is not None else (None, []))
    if seed is None:
        seed = 1 if search.deterministic else new_seed()
    levels = goal_levels(search.goal_spec, school, resolving=previous is not None)
    params = Params(time_limit=time_limit, workers=search.workers, seed=seed,
                    deterministic=search.deterministic, levels=levels)
    chooser_count = sum(1 for s in school.registered_students
                        if s.wants and school.eligible_choices(s))
    if not quiet:
        click.echo(say("cli.solve.start", school=school.info.name,
                       registered=len(school.registered_students), seed=seed,
                       limit=f"{time_limit:g}"), err=True)

    show = _progress_line(line, ctrl_c, quiet, chooser_count)
    if previous is None:
        from optimizer.search.solve import solve as run

        result = run(school, params, on_progress=show, stop=ctrl_c.stop)
        line.finish()
        return _Solved(result, school, seed, None, raised)
    from optimizer.search.resolve import resolve as run_again

    try:
        resolution = run_again(school, previous, params, unlocked=unlocked,
                               unlock_broken=search.unlock_broken, on_progress=show,
                               stop=ctrl_c.stop)
    except WorkbookError as exc:  # locks no section the school may open can keep
        line.finish()
        print_problems(exc.problems)
        click.echo(say("resolve.locks_unkept", name=Path(search.previous or "").name,
                       count=len(exc.problems)), err=True)
        sys.exit(Exit.INVALID)
    line.finish()
    return _Solved(resolution.result, school, seed, resolution, raised)


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
        value, bound_value = as_goal(point)
        if point.goal == "cost":  # the goal counts fen; a coordinator reads yuan
            value, bound_value = value / 100, bound_value / 100
        if not math.isfinite(bound_value):
            bound = pad(say("progress.no_bound"), 29)
        else:
            gap = abs(value - bound_value) / max(abs(value), 1)
            # A gap of 100% or more is CP-SAT's trivial bound (a load of 0, no cost):
            # nothing is proven yet, and "gap 100.0%" reads as a failure.
            bound = (say("progress.bound", bound=f"{bound_value:>14,.0f}", gap=f"{gap:6.1%}")
                     if gap < 1 else pad(say("progress.not_proven"), 29))
        label = goal_label(point.goal)
        line.update(point.goal, say("progress.line", elapsed=f"{point.elapsed:6.1f}",
                                    goal=pad(label, max(24, display_width(label))),
                                    value=f"{value:>14,.0f}", bound=bound,
                                    placed=point.placed, choosers=choosers))

    return show


def _load_previous(path: Path, school: School, unlock_broken: bool
                   ) -> tuple[Previous, list[Problem]]:
    """The previous schedule and its locks, or every problem printed and exit 2."""
    from optimizer.search.resolve import read_previous_schedule

    try:
        return read_previous_schedule(path, school, unlock_broken=unlock_broken)
    except WorkbookError as exc:
        print_problems(exc.problems)
        locks = any(p.column == "lock" for p in exc.problems)
        click.echo(say("resolve.previous_lock_errors" if locks else "resolve.previous_errors",
                       name=path.name, count=sum(p.is_error for p in exc.problems)), err=True)
        sys.exit(Exit.INVALID)


def _remember(school: School, previous: Path | None, workbook: Path
              ) -> tuple[School, Raised | None]:
    """The school with last term's children raised (models/next_term.py), and who; exit 2
    when last term's schedule cannot be read or is another school's."""
    from models.next_term import last_term, remember
    from models.schedule_io import read_assignments

    if previous is None:
        return school, None
    try:
        return remember(school, last_term(read_assignments(previous)))
    except WorkbookError as exc:
        print_problems(exc.problems)
        click.echo(say("cli.previous.unusable", previous=previous.name, workbook=workbook.name),
                   err=True)
        sys.exit(Exit.INVALID)


def _deliver_schedule(output: Path, workbook: Path, school: School, result: Result, *,
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

    return deliver(output,
                   lambda main: schedule_files(main, pdf, changes=previous is not None),
                   write,
                   protect=[workbook, *([previous_path] if previous_path else [])],
                   default_name=_default_output(workbook,
                                               resolved=previous_path is not None).name)


def _solve_advice(school: School, result: Result, line: ProgressLine, quiet: bool,
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


def _default_output(workbook: Path, resolved: bool = False) -> Path:
    # A re-solve's own name: the default would be the schedule in force it started from.
    return workbook.with_name(f"{workbook.stem}-{'resolved' if resolved else 'schedule'}.xlsx")
