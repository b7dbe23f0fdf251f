"""The coordinator's greedy: a complete schedule the checker accepts, on schools of every shape."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.check import check
from models.school import Student
from models.shapes import SHAPES, generate_shaped_school
from optimizer.model.instance import build_instance
from optimizer.search.greedy import greedy_schedule
from tests.factories import CHESS, junior_periods, tiny_school


def _two_band_chess(max_sections: int) -> object:
    """Chess open to grades 3 and 8, which dismiss at different times: its candidate
    sections are per band, its max_sections for the whole activity."""
    school = tiny_school()
    chess = replace(CHESS, grades=frozenset({3, 8}), max_size=3, max_sections=max_sections)
    juniors = tuple(Student(id=f"J{i}", name=f"Junior {i}", grade=8, class_name="8-1",
                            days=frozenset({0, 2}), stay=2, wants=1, choices=("CHESS",))
                    for i in range(1, 4))
    primary = tuple(replace(s, choices=("CHESS",)) for s in school.students)
    return replace(school, periods=school.periods + junior_periods(),
                   activities=(school.activities[0], chess, *school.activities[2:]),
                   students=primary + juniors)


@pytest.mark.parametrize("reassign", [False, True])
@pytest.mark.parametrize("max_sections", [1, 2])
def test_an_activity_of_two_bands_opens_at_most_max_sections(reassign: bool,
                                                              max_sections: int) -> None:
    school = _two_band_chess(max_sections)
    schedule = greedy_schedule(school, reassign=reassign, seed=3)  # type: ignore[arg-type]
    assert schedule is not None
    report = check(school, schedule, seed=3)  # type: ignore[arg-type]
    assert report.ok, report.summary()
    opened = [s for s in schedule.sections if s.activity_id == "CHESS"]
    # Nine children want chess, three seats per section: every section it may open opens.
    assert len(opened) == max_sections


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("reassign", [False, True])
def test_the_greedy_schedule_passes_the_checker_on_every_shape(shape: str,
                                                               reassign: bool) -> None:
    school = generate_shaped_school(150, seed=2, shape=shape)
    schedule = greedy_schedule(school, build_instance(school), reassign=reassign, seed=2)
    assert schedule is not None, f"{shape}: the greedy found no schedule"
    report = check(school, schedule, seed=2)
    assert report.ok, f"{shape}: {report.summary()}"


@pytest.mark.parametrize("reassign", [False, True])
def test_study_opens_no_more_sections_than_its_max_sections(reassign: bool) -> None:
    """Every study meeting is a section (rule 2 counts them); with one fewer allowed than
    the greedy's schedule needs, it gives up rather than break the rule."""
    school = generate_shaped_school(120, seed=3, shape="one-band")
    schedule = greedy_schedule(school, reassign=reassign, seed=3)
    assert schedule is not None
    study = {a.id for a in school.study_activities}
    needed = sum(1 for s in schedule.sections if s.activity_id in study)
    assert len(study) == 1
    assert needed > 1
    capped = replace(school, activities=tuple(
        replace(a, max_sections=needed - 1) if a.id in study else a
        for a in school.activities))
    fewer = greedy_schedule(capped, reassign=reassign, seed=3)
    assert fewer is None or check(capped, fewer, seed=3).ok
