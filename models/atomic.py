"""Write a file so that readers see the old file or the whole new one, never half of it.

A write goes to a hidden temporary file beside the target, named after the target and
the writing process — its machine and pid, ``.school-schedule.xlsx.partial-
3fa2c1-4242-1a2b3c.xlsx`` — and is then moved into place. A process killed half-way
leaves only such a file, never a partial file under the target's name;
:func:`remove_leftovers` deletes those of processes that no longer run (on a shared
folder, another machine's only when over an hour old), and every write calls it first.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

PARTIAL = ".partial-"
"""Marks a temporary file or folder of a write in progress (then machine-pid-token)."""

LOCK = ".schedule-lock"
"""Ends the name of the lock file (holding the writer's machine and pid) that claims a
target."""

_LEFTOVER = re.compile(r"\..+" + re.escape(PARTIAL)
                       + r"([0-9a-f]{6})-(\d+)-[0-9a-f]+(\.[^.]*)?")
_LOCK = re.compile(r"\..+" + re.escape(LOCK))
_OLD_LEFTOVER_AGE_S = 3600.0
"""Where the writer's process cannot be asked about (another machine, or not POSIX), a
leftover this old is taken for one of a process that is gone: writing a workbook takes
seconds, not an hour."""


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
    return target.with_name(f".{target.name}{PARTIAL}{writer_id().replace(' ', '-')}-"
                            f"{secrets.token_hex(3)}{target.suffix}")


def writer_id() -> str:
    """``"3fa2c1 4242"``: this machine (a hash of its name: a folder may be shared) and
    this process, as a lock file holds them."""
    machine = hashlib.sha1(socket.gethostname().encode("utf-8")).hexdigest()[:6]
    return f"{machine} {os.getpid()}"


def writer_alive(writer: str, evidence: Path | None = None) -> bool:
    """Whether the writer ``writer_id()`` gave still runs. Another machine's processes
    cannot be asked about: its leftovers count as gone only when over an hour old."""
    machine, _, pid = writer.partition(" ")
    if not pid.isdecimal():
        return False  # an unreadable lock: nobody holds it
    if machine != writer_id().partition(" ")[0]:
        return _young(evidence)
    return process_alive(int(pid), evidence)


def _writer(entry: Path) -> str | None:
    """The writer a leftover ``entry`` belongs to, or None when it is not one of ours."""
    match = _LEFTOVER.fullmatch(entry.name)
    if match is not None:
        return f"{match.group(1)} {match.group(2)}"
    if _LOCK.fullmatch(entry.name):
        try:
            return entry.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            return ""
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
        writer = _writer(entry)
        if writer is None or writer_alive(writer, entry):
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
    return _young(evidence)


def _young(evidence: Path | None) -> bool:
    """Whether ``evidence`` was written within the hour (a write takes seconds)."""
    try:
        age = time.time() - (evidence.stat().st_mtime if evidence else 0.0)
    except OSError:
        return False
    return age < _OLD_LEFTOVER_AGE_S
