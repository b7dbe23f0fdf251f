"""Schools of many shapes: clean, deterministic, and shaped as their knobs say."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from models.reader import read_school
from models.shapes import SHAPES, generate_shaped_school, parse_band, shape_with
from models.validate import validate_school
from optimizer.cli import Exit, main


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_is_clean_and_the_same_for_a_seed(shape: str) -> None:
    school = generate_shaped_school(300, seed=3, shape=shape)
    assert validate_school(school) == []
    assert generate_shaped_school(300, seed=3, shape=shape) == school
    assert generate_shaped_school(300, seed=4, shape=shape) != school


def test_cross_share_opens_activities_to_grades_of_two_bands() -> None:
    def across(share: float) -> int:
        school = generate_shaped_school(400, 1, shape_with("overlap-cross", cross_share=share))
        bands = [frozenset(row.grades) for row in school.periods if row.day is None]
        return sum(1 for a in school.activities if not a.is_study
                   and sum(1 for band in set(bands) if a.grades & band) > 1)

    assert across(0.0) == 0
    assert across(1.0) >= 20  # 24 activities; a few may join a band to cover a grade


def test_overlapping_bands_overlap_in_clock_time() -> None:
    school = generate_shaped_school(300, 1, "overlap-cross")
    first = {row.period: (row.start, row.end) for row in school.periods
             if 1 in row.grades and row.day is None}
    later = {row.period: (row.start, row.end) for row in school.periods
             if 4 in row.grades and row.day is None}
    # Grades 1-3's period 2 runs while grades 4-9's period 1 does.
    assert first[2][0] < later[1][1]
    assert later[1][0] < first[2][1]


@pytest.mark.parametrize(("text", "message"), [
    ("4-9@16:35/45", "18:15, after 18:00"),
    ("4-x@16:35", "grades and minutes are numbers"),
    ("1-3@25:00", "expected like"),
    ("0-3@15:40", "grades are 1-9"),
])
def test_a_band_that_cannot_be_is_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_band(text)


def test_an_unknown_knob_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="cross_share"):
        shape_with("two-bands", crossshare=0.5)


def test_sample_writes_a_shaped_school(tmp_path: Path) -> None:
    out = tmp_path / "shaped.xlsx"
    result = CliRunner().invoke(main, [
        "sample", "--students", "120", "--shape", "overlap-cross", "--set", "cross_share=1",
        "--band", "1-2@15:30", "--band", "3-9@16:35/40+5", str(out)])
    assert result.exit_code == 0, result.output
    school = read_school(out)
    assert {frozenset(row.grades) for row in school.periods} == {
        frozenset({1, 2}), frozenset(range(3, 10))}


@pytest.mark.parametrize("args", [
    ["--shape", "nope"], ["--set", "cross_share"], ["--set", "bogus=1"],
    ["--band", "1-3@15:40", "--band", "3-9@16:35/40+5"]])
def test_sample_refuses_a_shape_it_cannot_make(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "never.xlsx"
    result = CliRunner().invoke(main, ["sample", "--students", "60", *args, str(out)])
    assert result.exit_code == Exit.USAGE, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
