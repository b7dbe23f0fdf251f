"""Finding English left in Chinese output.

A Chinese message may still hold ASCII words: the contract's sheet and column names
and the words typed into cells or ``--goals`` (they are what the coordinator must type), file
formats, products and the command's own name and options. Any other run of two or
more ASCII letters is English that was not translated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from models import contract
from models.check import GOAL_ORDER, MOVE_GOALS
from models.time import DAYS

_CONTRACT_WORDS = {
    *(sheet.name for sheet in contract.INPUT_SHEETS),
    *(column.name for sheet in contract.INPUT_SHEETS for column in sheet.columns),
    *(choice for sheet in contract.INPUT_SHEETS for column in sheet.columns
      for choice in column.choices),
    *contract.SETTINGS_KEYS, *contract.SECTIONS_COLUMNS, *contract.ASSIGNMENTS_COLUMNS,
    *(column.default for sheet in contract.INPUT_SHEETS for column in sheet.columns
      if isinstance(column.default, str)),
    *DAYS, *GOAL_ORDER, *MOVE_GOALS, "all", "yes", "no", "key", "value", "meaning",
    "Settings", "Help", "Sections", "Assignments",
}
_OTHER_WORDS = {
    "HH", "MM", "xlsx", "xls", "ods", "csv", "CSV", "parquet", "zip", "pdf", "PDF", "KB", "MB",
    "GB", "Excel", "WPS", "LibreOffice", "OpenDocument", "Word", "PowerPoint", "CP", "SAT", "Ctrl",
    "schedule", "validate", "template", "solve", "check", "report", "print", "sample",
    "resolve", "diff", "cover", "explain", "advise", "sweep", "previous", "unlock", "broken",
    "time", "room", "staff", "lock", "limit", "workers", "lang", "zh", "en", "set", "goals",
    "school", "fresh",
}
ALLOWED = frozenset(_CONTRACT_WORDS | _OTHER_WORDS)
"""ASCII words a Chinese message may hold."""

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*[A-Za-z0-9]")


def untranslated(text: str, also: Iterable[str] = ()) -> list[str]:
    """The ASCII words of ``text`` that are neither allowed nor in ``also`` (the values
    the test itself put in: file names, ids)."""
    allowed = ALLOWED | set(also)
    return [word for word in _WORD.findall(text) if word not in allowed]
