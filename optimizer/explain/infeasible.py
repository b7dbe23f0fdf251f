"""Why no schedule exists: a minimal set of the school's facts that cannot hold together.

The capacity pre-checks (optimizer/search/diagnose.py) come first; they explain
most impossible schools at once. Past them, every changeable fact (see facts.py)
gets an assumption literal that enforces its constraints, CP-SAT says which
assumptions suffice for infeasibility, and that set is shrunk by deletion: a
member is dropped when the school stays impossible without it (the greedy on
the school with the rest relaxed answers "possible" quickly when it can, see
relax.py; CP-SAT answers otherwise). What is left is
minimal: without any one member, the rest can be kept (every non-member relaxed) —
where alike members of one column were not told apart in time, with those members
taken together as one fact, when leaving all of them out was shown to let the rest
hold (:func:`_grouped`). Each member then gets its numbers from one more solve that
lets it slip by a counted amount, minimizing how far.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from enum import Enum

from ortools.sat.python import cp_model

from models.school import School
from optimizer.explain.facts import Fact
from optimizer.explain.guard import GuardedModel, guard_model
from optimizer.explain.relax import full_greedy_affordable, greedy_fits
from optimizer.explain.shortfall import Shortfall, shortfall
from optimizer.model.instance import Instance, build_instance
from optimizer.search.diagnose import moment_problems, weekly_problems

log = logging.getLogger(__name__)

DEFAULT_SECONDS_PER_SOLVE = 20.0

DEFAULT_TIME_LIMIT = 120.0


class Verdict(Enum):
    FEASIBLE = "feasible"  # a schedule keeps every rule: nothing to explain
    PRECHECK = "pre-check"  # the capacity pre-checks say why
    CONFLICT = "conflict"  # a set of facts that cannot hold together
    UNQUESTIONED = "unquestioned"  # impossible, with every changeable fact relaxed
    UNDECIDED = "undecided"  # no answer within the time given


@dataclass(frozen=True)
class Cause:
    """One member of the conflicting set: the fact and what it would take."""

    fact: Fact
    shortfall: Shortfall | None
    """How far the fact falls short, from a solve; None when that solve timed out (and
    for a group, which is not measured)."""
    together: int = 1
    """How many facts of one column this cause stands for. More than one: a group,
    ``fact`` their cells, whose members' deletions were not decided in time but whose
    deletion as a whole was shown to let the rest hold; it counts as one fact of the
    set."""


@dataclass
class Explanation:
    """Why a school has no schedule, with the statistics of finding out."""

    verdict: Verdict
    causes: list[Cause] = field(default_factory=list)
    prechecks: list[str] = field(default_factory=list)
    minimal: bool = False
    """Each cause (a group as one) was shown necessary: without it the rest can hold."""
    num_facts: int = 0
    """Changeable facts the model holds, each guarded by one literal."""
    num_solves: int = 0
    seconds: float = 0.0


def explain_infeasible(school: School, *, time_limit: float = DEFAULT_TIME_LIMIT,
                       seconds_per_solve: float = DEFAULT_SECONDS_PER_SOLVE,
                       workers: int = 1) -> Explanation:
    """Why ``school`` has no schedule, or that it has one.

    ``seconds_per_solve`` bounds each solve (one to test the whole school, one per
    member of the set to shrink it, one per cause for its numbers) and ``time_limit``
    all of them: a set not shrunk in time is reported as not shown minimal.
    """
    started = time.monotonic()
    inst = build_instance(school)
    found = moment_problems(inst)
    if found:
        return Explanation(Verdict.PRECHECK, prechecks=found,
                           seconds=time.monotonic() - started)
    short_week = weekly_problems(inst)
    if short_week:
        return _whose_hours(inst, short_week, started, time_limit, seconds_per_solve, workers)
    # A checked schedule from the greedy settles the question without a search. Only
    # everyone in study: the full greedy, failing, can take half a minute at 1,500
    # students, and the first solve below answers "possible" too.
    if greedy_fits(school):
        return Explanation(Verdict.FEASIBLE, seconds=time.monotonic() - started)
    guarded = guard_model(inst, seconds_per_solve, workers, deadline=started + time_limit)
    explanation = _conflict(guarded, first=max(time_limit / 2, seconds_per_solve))
    _count(explanation, guarded, started)
    log.info("explanation: %s, %d cause(s) of %d facts, %d solves, %.1fs",
             explanation.verdict.value, len(explanation.causes), explanation.num_facts,
             explanation.num_solves, explanation.seconds)
    return explanation


def _whose_hours(inst: Instance, short_week: list[str], started: float, time_limit: float,
                 seconds_per_solve: float, workers: int) -> Explanation:
    """The week's staff hours are short (a pre-check proved it): whose limits to raise.

    The sum names no one; the guarded model names the staff when it finds its set
    quickly (a quarter of one solve), and has two solves' time in all to shrink and
    measure it: the sum, said beside the set, is already the proof. Else the pre-check's
    lines are the explanation.
    """
    deadline = started + min(time_limit, 2 * seconds_per_solve)
    guarded = guard_model(inst, seconds_per_solve, workers, deadline=deadline)
    explanation = _conflict(guarded, first=seconds_per_solve / 4)
    if explanation.verdict == Verdict.CONFLICT:
        explanation.prechecks = short_week
    else:
        explanation = Explanation(Verdict.PRECHECK, prechecks=short_week)
    _count(explanation, guarded, started)
    return explanation


def _count(explanation: Explanation, guarded: GuardedModel, started: float) -> None:
    """The statistics of finding out: facts guarded, solves run, seconds taken."""
    explanation.num_facts = len(guarded.facts)
    explanation.num_solves = guarded.solves
    explanation.seconds = time.monotonic() - started


def _conflict(g: GuardedModel, first: float) -> Explanation:
    everything = list(range(len(g.facts)))
    # The facts as plain constraints first, for a quarter of one solve: where it proves
    # at all it proves fast (0.5 s at 120 students); at 3,000 it did not in 15 s.
    status, _ = g.solve(everything, most=min(first, g.seconds) / 4, workers=1)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Explanation(Verdict.FEASIBLE)
    # Then CP-SAT's own set, under assumptions: its sets are the easiest to shrink, but
    # after a quick plain proof it may be cut short (_by_column then).
    proven = status == cp_model.INFEASIBLE
    status, core = g.solve(everything, why=True, most=_why_seconds(g, first, proven))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Explanation(Verdict.FEASIBLE)
    if status != cp_model.INFEASIBLE:
        return _from_columns(g, first) if proven else Explanation(Verdict.UNDECIDED)
    # With every fact relaxed, is there still no schedule? Then no fact is to blame.
    if not core or not _fits(g, set()):
        status, _ = g.solve([])
        if status == cp_model.INFEASIBLE:
            return Explanation(Verdict.UNQUESTIONED, minimal=True)
    return _shrunk(g, core or everything, plain=False, necessary=set())


_SMALL = 100
"""A model with at most this many facts is a small school's (54 at 120 students, 78 at
300, 524 at the bundled 3,000)."""


def _why_seconds(g: GuardedModel, first: float, proven: bool) -> float:
    """How long CP-SAT's own set of every fact may take.

    After a plain proof, a few times as long as the proof, at least half a solve: the
    bundled 3,000-student school at study_ratio 8 needs 8.6 s for its set of two, and
    there leaving out its columns instead took 8 s and named ten facts. A small school's
    columns are quick to leave out, so there the set gets only a few proofs' time (at
    least 1 s), and the columns answer if it runs out (a 120-student school at
    study_ratio 8: no set in 20 s, the columns in 4; at 300 students the set came in
    0.2-0.8 s).
    """
    if not proven:
        return first
    usual = g.as_long_as_proofs(least=g.seconds / 2, most=first)
    if len(g.facts) <= _SMALL:
        return g.as_long_as_proofs(least=1.0, most=usual)
    return usual


def _from_columns(g: GuardedModel, first: float) -> Explanation:
    """The columns that cannot be left out, then CP-SAT's own set among their facts
    alone: with every other fact fixed off it comes at once (a 120-student school at
    study_ratio 8: 0.3-1.4 s, where with every fact as an assumption none came in 20 s)."""
    core, necessary = _by_column(g)
    if not core:
        return Explanation(Verdict.UNQUESTIONED, minimal=True)
    status, smaller = g.solve(core, why=True,
                              most=g.as_long_as_proofs(least=g.seconds / 4, most=first))
    if status == cp_model.INFEASIBLE and smaller:
        # Already CP-SAT's own set among a few columns: halving it would split a column
        # of alike members, whose halves are slow to decide (5 s lost at 120 students).
        return _shrunk(g, smaller, plain=False, necessary=necessary, halve=False)
    return _shrunk(g, core, plain=True, necessary=necessary)


def _shrunk(g: GuardedModel, core: list[int], plain: bool,
            necessary: set[tuple[str, str]], halve: bool = True) -> Explanation:
    """The set shrunk to a minimal one (halved, then by deletion), each member measured.

    ``plain``: ask with the facts as plain constraints and one worker (where that proved
    the school impossible), else with assumptions, whose answers name a smaller set.
    ``necessary``: the columns already shown to be needed as a whole (:func:`_by_column`).
    """
    if halve:
        core = _halve(g, core, plain)
    core, undecided = _shrink(g, core, plain, necessary)
    causes, minimal = _grouped(g, core, undecided, necessary)
    return Explanation(Verdict.CONFLICT, causes=_measured(g, causes), minimal=minimal)


def _grouped(g: GuardedModel, core: list[int], undecided: set[tuple[str, str]],
             necessary: set[tuple[str, str]]) -> tuple[list[list[int]], bool]:
    """The set as causes, and whether each is shown necessary.

    A member whose deletion was decided is a cause alone. The members of a column where
    one deletion was not decided in time become one group when leaving all of them out
    lets the rest hold — shown by the columns' own solve (the rest is a subset of what
    held then) or by one more — so the set is minimal with the group as one fact; else
    (one member left and no such solve: none to add) they stay alone and the set is
    perhaps not the smallest.
    """
    causes: list[list[int]] = []
    groups: dict[tuple[str, str], list[int]] = {}
    for m in core:
        column = _column(g, m)
        if column not in undecided:
            causes.append([m])
        elif column in groups:
            groups[column].append(m)
        else:
            groups[column] = [m]
            causes.append(groups[column])
    minimal = True
    for column, members in groups.items():
        # One member alone: its own deletion solve asked that, and had no answer.
        if column not in necessary and (len(members) == 1
                                        or not _holds_without(g, core, members)):
            minimal = False
            at = causes.index(members)
            causes[at:at + 1] = [[m] for m in members]
    return causes, minimal


def _holds_without(g: GuardedModel, core: list[int], members: list[int]) -> bool:
    """Whether the rest of the set can hold with these members left out."""
    rest = [m for m in core if m not in members]
    if _fits(g, set(rest)):
        return True
    status, _ = g.solve(rest, _deletion_seconds(g))
    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _measured(g: GuardedModel, causes: list[list[int]]) -> list[Cause]:
    """Each cause with how far it falls short; once one member of a column could not
    be measured in time, its alike siblings are not tried (each would take as long). A
    group is not measured: one amount for several limits would say little."""
    core = [m for members in causes for m in members]
    found: list[Cause] = []
    unmeasured: set[tuple[str, str]] = set()
    for members in causes:
        if len(members) > 1:
            found.append(Cause(_together(g, members), None, together=len(members)))
            continue
        m, column = members[0], _column(g, members[0])
        amount = (None if column in unmeasured
                  else shortfall(g, m, [o for o in core if o != m]))
        if amount is None:
            unmeasured.add(column)
        found.append(Cause(g.facts[m].fact, amount))
    return found


def _together(g: GuardedModel, members: list[int]) -> Fact:
    """One fact for a group: the column's cells in those rows, their values as a range
    ('3–10') or, for room types, a list."""
    facts = [g.facts[m].fact for m in members]
    values = list(dict.fromkeys(f.value for f in facts))
    if all(v.isdigit() for v in values):
        low, high = min(values, key=int), max(values, key=int)
        value = low if low == high else f"{low}–{high}"
    else:
        value = ", ".join(values)
    ids = tuple(dict.fromkeys(i for f in facts for i in f.ids))
    return Fact(facts[0].sheet, ids, facts[0].column, value)


def _column(g: GuardedModel, member: int) -> tuple[str, str]:
    """The sheet and column of a fact: its alike siblings share them."""
    fact = g.facts[member].fact
    return fact.sheet, fact.column


def _by_column(g: GuardedModel) -> tuple[list[int], set[tuple[str, str]]]:
    """The facts of the columns that cannot be left out, the others relaxed, and the
    columns shown to be needed (leaving one out let the rest hold).

    Deletion over whole columns (every staff member's weekly limit, every room type…),
    the facts as plain constraints and one worker: a 120-student school at study_ratio 8
    was proven impossible that way in 0.6 s and its columns found in 4 s, where the
    proof under assumptions took 15 s with one worker and 37-47 s with two (enforcement
    literals weaken the LP that proves such sums). A column whose solve runs out of
    time is kept, not shown needed; the members are shrunk one by one afterwards.
    """
    columns: dict[tuple[str, str], list[int]] = {}
    for i in range(len(g.facts)):
        columns.setdefault(_column(g, i), []).append(i)
    kept: list[list[int]] = []
    needed: set[tuple[str, str]] = set()
    pending = list(columns.values())
    while pending:
        column = pending.pop(0)
        rest = [i for c in (*kept, *pending) for i in c]
        if _fits(g, set(rest)):
            kept.append(column)
            needed.add(_column(g, column[0]))
            continue
        status, _ = g.solve(rest, _deletion_seconds(g), workers=1)
        if status != cp_model.INFEASIBLE:
            kept.append(column)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            needed.add(_column(g, column[0]))
    return [i for c in kept for i in c], needed


_FEW = 8
"""Sets larger than this are first halved: one solve may drop hundreds of facts."""


def _ask(g: GuardedModel, members: list[int], plain: bool, most: float | None = None
         ) -> tuple[cp_model.CpSolverStatus, list[int]]:
    """Whether these facts alone (every other relaxed) are impossible: as plain
    constraints with one worker, or as assumptions, whose answer names CP-SAT's own
    smaller set and often drops several members at once (a 300-student school with two
    thirds of its study rooms gone: five facts to two in 0.7 s)."""
    seconds = _deletion_seconds(g) if most is None else most
    if plain:
        return g.solve(members, seconds, workers=1)
    return g.solve(members, seconds, why=True)


def _halve(g: GuardedModel, core: list[int], plain: bool) -> list[int]:
    """A large set's first or second half, again and again, while it alone stays
    impossible (both halves possible: the conflict spans them, deletion takes over)."""
    while len(core) > _FEW:
        middle = len(core) // 2
        for half in (core[:middle], core[middle:]):
            if _fits(g, set(half)):
                continue
            status, smaller = _ask(g, half, plain)
            if status == cp_model.INFEASIBLE:
                core = smaller or half
                break
        else:
            return core
    return core


def _fits(g: GuardedModel, keep: set[int]) -> bool:
    """The greedy's quick 'possible' for these facts, every other relaxed.

    The full greedy is asked too once a study draft has been timed and its worst case
    found affordable (:func:`full_greedy_affordable`), and no more after a miss that
    took longer than the solve it meant to save.
    """
    if g.seconds_left() < 0.1:
        return False
    relaxed = [f.fact for i, f in enumerate(g.facts) if i not in keep]
    started = time.monotonic()
    if greedy_fits(g.inst.school, relaxed):
        if g.draft_seconds is None:
            g.draft_seconds = time.monotonic() - started
            g.full_greedy = full_greedy_affordable(len(g.inst.sections), g.draft_seconds,
                                                   g.seconds)
        return True
    if not g.full_greedy:
        return False
    started = time.monotonic()
    if greedy_fits(g.inst.school, relaxed, study_only=False):
        return True
    if time.monotonic() - started > max(g.proof_seconds, 1.0):
        g.full_greedy = False
    return False


def _deletion_seconds(g: GuardedModel) -> float:
    """A deletion solve that leaves a member out must often find a schedule of the rest,
    a full search; one that has found none in a few times the slowest proof is cut short
    (at least a quarter of a solve) and its member kept: the set stays impossible, only
    perhaps not the smallest. On a 300-student school whose study rooms all close one
    period, two such solves ran 20 s each and found nothing."""
    return g.as_long_as_proofs(least=g.seconds / 4, most=g.seconds)


def _grouped_seconds(g: GuardedModel) -> float:
    """A deletion solve for a member of a column already shown needed as a whole: twice
    the slowest proof, at least 1 s. Undecided, it costs only the finer answer (the
    column stays one group), not the truth of the set; at 120 students the deletions
    that dropped a member proved in 0.8 s, and the one that did not decide had nothing
    after 4.6 s."""
    return min(_deletion_seconds(g), max(1.0, 2 * g.proof_seconds))


def _shrink(g: GuardedModel, core: list[int], plain: bool,
            needed: set[tuple[str, str]] | None = None
            ) -> tuple[list[int], set[tuple[str, str]]]:
    """Deletion: drop each member in turn while the rest stays impossible; the set left,
    and the columns where a deletion was not decided in time (none: it is minimal).

    Once leaving out one member of a column has no answer in time, the column's other
    members are kept without asking: they are alike (staff members' weekly limits),
    and on a 120-student school eight of them ran out of time one after another. A
    member of a column already shown ``needed`` as a whole gets less time
    (:func:`_grouped_seconds`).
    """
    kept: list[int] = []
    undecided: set[tuple[str, str]] = set()
    pending = list(core)
    while pending:
        member = pending.pop(0)
        column = _column(g, member)
        if column in undecided or _fits(g, {*kept, *pending}):
            kept.append(member)
            continue
        status, smaller = _ask(g, kept + pending, plain,
                               _grouped_seconds(g) if column in (needed or set()) else None)
        if status == cp_model.INFEASIBLE:
            # CP-SAT's own set for the smaller school may drop more than this member.
            inside = set(smaller) if smaller else set(kept + pending)
            # Kept members are in every impossible subset of what is left: without one
            # of them, a superset of what is left was possible.
            pending = [m for m in pending if m in inside]
            continue
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            undecided.add(column)
        kept.append(member)
    return kept, undecided
