"""``schedule solve --lang/--redact/--pdf``, ``schedule print`` and ``schedule report``,
end to end on the tiny school; and the workbook opened by LibreOffice when it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pypdf
import pytest
from click.testing import CliRunner

from models.template import write_school
from optimizer.cli import Exit, main
from tests.optimizer.outputs.report.conftest import CHINESE_NAMES, chinese_school


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(school workbook, schedule workbook) from ``schedule solve --pdf``; Chinese school."""
    folder = tmp_path_factory.mktemp("cli")
    school = folder / "school.xlsx"
    write_school(school, chinese_school())
    out = folder / "out.xlsx"
    done = CliRunner().invoke(main, ["solve", str(school), "-o", str(out), "--seed", "3",
                                     "--time-limit", "10", "--workers", "1", "--quiet",
                                     "--pdf"])
    assert done.exit_code == 0, done.output
    return school, out


def run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, list(args))
    return done.exit_code, done.output


def num_pages(path: Path) -> int:
    return len(pypdf.PdfReader(path).pages)


def test_solve_pdf_writes_the_three_pdfs_in_the_schools_language(
        solved: tuple[Path, Path]) -> None:
    _, out = solved
    assert openpyxl.load_workbook(out).sheetnames[0] == "概况"  # School sheet: language zh
    sections = openpyxl.load_workbook(out)["Sections"]
    num_sections = len({row[0] for row in sections.iter_rows(min_row=2, values_only=True)})
    for kind in ("rosters", "classes", "staff"):
        assert out.with_name(f"out-{kind}.pdf").exists()
    rosters = out.with_name("out-rosters.pdf")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(rosters).pages)
    codes = {str(row[0]) for row in sections.iter_rows(min_row=2, values_only=True)}
    assert len(codes) == num_sections
    assert all(code in text for code in codes)  # every section has its roster
    assert CHINESE_NAMES[0] in text


def test_print_defaults_to_rosters_beside_the_schedule(solved: tuple[Path, Path]) -> None:
    _, out = solved
    code, output = run("print", str(out))
    assert code == 0, output
    assert num_pages(out.with_name("out-rosters.pdf")) >= 1
    code, output = run("print", str(out), "--classes", "--staff", "--lang", "en", "-o",
                       str(out.with_name("both.pdf")))
    assert code == 0, output
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out.with_name("both.pdf")).pages)
    assert "Class list" in text
    assert "Staff timetable" in text


def test_print_filters_choose_what_is_printed(solved: tuple[Path, Path]) -> None:
    _, out = solved
    everything = num_pages(out.with_name("out-rosters.pdf"))
    monday = out.with_name("monday.pdf")
    code, output = run("print", str(out), "--day", "Mon", "--no-study", "-o", str(monday))
    assert code == 0, output
    assert num_pages(monday) < everything
    zhou_yi = out.with_name("zhou-yi.pdf")  # the day as a Chinese school writes it
    code, output = run("print", str(out), "--day", "周一", "--no-study", "-o", str(zhou_yi))
    assert code == 0, output
    assert num_pages(zhou_yi) == num_pages(monday)
    code, output = run("print", str(out), "--day", "Sat", "-o", str(zhou_yi))
    assert code == 64, output
    staff = openpyxl.load_workbook(out)["Sections"]
    person = str(next(staff.iter_rows(min_row=2, values_only=True))[6]).split(",")[0].strip()
    mine = out.with_name("mine.pdf")
    code, output = run("print", str(out), "--staff", person, "-o", str(mine))
    assert code == 0, output
    text = "".join(p.extract_text() for p in pypdf.PdfReader(mine).pages)
    assert "人员课表" in text  # the school's language: zh
    assert num_pages(mine) == 1  # one person's week
    code, output = run("print", str(out), "--activity", "Underwater chess",
                       "-o", str(out.with_name("none.pdf")))
    assert code == Exit.USAGE  # a command-line value that names nothing, like a bad --font
    assert "no activity 'Underwater chess'" in output
    assert not out.with_name("none.pdf").exists()


def test_print_redacted_and_from_the_school_workbook(solved: tuple[Path, Path]) -> None:
    school, out = solved
    redacted = out.with_name("redacted.pdf")
    assert run("print", str(out), "--redact", "-o", str(redacted))[0] == 0
    text = "".join(p.extract_text() for p in pypdf.PdfReader(redacted).pages)
    assert not [n for n in CHINESE_NAMES if n in text]
    assert "3-1-01" in text
    from_school = out.with_name("from-school.pdf")
    code, output = run("print", str(out), "--school", str(school), "-o", str(from_school))
    assert code == 0, output
    assert num_pages(from_school) == num_pages(out.with_name("out-rosters.pdf"))


def test_solve_refuses_a_font_it_cannot_embed_before_solving(tmp_path: Path) -> None:
    school = tmp_path / "school.xlsx"
    write_school(school, chinese_school())
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    out = tmp_path / "out.xlsx"
    done = CliRunner().invoke(main, ["solve", str(school), "-o", str(out), "--quiet",
                                     "--time-limit", "5", "--workers", "1", "--pdf",
                                     "--font", str(bogus)])
    assert done.exit_code == Exit.USAGE, done.output  # as print does: a bad option value
    assert "cannot use bogus.ttf" in done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)  # no traceback
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bogus.ttf", "school.xlsx"]


def test_solve_pdfs_embed_an_installed_font_by_default(solved: tuple[Path, Path]) -> None:
    """``solved`` ran without --font: an installed Chinese font is embedded by default."""
    from optimizer.outputs.report.fonts import find_cjk_font

    _, out = solved
    if find_cjk_font() is None:
        pytest.skip("no Chinese TrueType font installed")
    for kind in ("rosters", "classes", "staff"):
        assert b"FontFile2" in out.with_name(f"out-{kind}.pdf").read_bytes()


def test_print_refuses_a_workbook_without_print_data(solved: tuple[Path, Path]) -> None:
    school, _ = solved
    code, output = run("print", str(school), "-o", str(school.with_name("x.pdf")))
    assert code == 2
    assert "Print data" in output
    assert "--school" in output
    assert not school.with_name("x.pdf").exists()


def test_report_rewrites_a_schedule_in_english_redacted(solved: tuple[Path, Path]) -> None:
    school, out = solved
    again = out.with_name("district.xlsx")
    code, output = run("report", str(school), str(out), "-o", str(again), "--lang", "en",
                       "--redact")
    assert code == 0, output
    workbook = openpyxl.load_workbook(again)
    assert workbook.sheetnames[0] == "Summary"
    with_names = [c.value for s in workbook.worksheets for row in s.iter_rows() for c in row
                  if c.value in CHINESE_NAMES]
    assert with_names == []


def test_report_refuses_a_schedule_that_breaks_a_rule(solved: tuple[Path, Path]) -> None:
    school, out = solved
    broken = out.with_name("broken.xlsx")
    workbook = openpyxl.load_workbook(out)
    workbook["Sections"].cell(row=2, column=7).value = "NOBODY"
    workbook.save(broken)
    code, output = run("report", str(school), str(broken), "-o", str(out.with_name("r.xlsx")))
    assert code == 6
    assert "规则 4（人员）" in output  # the school's language is Chinese, so is the checker's
    assert not out.with_name("r.xlsx").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_and_prints_the_workbook(solved: tuple[Path, Path],
                                                   tmp_path: Path) -> None:
    """A workbook LibreOffice would 'repair' fails to convert or loses sheets."""
    _, out = solved
    profile = tmp_path / "profile"  # a private profile: no clash with a running LibreOffice
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        capture_output=True, text=True, timeout=300, check=False)
    pdf = tmp_path / "out.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.exists(), done.stdout
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages[:40])
    first_section = openpyxl.load_workbook(out, read_only=True)["Sections"]["A2"].value
    assert first_section
    assert str(first_section) in text
    if _has_chinese_font():  # without one LibreOffice draws Chinese in a stand-in font
        assert "点名册" in text
        assert CHINESE_NAMES[0] in text


def _has_chinese_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(listed.stdout.strip())
