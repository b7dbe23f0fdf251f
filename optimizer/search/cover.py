"""Sections opened where they seat the most children still without a place.

The coordinator's way opens a section when a child asks for it, on days that suit
that child. Where rooms are scarce (one field for three sports, one gym for four)
that lets the first children to ask decide the week: a field period goes to a
section that seats a handful, and a later section that would have seated thirty
finds the field taken. Here sections open the other way round, as in the greedy
for maximum coverage: of every (activity, band, meeting pattern) that may still
open, the one that would seat the most children who have no place yet opens first,
and those children take its seats. A section that cannot open there (its room or
people taken, the money spent) is dropped and the next is tried. The children then
ask for the rest as by hand, and the opened sections are filled optimally
(optimizer/search/assign.py), so who took a seat here only steers which sections
open next. The other way of opening sections first, by the rooms-and-people
program's plan (:func:`rounded`, :func:`open_planned`), is here too.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from optimizer.model.instance import CandidateSection
from optimizer.search.bounds import Pattern, patterns
from optimizer.search.lp_bounds import Planned

if TYPE_CHECKING:
    from optimizer.search.greedy import _Desk


@dataclass
class _Candidate:
    """A section that may open: an activity's band in one meeting pattern."""

    section: CandidateSection
    """The first candidate section of the activity and band (what every copy shares)."""
    pattern: Pattern
    fit: list[int]
    """The children who chose the activity and stay on every day and period of it."""
    waiting: int
    """How many of ``fit`` have no place yet."""


def open_by_cover(desk: _Desk, order: Sequence[int]) -> None:
    """Open sections, most children without a place seated first, until none would seat
    the activity's minimum. ``order`` (priority first) breaks ties between children."""
    inst = desk.inst
    candidates = _candidates(desk)
    within: dict[int, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        for i in candidate.fit:
            within[i].append(candidate)
    position = {i: n for n, i in enumerate(order)}
    # Children with fewer sections to go to take the seats first; the rest may find others.
    for candidate in candidates:
        candidate.fit.sort(key=lambda i: (-inst.priority_level.get(i, 0), len(within[i]),
                                          position.get(i, len(position))))
    waiting = {i for i in within if not desk.joined[i]}
    while candidates:
        best = max(candidates, key=_seated_per_hour)
        least = max(best.section.activity.min_size, 1)
        if min(best.waiting, best.section.max_size) < least:
            return
        group = desk.open_at(best.section, best.pattern)
        if group is None:
            candidates.remove(best)
            continue
        for i in best.fit:
            if len(group.members) >= group.capacity:
                break
            if i in waiting and desk.may_join(i, group.section.activity) and desk.fits(i, group):
                desk.place(i, group)
                waiting.discard(i)
                for other in within[i]:
                    other.waiting -= 1
        if len(group.members) < least:
            desk.withdraw(group)  # those who fit could not join after all (their fees)
            candidates.remove(best)


def _seated_per_hour(candidate: _Candidate) -> tuple[float, int]:
    """Children a section would seat per class hour of its room and people each week:
    a section meeting twice for the same seats uses a scarce room twice."""
    activity = candidate.section.activity
    seated = min(candidate.waiting, candidate.section.max_size)
    return seated / (activity.sessions_per_week * activity.periods), candidate.waiting


def _candidates(desk: _Desk) -> list[_Candidate]:
    """Every activity's band in every pattern it could meet in, with who would come."""
    inst = desk.inst
    choosers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, choices in inst.applicants.items():
        for key in {(inst.sections[s].activity.id, inst.sections[s].band.idx)
                    for s, _ in choices}:
            choosers[key].append(i)
    made = []
    for key, sections in desk.spare.items():
        if not sections or not choosers.get(key):
            continue
        first = sections[0]
        for pattern in patterns(inst, first):
            fit = [i for i in choosers[key] if inst.students[i].stays_for_all(pattern.slots)]
            if fit:
                made.append(_Candidate(first, pattern, fit, len(fit)))
    return made


def rounded(plan: Sequence[Planned], how: str, rng: random.Random | None = None
            ) -> tuple[int, ...]:
    """Whole sections for each of the program's fractions: rounded down (only what it
    opens whole), to the nearest whole, or at random, up with the probability of the
    fraction (randomized rounding: on average what the program opens, and a different
    week each draw). None of the three wins on every school."""
    if how == "random":
        assert rng is not None
        return tuple(math.floor(p.count) + (rng.random() < p.count - math.floor(p.count))
                     for p in plan)
    shift = 0.5 if how == "nearest" else 0.0
    return tuple(math.floor(p.count + shift + 1e-6) for p in plan)


def open_planned(desk: _Desk, plan: Sequence[Planned], whole: Sequence[int]) -> None:
    """Open ``whole[k]`` sections of the program's ``plan[k]`` (optimizer/search/
    lp_bounds.py ``section_plan``), those it opens most of first; the children fill
    them later."""
    for k in sorted(range(len(plan)), key=lambda k: -plan[k].count):
        for _ in range(whole[k]):
            if desk.open_at(plan[k].section, plan[k].pattern) is None:
                break
