"""PDFs: one page per section, class or person; Chinese names as real, extractable text."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from models.school import School
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.book import from_json, print_book, read_print_book, to_json
from optimizer.outputs.report.pdf import write_pdf
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


def test_rosters_one_page_per_section_with_the_chinese_names_as_text(
        zh_solved: tuple[School, Result], zh_workbook: Path, tmp_path: Path) -> None:
    school, result = zh_solved
    book = read_print_book(zh_workbook)
    path = write_pdf(tmp_path / "rosters.pdf", book, ["rosters"])
    texts = pages(path)
    schedule = result.schedule
    assert schedule is not None
    assert len(texts) == len(schedule.sections)
    names = {s.id: s.name for s in school.students}
    for roster, text in zip(book.rosters, texts, strict=True):
        assert roster.section_id in text
        for student_id in schedule.section_by_id[roster.section_id].student_ids:
            assert names[student_id] in text
        assert "点名册" in text
        assert "深圳市南山区测试小学" in text
    assert "第1页，共5页" in "".join(texts[0].split())  # page x of y, whatever the spacing
    assert all(name in "".join(texts) for name in CHINESE_NAMES)


def test_rosters_of_a_generated_school_keep_one_page_per_section(
        generated: tuple[School, Result], generated_workbook: Path, tmp_path: Path) -> None:
    school, result = generated
    assert result.schedule is not None
    texts = pages(write_pdf(tmp_path / "r.pdf", read_print_book(generated_workbook)))
    assert len(texts) == len(result.schedule.sections)
    biggest = max(result.schedule.sections, key=lambda s: s.size)
    page = next(t for t in texts if biggest.id in t)
    assert all(school.student_by_id[i].name in page for i in biggest.student_ids)


def test_class_lists_one_page_per_class_and_staff_one_page_per_person(
        generated: tuple[School, Result], generated_workbook: Path, tmp_path: Path) -> None:
    school, _result = generated
    book = read_print_book(generated_workbook)
    classes = pages(write_pdf(tmp_path / "c.pdf", book, ["classes"], lang="zh"))
    registered_classes = {s.class_name for s in school.registered_students}
    assert len(classes) == len(registered_classes)
    for class_list, text in zip(book.classes, classes, strict=True):
        assert f"{class_list.class_name}班" in text
        assert all(row.pupil.name in text for row in class_list.rows)
    staff = pages(write_pdf(tmp_path / "s.pdf", book, ["staff"], lang="en"))
    busy = [p for p in book.staff if p.duties]
    assert len(staff) == len(busy)
    assert all(p.name in text and "class hours/week" in text
               for p, text in zip(busy, staff, strict=True))


def test_parts_combine_in_order_and_the_language_can_change_at_print_time(
        zh_workbook: Path, tmp_path: Path) -> None:
    book = read_print_book(zh_workbook)
    texts = pages(write_pdf(tmp_path / "all.pdf", book, ["staff", "rosters"], lang="en"))
    busy = sum(1 for p in book.staff if p.duties)
    assert len(texts) == len(book.rosters) + busy
    assert texts[0].startswith("Roster") or "Roster" in texts[0]
    assert "Staff timetable" in texts[-1]
    assert f"Page 1 of {len(texts)}" in " ".join(texts[0].split())


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
