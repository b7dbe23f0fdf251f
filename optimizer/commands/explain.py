"""``schedule explain`` (why a school has no schedule; why a child got what they got)
and ``schedule advise`` (what holds children back, and which changes help, measured)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from models.messages import said_in
from optimizer.commands.deliver import FILE, alone, deliver
from optimizer.commands.exits import Exit
from optimizer.commands.goals import goal_levels
from optimizer.commands.reading import load, rows_of, school_and_schedule
from optimizer.commands.voice import say, speak, voice
from optimizer.outputs.report.labels import LANGUAGES


@click.command(name="explain")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--school", "school_path", type=click.Path(path_type=Path),
              help="With --student: the school workbook the schedule WORKBOOK was made for.")
@click.option("--student", "student_id", metavar="ID",
              help="Why this child got what they got in the schedule WORKBOOK.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="With --student: the language of the answer [default: the School sheet's].")
@click.option("--time-limit", type=click.FloatRange(min=1), default=120, show_default=True,
              help="Seconds for all the explanation's solves (each takes at most 20).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="CP-SAT search threads.")
def explain(workbook: Path, school_path: Path | None, student_id: str | None,
            lang: str | None, time_limit: float, workers: int) -> None:
    """Why a school workbook has no schedule: the smallest set of its cells that cannot
    all hold, each with its sheet, row and column and what it would take.

    With --student ID --school SCHOOL, WORKBOOK is a schedule and the answer is why
    that child got what they got. Exit codes: 0 a schedule exists, 2 invalid
    workbook, 4 no schedule can keep every rule (the cells printed), 5 no answer
    within --time-limit, 64 --student without --school.
    """
    speak(lang)
    if school_path is not None and student_id is None:
        click.echo(say("explain.school_without_student"), err=True)
        sys.exit(Exit.USAGE)
    if student_id is not None:
        if school_path is None:
            click.echo(say("explain.student_without_school"), err=True)
            sys.exit(Exit.USAGE)
        sys.exit(explain_student_command(workbook, school_path, student_id, lang))
    from optimizer.explain.infeasible import Verdict, explain_infeasible
    from optimizer.explain.words import explanation_lines

    school = load(workbook, lang)
    click.echo(say("explain.start", school=school.info.name, limit=f"{time_limit:g}"),
               err=True)
    explanation = explain_infeasible(school, time_limit=time_limit, workers=workers)
    rows = rows_of(workbook) if explanation.verdict is Verdict.CONFLICT else {}
    for line in explanation_lines(explanation, school, rows):
        click.echo(said_in(line, voice.lang))
    click.echo(say("explain.solves", solves=explanation.num_solves,
                   seconds=f"{explanation.seconds:.1f}"), err=True)
    sys.exit({Verdict.FEASIBLE: Exit.OK, Verdict.UNDECIDED: Exit.NO_SOLUTION}.get(
        explanation.verdict, Exit.INFEASIBLE))


def explain_student_command(schedule_path: Path, school_path: Path, student_id: str,
                            lang: str | None) -> int:
    """``schedule explain SCHEDULE --school SCHOOL --student ID``: print why the child got
    what they got, in the report language; return the exit code (``Exit``).

    The schedule is checked first: a schedule that breaks a rule explains nothing (6).
    An id the school does not know is a usage error (64); unreadable input is 2.
    """
    from optimizer.explain.student import (
        UnknownStudent,
        explain_student,
        explanation_lines,
        recorded_seed,
    )
    from optimizer.outputs.report.labels import Labels, resolve_language

    school, plan = school_and_schedule(school_path, schedule_path, lang)
    seed = recorded_seed(schedule_path)
    try:
        explanation = explain_student(school, plan, student_id.strip(), seed)
    except UnknownStudent:
        click.echo(say("explain.unknown_student", student=student_id,
                       school=school_path.name), err=True)
        return Exit.USAGE
    labels = Labels(resolve_language(lang, school))
    for line in explanation_lines(labels, explanation):
        click.echo(line)
    click.echo(say("explain.done", student=explanation.student_id, schedule=schedule_path.name,
                   school=school_path.name), err=True)
    return Exit.OK


@click.command(name="advise")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Also write the changes tried as a scenarios workbook (the baseline first, "
                   "then each change) with an Advice sheet, for `schedule sweep --scenarios`.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Seed of every solve and its lottery: the same seed, the same advice.")
@click.option("--time-limit", type=click.FloatRange(min=1), default=20, show_default=True,
              help="Search for each solve (the school as it is, then each change), in "
                   "CP-SAT's deterministic work units (about seconds on one core).")
@click.option("--candidates", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Changes to try at most, one per activity holding back the most children.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the advice [default: the School sheet's language, else en].")
def advise_command(workbook: Path, output: Path | None, seed: int, time_limit: float,
                   candidates: int, lang: str | None) -> None:
    """What holds children back from their choices, and which small changes help most:
    each change is solved, and its measured effect is what is printed.

    Exit 0 when advised, 2 invalid workbook, 4 when the school as it is has no schedule,
    5 when none was found in time, 8 when the -o workbook could not be written.
    """
    from optimizer.explain.advice_report import advice_lines, write_advice
    from optimizer.explain.advise import advise
    from optimizer.outputs.report.labels import Labels, resolve_language
    from optimizer.search.result import Params, Status

    speak(lang)
    school = load(workbook, lang)
    params = Params(time_limit=time_limit, workers=1, seed=seed, deterministic=True,
                    levels=goal_levels(None, school))
    click.echo(say("advise.start", school=school.info.name,
                   registered=len(school.registered_students), seed=seed,
                   candidates=candidates, limit=f"{time_limit:g}"), err=True)
    advice = advise(school, params, candidates=candidates,
                    progress=lambda text: click.echo(
                        say("advise.progress", text=said_in(text, voice.lang)), err=True))
    labels = Labels(resolve_language(lang, school))
    for text in advice_lines(labels, advice):
        click.echo(text)
    if not advice.baseline.solved:
        infeasible = advice.baseline.status == Status.INFEASIBLE.value
        click.echo(say("advise.no_baseline"), err=True)
        sys.exit(Exit.INFEASIBLE if infeasible else Exit.NO_SOLUTION)
    if advice.everyone_first or not advice.suggestions:
        click.echo(say("advise.all_first" if advice.everyone_first
                       else "advise.nothing_to_try"), err=True)
        return
    then = say("advise.then_write")
    if output is not None:
        delivered = deliver(output, alone,
                            lambda paths: write_advice(paths[FILE], labels, advice),
                            protect=[workbook], default_name=f"{workbook.stem}-advice.xlsx")
        then = say("advise.then_wrote", path=delivered.main)
    helped = sum(s.helps for s in advice.suggestions)
    click.echo(say("advise.done", seconds=f"{advice.wall_time:.0f}", helped=helped,
                   tried=len(advice.suggestions), then=then), err=True)
