"""The progress line of a long solve, on a terminal or in a log file.

On a terminal one line is rewritten in place (carriage returns). Into a file or a
pipe, carriage returns would make one endless line, so each update is a line of its
own, at most one every ``every`` seconds for the same goal (a new goal always shows,
and the last update is not lost).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

import click

LOG_EVERY_S = 5.0
"""How often a log gets a line while one goal improves: a minute's solve gives a dozen
lines per goal at most, and none is more than five seconds stale."""


class ProgressLine:
    """One line of progress on ``stream`` (stderr by default)."""

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None,
                 every: float = LOG_EVERY_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._tty = tty if tty is not None else _is_terminal(stream)
        self._every, self._clock = every, clock
        self._open = False  # a terminal line without its newline yet
        self._last_key: str | None = None
        self._last_time = -float("inf")
        self._pending: str | None = None  # a log update held back by the rate

    def update(self, key: str, text: str) -> None:
        """Show ``text``, the state of goal ``key``."""
        if self._tty:
            self._write(f"\r{text}   ", newline=False)
            self._open = True
            return
        now = self._clock()
        if key != self._last_key and self._pending is not None:
            self._write(self._pending)  # the goal before ends on its last value
        if key != self._last_key or now - self._last_time >= self._every:
            self._write(text)
            self._last_key, self._last_time, self._pending = key, now, None
        else:
            self._pending = text

    def say(self, text: str) -> None:
        """A message of its own line amid the progress."""
        self.finish()
        self._write(text)

    def finish(self) -> None:
        """End the progress: close the terminal's line, or log the update held back."""
        if self._open:
            self._write("")
            self._open = False
        if self._pending is not None:
            self._write(self._pending)
            self._pending = None

    def _write(self, text: str, *, newline: bool = True) -> None:
        click.echo(text, nl=newline, err=self._stream is None, file=self._stream)


def _is_terminal(stream: TextIO | None) -> bool:
    target = stream if stream is not None else click.get_text_stream("stderr")
    try:
        return bool(target.isatty())
    except (AttributeError, ValueError):
        return False
