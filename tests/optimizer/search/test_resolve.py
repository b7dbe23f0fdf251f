"""Re-solving from the schedule in force: fewest moves first, locks held, bad input located.

The school is ``tiny_school`` with chess allowed two sections; every re-solve's
schedule passes the independent checker, and the moves it reports are the checker's
(models/previous.py), not the model's word for them.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from models.check import check
from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
from models.locks import Locks, PlaceLock, SectionLock
from models.previous import Previous, kept_places
from models.problems import WorkbookError
from models.schedule import Meeting, Schedule
from models.schedule_io import ASSIGNMENTS_SHEET, SECTIONS_SHEET, schedule_frames
from models.school import School, Staff, Student
from optimizer.search.resolve import Resolution, read_previous_schedule, resolve, resolve_levels
from optimizer.search.result import Params
from optimizer.search.solve import solve
from tests.factories import CHESS, tiny_school

PARAMS = Params(time_limit=10.0, workers=1, seed=3, deterministic=True)


def school() -> School:
    base = tiny_school()
    study, _, football = base.activities
    return replace(base, activities=(study, replace(CHESS, max_sections=2), football))


@functools.cache
def first_schedule() -> Schedule:
    result = solve(school(), PARAMS)
    assert result.schedule is not None
    assert result.report is not None
    assert result.report.ok
    return result.schedule


def joiners(count: int) -> tuple[Student, ...]:
    return tuple(Student(id=f"N{i}", name=f"New {i}", grade=3, class_name="3-2",
                         days=frozenset({0, 2}), stay=2, wants=1, choices=("CHESS", "FOOT"))
                 for i in range(1, count + 1))


def resolved(changed: School, previous: Previous, spec: str | None = None) -> Resolution:
    """Re-solve and assert the independent checker accepts the schedule."""
    found = resolve(changed, previous, replace(PARAMS, levels=resolve_levels({}, spec)))
    schedule = found.result.schedule
    assert schedule is not None, found.result.status
    report = check(changed, schedule, seed=PARAMS.seed, previous=previous.schedule)
    assert report.ok, report.summary()
    assert not found.locks_missed
    return found


def test_a_child_whose_section_still_exists_is_not_moved() -> None:
    """One child leaves and three join: everyone else keeps their section, and the
    joiners are placed by the usual goals."""
    changed = replace(school(), students=(*school().students[1:], *joiners(3)))
    previous = Previous(first_schedule())
    found = resolved(changed, previous)
    after = found.result.schedule
    assert after is not None
    kept = kept_places(changed, previous.schedule)
    assert kept, "the test needs places to keep"
    for student_id, section_id in kept:
        assert student_id in after.section_by_id[section_id].student_ids
    assert found.moves is not None
    assert found.moves.children_moved == 0
    assert found.result.report is not None
    assert found.result.report.goals["children_moved"] == 0
    assert found.result.report.goals["unserved"] == 0
    # The previous schedule lists a child who left and none who joined: it no longer holds.
    assert any(v.rule == 5 for v in found.no_longer_holds)


def test_the_model_counts_moves_as_the_checker_does() -> None:
    """The chess teacher leaves and another joins: the chess section keeps its children
    but changes staff — one section moved, no child moved, in the model and the checker."""
    base = school()
    chess_teacher = Staff(id="T9", name="Teacher Nine", role="teacher",
                          skills=frozenset({"chess"}), max_periods_week=4)
    changed = replace(base, staff=(*(p for p in base.staff if p.id != "T1"), chess_teacher))
    found = resolved(changed, Previous(first_schedule()))
    report = found.result.report
    assert report is not None
    chess = [s for s in first_schedule().sections if s.activity_id == "CHESS"]
    assert report.goals["sections_moved"] == len(chess) >= 1
    assert report.goals["children_moved"] == 0
    for name in ("children_moved", "sections_moved", "supervisors_moved"):
        assert found.result.goal_values[name] == report.goals[name], name


def test_study_keeps_its_supervisors_and_rooms_when_a_teacher_who_never_supervised_leaves(
        ) -> None:
    """Study is shared out again on a re-solve, but who supervises it when, and in which
    room, stays: a teacher with no study duty leaving moves no study duty."""
    from models.previous import study_duties

    base, before = school(), first_schedule()
    supervising = {duty[3] for duty in study_duties(base, before)}
    study = {a.id for a in base.activities if a.is_study}
    leaving = next(t for s in before.sections if s.activity_id not in study
                   for m in s.meetings for t in m.staff_ids if t not in supervising)
    changed = replace(base, staff=tuple(p for p in base.staff if p.id != leaving))
    found = resolved(changed, Previous(before))
    report = found.result.report
    assert report is not None
    assert report.goals["supervisors_moved"] == 0
    after = found.result.schedule
    assert after is not None

    def teams(schedule: Schedule) -> dict[tuple[str, int], tuple[str, tuple[str, ...]]]:
        return {(s.id, m.day): (m.room_id, m.staff_ids) for s in schedule.sections
                if s.activity_id in study for m in s.meetings}

    assert teams(after) == teams(before)


def _lock_of(section_id: str, keeps: frozenset[str]) -> SectionLock:
    section = first_schedule().section_by_id[section_id]
    meeting = section.meetings[0]
    return SectionLock(row=2, section_id=section.id, day=meeting.day, start=meeting.start,
                       end=meeting.end, room_id=meeting.room_id, staff_ids=meeting.staff_ids,
                       keeps=keeps)


def _staffed_by(schedule: Schedule, section_id: str, staff_id: str) -> Schedule:
    return replace(schedule, sections=tuple(
        replace(s, meetings=tuple(replace(m, staff_ids=(staff_id,)) for m in s.meetings))
        if s.id == section_id else s for s in schedule.sections))


def test_a_locked_section_stays_where_it_is() -> None:
    """Football was led by teacher T2; with teachers' loads as even as possible and the
    moves left out of the goals, a volunteer takes it — unless its staff is locked."""
    football = next(s for s in first_schedule().sections if s.activity_id == "FOOT")
    before = _staffed_by(first_schedule(), football.id, "T2")
    spec = "unserved; teacher_load_squares"

    def meeting_after(locks: Locks) -> Meeting:
        found = resolved(school(), Previous(before, locks), spec=spec)
        assert found.result.schedule is not None
        return found.result.schedule.section_by_id[football.id].meetings[0]

    assert meeting_after(Locks()).staff_ids != ("T2",)
    meeting = before.section_by_id[football.id].meetings[0]
    lock = SectionLock(row=2, section_id=football.id, day=meeting.day, start=meeting.start,
                       end=meeting.end, room_id=meeting.room_id, staff_ids=("T2",),
                       keeps=frozenset({"time", "room", "staff"}))
    kept = meeting_after(Locks(sections=(lock,)))
    assert (kept.day, kept.start, kept.end, kept.room_id, kept.staff_ids) == (
        lock.day, lock.start, lock.end, lock.room_id, ("T2",))


def test_a_locked_place_stays() -> None:
    """S1 (chess first, football second) sat in football; with first choices as a goal
    and the moves left out, S1 moves to chess — unless the place is locked."""
    chess = next(s for s in first_schedule().sections if s.activity_id == "CHESS")
    football = next(s for s in first_schedule().sections if s.activity_id == "FOOT")
    assert "S1" in chess.student_ids
    assert chess.meetings[0].day == football.meetings[0].day
    before = replace(first_schedule(), sections=tuple(
        replace(s, student_ids=tuple(i for i in s.student_ids if i != "S1")) if s is chess
        else replace(s, student_ids=(*s.student_ids, "S1")) if s is football else s
        for s in first_schedule().sections), places=tuple(
        replace(p, section_id=football.id) if (p.student_id, p.section_id) == ("S1", chess.id)
        else p for p in first_schedule().places))
    assert check(school(), before).ok
    spec = "unserved; first_choices"

    def in_football(locks: Locks) -> bool:
        found = resolved(school(), Previous(before, locks), spec=spec)
        assert found.result.schedule is not None
        return "S1" in found.result.schedule.section_by_id[football.id].student_ids

    assert not in_football(Locks())
    day = football.meetings[0].day
    lock = PlaceLock(row=5, student_id="S1", day=day, period=1, section_id=football.id)
    assert in_football(Locks(places=(lock,)))


def write_previous(path: Path, school_: School, schedule: Schedule,
                   locks: dict[tuple[str, str], str]) -> Path:
    """The contract sheets as solve writes them, with ``locks``: (sheet, section id) →
    the lock cell of that section's first row on the sheet."""
    frames = schedule_frames(school_, schedule)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, columns in ((SECTIONS_SHEET, SECTIONS_COLUMNS),
                          (ASSIGNMENTS_SHEET, ASSIGNMENTS_COLUMNS)):
        sheet = workbook.create_sheet(name)
        sheet.append(list(columns))
        done: set[str] = set()
        for row in frames[name]:
            key = (name, str(row["section"]))
            cells = [row[c] for c in columns]
            if key in locks and key not in done:
                cells[-1] = locks[key]
                done.add(key)
            sheet.append(cells)
    workbook.save(path)
    return path


def _locked_row(path: Path, sheet: str) -> int:
    rows = openpyxl.load_workbook(path)[sheet].iter_rows(min_row=2, values_only=True)
    return next(n for n, row in enumerate(rows, start=2) if row[-1])


@pytest.fixture
def locked_chess(tmp_path: Path) -> tuple[Path, School, str]:
    """A previous schedule with the chess meeting locked in its room, and the school with
    that room closed on that day."""
    chess = next(s for s in first_schedule().sections if s.activity_id == "CHESS")
    meeting = chess.meetings[0]
    path = write_previous(tmp_path / "previous.xlsx", school(), first_schedule(),
                          {(SECTIONS_SHEET, chess.id): "room"})
    rooms = tuple(replace(r, unavailable=frozenset({(meeting.day, 1), (meeting.day, 2)}))
                  if r.id == meeting.room_id else r for r in school().rooms)
    return path, replace(school(), rooms=rooms), meeting.room_id


def test_a_lock_that_breaks_a_rule_is_reported_with_its_row(
        locked_chess: tuple[Path, School, str]) -> None:
    path, closed, room = locked_chess
    with pytest.raises(WorkbookError) as raised:
        read_previous_schedule(path, closed)
    (problem,) = raised.value.problems
    assert (problem.sheet, problem.row, problem.column) == (
        SECTIONS_SHEET, _locked_row(path, SECTIONS_SHEET), "lock")
    assert "rule 3" in problem.message
    assert room in problem.message


def test_unlock_broken_frees_the_lock_and_says_which(
        locked_chess: tuple[Path, School, str]) -> None:
    path, closed, room = locked_chess
    previous, freed = read_previous_schedule(path, closed, unlock_broken=True)
    assert [p.row for p in freed] == [_locked_row(path, SECTIONS_SHEET)]
    assert len(previous.locks) == 0
    found = resolved(closed, previous)
    assert found.result.schedule is not None
    for section in found.result.schedule.sections:
        assert all(m.room_id != room or (m.day, 1) not in closed.room_by_id[room].unavailable
                   for m in section.meetings)


def test_a_locked_place_of_a_child_who_left_is_reported_on_assignments(
        tmp_path: Path) -> None:
    chess = next(s for s in first_schedule().sections if s.activity_id == "CHESS")
    path = write_previous(tmp_path / "previous.xlsx", school(), first_schedule(),
                          {(ASSIGNMENTS_SHEET, chess.id): "yes"})
    rows = openpyxl.load_workbook(path)[ASSIGNMENTS_SHEET].iter_rows(min_row=2, values_only=True)
    locked_child = next(row[0] for row in rows if row[-1])
    left = replace(school(), students=tuple(s for s in school().students
                                            if s.id != locked_child))
    with pytest.raises(WorkbookError) as raised:
        read_previous_schedule(path, left)
    (problem,) = raised.value.problems
    assert problem.sheet == ASSIGNMENTS_SHEET
    assert "rule 5" in problem.message
    assert problem.row is not None
    assert problem.column == "lock"


def test_a_previous_schedule_of_another_school_names_the_first_mismatches(
        tmp_path: Path) -> None:
    path = write_previous(tmp_path / "previous.xlsx", school(), first_schedule(), {})
    other = replace(school(), students=tuple(replace(s, id=f"X{s.id}")
                                             for s in school().students))
    with pytest.raises(WorkbookError) as raised:
        read_previous_schedule(path, other)
    (problem,) = raised.value.problems
    assert problem.sheet == ASSIGNMENTS_SHEET
    assert problem.column == "student"
    assert "another school" in problem.message
    assert "S1" in problem.message


def test_the_moves_come_first_unless_goals_say_otherwise() -> None:
    levels = resolve_levels({})
    assert [level[0][0] for level in levels[:3]] == ["children_moved", "sections_moved",
                                                     "unserved"]
    names = [level[0][0] for level in levels]
    # Study duties kept come after every goal about the children, before loads and cost.
    assert names.index("supervisors_moved") == names.index("lottery") + 1
    assert names.index("supervisors_moved") < names.index("teacher_max_load")
    assert resolve_levels({}, "unserved; children_moved*2, sections_moved") == (
        (("unserved", 1),), (("children_moved", 2), ("sections_moved", 1)))


def test_a_lock_no_section_may_keep_now_is_said_with_its_row_and_can_be_freed() -> None:
    """Chess now needs more children than chose it, so no chess section may open: the
    lock on it passes the one-by-one checks but the model has nothing to keep it with."""
    chess = next(s for s in first_schedule().sections if s.activity_id == "CHESS")
    lock = replace(_lock_of(chess.id, frozenset({"room"})), row=7)
    previous = Previous(first_schedule(), Locks(sections=(lock,)))
    study, chess_activity, football = school().activities
    changed = replace(school(), activities=(study, replace(chess_activity, min_size=9, max_size=10),
                                            football))
    levels = resolve_levels({})
    with pytest.raises(WorkbookError) as raised:
        resolve(changed, previous, replace(PARAMS, levels=levels))
    (problem,) = raised.value.problems
    assert (problem.sheet, problem.row, problem.column) == (SECTIONS_SHEET, 7, "lock")
    freed = resolve(changed, previous, replace(PARAMS, levels=levels), unlock_broken=True)
    assert [p.row for p in freed.unlocked] == [7]
    assert freed.result.schedule is not None
    assert check(changed, freed.result.schedule).ok


def test_a_repaired_schedule_written_without_any_level_is_not_called_the_constructive_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """When the time is gone before the first level, a re-solve writes the previous
    schedule repaired (the greedy's schedule breaking a lock, say): that is no
    constructive schedule, and the coordinator must not be told it is."""
    import time

    import optimizer.search.construct as construct
    import optimizer.search.solve as solving

    repair = construct.repaired_start

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(2.0)  # the repair of a big school takes the time left
        return repair(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(solving, "_constructive", lambda *args, **kwargs: None)
    monkeypatch.setattr(construct, "repaired_start", slow)
    changed = replace(school(), students=(*school().students[1:], *joiners(3)))
    params = replace(PARAMS, deterministic=False, time_limit=2.5,
                     levels=resolve_levels({}, None))
    found = resolve(changed, Previous(first_schedule()), params)
    assert found.result.report is not None
    assert found.result.report.ok, found.result.report.summary()
    assert found.result.level_status == []
    assert found.result.source == "search"
    assert not found.result.no_time_to_search
