"""Benchmark: generated schools of fixed sizes and seeds, CP-SAT against the greedy baseline.

    python benchmarks/run.py                      # 300, 1500, 3000, 5000 students, 60 s
    python benchmarks/run.py --sizes 300 --time-limit 20

Each size runs in its own process so peak memory is that solve's own. Prints a
markdown table (paste it into docs/benchmarks.md) and, with --json, the raw
figures. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES = (300, 1500, 3000, 5000)
SEED = 1
CHECKPOINTS = (10.0, 30.0, 60.0)


def run_one(num_students: int, time_limit: float, workers: int) -> dict[str, object]:
    """Generate, solve, check and compare one school; runs inside a fresh process."""
    from models.check import check
    from models.sample import generate_school
    from optimizer.greedy import greedy_schedule
    from optimizer.solve import Params, build_model, solve

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
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


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
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--table", type=Path, metavar="JSON",
                        help="print the tables of an earlier run's --json file, solve nothing")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())))
        return
    if args.one:
        print(json.dumps(run_one(args.one, args.time_limit, args.workers)))
        return
    rows = []
    for size in args.sizes:
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


if __name__ == "__main__":
    main()
