"""The ``schedule`` command: the public API calls plus printing. Only this module prints."""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from models.problems import Problem, WorkbookError
from models.time import DAYS
from optimizer.outputs.report.labels import LANGUAGES

if TYPE_CHECKING:
    from optimizer.search.result import Progress

class Exit(IntEnum):
    """Every command's exit codes, one table (README, "Exit codes")."""

    OK = 0
    """Done: a clean workbook, an optimal schedule, a schedule that keeps every rule."""
    WARNINGS = 1
    """validate: usable, with warnings."""
    INVALID = 2
    """The input or the command line is wrong; nothing was solved or written."""
    FEASIBLE = 3
    """solve: a schedule written, not proven optimal in the time limit."""
    INFEASIBLE = 4
    """solve: no schedule can keep every rule (diagnosis printed, nothing written)."""
    NO_SOLUTION = 5
    """solve: none found within the time limit and none proven impossible."""
    CHECK_FAILED = 6
    """The independent checker rejected a schedule."""
    SOME_FAILED = 7
    """sweep: some school × scenario pairs have no schedule (see the reason column)."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more detail to stderr.")
def main(verbose: bool) -> None:
    """After-school timetabling and staffing for Shenzhen schools."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _print_problems(problems: list[Problem]) -> None:
    if not problems:
        return
    rows = [(p.severity.value, p.sheet, "" if p.row is None else str(p.row), p.column or "",
             "" if p.value in (None, "") else _one_line(p.value)[:30], _one_line(p.message))
            for p in problems]
    headers = ("level", "sheet", "row", "column", "value", "problem")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])]
    line = "  ".join(h.ljust(w) for h, w in zip(headers[:-1], widths, strict=True))
    click.echo(f"{line}  {headers[-1]}")
    for row in rows:
        cells = "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True))
        click.echo(f"{cells}  {row[-1]}")


def _one_line(value: object) -> str:
    """A cell typed with Alt+Enter holds newlines; keep the table one line per problem."""
    return " ".join(str(value).split())


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
def validate(workbook: Path) -> None:
    """Check a school workbook against the contract.

    Exit 0 when clean, 1 with warnings only, 2 with errors.
    """
    from models.reader import inspect_workbook

    try:
        school, problems = inspect_workbook(workbook)
    except WorkbookError as exc:
        click.echo(f"error: {exc.problems[0].message}", err=True)
        sys.exit(Exit.INVALID)
    _print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{workbook.name}: {errors} error(s), {warnings} warning(s); fix the errors "
                   "before solving.")
        sys.exit(Exit.INVALID)
    assert school is not None
    click.echo(
        f"{workbook.name}: {school.info.name} — {len(school.registered_students)} registered "
        f"of {len(school.students)} students, {len(school.activities)} activities, "
        f"{len(school.rooms)} rooms, {len(school.staff)} staff; "
        + ("no problems." if not warnings else f"{warnings} warning(s).")
    )
    sys.exit(Exit.WARNINGS if warnings else Exit.OK)


@main.command()
@click.argument("output", type=click.Path(path_type=Path))
def template(output: Path) -> None:
    """Write an empty school workbook with every sheet, column, help and drop-down."""
    from models.template import write_template

    write_template(output)
    click.echo(f"wrote {output}")


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
@click.argument("output", type=click.Path(path_type=Path), required=False)
def sample(num_students: int, seed: int, shape: str | None, knobs: tuple[str, ...],
           bands: tuple[str, ...], list_shapes: bool, output: Path | None) -> None:
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
        describe_shape,
        generate_shaped_school,
        parse_band,
        shape_with,
    )
    from models.template import write_school

    if list_shapes:
        for known in SHAPES.values():
            click.echo(describe_shape(known))
        names = [f.name for f in fields(Shape) if f.name not in ("name", "bands", "knobs")]
        click.echo(f"knobs for --set: {', '.join(names)}")
        return
    if output is None:
        raise click.UsageError("Missing argument 'OUTPUT': the workbook to write.")
    if shape is None and not knobs and not bands:
        school = generate_school(num_students=num_students, seed=seed)
    else:
        base = shape or "two-bands"
        if base not in SHAPES:
            raise click.BadParameter(f"unknown shape {base!r}; known: {', '.join(SHAPES)}",
                                     param_hint="--shape")
        try:
            changes = dict(_knob(text) for text in knobs)
            chosen = shape_with(base, **changes)
            if bands:
                chosen = replace(chosen, name=f"{chosen.name}[bands]",
                                 bands=tuple(parse_band(b) for b in bands))
            school = generate_shaped_school(num_students, seed, chosen)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    write_school(output, school)
    click.echo(f"wrote {output}: {school.info.name}, {len(school.students)} students, "
               f"{len(school.registered_students)} registered")


def _knob(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ValueError(f"--set {text!r}: expected KNOB=VALUE, e.g. cross_share=0.5")
    return key.strip(), value.strip()


# --- solve and check ------------------------------------------------------------------



def _default_output(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}-schedule.xlsx")


def _load(workbook: Path):  # type: ignore[no-untyped-def]
    """Read and validate, printing every problem; exit 2 on errors."""
    from models.reader import read_school

    try:
        return read_school(workbook)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        errors = sum(p.is_error for p in exc.problems)
        click.echo(f"{workbook.name}: {errors} error(s); nothing was solved or written.",
                   err=True)
        sys.exit(Exit.INVALID)


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
def solve(workbook: Path, output: Path | None, time_limit: float, workers: int,
          seed: int | None, deterministic: bool, goal_spec: str | None, quiet: bool,
          lang: str | None, redact: bool, pdf: bool, font: Path | None) -> None:
    """Find the best schedule for a school workbook and write it to Excel.

    Exit codes: 0 optimal, 3 feasible (not proven optimal), 4 infeasible,
    5 no schedule found in time, 2 invalid workbook, 6 checker rejected the schedule.
    """
    from optimizer.outputs.export import pdf_paths, write_schedule
    from optimizer.search.result import Params, Status, new_seed
    from optimizer.search.solve import solve as run

    output = output or _default_output(workbook)
    if output.resolve() == workbook.resolve():
        click.echo("error: the output would overwrite the input workbook; choose another "
                   "name with -o", err=True)
        sys.exit(Exit.INVALID)
    if font is not None:  # a bad --font is said before the solve, not after
        from optimizer.outputs.report.fonts import register_font
        try:
            register_font(font)
        except ValueError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(Exit.INVALID)
    school = _load(workbook)
    if seed is None:
        seed = 1 if deterministic else new_seed()
    levels = _levels(goal_spec, school)
    params = Params(time_limit=time_limit, workers=workers, seed=seed,
                    deterministic=deterministic, levels=levels)
    chooser_count = sum(1 for s in school.registered_students
                        if s.wants and school.eligible_choices(s))
    if not quiet:
        click.echo(f"{school.info.name}: {len(school.registered_students)} registered "
                   f"students; seed {seed}; up to {time_limit:g}s", err=True)

    def show(point: Progress) -> None:
        value, bound_value = _as_goal(point)
        if not math.isfinite(bound_value):
            bound = f"{'no bound':<29}"
        else:
            gap = abs(value - bound_value) / max(abs(value), 1)
            bound = f"bound {bound_value:>14,.0f}  gap {gap:6.1%}"
        click.echo(f"\r{point.elapsed:6.1f}s  {point.goal:<24} {value:>14,.0f}  "
                   f"{bound}  placed {point.placed}/{chooser_count}   ", nl=False, err=True)

    result = run(school, params, on_progress=None if quiet else show)
    if not quiet:
        click.echo("", err=True)
    if result.schedule is None:
        for line in result.diagnosis:
            click.echo(f"infeasible: {line}", err=True)
        if result.status is Status.INFEASIBLE:
            click.echo("No schedule can keep every rule; nothing was written.", err=True)
            sys.exit(Exit.INFEASIBLE)
        click.echo(f"No schedule found within {time_limit:g}s and none proven impossible; try "
                   "a longer --time-limit or more --workers. Nothing was written.", err=True)
        sys.exit(Exit.NO_SOLUTION)
    report = result.report
    if report is None or not report.ok:
        for violation in (report.violations if report else ())[:20]:
            click.echo(f"checker: {violation}", err=True)
        click.echo("The independent checker rejected the schedule (a bug; please report it "
                   "with the workbook). Nothing was written.", err=True)
        sys.exit(Exit.CHECK_FAILED)
    write_schedule(output, school, result, lang=lang, redact=redact, pdfs=pdf, font=font)
    written = [output, *(pdf_paths(output).values() if pdf else ())]
    kpis = report.kpis
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(
        f"{result.status.value}{' (interrupted)' if result.interrupted else ''} in "
        f"{result.wall_time:.1f}s, seed {seed}: wrote {', '.join(map(str, written))}\n"
        + "\n".join(f"  {k.replace('_', ' ')}: {_fmt(k, v)}" for k, v in kpis.items())
    )
    sys.exit(Exit.OK if result.status is Status.OPTIMAL else Exit.FEASIBLE)


def _levels(goal_spec: str | None, school):  # type: ignore[no-untyped-def]
    """The goal levels from --goals, else the Settings sheet, else the default order."""
    from optimizer.search.levels import GoalSpecError, school_levels

    try:
        return school_levels(school.settings, goal_spec)
    except GoalSpecError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.INVALID)


def _as_goal(point: Progress) -> tuple[float, float]:
    """A progress point's value and bound in the goal's own sense (a count of unserved
    children, not its negative); a weighted level stays as the sum the solver maximizes."""
    from optimizer.model.rules import GOALS

    goal = GOALS.get(point.goal)
    if point.goal == "constructive":
        return -point.objective, math.nan
    if goal is None:
        return point.objective, point.bound
    return goal.sense * point.objective, goal.sense * point.bound


def _fmt(key: str, value: float) -> str:
    if key.endswith("_share"):
        return f"{value:.1%}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@main.command(name="check")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("--seed", type=int, help="Lottery seed, to recompute the lottery goal.")
def check_command(workbook: Path, schedule: Path, seed: int | None) -> None:
    """Check a schedule workbook (its Sections and Assignments sheets) against every rule.

    Exit 0 when every hard rule holds, 6 when one is broken, 2 on unreadable input.
    """
    from models.check import check
    from models.schedule_io import read_schedule

    school = _load(workbook)
    try:
        plan = read_schedule(schedule, school)
    except WorkbookError as exc:
        _print_problems(exc.problems)
        sys.exit(Exit.INVALID)
    report = check(school, plan, seed=seed)
    for violation in report.violations:
        click.echo(f"rule {violation}", err=True)
    for name, value in report.goals.items():
        click.echo(f"{name}: {value}")
    if report.ok:
        click.echo("every hard rule holds")
        sys.exit(Exit.OK)
    click.echo(f"{len(report.violations)} violation(s)", err=True)
    sys.exit(Exit.CHECK_FAILED)


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
@click.option("--day", type=click.Choice(DAYS),
              help="Only this day: its rosters (dated that weekday), class-list columns and "
                   "the staff who meet then.")
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
                  day: str | None, activity: str | None, class_name: str | None,
                  no_study: bool, output: Path | None, lang: str | None, redact: bool,
                  school_workbook: Path | None, font: Path | None) -> None:
    """Print-ready A4 PDF of rosters, class lists or staff timetables from a schedule workbook.

    Several of --rosters, --classes and --staff go into one PDF, in that order;
    --day, --activity, --class, --staff ID and --no-study choose what of them.
    Exit 0 when written, 2 when the workbook cannot be read or a filter names
    nothing in it, 6 when --school is given and the schedule breaks a rule.
    """
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
    wanted = Selection(day=DAYS.index(day) if day else None, activity=activity,
                       class_name=class_name, staff_id=staff or None, study=not no_study)
    output = output or schedule.with_name(f"{schedule.stem}-{'-'.join(chosen)}.pdf")
    if output.resolve() == schedule.resolve():
        click.echo("error: the output would overwrite the schedule workbook; choose another "
                   "name with -o", err=True)
        sys.exit(Exit.INVALID)
    if school_workbook is not None:
        school = _load(school_workbook)
        plan = _read_checked(schedule, school)
        book = print_book(school, plan, lang=lang, redact=redact)
    else:
        try:
            book = read_print_book(schedule)
        except WorkbookError as exc:
            click.echo(f"error: {exc.problems[0].message}", err=True)
            sys.exit(Exit.INVALID)
        if redact:
            book = redact_book(book)
    try:
        write_pdf(output, select(book, wanted), chosen, lang=lang, font=font)
    except ValueError as exc:  # an unusable --font, or a filter naming nothing printed
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.INVALID)
    click.echo(f"wrote {output}")


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
    breaks a rule.
    """
    from optimizer.outputs.report.workbook import write_report

    if output.resolve() in (workbook.resolve(), schedule.resolve()):
        click.echo("error: the output would overwrite an input; choose another name with -o",
                   err=True)
        sys.exit(Exit.INVALID)
    school = _load(workbook)
    plan = _read_checked(schedule, school)
    write_report(output, school, plan, lang=lang, redact=redact, seed=seed)
    click.echo(f"wrote {output}")


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
            click.echo(f"checker: {violation}", err=True)
        click.echo(f"{schedule.name} breaks {len(verdict.violations)} rule clause(s); "
                   "nothing was written.", err=True)
        sys.exit(Exit.CHECK_FAILED)
    return plan


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
def sweep(schools: tuple[Path, ...], scenarios_path: Path | None, output: Path,
                  time_limit: float, seed: int, deterministic: bool, scheduler: str | None,
                  n_workers: int | None, threads_per_solve: int | None, memory_limit: str,
                  fresh: bool, retry_failed: bool, quiet: bool) -> None:
    """Solve every school workbook × scenario in parallel on Dask.

    SCHOOLS are workbooks or directories of them. A school that fails (bad workbook,
    infeasible, no schedule in time) is recorded with its reason; the sweep goes on.
    Rerunning skips the pairs already in the output.

    Exit codes: 0 every pair has a schedule, 7 some pairs failed (see the reason
    column), 2 the scenarios or schools could not be read (nothing solved).
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

    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        # Dask logs every worker start and stop at INFO; show them only with -v. Its
        # import sets its loggers' levels, so import it first.
        import distributed  # noqa: F401

        logging.getLogger("distributed").setLevel(logging.WARNING)
    try:
        scenarios = read_scenarios(scenarios_path) if scenarios_path else [BASELINE]
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{scenarios_path}: fix the scenarios; nothing was solved.", err=True)
        sys.exit(Exit.INVALID)
    try:
        # The scenarios workbook may sit among the schools (sample_data/ does).
        scenario_files = [Path(scenarios_path)] if scenarios_path else []
        sources = school_sources(schools, exclude=[*result_files(output), *scenario_files])
    except ValueError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.INVALID)
    if not sources:
        click.echo("error: no school workbooks (*.xlsx) found in "
                   + ", ".join(map(str, schools)), err=True)
        sys.exit(Exit.INVALID)
    params = Params(time_limit=time_limit, seed=seed, deterministic=deterministic)
    bar: Any = None

    def start(to_solve: int, skipped: int) -> None:
        nonlocal bar
        click.echo(f"{len(sources)} school(s) × {len(scenarios)} scenario(s): {to_solve} to "
                   f"solve" + (f", {skipped} already in {output.name}" if skipped else ""),
                   err=True)
        if not quiet and to_solve:
            bar = click.progressbar(length=to_solve, label="solving", file=sys.stderr,
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
        click.echo(f"error: {exc}", err=True)
        sys.exit(Exit.INVALID)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    failed = frame[~frame["ok"]]
    for _, row in failed.iterrows():
        click.echo(f"{row['school']} × {row['scenario']}: {row['status']}: {row['reason']}",
                   err=True)
    summary = district_summary(frame)
    click.echo(f"wrote {output} and {output.with_suffix('.parquet').name}: {len(frame)} "
               f"pair(s), {len(frame) - len(failed)} with a schedule, {len(failed)} failed")
    for _, line in summary.iterrows():
        click.echo(f"  {line['scenario']}: {line['solved']}/{line['schools']} solved, "
                   f"{_count(line['students_with_none'], missing)} with none of their "
                   f"choices, first choice {_share(line['first_choice_share'], missing)}, "
                   f"budget used {_share(line['budget_use'], missing)}")
    sys.exit(Exit.SOME_FAILED if len(failed) else Exit.OK)




def _share(value: float, missing: Callable[[float], bool]) -> str:
    return "–" if missing(value) else f"{100 * value:.1f}%"


def _count(value: float, missing: Callable[[float], bool]) -> str:
    return "–" if missing(value) else f"{value:,.0f}"


if __name__ == "__main__":
    main()
