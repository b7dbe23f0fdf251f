"""The output workbook of a solve: the contract's Sections and Assignments, and the reports.

``write_schedule`` is the solve-shaped entry point; the workbook itself is laid
out by :mod:`optimizer.outputs.report` (``write_report`` takes any schedule, e.g. one
read back from a workbook).
"""

from __future__ import annotations

from pathlib import Path

from models.check import CheckReport
from models.school import School
from optimizer.outputs.report.workbook import FIXED_TIME, freeze_timestamps, write_report
from optimizer.search.result import Result

__all__ = ["FIXED_TIME", "freeze_timestamps", "write_schedule"]


def write_schedule(path: str | Path, school: School, result: Result,
                   report: CheckReport | None = None, *, lang: str | None = None,
                   redact: bool = False) -> Path:
    """Write the schedule workbook of a solve atomically; return its path.

    ``lang`` (``en``/``zh``, default the School sheet's language) labels the
    human-facing sheets; ``redact`` pseudonymises every student in every sheet.
    """
    if result.schedule is None:
        raise ValueError("there is no schedule to write")
    return write_report(path, school, result.schedule, result=result,
                        report=report or result.report, lang=lang, redact=redact)
