"""An explanation as lines in the school's words: the cell to look at, what it asks."""

from __future__ import annotations

import math
from collections.abc import Mapping

from models.school import School
from optimizer.explain.facts import Fact, yuan
from optimizer.explain.infeasible import Cause, Explanation, Verdict
from optimizer.explain.shortfall import Shortfall

Rows = Mapping[tuple[str, str], int]
"""(sheet, id or School key) → Excel row, from models.reader.entity_rows."""

_MOST_SHOWN = 12
"""A set not shrunk in time can hold dozens of facts; the first ones are shown."""

_QUESTIONED = ("staff members' max_periods_day and max_periods_week, the number of rooms of "
               "each kind, study_ratio, activities' min_size and max_sections, vendors' "
               "max_sessions_week and the budget")


def explanation_lines(explanation: Explanation, school: School, rows: Rows | None = None
                      ) -> list[str]:
    """What to tell the coordinator, one line each; the last says what to do."""
    rows = rows or {}
    verdict = explanation.verdict
    if verdict is Verdict.FEASIBLE:
        return ["A schedule keeps every rule, so there is nothing to explain; "
                "`schedule solve` finds the best one."]
    if verdict is Verdict.PRECHECK:
        return [*explanation.prechecks,
                "Change the staff, rooms or study settings these lines name and try again."]
    if verdict is Verdict.UNQUESTIONED:
        return ["Even with " + _QUESTIONED + " all relaxed, no schedule exists: look at the "
                "unavailable columns of Staff and Rooms, skills, room types and capacities, "
                "and the Periods sheet against registered days."]
    if verdict is Verdict.UNDECIDED:
        return ["No answer within the time given; try a longer --time-limit."]
    header = (f"These {len(explanation.causes)} facts cannot all hold, even with every other "
              "limit relaxed; without any one of them the others can:"
              if len(explanation.causes) > 1
              else "This fact cannot hold, even with every other limit relaxed:")
    if not explanation.minimal:
        header += " (some checks ran out of time: the set may not be the smallest)"
    closing = ("Change one of these cells and solve again; another conflict may then show."
               if len(explanation.causes) > 1 else "Change this cell and solve again.")
    shown = explanation.causes[:_MOST_SHOWN]
    rest = len(explanation.causes) - len(shown)
    return [header, *(f"  {_located(c.fact, rows)} — {asks(c, school)}" for c in shown),
            *([f"  … and {rest} more"] if rest else []), closing]


def _located(fact: Fact, rows: Rows) -> str:
    """'Staff row 7 (T3), max_periods_day 1': the sheet, row and column to look at."""
    if fact.sheet == "School":
        row = rows.get(("School", fact.ids[0]))
        return f"School{'' if row is None else f' row {row}'}: {fact.column} {fact.value}"
    numbers = sorted(rows[fact.sheet, i] for i in fact.ids if (fact.sheet, i) in rows)
    where = f" row{'s' if len(numbers) > 1 else ''} {_runs(numbers)}" if numbers else ""
    shown = ", ".join(fact.ids[:8]) + (" …" if len(fact.ids) > 8 else "")
    if fact.sheet == "Rooms":
        return f"Rooms{where} ({shown}): {len(fact.ids)} of type {fact.value}"
    return f"{fact.sheet}{where} ({shown}): {fact.column} {fact.value}"


def asks(cause: Cause, school: School) -> str:
    """What the fact would have to allow, with the numbers the solve measured; when the
    solve ran out of time, what the closest schedule it found needed, too."""
    found = cause.shortfall
    if found is None:
        return "part of the conflict (measuring by how much ran out of time)"
    said = _asks(cause, school, found)
    if found.proven or found.found <= found.amount:
        return said
    more = (yuan(found.found) + " yuan" if cause.fact.column == "budget_per_student_year"
            else str(found.found))
    return f"{said}; that much is proven, and the closest schedule found in time needs {more}"


def _asks(cause: Cause, school: School, found: Shortfall) -> str:
    more, column, at = found.amount, cause.fact.column, found.where
    limit = int(cause.fact.value) if cause.fact.value.isdigit() else 0
    eg = f" (e.g. {at})" if at else ""
    if column == "budget_per_student_year":
        return _budget(school, more)
    if column == "study_ratio":
        seen = found.seen
        # The schedule found is worth showing only when it is the closest one proven.
        example = (f"; e.g. {at}: {seen.get('children', 0)} children in study, "
                   f"{seen.get('supervisors', 0)} supervising them, "
                   f"{seen.get('staff_free', 0)} staff may supervise then"
                   if found.proven else f" (e.g. {at})")
        return (f"at least {_children(more)} more would be in study than {limit} per "
                f"supervisor allows{example}")
    if column == "type":
        return (f"at least {more} more room{'s' if more > 1 else ''} of this type would be "
                f"needed at once{eg}")
    if column == "max_periods_day":
        return f"needs at least {limit + more} class hours of them on one day{eg}"
    if column == "max_periods_week":
        return f"needs at least {limit + more} class hours of them a week"
    if column == "min_size":
        return f"a section would be at least {_children(more)} short of it{eg}"
    if column == "max_sections":
        return f"needs at least {limit + more} sections"
    return f"needs at least {limit + more} sessions a week"


def _budget(school: School, more_fen: int) -> str:
    info = school.info
    need = info.term_budget + more_fen
    per_student = math.ceil(need * info.terms_per_year / info.enrolled)
    return (f"the cheapest schedule costs at least {yuan(need)} yuan a term, "
            f"{yuan(more_fen)} more than the {yuan(info.term_budget)} it allows "
            f"({info.enrolled} enrolled × budget_per_student_year ÷ {info.terms_per_year} "
            f"terms); that needs budget_per_student_year {yuan(per_student)} or more")


def _children(count: int) -> str:
    return f"{count} child" if count == 1 else f"{count} children"


def _runs(numbers: list[int]) -> str:
    """'2–66, 87–89': consecutive rows as one range, as a coordinator selects them."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
