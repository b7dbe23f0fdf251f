"""Validation problems, each located where the coordinator can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from models.messages import Message, say


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong in a workbook: where, what was there, and what was expected.

    ``message`` is the English sentence; ``said`` (when the problem was raised through
    the catalogue) says it again in any language: :meth:`text`.
    """

    severity: Severity
    sheet: str
    message: str
    row: int | None = None  # Excel row number, as Excel shows it
    column: str | None = None
    value: object = None
    said: Message | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self, lang: str = "en") -> str:
        """What is wrong, in ``lang`` (English for a problem raised without a key)."""
        return self.said.text(lang) if self.said is not None else self.message

    def level(self, lang: str = "en") -> str:
        return say(f"level.{self.severity.value}", lang)

    def place(self, lang: str = "en") -> str:
        """``Students, row 7, column grade``; the sheet and column as the workbook names them."""
        parts = [self.sheet]
        if self.row is not None:
            parts.append(say("where.row", lang, row=self.row))
        if self.column:
            parts.append(say("where.column", lang, column=self.column))
        return say("where.sep", lang).join(parts)

    @property
    def where(self) -> str:
        return self.place("en")

    def render(self, lang: str = "en") -> str:
        shown = "" if self.value in (None, "") else f" ({_show(self.value)})"
        return f"{self.level(lang)}: {self.place(lang)}{shown}: {self.text(lang)}"

    def __str__(self) -> str:
        return self.render("en")


def _show(value: object) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _problem(severity: Severity, sheet: str, message: str | Message, row: int | None,
             column: str | None, value: object) -> Problem:
    said = message if isinstance(message, Message) else None
    return Problem(severity=severity, sheet=sheet, message=str(message), row=row,
                   column=column, value=value, said=said)


def error(sheet: str, message: str | Message, *, row: int | None = None,
          column: str | None = None, value: object = None) -> Problem:
    return _problem(Severity.ERROR, sheet, message, row, column, value)


def warning(sheet: str, message: str | Message, *, row: int | None = None,
            column: str | None = None, value: object = None) -> Problem:
    return _problem(Severity.WARNING, sheet, message, row, column, value)


class WorkbookError(Exception):
    """The workbook cannot be used as written. ``problems`` lists every error and warning."""

    def __init__(self, problems: list[Problem] | str | Message) -> None:
        if isinstance(problems, str | Message):
            problems = [error("workbook", problems)]
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        first = str(errors[0]) if errors else "no errors"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")

    def first(self, lang: str = "en") -> str:
        """The first problem's sentence, for a file that could not be read at all."""
        return self.problems[0].text(lang) if self.problems else ""

