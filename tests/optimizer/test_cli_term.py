"""During the term and after it: ``schedule diff`` says exactly what changed between two
schedules; ``schedule cover`` who may take an absent person's meetings; ``solve
--previous`` raises the children last term served badly."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pypdf
import pytest
from click.testing import CliRunner

from models.check import check
from models.contract import ASSIGNMENTS_COLUMNS
from models.reader import read_school
from models.schedule import Schedule
from models.schedule_io import read_schedule
from models.school import School
from optimizer.cli import Exit, main
from optimizer.outputs.report.workbook import write_report
from tests.factories import TERM_START
from tests.optimizer.helpers import copied


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory, tiny_solved_once: tuple[Path, Path]
         ) -> tuple[Path, Path, School, Schedule]:
    """The tiny school's workbook and a solved, checked schedule written from it."""
    school_path, schedule_path = copied(tiny_solved_once, tmp_path_factory.mktemp("term"))
    school = read_school(school_path)
    return school_path, schedule_path, school, read_schedule(schedule_path, school)


def _moved_room(schedule: Schedule) -> tuple[Schedule, str]:
    """The schedule with its first chosen activity's section in room R9: nothing else."""
    section = next(s for s in schedule.sections if s.activity_id != "STUDY")
    moved = dataclasses.replace(section, meetings=tuple(
        dataclasses.replace(m, room_id="R9") for m in section.meetings))
    sections = tuple(moved if s.id == section.id else s for s in schedule.sections)
    return dataclasses.replace(schedule, sections=sections), section.id


def test_diff_lists_exactly_the_section_that_moved(term: tuple[Path, Path, School, Schedule],
                                                  tmp_path: Path) -> None:
    _, a, school, schedule = term
    changed, section_id = _moved_room(schedule)
    b = write_report(tmp_path / "b.xlsx", school, changed)
    outcome = CliRunner().invoke(main, ["diff", str(a), str(b)])
    assert outcome.exit_code == Exit.OK, outcome.output
    assert "Children whose week changed: 0" in outcome.output
    assert "Sections moved (day or time, room or staff): 1" in outcome.output
    moved = [line for line in outcome.output.splitlines() if line.startswith(f"  {section_id} ")]
    assert len(moved) == 1
    assert "room" in moved[0]
    assert "R9" in moved[0]
    assert outcome.output.strip().endswith("for the letters home.")


def test_diff_of_a_schedule_with_itself_says_nothing_changed(
        term: tuple[Path, Path, School, Schedule]) -> None:
    _, a, _, _ = term
    outcome = CliRunner().invoke(main, ["diff", str(a), str(a)])
    assert outcome.exit_code == Exit.OK
    assert outcome.output.strip().endswith(f"Nothing changed between {a.name} and {a.name}.")


def test_diff_writes_a_redacted_changes_sheet_without_names(
        term: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, a, school, _ = term
    b = write_report(tmp_path / "b.xlsx", school, Schedule())  # everybody left
    out = tmp_path / "changes.xlsx"
    outcome = CliRunner().invoke(main, ["diff", str(a), str(b), "--school", str(school_path),
                                        "-o", str(out), "--redact"])
    assert outcome.exit_code == Exit.OK, outcome.output
    cells = [str(c.value) for row in openpyxl.load_workbook(out).active.iter_rows()
             for c in row if c.value is not None]
    assert "left" in cells
    for student in school.students:
        assert student.name not in " ".join(cells)
        assert student.name not in outcome.output


def test_diff_output_needs_the_school(term: tuple[Path, Path, School, Schedule],
                                      tmp_path: Path) -> None:
    _, a, _, _ = term
    outcome = CliRunner().invoke(main, ["diff", str(a), str(a), "-o", str(tmp_path / "c.xlsx")])
    assert outcome.exit_code == Exit.USAGE
    assert not (tmp_path / "c.xlsx").exists()


def test_diff_of_a_workbook_that_is_no_schedule_is_invalid(
        term: tuple[Path, Path, School, Schedule]) -> None:
    school_path, a, _, _ = term
    outcome = CliRunner().invoke(main, ["diff", str(school_path), str(a)])
    assert outcome.exit_code == Exit.INVALID
    assert "Sections" in outcome.output


def _a_meeting_day(schedule: Schedule) -> tuple[str, dt.date]:
    """Someone who staffs a meeting, and the term's first date on that meeting's weekday."""
    meeting = schedule.sections[0].meetings[0]
    first = TERM_START + dt.timedelta(days=(meeting.day - TERM_START.weekday()) % 7)
    return meeting.staff_ids[0], first


def test_cover_lists_the_meetings_and_writes_the_printable_sheet(
        term: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, a, _, schedule = term
    away, date = _a_meeting_day(schedule)
    out = tmp_path / "cover.xlsx"
    outcome = CliRunner().invoke(main, ["cover", str(a), "--school", str(school_path),
                                        "--date", date.isoformat(), "--absent", away,
                                        "-o", str(out)])
    assert outcome.exit_code == Exit.OK, outcome.output
    assert f"to cover on {date.isoformat()}" in outcome.output
    assert openpyxl.load_workbook(out).sheetnames == ["Cover"]


@pytest.mark.parametrize(("absent", "date", "said"), [
    ("T99", "2026-09-07", "T99 is not in the Staff sheet"),
    ("T1", "2027-04-12", "outside the term"),
    ("T1", "2026-09-06", "not a school day"),
])
def test_cover_refuses_an_unknown_person_or_a_day_off_the_term(
        term: tuple[Path, Path, School, Schedule], tmp_path: Path, absent: str, date: str,
        said: str) -> None:
    school_path, a, _, _ = term
    out = tmp_path / "cover.xlsx"
    outcome = CliRunner().invoke(main, ["cover", str(a), "--school", str(school_path),
                                        "--date", date, "--absent", absent, "-o", str(out)])
    assert outcome.exit_code == Exit.USAGE
    assert said in outcome.output
    assert not out.exists()


def _last_term(path: Path, rows: list[tuple[str, str, str, int | None]]) -> Path:
    """An Assignments sheet as a schedule workbook holds it: (student, section, activity,
    choice_rank), all on Monday period 1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Assignments"
    sheet.append(list(ASSIGNMENTS_COLUMNS))
    for student, section, activity, rank in rows:
        sheet.append([student, "Mon", 1, section, activity, rank])
    workbook.save(path)
    return path


def test_solve_previous_raises_the_child_who_got_only_study_and_says_so(
        term: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, _, school, _ = term
    previous = _last_term(tmp_path / "last.xlsx", [("S1", "C1", "CHESS", 1),
                                                  ("S2", "ST1", "STUDY", None)])
    out = tmp_path / "next.xlsx"
    outcome = CliRunner().invoke(main, ["solve", str(school_path), "--previous", str(previous),
                                        "-o", str(out), "--time-limit", "10", "--workers", "1",
                                        "--deterministic", "-q"])
    assert outcome.exit_code == Exit.OK, outcome.output
    assert "1 raised one priority" in outcome.output
    summary = {row[0]: row[1] for row in openpyxl.load_workbook(out).worksheets[0]
               .iter_rows(values_only=True) if row[0]}
    assert summary["Raised for last term (fewer places than they wanted)"] == 1
    assert check(school, read_schedule(out, school)).ok


def test_solve_previous_from_another_school_names_the_first_rows_and_writes_nothing(
        term: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, _, _, _ = term
    previous = _last_term(tmp_path / "other.xlsx", [(f"X{i}", "ST1", "STUDY", None)
                                                   for i in range(3)])
    out = tmp_path / "next.xlsx"
    outcome = CliRunner().invoke(main, ["solve", str(school_path), "--previous", str(previous),
                                        "-o", str(out), "-q"])
    assert outcome.exit_code == Exit.INVALID
    assert "X0" in outcome.output
    assert "not in this term's Students sheet" in outcome.output
    assert not out.exists()


def test_diff_writes_the_changes_as_a_pdf_without_names_when_redacted(
        term: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, a, school, _ = term
    b = write_report(tmp_path / "b.xlsx", school, Schedule())
    out = tmp_path / "changes.pdf"
    outcome = CliRunner().invoke(main, ["diff", str(a), str(b), "--school", str(school_path),
                                        "-o", str(out), "--redact"])
    assert outcome.exit_code == Exit.OK, outcome.output
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "3-1-01" in text
    assert not [s.name for s in school.students if s.name in text]
