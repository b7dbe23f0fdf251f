"""Every sentence the program says to a person, in English and Chinese: one catalogue.

A message is a stable key and its fields (``Message("cell.required", expected=…)``);
it becomes words only when shown, in the language of the reader. The catalogue
``MESSAGES`` maps each key to (English, Chinese) with the same ``{fields}``; a field
that is itself a :class:`Message` is said in the same language, so a sentence built
from parts (what a cell expects, inside what is wrong with it) reads in one language
throughout. The report's words (``optimizer/outputs/report/labels.py``) are a second
table of the same shape, said the same way (:func:`render`).

Sheet names, column names and the words a coordinator types into a cell (``Mon``,
``yes``, ``study``) are the contract's and stay as they are in Chinese too: the
message must name what to type.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from models.catalogue import MESSAGES

if TYPE_CHECKING:
    from models.contract import Column
    from models.school import School

LANGUAGES: tuple[str, ...] = ("en", "zh")
"""The languages of every message and report word; the first is the default."""

Table = Mapping[str, tuple[str, str]]
"""key → (English, Chinese)."""


@dataclass(frozen=True)
class Message:
    """What to say, not yet in words: a catalogue key and the values of its fields."""

    key: str
    fields: tuple[tuple[str, object], ...] = ()
    """(name, value) pairs: a tuple, so that a problem holding the message is hashable."""

    def text(self, lang: str = "en") -> str:
        return render(MESSAGES, self.key, lang, dict(self.fields))

    def __str__(self) -> str:
        return self.text("en")


class Said(str):
    """A message said in English that can be said again in another language: for lists
    of plain text (a result's diagnosis) that carry messages through layers that only
    join and print them."""

    message: Message

    def __new__(cls, message: Message) -> Said:
        said = super().__new__(cls, message.text("en"))
        said.message = message
        return said

    def text(self, lang: str = "en") -> str:
        return self.message.text(lang)

    def __reduce__(self) -> tuple[type[Said], tuple[Message]]:
        # Pickled as its message (a sweep sends results between processes), not as text.
        return Said, (self.message,)


@dataclass(frozen=True)
class Joined:
    """Messages said one after another: a list as long as the data, which no catalogue
    text can spell out (the slots a child has no place in)."""

    items: tuple[Message, ...]
    separators: tuple[str, str] = (", ", "、")
    """(English, Chinese): a Chinese list joins with 、, not a comma."""

    def text(self, lang: str = "en") -> str:
        return self.separators[language_index(lang)].join(item.text(lang) for item in self.items)


def said_in(text: str, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Said`; other text as it is."""
    return text.text(lang) if isinstance(text, Said) else text


def msg(key: str, /, **fields: object) -> Message:
    """``msg("cell.required", expected=…)``; an unknown key fails here, not when shown."""
    if key not in MESSAGES:
        raise KeyError(f"no message {key!r} in the catalogue")
    return Message(key, tuple((name, tuple(value) if isinstance(value, list) else value)
                              for name, value in fields.items()))


def say(key: str, lang: str = "en", /, **fields: object) -> str:
    """The message ``key`` in words, at once."""
    return msg(key, **fields).text(lang)


def render(table: Table, key: str, lang: str, fields: Mapping[str, object]) -> str:
    """``table[key]`` in ``lang`` with its fields filled in, messages among them said in
    the same language."""
    words = table[key][language_index(lang)]
    return words.format(**{name: _said(value, lang) for name, value in fields.items()})


def _said(value: object, lang: str) -> object:
    if isinstance(value, Message | Said | Joined):
        return value.text(lang)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Message) for v in value):
        return ("; " if lang == "en" else "；").join(v.text(lang) for v in value)
    return value


def fields_of(text: str) -> set[str]:
    """The names of the ``{fields}`` a catalogue text fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def language_index(lang: str) -> int:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return LANGUAGES.index(lang)


def resolve_language(lang: str | None, school: School | None = None) -> str:
    """``--lang`` if given, else the School sheet's ``language``, else English.

    Before the school is read (or when its School sheet cannot be read) only
    ``--lang`` can choose.
    """
    chosen = lang or (school.info.language if school is not None else None) or LANGUAGES[0]
    language_index(chosen)
    return chosen


def column_help(sheet: str, column: Column) -> Message:
    """What a column of the contract holds, as its help says (without the final stop)."""
    key = f"help.{sheet}.{column.name}"
    return msg(key) if key in MESSAGES else msg("text", text=column.help.rstrip("."))
