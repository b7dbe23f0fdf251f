"""Sweeps on a real LocalCluster: the same KPIs as solving one by one, failures recorded
not fatal, resume skips finished pairs, and the ``sweep`` command end to end.

The schools are tiny (tests/factories.py), written as workbooks, and every solve is
deterministic (one thread, a fixed seed) and proven optimal in well under a second, so
equal KPIs mean the sweep changed nothing — not that two searches happened to agree.
One cluster of two worker processes serves the whole module and is shut down after it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from models.reader import read_school
from models.school import School, Student
from models.template import write_school
from optimizer.cli import Exit
from optimizer.commands.district import sweep as sweep_command
from optimizer.district.compare import KPI_COLUMNS, LOAD_COLUMNS, kpi_row
from optimizer.district.scenarios import apply_scenario, parse_scenarios, write_scenarios
from optimizer.district.sweep import (
    plan_workers,
    read_results,
    run_sweep,
    school_sources,
)
from optimizer.search.solve import Params, Result, Status, solve
from tests.factories import CHESS, FOOTBALL, STUDY, tiny_school

pytestmark = pytest.mark.timeout(300)

PARAMS = Params(time_limit=10, workers=1, seed=3, deterministic=True)
SCENARIOS = [
    {"name": "baseline"},
    {"name": "teachers max 1, a volunteer more", "teacher_max_periods_week": 1,
     "add_staff": {"role": "volunteer", "count": 1, "skills": "chess"}},
]
COMPARED = [c for c in (*KPI_COLUMNS, *LOAD_COLUMNS) if c != "wall_time_s"]
"""Everything a solve decides; the wall time is the one column allowed to differ."""


def tiny_variants() -> dict[str, School]:
    """Three tiny schools: as built, with two chess seats for six keen children (so the
    seeded lottery decides), and with children on three days, some leaving early."""
    school = tiny_school()
    scarce = dataclasses.replace(school, activities=(
        STUDY, dataclasses.replace(CHESS, max_size=2), FOOTBALL))
    students = tuple(
        Student(id=f"S{i}", name=f"Student {i}", grade=2 + i % 3, class_name=f"{2 + i % 3}-1",
                days=frozenset({i % 3, 1 + i % 3}), stay=1 + i % 2,
                choices=("FOOT", "CHESS") if i % 3 else ("CHESS",))
        for i in range(1, 9)
    )
    spread = dataclasses.replace(school, students=students)
    return {"tiny": school, "scarce": scarce, "spread": spread}


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    dask_client = Client(cluster)
    try:
        yield dask_client
    finally:
        dask_client.close()
        cluster.close()


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("schools")
    paths = {}
    for key, school in tiny_variants().items():
        paths[key] = folder / f"{key}.xlsx"
        write_school(paths[key], school)
    return paths


def test_sweep_gives_the_same_kpis_as_solving_one_by_one(client: object,
                                                         workbooks: dict[str, Path]) -> None:
    frame = run_sweep(workbooks, SCENARIOS, params=PARAMS, client=client)  # type: ignore[arg-type]
    assert list(zip(frame["school"], frame["scenario"], strict=True)) == [
        (school, s["name"]) for school in workbooks for s in SCENARIOS]
    assert frame["ok"].all(), frame[["school", "scenario", "status", "reason"]]
    scenarios = parse_scenarios(SCENARIOS)
    for _, row in frame.iterrows():
        scenario = next(s for s in scenarios if s.name == row["scenario"])
        school = apply_scenario(read_school(workbooks[row["school"]]), scenario)
        alone = solve(school, dataclasses.replace(PARAMS, workers=1))
        assert alone.status is Status.OPTIMAL  # so equality is about the sweep, not luck
        expected = kpi_row(alone)
        for column in COMPARED:
            assert row[column] == pytest.approx(expected[column], nan_ok=True), \
                (row["school"], row["scenario"], column)
    capped = frame[frame["scenario"] == SCENARIOS[1]["name"]]
    assert (capped["teacher_load_max"] <= 1).all()


def test_a_failing_school_is_recorded_not_fatal(client: object, workbooks: dict[str, Path],
                                                tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"this is not a workbook")
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    school = tiny_school()
    one_small_room = dataclasses.replace(
        school, activities=(STUDY,),
        rooms=tuple(dataclasses.replace(r, capacity=2) for r in school.rooms if r.id == "R1"))
    schools = {"tiny": workbooks["tiny"], "garbage": garbage, "empty": empty,
               "infeasible": one_small_room}
    scenarios = [{"name": "baseline"}, {"name": "no robots", "drop_vendor": "V-ROBO"}]
    frame = run_sweep(schools, scenarios, params=PARAMS, client=client)  # type: ignore[arg-type]
    rows = frame.set_index(["school", "scenario"])
    assert rows.loc[("tiny", "baseline"), "status"] == "optimal"
    assert rows.loc[("tiny", "baseline"), "ok"]
    assert rows.loc[("tiny", "no robots"), "status"] == "invalid scenario"
    assert "unknown vendor 'V-ROBO'" in rows.loc[("tiny", "no robots"), "reason"]
    for scenario in ("baseline", "no robots"):
        assert rows.loc[("garbage", scenario), "status"] == "invalid school"
        assert "is not an Excel .xlsx workbook" in rows.loc[("garbage", scenario), "reason"]
        assert rows.loc[("empty", scenario), "status"] == "invalid school"
        assert "sheet 'School' is missing" in rows.loc[("empty", scenario), "reason"]
    assert rows.loc[("infeasible", "baseline"), "status"] == "infeasible"
    assert "hold 2" in rows.loc[("infeasible", "baseline"), "reason"]
    assert (~frame["ok"]).sum() == 7  # all but tiny × baseline
    assert frame.loc[~frame["ok"], "first_choice_share"].isna().all()


def test_no_schedule_in_time_is_a_timeout_with_its_reason() -> None:
    row = kpi_row(Result(Status.NO_SOLUTION, None, Params(time_limit=3)))
    assert (row["status"], row["ok"]) == ("no solution", False)
    assert row["reason"] == "no schedule found within the time limit (3 s)"


def test_resume_skips_finished_pairs(client: object, workbooks: dict[str, Path],
                                     tmp_path: Path) -> None:
    output = tmp_path / "results.xlsx"
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"nope")
    schools = {**workbooks, "garbage": garbage}
    first = run_sweep(schools, SCENARIOS, params=PARAMS, output=output,
                      client=client)  # type: ignore[arg-type]
    assert output.exists()
    assert output.with_suffix(".parquet").exists()
    assert len(first) == 8

    def rerun(scenarios: list[dict[str, object]], params: Params = PARAMS, **options: object
              ) -> tuple[pd.DataFrame, list[tuple[int, int]], list[tuple[str, str]]]:
        starts: list[tuple[int, int]] = []
        solved: list[tuple[str, str]] = []
        frame = run_sweep(schools, scenarios, params=params, output=output,
                          client=client,  # type: ignore[arg-type]
                          on_start=lambda todo, skipped: starts.append((todo, skipped)),
                          on_result=lambda row: solved.append((str(row["school"]),
                                                               str(row["scenario"]))),
                          **options)  # type: ignore[arg-type]
        return frame, starts, solved

    again, starts, solved = rerun(SCENARIOS)
    assert starts == [(0, 8)]
    assert solved == []
    pd.testing.assert_frame_equal(again, first)
    # Same name, new content: only that scenario's pairs; a new scenario: only its pairs.
    changed = [SCENARIOS[0], {**SCENARIOS[1], "teacher_max_periods_week": 2},
               {"name": "study ratio 3", "study_ratio": 3}]
    third, starts, solved = rerun(changed)
    assert starts == [(8, 4)]
    assert sorted(solved) == sorted((school, s["name"]) for school in schools
                                    for s in changed[1:])
    assert len(third) == 12
    assert third["scenario_digest"].nunique() == 3
    # The failed pairs are kept as answers, unless asked to retry them.
    _, starts, solved = rerun(changed)
    assert starts == [(0, 12)]
    _, starts, solved = rerun(changed, retry_failed=True)
    assert starts == [(3, 9)]
    assert {school for school, _ in solved} == {"garbage"}
    # Other solve settings are other answers: everything is solved again.
    _, starts, _ = rerun(changed[:1], params=dataclasses.replace(PARAMS, time_limit=11))
    assert starts == [(4, 0)]
    # What is on disk is what the last run returned.
    on_disk = read_results(output)
    assert len(on_disk) == 12
    assert set(on_disk.loc[on_disk["scenario"] == "baseline", "time_limit"]) == {11.0}
    assert read_results(output.with_suffix(".parquet"))["status"].tolist() \
        == on_disk["status"].tolist()
    book = openpyxl.load_workbook(output, read_only=True)
    assert book.sheetnames == ["Results", "District", "Scenarios"]


@pytest.mark.parametrize(("cores", "tasks", "workers", "threads", "expected"), [
    (2, 40, None, None, (2, 1)),   # many small solves: one per core
    (12, 3, None, None, (3, 4)),   # few schools: the spare cores become threads
    (8, 40, None, 4, (2, 4)),      # threads asked for: as many workers as fit
    (8, 1, None, 1, (1, 1)),       # never more workers than work
    (8, 40, 3, None, (3, 2)),      # workers asked for: the cores shared out
    (4, 10, 4, 4, (4, 1)),         # both, too many: threads cut so workers × threads ≤ cores
    (1, 5, None, None, (1, 1)),
])
def test_plan_workers_never_oversubscribes(cores: int, tasks: int, workers: int | None,
                                           threads: int | None,
                                           expected: tuple[int, int]) -> None:
    planned = plan_workers(cores, tasks, workers, threads)
    assert planned == expected
    assert planned[0] * planned[1] <= cores


def test_school_sources_expand_folders(tmp_path: Path) -> None:
    for name in ("b.xlsx", "a.xlsx", "~$a.xlsx", ".hidden.xlsx", "results.xlsx", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    found = school_sources([tmp_path], exclude=[tmp_path / "results.xlsx"])
    assert list(found) == ["a", "b"]
    other = tmp_path / "more"
    other.mkdir()
    (other / "a.xlsx").write_bytes(b"")
    with pytest.raises(ValueError, match="two schools are named 'a'"):
        school_sources([tmp_path, other])


def test_sweep_command(tmp_path: Path, workbooks: dict[str, Path]) -> None:
    folder = tmp_path / "schools"
    folder.mkdir()
    for key in ("tiny", "scarce"):
        (folder / f"{key}.xlsx").write_bytes(workbooks[key].read_bytes())
    scenarios = tmp_path / "scenarios.xlsx"
    write_scenarios(scenarios, SCENARIOS)
    output = tmp_path / "out" / "results.xlsx"
    args = [str(folder), "--scenarios", str(scenarios), "-o", str(output), "--time-limit", "10",
            "--deterministic", "--seed", "3", "--n-workers", "1"]
    first = CliRunner().invoke(sweep_command, args)
    assert first.exit_code == Exit.OK, first.output
    assert "4 to solve" in first.stderr
    assert "4 pair(s), 4 with a schedule, 0 failed" in first.stdout
    frame = read_results(output)
    assert frame["ok"].all()
    assert set(frame["threads"]) == {1.0}
    again = CliRunner().invoke(sweep_command, args)
    assert again.exit_code == Exit.OK, again.output
    assert "0 to solve, 4 already in results.xlsx" in again.stderr
    (folder / "broken.xlsx").write_bytes(b"nope")
    failed = CliRunner().invoke(sweep_command, [*args, "-q"])
    assert failed.exit_code == Exit.SOME_FAILED, failed.output
    assert "broken × baseline: invalid school" in failed.stderr


def test_sweep_command_refuses_bad_scenarios_before_solving(tmp_path: Path,
                                                            workbooks: dict[str, Path]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scenarios"
    sheet.append(["name", "budget_per_student_year"])
    sheet.append(["cheap", "some"])
    scenarios = tmp_path / "bad.xlsx"
    book.save(scenarios)
    output = tmp_path / "results.xlsx"
    result = CliRunner().invoke(sweep_command, [str(workbooks["tiny"]), "--scenarios",
                                                str(scenarios), "-o", str(output)])
    assert result.exit_code == Exit.INVALID
    assert "Scenarios, row 2, column budget_per_student_year ('some')" in result.stderr
    assert not output.exists()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("results.csv", None, "an .xlsx or .parquet file"),
    ("results.xlsx", b"not a workbook", "holds no sweep results that can be read"),
])
def test_sweep_refuses_an_output_that_is_not_its_own(tmp_path: Path, workbooks: dict[str, Path],
                                                     name: str, content: bytes | None,
                                                     message: str) -> None:
    output = tmp_path / name
    if content is not None:
        output.write_bytes(content)
    result = CliRunner().invoke(sweep_command, [str(workbooks["tiny"]), "-o", str(output)])
    assert result.exit_code == Exit.INVALID
    assert message in result.stderr
    if content is not None:
        assert output.read_bytes() == content  # never overwritten
