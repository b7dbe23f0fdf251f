"""Ctrl-C at any moment of a real ``schedule solve``: while reading, in the levels, in the
placement program, while writing, and twice. Once a checked schedule exists it is
written (exit 0, saying it was interrupted and at which goal); before that, nothing is
written and the exit is 130; a second press ends the command at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from models.check import check
from models.reader import read_school
from models.schedule_io import read_schedule
from optimizer.cli import Exit

ROOT = Path(__file__).resolve().parents[2]
SCHOOL = ROOT / "sample_data" / "small_primary.xlsx"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")]


_MARK_PLACEMENT = """
import sys, time
import optimizer.search.tactics as tactics
from optimizer.cli import main

placed_again = tactics.place_again

def marked(*args, **kwargs):
    # Say when the placement program starts, and give the test a moment to press Ctrl-C.
    print("placing the children again", file=sys.stderr, flush=True)
    time.sleep(0.5)
    return placed_again(*args, **kwargs)

tactics.place_again = marked
main(sys.argv[1:], prog_name="schedule")
"""
"""``schedule solve`` whose placement program says when it starts (test-only)."""

_SLOW_BUILDING = """
import sys, threading, time
import optimizer.console.interrupts as interrupts
import optimizer.model.rules as rules
from optimizer.cli import main

first, second, *_ = rules.HARD_RULES
adding_first, adding_second = rules.HARD_RULES[first], rules.HARD_RULES[second]
pressed = threading.Event()
press = interrupts.CtrlC.pressed

def heard(self):
    press(self)
    pressed.set()

def marked(*args, **kwargs):
    # Says the model is being built, and waits for Ctrl-C (however late it comes).
    print("building the model", file=sys.stderr, flush=True)
    pressed.wait(60)
    return adding_first(*args, **kwargs)

def slow(*args, **kwargs):
    # A rule that takes seconds, as some do at 5,000 students.
    time.sleep(5)
    return adding_second(*args, **kwargs)

interrupts.CtrlC.pressed = heard
rules.HARD_RULES[first], rules.HARD_RULES[second] = marked, slow
main(sys.argv[1:], prog_name="schedule")
"""
"""``schedule solve`` whose model says when it is being built, and takes long (test-only)."""

_SLOW_READING = """
import sys, time
import models.reader
from optimizer.cli import main

read_school = models.reader.read_school

def slow(*args, **kwargs):
    # A big workbook takes seconds to read; this one is made to, so that Ctrl-C surely
    # comes while it is read (on a busy machine the real read may be over first).
    print("reading slowly", file=sys.stderr, flush=True)
    time.sleep(5)
    return read_school(*args, **kwargs)

models.reader.read_school = slow
main(sys.argv[1:], prog_name="schedule")
"""


class _Solve:
    """``schedule solve`` in a subprocess, its stderr read as it comes."""

    def __init__(self, out: Path, *extra: str, limit: float = 20,
                 program: tuple[str, ...] = ("-m", "optimizer.cli")) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, *program, "solve", str(SCHOOL), "-o", str(out),
             "--time-limit", str(limit), "--workers", "1", "--seed", "3", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.err = ""
        self._lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._lines.append(line)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in "".join(self._lines):
                return
            time.sleep(0.02)
        raise AssertionError(f"{text!r} never came: {''.join(self._lines)}")

    def interrupt(self) -> float:
        self.process.send_signal(signal.SIGINT)
        return time.monotonic()

    def finish(self) -> tuple[int, str, str]:
        assert self.process.stdout is not None
        out = self.process.stdout.read()  # stderr is the reader thread's alone
        self.process.wait(timeout=120)
        self._reader.join(timeout=10)
        return self.process.returncode, out, "".join(self._lines)


def _checked(out: Path) -> None:
    school = read_school(SCHOOL)
    assert check(school, read_schedule(out, school)).ok


def _no_partial_files(folder: Path, out: Path) -> None:
    visible = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
    assert out.name not in visible or out.stat().st_size > 0


def test_ctrl_c_while_reading_writes_nothing_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    solve = _Solve(out, program=("-c", _SLOW_READING))
    solve.wait_for("reading slowly")
    pressed = solve.interrupt()
    code, _, err = solve.finish()
    assert code == Exit.INTERRUPTED, err
    assert time.monotonic() - pressed < 4  # not the 5 s the reading would take
    assert "Interrupted before the first schedule was found; nothing was written." in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("after", [0.0, 1.5, 4.0])
def test_ctrl_c_during_the_search_writes_the_best_checked_schedule(
        tmp_path: Path, after: float) -> None:
    out = tmp_path / "out.xlsx"
    solve = _Solve(out)
    solve.wait_for("constructive")
    time.sleep(after)
    pressed = solve.interrupt()
    solve.wait_for("writing")
    stopped_in = time.monotonic() - pressed
    code, stdout, err = solve.finish()
    assert code == Exit.OK, err
    assert stopped_in < 3, err  # the search stops within about a second
    assert "Ctrl-C: stopping the search" in err
    # during a goal's level, or before the first (the restarts may still be at work)
    assert ("interrupted during goal " in stdout
            or "interrupted during the preparation of the search" in stdout), stdout
    assert "Traceback" not in err
    _checked(out)


def _pressed_when(said: str, program: str, out: Path) -> tuple[str, str]:
    """Ctrl-C once ``program`` (a ``schedule solve``) says ``said``: it must stop within
    3 s, write the best checked schedule and exit 0; its stdout and stderr."""
    solve = _Solve(out, program=("-c", program))
    solve.wait_for(said)
    pressed = solve.interrupt()
    solve.wait_for("writing")
    stopped_in = time.monotonic() - pressed
    code, stdout, err = solve.finish()
    assert code == Exit.OK, err
    assert stopped_in < 3, err
    assert "Traceback" not in err
    _checked(out)
    return stdout, err


def test_ctrl_c_while_the_model_is_built_writes_the_constructive_schedule(
        tmp_path: Path) -> None:
    # within 3 s: not after the slow rule and the rest of the model
    stdout, _ = _pressed_when("building the model", _SLOW_BUILDING, tmp_path / "out.xlsx")
    assert "interrupted during the preparation of the search" in stdout


def test_ctrl_c_in_the_placement_program_writes_the_best_checked_schedule(
        tmp_path: Path) -> None:
    stdout, _ = _pressed_when("placing the children again", _MARK_PLACEMENT,
                              tmp_path / "out.xlsx")
    assert "interrupted during goal " in stdout


def test_ctrl_c_while_writing_finishes_the_write(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    # What is written is the point, not how long it was searched for: a short limit.
    solve = _Solve(out, "--pdf", limit=1.5)
    solve.wait_for("writing")
    solve.interrupt()
    code, stdout, err = solve.finish()
    assert code == Exit.OK, err
    assert "interrupted" not in stdout  # the search had ended: nothing was cut short
    assert "Ctrl-C: finishing the write" in err
    _checked(out)
    for kind in ("rosters", "classes", "staff"):
        assert out.with_name(f"out-{kind}.pdf").stat().st_size > 0


def test_a_second_ctrl_c_stops_at_once_and_keeps_the_previous_file(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"the previous schedule")
    solve = _Solve(out)
    solve.wait_for("constructive")
    time.sleep(1.0)
    solve.interrupt()
    time.sleep(0.2)
    pressed = solve.interrupt()
    code, _, err = solve.finish()
    assert code == Exit.INTERRUPTED, err
    assert time.monotonic() - pressed < 3
    assert "Ctrl-C again: stopped at once" in err
    assert out.read_bytes() == b"the previous schedule"
    _no_partial_files(tmp_path, out)


def test_a_kill_while_writing_keeps_the_previous_file_and_the_next_run_cleans_up(
        tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"the previous schedule")
    solve = _Solve(out, "--pdf", limit=1.5)
    solve.wait_for("writing")
    time.sleep(0.1)  # into the write
    solve.process.send_signal(signal.SIGKILL)
    solve.finish()
    assert out.read_bytes() == b"the previous schedule"
    visible = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert visible == ["out.xlsx"]  # no partial file, no PDF without its workbook
    again = _Solve(out, limit=1)
    code, _, err = again.finish()
    assert code == Exit.OK, err
    _checked(out)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
