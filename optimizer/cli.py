"""The ``schedule`` command: the public API calls plus printing. Only this module prints."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from models.problems import Problem, WorkbookError

EXIT_OK = 0
EXIT_WARNINGS = 1
EXIT_INVALID = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more detail to stderr.")
def main(verbose: bool) -> None:
    """After-school timetabling and staffing for Shenzhen schools."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _print_problems(problems: list[Problem]) -> None:
    if not problems:
        return
    rows = [(p.severity.value, p.sheet, "" if p.row is None else str(p.row), p.column or "",
             "" if p.value in (None, "") else str(p.value)[:30], p.message) for p in problems]
    headers = ("level", "sheet", "row", "column", "value", "problem")
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])]
    line = "  ".join(h.ljust(w) for h, w in zip(headers[:-1], widths, strict=True))
    click.echo(f"{line}  {headers[-1]}", err=True)
    for row in rows:
        cells = "  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True))
        click.echo(f"{cells}  {row[-1]}", err=True)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
def validate(workbook: Path) -> None:
    """Check a school workbook against the contract.

    Exit 0 when clean, 1 with warnings only, 2 with errors.
    """
    from models.reader import inspect_workbook

    try:
        school, problems = inspect_workbook(workbook)
    except WorkbookError as exc:
        click.echo(f"error: {exc.problems[0].message}", err=True)
        sys.exit(EXIT_INVALID)
    _print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{workbook.name}: {errors} error(s), {warnings} warning(s); fix the errors "
                   "before solving.", err=True)
        sys.exit(EXIT_INVALID)
    assert school is not None
    click.echo(
        f"{workbook.name}: {school.info.name} — {len(school.registered_students)} registered "
        f"of {len(school.students)} students, {len(school.activities)} activities, "
        f"{len(school.rooms)} rooms, {len(school.staff)} staff; "
        + ("no problems." if not warnings else f"{warnings} warning(s).")
    )
    sys.exit(EXIT_WARNINGS if warnings else EXIT_OK)


@main.command()
@click.argument("output", type=click.Path(path_type=Path))
def template(output: Path) -> None:
    """Write an empty school workbook with every sheet, column, help and drop-down."""
    from models.template import write_template

    write_template(output)
    click.echo(f"wrote {output}")


@main.command()
@click.option("--students", "num_students", type=click.IntRange(10, 20000), default=300,
              show_default=True, help="Students enrolled.")
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
@click.argument("output", type=click.Path(path_type=Path))
def sample(num_students: int, seed: int, output: Path) -> None:
    """Write a realistic generated Shenzhen school (deterministic for a seed)."""
    from models.sample import generate_school
    from models.template import write_school

    school = generate_school(num_students=num_students, seed=seed)
    write_school(output, school)
    click.echo(f"wrote {output}: {school.info.name}, {len(school.students)} students, "
               f"{len(school.registered_students)} registered")
