"""An unexpected failure becomes one sentence for the user and a log file for a bug report.

The log holds the command, the versions and the traceback, never a student's name:
the names of the school being run are replaced by ``[name]`` (minors' personal data).
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable
from pathlib import Path

_NAMES: set[str] = set()
"""Names to keep out of a log: the students of the school this command read."""


def keep_out(names: Iterable[str]) -> None:
    """Never write these names to a crash log (the students of the school just read)."""
    _NAMES.update(name.strip() for name in names if name and name.strip())


def scrub(text: str) -> str:
    """``text`` with every remembered name replaced by ``[name]`` (longest first, so a
    name inside a longer one does not leave half of it)."""
    for name in sorted(_NAMES, key=len, reverse=True):
        text = text.replace(name, "[name]")
    return text


def write_crash_log(exc: BaseException, *, version: str,
                    folder: Path | None = None) -> Path | None:
    """Write what a bug report needs about ``exc``; return the log's path, or None when
    not even the temporary folder takes it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = folder if folder is not None else Path(tempfile.gettempdir())
    path = folder / f"schedule-error-{stamp}-{os.getpid()}.log"
    details = "".join(traceback.format_exception(exc))
    text = (f"schedule {version}, Python {platform.python_version()}, {platform.platform()}\n"
            f"command: {' '.join(sys.argv)}\n\n{details}")
    try:
        path.write_text(scrub(text), encoding="utf-8")
    except OSError:
        return None
    return path
