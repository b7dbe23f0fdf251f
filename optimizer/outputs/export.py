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

from models.schedule import Schedule
from models.school import School
from optimizer.outputs.report.book import print_book
from optimizer.outputs.report.changes import changes_view, write_changes_pdf
from optimizer.outputs.report.labels import Labels, resolve_language
from optimizer.outputs.report.pdf import KINDS, write_pdf
from optimizer.outputs.report.redact import redact_school
from optimizer.outputs.report.workbook import FIXED_TIME, freeze_timestamps, write_report
from optimizer.search.result import Result

__all__ = ["FIXED_TIME", "freeze_timestamps", "pdf_paths", "schedule_files", "write_schedule",
           "write_schedule_files"]

WORKBOOK = "workbook"
"""The role of the workbook among a run's files (the PDFs' roles are their kinds)."""
CHANGES = "changes"
"""The role of the Changes PDF, written with the others when a previous schedule is given."""


def write_schedule(path: str | Path, school: School, result: Result, *,
                   lang: str | None = None, redact: bool = False, pdfs: bool = False,
                   font: str | Path | None = None, previous: Schedule | None = None) -> Path:
    """Write the schedule workbook of a solve atomically; return its path.

    ``lang`` (``en``/``zh``, default the School sheet's language) labels the
    human-facing sheets; ``redact`` pseudonymises every student in every sheet.
    With ``pdfs``, the rosters, class lists and staff PDFs are written beside it too
    (:func:`pdf_paths`), from the same views as the workbook's sheets. The checker's
    verdict is the solve's own (``result.report``). ``font`` is a TrueType file for the
    PDFs' Chinese (default: an installed one, see :mod:`optimizer.outputs.report.fonts`).
    ``previous``, the schedule this one replaces, adds the Changes sheet (and, with
    ``pdfs``, ``OUT-changes.pdf``).
    """
    files = schedule_files(Path(path), pdfs, changes=previous is not None)
    write_schedule_files(files, school, result, lang=lang, redact=redact, font=font,
                         previous=previous)
    return files[WORKBOOK]


def schedule_files(path: Path, pdfs: bool, *, changes: bool = False) -> dict[str, Path]:
    """The files a solve writes for the workbook ``path``: itself first, then its PDFs
    (with ``changes``, the Changes PDF last)."""
    files = {WORKBOOK: path, **(pdf_paths(path) if pdfs else {})}
    if pdfs and changes:
        files[CHANGES] = path.with_name(f"{path.stem}-{CHANGES}.pdf")
    return files


def write_schedule_files(paths: Mapping[str, Path], school: School, result: Result, *,
                         lang: str | None = None, redact: bool = False,
                         font: str | Path | None = None,
                         previous: Schedule | None = None,
                         raised: tuple[str, ...] | None = None) -> None:
    """Write the workbook (role ``workbook``), each PDF kind named in ``paths``, and the
    Changes PDF (role ``changes``) when ``previous`` is given and it is named. ``raised``:
    the students ``solve --previous`` raised for last term, for the Summary."""
    if result.schedule is None or result.report is None:
        raise ValueError("there is no checked schedule to write")
    book = print_book(school, result.schedule, lang=lang, redact=redact)
    write_report(paths[WORKBOOK], school, result.schedule, result=result, report=result.report,
                 lang=lang, redact=redact, book=book, previous=previous, raised=raised)
    for kind in KINDS:
        if kind in paths:
            write_pdf(paths[kind], book, [kind], font=font)
    if previous is not None and CHANGES in paths:
        write_changes_file(paths[CHANGES], school, previous, result.schedule, lang=lang,
                           redact=redact, font=font)


def write_changes_file(path: Path, school: School, previous: Schedule, schedule: Schedule, *,
                       lang: str | None = None, redact: bool = False,
                       font: str | Path | None = None) -> None:
    """The Changes PDF: what changed from ``previous`` to ``schedule``, as the sheet says it."""
    labels = Labels(resolve_language(lang, school))
    shown = redact_school(school) if redact else school
    view = changes_view(previous, schedule, shown, labels)
    info = shown.info
    write_changes_pdf(path, view, labels, school_name=info.name,
                      term=labels("term", start=info.term_start.isoformat(),
                                  end=info.term_end.isoformat()),
                      redacted=redact, font=font)


def pdf_paths(path: str | Path) -> dict[str, Path]:
    """Where ``write_schedule(..., pdfs=True)`` puts each PDF: ``OUT-rosters.pdf`` …"""
    path = Path(path)
    return {kind: path.with_name(f"{path.stem}-{kind}.pdf") for kind in KINDS}
