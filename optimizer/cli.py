"""The ``schedule`` command: the group and its commands, each from its module in
``optimizer/commands/`` (docs/architecture.md, "Where does X go?")."""

from __future__ import annotations

import logging

import click

from optimizer.commands.changes import cover_command, diff
from optimizer.commands.district import sweep
from optimizer.commands.exits import Exit
from optimizer.commands.explain import advise_command, explain
from optimizer.commands.group import ScheduleGroup, installed_version
from optimizer.commands.printing import print_command, report
from optimizer.commands.school import check_command, sample, template, validate
from optimizer.commands.solve import resolve, solve
from optimizer.commands.voice import speak

__all__ = ["Exit", "main"]


@click.group(cls=ScheduleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=installed_version(), prog_name="schedule",
                      message="%(prog)s %(version)s")
@click.option("-v", "--verbose", is_flag=True, help="Log more detail to stderr.")
def main(verbose: bool) -> None:
    """After-school timetabling and staffing for Shenzhen schools."""
    speak(None)  # each command starts in English until it knows better
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


for _command in (validate, template, sample, check_command, solve, resolve, explain,
                 advise_command, print_command, report, diff, cover_command, sweep):
    main.add_command(_command)


if __name__ == "__main__":
    main()
