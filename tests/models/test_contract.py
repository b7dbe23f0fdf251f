"""The user-facing contract, docs/workbook.md, is what the declarations say."""

from __future__ import annotations

from models import contract
from models.contract_doc import DOC, contract_markdown, main


def test_docs_workbook_md_is_written_from_the_declarations() -> None:
    assert DOC.read_text(encoding="utf-8") == contract_markdown(), (
        "docs/workbook.md is stale: run python -m models.contract_doc")
    assert main(["--check"]) == 0


def test_every_sheet_column_and_rule_is_in_the_contract() -> None:
    text = contract_markdown()
    for sheet in contract.INPUT_SHEETS:
        assert f"### {sheet.name}" in text
        for column in sheet.columns:
            assert f"| `{column.name}` |" in text
    for number, name, _ in contract.HARD_RULES:
        assert f"{number}. **{name.capitalize()}.**" in text
    for column in (*contract.SECTIONS_COLUMNS, *contract.ASSIGNMENTS_COLUMNS):
        assert f"| `{column}` |" in text
