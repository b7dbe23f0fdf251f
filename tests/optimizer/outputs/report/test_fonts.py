"""PDFs embed an installed Chinese TrueType font by default, and poppler draws every name.

The rendering tests need poppler's ``pdftoppm`` and ``pdftotext`` and an installed
Chinese TrueType font (CI installs ``poppler-utils`` and ``fonts-wqy-zenhei``); they
skip cleanly without them.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from models.school import School
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report import fonts
from optimizer.outputs.report.book import read_print_book
from optimizer.outputs.report.fonts import REFERENCED_CJK, Fonts, find_cjk_font
from optimizer.outputs.report.pdf import write_pdf
from optimizer.search.solve import Result

DPI = 144
SCALE = DPI / 72  # pixels per PDF point

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed")
needs_font = pytest.mark.skipif(find_cjk_font() is None,
                                reason="no Chinese TrueType font installed")


@pytest.fixture(scope="module")
def zh_book_path(zh_solved: tuple[School, Result], tmp_path_factory: pytest.TempPathFactory
                 ) -> Path:
    school, result = zh_solved
    return write_schedule(tmp_path_factory.mktemp("fonts") / "zh.xlsx", school, result)


def words(pdf: Path, page: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each word of the page's text layer with its box in points (poppler's own reading)."""
    done = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf),
                           "-"], capture_output=True, text=True, check=True)
    found = []
    for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', done.stdout):
        box = tuple(float(match[i]) for i in range(1, 5))
        found.append((match[5], box))
    return found  # type: ignore[return-value]


def ink(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    """Dark pixels inside a word's box: zero when the reader drew the word blank."""
    left, top, right, bottom = (round(v * SCALE) for v in box)
    region = image.crop((left, top, right, bottom)).convert("L")
    return sum(region.histogram()[:128])


@needs_font
def test_pdfs_embed_an_installed_chinese_truetype_font_by_default(
        zh_book_path: Path, tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "r.pdf", read_print_book(zh_book_path))
    data = path.read_bytes()
    assert b"FontFile2" in data  # an embedded TrueType font program
    assert REFERENCED_CJK.encode() not in data  # and no font left for the reader to supply
    if shutil.which("pdffonts"):
        listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                                 check=True).stdout
        # Helvetica is one of the 14 fonts every reader has; every other font is inside.
        others = [line.split() for line in listing.splitlines()[2:]
                  if line and not line.startswith("Helvetica")]
        assert others, listing
        assert all(cells[-5:-3] == ["yes", "yes"] for cells in others), listing


@needs_font
@needs_poppler
@pytest.mark.parametrize("kind", ["rosters", "classes", "staff"])
def test_poppler_draws_every_name_and_no_text_is_under_8_pt(
        zh_solved: tuple[School, Result], zh_book_path: Path, tmp_path: Path,
        kind: str) -> None:
    """Render each page as an image and look for ink where each name is: the names came out
    blank (not even boxes) in poppler when the font was only referenced. Every word's box
    is at least 7.3 pt tall: Helvetica at 8 pt measures 7.4, at 7 pt 6.5."""
    school, _ = zh_solved
    book = read_print_book(zh_book_path)
    pdf = write_pdf(tmp_path / f"{kind}.pdf", book, [kind])
    # Poppler reads "Teacher One" as two words: compare word by word.
    names = {w for n in [*(s.name for s in school.students), *(p.name for p in school.staff)]
             for w in n.split()}
    expected = {w for n in ([p.name for r in book.rosters for p in r.students]
                            if kind == "rosters" else
                            [row.pupil.name for c in book.classes for row in c.rows]
                            if kind == "classes" else
                            [p.name for p in book.staff if p.duties]) for w in n.split()}
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    images = sorted(tmp_path.glob("page*.png"))
    seen = set()
    for number, png in enumerate(images, start=1):
        found = words(pdf, number)
        assert min(box[3] - box[1] for _, box in found) >= 7.3, (kind, number)
        with Image.open(png) as image:
            for text, box in found:
                if text in names:
                    assert ink(image, box) > 20, (text, number)
                    seen.add(text)
    assert expected <= seen


def test_the_search_skips_what_reportlab_cannot_embed(tmp_path: Path) -> None:
    bogus = tmp_path / "broken.ttf"
    bogus.write_bytes(b"not a font")
    assert find_cjk_font([bogus, tmp_path / "missing.ttc"]) is None
    real = find_cjk_font()
    if real is not None:
        assert find_cjk_font([bogus, real]) == real


def test_without_a_chinese_font_the_pdf_references_one_and_says_what_to_install(
        zh_book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(fonts, "_found_once", lambda: None)
    fonts._warn_missing.cache_clear()
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        chosen = Fonts()
        path = write_pdf(tmp_path / "ref.pdf", read_print_book(zh_book_path))
    assert chosen.cjk == REFERENCED_CJK
    assert not chosen.embedded
    assert REFERENCED_CJK.encode() in path.read_bytes()
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 1  # once, however many PDFs
    assert "fonts-wqy-zenhei" in warned[0]
    assert "--font" in warned[0]
    fonts._warn_missing.cache_clear()


def test_fc_list_paths_are_read_whole_and_only_truetype_kept(
        monkeypatch: pytest.MonkeyPatch) -> None:
    listing = "C:/Windows/Fonts/msyh.ttc:\n/usr/share/fonts/noto/NotoSansCJK.otf:\n" \
              "/usr/share/fonts/wqy/wqy-zenhei.ttc: \n"
    monkeypatch.setattr(fonts.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(fonts.subprocess, "run",
                        lambda *a, **k: subprocess.CompletedProcess(a, 0, stdout=listing))
    assert fonts.installed_fonts() == sorted(
        [Path("C:/Windows/Fonts/msyh.ttc"), Path("/usr/share/fonts/wqy/wqy-zenhei.ttc")],
        key=str)
