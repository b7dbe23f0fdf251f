"""Crafted workbooks are refused or read in seconds and bounded memory, never followed:
decompression bombs of whitespace, a huge row, a huge shared string; text past Excel's
cell limit. Each case took minutes or gigabytes before the limits."""

from __future__ import annotations

import os
import random
import re
import zipfile
from pathlib import Path
from typing import IO

import pytest

from models import reader, xlsx_limits
from models.problems import WorkbookError
from models.reader import inspect_workbook
from tests.models.workbooks import rewrite_part, sheet_part, valid_book

MB = 1 << 20


def _with_part(path: Path, part: str, write_body: object) -> Path:
    """Rewrite ``part`` of the saved workbook, streaming it (a bomb is never built whole)."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name == part:
                with archive.open(name, "w", force_zip64=True) as out:
                    write_body(data, out)  # type: ignore[operator]
            else:
                archive.writestr(name, data)
    return path


def _saved(tmp_path: Path) -> tuple[Path, str]:
    book = valid_book()
    return book.save(tmp_path / "school.xlsx"), sheet_part(book, "Students")


def _inflated(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The bytes each read of a zip member gives back: how much the reader inflated."""
    sizes: list[int] = []
    read = zipfile.ZipExtFile.read

    def counted(self: zipfile.ZipExtFile, n: int | None = -1) -> bytes:
        data = read(self, n)
        sizes.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted)
    return sizes


def test_a_sheet_inflating_to_hundreds_of_megabytes_of_blanks_is_refused_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, part = _saved(tmp_path)

    def blanks(data: bytes, out: object) -> None:
        head, tail = data.split(b"</sheetData>")
        out.write(head)  # type: ignore[attr-defined]
        for _ in range(40):
            out.write(b" " * MB)  # type: ignore[attr-defined]
        out.write(b"</sheetData>" + tail)  # type: ignore[attr-defined]

    _with_part(path, part, blanks)
    inflated = _inflated(monkeypatch)
    with pytest.raises(WorkbookError) as raised:
        inspect_workbook(path)
    # At once: refused from the zip's directory, before the part is inflated (a count,
    # not a clock, which a busy machine would fail).
    assert sum(inflated) < MB
    message = raised.value.problems[0].message
    assert re.search(rf"school.xlsx was not read: its part {part} would inflate from \d+ KB "
                     r"to 40 MB \([\d,]+ times\)", message), message


_WHITESPACE = bytes(b" \t\n\r"[i % 4] for i in range(256))


class _CarrySpy:
    """A sheet part's stream that notes, at each read, how much text the reader holds back
    from the parser: the buffer the old reader searched again at every chunk."""

    def __init__(self, source: IO[bytes], owner: object, held: list[int]) -> None:
        self._source = source
        self._owner = owner
        self._held = held

    def read(self, size: int = -1) -> bytes:
        self._held.append(len(self._owner._carry))  # type: ignore[attr-defined]
        return self._source.read(size)

    def close(self) -> None:
        self._source.close()


def _held_back(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the text the reader holds back, one for each chunk it reads."""
    held: list[int] = []
    filter_init = reader._WithoutEmptyCells.__init__

    def spied(self: object, source: IO[bytes], *args: object, **kwargs: object) -> None:
        filter_init(self, _CarrySpy(source, self, held), *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader._WithoutEmptyCells, "__init__", spied)
    return held


def test_blanks_under_the_limits_read_in_linear_time(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """8 MB of mixed whitespace (it compresses only fourfold, so the size limits let it
    through) inside a sheet took the old reader many seconds: it searched a buffer that
    grew with the run (8/16/32 MB of spaces in 1.3/3.3/13.9 s). The test bounds that
    buffer rather than timing the read, which a busy machine would fail."""
    path, part = _saved(tmp_path)

    def blanks(data: bytes, out: object) -> None:
        head, tail = data.split(b"</row>", 1)
        out.write(head + b"</row>")  # type: ignore[attr-defined]
        for _ in range(8):
            out.write(os.urandom(MB).translate(_WHITESPACE))  # type: ignore[attr-defined]
        out.write(tail)  # type: ignore[attr-defined]

    _with_part(path, part, blanks)
    held = _held_back(monkeypatch)
    school, problems = inspect_workbook(path)
    assert school is not None
    assert problems == []
    assert len(school.students) == 3
    # The run is cut at its longest allowed length (plus the chunk that went past it);
    # a buffer growing with the run would reach the run's 8 MB.
    assert max(held) <= reader._MAX_TEXT_RUN + MB, f"{max(held):,} bytes held back"


def test_a_row_of_more_cells_than_excel_allows_is_refused(tmp_path: Path) -> None:
    path, part = _saved(tmp_path)
    cells = "".join("<c><v>1</v></c>" for _ in range(xlsx_limits.MAX_ROW_CELLS + 10))
    rewrite_part(path, part, lambda xml: xml.replace(
        "</sheetData>", f'<row r="9">{cells}</row></sheetData>'))
    with pytest.raises(WorkbookError) as raised:
        inspect_workbook(path)
    assert raised.value.problems[0].message.startswith(
        "sheet 'Students' has a row of more than 16,384 cells, more than Excel allows")


_SHARED = "xl/sharedStrings.xml"
_SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _name_as_shared_string(path: Path, part: str, megabytes: int) -> Path:
    """Make the name on Students row 3 a shared string of ``megabytes`` MB of one letter,
    as a workbook Excel wrote would hold it, streamed into the zip."""
    rewrite_part(path, part, lambda xml: re.sub(
        r'<c r="B3" t="inlineStr"><is><t>[^<]*</t></is></c>', '<c r="B3" t="s"><v>0</v></c>',
        xml))
    rewrite_part(path, "[Content_Types].xml", lambda xml: xml.replace(
        "</Types>", f'<Override PartName="/{_SHARED}" ContentType="{_SHARED_TYPE}"/></Types>'))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(_SHARED, "w", force_zip64=True) as out:
        out.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                  b'count="1" uniqueCount="1"><si><t>')
        for _ in range(megabytes):
            out.write(b"x" * MB)
        out.write(b"</t></si></sst>")
    return path


def test_more_rows_of_data_than_any_school_has_are_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("models.reader.MAX_DATA_ROWS", 50)
    path, part = _saved(tmp_path)
    rows = "".join(f'<row r="{r}"><c r="J{r}"><v>1</v></c></row>' for r in range(10, 70))
    rewrite_part(path, part, lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"))
    with pytest.raises(WorkbookError) as raised:
        inspect_workbook(path)
    assert raised.value.problems[0].message.startswith(
        "sheet 'Students' has more than 50 rows of data (row 56 is one)")


def test_a_huge_shared_string_is_refused_before_it_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, part = _saved(tmp_path)
    _name_as_shared_string(path, part, 80)
    inflated = _inflated(monkeypatch)
    with pytest.raises(WorkbookError) as raised:
        inspect_workbook(path)
    assert sum(inflated) < MB
    assert f"its part {_SHARED} would inflate to 80 MB, more than the 64 MB" in \
        raised.value.problems[0].message


def test_a_long_shared_string_under_the_limits_is_an_error_not_a_name(tmp_path: Path) -> None:
    path, part = _saved(tmp_path)
    _name_as_shared_string(path, part, 1)
    school, problems = inspect_workbook(path)
    assert [(p.sheet, p.row, p.column, p.is_error) for p in problems] == [
        ("Students", 3, "name", True)]
    assert "the cell holds 1,048,576 characters, more than the 32,767" in problems[0].message
    assert school is not None
    assert all(len(s.name) <= 32_767 for s in school.students)


def test_text_past_excel_s_cell_limit_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path, part = _saved(tmp_path)
    # Random letters do not compress: this one passes the size limits and reaches a cell.
    name = "".join(random.Random(1).choices("abcdefghij", k=100_000))
    rewrite_part(path, part, lambda xml: re.sub(
        r'(<c r="B3" t="inlineStr"><is><t>)[^<]*(</t>)', rf"\g<1>{name}\g<2>", xml))
    school, problems = inspect_workbook(path)
    assert [(p.sheet, p.row, p.column, p.is_error) for p in problems] == [
        ("Students", 3, "name", True)]
    assert problems[0].message == ("the cell holds 100,000 characters, more than the 32,767 "
                                   "Excel allows in a cell; expected text (Name (blank: a "
                                   "warning, and the prints show the id))")
    assert school is not None
    assert all(len(s.name) <= 32_767 for s in school.students)


def test_sizes_past_the_limits_are_said_with_what_was_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _saved(tmp_path)
    monkeypatch.setattr(xlsx_limits, "MAX_PART_BYTES", 2048)
    with pytest.raises(WorkbookError) as raised:
        inspect_workbook(path)
    assert re.search(r"its part \S+ would inflate to \d+ KB, more than the 2 KB a school "
                     r"workbook could need", raised.value.problems[0].message)
    monkeypatch.setattr(xlsx_limits, "MAX_PART_BYTES", 200 * MB)
    monkeypatch.setattr(xlsx_limits, "MAX_TOTAL_BYTES", 4096)
    with pytest.raises(WorkbookError) as raised:
        inspect_workbook(path)
    assert re.search(r"its parts would inflate to \d+ KB in all, more than the 4 KB",
                     raised.value.problems[0].message)
