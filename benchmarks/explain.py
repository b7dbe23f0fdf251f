"""Benchmark: how long an explanation of an impossible school takes, and how big its set is.

    python benchmarks/explain.py                       # 300, 1500, 3000 × every variant
    python benchmarks/explain.py --sizes 300 --variants ratio rooms

Each school is ``generate_school(N, seed=1)`` (feasible by construction) made impossible
one way (``VARIANTS``); each row is appended to a JSON-lines file as it ends (``--out``,
default benchmarks/results/explain.jsonl) and printed as a markdown table row for
docs/benchmarks.md. Not part of the tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path

import checkout  # noqa: F401  (this checkout's code, not an installed copy)

from models.sample import generate_school
from models.school import School
from optimizer.explain.infeasible import explain_infeasible


def _ratio(school: School) -> School:
    """study_ratio 8: five times the supervisors of the usual 40."""
    return dataclasses.replace(school, info=dataclasses.replace(school.info, study_ratio=8))


def _rooms(school: School) -> School:
    """A third of the study rooms (the study activities' room type) taken away."""
    study_types = {a.room_type for a in school.study_activities}
    of_type = [r for r in school.rooms if r.type in study_types]
    gone = {r.id for r in of_type[: max(1, len(of_type) * 2 // 3)]}
    return dataclasses.replace(school, rooms=tuple(r for r in school.rooms if r.id not in gone))


def _supervisors(school: School) -> School:
    """Every staff member's weekly limit cut to 2 class hours."""
    return dataclasses.replace(school, staff=tuple(
        dataclasses.replace(p, max_periods_week=min(p.max_periods_week, 2))
        for p in school.staff))


def _budget(school: School) -> School:
    """A tenth of the budget, with every in-service teacher paid 50 yuan a class hour."""
    info = dataclasses.replace(school.info,
                               budget_per_student_year=school.info.budget_per_student_year // 10)
    return dataclasses.replace(school, info=info, staff=tuple(
        dataclasses.replace(p, pay_per_period=max(p.pay_per_period, 50_00))
        for p in school.staff))


def _closed(school: School) -> School:
    """Every study room closed on Wednesday's first period (rooms the timetable needs,
    made unavailable), the way rooms booked for an exam are."""
    study_types = {a.room_type for a in school.study_activities}
    of_type = [r for r in school.rooms if r.type in study_types]
    closed = {r.id for r in of_type}
    return dataclasses.replace(school, rooms=tuple(
        dataclasses.replace(r, unavailable=r.unavailable | {(2, 1)}) if r.id in closed else r
        for r in school.rooms))


VARIANTS: dict[str, Callable[[School], School]] = {
    "ratio": _ratio, "rooms": _rooms, "supervisors": _supervisors, "budget": _budget,
    "closed": _closed,
}


def run(size: int, variant: str, time_limit: float, workers: int) -> dict[str, object]:
    school = VARIANTS[variant](generate_school(size, seed=1))
    started = time.monotonic()
    explanation = explain_infeasible(school, time_limit=time_limit, workers=workers)
    return {"students": size, "variant": variant, "verdict": explanation.verdict.value,
            "causes": [f"{c.fact.sheet}:{c.fact.column}"
                       + (f"×{c.together}" if c.together > 1 else "")
                       for c in explanation.causes],
            "minimal": explanation.minimal, "facts": explanation.num_facts,
            "solves": explanation.num_solves, "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1500, 3000])
    parser.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/explain.jsonl"))
    args = parser.parse_args()
    for size in args.sizes:
        for variant in args.variants:
            row = run(size, variant, args.time_limit, args.workers)
            with args.out.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            causes = ", ".join(str(c) for c in row["causes"]) or "–"  # type: ignore[attr-defined]
            print(f"| {size:,} | {variant} | {row['verdict']} | {causes} | {row['minimal']} | "
                  f"{row['solves']} | {row['seconds']} |", flush=True)


if __name__ == "__main__":
    main()
