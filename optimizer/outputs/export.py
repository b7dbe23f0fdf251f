"""The output workbook of a solve: the contract's Sections and Assignments, and the reports.

``write_schedule`` is the solve-shaped entry point; the workbook itself is laid
out by :mod:`optimizer.outputs.report` (``write_report`` takes any schedule, e.g. one
read back from a workbook). ``schedule_files`` and ``write_schedule_files`` are the
same write split for :func:`optimizer.outputs.safe_write.deliver`, which keeps a run's
workbook and PDFs together.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from models.school import School
from optimizer.outputs.report.book import print_book
from optimizer.outputs.report.pdf import KINDS, write_pdf
from optimizer.outputs.report.workbook import FIXED_TIME, freeze_timestamps, write_report
from optimizer.search.result import Result

__all__ = ["FIXED_TIME", "freeze_timestamps", "pdf_paths", "schedule_files", "write_schedule",
           "write_schedule_files"]

WORKBOOK = "workbook"
"""The role of the workbook among a run's files (the PDFs' roles are their kinds)."""


def write_schedule(path: str | Path, school: School, result: Result, *,
                   lang: str | None = None, redact: bool = False, pdfs: bool = False,
                   font: str | Path | None = None) -> Path:
    """Write the schedule workbook of a solve atomically; return its path.

    ``lang`` (``en``/``zh``, default the School sheet's language) labels the
    human-facing sheets; ``redact`` pseudonymises every student in every sheet.
    With ``pdfs``, the rosters, class lists and staff PDFs are written beside it too
    (:func:`pdf_paths`), from the same views as the workbook's sheets. The checker's
    verdict is the solve's own (``result.report``). ``font`` is a TrueType file for the
    PDFs' Chinese (default: an installed one, see :mod:`optimizer.outputs.report.fonts`).
    """
    files = schedule_files(Path(path), pdfs)
    write_schedule_files(files, school, result, lang=lang, redact=redact, font=font)
    return files[WORKBOOK]


def schedule_files(path: Path, pdfs: bool) -> dict[str, Path]:
    """The files a solve writes for the workbook ``path``: itself first, then its PDFs."""
    return {WORKBOOK: path, **(pdf_paths(path) if pdfs else {})}


def write_schedule_files(paths: Mapping[str, Path], school: School, result: Result, *,
                         lang: str | None = None, redact: bool = False,
                         font: str | Path | None = None) -> None:
    """Write the workbook (role ``workbook``) and each PDF kind named in ``paths``."""
    if result.schedule is None or result.report is None:
        raise ValueError("there is no checked schedule to write")
    book = print_book(school, result.schedule, lang=lang, redact=redact)
    write_report(paths[WORKBOOK], school, result.schedule, result=result, report=result.report,
                 lang=lang, redact=redact, book=book)
    for kind in KINDS:
        if kind in paths:
            write_pdf(paths[kind], book, [kind], font=font)


def pdf_paths(path: str | Path) -> dict[str, Path]:
    """Where ``write_schedule(..., pdfs=True)`` puts each PDF: ``OUT-rosters.pdf`` …"""
    path = Path(path)
    return {kind: path.with_name(f"{path.stem}-{kind}.pdf") for kind in KINDS}
