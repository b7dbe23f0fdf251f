"""The commands about one school workbook: ``validate`` it, write a blank ``template`` or
a generated ``sample``, and ``check`` a schedule made for it against every rule."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from models.problems import WorkbookError
from optimizer.commands.deliver import FILE, alone, deliver
from optimizer.commands.exits import Exit
from optimizer.commands.goals import goal_name
from optimizer.commands.problems import print_problems
from optimizer.commands.reading import load, read_schedule_of
from optimizer.commands.voice import LANG_OPTION, say, speak, voice
from optimizer.outputs.report.labels import LANGUAGES


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@LANG_OPTION
def validate(workbook: Path, lang: str | None) -> None:
    """Check a school workbook against the contract.

    Exit 0 when clean, 1 with warnings only, 2 with errors.
    """
    from models.reader import inspect

    speak(lang)
    try:
        found = inspect(workbook)
    except WorkbookError as exc:
        click.echo(say("cli.error", text=exc.first(voice.lang)), err=True)
        sys.exit(Exit.INVALID)
    school, problems = found.school, found.problems
    speak(lang, found.language)
    print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(say("cli.validate.errors", name=workbook.name, errors=errors,
                       warnings=warnings))
        sys.exit(Exit.INVALID)
    assert school is not None
    click.echo(say("cli.validate.ok", name=workbook.name, school=school.info.name,
                   registered=len(school.registered_students), students=len(school.students),
                   activities=len(school.activities), rooms=len(school.rooms),
                   staff=len(school.staff),
                   verdict=say("cli.validate.warnings", warnings=warnings) if warnings
                   else say("cli.validate.clean")))
    sys.exit(Exit.WARNINGS if warnings else Exit.OK)


@click.command()
@click.argument("output", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], show_default=True,
              help="Language of the Help sheet, the header notes and the drop-down messages "
                   "(sheet and column names stay the contract's).")
def template(output: Path, lang: str) -> None:
    """Write an empty school workbook with every sheet, column, help and drop-down."""
    from models.template import write_template

    speak(lang)
    delivered = deliver(output, alone, lambda paths: write_template(paths[FILE], lang=lang),
                        protect=(), default_name="school-template.xlsx")
    click.echo(say("cli.template.wrote", path=delivered.main))


@click.command()
@click.option("--students", "num_students", type=click.IntRange(10, 20000), default=300,
              show_default=True, help="Students enrolled.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.option("--shape", metavar="NAME",
              help="A school of this shape (see --list-shapes) instead of the usual sample.")
@click.option("--set", "knobs", metavar="KNOB=VALUE", multiple=True,
              help="Change one knob of the shape, e.g. --set cross_share=0.5 (repeatable).")
@click.option("--band", "bands", metavar="GRADES@HH:MM[/MIN]", multiple=True,
              help="A grade band and its period-1 start, e.g. --band 1-3@15:40 --band "
                   "4-9@16:35 (repeatable; replaces the shape's bands).")
@click.option("--list-shapes", is_flag=True, help="List the shapes and their knobs, then exit.")
@LANG_OPTION
@click.argument("output", type=click.Path(path_type=Path), required=False)
def sample(num_students: int, seed: int, shape: str | None, knobs: tuple[str, ...],
           bands: tuple[str, ...], list_shapes: bool, lang: str | None,
           output: Path | None) -> None:
    """Write a realistic generated Shenzhen school (deterministic for a seed).

    With --shape, --set or --band, a school of another shape: its grade bands and
    their times (bands may overlap in clock time), activities across bands, staff,
    rooms, vendors, choices, registration and budget (docs/benchmarks.md).
    """
    from dataclasses import fields, replace

    from models.sample import generate_school
    from models.shapes import (
        SHAPES,
        Shape,
        ShapeError,
        describe_shape,
        generate_shaped_school,
        parse_band,
        shape_with,
    )
    from models.template import write_school

    speak(lang)
    if list_shapes:
        for known in SHAPES.values():
            click.echo(describe_shape(known))
        names = [f.name for f in fields(Shape) if f.name not in ("name", "bands", "knobs")]
        click.echo(say("cli.sample.knobs", knobs=", ".join(names)))
        return
    if output is None:
        raise click.UsageError(say("cli.sample.no_output"))
    if shape is None and not knobs and not bands:
        school = generate_school(num_students=num_students, seed=seed)
    else:
        base = shape or "two-bands"
        if base not in SHAPES:
            raise click.BadParameter(say("cli.sample.unknown_shape", shape=base,
                                         known=", ".join(SHAPES)), param_hint="--shape")
        try:
            changes = dict(_knob(text) for text in knobs)
            chosen = shape_with(base, **changes)
            if bands:
                chosen = replace(chosen, name=f"{chosen.name}[bands]",
                                 bands=tuple(parse_band(b) for b in bands))
            school = generate_shaped_school(num_students, seed, chosen)
        except ShapeError as exc:
            raise click.UsageError(exc.said.text(voice.lang)) from None
        except ValueError as exc:  # a malformed --set, said already
            raise click.UsageError(str(exc)) from None
    delivered = deliver(output, alone, lambda paths: write_school(paths[FILE], school),
                        protect=(), default_name=f"sample-{num_students}-{seed}.xlsx")
    click.echo(say("cli.sample.wrote", path=delivered.main, school=school.info.name,
                   students=len(school.students), registered=len(school.registered_students)))


def _knob(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ValueError(say("cli.sample.bad_knob", text=text, example="cross_share=0.5"))
    return key.strip(), value.strip()


@click.command(name="check")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("schedule", type=click.Path(path_type=Path))
@click.option("--seed", type=int, help="Lottery seed, to recompute the lottery goal.")
@LANG_OPTION
def check_command(workbook: Path, schedule: Path, seed: int | None, lang: str | None) -> None:
    """Check a schedule workbook (its Sections and Assignments sheets) against every rule.

    Exit 0 when every hard rule holds, 6 when one is broken, 2 on unreadable input.
    """
    from models.check import check

    speak(lang)
    school = load(workbook, lang)
    plan = read_schedule_of(schedule, school)
    report = check(school, plan, seed=seed)
    for violation in report.violations:
        click.echo(violation.text(voice.lang), err=True)
    for name, value in report.goals.items():
        # The Chinese goal name says yuan; the English key reads the fen the goal counts.
        shown = f"{value / 100:,.2f}" if name == "cost" and voice.lang != "en" else value
        click.echo(say("cli.check.goal", name=goal_name(name), value=shown))
    if report.ok:
        click.echo(say("cli.check.ok"))
        sys.exit(Exit.OK)
    click.echo(say("cli.check.violations", count=len(report.violations)), err=True)
    sys.exit(Exit.CHECK_FAILED)
