"""An explanation as lines in the school's words: the cell to look at, what it asks."""

from __future__ import annotations

import math
from collections.abc import Mapping

from models.messages import Message, Said, msg
from models.school import School
from optimizer.explain.facts import Fact, yuan
from optimizer.explain.infeasible import Cause, Explanation, Verdict
from optimizer.explain.shortfall import Shortfall

Rows = Mapping[tuple[str, str], int]
"""(sheet, id or School key) → Excel row, from models.reader.entity_rows."""

_MOST_SHOWN = 12
"""A set not shrunk in time can hold dozens of facts; the first ones are shown."""

def explanation_lines(explanation: Explanation, school: School, rows: Rows | None = None
                      ) -> list[str]:
    """What to tell the coordinator, one line each; the last says what to do.

    Each line is a :class:`models.messages.Said`: English as text, and said again in the
    reader's language where it is printed (``said_in``)."""
    return [Said(line) for line in _lines(explanation, school, rows or {})]


def _lines(explanation: Explanation, school: School, rows: Rows) -> list[Message]:
    verdict = explanation.verdict
    if verdict is Verdict.FEASIBLE:
        return [msg("why.feasible")]
    if verdict is Verdict.PRECHECK:
        return [*(_as_message(line) for line in explanation.prechecks),
                msg("why.precheck_close")]
    if verdict is Verdict.UNQUESTIONED:
        return [msg("why.unquestioned")]
    if verdict is Verdict.UNDECIDED:
        return [msg("why.undecided")]
    many = len(explanation.causes) > 1
    header = (msg("why.header_many", count=len(explanation.causes)) if many
              else msg("why.header_one"))
    if not explanation.minimal:
        header = msg("text_pair", first=header, second=msg("why.not_minimal"))
    elif any(c.together > 1 for c in explanation.causes):
        header = msg("text_pair", first=header, second=msg("why.grouped"))
    shown = explanation.causes[:_MOST_SHOWN]
    rest = len(explanation.causes) - len(shown)
    return [header, *(msg("why.cause", where=_located(c.fact, rows), asks=asks(c, school))
                      for c in shown),
            *([msg("why.more", rest=rest)] if rest else []),
            *(msg("why.summed", line=_as_message(line)) for line in explanation.prechecks),
            msg("why.close_many" if many else "why.close_one")]


def _as_message(line: str) -> Message:
    """A pre-check's line, which may already be a message said in English."""
    return line.message if isinstance(line, Said) else msg("text", text=line)


def _located(fact: Fact, rows: Rows) -> Message:
    """'Staff row 7 (T3), max_periods_day 1': the sheet, row and column to look at."""
    if fact.sheet == "School":
        row = rows.get(("School", fact.ids[0]))
        return msg("why.at_school", row="" if row is None else msg("why.row", rows=row),
                   column=fact.column, value=fact.value)
    numbers = sorted(rows[fact.sheet, i] for i in fact.ids if (fact.sheet, i) in rows)
    where: object = (msg("why.rows" if len(numbers) > 1 else "why.row", rows=_runs(numbers))
                     if numbers else "")
    shown = ", ".join(fact.ids[:8]) + (" …" if len(fact.ids) > 8 else "")
    if fact.sheet == "Rooms":
        return msg("why.at_rooms", where=where, ids=shown, count=len(fact.ids), type=fact.value)
    return msg("why.at_sheet", sheet=fact.sheet, where=where, ids=shown, column=fact.column,
               value=fact.value)


def asks(cause: Cause, school: School) -> Message:
    """What the fact would have to allow, with the numbers the solve measured; when the
    solve ran out of time, what the closest schedule it found needed, too."""
    found = cause.shortfall
    if cause.together > 1:
        return msg("why.ask_together", count=cause.together)
    if found is None:
        return msg("why.ask_unknown")
    said = _asks(cause, school, found)
    if found.proven or found.found <= found.amount:
        return said
    more: object = (msg("why.yuan", amount=yuan(found.found))
                    if cause.fact.column == "budget_per_student_year" else str(found.found))
    return msg("why.ask_found", said=said, more=more)


def _asks(cause: Cause, school: School, found: Shortfall) -> Message:
    more, column, at = found.amount, cause.fact.column, found.where
    limit = int(cause.fact.value) if cause.fact.value.isdigit() else 0
    eg: object = msg("why.eg", at=at) if at else ""
    if column == "budget_per_student_year":
        return _budget(school, more)
    if column == "study_ratio":
        seen = found.seen
        # The schedule found is worth showing only when it is the closest one proven.
        example = (msg("why.study_example", at=at, children=seen.get("children", 0),
                       supervisors=seen.get("supervisors", 0), free=seen.get("staff_free", 0))
                   if found.proven else msg("why.eg", at=at))
        return msg("why.ask_study", children=_children(more), limit=limit, example=example)
    if column == "type":
        return msg("why.ask_rooms" if more > 1 else "why.ask_room", more=more, eg=eg)
    if column == "max_periods_day":
        return msg("why.ask_day", hours=limit + more, eg=eg)
    if column == "max_periods_week":
        return msg("why.ask_week", hours=limit + more)
    if column == "min_size":
        return msg("why.ask_min_size", children=_children(more), eg=eg)
    if column == "max_sections":
        return msg("why.ask_sections", sections=limit + more)
    return msg("why.ask_sessions", sessions=limit + more)


def _budget(school: School, more_fen: int) -> Message:
    info = school.info
    need = info.term_budget + more_fen
    per_student = math.ceil(need * info.terms_per_year / info.enrolled)
    return msg("why.ask_budget", need=yuan(need), more=yuan(more_fen),
               budget=yuan(info.term_budget), enrolled=info.enrolled,
               terms=info.terms_per_year, per_student=yuan(per_student))


def _children(count: int) -> Message:
    return msg("why.child" if count == 1 else "why.children", count=count)


def _runs(numbers: list[int]) -> str:
    """'2–66, 87–89': consecutive rows as one range, as a coordinator selects them."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
