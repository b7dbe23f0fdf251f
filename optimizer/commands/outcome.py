"""How a solve ends, in words and an exit code: why there is no schedule (diagnosed,
exit 4 or 5), a checker's refusal (6), a lock not kept, where Ctrl-C stopped it, and the
closing lines: status with the gaps, the files, the headline numbers, what a re-solve
moved and whom last term raised."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from models.messages import msg, said_in
from optimizer.commands.exits import Exit
from optimizer.commands.goals import goal_name
from optimizer.commands.reading import rows_of
from optimizer.commands.voice import say, voice

if TYPE_CHECKING:
    from models.next_term import Raised
    from models.school import School
    from optimizer.commands.solve import Search
    from optimizer.console.interrupts import Stage
    from optimizer.outputs.report.labels import Labels
    from optimizer.outputs.safe_write import Delivered
    from optimizer.search.resolve import Resolution
    from optimizer.search.result import Result


def exit_without_schedule(result: Result, time_limit: float) -> None:
    """Say why there is nothing to write, and exit, when there is nothing to write."""
    from optimizer.search.result import Status

    if result.schedule is None:
        for line in result.diagnosis:
            click.echo(say("cli.infeasible_line", line=said_in(line, voice.lang)), err=True)
        if result.status is Status.INFEASIBLE:
            click.echo(say("cli.infeasible"), err=True)
            sys.exit(Exit.INFEASIBLE)
        if result.interrupted:
            click.echo(say("cli.interrupted_before_schedule"), err=True)
            sys.exit(Exit.INTERRUPTED)
        click.echo(say("cli.no_solution", limit=f"{time_limit:g}"), err=True)
        sys.exit(Exit.NO_SOLUTION)
    report = result.report
    if report is None or not report.ok:
        for violation in (report.violations if report else ())[:20]:
            click.echo(say("cli.checker_line", violation=violation.text(voice.lang)),
                       err=True)
        click.echo(say("cli.checker_rejected"), err=True)
        sys.exit(Exit.CHECK_FAILED)


def explain_no_schedule(result: Result, workbook: Path, search: Search) -> None:
    """When CP-SAT proved that no schedule exists past the pre-checks, the conflicting
    facts become the diagnosis (searched for as long again as the solve was given)."""
    from optimizer.explain.infeasible import Verdict, explain_infeasible
    from optimizer.explain.words import explanation_lines
    from optimizer.search.result import Status

    school = result.school
    if result.schedule is not None or result.status is not Status.INFEASIBLE or school is None:
        return
    if result.num_variables == 0:  # no model was built: the pre-checks said why
        return
    if not search.quiet:
        click.echo(say("explain.looking", limit=f"{search.time_limit:g}"), err=True)
    explanation = explain_infeasible(school, time_limit=search.time_limit,
                                     workers=search.workers)
    if explanation.verdict in (Verdict.CONFLICT, Verdict.UNQUESTIONED):
        result.diagnosis = explanation_lines(explanation, school, rows_of(workbook))


def exit_if_locks_missed(resolution: Resolution) -> None:
    """A lock the new schedule does not keep is our bug: nothing is written (exit 6)."""
    if resolution.locks_missed:
        for missed in resolution.locks_missed[:20]:
            click.echo(say("resolve.lock_missed", lock=missed), err=True)
        click.echo(say("resolve.locks_missed"), err=True)
        sys.exit(Exit.CHECK_FAILED)


def where_stopped(result: Result, pressed_in: Stage | None) -> str | None:
    """The goal the search was working on when Ctrl-C stopped it, in words; None when
    it was not stopped."""
    from optimizer.console.interrupts import Stage

    if not result.interrupted and pressed_in is not Stage.SEARCHING:
        return None
    levels = result.params.levels
    done = result.level_status
    if not done:
        return say("cli.stopped_before_search")
    if done[-1][1] != "OPTIMAL":
        return say("cli.stopped_at", goal=goal_name(done[-1][0]), level=len(done),
                   levels=len(levels))
    if len(done) < len(levels):
        label = "+".join(name for name, _ in levels[len(done)])
        return say("cli.stopped_at", goal=goal_name(label), level=len(done) + 1,
                   levels=len(levels))
    return say("cli.stopped_at_last")


def report_solve(result: Result, seed: int, delivered: Delivered,
                 stopped_at: str | None) -> None:
    """The outcome on stdout: status (with the gaps when not proven), files, headline numbers."""
    from optimizer.model.rules import PLACEMENT_GOALS
    from optimizer.outputs.report.labels import Labels
    from optimizer.search.result import Status

    words = Labels(voice.lang)
    for note in result.notes:
        if result.no_time_to_search and note.startswith("the constructive schedule"):
            continue  # said below, with what to do
        if voice.lang != "en" and note.startswith("the constructive schedule"):
            # search/construct.py's note, which the report says as its "made by" line
            note = f"{words('made_by')}：{words('source.constructive')}"
        click.echo(say("cli.note", text=note), err=True)
    if result.no_time_to_search:
        click.echo(say("cli.solve.no_time_to_search", limit=f"{result.params.time_limit:g}"),
                   err=True)
    status = say(f"cli.status.{result.status.name.lower()}")
    if result.status is not Status.OPTIMAL:
        gaps = [say("cli.solve.gap", goal=goal_name(name), gap=f"{gap:.1%}")
                for name in PLACEMENT_GOALS
                if (gap := result.gap(name)) is not None and gap > 0]
        status += (say("cli.solve.not_proven_gaps", gaps=say("cli.list_sep").join(gaps))
                   if gaps else say("cli.solve.not_proven"))
    if stopped_at is not None:
        status += say("cli.solve.interrupted_during", where=stopped_at)
    kpis = result.report.kpis if result.report is not None else {}
    click.echo(
        say("cli.solve.done", status=status, seconds=f"{result.wall_time:.1f}", seed=seed,
            paths=", ".join(map(str, delivered.paths.values()))) + "\n"
        + "\n".join(say("cli.solve.kpi", name=_kpi_label(k, words), value=_fmt(k, v))
                    for k, v in kpis.items())
    )


def _kpi_label(key: str, words: Labels) -> str:
    """A headline number's name: its key in English (as tests and scripts read it), the
    report's words in Chinese."""
    return key.replace("_", " ") if voice.lang == "en" else words.kpi(key)


def _fmt(key: str, value: float) -> str:
    if key.endswith("_share"):
        return f"{value:.1%}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def report_raised(raised: Raised, school: School, result: Result) -> None:
    """How many last term's schedule raised, and how many of them have a chosen place now."""
    sections = result.schedule.sections if result.schedule is not None else ()
    placed = {student_id for section in sections for student_id in section.student_ids
              if not school.activity_by_id[section.activity_id].is_study}
    got = sum(1 for student_id in raised.student_ids if student_id in placed)
    click.echo(say("cli.previous.raised", matched=raised.num_matched,
                   last=raised.num_last_term, raised=len(raised.student_ids), got=got),
               err=True)


def report_resolution(resolution: Resolution) -> None:
    """What the previous schedule no longer keeps, the locks freed and what moved."""
    from collections import Counter

    broken = resolution.no_longer_holds
    if broken:
        by_rule = Counter((v.rule, v.name) for v in broken)
        rules = say("cli.list_sep").join(
            say("resolve.rule_count", rule=rule, name=msg(f"rule.{name}"), count=n)
            for (rule, name), n in by_rule.items())
        click.echo(say("resolve.no_longer_holds", count=len(broken), rules=rules), err=True)
        for violation in broken[:5]:
            click.echo(f"  {violation.text(voice.lang)}", err=True)
    for problem in resolution.unlocked:
        click.echo(say("resolve.unlocked", where=problem.where,
                       problem=problem.text(voice.lang)), err=True)
    moved = resolution.moves
    if moved is not None:
        bound = resolution.result.bounds.get("children_moved")
        least = None if bound is None else math.ceil(bound - 1e-9)
        proven = ("" if least is None else say("resolve.fewest")
                  if least >= moved.children_moved else say("resolve.at_least", least=least))
        click.echo(say("resolve.moved", children=moved.children_moved, proven=proven,
                       forced=moved.children_forced, sections=len(moved.sections),
                       duties=len(moved.supervision)))
