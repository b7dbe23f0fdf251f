"""Advice in the report's language: lines for the console, an Advice sheet, and the
scenarios workbook ``schedule sweep`` reads (sheet ``Scenarios``, the baseline first).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from models.atomic import atomic_path
from models.school import FEN_PER_YUAN
from optimizer.district.scenarios import BASELINE, write_scenarios
from optimizer.explain.advise import Advice, Limit, Suggestion
from optimizer.outputs.report.labels import Labels
from optimizer.outputs.report.safe import put

BOLD = Font(bold=True)


def advice_lines(labels: Labels, advice: Advice) -> list[str]:
    """The baseline, what binds, and each change tried with its measured effect."""
    base = advice.baseline
    if not base.solved:
        return [labels("advise.no_schedule", status=labels.status(base.status))]
    lines = [labels("advise.head", school=advice.school_name, with_none=base.with_none,
                    choosers=advice.num_choosers, below=advice.below_first,
                    seed=advice.params.seed)]
    if advice.everyone_first:
        return [*lines, labels("advise.everyone_first")]
    if advice.limits:
        lines.append(labels("advise.limits"))
        lines.extend(f"  {limit_text(labels, limit)}" for limit in advice.limits)
    if not advice.suggestions:
        return [*lines, labels("advise.none_binds")]
    lines.append(labels("advise.tried"))
    lines.extend(f"  {suggestion_text(labels, n, s)}"
                 for n, s in enumerate(advice.suggestions, start=1))
    lines.extend(f"  {note}" for note in advice.notes)
    return lines


def limit_text(labels: Labels, limit: Limit) -> str:
    return labels("advise.limit", activity=limit.activity_name,
                  limit=labels(f"limit.{limit.kind}"), children=limit.children)


def suggestion_text(labels: Labels, number: int, suggestion: Suggestion) -> str:
    if not suggestion.measured.solved:
        return labels("advise.failed", n=number, name=suggestion.scenario.name,
                      status=labels.status(suggestion.measured.status))
    return labels("advise.suggestion", n=number, name=suggestion.scenario.name,
                  gained=suggestion.children_gained, first=suggestion.first_choices_gained,
                  cost=suggestion.cost_change_fen / FEN_PER_YUAN)


def advice_sheet(sheet: Worksheet, labels: Labels, advice: Advice) -> None:
    """The Advice sheet: the head line, the suggestions ranked, then the limits."""
    sheet.title = labels.sheet("advice")
    rows: list[list[object]] = [[line] for line in advice_lines(labels, advice)[:1]]
    if advice.everyone_first:
        rows.append([labels("advise.everyone_first")])
    rows.append([])
    headings = {len(rows) + 1}
    rows.append([labels(f"advice.{key}") for key in
                 ("rank", "change", "activity", "gained", "first", "cost", "status")])
    for number, s in enumerate(advice.suggestions, start=1):
        solved = s.measured.solved
        rows.append([number, s.scenario.name, s.activity_name,
                     s.children_gained if solved else None,
                     s.first_choices_gained if solved else None,
                     s.cost_change_fen / FEN_PER_YUAN if solved else None,
                     labels.status(s.measured.status)])
    rows.append([])
    headings.add(len(rows) + 1)
    rows.append([labels(f"advice.{key}") for key in ("activity", "limit", "children")])
    rows += [[limit.activity_name, labels(f"limit.{limit.kind}"), limit.children]
             for limit in advice.limits]
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column)
            put(cell, value)
            if row_index in headings:
                cell.font = BOLD
    for letter, width in zip("ABCDEFG", (24, 48, 18, 14, 14, 16, 12), strict=True):
        sheet.column_dimensions[letter].width = width


def write_advice(path: Path, labels: Labels, advice: Advice) -> None:
    """A scenarios workbook of the baseline and every change tried (``schedule sweep
    --scenarios`` reads it), with the Advice sheet after its own two."""
    write_scenarios(path, [BASELINE, *(s.scenario for s in advice.suggestions)])
    add_advice_sheet(path, labels, advice)


def add_advice_sheet(path: Path, labels: Labels, advice: Advice) -> None:
    """Add the Advice sheet to a workbook already written, saving it atomically again: in
    a schedule (``solve --advise``) after Warnings, the last of the sheets for people and
    before the contract's; in a scenarios workbook, last."""
    workbook = openpyxl.load_workbook(path)
    names = workbook.sheetnames
    warnings = labels.sheet("warnings")
    at = names.index(warnings) + 1 if warnings in names else len(names)
    advice_sheet(workbook.create_sheet(index=at), labels, advice)
    with atomic_path(path) as temporary:
        workbook.save(temporary)
