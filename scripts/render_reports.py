"""Page counts and page images of the printed reports, for docs/reports.md.

    python scripts/render_reports.py sample_data/small_primary.xlsx --solve \\
        --images docs/images --prefix small

For a schedule workbook written by ``schedule solve`` (or, with ``--solve``, for a
school workbook, solved first for 5 seconds on one worker, seed 1, in Chinese):
converts the workbook to PDF with LibreOffice, as printing the whole workbook from
LibreOffice does, and counts the printed pages of each sheet by the sheet's name in
the page header; prints the PDFs of ``schedule print`` (rosters, classes, staff) and
counts theirs. With ``--images`` it renders one page of each printed kind to a
small PNG with poppler's ``pdftoppm`` (the second page where there is one, to show
what a continuation page is headed with).

Needs ``soffice`` (LibreOffice, with the Carlito font that measures like Calibri:
Debian ``fonts-crosextra-carlito``) and ``pdftoppm``/``pdftotext`` (poppler-utils).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import openpyxl

from optimizer.outputs.report.labels import LANGUAGES, Labels

RESOLUTION = 40  # dots per inch of the PNGs: enough to see the layout, small in git
SHEETS = ("summary", "timetable", "rosters", "classes", "students", "staff", "rooms",
          "budget", "unmet", "warnings")
SLUGS = {Labels(lang).sheet(key): key for lang in LANGUAGES for key in SHEETS}
SLUGS |= {"Sections": "sections", "Assignments": "assignments"}


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, by poppler (a form feed ends each page)."""
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True)
    return done.stdout.split("\f")[:-1]


def sheet_pages(workbook: Path, folder: Path) -> tuple[Counter[str], dict[str, int], Path]:
    """Printed pages per visible sheet, the first page of each, and the workbook's PDF."""
    profile = folder / "profile"  # a private profile: no clash with a running LibreOffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
                   check=True, capture_output=True, timeout=3600)
    pdf = folder / (workbook.stem + ".pdf")
    book = openpyxl.load_workbook(workbook, read_only=True)
    names = [s.title for s in book.worksheets if s.sheet_state == "visible"]
    book.close()
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    current = names[0]
    for number, text in enumerate(page_texts(pdf), start=1):
        # Every sheet's page header starts with the sheet's name (a chart's labels may be
        # read before it).
        heads = [line.strip() for line in text.strip().splitlines()[:3]]
        starts = [n for n in names for head in heads if head.startswith(n)]
        if starts:
            current = max(starts, key=len)
        counts[current] += 1
        first.setdefault(current, number)
    return counts, first, pdf


def render(pdf: Path, page: int, target: Path) -> None:
    """One page of ``pdf`` as a PNG at ``target``."""
    subprocess.run(["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", str(page), "-l",
                    str(page), "-singlefile", str(pdf), str(target.with_suffix(""))],
                   check=True)


def solve(school: Path, folder: Path) -> Path:
    """The school solved as the docs' page counts were: 5 s, one worker, seed 1, Chinese."""
    out = folder / f"{school.stem}-schedule.xlsx"
    subprocess.run([sys.executable, "-m", "optimizer.cli", "solve", str(school), "-o",
                    str(out), "--time-limit", "5", "--workers", "1", "--seed", "1",
                    "--lang", "zh", "--quiet"], check=False, capture_output=True)
    if not out.exists():
        raise SystemExit(f"{school} could not be solved")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbook", type=Path)
    parser.add_argument("--solve", action="store_true",
                        help="the workbook is a school's: solve it first")
    parser.add_argument("--images", type=Path, help="folder for one PNG per printed kind")
    parser.add_argument("--prefix", default="report", help="file name prefix of the PNGs")
    parser.add_argument("--no-workbook", action="store_true",
                        help="skip the LibreOffice conversion (the PDFs' counts only)")
    args = parser.parse_args()
    for tool in ("pdftoppm", "pdftotext", *(() if args.no_workbook else ("soffice",))):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        schedule = solve(args.workbook, folder) if args.solve else args.workbook
        if args.images:
            args.images.mkdir(parents=True, exist_ok=True)
        if not args.no_workbook:
            counts, first, workbook_pdf = sheet_pages(schedule, folder)
            print(f"workbook: {sum(counts.values())} pages")
            for name, count in counts.items():
                print(f"  {name}: {count}")
                if args.images:
                    shown = first[name] + 1 if count > 1 else first[name]
                    slug = SLUGS.get(name, name)
                    render(workbook_pdf, shown, args.images / f"{args.prefix}-sheet-{slug}.png")
        for kind in ("rosters", "classes", "staff"):
            pdf = folder / f"{kind}.pdf"
            subprocess.run([sys.executable, "-m", "optimizer.cli", "print", str(schedule),
                            f"--{kind}", "-o", str(pdf)], check=True, capture_output=True)
            pages = len(page_texts(pdf))
            print(f"{kind} PDF: {pages} pages")
            if args.images:
                render(pdf, min(2, pages), args.images / f"{args.prefix}-pdf-{kind}.png")
            if kind == "rosters":
                pdf = folder / "no-study.pdf"
                subprocess.run([sys.executable, "-m", "optimizer.cli", "print", str(schedule),
                                "--no-study", "-o", str(pdf)], check=True,
                               capture_output=True)
                print(f"rosters PDF --no-study: {len(page_texts(pdf))} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
