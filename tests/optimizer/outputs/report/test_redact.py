"""Redaction: stable pseudonyms, and no student name in any output or log."""

from __future__ import annotations

import dataclasses
import logging
import zipfile
from pathlib import Path

import pypdf
import pytest

from models.problems import warning
from models.school import School
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.book import print_book, read_print_book, redact_book
from optimizer.outputs.report.pdf import KINDS, write_pdf
from optimizer.outputs.report.redact import pseudonyms, redact_school
from optimizer.search.solve import Result
from tests.optimizer.outputs.report.conftest import solve_checked


def every_text(path: Path) -> str:
    """All the text of an .xlsx (every part, hidden sheets too) or a PDF."""
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_pseudonyms_are_class_and_number_stable_and_unique(
        generated: tuple[School, Result]) -> None:
    school, _ = generated
    names = pseudonyms(school)
    assert len(set(names.values())) == len(school.students)
    student = school.students[0]
    assert names[student.id].startswith(f"{student.class_name}-")
    shuffled = dataclasses.replace(school, students=tuple(reversed(school.students)))
    assert pseudonyms(shuffled) == names  # row order decides nothing
    renamed = dataclasses.replace(school, students=tuple(
        dataclasses.replace(s, name="x") for s in school.students))
    assert pseudonyms(renamed) == names  # nor do the names


def test_redacted_outputs_hold_no_input_name(generated: tuple[School, Result],
                                             tmp_path: Path) -> None:
    school, result = generated
    assert result.schedule is not None
    # A warning that quotes a child's name must not carry it into the Warnings sheet.
    quoted = warning("Students", f"{school.students[0].name} listed no choices", row=2)
    school = dataclasses.replace(school, warnings=(quoted,))
    outputs = [write_schedule(tmp_path / "r.xlsx", school, result, redact=True, lang="zh")]
    book = print_book(school, result.schedule, redact=True)
    outputs += [write_pdf(tmp_path / f"{k}.pdf", book, [k]) for k in KINDS]
    names = {s.name for s in school.students}
    for path in outputs:
        text = every_text(path)
        assert not [n for n in names if n in text], path.name
    pseudonym = pseudonyms(school)[school.registered_students[0].id]
    assert pseudonym in every_text(outputs[0])


def test_printing_redacted_gives_the_same_pseudonyms_as_solving_redacted(
        generated: tuple[School, Result], generated_workbook: Path) -> None:
    school, result = generated
    assert result.schedule is not None
    at_print = redact_book(read_print_book(generated_workbook))
    at_solve = print_book(school, result.schedule, redact=True)
    assert at_print.rosters == at_solve.rosters
    assert at_print.classes == at_solve.classes


def test_redact_school_keeps_ids_classes_and_grades() -> None:
    from tests.optimizer.outputs.report.conftest import chinese_school

    school = chinese_school()
    hidden = redact_school(school)
    assert [(s.id, s.class_name, s.grade) for s in hidden.students] == [
        (s.id, s.class_name, s.grade) for s in school.students]
    assert not {s.name for s in school.students} & {s.name for s in hidden.students}


def test_no_student_name_is_logged(caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    from tests.optimizer.outputs.report.conftest import chinese_school

    school = chinese_school()
    with caplog.at_level(logging.DEBUG):
        result = solve_checked(school, deterministic=True)
        write_schedule(tmp_path / "s.xlsx", school, result)
        assert result.schedule is not None
        write_pdf(tmp_path / "s.pdf", print_book(school, result.schedule), list(KINDS))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the library does log
    assert not [s.name for s in school.students if s.name in logged]
