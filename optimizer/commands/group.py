"""The command group's class: the one place where every command ends."""

from __future__ import annotations

import sys
from importlib import metadata
from typing import Any

import click

from optimizer.commands.exits import Exit
from optimizer.commands.voice import say
from optimizer.console.crash import write_crash_log
from optimizer.console.interrupts import pressed_ctrl_c


def installed_version() -> str:
    """The installed package's version, for ``--version`` and the crash log."""
    try:
        return metadata.version("afterschool-schedule")
    except metadata.PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown (not installed)"


class ScheduleGroup(click.Group):
    """The command group, with the one place where every command ends: a bad command
    line gets its own exit code, Ctrl-C one sentence, and anything unexpected one
    sentence and a log file, never a traceback."""

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        from optimizer.console.usage import language_on_command_line, usage_lines

        said = list(sys.argv[1:] if args is None else args)
        try:
            outcome = super().main(args, prog_name, complete_var, standalone_mode=False,
                                   **extra)
        except click.UsageError as exc:
            # Before any command runs only --lang can choose: click's English otherwise.
            lang = language_on_command_line(said)
            if lang == "en":
                exc.show()
            else:
                click.echo("\n".join(usage_lines(exc, lang)), err=True)
            sys.exit(Exit.USAGE)
        except click.ClickException as exc:  # e.g. a file option that does not exist
            exc.show()
            sys.exit(Exit.USAGE)
        except (KeyboardInterrupt, click.Abort):
            click.echo(say("cli.interrupted"), err=True)
            sys.exit(Exit.INTERRUPTED)
        except Exception as exc:
            if pressed_ctrl_c(exc):
                click.echo(say("cli.interrupted"), err=True)
                sys.exit(Exit.INTERRUPTED)
            log = write_crash_log(exc, version=installed_version())
            where = say("cli.crash_log", log=log) if log else say("cli.crash_no_log")
            click.echo(say("cli.crash", kind=type(exc).__name__, where=where), err=True)
            sys.exit(Exit.INTERNAL)
        sys.exit(outcome if isinstance(outcome, int) else Exit.OK)
