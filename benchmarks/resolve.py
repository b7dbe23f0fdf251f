"""Benchmark: a mid-term change, re-solved from the schedule in force and solved afresh.

    python benchmarks/resolve.py                       # the bundled 3,000-student school, 60 s
    python benchmarks/resolve.py --school sample_data/small_primary.xlsx --time-limit 20

On the school: solve (the schedule in force); then change the school as issue 17 says —
two in-service teachers who lead sections leave, one vendor's contract ends, 50
children join and 40 leave, one room closes for a whole day — with fixed seeds
(``CHANGE_SEED``); then ``resolve`` from the schedule in force and, for comparison, a
fresh solve of the changed school, each with the same time limit and seed. Every
schedule is checked by the independent checker. Prints a markdown table (paste it into
docs/benchmarks.md). Not part of the tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time
from dataclasses import replace
from pathlib import Path

import checkout  # noqa: F401  (this checkout's code, not an installed copy)

from models.check import check
from models.previous import Previous, moves
from models.reader import read_school
from models.schedule import Schedule
from models.school import TEACHER, School, Student
from optimizer.search.resolve import resolve, resolve_levels
from optimizer.search.result import Params, Result
from optimizer.search.solve import solve

SCHOOL = Path(__file__).resolve().parent.parent / "sample_data" / "large_nine_year.xlsx"
SEED = 1
"""The solver's seed, for all three solves."""
CHANGE_SEED = 17
"""Which teachers, vendor, children and room the change picks."""
JOIN, LEAVE, CLOSED_DAY = 50, 40, 2  # Wednesday


def change(school: School, schedule: Schedule, rng: random.Random) -> tuple[School, list[str]]:
    """The issue's change, and what it was in words."""
    leading = sorted({t for s in schedule.sections for m in s.meetings for t in m.staff_ids
                      if school.staff_by_id[t].role == TEACHER
                      and not school.activity_by_id[s.activity_id].is_study})
    gone = set(rng.sample(leading, 2))
    used = {school.activity_by_id[s.activity_id].provider for s in schedule.sections}
    vendor = rng.choice(sorted(v.id for v in school.vendors if v.id in used))
    vendors = tuple(replace(v, contract_until=school.info.term_start) if v.id == vendor else v
                    for v in school.vendors)
    rooms_used = sorted({m.room_id for s in schedule.sections for m in s.meetings
                         if not school.activity_by_id[s.activity_id].is_study})
    room = rng.choice(rooms_used)
    rooms = tuple(replace(r, unavailable=r.unavailable | {(CLOSED_DAY, 1), (CLOSED_DAY, 2)})
                  if r.id == room else r for r in school.rooms)
    registered = [s for s in school.students if s.days]
    leaving = {s.id for s in rng.sample(registered, LEAVE)}
    joining = [_newcomer(rng.choice(registered), n) for n in range(1, JOIN + 1)]
    students = (*(s for s in school.students if s.id not in leaving), *joining)
    changed = replace(school, staff=tuple(p for p in school.staff if p.id not in gone),
                      vendors=vendors, rooms=rooms, students=students)
    said = [f"teachers {', '.join(sorted(gone))} leave", f"vendor {vendor}'s contract ends",
            f"{JOIN} children join, {LEAVE} leave", f"room {room} closed on Wednesdays"]
    return changed, said


def _newcomer(like: Student, n: int) -> Student:
    """A child who joins: a classmate's grade, days and choices, an id of their own."""
    return dataclasses.replace(like, id=f"NEW{n:03d}", name=f"新生{n:03d}")


def weeks_changed(previous: Schedule, schedule: Schedule, school: School) -> int:
    """Children (still registered) whose chosen activities' days and times changed: a
    measure that does not depend on section ids."""
    def week(plan: Schedule) -> dict[str, set[tuple[object, ...]]]:
        found: dict[str, set[tuple[object, ...]]] = {}
        for section in plan.sections:
            if school.activity_by_id.get(section.activity_id, None) is None or \
                    school.activity_by_id[section.activity_id].is_study:
                continue
            for student in section.student_ids:
                found.setdefault(student, set()).update(
                    (section.activity_id, m.day, m.start) for m in section.meetings)
        return found

    before, after = week(previous), week(schedule)
    stayed = {s.id for s in school.students if s.days}
    return sum(1 for s in before if s in stayed and before[s] != after.get(s, set()))


def row(name: str, school: School, previous: Schedule, result: Result, seconds: float
        ) -> dict[str, object]:
    schedule = result.schedule
    assert schedule is not None, f"{name}: no schedule ({result.status})"
    report = check(school, schedule, seed=SEED, previous=previous)
    assert report.ok, report.summary()
    moved = moves(school, previous, schedule)
    bound = result.bounds.get("children_moved")
    return {
        "run": name,
        "children moved needlessly": moved.children_moved,
        "proven lower bound": "–" if bound is None else round(bound),
        "moved: place gone": moved.children_forced,
        "weeks changed": weeks_changed(previous, schedule, school),
        "sections moved": len(moved.sections),
        "without a place": report.goals["unserved"],
        "first-choice share": f"{report.kpis['first_choice_share']:.1%}",
        "status": result.status.value,
        "time (s)": round(seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--school", type=Path, default=SCHOOL)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    params = Params(time_limit=args.time_limit, workers=args.workers, seed=SEED)
    school = read_school(args.school)
    started = time.monotonic()
    first = solve(school, params)
    assert first.schedule is not None
    assert first.report is not None
    assert first.report.ok
    print(f"schedule in force: {first.status.value} in {time.monotonic() - started:.1f}s, "
          f"{first.report.goals['unserved']} without a place")
    changed, said = change(school, first.schedule, random.Random(CHANGE_SEED))
    print("change: " + "; ".join(said))
    previous = Previous(first.schedule)
    started = time.monotonic()
    again = resolve(changed, previous, replace(params, levels=resolve_levels(changed.settings)))
    resolved_s = time.monotonic() - started
    started = time.monotonic()
    fresh = solve(changed, params)
    fresh_s = time.monotonic() - started
    rows = [row("resolve", changed, first.schedule, again.result, resolved_s),
            row("fresh solve", changed, first.schedule, fresh, fresh_s)]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for found in rows:
        print("| " + " | ".join(str(found[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
