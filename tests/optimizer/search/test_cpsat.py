"""Work in C++ without a stop of its own still ends at once on Ctrl-C."""

from __future__ import annotations

import threading
import time

import pytest

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
