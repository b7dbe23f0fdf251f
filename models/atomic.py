"""Write a file so that readers see the old file or the whole new one, never half of it.

A write goes to a hidden temporary file beside the target, named after the target and
the writing process (``.school-schedule.xlsx.partial-4242-1a2b3c.xlsx``), and is then
moved into place. A process killed half-way leaves only such a file, never a partial
file under the target's name; :func:`remove_leftovers` deletes those of processes that
no longer run, and every write calls it first.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

PARTIAL = ".partial-"
"""Marks a temporary file or folder of a write in progress (followed by pid-token)."""

LOCK = ".schedule-lock"
"""Ends the name of the lock file (holding the writer's pid) that claims a target."""

_LEFTOVER = re.compile(r"\..+" + re.escape(PARTIAL) + r"(\d+)-[0-9a-f]+(\.[^.]*)?")
_LOCK = re.compile(r"\..+" + re.escape(LOCK))
_OLD_LEFTOVER_AGE_S = 3600.0
"""Where the writer's process cannot be asked about (not POSIX), a leftover this old is
taken for one of a process that is gone: writing a workbook takes seconds, not an hour."""


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent)
    temporary = partial_name(target)
    # Created here so the mode is the one a plain open() would give (or the old file's).
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    os.close(fd)
    if target.exists():
        os.chmod(temporary, target.stat().st_mode & 0o777)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def partial_name(target: Path) -> Path:
    """A fresh hidden name beside ``target`` for this process's write of it; the suffix is
    kept because some writers choose the format from it."""
    return target.with_name(f".{target.name}{PARTIAL}{os.getpid()}-{secrets.token_hex(3)}"
                            f"{target.suffix}")


def _writer(entry: Path) -> int | None:
    """The pid of the write ``entry`` is a leftover of, or None when it is not one."""
    match = _LEFTOVER.fullmatch(entry.name)
    if match is not None:
        return int(match.group(1))
    if _LOCK.fullmatch(entry.name):
        try:
            return int(entry.read_text(encoding="ascii").strip() or "0")
        except (OSError, ValueError):
            return 0
    return None


def remove_leftovers(directory: str | Path) -> list[Path]:
    """Delete the temporary files and folders of writes whose process is gone; return them.

    Quietly does nothing where the folder cannot be listed or a leftover removed: a
    leftover is hidden and harmless, and a write must not fail over one.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(directory).iterdir())
    except OSError:
        return removed
    for entry in entries:
        pid = _writer(entry)
        if pid is None or process_alive(pid, entry):
            continue
        try:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed


def process_alive(pid: int, evidence: Path | None = None) -> bool:
    """Whether process ``pid`` still runs (our own pid counts as running).

    Off POSIX, ``os.kill(pid, 0)`` would end the process, so the age of ``evidence`` (a
    file the process made) stands in for the answer.
    """
    if pid <= 0:  # an unreadable lock: nobody holds it
        return False
    if pid == os.getpid():
        return True
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:  # someone else's process, alive
            return True
        return True
    try:
        age = time.time() - (evidence.stat().st_mtime if evidence else 0.0)
    except OSError:
        return False
    return age < _OLD_LEFTOVER_AGE_S
