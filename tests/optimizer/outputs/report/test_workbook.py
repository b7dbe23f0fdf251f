"""The output workbook: every sheet present, printable, and agreeing with Assignments.

A child's place is read four ways: the contract's Assignments sheet, the
Students sheet, their class list and their section's roster. They must agree
cell for cell, or a homeroom teacher and an activity leader would look for the
same child in different rooms.
"""

from __future__ import annotations

import dataclasses
import zipfile
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from models.check import term_cost
from models.contract import ASSIGNMENTS_COLUMNS, SECTIONS_COLUMNS
from models.problems import warning
from models.schedule_io import read_schedule
from models.school import FEN_PER_YUAN, School
from models.template import write_school
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.paper import Paper, paper_for
from optimizer.outputs.report.views import section_letters
from optimizer.outputs.report.workbook import write_report
from optimizer.search.solve import Result
from tests.optimizer.outputs.report.conftest import INJECTION, risky_school, solve_checked

EN = Labels("en")
HUMAN_SHEETS = ("summary", "timetable", "rosters", "classes", "students", "staff", "rooms",
                "budget", "unmet", "warnings")
Place = tuple[str, str, int]  # student, day, period


def assignments(workbook: openpyxl.Workbook) -> dict[Place, str]:
    rows = workbook["Assignments"].iter_rows(min_row=2, values_only=True)
    return {(str(r[0]), str(r[1]), int(r[2])): str(r[3]) for r in rows if r[0] is not None}


def sections(workbook: openpyxl.Workbook) -> dict[str, tuple[str, set[str]]]:
    """Section → (activity id, room ids) from the Sections sheet."""
    found: dict[str, tuple[str, set[str]]] = {}
    for row in workbook["Sections"].iter_rows(min_row=2, values_only=True):
        found.setdefault(str(row[0]), (str(row[1]), set()))[1].add(str(row[5]))
    return found


def test_every_sheet_is_there_in_order_with_the_contract_sheets_untouched(
        generated: tuple[School, Result], generated_workbook: Path) -> None:
    school, result = generated
    workbook = openpyxl.load_workbook(generated_workbook)
    visible = [s.title for s in workbook.worksheets if s.sheet_state == "visible"]
    assert visible == [EN.sheet(k) for k in HUMAN_SHEETS] + ["Sections", "Assignments"]
    assert workbook["Print data"].sheet_state == "hidden"
    assert [c.value for c in workbook["Sections"][1]] == list(SECTIONS_COLUMNS)
    assert [c.value for c in workbook["Assignments"][1]] == list(ASSIGNMENTS_COLUMNS)
    plan = read_schedule(generated_workbook, school)
    assert plan.places == result.schedule.places  # type: ignore[union-attr]


def test_students_sheet_agrees_with_assignments(generated: tuple[School, Result],
                                                generated_workbook: Path) -> None:
    school, result = generated
    assert result.schedule is not None
    workbook = openpyxl.load_workbook(generated_workbook)
    placed = assignments(workbook)
    meetings = sections(workbook)
    letter = section_letters(school, result.schedule.sections)
    sheet = workbook[EN.sheet("students")]
    header = [c.value for c in sheet[1]]
    days = {i: str(h) for i, h in enumerate(header) if h in ("Mon", "Tue", "Wed", "Thu", "Fri")}
    assert len(days) == 5
    seen: dict[Place, str] = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        for index, day in days.items():
            for line in str(row[index] or "").splitlines():
                period, _, text = line.partition(" ")
                seen[str(row[0]), day, int(period)] = text

    def expected(section: str) -> str:
        activity = school.activity_by_id[meetings[section][0]]
        name = EN("study_short") if activity.is_study else activity.name
        return f"{name} {letter[section]}".strip()

    assert seen == {place: expected(section) for place, section in placed.items()}


def test_class_lists_agree_with_assignments(generated: tuple[School, Result],
                                            generated_workbook: Path) -> None:
    """Each cell names the child's activity and section letter; the lines under the grid
    say where each is and who is in charge (by name: no code to decode)."""
    school, result = generated
    assert result.schedule is not None
    letter = section_letters(school, result.schedule.sections)
    workbook = openpyxl.load_workbook(generated_workbook)
    placed = assignments(workbook)
    meetings = sections(workbook)
    sheet = workbook[EN.sheet("classes")]
    ids = {(s.class_name, s.name): s.id for s in school.students}
    seen: dict[Place, str] = {}
    slots: dict[int, tuple[str, int]] = {}
    places: list[str] = []
    class_name = ""
    for row in sheet.iter_rows(values_only=True):
        if isinstance(row[0], str) and row[0].startswith("Class "):
            class_name = row[0].split()[1]
            continue
        if row[0] == EN("no_"):  # a class block's header row
            slots = {i: (str(h).split()[0], int(str(h).split()[1].split("\n")[0]))
                     for i, h in enumerate(row) if i >= 2 and h}
            continue
        if isinstance(row[0], str) and ": " in row[0]:  # places, up to two to a line
            places += [c for c in row if isinstance(c, str) and ": " in c]
        if not isinstance(row[0], int):
            continue
        student_id = ids[class_name, str(row[1])]
        for index, (day, period) in slots.items():
            text = str(row[index] or "")
            if (student_id, day, period) in placed:
                seen[student_id, day, period] = text
            else:
                assert text in (EN("picked_up"), EN("not_here")), (student_id, day, text)

    def expected(section: str) -> str:
        activity = school.activity_by_id[meetings[section][0]]
        name = EN("study_short") if activity.is_study else activity.name
        return f"{name} {letter[section]}".strip()

    assert seen == {place: expected(section) for place, section in placed.items()}
    for section in set(placed.values()):
        rooms = {school.room_by_id[r].name for r in meetings[section][1]}
        assert any(p.startswith(expected(section) + ":") and any(r in p for r in rooms)
                   for p in places), section


def test_rosters_agree_with_assignments(generated: tuple[School, Result],
                                        generated_workbook: Path) -> None:
    school, _ = generated
    ids = {(s.class_name, s.name): s.id for s in school.students}
    workbook = openpyxl.load_workbook(generated_workbook)
    members: dict[str, set[str]] = defaultdict(set)
    for (student, _, _), section in assignments(workbook).items():
        members[section].add(student)
    sheet = workbook[EN.sheet("rosters")]
    found: dict[str, set[str]] = {}
    current = None
    for row in sheet.iter_rows(min_row=2, values_only=True):
        prefix = EN("section_code", code="")
        if isinstance(row[0], str) and row[0].startswith(prefix):  # the line above the names
            current = row[0][len(prefix):]
            found.setdefault(current, set())
        elif isinstance(row[0], int) and current is not None:
            found[current].add(ids[str(row[2]), str(row[1])])
    assert found == dict(members)
    assert sheet.print_title_rows == "$1:$1"


def test_summary_budget_and_unmet_agree_with_the_checker(
        generated: tuple[School, Result], generated_workbook: Path) -> None:
    school, result = generated
    report = result.report
    assert report is not None
    workbook = openpyxl.load_workbook(generated_workbook)
    summary = {row[0]: row[1] for row in workbook[EN.sheet("summary")].iter_rows(values_only=True)}
    counts = [summary[EN.ordinal(r)] for r in range(1, 6)] + [summary[EN("fared.none")]]
    assert sum(counts) == report.kpis["choosers"]
    assert summary[EN("fared.none")] == report.kpis["choosers_with_none"]
    assert summary[EN("seed")] == result.seed
    assert workbook[EN.sheet("summary")]._charts  # the chart of how students fared
    budget = {row[0]: row[1] for row in workbook[EN.sheet("budget")].iter_rows(values_only=True)}
    cost = term_cost(school, result.schedule)  # type: ignore[arg-type]
    assert budget[EN("budget.total")] == pytest.approx(cost / FEN_PER_YUAN)
    parts = ("budget.session_fees", "budget.staff_pay", "budget.venue_fees",
             "budget.per_head_fees")
    assert sum(budget[EN(k)] for k in parts) == pytest.approx(cost / FEN_PER_YUAN)
    assert EN("budget.public") in budget  # the sample school is public
    unmet = [row for row in workbook[EN.sheet("unmet")].iter_rows(min_row=4, values_only=True)
             if row[0] is not None]
    with_none = [row for row in unmet if row[5] == EN("none_of_choices")]
    assert len(with_none) == report.kpis["choosers_with_none"]
    assert all(row[7] for row in unmet)  # every row says why


def test_every_sheet_prints_on_a4_at_8_pt_or_more_with_its_titles_on_every_page(
        generated_workbook: Path) -> None:
    """Fitted to the width, the columns give a scale at which the smallest font prints at
    8 pt or more (Calibri's widths, as Excel measures); headed, numbered, with print
    titles on every page."""
    workbook = openpyxl.load_workbook(generated_workbook)
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth == 1, sheet.title
        used = [sheet.column_dimensions[get_column_letter(i)].width or 13
                for i in range(1, sheet.max_column + 1)]
        paper = paper_for(used, landscape=sheet.page_setup.orientation == "landscape")
        assert paper.scale == int(sheet.page_setup.scale), sheet.title  # what was planned
        sizes = {float(c.font.sz or 11) for row in sheet.iter_rows() for c in row
                 if c.value is not None}
        assert paper.smallest_font(min(sizes)) >= 7.9, (sheet.title, paper)
        assert sheet.print_title_rows, sheet.title  # headers on every printed page
        assert "&P" in sheet.oddFooter.center.text
        assert "&N" in sheet.oddFooter.center.text
        assert "term" in sheet.oddHeader.right.text, sheet.title
    assert workbook[EN.sheet("rosters")].page_setup.orientation == "landscape"


def test_rows_of_a_paginated_sheet_never_leave_a_page_for_a_couple_of_names(
        generated_workbook: Path) -> None:
    """Between two page breaks the rows' heights fill at most one page at the sheet's scale,
    and a roster's continuation page opens with its title and column header again."""
    workbook = openpyxl.load_workbook(generated_workbook)
    for key in ("rosters", "classes", "timetable", "staff"):
        sheet = workbook[EN.sheet(key)]
        paper = Paper(landscape=sheet.page_setup.orientation == "landscape",
                      scale=int(sheet.page_setup.scale))
        breaks = [b.id for b in sheet.row_breaks.brk] + [sheet.max_row]
        start = 2
        for end in breaks:
            height = sum(sheet.row_dimensions[r].height or 15 for r in range(start, end + 1))
            assert height <= paper.body_height, (key, start, end)
            start = end + 1
    rosters = workbook[EN.sheet("rosters")]
    for brk in rosters.row_breaks.brk:
        first = rosters.cell(row=brk.id + 1, column=1).value
        assert isinstance(first, str), first  # a title, never a child's row
        assert rosters.cell(row=brk.id + 1, column=1).font.sz == 12


def test_chinese_workbook_has_chinese_sheets_and_the_contract_sheets_unchanged(
        zh_solved: tuple[School, Result], tmp_path: Path) -> None:
    school, result = zh_solved
    path = write_schedule(tmp_path / "zh.xlsx", school, result)  # language from the school
    workbook = openpyxl.load_workbook(path)
    zh = Labels("zh")
    assert workbook.sheetnames[:3] == ["概况", "课表", "点名册"]
    assert {"Sections", "Assignments"} <= set(workbook.sheetnames)
    roster = [row[1] for row in workbook[zh.sheet("rosters")].iter_rows(values_only=True)]
    assert "张伟" in roster
    assert [c.value for c in workbook["Assignments"][1]] == list(ASSIGNMENTS_COLUMNS)
    english = write_schedule(tmp_path / "en.xlsx", school, result, lang="en")
    assert openpyxl.load_workbook(english).sheetnames[0] == "Summary"


def test_input_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    school = risky_school()
    result = solve_checked(school)
    path = write_schedule(tmp_path / "risky.xlsx", school, result, lang="en")
    with zipfile.ZipFile(path) as archive:
        xml = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    sheets = {name: text for name, text in xml.items() if name.startswith("xl/worksheets/")}
    assert not any("<f>" in text or "<f " in text for text in sheets.values())  # no formula
    assert not any("<hyperlink" in text for text in sheets.values())  # and no link
    assert not any("relationships/hyperlink" in text for text in xml.values())
    workbook = openpyxl.load_workbook(path)
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value[:1] in "=+-@\t"]
    values = {c.value for c in cells}
    assert {INJECTION, "+86 138", "@SUM(A1)", "-1+2", "=1+1", "\tTab room"} <= values
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    # The school name with "&" survives the page header, where "&" starts a code.
    assert "A && B =School" in workbook[EN.sheet("rosters")].oddHeader.center.text


def test_warnings_sheet_lists_what_validation_warned_about(
        zh_solved: tuple[School, Result], tmp_path: Path) -> None:
    school, result = zh_solved
    problem = warning("Staff", "volunteer without a background check may not serve; left out",
                      row=7, column="vetted", value="V9")
    path = write_schedule(tmp_path / "w.xlsx", dataclasses.replace(school, warnings=(problem,)),
                          result, lang="en")
    rows = list(openpyxl.load_workbook(path)[EN.sheet("warnings")].iter_rows(values_only=True))
    assert ("warning", "Staff", 7, "vetted", "V9", problem.message) in rows


def test_the_old_file_survives_a_failed_write(zh_solved: tuple[School, Result], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    school, result = zh_solved
    path = write_schedule(tmp_path / "out.xlsx", school, result)
    before = path.read_bytes()

    def broken(self: object, filename: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(OSError, match="disk full"):
        write_schedule(path, school, result)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary left behind


def test_a_report_from_a_schedule_read_back_needs_no_solve(
        zh_solved: tuple[School, Result], tmp_path: Path) -> None:
    school, result = zh_solved
    school_path = tmp_path / "school.xlsx"
    write_school(school_path, school)
    first = write_schedule(tmp_path / "s.xlsx", school, result)
    plan = read_schedule(first, school)
    again = write_report(tmp_path / "again.xlsx", school, plan, lang="en", seed=result.seed)
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(again)["Summary"].iter_rows(
        values_only=True)}
    assert summary[EN("solver_status")] == EN("status.unknown")
    assert summary[EN("checker")] == EN("checker_ok")


def test_timetable_shows_every_meeting_on_its_day(generated: tuple[School, Result],
                                                  generated_workbook: Path) -> None:
    """Each meeting's box says the activity and section letter ("Chess B"), never a code."""
    school, result = generated
    assert result.schedule is not None
    letter = section_letters(school, result.schedule.sections)
    workbook = openpyxl.load_workbook(generated_workbook)
    meetings = {(str(r[2]), f"{school.activity_by_id[str(r[1])].name} {letter[str(r[0])]}".strip())
                for r in workbook["Sections"].iter_rows(min_row=2, values_only=True)}
    days = {EN.day_long(d): EN.day(d) for d in range(5)}
    shown: set[tuple[str, str]] = set()
    day = None
    for row in workbook[EN.sheet("timetable")].iter_rows(min_row=2, values_only=True):
        first = str(row[0] or "")
        if first.split(":")[0] in days:
            day = days[first.split(":")[0]]
            continue
        if first == EN("time"):
            continue  # the rooms' header row
        for cell in row[1:]:
            if isinstance(cell, str) and "\n" in cell and day is not None:
                shown.add((day, cell.split("\n")[0]))  # activity and letter, staff, size
    assert shown == meetings
    assert not any(section_id in str(cell) for section_id in letter
                   for row in workbook[EN.sheet("timetable")].iter_rows(values_only=True)
                   for cell in row)
