"""Ctrl-C during a solve stops the search and still writes the best schedule found."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.check import check
from models.reader import read_school
from models.sample import generate_school
from models.schedule_io import read_schedule
from models.template import write_school


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_writes_the_best_schedule_so_far(tmp_path: Path) -> None:
    school_path = tmp_path / "school.xlsx"
    write_school(school_path, generate_school(num_students=400, seed=5))
    out = tmp_path / "out.xlsx"
    process = subprocess.Popen(
        [sys.executable, "-m", "optimizer.cli", "solve", str(school_path), "-o", str(out),
         "--time-limit", "120", "--workers", "1", "--seed", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    # Wait for the constructive schedule to show on the progress line, and for the
    # search to start from it, then interrupt.
    deadline = time.monotonic() + 60
    seen = ""
    assert process.stderr is not None
    while time.monotonic() < deadline and "constructive" not in seen:
        seen += process.stderr.read(1)
    assert "constructive" in seen, seen
    time.sleep(3.0)
    process.send_signal(signal.SIGINT)
    stdout, _ = process.communicate(timeout=60)
    assert process.returncode == 3, stdout
    assert "interrupted" in stdout
    school = read_school(school_path)
    assert check(school, read_schedule(out, school)).ok
