"""Benchmark: ``schedule advise`` on school workbooks — what binds, the top suggestions with
their verified effect, and the time taken.

    python benchmarks/advise.py sample_data/medium_primary.xlsx sample_data/large_nine_year.xlsx
    python benchmarks/advise.py sample_data/small_primary.xlsx --time-limit 10 --candidates 3

Each school is advised as the command does it (one worker, deterministic time, the given
seed): a baseline solve, then one solve per change tried. Prints a markdown table per
school (paste it into docs/benchmarks.md). Not part of the tests.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import checkout  # noqa: F401  (this checkout's code, not an installed copy)

ROOT = Path(__file__).resolve().parent.parent


def advise_one(path: Path, time_limit: float, candidates: int, seed: int) -> list[str]:
    """Advise one school; the lines of its markdown section."""
    from dataclasses import replace

    from models.reader import read_school
    from optimizer.explain.advise import advise, deterministic
    from optimizer.search.levels import school_levels
    from optimizer.search.result import Params

    school = read_school(path)
    params = deterministic(Params(time_limit=time_limit, seed=seed))
    params = replace(params, levels=school_levels(school.settings, None))
    started, cpu = time.monotonic(), time.process_time()
    advice = advise(school, params, candidates=candidates,
                    progress=lambda text: sys.stderr.write(f"  {path.name}: {text}\n"))
    wall, used = time.monotonic() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base = advice.baseline
    lines = [f"### {path.name}: {len(school.registered_students):,} registered, seed {seed}, "
             f"{time_limit:g} units a solve",
             "",
             f"Baseline ({base.status}): {base.with_none} of {advice.num_choosers:,} children "
             f"with choices have none, {advice.below_first} below their first choice. "
             f"{1 + len(advice.suggestions)} solves in {wall:.0f} s wall, {used:.0f} s CPU, "
             f"peak {peak:.0f} MB.",
             "",
             "| limit | activity | children held back |", "|---|---|---:|"]
    lines += [f"| {x.kind} | {x.activity_name} | {x.children} |" for x in advice.limits[:8]]
    lines += ["", "| rank | change | children with a choice | first choices | cost (yuan a "
              "term) | solve |", "|---:|---|---:|---:|---:|---|"]
    lines += [f"| {n} | {s.scenario.name} | {s.children_gained:+d} | "
              f"{s.first_choices_gained:+d} | {s.cost_change_fen / 100:+,.0f} | "
              f"{s.measured.status}, {s.measured.wall_time:.0f} s |"
              for n, s in enumerate(advice.suggestions, start=1)]
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("schools", nargs="*", type=Path, default=[
        ROOT / "sample_data" / "medium_primary.xlsx",
        ROOT / "sample_data" / "large_nine_year.xlsx"])
    parser.add_argument("--time-limit", type=float, default=20)
    parser.add_argument("--candidates", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for path in args.schools:
        sys.stdout.write("\n".join(advise_one(path, args.time_limit, args.candidates,
                                              args.seed)) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
