"""The progress line: rewritten in place on a terminal, one line per update at a
sensible rate in a log (no carriage returns)."""

from __future__ import annotations

import io

from optimizer.console.progress import ProgressLine


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_log_gets_whole_lines_at_most_one_per_interval_per_goal() -> None:
    out, clock = io.StringIO(), _Clock()
    line = ProgressLine(out, tty=False, every=5.0, clock=clock)
    line.update("unserved", "unserved 3")
    clock.now = 1.0
    line.update("unserved", "unserved 2")  # within 5 s of the last: held back
    clock.now = 2.0
    line.update("first_choices", "first 10")  # a new goal shows, after the last before
    clock.now = 3.0
    line.update("first_choices", "first 11")
    clock.now = 7.5
    line.update("first_choices", "first 12")  # 5.5 s after the last shown
    clock.now = 8.0
    line.update("first_choices", "first 13")
    line.finish()  # the last state is not lost
    assert out.getvalue() == "unserved 3\nunserved 2\nfirst 10\nfirst 12\nfirst 13\n"
    assert "\r" not in out.getvalue()


def test_a_message_amid_a_log_keeps_the_held_back_update_first() -> None:
    out, clock = io.StringIO(), _Clock()
    line = ProgressLine(out, tty=False, clock=clock)
    line.update("unserved", "a")
    line.update("unserved", "b")
    line.say("writing")
    assert out.getvalue() == "a\nb\nwriting\n"


def test_a_goal_held_back_shows_its_last_value_before_the_next_goal() -> None:
    """teacher_max_load 4, then 3 within the rate, then the next goal: the log must say 3
    (the Summary will), not stop at 4."""
    out, clock = io.StringIO(), _Clock()
    line = ProgressLine(out, tty=False, clock=clock)
    line.update("teacher_max_load", "load 4")
    clock.now = 1.0
    line.update("teacher_max_load", "load 3")
    clock.now = 2.0
    line.update("teacher_load_squares", "squares 40")
    assert out.getvalue() == "load 4\nload 3\nsquares 40\n"


def test_a_terminal_line_is_rewritten_and_closed_before_a_message() -> None:
    out = io.StringIO()
    line = ProgressLine(out, tty=True)
    line.update("unserved", "a")
    line.update("unserved", "b")
    line.say("writing")
    assert out.getvalue() == "\ra   \rb   \nwriting\n"


def test_a_stream_that_is_not_a_terminal_is_taken_for_a_log() -> None:
    out = io.StringIO()
    line = ProgressLine(out)
    line.update("unserved", "a")
    assert out.getvalue() == "a\n"
