"""Work in C++ without a stop of its own still ends at once on Ctrl-C; a finished solve's
memory goes back to the system."""

from __future__ import annotations

import platform
import sys
import threading
import time

import pytest

from optimizer.search import cpsat
from optimizer.search.cpsat import unless_stopped


def test_a_stop_returns_at_once_from_a_long_call() -> None:
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    began = time.monotonic()
    assert unless_stopped(lambda: time.sleep(5) or "done", stop) is None
    assert time.monotonic() - began < 1.5


def test_without_a_stop_the_answer_and_the_failure_come_back() -> None:
    stop = threading.Event()
    assert unless_stopped(lambda: 42, stop) == 42

    def broken() -> int:
        raise ValueError("no optimum")

    with pytest.raises(ValueError, match="no optimum"):
        unless_stopped(broken, stop)


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="malloc_trim is glibc's")
def test_memory_of_a_finished_solve_goes_back_to_the_system_on_glibc() -> None:
    """On glibc the trim is found (else 5,000-student solves peak 0.5 GB higher)."""
    assert cpsat._TRIM is not None
    cpsat.give_back_memory()
