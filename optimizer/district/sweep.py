"""Sweeps: every school × every scenario, solved in parallel on dask.distributed.

:func:`run_sweep` is the library call; ``schedule sweep`` (optimizer/commands/district.py)
is built on it. Each pair is one task: read the workbook (on the worker, so
reading is parallel too), apply the scenario, solve, and return one flat row of KPIs
(:func:`optimizer.district.compare.kpi_row`). A pair that fails — a bad workbook, a scenario
that does not fit the school, an infeasible school, no schedule in time, even a
worker that dies — becomes a row with its status and reason; the sweep goes on.

Resources. A LocalCluster runs one solve at a time per worker process
(``threads_per_worker=1``), and each solve gets ``cores // workers`` CP-SAT threads,
so workers × threads never exceeds the cores; dask's ``memory_limit`` (by default the
machine's memory split evenly) bounds each worker. On an existing cluster
(``scheduler="tcp://host:8786"``) start the workers with ``--nthreads 1`` for the same
guarantee; the threads per solve are then worked out from each host's cores.

Resume. Results are written (atomically) as they arrive, to an Excel workbook and a
Parquet file beside it. A rerun with the same output skips every pair already there
whose school file and scenario are unchanged (both are fingerprinted), so an
interrupted sweep picks up where it stopped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.atomic import atomic_path
from models.messages import Message, msg
from models.problems import WorkbookError
from models.school import School
from optimizer.district.compare import (
    KPI_COLUMNS,
    LOAD_COLUMNS,
    OK_STATUSES,
    district_summary,
    failure_row,
    kpi_row,
)
from optimizer.district.scenarios import (
    BASELINE,
    Scenario,
    ScenarioError,
    apply_scenario,
    fingerprint,
    parse_scenarios,
    read_scenarios,
)

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

    from optimizer.search.levels import Levels
    from optimizer.search.result import Params

log = logging.getLogger(__name__)

RESULTS_SHEET = "Results"
DISTRICT_SHEET = "District"
SCENARIOS_SHEET = "Scenarios"

INFO_COLUMNS: tuple[str, ...] = (
    "school_name", "source", "notes", "seed", "time_limit", "threads", "deterministic",
    "school_digest", "scenario_digest", "finished_at",
)
RESULT_COLUMNS: tuple[str, ...] = ("school", "scenario", *KPI_COLUMNS, *LOAD_COLUMNS,
                                   *INFO_COLUMNS)
"""The columns of a sweep's results, in order: the pair, its KPIs, then provenance."""

SAVE_EVERY = 20.0
"""Seconds between writes of the results file while a sweep runs (and once at the end)."""

SchoolSource = School | str | Path


# --- one pair, on a worker ------------------------------------------------------------

def solve_pair(school_key: str, source: SchoolSource, scenario: Scenario, params: Params
               ) -> dict[str, object]:
    """Read (if a path), apply the scenario, solve: one results row. Never raises.

    Runs on a Dask worker; also the reference a sweep is tested against.
    """
    row: dict[str, object] = {"school": school_key, "scenario": scenario.name}
    started = time.monotonic()
    try:
        row.update(_solve_pair(source, scenario, params, row))
    except Exception as exc:  # one school's bug must not stop the district's sweep
        log.exception("%s × %s failed", school_key, scenario.name)
        row.update(failure_row("error", f"{type(exc).__name__}: {exc}"))
    if missing(row.get("wall_time_s")):  # failed before or without a solve
        row["wall_time_s"] = round(time.monotonic() - started, 2)
    log.info("%s × %s: %s%s", school_key, scenario.name, row["status"],
             f" ({row['reason']})" if row.get("reason") else "")
    return row


def _solve_pair(source: SchoolSource, scenario: Scenario, params: Params,
                row: dict[str, object]) -> dict[str, object]:
    from models.reader import read_school
    from optimizer.search.solve import solve

    if isinstance(source, School):
        school = source
    else:
        try:
            school = read_school(source)
        except WorkbookError as exc:
            return failure_row("invalid school", _problems_text(exc))
    row["school_name"] = school.info.name
    try:
        changed = apply_scenario(school, scenario)
    except ScenarioError as exc:
        return failure_row("invalid scenario", _problems_text(exc))
    notes = [p.message for p in changed.warnings if p.sheet == "Scenarios"]
    row["notes"] = "; ".join(notes)
    levels = _levels(changed)
    if isinstance(levels, str):
        return failure_row("invalid school", levels)
    result = solve(changed, replace(params, levels=levels) if levels else params)
    return kpi_row(result)


def _levels(school: School) -> Levels | str | None:
    """The Settings sheet's goal order, as ``schedule solve`` uses it; text if it is bad;
    None without one (the sweep's own parameters then decide)."""
    from optimizer.search.levels import GoalSpecError, school_levels

    if not school.settings.get("goals"):
        return None
    try:
        return school_levels(school.settings)
    except GoalSpecError as exc:
        return str(exc)


def _problems_text(exc: WorkbookError) -> str:
    errors = [p for p in exc.problems if p.is_error]
    shown = "; ".join(str(p) for p in errors[:3])
    return shown + (f" (and {len(errors) - 3} more)" if len(errors) > 3 else "")


# --- planning the sweep -----------------------------------------------------------------

class SweepError(ValueError):
    """A sweep that cannot start: its schools or its results file are not usable.

    ``str()`` is the English; ``said`` the catalogue message, for the reader's language.
    """

    def __init__(self, said: Message) -> None:
        super().__init__(said.text("en"))
        self.said = said


@dataclass(frozen=True)
class Pair:
    """One school × scenario to solve."""

    school: str
    scenario: Scenario
    source: SchoolSource
    school_digest: str


def available_cores() -> int:
    """Cores this process may use (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def plan_workers(cores: int, num_tasks: int, n_workers: int | None = None,
                 threads_per_solve: int | None = None) -> tuple[int, int]:
    """(worker processes, CP-SAT threads per solve) with workers × threads ≤ cores.

    By default as many workers as there are tasks, up to the cores, and the cores left
    over shared out as threads: three schools on 12 cores solve side by side with four
    threads each; forty pairs on 2 cores run two at a time with one thread each.
    """
    cores = max(1, cores)
    if n_workers is None:
        n_workers = max(1, min(cores // (threads_per_solve or 1), num_tasks))
    threads = threads_per_solve or max(1, cores // n_workers)
    if n_workers * threads > cores:
        fitted = max(1, cores // n_workers)
        log.warning("%d workers × %d threads exceed %d cores; using %d thread(s) per solve",
                    n_workers, threads, cores, fitted)
        threads = fitted
    return n_workers, threads


def school_sources(schools: Mapping[str, SchoolSource] | Iterable[str | Path] | str | Path,
                   *, exclude: Iterable[Path] = ()) -> dict[str, SchoolSource]:
    """School key → School or workbook path. A directory stands for its ``*.xlsx`` files
    (Excel's ``~$`` lock files and hidden files left out); a key is the file's stem."""
    if isinstance(schools, Mapping):
        return dict(schools)
    if isinstance(schools, str | Path):
        schools = [schools]  # one folder or workbook, not the letters of its name
    skip = {p.resolve() for p in exclude}
    found: dict[str, SchoolSource] = {}
    for item in schools:
        path = Path(item)
        files = sorted(path.glob("*.xlsx")) if path.is_dir() else [path]
        for file in files:
            if file.name.startswith(("~$", ".")) or file.resolve() in skip:
                continue
            if file.stem in found:
                raise SweepError(msg("sweep.same_name", name=file.stem,
                                     first=found[file.stem], second=file))
            found[file.stem] = file
    return found


def school_digest(source: SchoolSource) -> str:
    """A fingerprint of the school: its file's bytes, or its content when built in code."""
    if isinstance(source, School):
        return fingerprint(source)
    digest = hashlib.sha256()
    try:
        with Path(source).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return "unreadable"  # the worker will report why, as the pair's reason
    return digest.hexdigest()[:16]


def _scenario_list(scenarios: Sequence[Scenario | Mapping[str, object]] | str | Path | None
                   ) -> list[Scenario]:
    if scenarios is None:
        return [BASELINE]
    if isinstance(scenarios, str | Path):
        return read_scenarios(scenarios)
    return parse_scenarios(scenarios)


def pending_pairs(sources: Mapping[str, SchoolSource], scenarios: Sequence[Scenario],
                  previous: pd.DataFrame, params: Params, *, retry_failed: bool = False
                  ) -> tuple[list[Pair], pd.DataFrame]:
    """The pairs still to solve, and the earlier rows kept.

    An earlier row is kept (and its pair skipped) when its school and scenario
    fingerprints and its solve settings (time limit, seed, deterministic) match; with
    ``retry_failed`` only if it has a schedule. Rows of pairs outside this sweep are kept.
    """
    import pandas as pd  # here, not at the top: the CLI imports this module

    settings = (float(params.time_limit), float(params.seed), bool(params.deterministic))
    digests = {key: school_digest(source) for key, source in sources.items()}
    done: set[tuple[str, str]] = set()
    keep = pd.Series(True, index=previous.index)
    wanted = {(school, s.name): (digests[school], s.digest())
              for school in sources for s in scenarios}
    for index, row in previous.iterrows():
        pair = (str(row["school"]), str(row["scenario"]))
        if pair not in wanted:
            continue
        current = (str(row.get("school_digest")), str(row.get("scenario_digest")))
        solved_with = (_number(row.get("time_limit")), _number(row.get("seed")),
                       bool(row.get("deterministic")))
        if current != wanted[pair] or solved_with != settings:
            log.info("%s × %s: school, scenario or solve settings changed since the last "
                     "run; solving again", *pair)
            keep[index] = False
        elif retry_failed and row.get("status") not in OK_STATUSES:
            keep[index] = False
        else:
            done.add(pair)
    pairs = [Pair(school, scenario, source, digests[school])
             for school, source in sources.items() for scenario in scenarios
             if (school, scenario.name) not in done]
    return pairs, previous[keep]


# --- running it ---------------------------------------------------------------------

def run_sweep(
    schools: Mapping[str, SchoolSource] | Iterable[str | Path] | str | Path,
    scenarios: Sequence[Scenario | Mapping[str, object]] | str | Path | None = None,
    *,
    params: Params | None = None,
    output: str | Path | None = None,
    client: Client | None = None, scheduler: str | None = None,
    n_workers: int | None = None, threads_per_solve: int | None = None,
    memory_limit: str | float | None = "auto",
    resume: bool = True, retry_failed: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[dict[str, object]], None] | None = None,
) -> pd.DataFrame:
    """Solve every school × scenario in parallel; one results row per pair.

    ``schools``: ``{key: School or workbook path}``, or paths (directories stand for
    their workbooks). ``scenarios``: Scenario objects or dicts, a scenarios workbook,
    or None for the baseline alone. ``params``: the solve settings (time limit, seed,
    deterministic); ``workers`` in it is replaced by the threads each solve gets.

    Runs on ``client`` if given, else on the Dask scheduler at ``scheduler``, else on a
    LocalCluster of ``n_workers`` processes (default: sized to the machine and the
    work, see :func:`plan_workers`) that is shut down afterwards.

    With ``output`` (``.xlsx``, and a ``.parquet`` beside it; or ``.parquet`` alone)
    results are saved as they arrive, and with ``resume`` finished pairs in it are
    skipped. ``on_start(to_solve, skipped)`` is called once the work is known,
    ``on_result(row)`` as each pair finishes. Raises :class:`ScenarioError` for
    scenarios that cannot be read (before anything is solved).
    """
    from optimizer.search.result import Params

    params = params or Params()
    scenario_list = _scenario_list(scenarios)
    output_path = _output_path(output)
    sources = school_sources(schools, exclude=result_files(output_path))
    previous = _earlier_results(output_path if resume else None)
    pairs, kept = pending_pairs(sources, scenario_list, previous, params,
                                retry_failed=retry_failed)
    skipped = len(sources) * len(scenario_list) - len(pairs)
    log.info("sweep: %d school(s) × %d scenario(s): %d to solve, %d already done",
             len(sources), len(scenario_list), len(pairs), skipped)
    if on_start is not None:
        on_start(len(pairs), skipped)
    results = _Results(kept, list(sources), scenario_list, output_path)
    if not pairs:
        return results.save()
    # A deterministic solve uses one thread whatever it is given.
    per_solve = 1 if params.deterministic else threads_per_solve
    try:
        with _connect(client, scheduler, n_workers, per_solve, memory_limit,
                      len(pairs)) as (dask_client, threads):
            _solve_all(dask_client, pairs, replace(params, workers=threads), results,
                       on_result)
    finally:
        # Also on Ctrl-C or a lost scheduler: what is finished is kept for the rerun.
        if results.rows:
            results.save()
    return results.frame() if results.rows else results.save()


def _output_path(output: str | Path | None) -> Path | None:
    """The results file, refused up front unless it is an ``.xlsx`` or a ``.parquet``."""
    output_path = Path(output) if output is not None else None
    if output_path is not None and output_path.suffix.lower() not in (".xlsx", ".parquet"):
        raise SweepError(msg("sweep.output_kind", name=output_path.name))
    return output_path


def _earlier_results(output_path: Path | None) -> pd.DataFrame:
    """What an earlier run left in the output, to resume from; none without an output
    (or when not resuming) or when it is not there yet."""
    import pandas as pd  # here, not at the top: the CLI imports this module

    if output_path is None or not output_path.exists():
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    try:
        return read_results(output_path)
    except Exception as exc:  # pandas and openpyxl raise many types for foreign files
        raise SweepError(msg("sweep.not_results", path=output_path,
                             why=f"{type(exc).__name__}: {exc}")) from None


@dataclass
class _Results:
    """The sweep's results as they grow: the earlier rows kept and each new row, in school
    then scenario order, saved to ``output`` (when there is one) every ``SAVE_EVERY``
    seconds and at the end, so an interrupted sweep loses little."""

    kept: pd.DataFrame
    schools: list[str]
    scenarios: list[Scenario]
    output: Path | None
    rows: list[dict[str, object]] = field(default_factory=list)
    last_save: float = field(default_factory=time.monotonic)

    def frame(self) -> pd.DataFrame:
        return _ordered(self.kept, self.rows, self.schools, [s.name for s in self.scenarios])

    def save(self) -> pd.DataFrame:
        """Every row so far, written to the output when there is one."""
        frame = self.frame()
        if self.output is not None:
            write_results(self.output, frame, self.scenarios)
        self.last_save = time.monotonic()
        return frame

    def save_when_due(self) -> None:
        if self.output is not None and time.monotonic() - self.last_save > SAVE_EVERY:
            self.save()


def _solve_all(client: Client, pairs: Sequence[Pair], params: Params, results: _Results,
               on_result: Callable[[dict[str, object]], None] | None) -> None:
    """Solve the pairs on ``client``, ``params.workers`` threads each, adding each row to
    ``results`` as it finishes."""
    log.info("sweep: %d worker(s), %d CP-SAT thread(s) per solve",
             len(client.scheduler_info().get("workers", {})), params.workers)
    for row in _run(client, pairs, params):
        results.rows.append(row)
        if on_result is not None:
            on_result(row)
        results.save_when_due()


def _run(client: Client, pairs: Sequence[Pair], params: Params) -> Iterator[dict[str, object]]:
    """Submit every pair; yield rows as they finish (a task that raised becomes a row)."""
    from distributed import as_completed

    scattered: dict[str, Any] = {}
    futures: list[Any] = []
    pair_of: dict[Any, Pair] = {}
    for pair in pairs:
        source: Any = pair.source
        if isinstance(source, School):
            # Sent once per school, not once per scenario.
            if pair.school not in scattered:
                scattered[pair.school] = client.scatter(source)
            source = scattered[pair.school]
        else:
            source = str(source)
        future = client.submit(solve_pair, pair.school, source, pair.scenario, params,
                               pure=False, retries=0)
        futures.append(future)
        pair_of[future.key] = pair
    for future in as_completed(futures):
        pair = pair_of[future.key]
        try:
            row = future.result()
        except Exception as exc:  # a worker that died (memory, a crash): record, go on
            log.error("%s × %s: the task failed: %s", pair.school, pair.scenario.name, exc)
            row = {"school": pair.school, "scenario": pair.scenario.name,
                   **failure_row("error", f"the task failed ({type(exc).__name__}: {exc})")}
        row.update(
            source="" if isinstance(pair.source, School) else str(pair.source),
            seed=params.seed, time_limit=params.time_limit, threads=params.workers,
            deterministic=params.deterministic, school_digest=pair.school_digest,
            scenario_digest=pair.scenario.digest(),
            finished_at=dt.datetime.now().isoformat(timespec="seconds"))
        yield row


@contextlib.contextmanager
def _connect(client: Client | None, scheduler: str | None, n_workers: int | None,
             threads_per_solve: int | None, memory_limit: str | float | None,
             num_tasks: int) -> Iterator[tuple[Client, int]]:
    """A client and the CP-SAT threads each solve may use; a LocalCluster if need be."""
    if client is not None:
        yield client, threads_per_solve or _threads_on(client)
        return
    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as remote:
            yield remote, threads_per_solve or _threads_on(remote)
        return
    workers, threads = plan_workers(available_cores(), num_tasks, n_workers, threads_per_solve)
    # processes=True: CP-SAT's search releases the GIL, but model building is Python,
    # and a crash or memory blow-up in one school then takes down one worker only.
    # dashboard_address ":0": any free port, so two sweeps (or a notebook's cluster) on one
    # machine never fight over 8787.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      memory_limit=memory_limit, dashboard_address=":0") as cluster, \
            Client(cluster) as local:
        yield local, threads


def _threads_on(client: Client) -> int:
    """CP-SAT threads per solve on an existing cluster: each host's cores shared among the
    task slots it runs (the fewest over hosts), at least one."""
    workers = client.scheduler_info().get("workers", {})
    if not workers:
        return 1
    cores = client.run(available_cores)
    slots: dict[str, int] = {}
    host_cores: dict[str, int] = {}
    for address, info in workers.items():
        host = str(info.get("host", address))
        slots[host] = slots.get(host, 0) + int(info.get("nthreads", 1))
        host_cores[host] = int(cores.get(address, 1))
        if int(info.get("nthreads", 1)) > 1:
            log.warning("worker %s runs %s tasks at a time; start workers with --nthreads 1 "
                        "to keep one solve per worker", address, info.get("nthreads"))
    return max(1, min(host_cores[h] // slots[h] for h in slots))


# --- the results file ------------------------------------------------------------------

def result_files(output: Path | None) -> list[Path]:
    if output is None:
        return []
    return [output, output.with_suffix(".parquet")]


def _ordered(kept: pd.DataFrame, rows: Sequence[dict[str, object]], schools: Sequence[str],
             scenarios: Sequence[str]) -> pd.DataFrame:
    """Earlier and new rows together, one per pair, in school then scenario order."""
    import pandas as pd  # here, not at the top: the CLI imports this module

    new = pd.DataFrame(list(rows))
    parts = [p for p in (kept, new) if not p.empty]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    for column in RESULT_COLUMNS:
        if column not in frame:
            frame[column] = math.nan
    frame = frame[[*RESULT_COLUMNS, *[c for c in frame.columns if c not in RESULT_COLUMNS]]]
    frame = frame.drop_duplicates(["school", "scenario"], keep="last")
    school_rank = {s: i for i, s in enumerate(schools)}
    scenario_rank = {s: i for i, s in enumerate(scenarios)}
    order = sorted(range(len(frame)), key=lambda i: (
        school_rank.get(frame.iloc[i]["school"], len(school_rank)), str(frame.iloc[i]["school"]),
        scenario_rank.get(frame.iloc[i]["scenario"], len(scenario_rank)),
        str(frame.iloc[i]["scenario"])))
    frame = frame.iloc[order].reset_index(drop=True)
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Column types that survive Excel and Parquet alike."""
    import pandas as pd  # here, not at the top: the CLI imports this module

    for column in ("school", "scenario", "status", "reason", "school_name", "source", "notes",
                   "school_digest", "scenario_digest", "finished_at"):
        frame[column] = frame[column].map(lambda v: "" if missing(v) else str(v)).astype(str)
    for column in ("ok", "deterministic"):
        frame[column] = frame[column].map(lambda v: False if missing(v) else bool(v)).astype(bool)
    numeric = [c for c in RESULT_COLUMNS if c in (*KPI_COLUMNS, *LOAD_COLUMNS,
                                                  "seed", "time_limit", "threads")
               and c not in ("status", "ok", "reason")]
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


def _number(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def read_results(path: str | Path) -> pd.DataFrame:
    """A sweep's results, from its ``.xlsx`` (sheet Results) or ``.parquet`` file."""
    import pandas as pd  # here, not at the top: the CLI imports this module

    path = Path(path)
    if path.suffix.lower() == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_excel(path, sheet_name=RESULTS_SHEET, dtype={"school": str,
                                                                    "scenario": str})
    for column in RESULT_COLUMNS:
        if column not in frame:
            frame[column] = math.nan
    return _typed(frame)


def write_results(path: str | Path, frame: pd.DataFrame,
                  scenarios: Sequence[Scenario] = ()) -> None:
    """Write the results atomically: an ``.xlsx`` (Results, District, Scenarios sheets)
    and a ``.parquet`` beside it for notebooks; a ``.parquet`` path writes that alone."""
    import pandas as pd  # here, not at the top: the CLI imports this module

    path = Path(path)
    parquet = path if path.suffix.lower() == ".parquet" else path.with_suffix(".parquet")
    with atomic_path(parquet) as temporary:
        frame.to_parquet(temporary, index=False)
    if path == parquet:
        return
    definitions = pd.DataFrame([{"name": s.name, "changes": s.summary(),
                                 "description": s.description, "digest": s.digest()}
                                for s in scenarios])
    # The writer saves on leaving its block, before atomic_path moves the file into place.
    with atomic_path(path) as temporary, pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=RESULTS_SHEET, index=False)
        if not frame.empty:
            district_summary(frame).to_excel(writer, sheet_name=DISTRICT_SHEET, index=False)
        definitions.to_excel(writer, sheet_name=SCENARIOS_SHEET, index=False)
        for sheet in writer.sheets.values():
            sheet.freeze_panes = "C2"
    log.debug("wrote %d result row(s) to %s and %s", len(frame), path, parquet)
