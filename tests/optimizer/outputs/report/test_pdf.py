"""PDFs: one page per section, class or person; Chinese names as real, extractable text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pypdf
import pytest

from models.school import School
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.book import (
    PrintBook,
    Selection,
    from_json,
    print_book,
    read_print_book,
    select,
    to_json,
)
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.pdf import write_pdf
from optimizer.outputs.report.sheets import roster_title
from optimizer.outputs.report.views import meeting_dates
from optimizer.search.solve import Result
from tests.optimizer.outputs.report.conftest import CHINESE_NAMES

CJK_TRUETYPE = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # what CI installs
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


@pytest.fixture(scope="module")
def zh_workbook(zh_solved: tuple[School, Result], tmp_path_factory: pytest.TempPathFactory
                ) -> Path:
    school, result = zh_solved
    return write_schedule(tmp_path_factory.mktemp("zh") / "zh.xlsx", school, result)


def roster_pages(book: PrintBook, texts: list[str]) -> dict[str, str]:
    """Section id → the text of the pages its roster is on (from its code line on)."""
    found: dict[str, str] = {}
    for roster in book.rosters:
        start = next(i for i, t in enumerate(texts) if roster.section_id in t)
        found[roster.section_id] = "".join(texts[start:start + 4])
    return found


def test_rosters_carry_the_terms_dates_every_child_and_a_signature_line(
        zh_solved: tuple[School, Result], zh_workbook: Path, tmp_path: Path) -> None:
    school, result = zh_solved
    book = read_print_book(zh_workbook)
    path = write_pdf(tmp_path / "rosters.pdf", book, ["rosters"])
    texts = pages(path)
    schedule = result.schedule
    assert schedule is not None
    names = {s.id: s.name for s in school.students}
    zh = Labels("zh")
    for roster in book.rosters:
        text = roster_pages(book, texts)[roster.section_id]
        for student_id in schedule.section_by_id[roster.section_id].student_ids:
            assert names[student_id] in text
        dates = meeting_dates(school.info.term_start, school.info.term_end,
                              {m.day for m in roster.meetings})
        assert len(dates) >= 15  # a term, not a week
        squeezed = "".join(text.split())
        assert all(f"{d.month}/{d.day}" in squeezed for d in dates)  # every meeting's date
    joined = "".join("".join(t.split()) for t in texts)
    assert joined.count("负责人签字") >= len(book.rosters)  # a line to sign on every roster
    assert "点名册" in texts[0]
    assert "深圳市南山区测试小学" in texts[0]
    assert f"第1页，共{len(texts)}页" in "".join(texts[0].split())
    assert all(name in joined for name in CHINESE_NAMES)
    assert zh("section_code", code=book.rosters[0].section_id).replace(" ", "") in joined


def test_each_activity_roster_starts_a_page_and_study_rosters_share_pages(
        generated: tuple[School, Result], generated_workbook: Path, tmp_path: Path) -> None:
    school, result = generated
    assert result.schedule is not None
    book = read_print_book(generated_workbook)
    texts = pages(write_pdf(tmp_path / "r.pdf", book))
    en = Labels("en")
    starts = {t.split("\n")[0] for t in texts}  # poppler and pypdf read the header last
    activities = [r for r in book.rosters if not r.is_study]
    study = [r for r in book.rosters if r.is_study]
    for roster in activities:
        assert any(line.startswith(roster_title(en, roster)) for line in starts), roster
    study_names = {r.activity_name for r in study}
    study_pages = [t for t in texts if t.split(" · ")[0] in study_names]
    assert len(study_pages) == len(study)  # a study group of up to 40 keeps to one page
    # Smaller study groups share a page: the same rosters with ten children each.
    small = dataclasses.replace(book, rosters=tuple(
        dataclasses.replace(r, students=r.students[:10]) if r.is_study else r
        for r in book.rosters))
    fewer = pages(write_pdf(tmp_path / "small.pdf", small))
    assert len([t for t in fewer if t.split(" · ")[0] in study_names]) <= len(study) / 2
    for roster in book.rosters:
        text = roster_pages(book, texts)[roster.section_id]
        assert all(school.student_by_id[p.id].name in text for p in roster.students)


def test_class_lists_name_activities_and_staff_share_pages(
        generated: tuple[School, Result], generated_workbook: Path, tmp_path: Path) -> None:
    school, _result = generated
    book = read_print_book(generated_workbook)
    classes = pages(write_pdf(tmp_path / "c.pdf", book, ["classes"], lang="zh"))
    joined = "".join(classes)
    registered_classes = {s.class_name for s in school.registered_students}
    assert len(classes) >= len(registered_classes)
    zh = Labels("zh")
    for class_list in book.classes:
        start = next(i for i, t in enumerate(classes) if f"{class_list.class_name}班" in t)
        text = "".join(classes[start:start + 2])
        assert all(row.pupil.name in text for row in class_list.rows)  # never cut
        for row in class_list.rows:
            for spot in row.spots:
                if spot is not None and spot.category != "study":
                    assert spot.activity_name in text  # by name, not a code
                    assert spot.room_name in text  # and where
    assert zh("classes.where") in joined
    staff = pages(write_pdf(tmp_path / "s.pdf", book, ["staff"], lang="en"))
    busy = [p for p in book.staff if p.duties]
    assert len(staff) < len(busy)  # several people to a page
    assert all(p.name in "".join(staff) for p in busy)
    assert "class hours/week" in staff[0]


def test_parts_combine_in_order_and_the_language_can_change_at_print_time(
        zh_workbook: Path, tmp_path: Path) -> None:
    book = read_print_book(zh_workbook)
    texts = pages(write_pdf(tmp_path / "all.pdf", book, ["staff", "rosters"], lang="en"))
    assert "Roster" in texts[0]
    assert "Staff timetable" in texts[-1]
    assert f"Page 1 of {len(texts)}" in " ".join(texts[0].split())
    reader = pypdf.PdfReader(tmp_path / "all.pdf")
    first, last = reader.pages[0].mediabox, reader.pages[-1].mediabox
    assert first.width > first.height  # rosters landscape
    assert last.width < last.height  # staff portrait


def test_a_selection_prints_one_day_activity_class_or_person_or_no_study(
        generated_workbook: Path) -> None:
    book = read_print_book(generated_workbook)
    tuesday = select(book, Selection(day=1))
    assert tuesday.rosters
    assert all(m.day == 1 for r in tuesday.rosters for m in r.meetings)
    assert all(s.day == 1 for c in tuesday.classes for s in c.slots)
    assert all(any(d.day == 1 for d in p.duties) for p in tuesday.staff)
    assert len(tuesday.rosters) < len(book.rosters)

    chess = next(r for r in book.rosters if not r.is_study)
    by_name = select(book, Selection(activity=chess.activity_name))
    assert by_name == select(book, Selection(activity=chess.activity_id.lower()))
    assert {r.activity_id for r in by_name.rosters} == {chess.activity_id}

    class_name = book.classes[0].class_name
    one_class = select(book, Selection(class_name=class_name))
    assert [c.class_name for c in one_class.classes] == [class_name]
    assert all(any(p.class_name == class_name for p in r.students) for r in one_class.rosters)

    person = next(p for p in book.staff if p.duties)
    mine = select(book, Selection(staff_id=person.id))
    assert [p.id for p in mine.staff] == [person.id]
    assert {r.section_id for r in mine.rosters} == {d.section_id for d in person.duties}

    no_study = select(book, Selection(study=False))
    assert no_study.rosters
    assert not any(r.is_study for r in no_study.rosters)
    assert select(book, Selection()) == book


@pytest.mark.parametrize(("selection", "message"), [
    (Selection(activity="Underwater chess"), "no activity 'Underwater chess'"),
    (Selection(class_name="9-9"), "no class '9-9'"),
    (Selection(staff_id="NOBODY"), "no staff member 'NOBODY'"),
])
def test_a_selection_of_nothing_names_the_choices(generated_workbook: Path,
                                                  selection: Selection, message: str) -> None:
    with pytest.raises(ValueError, match=message) as error:
        select(read_print_book(generated_workbook), selection)
    assert "choose one of" in str(error.value)


def test_print_data_round_trips(zh_solved: tuple[School, Result]) -> None:
    school, result = zh_solved
    assert result.schedule is not None
    book = print_book(school, result.schedule)
    assert from_json(to_json(book)) == book


def test_an_embedded_truetype_font_also_gives_extractable_chinese(
        zh_workbook: Path, tmp_path: Path) -> None:
    font = next((f for f in CJK_TRUETYPE if f.exists()), None)
    if font is None:
        pytest.skip("no Chinese TrueType font installed")
    path = write_pdf(tmp_path / "embedded.pdf", read_print_book(zh_workbook), font=font)
    assert CHINESE_NAMES[0] in "".join(pages(path))
    assert b"FontFile2" in path.read_bytes()  # the font is inside the file


def test_a_font_that_cannot_be_embedded_is_refused(zh_workbook: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"hello")
    with pytest.raises(ValueError, match=r"cannot use not-a-font\.ttf"):
        write_pdf(tmp_path / "x.pdf", read_print_book(zh_workbook), font=bogus)
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("kind", ["rosters", "staff"])
def test_every_page_header_names_what_the_page_holds(
        generated_workbook: Path, tmp_path: Path, kind: str) -> None:
    """A block that moves on to the next page must not rename the page it left (the last
    activity roster's page once said "Supervised study"; staff page 1 named the first
    person of page 2)."""
    book = read_print_book(generated_workbook)
    part = {"rosters": "Roster · ", "staff": "Staff timetable · "}[kind]
    texts = pages(write_pdf(tmp_path / f"{kind}.pdf", book, [kind], lang="en"))

    def bare(text: str) -> str:  # text extraction breaks lines between fonts
        return "".join(text.split())

    for number, text in enumerate(texts, start=1):
        body, _, header = text.rpartition(part)  # the header is drawn last
        named = bare(header).split(bare(book.school_name)[:4])[0]
        for name in named.split("–"):
            assert name in bare(body), f"page {number}: header names {name!r}"
