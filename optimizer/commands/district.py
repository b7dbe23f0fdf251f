"""``schedule sweep``: every school × scenario solved on Dask, for district planners;
the library call is ``optimizer/district/sweep.run_sweep``."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from optimizer.commands.exits import Exit
from optimizer.commands.voice import say, speak, voice
from optimizer.outputs.report.labels import LANGUAGES

if TYPE_CHECKING:
    import pandas as pd

    from optimizer.district.scenarios import Scenario
    from optimizer.district.sweep import SchoolSource


@click.command(name="sweep")
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
    from optimizer.district.sweep import run_sweep
    from optimizer.search.result import Params

    speak(lang)
    _quiet_dask()
    scenarios, sources = _sweep_inputs(schools, scenarios_path, output)
    params = Params(time_limit=time_limit, seed=seed, deterministic=deterministic)
    progress = _Progress(output, len(sources), len(scenarios), quiet)
    try:
        frame = run_sweep(sources, scenarios, params=params, output=output,
                          scheduler=scheduler, n_workers=n_workers,
                          threads_per_solve=threads_per_solve, memory_limit=memory_limit,
                          resume=not fresh, retry_failed=retry_failed,
                          on_start=progress.start, on_result=progress.advance)
    except ValueError as exc:  # an output that is not ours, before anything is solved
        click.echo(say("cli.error", text=_said_error(exc)), err=True)
        sys.exit(Exit.INVALID)
    except KeyboardInterrupt:
        progress.close()
        click.echo(say("cli.sweep.interrupted", path=output), err=True)
        sys.exit(Exit.INTERRUPTED)
    finally:
        progress.close()
    sys.exit(_report_sweep(frame, output))


def _quiet_dask() -> None:
    """Dask logs every worker start and stop at INFO; show them only with -v."""
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        # Its import sets its loggers' levels, so import it first.
        import distributed  # noqa: F401

        logging.getLogger("distributed").setLevel(logging.WARNING)


def _sweep_inputs(schools: tuple[Path, ...], scenarios_path: Path | None, output: Path
                  ) -> tuple[list[Scenario], dict[str, SchoolSource]]:
    """The scenarios and the school workbooks to sweep; every problem said and exit 2 when
    they cannot be read, before anything is solved."""
    from optimizer.district.scenarios import BASELINE, ScenarioError, read_scenarios
    from optimizer.district.sweep import result_files, school_sources

    try:
        scenarios = read_scenarios(scenarios_path) if scenarios_path else [BASELINE]
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(problem.render(voice.lang), err=True)
        click.echo(say("cli.sweep.bad_scenarios", path=scenarios_path), err=True)
        sys.exit(Exit.INVALID)
    try:
        # The scenarios workbook may sit among the schools (sample_data/ does).
        scenario_files = [Path(scenarios_path)] if scenarios_path else []
        sources = school_sources(schools, exclude=[*result_files(output), *scenario_files])
    except ValueError as exc:
        click.echo(say("cli.error", text=_said_error(exc)), err=True)
        sys.exit(Exit.INVALID)
    if not sources:
        click.echo(say("cli.sweep.no_schools", paths=", ".join(map(str, schools))), err=True)
        sys.exit(Exit.INVALID)
    return scenarios, sources


class _Progress:
    """What the sweep says while it runs: how many pairs it solves and keeps, then a
    progress bar on stderr (unless --quiet) that must be closed however the sweep ends."""

    def __init__(self, output: Path, num_schools: int, num_scenarios: int, quiet: bool
                 ) -> None:
        self.output, self.quiet = output, quiet
        self.num_schools, self.num_scenarios = num_schools, num_scenarios
        self.bar: Any = None

    def start(self, to_solve: int, skipped: int) -> None:
        kept = say("cli.sweep.kept", count=skipped, name=self.output.name) if skipped else ""
        click.echo(say("cli.sweep.start", schools=self.num_schools,
                       scenarios=self.num_scenarios, count=to_solve, kept=kept), err=True)
        if not self.quiet and to_solve:
            self.bar = click.progressbar(length=to_solve, label=say("cli.sweep.solving"),
                                         file=sys.stderr, show_pos=True, show_eta=True)
            self.bar.__enter__()

    def advance(self, row: dict[str, object]) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _report_sweep(frame: pd.DataFrame, output: Path) -> Exit:
    """Each failed pair with its reason, the files written, one line per scenario; the
    exit code (7 when some pair has no schedule)."""
    from optimizer.district.sweep import district_summary, missing

    failed = frame[~frame["ok"]]
    for _, row in failed.iterrows():
        click.echo(say("cli.sweep.failed", school=row["school"], scenario=row["scenario"],
                       status=row["status"], reason=row["reason"]), err=True)
    summary = district_summary(frame)
    click.echo(say("cli.sweep.wrote", path=output, parquet=output.with_suffix(".parquet").name,
                   pairs=len(frame), solved=len(frame) - len(failed), failed=len(failed)))
    for _, line in summary.iterrows():
        click.echo(say("cli.sweep.scenario", scenario=line["scenario"], solved=line["solved"],
                       schools=line["schools"],
                       none=_count(line["students_with_none"], missing),
                       first=_share(line["first_choice_share"], missing),
                       budget=_share(line["budget_use"], missing)))
    return Exit.SOME_FAILED if len(failed) else Exit.OK


def _said_error(exc: ValueError) -> object:
    """A sweep's refusal as its catalogue message (said in the reader's language), any
    other as its text."""
    from optimizer.district.sweep import SweepError

    return exc.said if isinstance(exc, SweepError) else exc


def _share(value: float, missing: Callable[[float], bool]) -> str:
    return "–" if missing(value) else f"{100 * value:.1f}%"


def _count(value: float, missing: Callable[[float], bool]) -> str:
    return "–" if missing(value) else f"{value:,.0f}"
