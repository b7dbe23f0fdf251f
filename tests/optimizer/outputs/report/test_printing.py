"""The workbook printed by LibreOffice, as a principal would print it on A4.

Converts a Chinese workbook of the generated 120-student school to PDF with
LibreOffice and reads the pages back with poppler: every sheet's continuation
pages carry its heading, Chinese is drawn (ink where a name is), and no page of
a roster holds only a signature line or a couple of names. Skips without
``soffice``, ``pdftotext``/``pdftoppm`` or a Chinese font.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from models.school import School
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.fonts import find_cjk_font
from optimizer.outputs.report.labels import Labels
from optimizer.search.solve import Result

pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in ("soffice", "pdftotext", "pdftoppm"))
    or find_cjk_font() is None,
    reason="LibreOffice, poppler-utils or a Chinese font not installed")

ZH = Labels("zh")


@pytest.fixture(scope="module")
def printed(generated: tuple[School, Result], tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[Path, list[str], list[str]]:
    """(the PDF, each page's text, the sheet each page belongs to)."""
    school, result = generated
    folder = tmp_path_factory.mktemp("printed")
    workbook = write_schedule(folder / "zh.xlsx", school, result, lang="zh")
    profile = folder / "profile"  # a private profile: no clash with a running LibreOffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                   capture_output=True, timeout=600, check=True)
    pdf = folder / "zh.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    names = [s.title for s in openpyxl.load_workbook(workbook, read_only=True).worksheets
             if s.sheet_state == "visible"]
    owners: list[str] = []
    for page in pages:
        # The page header names the sheet; a chart's labels may be read before it.
        heads = [line.strip() for line in page.strip().splitlines()[:3]]
        found = [n for n in names for head in heads if head.startswith(n)]
        owners.append(max(found, key=len) if found else owners[-1])
    return pdf, pages, owners


def test_every_printed_page_is_headed_with_its_sheet_and_its_columns(
        printed: tuple[Path, list[str], list[str]]) -> None:
    _pdf, pages, owners = printed
    seen = set(owners)
    assert {ZH.sheet(k) for k in ("summary", "timetable", "rosters", "classes", "students",
                                  "staff", "rooms", "budget")} <= seen
    for number, (page, owner) in enumerate(zip(pages, owners, strict=True)):
        if number and owners[number - 1] == owner:  # a continuation page
            lines = [line.strip() for line in page.strip().splitlines()[1:12]
                     if line.strip()][:6]
            body = "".join(lines).replace(" ", "")
            # The print title: the sheet's title row, or its column header.
            assert owner in body or ZH("student_id") in body or "section" in body \
                or "student" in body, (owner, number, lines)


def test_no_roster_page_holds_only_a_signature_or_a_couple_of_names(
        printed: tuple[Path, list[str], list[str]]) -> None:
    _pdf, pages, owners = printed
    for page, owner in zip(pages, owners, strict=True):
        if owner != ZH.sheet("rosters"):
            continue
        rows = re.findall(r"^\s*(\d+)\s+\S+\s+\d+-\d+", page, flags=re.MULTILINE)
        assert len(rows) >= 3 or "签到" not in page, page[:300]


def test_chinese_names_are_drawn_in_the_printed_workbook(
        generated: tuple[School, Result], printed: tuple[Path, list[str], list[str]],
        tmp_path: Path) -> None:
    school, _ = generated
    pdf, _pages, owners = printed
    page = owners.index(ZH.sheet("rosters")) + 1
    subprocess.run(["pdftoppm", "-r", "144", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    words = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                            "-"], capture_output=True, text=True, check=True).stdout
    names = {s.name for s in school.students}
    boxes = [(float(a), float(b), float(c), float(d)) for a, b, c, d, word in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', words)
        if word in names]
    assert len(boxes) >= 3
    with Image.open(tmp_path / "page.png") as image:
        grey = image.convert("L")
        for box in boxes:
            region = grey.crop(tuple(round(v * 2) for v in box))
            assert sum(region.histogram()[:128]) > 10  # ink, not a blank box
