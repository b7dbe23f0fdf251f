"""What binds, and what would help most: the advice of ``schedule advise``.

1. The school is solved as it is (the baseline) with the given seed, deterministically.
2. Every child left without a place or below their first choice is asked, choice by
   choice above what they got, why it went elsewhere (``outputs/report/reasons.py``,
   the Unmet sheet's own reasons), and each reason is traced to the limit behind it:
   the activity's seats (``max_sections`` × ``max_size``), staff with the skill free on
   the child's days, rooms of its type free then, the vendor's weekly sessions, the
   budget, the per-student cap, the minimum size.
3. For the activities that hold back the most children, the smallest change that lifts
   every limit binding there becomes a scenario (``district/scenarios``): one more
   section, the people and the room it needs, the money for it.
4. Each scenario is applied and the changed school solved with the same seed and time
   limit; what is reported is that solve's measured effect against the baseline, never
   an estimate. Suggestions are ranked by children with a choice gained, then first
   choices gained, then the cost.

Nothing here prints; progress goes to the ``progress`` callback and the log.
"""

from __future__ import annotations

import logging
import math
import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from models.check import kpi_values, term_cost
from models.messages import Said, msg
from models.schedule import Schedule
from models.school import FEN_PER_YUAN, VENDOR_INSTRUCTOR, Activity, School, Student
from optimizer.district.scenarios import Scenario, ScenarioError, apply_scenario, parse_scenario
from optimizer.outputs.report.reasons import Reason, ReasonFinder, meeting_slots
from optimizer.outputs.report.views import is_chooser
from optimizer.search.result import Params, Result
from optimizer.search.solve import solve

log = logging.getLogger(__name__)

LIMITS: tuple[str, ...] = ("seats", "staff", "rooms", "vendor_sessions", "budget", "fee_cap",
                           "min_size", "vendor")
"""Every kind of limit advice names, in the order a table lists them."""

FIXABLE: frozenset[str] = frozenset({"seats", "staff", "rooms", "vendor_sessions", "budget",
                                     "fee_cap"})
"""The limits a scenario can lift; the others are named but not changed."""

DEFAULT_CANDIDATES = 5


@dataclass(frozen=True, kw_only=True)
class Limit:
    """One limit holding children back from one activity (or, for money, the school)."""

    kind: str
    """One of :data:`LIMITS`."""
    activity_id: str
    activity_name: str
    children: int
    """Children below their first choice or without a place whom it holds back."""


@dataclass(frozen=True, kw_only=True)
class Measured:
    """What one solve gave: children with none of their choices, first choices, cost."""

    status: str
    with_none: int | None
    first_choices: int | None
    cost_fen: int | None
    wall_time: float = field(default=0.0, compare=False)
    """Seconds; not part of what is measured (two equal solves take different times)."""

    @property
    def solved(self) -> bool:
        return self.with_none is not None


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """A change, the limits it lifts, and what solving the changed school measured."""

    scenario: Scenario
    activity_name: str
    lifts: tuple[str, ...]
    measured: Measured
    children_gained: int
    """Fewer children with none of their choices than the baseline (negative: more)."""
    first_choices_gained: int
    cost_change_fen: int

    @property
    def helps(self) -> bool:
        return self.children_gained > 0 or self.first_choices_gained > 0


@dataclass(frozen=True, kw_only=True)
class Advice:
    """The baseline, the limits that bind, and the verified suggestions, ranked."""

    school_name: str
    params: Params
    baseline: Measured
    num_choosers: int
    below_first: int
    """Choosers placed, but not in their first choice."""
    limits: tuple[Limit, ...]
    suggestions: tuple[Suggestion, ...]
    wall_time: float
    notes: tuple[str, ...] = field(default=())
    """Candidates that could not be tried (a scenario the school refused), in words."""

    @property
    def everyone_first(self) -> bool:
        """Every child with a choice has their first: there is nothing to advise."""
        return self.baseline.with_none == 0 and self.below_first == 0

    def summary(self) -> str:
        """One line for a log: the baseline and the best verified suggestion."""
        best = next((s for s in self.suggestions if s.helps), None)
        head = (f"{self.baseline.with_none} of {self.num_choosers} children without a place, "
                f"{self.below_first} below their first choice")
        if best is None:
            return f"{head}; no suggestion measured a gain"
        return (f"{head}; best: {best.scenario.name} (+{best.children_gained} with a choice, "
                f"+{best.first_choices_gained} first choices)")


Progress = Callable[[str], None]


def advise(school: School, params: Params, *, candidates: int = DEFAULT_CANDIDATES,
           baseline: Result | None = None, progress: Progress | None = None,
           stop: threading.Event | None = None) -> Advice:
    """Advice for ``school``: what binds, and up to ``candidates`` changes, each verified.

    ``params`` serve the baseline and every verifying solve alike (pass
    ``deterministic=True`` for advice that the same seed reproduces). ``baseline`` is a
    solve of the same school with the same params, when the caller has one. ``stop``
    (Ctrl-C) ends the trying: a change whose solve it cut short is left out, since its
    effect was not measured like the others'.
    """
    started = time.monotonic()
    say = progress or (lambda text: log.info("%s", text))
    if baseline is None:
        say(Said(msg("advise.progress.baseline")))
        baseline = solve(school, params)
    base = measure(school, baseline)
    if baseline.schedule is None:
        return Advice(school_name=school.info.name, params=params, baseline=base,
                      num_choosers=0, below_first=0, limits=(), suggestions=(),
                      wall_time=time.monotonic() - started)
    held = held_back(school, baseline.schedule, params.seed)
    limits = tally(school, held)
    tried: list[Suggestion] = []
    notes: list[str] = []
    for number, scenario in enumerate(changes(school, baseline.schedule, limits, candidates),
                                      start=1):
        if stop is not None and stop.is_set():
            notes.append(f"not tried (stopped): {scenario.name}")
            continue
        say(Said(msg("advise.progress.trying", number=number, name=scenario.name)))
        try:
            suggestion = verify(school, scenario, params, base, stop)
        except ScenarioError as exc:
            notes.append(f"{scenario.name}: {exc}")
            continue
        if stop is not None and stop.is_set():
            notes.append(f"stopped while trying: {scenario.name}")
        else:
            tried.append(suggestion)
    choosers = [s for s in school.students if is_chooser(school, s)]
    below = sum(1 for child in held.values() if child.best_rank not in (None, 1))
    return Advice(school_name=school.info.name, params=params, baseline=base,
                  num_choosers=len(choosers), below_first=below, limits=limits,
                  suggestions=tuple(rank(tried)), wall_time=time.monotonic() - started,
                  notes=tuple(notes))


def measure(school: School, result: Result) -> Measured:
    """The numbers advice compares, recomputed by the checker from the schedule itself."""
    if result.schedule is None:
        return Measured(status=result.status.value, with_none=None, first_choices=None,
                        cost_fen=None, wall_time=result.wall_time)
    kpis = kpi_values(school, result.schedule)
    return Measured(status=result.status.value, with_none=int(kpis["choosers_with_none"]),
                    first_choices=round(kpis["first_choice_share"] * kpis["choosers"]),
                    cost_fen=term_cost(school, result.schedule), wall_time=result.wall_time)


def verify(school: School, scenario: Scenario, params: Params, base: Measured,
           stop: threading.Event | None = None) -> Suggestion:
    """Apply the scenario, solve the changed school, and measure against the baseline."""
    changed = apply_scenario(school, scenario)
    measured = measure(changed, solve(changed, params, stop=stop))
    log.info("%s: %s", scenario.name, measured)
    gained = first = cost = 0
    if measured.solved and base.solved:
        gained = (base.with_none or 0) - (measured.with_none or 0)
        first = (measured.first_choices or 0) - (base.first_choices or 0)
        cost = (measured.cost_fen or 0) - (base.cost_fen or 0)
    return Suggestion(scenario=scenario, activity_name=scenario.description,
                      lifts=lifted_limits(scenario), measured=measured, children_gained=gained,
                      first_choices_gained=first, cost_change_fen=cost)


def rank(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Most children with a choice gained first, then first choices, then the cheaper;
    a change whose solve failed goes last."""
    return sorted(suggestions, key=lambda s: (not s.measured.solved, -s.children_gained,
                                              -s.first_choices_gained, s.cost_change_fen,
                                              s.scenario.name))


# --- which limits bind ---------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class HeldBack:
    """A chooser below their first choice (or without a place), and the limit behind each
    choice above what they got: (activity id, limit kinds), none where no limit is to
    blame (a clash with a place they got, a search that ended)."""

    best_rank: int | None
    limits: tuple[tuple[str, tuple[str, ...]], ...]


def held_back(school: School, schedule: Schedule, seed: int) -> dict[str, HeldBack]:
    """Every chooser not in their first choice → the limits behind the choices above."""
    finder = ReasonFinder(school, schedule, seed)
    budget = _Budget(school, schedule)
    found: dict[str, HeldBack] = {}
    for student in school.students:
        if not is_chooser(school, student):
            continue
        best, reasons = finder.above_best(student)
        if best == 1:
            continue
        found[student.id] = HeldBack(best_rank=best, limits=tuple(
            (r.activity_id, limits_of(finder, budget, student, r)) for r in reasons
            if r.activity_id))
    return found


def limits_of(finder: ReasonFinder, budget: _Budget, student: Student, reason: Reason
              ) -> tuple[str, ...]:
    """The limits behind one reason, as a coordinator would look for them: an activity
    that never opened for want of something names that; one full or on other days names
    every limit on one more section at the child's times (seats, staff, room, money)."""
    activity = finder.school.activity_by_id[reason.activity_id]
    why = reason.params.get("why")
    direct = {"staff": "staff", "staff_busy": "staff", "room": "rooms", "room_busy": "rooms",
              "vendor_sessions": "vendor_sessions", "applicants": "min_size",
              "vendor": "vendor", "fee_cap": "fee_cap"}
    if reason.code == "not_open" and why in direct:
        return (direct[str(why)],)
    if reason.code == "fee_cap":
        return ("fee_cap",)
    if reason.code not in ("full", "days", "stay", "not_open"):
        return ()  # a clash with a place they got, or a search that ended early
    found = []
    opened = len(finder.sections_of.get(activity.id, []))
    if activity.max_sections is not None and opened >= activity.max_sections:
        found.append("seats")
    if activity.provider is not None and not _sessions_left(finder, activity):
        found.append("vendor_sessions")
    times = [slots for slots in meeting_slots(activity) if student.stays_for_all(slots)]
    if not any(finder.staff_free(activity, slots) for slots in times):
        found.append("staff")
    if not any(finder.room_free(activity, slots) for slots in times):
        found.append("rooms")
    if budget.remaining < budget.section_cost(activity):
        found.append("budget")
    return tuple(found)


def _sessions_left(finder: ReasonFinder, activity: Activity) -> bool:
    """The vendor may hold one more section of the activity this week."""
    assert activity.provider is not None
    vendor = finder.school.vendor_by_id[activity.provider]
    used = finder.vendor_sessions.get(activity.provider, 0)
    return (vendor.max_sessions_week is None
            or used + activity.sessions_per_week <= vendor.max_sessions_week)


class _Budget:
    """What the baseline leaves of the term's budget, and what one more section costs."""

    def __init__(self, school: School, schedule: Schedule) -> None:
        self.school = school
        self.remaining = school.info.term_budget - term_cost(school, schedule)

    def section_cost(self, activity: Activity) -> int:
        """Fen a term for one more section: its fee, the cheapest people who may staff it,
        and the per-head fee of a full section."""
        school = self.school
        pay = sorted(p.pay_per_period for p in school.staff if school.may_staff(p, activity))
        people = sum(pay[:activity.staff_per_section]) * activity.periods
        weekly = (activity.fee_per_session + people) * activity.sessions_per_week
        heads = activity.fee_per_student * (activity.max_size or 0)
        return school.info.weeks * weekly + heads


def tally(school: School, held: dict[str, HeldBack]) -> tuple[Limit, ...]:
    """Children held back per (limit, activity), each child once per pair, most first."""
    counts: Counter[tuple[str, str]] = Counter()
    for child in held.values():
        for pair in {(kind, activity_id) for activity_id, kinds in child.limits
                     for kind in kinds}:
            counts[pair] += 1
    return tuple(Limit(kind=kind, activity_id=activity_id,
                       activity_name=school.activity_by_id[activity_id].name, children=count)
                 for (kind, activity_id), count in sorted(
                     counts.items(), key=lambda item: (-item[1], LIMITS.index(item[0][0]),
                                                       item[0][1])))


# --- the changes to try --------------------------------------------------------------------

def changes(school: School, schedule: Schedule, limits: tuple[Limit, ...], count: int
            ) -> list[Scenario]:
    """One scenario per activity, for the ``count`` activities holding back the most
    children: every fixable limit binding there lifted by the smallest step."""
    by_activity: dict[str, list[Limit]] = defaultdict(list)
    for limit in limits:
        if limit.kind in FIXABLE:
            by_activity[limit.activity_id].append(limit)
    order = sorted(by_activity, key=lambda a: (-max(x.children for x in by_activity[a]), a))
    opened = Counter(s.activity_id for s in schedule.sections)
    return [lift(school, school.activity_by_id[activity_id], opened[activity_id],
                 {x.kind for x in by_activity[activity_id]}) for activity_id in order[:count]]


def lift(school: School, activity: Activity, opened: int, kinds: set[str]) -> Scenario:
    """The scenario lifting ``kinds`` for one more section of ``activity``."""
    data: dict[str, object] = {}
    parts: list[str] = []
    if "seats" in kinds:
        data["change_activity"] = {"ids": activity.id,
                                   "max_sections": max(opened, activity.max_sections or 0) + 1}
        parts.append("+1 section")
    if "staff" in kinds:
        data["add_staff"] = _person(school, activity)
        parts.append(f"+{activity.staff_per_section} {_role(activity).replace('_', ' ')}"
                     + (f" ({activity.skill})" if activity.skill else ""))
    if "vendor_sessions" in kinds and activity.provider is not None:
        vendor = school.vendor_by_id[activity.provider]
        data["change_vendor"] = {"ids": vendor.id, "max_sessions_week":
                                 (vendor.max_sessions_week or 0) + activity.sessions_per_week}
        parts.append(f"{vendor.id} +{activity.sessions_per_week} session(s) a week")
    if "rooms" in kinds:
        data["add_room"] = {"type": activity.room_type, "capacity": _capacity(school, activity)}
        parts.append(f"+1 {activity.room_type} room")
    if "budget" in kinds:
        extra = _Budget(school, Schedule()).section_cost(activity)
        per_head = math.ceil(extra * school.info.terms_per_year / school.info.enrolled
                             / FEN_PER_YUAN)
        data["budget_per_student_year"] = school.info.budget_per_student_year / FEN_PER_YUAN \
            + per_head
        parts.append(f"budget +{per_head} yuan a student a year")
    if "fee_cap" in kinds:
        data["per_student_cap"] = (school.info.student_fee_cap + activity.fee_per_student) \
            / FEN_PER_YUAN
        parts.append(f"cap +{activity.fee_per_student / FEN_PER_YUAN:g} yuan")
    name = f"{activity.id}: {', '.join(parts)}"
    return parse_scenario({"name": name, "description": activity.name, **data})


def lifted_limits(scenario: Scenario) -> tuple[str, ...]:
    """The limits a suggestion's scenario lifts, read back from what it changes."""
    found = []
    if scenario.change_activity:
        found.append("seats")
    if scenario.add_staff:
        found.append("staff")
    if scenario.add_room:
        found.append("rooms")
    if scenario.change_vendor:
        found.append("vendor_sessions")
    if scenario.budget_per_student_year is not None:
        found.append("budget")
    if scenario.per_student_cap is not None:
        found.append("fee_cap")
    return tuple(found)


def _role(activity: Activity) -> str:
    return VENDOR_INSTRUCTOR if activity.provider is not None else "volunteer"


def _person(school: School, activity: Activity) -> dict[str, object]:
    """People for one more section: the activity's skill, a week of exactly one section,
    paid what the people who may staff it are paid (the median)."""
    pay = [p.pay_per_period for p in school.staff if school.may_staff(p, activity)] or [
        p.pay_per_period for p in school.staff if not p.is_teacher] or [0]
    person: dict[str, object] = {
        "role": _role(activity), "count": activity.staff_per_section,
        "max_periods_week": activity.periods * activity.sessions_per_week,
        "pay_per_period": statistics.median(pay) / FEN_PER_YUAN}
    if activity.skill:
        person["skills"] = activity.skill
    if activity.provider is not None:
        person["vendor"] = activity.provider
    return person


def _capacity(school: School, activity: Activity) -> int:
    """A room as big as the activity's sections, else as the school's rooms of the type."""
    if activity.max_size is not None:
        return activity.max_size
    sizes = [r.capacity for r in school.rooms if r.type == activity.room_type]
    return max(sizes or [r.capacity for r in school.rooms] or [activity.min_size])


def deterministic(params: Params) -> Params:
    """Advice the same seed reproduces: one worker, deterministic time."""
    return replace(params, deterministic=True, workers=1)
