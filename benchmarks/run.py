"""Benchmark: schools of many shapes and sizes, CP-SAT against the coordinator's greedy.

    python benchmarks/run.py                          # the grid: every shape × 600, 1500,
                                                      # 3000, 5000 students × solver seeds 1, 2
    python benchmarks/run.py --shapes overlap-cross --sizes 3000 --seeds 1
    python benchmarks/run.py --generated              # generate_school's schools, 300-5000

Shapes are ``models.shapes.SHAPES``, fixed before any was solved; each shape and size is
one school (``SCHOOL_SEED``), solved once per seed. Each cell runs in its own process so
peak memory is that solve's own (with its SCIP worker's), and is appended to a JSON-lines
file as it ends (``--out``, default benchmarks/results/grid.jsonl), so a run that is
stopped keeps what it measured and ``--resume`` skips the cells already there.
Prints markdown tables (paste them into docs/benchmarks.md). Not part of the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import checkout  # noqa: F401  (this checkout's code, not an installed copy)

SIZES = (300, 1500, 3000, 5000)
"""``--generated``: generate_school's schools."""
GRID_SIZES = (600, 1500, 3000, 5000)
SCHOOL_SEED = 1
"""The grid's schools are generated with this seed; ``--seeds`` are the solver's."""
SEED = 1
CHECKPOINTS = (10.0, 30.0, 60.0)


def run_one(num_students: int, time_limit: float, workers: int) -> dict[str, object]:
    """Generate, solve, check and compare one school; runs inside a fresh process."""
    from models.check import check
    from models.sample import generate_school
    from optimizer.search.greedy import greedy_schedule
    from optimizer.search.solve import Params, build_model, solve

    school = generate_school(num_students=num_students, seed=SEED)
    started = time.monotonic()
    build_model(school, Params(seed=SEED))
    build_time = time.monotonic() - started

    started = time.monotonic()
    greedy = greedy_schedule(school)
    greedy_time = time.monotonic() - started
    greedy_report = check(school, greedy, seed=SEED) if greedy is not None else None

    result = solve(school, Params(time_limit=time_limit, workers=workers, seed=SEED))
    report = check(school, result.schedule, seed=SEED) if result.schedule else None
    first = min((p.elapsed for p in result.trace), default=None)
    checkpoints = {}
    for at in CHECKPOINTS:
        seen = [p for p in result.trace if p.elapsed <= at]
        if seen:
            last = seen[-1]
            checkpoints[str(at)] = {"goal": last.goal, "value": last.objective,
                                    "bound": None if last.bound != last.bound else last.bound}
    return {
        "students": num_students,
        "registered": len(school.registered_students),
        "variables": result.num_variables,
        "constraints": result.num_constraints,
        "build_s": round(build_time, 2),
        "first_feasible_s": None if first is None else round(first, 1),
        "wall_s": round(result.wall_time, 1),
        "status": result.status.value,
        "goals": result.goal_values,
        "bounds": result.bounds,
        "levels": result.level_status,
        "checkpoints": checkpoints,
        "checker_ok": None if report is None else report.ok,
        "kpis": None if report is None else report.kpis,
        "greedy_s": round(greedy_time, 2),
        "greedy_ok": None if greedy_report is None else greedy_report.ok,
        "greedy_kpis": None if greedy_report is None else greedy_report.kpis,
        "peak_mb": _peak_mb(),
    }


def _memory(row: dict) -> str:  # type: ignore[type-arg]
    """The peak column: what was held at once where it was sampled, the separate peaks
    added after it."""
    if row.get("at_once_mb"):
        return f"{row['at_once_mb']} ({row['peak_mb']})"
    return str(row["peak_mb"])


def _peak_mb() -> int:
    """The solve's peak resident memory with its SCIP worker's added: each is its own
    peak, so their sum is at least what both held at once."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + workers) / 1024)


class _MemoryAtOnce:
    """The most memory the solve and its SCIP worker held at the same moment, sampled
    every 50 ms from /proc (Linux); None elsewhere. Their separate peaks (``_peak_mb``)
    need not fall at the same moment: SCIP's comes at its root node, the solve's in
    CP-SAT's search."""

    def __init__(self) -> None:
        self.most_kb: int | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> _MemoryAtOnce:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        if self._thread.ident is not None:
            self._thread.join()

    def _sample(self) -> None:
        pid = os.getpid()
        while not self._done.wait(0.05):
            pids = [pid]
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    pids += [int(p) for p in task.read_text().split()]
            total = sum(_rss_kb(p) for p in pids)
            self.most_kb = total if self.most_kb is None else max(self.most_kb, total)

    @property
    def mb(self) -> int | None:
        return None if self.most_kb is None else round(self.most_kb / 1024)


def _rss_kb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def run_cell(shape: str, num_students: int, seed: int, time_limit: float, workers: int
             ) -> dict[str, object]:
    """One cell of the grid: a shaped school solved, checked and compared with the greedy."""
    from models.check import check
    from models.shapes import generate_shaped_school
    from optimizer.search.greedy import greedy_schedule
    from optimizer.search.solve import Params, solve

    # The seeds are the solver's (search and lottery): each cell's school is the same.
    school = generate_shaped_school(num_students, SCHOOL_SEED, shape)
    started = time.monotonic()
    greedy = greedy_schedule(school)
    greedy_time = time.monotonic() - started
    greedy_report = check(school, greedy, seed=seed) if greedy is not None else None
    with _MemoryAtOnce() as at_once:
        result = solve(school, Params(time_limit=time_limit, workers=workers, seed=seed))
    report = result.report
    first = next((p.elapsed for p in result.trace), None)
    return {
        "shape": shape, "students": num_students, "seed": seed, "school_seed": SCHOOL_SEED,
        "registered": len(school.registered_students),
        "variables": result.num_variables,
        "first_complete_s": None if first is None else round(first, 1),
        "wall_s": round(result.wall_time, 1),
        "status": result.status.value, "source": result.source,
        "goals": result.goal_values, "bounds": result.bounds,
        "checker_ok": None if report is None else report.ok,
        "kpis": None if report is None else report.kpis,
        "greedy_s": round(greedy_time, 2),
        "greedy_ok": None if greedy_report is None else greedy_report.ok,
        "greedy_kpis": None if greedy_report is None else greedy_report.kpis,
        "greedy_goals": None if greedy_report is None else greedy_report.goals,
        "peak_mb": _peak_mb(),
        "at_once_mb": at_once.mb,
    }


def rebound(rows: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """Each cell's bounds on unserved and first choices, tightened by what this checkout's
    ``ceilings.placement_ceilings`` proves of the same school (both are valid bounds, so
    the tighter holds): a grid run keeps its schedules, and newer bounds judge them."""
    from models.shapes import generate_shaped_school
    from optimizer.model.instance import build_instance
    from optimizer.model.rules import HARD_RULES
    from optimizer.search.ceilings import placement_ceilings

    schools: dict[tuple[str, int], dict[str, int]] = {}
    for r in rows:
        key = (r["shape"], r["students"])
        if key not in schools:
            inst = build_instance(generate_shaped_school(r["students"], r.get("school_seed", 1),
                                                         r["shape"]))
            reach, _ = placement_ceilings(inst, tuple(HARD_RULES))
            schools[key] = reach
        reach, bounds = schools[key], r["bounds"]
        bounds["unserved"] = max(bounds.get("unserved", 0), -reach["unserved"])
        bounds["first_choices"] = min(bounds.get("first_choices", math.inf),
                                      reach["first_choices"])
    return rows


def grid_table(rows: list[dict]) -> str:  # type: ignore[type-arg]
    """One line per cell, then how many cells meet each of issue 13's targets."""
    out = ["| shape | students (registered) | seed | first complete s | status | "
           "with none: CP-SAT / greedy / bound | first choice: CP-SAT / greedy | "
           "top 3: CP-SAT / greedy | unserved gap | first choices gap | peak MB (sum) |",
           "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        k, g = r["kpis"] or {}, r["greedy_kpis"] or {}
        goals, bounds = r["goals"], r["bounds"]
        out.append(
            f"| {r['shape']} | {r['students']:,} ({r['registered']:,}) | {r['seed']} | "
            f"{r['first_complete_s']} | {r['status']}"
            f"{' (constructive)' if r.get('source') == 'constructive' else ''} | "
            f"{_num(k.get('choosers_with_none'))} / {_num(g.get('choosers_with_none'))} / "
            f"{_num(bounds.get('unserved'))} | {_pct(k.get('first_choice_share'))} / "
            f"{_pct(g.get('first_choice_share'))} | {_pct(k.get('top3_share'))} / "
            f"{_pct(g.get('top3_share'))} | "
            f"{_pct(_gap(goals.get('unserved'), bounds.get('unserved')))} | "
            f"{_pct(_gap(goals.get('first_choices'), bounds.get('first_choices')))} | "
            f"{_memory(r)} |")
    out += ["", *_targets(rows)]
    return "\n".join(out)


def _targets(rows: list[dict]) -> list[str]:  # type: ignore[type-arg]
    """Issue 13's targets, counted over the cells measured."""
    def none(r: dict, key: str) -> float:  # type: ignore[type-arg]
        return float((r[key] or {}).get("choosers_with_none", math.inf))

    def first(r: dict, key: str) -> float:  # type: ignore[type-arg]
        return float((r[key] or {}).get("first_choice_share", 0.0))

    def within(r: dict, goal: str) -> bool:  # type: ignore[type-arg]
        gap = _gap(r["goals"].get(goal), r["bounds"].get(goal))
        return gap is not None and gap <= 0.02

    quick = sum(1 for r in rows if r["first_complete_s"] is not None
                and r["first_complete_s"] <= 10 and r["checker_ok"])
    never_more = sum(1 for r in rows if none(r, "kpis") <= none(r, "greedy_kpis"))
    ties = [r for r in rows if none(r, "kpis") == none(r, "greedy_kpis")]
    close = sum(1 for r in ties if first(r, "kpis") >= first(r, "greedy_kpis") - 0.02)
    big = [r for r in rows if r["students"] == 3000]
    near = sum(1 for r in big if within(r, "unserved") and within(r, "first_choices"))
    # The words, "the first two goals", are the contract's first two levels.
    first_two = sum(1 for r in big if within(r, "unserved") and within(r, "priority_served"))
    pairs: dict[tuple[str, int], list[float]] = {}
    for r in rows:
        registered = max(float((r["kpis"] or {}).get("choosers", 1.0)), 1.0)
        pairs.setdefault((r["shape"], r["students"]), []).append(none(r, "kpis") / registered)
    spread = [max(v) - min(v) for v in pairs.values() if len(v) > 1]
    heavy = [r.get("at_once_mb") or r["peak_mb"] for r in rows if r["students"] == 5000]
    summed = [r["peak_mb"] for r in rows if r["students"] == 5000 and r.get("at_once_mb")]
    return [
        f"- a complete checked schedule within 10 s: {quick} of {len(rows)} cells",
        f"- with none of their choices never more than the greedy: {never_more} of {len(rows)}",
        f"- where they tie on it, first choices no more than 2 points below the greedy: "
        f"{close} of {len(ties)}",
        f"- at 3,000 students, unserved and first choices within 2 % of the bound: "
        f"{near} of {len(big)}",
        f"- at 3,000 students, the first two goals (unserved, priority served) within 2 % "
        f"of the bound: {first_two} of {len(big)}",
        f"- two seeds of one shape and size differ in the share with none by at most "
        f"1 point: {sum(1 for d in spread if d <= 0.01)} of {len(spread)}",
        f"- peak memory at 5,000 students: {max(heavy, default=0):,} MB at most"
        + (f" held at once (the solve's and SCIP's separate peaks added: "
           f"{max(summed):,} MB at most)" if summed else ""),
    ]


def _pct(x: object) -> str:
    return "–" if x is None else f"{float(x):.1%}"  # type: ignore[arg-type]


def _num(x: object) -> str:
    return "–" if x is None else f"{float(x):,.0f}"  # type: ignore[arg-type]


def _gap(value: float | None, bound: float | None) -> float | None:
    """As Result.gap: |value - bound| / max(|value|, 1)."""
    if value is None or bound is None:
        return None
    return abs(value - bound) / max(abs(value), 1.0)


def table(rows: list[dict]) -> str:  # type: ignore[type-arg]
    out = [
        "| students (registered) | vars / constraints | build s | first feasible s | "
        "status | unserved (bound, gap) | priority served (bound, gap) | "
        "first choices (bound, gap) | choice points (bound, gap) | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = [f"{_num(r['goals'].get(goal))} ({_num(r['bounds'].get(goal))}, "
                 f"{_pct(_gap(r['goals'].get(goal), r['bounds'].get(goal)))})"
                 for goal in ("unserved", "priority_served", "first_choices",
                              "choice_points")]
        out.append(
            f"| {r['students']:,} ({r['registered']:,}) | {r['variables']:,} / "
            f"{r['constraints']:,} | {r['build_s']} | {r['first_feasible_s']} | "
            f"{r['status']} | " + " | ".join(cells) + f" | {r['peak_mb']} |"
        )
    out += ["", "Progress (the level being solved, its objective and bound, as CP-SAT "
            "maximizes: unserved appears negated):", "",
            "| students | at 10 s | at 30 s | at 60 s |", "|---|---|---|---|"]
    for r in rows:
        cells = []
        for at in CHECKPOINTS:
            c = r["checkpoints"].get(str(at))
            cells.append("–" if c is None else
                         f"{c['goal']}: {_num(c['value'])} / {_num(c['bound'])}")
        out.append(f"| {r['students']:,} | " + " | ".join(cells) + " |")
    out += ["", "Against the coordinator's greedy baseline (same school):", "",
            "| students | with none: CP-SAT / greedy | first choice: CP-SAT / greedy | "
            "top 3: CP-SAT / greedy | mean rank | teacher load max/mean | term cost yuan |",
            "|---|---|---|---|---|---|---|"]
    for r in rows:
        k, gk = r["kpis"] or {}, r["greedy_kpis"] or {}
        out.append(
            f"| {r['students']:,} | {_num(k.get('choosers_with_none'))} / "
            f"{_num(gk.get('choosers_with_none'))} | {_pct(k.get('first_choice_share'))} / "
            f"{_pct(gk.get('first_choice_share'))} | {_pct(k.get('top3_share'))} / "
            f"{_pct(gk.get('top3_share'))} | {k.get('mean_rank', 0):.2f} / "
            f"{gk.get('mean_rank', 0):.2f} | {_num(k.get('teacher_load_max'))}/"
            f"{k.get('teacher_load_mean', 0):.2f} | {_num(k.get('term_cost_yuan'))} |"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--shapes", nargs="+", default=None, help="default: every shape")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results"
                        / "grid.jsonl", help="JSON lines, one per cell (grid)")
    parser.add_argument("--resume", action="store_true", help="skip cells already in --out")
    parser.add_argument("--generated", action="store_true",
                        help="generate_school's schools by size instead of the grid")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--table", type=Path, metavar="JSON",
                        help="print the tables of an earlier run's file, solve nothing")
    parser.add_argument("--rebound", action="store_true",
                        help="with --table FILE.jsonl: judge the cells by this checkout's "
                             "bounds too (the tighter holds)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cell", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table:
        text = args.table.read_text()
        if args.table.suffix == ".jsonl":
            rows = [json.loads(line) for line in text.splitlines() if line]
            print(grid_table(rebound(rows) if args.rebound else rows))
        else:
            print(table(json.loads(text)))
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limit, args.workers)))
        return
    if args.cell:
        shape, size, seed = args.cell
        print(json.dumps(run_cell(shape, int(size), int(seed), args.time_limit,
                                  args.workers)))
        return
    if args.generated:
        _generated(args)
    else:
        _grid(args)


def _generated(args: argparse.Namespace) -> None:
    rows = []
    for size in args.sizes or SIZES:
        print(f"… {size} students", file=sys.stderr, flush=True)
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--time-limit",
             str(args.time_limit), "--workers", str(args.workers)],
            capture_output=True, text=True, check=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    print(table(rows))


def _grid(args: argparse.Namespace) -> None:
    from models.shapes import SHAPES

    shapes = args.shapes or list(SHAPES)
    done_cells: set[tuple[str, int, int]] = set()
    if args.resume and args.out.exists():
        done_cells = {(r["shape"], r["students"], r["seed"]) for r in
                      (json.loads(line) for line in args.out.read_text().splitlines() if line)}
    elif args.out.exists():
        args.out.unlink()
    # Smaller schools first: a run stopped early has whole sizes.
    for size in args.sizes or GRID_SIZES:
        for seed in args.seeds:
            for shape in shapes:
                if (shape, size, seed) in done_cells:
                    continue
                print(f"… {shape} {size} students seed {seed}", file=sys.stderr, flush=True)
                finished = subprocess.run(
                    [sys.executable, __file__, "--cell", shape, str(size), str(seed),
                     "--time-limit", str(args.time_limit), "--workers", str(args.workers)],
                    capture_output=True, text=True, check=False)
                if finished.returncode != 0:
                    print(finished.stderr[-2000:], file=sys.stderr)
                    continue
                with args.out.open("a", encoding="utf-8") as sink:
                    sink.write(finished.stdout.strip().splitlines()[-1] + "\n")
    rows = [json.loads(line) for line in args.out.read_text().splitlines() if line]
    print(grid_table(rows))


if __name__ == "__main__":
    main()
