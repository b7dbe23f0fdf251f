"""Goal order and weights as coordinators write them: ``"unserved; choice_points; cost*2,
vendor_rating_shortfall"``.

Levels are separated by ``;`` and solved in that order (lexicographically);
goals joined by ``,`` share one level as a weighted sum; ``name*weight`` sets a
whole-number weight (default 1). Goals left out are not optimized.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from models.messages import Message, msg
from optimizer.model.rules import GOALS

Level = tuple[tuple[str, int], ...]
"""One lexicographic level: (goal name, whole-number weight) pairs, summed."""
Levels = tuple[Level, ...]

DEFAULT_LEVELS: Levels = tuple(((name, 1),) for name, goal in GOALS.items()
                               if not goal.needs_previous)
"""The contract's order; the goals of a re-solve only where ``schedule resolve`` puts them."""


class GoalSpecError(ValueError):
    """A goal specification that cannot be used; the message says what was expected.

    ``str()`` is the English; ``said`` is the catalogue message, which the command
    line says in the reader's language.
    """

    def __init__(self, said: Message) -> None:
        super().__init__(said.text("en"))
        self.said = said


def parse_levels(text: str) -> Levels:
    levels: list[tuple[tuple[str, int], ...]] = []
    seen: set[str] = set()
    for chunk in text.replace("；", ";").replace("，", ",").split(";"):
        level: list[tuple[str, int]] = []
        for item in chunk.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, weight_text = item.partition("*")
            name = name.strip().lower().replace(" ", "_")
            if name not in GOALS:
                raise GoalSpecError(msg("goals.unknown", name=name, goals=", ".join(GOALS)))
            if name in seen:
                raise GoalSpecError(msg("goals.twice", name=name))
            try:
                weight = int(weight_text) if weight_text.strip() else 1
            except ValueError:
                raise GoalSpecError(msg("goals.weight_not_whole", name=name,
                                        weight=weight_text.strip())) from None
            if weight < 1:
                raise GoalSpecError(msg("goals.weight_below_one", name=name))
            seen.add(name)
            level.append((name, weight))
        if level:
            levels.append(tuple(level))
    if not levels:
        raise GoalSpecError(msg("goals.none"))
    return tuple(levels)


def format_levels(levels: Levels) -> str:
    return "; ".join(", ".join(name if w == 1 else f"{name}*{w}" for name, w in level)
                     for level in levels)


def school_levels(settings: Mapping[str, str], spec: str | None = None) -> Levels:
    """The levels a solve of a school uses: ``spec`` (``--goals``) if given, else the
    Settings sheet's key ``goals``, else the contract's order. A bad specification
    raises :class:`GoalSpecError` saying where it came from."""
    text = spec or settings.get("goals")
    if not text:
        return DEFAULT_LEVELS
    try:
        return parse_levels(text)
    except GoalSpecError as exc:
        where = msg("goals.from_option" if spec else "goals.from_settings")
        raise GoalSpecError(msg("goals.where", where=where, problem=exc.said)) from None


def level_weights(levels: Sequence[Level]) -> list[int]:
    return [max(GOALS[name].time_weight for name, _ in level) for level in levels]


def weight_after(index: int, levels: Sequence[Level]) -> float:
    """Share of the whole limit that levels ``index`` … last get together."""
    weights = level_weights(levels)
    return sum(weights[index:]) / sum(weights)


def share(remaining: float, index: int, levels: Sequence[Level]
           ) -> float:
    """Seconds for a level: those that decide who gets a place get most of the time, then
    the lottery; time a level leaves unused passes on to the next."""
    weights = level_weights(levels)
    return remaining * weights[index] / sum(weights[index:])
