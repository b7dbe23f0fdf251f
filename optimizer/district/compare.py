"""Comparing solves: one tidy table of KPIs per scenario (and school), and the usual pictures.

:func:`kpi_row` turns one :class:`~optimizer.search.solve.Result` into a flat row; the sweep
builds its results from the same function, so a notebook comparing solves of one
school and a district sweep share their columns. :func:`compare` gives the table,
:func:`district_summary` and :func:`planner_table` the roll-up a planner pastes into
a report, and the ``plot_*`` helpers return matplotlib figures (made without pyplot,
so nothing global changes and a notebook shows each figure once).

Shares are 0-1, money is yuan, teacher loads are after-school class hours a week.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from models.check import check, teacher_loads

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from optimizer.search.result import Result

OK_STATUSES = frozenset({"optimal", "feasible"})
"""Statuses of a pair that has a schedule the checker accepted."""

KPI_COLUMNS: tuple[str, ...] = (
    "status", "ok", "reason", "gap", "students_with_none", "first_choice_share",
    "top3_share", "mean_rank", "teacher_load_max", "teacher_load_mean", "cost_yuan",
    "budget_yuan", "budget_use", "sections_opened", "study_sections_opened",
    "registered_students", "choosers", "wall_time_s",
)
"""The columns :func:`kpi_row` fills, in order."""

MAX_LOAD = 10
"""The contract's highest max_periods_week: loads above it cannot occur."""

LOAD_COLUMNS: tuple[str, ...] = tuple(f"teachers_at_{n}" for n in range(MAX_LOAD + 1))
"""In-service teachers with 0, 1, … 10 after-school class hours a week."""

NUMERIC_KPIS: tuple[str, ...] = (
    "gap", "students_with_none", "first_choice_share", "top3_share", "mean_rank",
    "teacher_load_max", "teacher_load_mean", "cost_yuan", "budget_yuan", "budget_use",
    "sections_opened", "study_sections_opened", "registered_students", "choosers",
)

LABELS: dict[str, str] = {
    "students_with_none": "Students with none of their choices",
    "first_choice_share": "First choice",
    "top3_share": "In their top three",
    "mean_rank": "Mean rank of placements",
    "teacher_load_max": "Busiest teacher (class hours/week)",
    "teacher_load_mean": "Mean teacher load (class hours/week)",
    "cost_yuan": "Term cost (yuan)",
    "budget_yuan": "Term budget (yuan)",
    "budget_use": "Budget used",
    "sections_opened": "Sections opened",
    "study_sections_opened": "Study sections",
    "registered_students": "Registered students",
    "choosers": "Students with choices",
    "gap": "Gap to the proven bound",
    "wall_time_s": "Solve time (s)",
}
"""How people read each KPI's name, for tables and charts."""

_SHARES = frozenset({"first_choice_share", "top3_share", "budget_use", "gap"})

DEFAULT_PLOT_KPIS: tuple[str, ...] = (
    "students_with_none", "first_choice_share", "top3_share", "mean_rank",
    "teacher_load_max", "budget_use",
)


# --- rows -----------------------------------------------------------------------------

def failure_row(status: str, reason: str) -> dict[str, object]:
    """A row for a pair without a schedule: the status and why, KPIs missing."""
    row: dict[str, object] = dict.fromkeys(KPI_COLUMNS, math.nan)
    row.update(dict.fromkeys(LOAD_COLUMNS, math.nan))
    row.update(status=status, ok=False, reason=reason)
    return row


def kpi_row(result: Result) -> dict[str, object]:
    """The KPIs of one solve as a flat row (see :data:`KPI_COLUMNS`, :data:`LOAD_COLUMNS`).

    ``gap`` is the larger relative gap of the two student goals (fewest with none of
    their choices, then rank-weighted satisfaction): how far from proven best the
    answer to "who gets a place" may be. Later goals are left out on purpose — a
    planner compares places, and a loose bound on cost would hide a settled answer.
    """
    status = result.status.value
    if result.schedule is None or result.school is None:
        if result.diagnosis:
            reason = "; ".join(result.diagnosis)
        elif status == "no solution":
            reason = (f"no schedule found within the time limit "
                      f"({result.params.time_limit:g} s)")
        else:
            reason = "no schedule"
        row = failure_row(status, reason)
        row["wall_time_s"] = round(result.wall_time, 2)
        return row
    report = result.report or check(result.school, result.schedule, seed=result.seed)
    if not report.ok:
        row = failure_row("checker rejected", f"the independent checker found "
                          f"{len(report.violations)} broken rule clause(s), first: "
                          f"{report.violations[0]}")
        row["wall_time_s"] = round(result.wall_time, 2)
        return row
    kpis = report.kpis
    from optimizer.model.rules import PLACEMENT_GOALS

    gaps = [g for goal in PLACEMENT_GOALS if (g := result.gap(goal)) is not None]
    cost, budget = kpis["term_cost_yuan"], kpis["term_budget_yuan"]
    row = {
        "status": status,
        "ok": True,
        "reason": "",
        "gap": max(gaps) if gaps else math.nan,
        "students_with_none": kpis["choosers_with_none"],
        "first_choice_share": kpis["first_choice_share"],
        "top3_share": kpis["top3_share"],
        "mean_rank": kpis["mean_rank"],
        "teacher_load_max": kpis["teacher_load_max"],
        "teacher_load_mean": kpis["teacher_load_mean"],
        "cost_yuan": cost,
        "budget_yuan": budget,
        "budget_use": cost / budget if budget else math.nan,
        "sections_opened": kpis["sections_opened"],
        "study_sections_opened": kpis["study_sections_opened"],
        "registered_students": kpis["registered_students"],
        "choosers": kpis["choosers"],
        "wall_time_s": round(result.wall_time, 2),
    }
    counts = [0] * (MAX_LOAD + 1)
    for load in teacher_loads(result.school, result.schedule).values():
        counts[min(load, MAX_LOAD)] += 1
    row.update(zip(LOAD_COLUMNS, counts, strict=True))
    return row


# --- tables -----------------------------------------------------------------------------

def compare(results: Mapping[str, Result] | Iterable[tuple[str, Result]] | pd.DataFrame,
            *, baseline: str | None = None) -> pd.DataFrame:
    """KPIs per scenario: one row per scenario (per school and scenario for a sweep).

    ``results`` is ``{scenario name: Result}``, pairs of the same, or a sweep's
    results frame. With ``baseline`` (a scenario name), each numeric KPI also gets a
    ``<kpi>_change`` column: the difference from the baseline of the same school.
    """
    import pandas as pd  # here, not at the top: the CLI imports this module

    if isinstance(results, pd.DataFrame):
        frame = results.copy()
        for column in (*KPI_COLUMNS, *LOAD_COLUMNS):
            if column not in frame:
                frame[column] = math.nan
    else:
        pairs = results.items() if isinstance(results, Mapping) else results
        frame = pd.DataFrame([{"scenario": name, **kpi_row(result)} for name, result in pairs])
    if frame.empty:
        return pd.DataFrame(columns=["scenario", *KPI_COLUMNS, *LOAD_COLUMNS])
    keys = [c for c in ("school", "scenario") if c in frame]
    frame = frame[[*keys, *KPI_COLUMNS, *LOAD_COLUMNS]].reset_index(drop=True)
    frame["ok"] = frame["ok"].fillna(False).astype(bool)
    for column in (*NUMERIC_KPIS, "wall_time_s", *LOAD_COLUMNS):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    if baseline is not None:
        frame = _with_changes(frame, baseline)
    return frame


def _with_changes(frame: pd.DataFrame, baseline: str) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: the CLI imports this module

    if baseline not in set(frame["scenario"]):
        raise ValueError(f"baseline '{baseline}' is not among the scenarios: "
                         + ", ".join(map(str, dict.fromkeys(frame["scenario"]))))
    kpis = [k for k in NUMERIC_KPIS if k != "gap"]
    if "school" in frame:
        base = frame[frame["scenario"] == baseline].set_index("school")[kpis]
        reference = base.reindex(frame["school"]).reset_index(drop=True)
    else:
        row = frame[frame["scenario"] == baseline][kpis].iloc[0]
        reference = pd.DataFrame([row.to_numpy()] * len(frame), columns=kpis)
    for kpi in kpis:
        frame[f"{kpi}_change"] = frame[kpi].to_numpy() - reference[kpi].to_numpy()
    return frame


def district_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario over all schools: counts summed, shares weighted.

    Shares and the mean rank are weighted by each school's students with choices, the
    mean teacher load by its teachers, budget use is total cost over total budget. Only
    pairs with a schedule count; ``solved`` says how many schools that is, so a
    scenario that failed in some schools is not mistaken for a better one.
    """
    import pandas as pd  # here, not at the top: the CLI imports this module

    table = compare(frame)
    order = list(dict.fromkeys(table["scenario"]))
    rows = []
    for scenario in order:
        group = table[table["scenario"] == scenario]
        done = group[group["ok"]]
        choosers = done["choosers"].sum()
        placed = (done["choosers"] - done["students_with_none"]).sum()
        teachers = done[list(LOAD_COLUMNS)].sum(axis=1)
        cost, budget = done["cost_yuan"].sum(), done["budget_yuan"].sum()
        rows.append({
            "scenario": scenario,
            "schools": len(group),
            "solved": len(done),
            "failed": len(group) - len(done),
            "registered_students": done["registered_students"].sum(),
            "choosers": choosers,
            "students_with_none": done["students_with_none"].sum(),
            "first_choice_share": _weighted(done["first_choice_share"], done["choosers"]),
            "top3_share": _weighted(done["top3_share"], done["choosers"]),
            "mean_rank": _weighted(done["mean_rank"], done["choosers"]
                                   - done["students_with_none"]) if placed else math.nan,
            "teacher_load_max": done["teacher_load_max"].max() if len(done) else math.nan,
            "teacher_load_mean": _weighted(done["teacher_load_mean"], teachers),
            "cost_yuan": cost,
            "budget_yuan": budget,
            "budget_use": cost / budget if budget else math.nan,
            "sections_opened": done["sections_opened"].sum(),
            "worst_gap": done["gap"].max() if len(done) else math.nan,
        })
    return pd.DataFrame(rows)


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    total = float(weights.sum())
    return float((values * weights).sum()) / total if total else math.nan


def planner_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The district summary formatted for a report: readable headings, %, thousands.

    Takes a sweep's results (or :func:`district_summary` of them); every cell is text,
    ready for ``to_excel``, ``to_markdown`` or pasting into a document.
    """
    import pandas as pd  # here, not at the top: the CLI imports this module

    summary = frame if "solved" in frame else district_summary(frame)
    out = pd.DataFrame({
        "Scenario": summary["scenario"],
        "Schools solved": [f"{s} of {n}" for s, n in zip(summary["solved"], summary["schools"],
                                                         strict=True)],
        LABELS["registered_students"]: summary["registered_students"].map(_count),
        LABELS["students_with_none"]: summary["students_with_none"].map(_count),
        LABELS["first_choice_share"]: summary["first_choice_share"].map(_percent),
        LABELS["top3_share"]: summary["top3_share"].map(_percent),
        LABELS["teacher_load_max"]: summary["teacher_load_max"].map(_count),
        LABELS["teacher_load_mean"]: summary["teacher_load_mean"].map(lambda v: _number(v, 2)),
        LABELS["cost_yuan"]: summary["cost_yuan"].map(_count),
        LABELS["budget_use"]: summary["budget_use"].map(_percent),
    })
    return out


def _absent(value: float) -> bool:
    return value is None or math.isnan(value)


def _count(value: float) -> str:
    return "–" if _absent(value) else f"{value:,.0f}"


def _percent(value: float) -> str:
    return "–" if _absent(value) else f"{100 * value:.1f} %"


def _number(value: float, digits: int) -> str:
    return "–" if _absent(value) else f"{value:,.{digits}f}"


def teacher_load_distribution(frame: pd.DataFrame) -> pd.DataFrame:
    """Long table: scenario, load (class hours a week), teachers, share of teachers;
    summed over schools, pairs with a schedule only."""
    import pandas as pd  # here, not at the top: the CLI imports this module

    table = compare(frame)
    rows = []
    for scenario in dict.fromkeys(table["scenario"]):
        done = table[(table["scenario"] == scenario) & table["ok"]]
        counts = done[list(LOAD_COLUMNS)].sum()
        total = float(counts.sum())
        for load, column in enumerate(LOAD_COLUMNS):
            rows.append({"scenario": scenario, "load": load, "teachers": int(counts[column]),
                         "share": counts[column] / total if total else math.nan})
    return pd.DataFrame(rows)


# --- pictures -----------------------------------------------------------------------------

def plot_kpis(frame: pd.DataFrame | Mapping[str, Result],
              kpis: Sequence[str] = DEFAULT_PLOT_KPIS, *, ncols: int = 3,
              title: str | None = None) -> Figure:
    """A small bar chart per KPI, a bar per scenario. Over several schools the bar is the
    mean of the schools with a schedule and each school is a dot."""
    import pandas as pd  # here, not at the top: the CLI imports this module
    from matplotlib.figure import Figure

    table = compare(frame)
    scenarios = list(dict.fromkeys(table["scenario"]))
    several = "school" in table and table["school"].nunique() > 1
    nrows = math.ceil(len(kpis) / ncols)
    figure = Figure(figsize=(4.2 * ncols, 3.2 * nrows), layout="constrained")
    axes = figure.subplots(nrows, ncols, squeeze=False).ravel()
    colors = _colors(len(scenarios))
    done = table[table["ok"]]
    for ax, kpi in zip(axes, kpis, strict=False):
        means = [done.loc[done["scenario"] == s, kpi].mean() for s in scenarios]
        positions = range(len(scenarios))
        ax.bar(positions, [0 if pd.isna(m) else m for m in means], color=colors)
        if several:
            for position, scenario in enumerate(scenarios):
                values = done.loc[done["scenario"] == scenario, kpi].dropna()
                offsets = [position + 0.25 * ((i % 5) - 2) / 2 for i in range(len(values))]
                ax.scatter(offsets, values, s=10, color="black", alpha=0.6, zorder=3)
        for position, mean in enumerate(means):
            if pd.isna(mean):
                ax.text(position, 0, "no schedule", rotation=90, ha="center", va="bottom",
                        fontsize=8, color="grey")
        ax.set_title(LABELS.get(kpi, kpi), fontsize=10)
        ax.set_xticks(list(positions), scenarios, rotation=30, ha="right", fontsize=8)
        if kpi in _SHARES:
            ax.yaxis.set_major_formatter(_percent_formatter())
    for ax in axes[len(kpis):]:
        ax.set_visible(False)
    if title:
        figure.suptitle(title)
    return _with_chinese(figure)


def plot_cost_satisfaction(frame: pd.DataFrame | Mapping[str, Result], *,
                           x: str = "budget_use", y: str = "first_choice_share",
                           title: str | None = None) -> Figure:
    """Cost against satisfaction, a colour per scenario (a point per school in a sweep).

    Budget use (not yuan) is the default x so schools of different sizes compare.
    """
    from matplotlib.figure import Figure

    table = compare(frame)
    done = table[table["ok"]]
    scenarios = list(dict.fromkeys(table["scenario"]))
    figure = Figure(figsize=(7, 5), layout="constrained")
    ax = figure.subplots()
    several = "school" in table and table["school"].nunique() > 1
    for color, scenario in zip(_colors(len(scenarios)), scenarios, strict=True):
        points = done[done["scenario"] == scenario]
        if points.empty:
            continue  # named under the chart instead
        if several:
            ax.scatter(points[x], points[y], s=18, color=color, alpha=0.5)
            ax.scatter([points[x].mean()], [points[y].mean()], s=120, color=color,
                       edgecolor="black", label=scenario, zorder=3)
        else:
            ax.scatter(points[x], points[y], s=80, color=color, edgecolor="black",
                       label=scenario, zorder=3)
            for _, point in points.iterrows():
                ax.annotate(scenario, (point[x], point[y]), textcoords="offset points",
                            xytext=(6, 4), fontsize=8)
    ax.set_xlabel(LABELS.get(x, x))
    ax.set_ylabel(LABELS.get(y, y))
    for axis, kpi in ((ax.xaxis, x), (ax.yaxis, y)):
        if kpi in _SHARES:
            axis.set_major_formatter(_percent_formatter())
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, title="mean of the schools" if several else None,
              title_fontsize=8)
    ax.set_title(title or f"{LABELS.get(y, y)} against {LABELS.get(x, x).lower()}")
    _note_missing(figure, scenarios, set(done["scenario"]))
    return _with_chinese(figure)


def plot_teacher_load(frame: pd.DataFrame | Mapping[str, Result], *,
                      title: str | None = None) -> Figure:
    """How in-service teachers' weekly after-school load is spread: for each scenario the
    share of teachers at 0, 1, 2, … class hours a week."""
    from matplotlib.figure import Figure

    long = teacher_load_distribution(compare(frame))
    scenarios = list(dict.fromkeys(long["scenario"]))
    used = long[long["teachers"] > 0]["load"]
    top = int(used.max()) if len(used) else 0
    figure = Figure(figsize=(max(6.0, 1.1 * (top + 1) + 2), 4), layout="constrained")
    ax: Axes = figure.subplots()
    width = 0.8 / max(len(scenarios), 1)
    solved = set(long.loc[long["teachers"] > 0, "scenario"])
    for k, (color, scenario) in enumerate(zip(_colors(len(scenarios)), scenarios,
                                              strict=True)):
        if scenario not in solved:
            continue  # named under the chart instead
        part = long[(long["scenario"] == scenario) & (long["load"] <= top)]
        ax.bar(part["load"] + (k - (len(scenarios) - 1) / 2) * width, part["share"].fillna(0),
               width=width, color=color, label=scenario)
    ax.set_xticks(range(top + 1))
    ax.set_xlabel("After-school class hours a week")
    ax.set_ylabel("Share of in-service teachers")
    ax.yaxis.set_major_formatter(_percent_formatter())
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax.set_title(title or "Teacher load")
    _note_missing(figure, scenarios, solved)
    return _with_chinese(figure)


def _note_missing(figure: Figure, scenarios: Sequence[str], shown: set[str]) -> None:
    """Say which scenarios have no schedule, rather than drop them from the picture silently."""
    missing = [s for s in scenarios if s not in shown]
    if missing:
        figure.supxlabel("No schedule: " + ", ".join(missing), fontsize=8, color="grey")


_CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei",
              "SimHei", "PingFang SC", "Heiti SC", "Droid Sans Fallback")
"""Fonts with Chinese glyphs, most polished first, as installed on Linux, Windows and macOS."""


def _with_chinese(figure: Figure) -> Figure:
    """Let the figure's text fall back to an installed Chinese font.

    School and scenario names are often Chinese, which matplotlib's default font lacks.
    Each text of the figure gets the default font followed by a CJK font (matplotlib
    picks per glyph), instead of changing the global rcParams behind the caller's back.
    """
    from matplotlib import font_manager, rcParams
    from matplotlib.text import Text

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fallback = [name for name in _CJK_FONTS if name in installed]
    if not fallback:
        return figure
    latin = [name for name in rcParams["font.sans-serif"] if name in installed][:1]
    for text in figure.findobj(Text):
        text.set_fontfamily([*latin, *fallback[:1]])
    return figure


def _colors(count: int) -> list[tuple[float, float, float, float]]:
    from matplotlib import colormaps

    palette = colormaps["tab10"]
    return [palette(i % 10) for i in range(count)]


def _percent_formatter():  # type: ignore[no-untyped-def]
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)
