"""Deliver the files of one run so that none is lost and none is half-written.

A schedule that took a minute to find must reach the disk even when the file asked for
cannot be written: open in Excel (Windows locks it), read-only, a folder, the input
itself, on a full disk or in a read-only folder. :func:`deliver` then writes the same
files beside it under the first free name (``school-schedule (2).xlsx``), or failing
that in the user's temporary folder, and says why in one sentence.

The files of one run (a workbook and its PDFs) travel together: all are written to a
hidden folder beside their targets first and only then moved into place, so an old
rosters PDF is never left beside a new workbook by a failed write, and a kill mid-write
leaves the old files whole. Two runs writing the same name at once cannot interleave:
each claims the name with a lock file, and the second takes a free name.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from models.atomic import LOCK, partial_name, remove_leftovers, writer_alive, writer_id
from models.messages import Message, Said, msg

log = logging.getLogger(__name__)

Naming = Callable[[Path], dict[str, Path]]
"""The files of one run named from its main file, e.g. ``{"workbook": out.xlsx,
"rosters": out-rosters.pdf}``; the main file's role comes first."""
Writer = Callable[[Mapping[str, Path]], object]
"""Writes each file of the run to the path given for its role."""

_MAX_FREE_NAMES = 99


class NotWritten(Exception):
    """No place could take the files; ``reasons`` says why for each place tried."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


class _Unusable(Exception):
    """One place cannot take the files; ``folder`` when nothing in its folder can."""

    def __init__(self, reason: str, *, folder: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.folder = reason, folder


@dataclass(frozen=True)
class Delivered:
    """Where the files went and, when not where asked, why (one sentence's clause)."""

    paths: dict[str, Path]
    asked: Path
    reason: str | None = None

    @property
    def main(self) -> Path:
        return next(iter(self.paths.values()))

    @property
    def moved(self) -> bool:
        return self.reason is not None

    def sentence(self) -> str:
        """``Wrote X instead of Y, because Y is open in another program or read-only.``
        (English text that the command line can say in Chinese: a ``Said``)."""
        written = ", ".join(map(str, self.paths.values()))
        if self.reason is None:
            return Said(msg("write.wrote", paths=written))
        return Said(msg("write.moved", paths=written, asked=self.asked, reason=self.reason))


def deliver(asked: Path, naming: Naming, write: Writer, *, protect: Sequence[Path] = (),
            default_name: str | None = None) -> Delivered:
    """Write a run's files to ``asked`` (named by ``naming``), or beside it, or in the
    temporary folder; raise :class:`NotWritten` only when no place takes them.

    ``protect`` are the run's inputs, never written. An ``asked`` that is a folder gets
    ``default_name`` inside it.
    """
    asked = Path(asked)
    if default_name is not None and asked.is_dir():
        asked = asked / default_name
    reasons: list[str] = []
    first_reason: str | None = None
    for folder in _folders(asked):
        for main in _names(folder, asked.name):
            paths = naming(main)
            if main != asked and any(path.exists() for path in paths.values()):
                continue  # a free name is one no file of the run has yet
            try:
                with _claimed(paths, protect):
                    _write_all(paths, write)
            except _Unusable as exc:
                first_reason = first_reason or exc.reason
                reasons.append(exc.reason)
                if exc.folder:
                    break
                continue
            return Delivered(paths, asked, first_reason)
    raise NotWritten(reasons)


def _folders(asked: Path) -> Iterator[Path]:
    """The target's own folder, then the user's temporary folder."""
    yield asked.parent
    spare = Path(tempfile.gettempdir())
    if _same(spare, asked.parent):
        return
    yield spare


def _names(folder: Path, name: str) -> Iterator[Path]:
    """``name``, then ``stem (2).suffix`` … in ``folder``."""
    stem, suffix = Path(name).stem, Path(name).suffix
    yield folder / name
    for number in range(2, _MAX_FREE_NAMES + 1):
        yield folder / f"{stem} ({number}){suffix}"


@contextlib.contextmanager
def _claimed(paths: Mapping[str, Path], protect: Sequence[Path]) -> Iterator[None]:
    """Hold every path of the run for this process, or raise :class:`_Unusable`."""
    main = next(iter(paths.values()))
    for path in paths.values():
        if any(_same(path, kept) for kept in protect):
            raise _Unusable(Said(msg("write.input", name=path.name)))
        if path.is_dir():
            raise _Unusable(Said(msg("write.is_folder", path=path)))
        if not _free_or_writable(path):
            raise _Unusable(Said(msg("write.open_elsewhere", name=path.name)))
    lock = main.with_name(f".{main.name}{LOCK}")
    taken = _take(lock)
    if taken is False:
        raise _Unusable(Said(msg("write.locked", name=main.name)))
    try:
        yield
    finally:
        if taken:
            with contextlib.suppress(OSError):
                lock.unlink()


def _free_or_writable(path: Path) -> bool:
    """A missing file, or one this process may open for writing: Windows refuses a file
    open in Excel here, and a read-only file is one its owner meant to keep."""
    if not path.exists():
        return True
    try:
        with open(path, "r+b"):
            return True
    except PermissionError:
        return False
    except OSError:
        return False


def _take(lock: Path) -> bool | None:
    """Create ``lock`` holding our machine and pid: True when taken (a lock of a process
    that is gone is taken over), False when another run holds it, None when the folder
    takes no file at all (the write then says why)."""
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            try:
                holder = lock.read_text(encoding="ascii").strip()
            except (OSError, ValueError):
                holder = ""
            if writer_alive(holder, lock):
                return False
            lock.unlink(missing_ok=True)
            continue
        except OSError:
            return None
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(writer_id())
        return True
    return False


def _write_all(paths: Mapping[str, Path], write: Writer) -> None:
    """Write every file into a hidden folder beside the targets, then move each into place."""
    folder = next(iter(paths.values())).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)
        workspace = partial_name(next(iter(paths.values())))
        workspace.mkdir()
    except OSError as exc:
        raise _Unusable(Said(msg("write.folder", folder=folder, why=_why(exc))),
                        folder=True) from None
    try:
        staged = {role: workspace / path.name for role, path in paths.items()}
        try:
            write(staged)
        except OSError as exc:
            raise _Unusable(Said(msg("write.failed", folder=folder, why=_why(exc))),
                            folder=True) from None
        _move_all(staged, paths)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _move_all(staged: Mapping[str, Path], paths: Mapping[str, Path]) -> None:
    """Move the staged files into place (microseconds each), the main file last, so that
    a new workbook never stands beside old PDFs."""
    order = [*list(paths)[1:], next(iter(paths))]
    for role in order:
        try:
            os.replace(staged[role], paths[role])
        except OSError as exc:
            raise _Unusable(Said(msg("write.not_replaced", name=paths[role].name,
                                     why=_why(exc)))) from None


def _why(exc: OSError) -> Message | str:
    if exc.errno == errno.ENOSPC:
        return msg("write.why.full")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return msg("write.why.permission")
    if exc.errno == errno.EROFS:
        return msg("write.why.read_only")
    return exc.strerror or type(exc).__name__


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == Path(b).resolve()
    except OSError:
        return False
