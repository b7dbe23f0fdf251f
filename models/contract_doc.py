"""``docs/workbook.md``, written from the contract's declarations in ``models/contract.py``.

    python -m models.contract_doc            # rewrite docs/workbook.md
    python -m models.contract_doc --check    # exit 1 if it is stale

A test fails when the file and the declarations disagree, so the user-facing
contract cannot drift from what the reader, the template and the checker use.
"""

from __future__ import annotations

import sys
from pathlib import Path

from models import contract
from models.contract import Column, Kind, Sheet

DOC = Path(__file__).resolve().parent.parent / "docs" / "workbook.md"

_INTRO = """\
# The school workbook

<!-- Written by `python -m models.contract_doc` from models/contract.py: edit those
declarations, not this file. -->

One Excel workbook describes a school's after-school term; `schedule solve` reads
it and writes the schedule. `schedule template blank.xlsx` writes an empty one
with a Help sheet and drop-downs. Sheet names, column names and School keys are
matched ignoring case, spaces and underscores; sheet order does not matter;
blank rows are skipped. Where this contract is silent, what the project decided
is in [decisions.md](decisions.md).

Days are `Mon Tue Wed Thu Fri`. A *slot list* is `;`-separated items, each a day
(`Wed`: the whole day) or a day and period (`Mon 2`: any meeting in period 2 on
Monday, whichever grade band). Grades are 1-9 (1-6 primary, 7-9 junior middle); a
*grade list* is like `1-3`, `4,5,6` or `1-3,7`. Money is in yuan (decimals
allowed). Times are `HH:MM` (an Excel time cell is accepted too). Yes/no cells
accept yes/no, true/false, 1/0, y/n.
"""

_ERRORS = """\
## Errors and warnings

An **error** means the workbook cannot be right as written, and nothing is solved:
a missing sheet, column or required value; a value of the wrong type or out of
range; a duplicate id; a reference to an id that does not exist; a period ending
after latest_end, or more than two periods; a forbidden category (lessons,
tutoring, exams, homework: the policy forbids collective teaching); a grade with
registered students but no period on a day they registered. `schedule validate`
lists every problem at once, each with its sheet, row and column.

A **warning** means the workbook is usable but something cannot be used or looks
wrong, and the schedule goes ahead without it: a person who may not serve (not
vetted, a check expiring before term_end, an in-service teacher affiliated with a
vendor), a vendor that may not serve (not qualified, contract ending before
term_end), an activity that therefore cannot open, a choice of an activity the
student's grade may not join (the choice is ignored), a student who registered
but listed no choices. Nothing is merged, dropped or rounded in silence either: a
warning says what was read instead of what was written — later choices moved up past
a blank choice column, the choices of a student with no registered days (not
scheduled), a column that is not read although it looks like one of the contract's
(`choice6`, a misspelt `fee per sesion`: its default applies), an amount finer than
a fen (rounded), an activity's days on which none of its grades has a period, a
vendor on the Staff row of someone who is not a vendor instructor, a staff skill or
room type written otherwise than the activity's (`table-tennis` for `table tennis`:
they never match; case alone does not matter). Other extra
columns and sheets are the school's own notes and are ignored without a word.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _default(column: Column) -> str:
    if column.required:
        return "required"
    if column.default is None:
        return ""
    if column.kind is Kind.BOOL:
        return "yes" if column.default else "no"
    return str(column.default)


def _kind(column: Column) -> str:
    if column.choices and column.kind in (Kind.CHOICE, Kind.DAY_OR_ALL):
        return "one of " + ", ".join(f"`{c}`" for c in column.choices)
    limits = ""
    if column.minimum is not None and column.maximum is not None:
        limits = f" {column.minimum:g}-{column.maximum:g}"
    elif column.minimum is not None:
        limits = f" ≥ {column.minimum:g}"
    return column.kind.value + limits


def _sheet(sheet: Sheet) -> list[str]:
    first = "key" if sheet is contract.SCHOOL else "column"
    lines = [f"### {sheet.name}", "", sheet.help, "",
             f"| {first} | type | default | meaning |", "|---|---|---|---|"]
    lines += [f"| `{c.name}` | {_cell(_kind(c))} | {_cell(_default(c))} | {_cell(c.help)} |"
              for c in sheet.columns]
    note = _NOTES.get(sheet.name)
    return [*lines, "", *([note, ""] if note else [])]


_NOTES = {
    "Periods": "Each grade with registered students needs period 1 on each day they "
               "register, and period 2 where students stay for it. Grade bands may have "
               "different times (primary dismisses earlier): two meetings conflict for a room "
               "or a person when their clock times overlap on the same day, not when their "
               "period numbers match.",
    "Activities": "`study` activities are the supervised homework and reading hours with "
                  "teacher Q&A. Students do not choose them: every registered student not in "
                  "a chosen activity in a slot is placed in a study section for that slot, "
                  "which holds at most `study_ratio` students per staff member and needs a "
                  "room.",
}


def contract_markdown() -> str:
    """The user-facing contract, in markdown, from the declarations alone."""
    lines = [_INTRO, "## Input sheets", ""]
    for sheet in contract.INPUT_SHEETS:
        lines += _sheet(sheet)
    lines += ["### Settings (optional)", "", "Two columns, `key` and `value`.", "",
              "| key | meaning |", "|---|---|"]
    lines += [f"| `{k}` | {_cell(v)} |" for k, v in contract.SETTINGS_KEYS.items()]
    lines += ["", "Vocabularies: categories " + ", ".join(f"`{c}`" for c in contract.CATEGORIES)
              + "; roles " + ", ".join(f"`{r}`" for r in contract.ROLES) + "; room types "
              + ", ".join(f"`{t}`" for t in contract.ROOM_TYPES) + " (or another word).", "",
              _ERRORS, "## The rules a schedule must keep", "",
              "Hard rules: a schedule that breaks one is wrong, whatever its score. The "
              "checker (`schedule check`) and every report number them so.", ""]
    lines += [f"{number}. **{name.capitalize()}.** {text}"
              for number, name, text in contract.HARD_RULES]
    lines += ["", contract.GOALS_TEXT, "", "## The next term remembers", "",
              contract.NEXT_TERM_TEXT, "", "## Output sheets that other tools read", "",
              "The output workbook holds these two sheets with exactly these names and "
              "columns (other tools read them; extra columns may follow), besides the "
              "printable sheets described in [reports.md](reports.md).", ""]
    for name, help_text, columns in (
            ("Sections", "One row per section meeting (a section that meets twice a week "
             "has two rows).", contract.SECTIONS_HELP),
            ("Assignments", "One row per registered student per registered day per period "
             "they stay for: where that child is, every day and period, exactly once.",
             contract.ASSIGNMENTS_HELP)):
        lines += [f"### {name}", "", help_text, "", "| column | meaning |", "|---|---|"]
        lines += [f"| `{c}` | {_cell(columns[c])} |" for c in columns]
        lines.append("")
    lines += ["### Locks", "", contract.LOCKS_TEXT, ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = contract_markdown()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            sys.stderr.write(f"{DOC} is stale: run python -m models.contract_doc\n")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    sys.stderr.write(f"wrote {DOC}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
