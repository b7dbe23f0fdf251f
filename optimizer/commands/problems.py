"""A workbook's problems as a table on the terminal: level, sheet, row, column, value and
what is wrong, aligned also when the text is Chinese."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import click

from optimizer.commands.voice import say, voice

if TYPE_CHECKING:
    from models.problems import Problem


def print_problems(problems: list[Problem]) -> None:
    if not problems:
        return
    lang = voice.lang
    rows = [(p.level(lang), p.sheet, "" if p.row is None else str(p.row), p.column or "",
             "" if p.value in (None, "") else _one_line(p.value)[:30], _one_line(p.text(lang)))
            for p in problems]
    headers = tuple(say(f"cli.problems.{name}")
                    for name in ("level", "sheet", "row", "column", "value", "problem"))
    widths = [max(display_width(h), *(display_width(r[i]) for r in rows))
              for i, h in enumerate(headers[:-1])]
    line = "  ".join(pad(h, w) for h, w in zip(headers[:-1], widths, strict=True))
    click.echo(f"{line}  {headers[-1]}")
    for row in rows:
        cells = "  ".join(pad(c, w) for c, w in zip(row[:-1], widths, strict=True))
        click.echo(f"{cells}  {row[-1]}")


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` terminal columns (:func:`display_width`)."""
    return text + " " * (width - display_width(text))


def _one_line(value: object) -> str:
    """A cell typed with Alt+Enter holds newlines; keep the table one line per problem."""
    return " ".join(str(value).split())
