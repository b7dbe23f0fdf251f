"""A wrong command line said in Chinese when ``--lang zh`` is on it.

click says its own usage errors (an unknown option, a missing argument, a bad value)
in English before any command runs, so the School sheet cannot choose the language
yet; only ``--lang zh`` on the same command line can. Each common case is said again
from the exception's own fields (the option, the parameter, the choices) through the
message catalogue, not by translating click's sentence: click's wording may change,
its fields do not. An error click raises without such fields (a rare one) keeps
click's English sentence inside the Chinese one, so nothing is lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import click

from models.messages import LANGUAGES, Message, msg, say

_EXTRA = re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$")
"""click's one usage error that carries no fields: the extra words are in the text only."""


def language_on_command_line(args: Sequence[str]) -> str:
    """``zh`` for ``--lang zh`` or ``--lang=zh`` anywhere on the command line, else English
    (a misspelt language is itself a usage error, said in English)."""
    for i, arg in enumerate(args):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        if value in LANGUAGES:
            return value
    return LANGUAGES[0]


def usage_lines(exc: click.UsageError, lang: str) -> list[str]:
    """What is wrong with the command line and where to read how it goes, in ``lang``."""
    command = exc.ctx.command_path if exc.ctx is not None else "schedule"
    return [say("cli.error", lang, text=usage_problem(exc)),
            say("usage.help", lang, command=command)]


def usage_problem(exc: click.UsageError) -> Message:
    """The usage error as a catalogue message, from the fields click gives it."""
    if isinstance(exc, click.NoSuchOption):
        return _with_guess(msg("usage.no_such_option", option=exc.option_name),
                           exc.possibilities)
    if isinstance(exc, click.exceptions.NoSuchCommand):
        return _with_guess(msg("usage.no_such_command", command=exc.command_name),
                           exc.possibilities)
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        kind = exc.param_type or exc.param.param_type_name
        key = "usage.missing_option" if kind == "option" else "usage.missing_argument"
        return msg(key, name=_name(exc.param))
    if isinstance(exc, click.BadParameter) and exc.param is not None:
        return _bad_value(exc.param, exc.message)
    if isinstance(exc, click.BadParameter) and isinstance(exc.param_hint, str):
        return msg("usage.invalid_value", name=exc.param_hint, detail=exc.message)
    if isinstance(exc, click.BadOptionUsage) and exc.message.endswith("requires an argument."):
        return msg("usage.needs_value", option=exc.option_name)
    if extra := _EXTRA.match(exc.message):
        return msg("usage.extra_arguments", args=extra["args"])
    return msg("usage.other", text=exc.format_message())


def _bad_value(param: click.Parameter, detail: str) -> Message:
    """A value of the wrong kind: what the parameter takes, in words, when click's type
    says it (a choice, a range); else click's own detail."""
    kind = param.type
    if isinstance(kind, click.Choice):
        return msg("usage.not_a_choice", name=_name(param),
                   choices=", ".join(map(str, kind.choices)))
    if isinstance(kind, click.IntRange | click.FloatRange) and None not in (kind.min, kind.max):
        return msg("usage.out_of_range", name=_name(param), low=kind.min, high=kind.max)
    if isinstance(kind, click.IntRange | click.FloatRange) and kind.min is not None:
        return msg("usage.below_minimum", name=_name(param), low=kind.min)
    return msg("usage.invalid_value", name=_name(param), detail=detail)


def _with_guess(said: Message, possibilities: Sequence[str] | None) -> Message:
    if not possibilities:
        return said
    return msg("usage.did_you_mean", problem=said, guesses=", ".join(possibilities))


def _name(param: click.Parameter) -> str:
    """An option by its long name (``--time-limit``), an argument as usage shows it."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name
