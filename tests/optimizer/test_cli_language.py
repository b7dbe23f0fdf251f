"""The command line in the school's language: a Chinese school (or ``--lang zh``) reads
every problem, the progress line, the summary and the diagnosis in Chinese, and the
English stays as it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.check import check
from models.reader import read_school
from models.schedule_io import read_schedule
from models.school import School
from models.template import HELP_SHEET, write_school
from optimizer.cli import main
from tests.factories import STUDY, tiny_school
from tests.untranslated import untranslated


def _chinese(school: School) -> School:
    return dataclasses.replace(
        school, info=dataclasses.replace(school.info, name="深圳市测试小学", language="zh"))


def _said(school: School) -> set[str]:
    """The school's own words a message may quote: its ids and names."""
    entities = (*school.activities, *school.rooms, *school.staff, *school.students)
    return {word for e in entities for word in (e.id, *e.name.split())}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _broken(tmp_path: Path, school: School) -> Path:
    """A workbook with errors on four sheets and a warning on the School sheet."""
    path = tmp_path / "学校.xlsx"
    write_school(path, school)
    workbook = openpyxl.load_workbook(path)
    workbook["Activities"]["C3"] = "tutoring"
    workbook["Rooms"]["D2"] = 0
    workbook["Students"]["E2"] = "星期八"
    workbook["Periods"]["D2"] = "25:99"
    workbook["School"].append(["颜色", "红"])
    workbook.save(path)
    return path


def test_a_chinese_school_reads_every_problem_in_chinese(tmp_path: Path) -> None:
    school = _chinese(tiny_school())
    code, output = _run("validate", str(_broken(tmp_path, school)))
    assert code == 2
    assert "级别" in output
    assert "错误" in output
    assert "警告" in output
    assert "第 2 行" not in output  # the table's own row column locates each problem
    assert untranslated(output, also=["tutoring", *sorted(_said(school))]) == []
    for located in ("Activities", "Rooms", "Students", "Periods", "School"):
        assert located in output


def test_lang_en_keeps_the_english_a_chinese_school_would_read(tmp_path: Path) -> None:
    code, output = _run("validate", "--lang", "en", str(_broken(tmp_path, _chinese(tiny_school()))))
    assert code == 2
    assert "expected a permitted category" in output
    assert "fix the errors before solving." in output
    assert "错误" not in output


def test_lang_zh_reads_an_unreadable_file_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("学号,姓名\n1,张三\n", encoding="utf-8")
    code, output = _run("validate", "--lang", "zh", str(path))
    assert code == 2
    assert "不是 Excel .xlsx 工作簿" in output
    assert untranslated(output) == []


def test_a_chinese_solve_summarises_and_shows_progress_in_chinese(tmp_path: Path) -> None:
    school = _chinese(tiny_school())
    path = tmp_path / "学校.xlsx"
    write_school(path, school)
    code, output = _run("solve", str(path), "--time-limit", "5", "--workers", "1",
                        "--seed", "3", "--pdf")
    assert code == 0, output
    out = path.with_name("学校-schedule.xlsx")
    read = read_school(path)
    assert check(read, read_schedule(out, read)).ok
    assert "已写入" in output
    assert "种子 3" in output
    assert "获得第一志愿的比例" in output
    assert "已安排" in output  # the progress line
    shown = output.replace(str(tmp_path), "")
    assert untranslated(shown, also=["rosters", "classes", "staff"]) == []


def test_a_chinese_infeasible_school_is_told_why_in_chinese(tmp_path: Path) -> None:
    school = _chinese(tiny_school())
    school = dataclasses.replace(
        school, activities=(STUDY,),
        rooms=tuple(dataclasses.replace(r, capacity=2) for r in school.rooms if r.id == "R1"),
        students=tuple(dataclasses.replace(s, choices=()) for s in school.students))
    path = tmp_path / "拥挤.xlsx"
    write_school(path, school)
    code, output = _run("solve", str(path), "--time-limit", "5", "--quiet")
    assert code == 4
    assert "无法排课：Mon" in output
    assert "没有任何方案能满足全部规则" in output
    assert untranslated(output) == []


def _template_text(path: Path) -> list[str]:
    """Every word of the template a person reads: cells, header notes, drop-down messages."""
    workbook = openpyxl.load_workbook(path)
    texts: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                if cell.comment is not None:
                    texts.append(cell.comment.text)
        for validation in sheet.data_validations.dataValidation:
            texts.append(validation.error or "")
    return texts


def test_the_chinese_template_holds_no_english_but_the_contracts_words(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    code, output = _run("template", "--lang", "zh", str(path))
    assert code == 0, output
    assert untranslated(output.replace(str(tmp_path), "")) == []
    texts = _template_text(path)
    assert "如何填写本工作簿" in texts
    leaks = {text: words for text in texts if (words := untranslated(text))}
    assert not leaks
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[0] == HELP_SHEET
    school = {row[0].value: row[1].value for row in workbook["School"].iter_rows(min_row=2)}
    assert school["language"] == "zh"
    # Its own School sheet says zh: validating it speaks Chinese without --lang.
    code, output = _run("validate", str(path))
    assert code == 2
    assert "必须填写" in output
    assert "a value is required" not in output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_template_in_either_language_reads_back_as_the_contract(tmp_path: Path,
                                                                    lang: str) -> None:
    path = tmp_path / f"template-{lang}.xlsx"
    assert _run("template", "--lang", lang, str(path))[0] == 0
    workbook = openpyxl.load_workbook(path)
    assert workbook["Students"]["A1"].value == "id"
    assert (workbook["Help"]["A1"].value == "How to fill in this workbook") == (lang == "en")


def test_a_file_written_elsewhere_is_said_in_chinese(tmp_path: Path) -> None:
    school = _chinese(tiny_school())
    path = tmp_path / "学校.xlsx"
    write_school(path, school)
    code, output = _run("solve", str(path), "-o", str(path), "--time-limit", "5", "--quiet")
    assert code == 0, output
    beside = path.with_name("学校 (2).xlsx")
    read = read_school(path)
    assert check(read, read_schedule(beside, read)).ok
    assert f"而不是 {path}，因为学校.xlsx 是本次运行的输入文件，不会被覆盖" in output
    assert untranslated(output.replace(str(tmp_path), "")) == []
