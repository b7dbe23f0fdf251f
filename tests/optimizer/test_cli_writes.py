"""Every command's output reaches the disk or the command says exactly why not: locked,
the input itself, a full disk everywhere — each without a traceback."""

from __future__ import annotations

import builtins
import errno
from pathlib import Path

import pytest
from click.testing import CliRunner

import optimizer.outputs.export
from models.check import check
from models.reader import read_school
from models.schedule_io import read_schedule
from models.template import write_school
from optimizer.cli import Exit, main
from optimizer.outputs import safe_write
from tests.factories import tiny_school
from tests.optimizer.helpers import copied


@pytest.fixture
def solved(tiny_solved_once: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """(school workbook, its schedule workbook), this test's own copies."""
    return copied(tiny_solved_once, tmp_path)


def _locked(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Opening ``path`` for writing fails, as Windows fails it for a file open in Excel."""
    real_open = builtins.open

    def fake_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if Path(str(file)) == path and mode != "r":
            raise PermissionError(errno.EACCES, "The process cannot access the file", file)
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(safe_write, "open", fake_open, raising=False)


def test_solve_with_its_output_open_in_excel_writes_beside_it(
        solved: tuple[Path, Path], spare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    school_path, out = solved
    before = out.read_bytes()
    _locked(monkeypatch, out)
    result = CliRunner().invoke(main, ["solve", str(school_path), "-o", str(out), "--time-limit",
                                       "5", "--workers", "1", "--seed", "2", "--quiet"])
    assert result.exit_code == Exit.OK, result.output
    beside = out.with_name("tiny-schedule (2).xlsx")
    assert (f"note: Wrote {beside} instead of {out}, because tiny-schedule.xlsx is open in "
            "another program or read-only.") in result.output
    assert out.read_bytes() == before
    school = read_school(school_path)
    assert check(school, read_schedule(beside, school)).ok
    assert "Traceback" not in result.output


def test_solve_that_can_write_nowhere_says_why_and_exits_8(
        solved: tuple[Path, Path], spare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    school_path, out = solved
    before = out.read_bytes()

    def full_disk(path: Path, *args: object, **kwargs: object) -> Path:
        Path(path).write_bytes(b"half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(optimizer.outputs.export, "write_report", full_disk)
    result = CliRunner().invoke(main, ["solve", str(school_path), "-o", str(out), "--time-limit",
                                       "5", "--workers", "1", "--seed", "2", "--quiet"])
    assert result.exit_code == Exit.NOT_WRITTEN, result.output
    assert (f"error: tiny-schedule.xlsx could not be written anywhere: writing in "
            f"{out.parent} failed (the disk is full); writing in {spare} failed (the disk "
            "is full).") in result.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["tiny.xlsx", "tiny-schedule.xlsx", "spare"])
    assert list(spare.iterdir()) == []
    assert "Traceback" not in result.output


def test_print_with_its_pdf_open_writes_beside_it(
        solved: tuple[Path, Path], spare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, schedule = solved
    pdf = schedule.with_name("tiny-schedule-rosters.pdf")
    pdf.write_bytes(b"the old rosters")
    _locked(monkeypatch, pdf)
    result = CliRunner().invoke(main, ["print", str(schedule)])
    assert result.exit_code == Exit.OK, result.output
    beside = schedule.with_name("tiny-schedule-rosters (2).pdf")
    assert f"wrote {beside}" in result.output
    assert "is open in another program or read-only" in result.output
    assert pdf.read_bytes() == b"the old rosters"
    assert beside.read_bytes().startswith(b"%PDF")


def test_print_to_its_own_schedule_never_overwrites_it(solved: tuple[Path, Path],
                                                       spare: Path) -> None:
    _, schedule = solved
    before = schedule.read_bytes()
    result = CliRunner().invoke(main, ["print", str(schedule), "-o", str(schedule)])
    assert result.exit_code == Exit.USAGE, result.output  # a PDF is named .pdf
    assert schedule.read_bytes() == before
    pdf = schedule.with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.4 a roster someone kept")
    result = CliRunner().invoke(main, ["print", str(schedule), "-o", str(pdf)])
    assert result.exit_code == Exit.OK, result.output  # a PDF may replace a PDF
    assert schedule.read_bytes() == before


def test_report_onto_the_school_workbook_writes_beside_it(solved: tuple[Path, Path],
                                                          spare: Path) -> None:
    school_path, schedule = solved
    before = school_path.read_bytes()
    result = CliRunner().invoke(main, ["report", str(school_path), str(schedule), "-o",
                                       str(school_path)])
    assert result.exit_code == Exit.OK, result.output
    assert school_path.read_bytes() == before
    beside = school_path.with_name("tiny (2).xlsx")
    assert f"wrote {beside}" in result.output
    school = read_school(school_path)
    assert check(school, read_schedule(beside, school)).ok


def test_a_folder_given_as_the_output_gets_the_default_name_inside(tmp_path: Path,
                                                                   spare: Path) -> None:
    folder = tmp_path / "term"
    folder.mkdir()
    result = CliRunner().invoke(main, ["template", str(folder)])
    assert result.exit_code == Exit.OK, result.output
    assert f"wrote {folder / 'school-template.xlsx'}" in result.output
    assert (folder / "school-template.xlsx").read_bytes().startswith(b"PK")  # a zip: .xlsx


@pytest.mark.slow
def test_two_real_solves_writing_one_name_at_once_both_keep_a_whole_schedule(
        tmp_path: Path) -> None:
    """Two coordinators (or a batch file run twice) solve to the same name at the same
    moment: each ends with a whole, checked workbook, never one interleaved file."""
    import subprocess
    import sys

    school_path = tmp_path / "tiny.xlsx"
    write_school(school_path, tiny_school())
    out = tmp_path / "shared.xlsx"
    command = [sys.executable, "-m", "optimizer.cli", "solve", str(school_path), "-o",
               str(out), "--time-limit", "3", "--workers", "1", "--seed", "1", "--quiet"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [Exit.OK, Exit.OK], outputs
    written = sorted(p for p in tmp_path.glob("shared*.xlsx"))
    assert out in written
    school = read_school(school_path)
    for path in written:
        assert check(school, read_schedule(path, school)).ok, path
    # The one that found the name taken wrote beside it and said where; or both
    # wrote the same name in turn, each file whole.
    if len(written) == 2:
        assert any("shared (2).xlsx" in text for text in outputs), outputs
