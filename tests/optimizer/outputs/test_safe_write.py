"""A run's files always reach the disk, whole, with the PDFs beside their workbook: the
faults a coordinator's PC produces, each faked at the point where the OS would fail."""

from __future__ import annotations

import builtins
import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from models.atomic import atomic_path, remove_leftovers, writer_id
from optimizer.outputs import safe_write
from optimizer.outputs.safe_write import NotWritten, deliver

ROOT = Path(__file__).resolve().parents[3]


def _group(main: Path) -> dict[str, Path]:
    """A workbook and one PDF named from it, like a solve with --pdf."""
    return {"workbook": main, "rosters": main.with_name(f"{main.stem}-rosters.pdf")}


def _writer(text: str):  # type: ignore[no-untyped-def]
    def write(paths: Mapping[str, Path]) -> None:
        for role, path in paths.items():
            path.write_text(f"{text} {role}", encoding="utf-8")
    return write


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def _old_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    paths = _group(folder / "school-schedule.xlsx")
    for role, path in paths.items():
        path.write_text(f"old {role}", encoding="utf-8")
    return paths


def test_a_writable_target_is_replaced_whole(tmp_path: Path, spare: Path) -> None:
    old = _old_files(tmp_path / "out")
    done = deliver(old["workbook"], _group, _writer("new"))
    assert done.paths == old
    assert not done.moved
    assert {p.read_text(encoding="utf-8") for p in old.values()} == {"new workbook",
                                                                      "new rosters"}
    assert _hidden(tmp_path / "out") == []


def _locked(monkeypatch: pytest.MonkeyPatch, *locked: Path) -> None:
    """Open for writing fails as Windows fails it for a file open in Excel."""
    real_open = builtins.open

    def fake_open(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if Path(str(file)) in locked and mode != "r":
            raise PermissionError(errno.EACCES, "The process cannot access the file", file)
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(safe_write, "open", fake_open, raising=False)


def test_a_locked_workbook_sends_the_whole_run_to_a_free_name(
        tmp_path: Path, spare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_files(tmp_path / "out")
    _locked(monkeypatch, old["workbook"])
    done = deliver(old["workbook"], _group, _writer("new"))
    beside = _group(tmp_path / "out" / "school-schedule (2).xlsx")
    assert done.paths == beside
    assert done.reason == "school-schedule.xlsx is open in another program or read-only"
    assert done.sentence() == (
        f"Wrote {beside['workbook']}, {beside['rosters']} instead of {old['workbook']}, "
        "because school-schedule.xlsx is open in another program or read-only.")
    assert {r: p.read_text(encoding="utf-8") for r, p in old.items()} == {
        "workbook": "old workbook", "rosters": "old rosters"}
    assert beside["rosters"].read_text(encoding="utf-8") == "new rosters"


def test_a_locked_pdf_never_leaves_a_new_workbook_beside_it(
        tmp_path: Path, spare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_files(tmp_path / "out")
    _locked(monkeypatch, old["rosters"])
    done = deliver(old["workbook"], _group, _writer("new"))
    assert done.main == tmp_path / "out" / "school-schedule (2).xlsx"
    assert old["workbook"].read_text(encoding="utf-8") == "old workbook"  # none replaced


def test_a_free_name_is_one_no_file_of_the_run_has(tmp_path: Path, spare: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_files(tmp_path / "out")
    (tmp_path / "out" / "school-schedule (2)-rosters.pdf").write_text("someone's")
    _locked(monkeypatch, old["workbook"])
    done = deliver(old["workbook"], _group, _writer("new"))
    assert done.main.name == "school-schedule (3).xlsx"
    assert (tmp_path / "out" / "school-schedule (2)-rosters.pdf").read_text() == "someone's"


def test_a_folder_as_output_gets_the_default_name_inside(tmp_path: Path, spare: Path) -> None:
    folder = tmp_path / "term"
    folder.mkdir()
    done = deliver(folder, _group, _writer("new"), default_name="school-schedule.xlsx")
    assert done.main == folder / "school-schedule.xlsx"
    assert done.main.read_text(encoding="utf-8") == "new workbook"


def test_a_folder_in_the_way_of_a_file_gets_a_free_name(tmp_path: Path, spare: Path) -> None:
    target = tmp_path / "school-schedule.xlsx"
    (tmp_path / "school-schedule-rosters.pdf").mkdir()
    done = deliver(target, _group, _writer("new"))
    assert done.main == tmp_path / "school-schedule (2).xlsx"
    assert done.reason == f"{tmp_path / 'school-schedule-rosters.pdf'} is a folder"


def test_the_input_is_never_written(tmp_path: Path, spare: Path) -> None:
    school = tmp_path / "school.xlsx"
    school.write_text("input")
    done = deliver(school, _group, _writer("new"), protect=[school])
    assert school.read_text() == "input"
    assert done.main == tmp_path / "school (2).xlsx"
    assert "is an input of this run" in (done.reason or "")


def test_a_read_only_folder_sends_the_run_to_the_temporary_folder(
        tmp_path: Path, spare: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    real_mkdir = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if self.parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real_mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    real_open = os.open

    def refuse_open(path: str | Path, *args: object, **kwargs: object) -> int:
        if Path(path).parent == folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", refuse)
    monkeypatch.setattr(os, "open", refuse_open)  # the lock file cannot be made either
    done = deliver(folder / "out.xlsx", _group, _writer("new"))
    assert done.main == spare / "out.xlsx"
    assert done.reason == f"the folder {folder} cannot be written (permission denied)"
    assert list(folder.iterdir()) == []


def _full_disk_in(*full: Path):  # type: ignore[no-untyped-def]
    """A write that fails half-way with ENOSPC in the given folders."""
    def write(paths: Mapping[str, Path]) -> None:
        for role, path in paths.items():
            if any(folder in path.parents for folder in full):
                path.write_text("half")
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            path.write_text(f"new {role}")
    return write


def test_a_full_disk_sends_the_run_to_the_temporary_folder(tmp_path: Path,
                                                           spare: Path) -> None:
    old = _old_files(tmp_path / "out")
    done = deliver(old["workbook"], _group, _full_disk_in(tmp_path / "out"))
    assert done.main == spare / "school-schedule.xlsx"
    assert done.reason == f"writing in {tmp_path / 'out'} failed (the disk is full)"
    assert old["workbook"].read_text(encoding="utf-8") == "old workbook"
    assert _hidden(tmp_path / "out") == []


def test_a_full_disk_everywhere_is_said_and_leaves_nothing_behind(tmp_path: Path,
                                                                  spare: Path) -> None:
    old = _old_files(tmp_path / "out")
    with pytest.raises(NotWritten) as raised:
        deliver(old["workbook"], _group, _full_disk_in(tmp_path / "out", spare))
    assert raised.value.reasons == [f"writing in {tmp_path / 'out'} failed (the disk is full)",
                                    f"writing in {spare} failed (the disk is full)"]
    assert old["workbook"].read_text(encoding="utf-8") == "old workbook"
    assert _hidden(tmp_path / "out") == []
    assert list(spare.iterdir()) == []


_SLOW_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from optimizer.outputs.safe_write import deliver

    target, label, pause = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])

    def write(paths):
        for path in paths.values():
            with open(path, "w") as out:
                out.write(label + " begins ")
                out.flush()
                print("writing", flush=True)
                time.sleep(pause)
                out.write(label + " ends")

    done = deliver(target, lambda main: {"workbook": main}, write)
    print("wrote", done.main, flush=True)
""")


def _writer_process(target: Path, label: str, pause: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target), label,
                             str(pause)], stdout=subprocess.PIPE, text=True, env=env)


def _wait_for(process: subprocess.Popen[str], word: str) -> None:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith(word), line


@pytest.mark.slow
def test_two_runs_writing_one_name_at_once_never_interleave(tmp_path: Path) -> None:
    target = tmp_path / "school-schedule.xlsx"
    first = _writer_process(target, "first", 2.0)
    _wait_for(first, "writing")  # the first holds the name now
    second = _writer_process(target, "second", 0.1)
    second_out, _ = second.communicate(timeout=60)
    first_out, _ = first.communicate(timeout=60)
    assert first.returncode == second.returncode == 0
    assert f"wrote {target}\n" in first_out
    beside = tmp_path / "school-schedule (2).xlsx"
    assert f"wrote {beside}\n" in second_out
    assert target.read_text() == "first begins first ends"
    assert beside.read_text() == "second begins second ends"
    assert _hidden(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="sends SIGKILL")
def test_a_kill_mid_write_keeps_the_old_file_and_the_next_write_cleans_up(
        tmp_path: Path) -> None:
    target = tmp_path / "school-schedule.xlsx"
    target.write_text("old")
    process = _writer_process(target, "killed", 60.0)
    _wait_for(process, "writing")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == [target.name]
    assert _hidden(tmp_path)  # the killed write's temporary folder and lock
    deliver(target, lambda main: {"workbook": main}, _writer("next"))
    assert target.read_text() == "next workbook"
    assert _hidden(tmp_path) == []


def test_leftovers_of_a_dead_process_go_and_a_live_one_s_stay(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    machine = writer_id().split()[0]
    dead = f"{machine}-{int(gone.stdout)}"
    stale = tmp_path / f".k.xlsx.partial-{dead}-abc123.xlsx"
    stale.write_text("half")
    stale_lock = tmp_path / ".k.xlsx.schedule-lock"
    stale_lock.write_text(dead.replace("-", " "))
    ours = tmp_path / f".k.xlsx.partial-{machine}-{os.getpid()}-abc123.xlsx"
    ours.write_text("in progress")
    # Another machine's write on a shared folder: its pid means nothing here.
    elsewhere = tmp_path / f".k.xlsx.partial-000000-{int(gone.stdout)}-abc123.xlsx"
    elsewhere.write_text("in progress elsewhere")
    old_elsewhere = tmp_path / ".j.xlsx.partial-000000-1-abc123.xlsx"
    old_elsewhere.write_text("left an hour ago")
    os.utime(old_elsewhere, (time.time() - 7200, time.time() - 7200))
    unrelated = tmp_path / ".~lock.k.xlsx#"  # LibreOffice's, not ours
    unrelated.write_text("x")
    assert sorted(remove_leftovers(tmp_path)) == sorted([stale, stale_lock, old_elsewhere])
    assert ours.exists()
    assert elsewhere.exists()
    assert unrelated.exists()


def test_atomic_path_leaves_no_temporary_file_when_the_write_fails(tmp_path: Path) -> None:
    target = tmp_path / "k.xlsx"
    target.write_text("old")
    def half_a_write() -> None:
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError):
        half_a_write()
    assert target.read_text() == "old"
    assert _hidden(tmp_path) == []


def test_time_is_not_spent_waiting_for_a_lock(tmp_path: Path) -> None:
    """A second run does not wait for the first: it takes a free name at once."""
    target = tmp_path / "k.xlsx"
    lock = tmp_path / ".k.xlsx.schedule-lock"
    lock.write_text(writer_id())
    started = time.monotonic()
    done = deliver(target, lambda main: {"workbook": main}, _writer("new"))
    assert time.monotonic() - started < 5
    assert done.main == tmp_path / "k (2).xlsx"
    assert done.reason == "another run is writing k.xlsx right now"
