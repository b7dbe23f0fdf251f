"""The command line in the school's language: a Chinese school (or ``--lang zh``) reads
every problem, the progress line, the summary and the diagnosis in Chinese, and the
English stays as it was."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from models.check import check
from models.contract import ASSIGNMENTS_COLUMNS
from models.reader import read_school
from models.schedule import Schedule
from models.schedule_io import read_schedule
from models.school import School
from models.template import HELP_SHEET, write_school
from optimizer.cli import Exit, main
from optimizer.outputs.export import write_schedule
from optimizer.outputs.report.workbook import write_report
from tests.factories import STUDY, TERM_START, tiny_school
from tests.optimizer.helpers import solve_checked
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


# --- the checker, goals, sample, diff, cover and usage errors in Chinese -------------

@pytest.fixture(scope="module")
def term_zh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, School, Schedule]:
    """A Chinese tiny school's workbook and a solved, checked schedule written from it."""
    folder = tmp_path_factory.mktemp("term-zh")
    school_path = folder / "学校.xlsx"
    write_school(school_path, _chinese(tiny_school()))
    school = read_school(school_path)
    result, _ = solve_checked(school)
    assert result.schedule is not None
    return school_path, write_schedule(folder / "方案.xlsx", school, result), school, \
        result.schedule


def _bent(schedule: Schedule) -> Schedule:
    """The first chosen activity's section moved to a room of the wrong type and to the
    volunteer."""
    section = next(s for s in schedule.sections if s.activity_id != "STUDY")
    room = "R1" if section.activity_id == "FOOT" else "GYM"
    bent = dataclasses.replace(
        section, meetings=tuple(dataclasses.replace(m, room_id=room, staff_ids=("V1",))
                       for m in section.meetings))
    return dataclasses.replace(schedule, sections=tuple(
        bent if s.id == section.id else s for s in schedule.sections))


def _ids(school: School, schedule: Schedule) -> list[str]:
    """The school's words a message may quote: ids, names, sections, room types, skills."""
    return [*_said(school), *(s.id for s in schedule.sections),
            *(r.type for r in school.rooms), *(a.skill for a in school.activities if a.skill)]


def test_the_checker_says_a_bent_schedule_in_the_schools_chinese(
        term_zh: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, _, school, schedule = term_zh
    bent = write_report(tmp_path / "改过.xlsx", school, _bent(schedule))
    code, output = _run("check", str(school_path), str(bent))
    assert code == Exit.CHECK_FAILED
    assert "规则 3（场地）：" in output
    assert "规则 4（人员）：" in output
    assert "处违规" in output
    assert untranslated(output, also=_ids(school, schedule)) == []
    code, english = _run("check", "--lang", "en", str(school_path), str(bent))
    assert code == Exit.CHECK_FAILED
    assert "rule 3 (rooms): " in english
    assert "rule 4 (staff): " in english
    assert english.count("\n") == output.count("\n")  # the same violations, each once


def test_report_refuses_a_bent_schedule_in_chinese(
        term_zh: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, _, school, schedule = term_zh
    bent = write_report(tmp_path / "改过.xlsx", school, _bent(schedule))
    out = tmp_path / "报告.xlsx"
    code, output = _run("report", str(school_path), str(bent), "-o", str(out))
    assert code == Exit.CHECK_FAILED
    assert "校验：规则" in output
    assert not out.exists()
    shown = output.replace(str(tmp_path), "")
    assert untranslated(shown, also=_ids(school, schedule)) == []


@pytest.mark.parametrize(("goals", "said"), [
    ("unserved; happiness", "未知目标 'happiness'"),
    ("cost*two", "'cost' 的权重必须是整数，而不是 'two'"),
])
def test_a_bad_goals_option_is_said_in_chinese(
        term_zh: tuple[Path, Path, School, Schedule], goals: str, said: str) -> None:
    school_path = term_zh[0]
    code, output = _run("solve", str(school_path), "--goals", goals, "--quiet")
    assert code == Exit.USAGE
    assert f"错误：--goals：{said}" in output
    assert untranslated(output, also=["happiness", "two"]) == []
    code, english = _run("solve", str(school_path), "--goals", goals, "--quiet", "--lang", "en")
    assert code == Exit.USAGE
    assert "error: --goals: " in english


def test_sample_says_what_it_wrote_in_chinese(tmp_path: Path) -> None:
    out = tmp_path / "样例.xlsx"
    code, output = _run("sample", "--lang", "zh", "--students", "30", str(out))
    assert code == Exit.OK, output
    assert out.exists()
    assert output.startswith("已写入 ")
    school = read_school(out)
    assert untranslated(output.replace(str(tmp_path), ""), also=school.info.name.split()) == []
    code, english = _run("sample", "--students", "30", str(tmp_path / "sample.xlsx"))
    assert english.startswith("wrote ")
    assert english.rstrip().endswith("registered")


def test_diff_says_what_changed_in_chinese(term_zh: tuple[Path, Path, School, Schedule],
                                           tmp_path: Path) -> None:
    school_path, a, school, schedule = term_zh
    moved = _bent(schedule)
    b = write_report(tmp_path / "新.xlsx", school, moved)
    code, output = _run("diff", str(a), str(b), "--lang", "zh")
    assert code == Exit.OK, output
    assert "有变动" in output
    assert untranslated(output, also=_ids(school, schedule)) == []
    # The school's own language says it without --lang.
    code, same = _run("diff", str(a), str(a), "--school", str(school_path))
    assert same.rstrip().endswith(f"{a.name} 与 {a.name} 之间没有变动。")


def test_cover_is_said_in_the_schools_chinese(term_zh: tuple[Path, Path, School, Schedule],
                                              tmp_path: Path) -> None:
    school_path, a, school, schedule = term_zh
    meeting = schedule.sections[0].meetings[0]
    date = TERM_START + dt.timedelta(days=(meeting.day - TERM_START.weekday()) % 7)
    code, output = _run("cover", str(a), "--school", str(school_path), "--date",
                        date.isoformat(), "--absent", meeting.staff_ids[0])
    assert code == Exit.OK, output
    assert "需要代课" in output
    assert untranslated(output, also=_ids(school, schedule)) == []
    code, refused = _run("cover", str(a), "--school", str(school_path), "--date",
                         "2026-09-06", "--absent", meeting.staff_ids[0])
    assert code == Exit.USAGE
    assert "不是上学日" in refused
    assert untranslated(refused) == []


@pytest.mark.parametrize(("line", "said"), [
    (["solve", "--lang", "zh", "--bogus", "x.xlsx"], "没有选项 --bogus"),
    (["solve", "--lang", "zh"], "缺少参数 WORKBOOK"),
    (["sample", "--lang", "zh", "--students", "5", "x.xlsx"], "应为 10 至 20000 之间的数"),
    (["solvee", "--lang", "zh"], "没有命令 'solvee'；是否想用 solve, resolve？"),
    (["validate", "--lang=zh", "a.xlsx", "b.xlsx"], "多余的参数：b.xlsx"),
    (["solve", "--lang", "zh", "--goals"], "选项 --goals 后面需要一个值"),
])
def test_a_wrong_command_line_with_lang_zh_is_said_in_chinese(line: list[str],
                                                             said: str) -> None:
    code, output = _run(*line)
    assert code == Exit.USAGE
    assert said in output
    assert untranslated(output, also=["WORKBOOK", "bogus", "solvee", "main", "students"]) == []
    english = [word for word in line if word not in ("--lang", "zh", "--lang=zh")]
    code, output = _run(*english)
    assert code == Exit.USAGE
    assert "Error: " in output
    assert "错误" not in output


def _last_term(path: Path, students: list[str]) -> Path:
    """Last term's schedule as its Assignments sheet: each child in study, Monday period 1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Assignments"
    sheet.append(list(ASSIGNMENTS_COLUMNS))
    for student in students:
        sheet.append([student, "Mon", 1, "ST1", "STUDY", None])
    workbook.save(path)
    return path


def test_solve_previous_says_who_it_raised_in_chinese(
        term_zh: tuple[Path, Path, School, Schedule], tmp_path: Path) -> None:
    school_path, _, school, _ = term_zh
    out = tmp_path / "下学期.xlsx"
    code, output = _run("solve", str(school_path), "--previous",
                        str(_last_term(tmp_path / "上学期.xlsx", ["S1", "S2"])), "-o", str(out),
                        "--time-limit", "5", "--workers", "1", "--deterministic", "-q")
    assert code == Exit.OK, output
    assert "提高一级优先级" in output
    assert check(school, read_schedule(out, school)).ok
    assert untranslated(output.replace(str(tmp_path), ""), also=["rosters"]) == []
    code, refused = _run("solve", str(school_path), "--previous",
                         str(_last_term(tmp_path / "别校.xlsx", ["X0", "X1"])), "-q")
    assert code == Exit.INVALID
    assert "不能作为 学校.xlsx 的上学期方案" in refused
    assert untranslated(refused, also=["X0", "X1"]) == []


def test_a_sweep_that_cannot_start_says_why_in_chinese(tmp_path: Path) -> None:
    school = tmp_path / "甲校.xlsx"
    write_school(school, _chinese(tiny_school()))
    empty = tmp_path / "空"
    empty.mkdir()
    code, output = _run("sweep", "--lang", "zh", str(empty))
    assert code == Exit.INVALID
    assert "没有找到学校工作簿" in output
    code, refused = _run("sweep", "--lang", "zh", str(school), "-o", str(tmp_path / "结果.txt"))
    assert code == Exit.INVALID
    assert "结果要写入 .xlsx 或 .parquet 文件，而不是 '结果.txt'" in refused
    shown = (output + refused).replace(str(tmp_path), "")
    assert untranslated(shown, also=["txt"]) == []  # the name the test gave
    code, english = _run("sweep", str(school), "-o", str(tmp_path / "results.txt"))
    assert "error: results go to an .xlsx or .parquet file, not 'results.txt'" in english


@pytest.mark.parametrize(("args", "said"), [
    (["--band", "1-3@25:00"], "时段组 '1-3@25:00'：00:00 至 23:59 之间的时间"),
    (["--band", "1-3@15:40", "--band", "3-9@16:35"], "第 2 节将在 18:05 结束"),
    (["--set", "cross_share=x"], "参数 cross_share 应为数字"),
    (["--shape", "nope"], "未知的学校形态 'nope'"),
])
def test_sample_refuses_a_shape_in_chinese(tmp_path: Path, args: list[str], said: str) -> None:
    out = tmp_path / "never.xlsx"
    code, output = _run("sample", "--lang", "zh", "--students", "60", *args, str(out))
    assert code == Exit.USAGE
    assert said in output
    assert not out.exists()
