"""Validation problems, each located where the coordinator can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong in a workbook: where, what was there, and what was expected."""

    severity: Severity
    sheet: str
    message: str
    row: int | None = None  # Excel row number, as Excel shows it
    column: str | None = None
    value: object = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        parts = [self.sheet]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        shown = "" if self.value in (None, "") else f" ({_show(self.value)})"
        return f"{self.severity.value}: {self.where}{shown}: {self.message}"


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def error(sheet: str, message: str, *, row: int | None = None, column: str | None = None,
          value: object = None) -> Problem:
    return Problem(severity=Severity.ERROR, sheet=sheet, message=message, row=row,
                   column=column, value=value)


def warning(sheet: str, message: str, *, row: int | None = None, column: str | None = None,
            value: object = None) -> Problem:
    return Problem(severity=Severity.WARNING, sheet=sheet, message=message, row=row,
                   column=column, value=value)


class WorkbookError(Exception):
    """The workbook cannot be used as written. ``problems`` lists every error and warning."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [error("workbook", problems)]
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first = str(errors[0]) if errors else "no errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")
