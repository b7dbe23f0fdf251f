"""The language a command speaks, and the ``--lang`` option that chooses it."""

from __future__ import annotations

import click

from models.messages import resolve_language
from models.messages import say as catalogue_say
from optimizer.outputs.report.labels import LANGUAGES


class _Voice:
    """The language the command speaks: ``--lang``, else the School sheet's language once
    the school is read, else English (README, "Language")."""

    lang = "en"


voice = _Voice()


def say(key: str, /, **fields: object) -> str:
    """A catalogue message (models/catalogue.py) in the command's language."""
    return catalogue_say(key, voice.lang, **fields)


def speak(lang: str | None, school_language: str | None = None) -> None:
    """Speak ``--lang``, else the School sheet's language once it is read, else English."""
    voice.lang = resolve_language(lang or school_language)


LANG_OPTION = click.option(
    "--lang", type=click.Choice(LANGUAGES),
    help="Language of the messages [default: the School sheet's language once it is read, "
         "else en].")
