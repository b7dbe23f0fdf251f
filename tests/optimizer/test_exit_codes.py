"""Exit codes a script can use: the README's table is the single source, and the command
keeps to it — a written checked schedule is success, a bad command line is not a bad
workbook, and nothing unexpected ever shows a traceback."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.check import check
from models.reader import read_school
from models.sample import generate_school
from models.schedule_io import read_schedule
from models.template import write_school
from optimizer.cli import Exit, main
from tests.factories import tiny_school

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_table() -> dict[int, str]:
    """The rows of the README's exit-code table: code → outcome."""
    text = README.read_text(encoding="utf-8")
    after = text.split("Exit codes, one table for every command", 1)[1]
    table = after.split("\n\n", 2)[1]
    rows = re.findall(r"^\| (\d+) \| (.+) \|$", table, flags=re.MULTILINE)
    assert rows, "the README's exit-code table was not found"
    return {int(code): outcome for code, outcome in rows}


def test_the_readme_table_is_the_cli_s_exit_enum() -> None:
    table = _readme_table()
    assert sorted(table) == sorted(code.value for code in Exit)


@pytest.mark.parametrize("command", ["solve", "resolve", "validate", "check", "print",
                                     "report", "sweep", "diff", "cover", "advise", "explain"])
def test_every_exit_code_a_command_names_is_in_the_table(command: str) -> None:
    helped = CliRunner().invoke(main, [command, "--help"])
    assert helped.exit_code == Exit.OK
    text = " ".join(helped.output.split())
    said = re.findall(r"(?:Exit codes?:|Exit) ((?:\d+[^.]*?)+)\.", text)
    assert said, f"{command} --help names no exit codes"
    named = {int(n) for sentence in said for n in re.findall(r"\b(\d+)\b", sentence)}
    assert named <= set(_readme_table()), named - set(_readme_table())


@pytest.fixture
def tiny_workbook(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.xlsx"
    write_school(path, tiny_school())
    return path


def test_version_prints_the_installed_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == Exit.OK
    assert re.fullmatch(r"schedule \S+\n", result.output), result.output


@pytest.mark.parametrize("args", [
    ["solve", "x.xlsx", "--lang", "fr"],
    ["solve", "x.xlsx", "--no-such-option"],
    ["solve"],
    ["no-such-command"],
    ["solve", "x.xlsx", "--time-limit", "soon"],
])
def test_a_bad_command_line_is_not_a_bad_workbook(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == Exit.USAGE, result.output
    assert Exit.USAGE != Exit.INVALID
    assert "Traceback" not in result.output


def test_bad_goals_option_is_usage_but_bad_settings_sheet_is_invalid(
        tiny_workbook: Path) -> None:
    option = CliRunner().invoke(main, ["solve", str(tiny_workbook), "--goals", "happiness",
                                       "--quiet"])
    assert option.exit_code == Exit.USAGE, option.output
    workbook = openpyxl.load_workbook(tiny_workbook)
    settings = workbook.create_sheet("Settings")
    settings.append(["key", "value"])
    settings.append(["goals", "happiness"])
    workbook.save(tiny_workbook)
    sheet = CliRunner().invoke(main, ["solve", str(tiny_workbook), "--quiet"])
    assert sheet.exit_code == Exit.INVALID, sheet.output


@pytest.mark.slow
def test_a_schedule_not_proven_optimal_exits_0_and_strict_makes_it_3(tmp_path: Path) -> None:
    school_path = tmp_path / "school.xlsx"
    write_school(school_path, generate_school(num_students=300, seed=2))
    school = read_school(school_path)
    codes = {}
    for strict in (False, True):
        out = tmp_path / f"out-{strict}.xlsx"
        result = CliRunner().invoke(main, [
            "solve", str(school_path), "-o", str(out), "--time-limit", "2", "--workers", "1",
            "--seed", "1", "--quiet", *(["--strict"] if strict else [])])
        assert "not proven optimal" in result.output, result.output
        # The gaps need a bound from the search; in 2 s on a busy machine it may find
        # none, or not even begin, and then a note says the constructive schedule was
        # written.
        assert ("gaps:" in result.output
                or "note: the constructive schedule" in result.output
                or "ran out before the search could begin" in result.output), result.output
        assert check(school, read_schedule(out, school)).ok
        codes[strict] = result.exit_code
    assert codes == {False: Exit.OK, True: Exit.NOT_PROVEN}


def test_anything_unexpected_is_one_sentence_and_a_log_without_names(
        tiny_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import optimizer.search.solve

    name = tiny_school().students[0].name
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(logs))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"no seat for {name} on Monday")

    monkeypatch.setattr(optimizer.search.solve, "solve", broken)
    result = CliRunner().invoke(main, ["solve", str(tiny_workbook), "--quiet"])
    assert result.exit_code == Exit.INTERNAL
    assert "Traceback" not in result.output
    [log] = logs.glob("schedule-error-*.log")
    assert str(log) in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: no seat for [name] on Monday" in text
    assert name not in text
    assert not tiny_workbook.with_name("tiny-schedule.xlsx").exists()


def test_ctrl_c_inside_a_library_s_start_up_is_an_interruption_not_a_bug(
        tiny_workbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pressed while OR-Tools loads, Ctrl-C surfaces as its ImportError: exit 130 and
    one sentence, no crash log."""
    import optimizer.search.solve

    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(logs))

    def loading(*args: object, **kwargs: object) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as pressed:
            raise ImportError("initialization failed") from pressed

    monkeypatch.setattr(optimizer.search.solve, "solve", loading)
    result = CliRunner().invoke(main, ["solve", str(tiny_workbook), "--quiet"])
    assert result.exit_code == Exit.INTERRUPTED
    assert "Interrupted" in result.output
    assert list(logs.glob("schedule-error-*.log")) == []
