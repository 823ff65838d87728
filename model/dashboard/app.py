"""The dashboard page: Mesa's SolaraViz around :class:`~model.dashboard.ensemble.DashboardModel`.

Mesa's own parameter card builds a new model only when Reset is pressed; a planner moving a lever
wants the answer at once, so the sliders here (Mesa's ``UserInputs``, fed the same kind of
parameter table) build a new model on every change. Mesa reads its model parameters once, when
the page opens; they are given the page's own settings table (a dict the sliders update in place),
so that Reset rebuilds the current settings rather than the defaults.

Started by ``kunshan dashboard`` (``solara run model.dashboard.app``); the number of seeds and the
scale come from the environment variables the command sets (see ensemble.run_options).
"""

from __future__ import annotations

import html
import textwrap

import numpy as np
import solara
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from mesa.visualization import SolaraViz, make_plot_component
from mesa.visualization.solara_viz import UserInputs

from model.config import ConfigError
from model.dashboard.ensemble import (
    POLICY_START_YEARS,
    TARGET_YEAR,
    DashboardModel,
    default_values,
    run_options,
    settings,
)
from model.outputs import load_targets

COLOURS = ("tab:blue", "tab:orange", "tab:green")


def slider_table(values: dict) -> dict:
    """The sliders in Mesa's model-parameter format, each labelled with its current value (the
    units are listed under the sliders)."""
    table = {
        "policy_start": {
            "type": "SliderInt",
            "label": f"levers from January {values['policy_start']}",
            "value": values["policy_start"],
            "min": POLICY_START_YEARS[0],
            "max": POLICY_START_YEARS[1],
            "step": 1,
        }
    }
    for s in settings():
        table[s.name] = {
            "type": "SliderFloat",
            "label": f"{s.name} = {values[s.name]:.4g}",
            "value": values[s.name],
            "min": s.low,
            "max": s.high,
            "step": s.step,
        }
    return table


def units_html() -> str:
    return "<ul>" + "".join(f"<li>{html.escape(s.name)}: {html.escape(s.unit)}</li>" for s in settings()) + "</ul>"


def targets_figure(model: DashboardModel) -> Figure:
    """The ten 2025 targets: seed mean, 5-95% band over seeds, the target (star) and P(met)."""
    rows = {r["id"]: r for r in model.rows}
    targets = [t for t in load_targets() if t.year == TARGET_YEAR]
    fig = Figure(figsize=(12, 7.2), layout="constrained")  # fits a cell of Mesa's grid (drag its corner to enlarge)
    axes = fig.subplots(-(-len(targets) // 4), 4, squeeze=False).ravel()
    years = model.annual["year"].values
    for ax, t in zip(axes, targets, strict=False):  # spare panels are hidden below
        data = np.asarray(model.annual[t.id].transpose("seed", "year").values, dtype=float)
        low, high = np.nanpercentile(data, [5, 95], axis=0)
        (line,) = ax.plot(years, np.nanmean(data, axis=0))
        ax.fill_between(years, low, high, color=line.get_color(), alpha=0.25, linewidth=0)
        ax.axhline(t.value, color="black", linestyle=":", linewidth=1)
        ax.plot([t.year], [t.value], marker="*", markersize=11, color="crimson", linestyle="none")
        ax.set_title(textwrap.fill(t.label_en, 34) + f"\nP(met) = {rows[t.id]['prob_met']:.0%}", fontsize=10)
        ax.set_ylabel(t.unit, fontsize=9)
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for ax in axes[len(targets) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"{len(model.kunshan_scenario.seeds)} seeds at scale {model.kunshan_scenario.scale:g}: seed mean, "
        "5-95% band over seeds, target (star, dotted line)",
        fontsize=11,
    )
    return fig


@solara.component
def TargetsChart(model: DashboardModel):
    with solara.Div(classes=["kunshan-targets-chart"]):
        solara.FigureMatplotlib(targets_figure(model), format="png", dependencies=[id(model)])


def _number(value: float) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:,.2f}" if abs(value) < 10 else f"{value:,.0f}"


def target_table_html(model: DashboardModel) -> str:
    """The 2025 targets as an HTML table (plain HTML: solara's Markdown loads a maths renderer
    from a CDN, which a machine without internet access cannot reach)."""
    cells = [("2025 target", "goal", "mean", "5-95% over seeds", "P(met)")]
    for r in model.rows:
        cells.append(
            (
                r["label_en"],
                f"{r['comparison']} {r['target']:g}",
                _number(r["mean"]),
                f"{_number(r['p05'])} - {_number(r['p95'])}",
                f"{r['prob_met']:.0%}",
            )
        )
    head, *body = cells
    rows = ["<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>"]
    rows += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body]
    return (
        f"<table>{''.join(rows)}</table><p><b>P(all ten met in the same run)</b>: {model.p_all_met:.0%} of "
        f"{len(model.kunshan_scenario.seeds)} seeds (scale {model.kunshan_scenario.scale:g})</p>"
    )


@solara.component
def TargetTable(model: DashboardModel):
    solara.HTML(tag="div", unsafe_innerHTML=target_table_html(model), classes=["kunshan-targets-table"])


def _year_axis(first_year: int):
    """make_plot_component draws against the DataCollector's row; label the rows as years."""

    def post_process(ax):
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: str(first_year + round(x))))
        ax.set_title("Public budget by year (the x axis is the year)", fontsize=9)
        ax.legend(fontsize=7, loc="best")

    return post_process


@solara.component
def Page():
    options = solara.use_memo(run_options, [])
    current = solara.use_memo(lambda: {"policy_start": 2023, **default_values()}, [])  # updated in place
    shown = solara.use_reactive(dict(current))  # what the sliders show
    error = solara.use_reactive(None)
    first = solara.use_memo(lambda: DashboardModel(settings=current, **options), [])
    model = solara.use_reactive(first)

    def on_change(name, value):
        changed = {**shown.value, name: value if name == "policy_start" else by_name[name].snap(value)}
        shown.set(changed)
        if changed == current:  # a slider settling on its own grid: nothing to run
            return
        try:
            built = DashboardModel(settings=changed, **options)
        except ConfigError as err:  # e.g. parameters with which the 2021 economy cannot be built
            error.set(f"These settings cannot be run ({err}); the charts show the last settings that could.")
            return
        current.clear()
        current.update(changed)
        model.set(built)
        error.set(None)

    by_name = {s.name: s for s in settings()}
    with solara.Sidebar():
        with solara.Card("Levers (all clusters; transfers to rural households) and uncertain parameters"):
            if error.value:
                solara.Error(error.value)
            UserInputs(slider_table(shown.value), on_change=on_change)
            with solara.Details("Units"):
                solara.HTML(tag="div", unsafe_innerHTML=units_html())

    budget = dict(zip(model.value.budget_measures, COLOURS, strict=False))
    components = [
        TargetsChart,
        TargetTable,
        make_plot_component(budget, post_process=_year_axis(model.value.budget_years[0])),
    ]
    SolaraViz(
        model,
        components=components,
        model_params={"settings": current, **options},
        name="Kunshan 2025 targets: levers and uncertainties",
    )
