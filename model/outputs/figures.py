"""Figures of a results folder and of a comparison.

matplotlib's object API (no pyplot): no global state, no display needed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from model.outputs.labels import DEFAULT_LANG, target_label, unit_label, word
from model.outputs.targets import TIER_TARGETS, common_seeds, load_targets

# Text alternatives of the report's figures (the HTML img alt): what each shows, for a reader who
# cannot see it.
DESCRIPTIONS = {
    "targets": "One panel per 2025 target: the mean over seeds by year with its 5-95% band, the target "
    "value as a dotted line and a star at the target year.",
    "clusters": "Gross output of each industry cluster by year, log scale: mean over seeds with the 5-95% band.",
    "incomes": "Left: per-capita disposable income of urban, rural and all residents by year, stars at the "
    "targets. Right: the urban to rural income ratio with its target.",
    "firm_tiers": "Number of enterprises in each revenue tier by year, stars at the 2025 targets.",
    "lorenz": "Lorenz curve of household per-capita disposable income in the last year, against the line "
    "of equality, with the Gini coefficient in the title.",
    "targets_overlay": "One panel per 2025 target: each compared run's mean over seeds with its 5-95% band, "
    "and the target value.",
    "differences": "One panel per 2025 target: each scenario minus the reference by year, paired by seed "
    "(band) where the runs share seeds and scale, else the difference of means (line).",
}
DESCRIPTIONS_ZH = {
    "targets": "每个目标一幅小图:各年份随机种子的均值及5%-95%区间,虚线为目标值,星号标出目标年份。",
    "clusters": "各产业集群各年份总产值(对数坐标):随机种子均值及5%-95%区间。",
    "incomes": "左:城镇、农村及全体居民人均可支配收入,星号为目标;右:城乡居民收入比及其目标。",
    "firm_tiers": "各营收档次企业数,星号为2025年目标。",
    "lorenz": "最后一年居民人均可支配收入的洛伦兹曲线及绝对平等线,标题中给出基尼系数。",
    "targets_overlay": "每个目标一幅小图:各对比情景的均值及5%-95%区间和目标值。",
    "differences": "每个目标一幅小图:各情景减参照情景的差值(同种子配对时为区间,否则为均值之差)。",
}


def descriptions(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The figures' text alternatives in the language."""
    return DESCRIPTIONS_ZH if lang == "zh" else DESCRIPTIONS


def _figure(rows: int = 1, cols: int = 1, size=(8, 5)):
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.subplots(rows, cols, squeeze=False)


def _band(ax, x, values: xr.DataArray, label: str, integer_x: bool = True) -> None:
    """Mean over seeds with the p05-p95 band: the spread the random draws alone produce."""
    from matplotlib.ticker import MaxNLocator

    data = np.asarray(values.transpose("seed", ...).values, dtype=float)
    lo, hi = np.nanpercentile(data, [5, 95], axis=0)
    (line,) = ax.plot(x, np.nanmean(data, axis=0), label=label)
    ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.2, linewidth=0)
    if integer_x:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _mark_target(ax, t: dict, lang: str = DEFAULT_LANG) -> None:
    ax.axhline(t.value, color="black", linestyle=":", linewidth=1)
    ax.plot(
        [t.year],
        [t.value],
        marker="*",
        markersize=12,
        color="crimson",
        linestyle="none",
        label=f"{word('target_mark', lang)} {t.comparison} {t.value:g} ({t.year})",
    )


def _target_panels(targets=None):
    """A grid with one panel per target (spare panels hidden); default the article's targets."""
    targets, cols = (load_targets() if targets is None else tuple(targets)), 4
    rows = -(-len(targets) // cols)
    fig, axes = _figure(rows, cols, size=(18, 4 * rows))
    for ax in axes.flat[len(targets) :]:
        ax.set_visible(False)
    return fig, list(zip(axes.flat, targets))


def _title(ax, t: dict, lang: str = DEFAULT_LANG) -> None:
    ax.set_title(target_label(t, lang), fontsize=9, wrap=True)
    ax.set_ylabel(unit_label(t.unit, lang))
    ax.legend(fontsize=7)


def targets_figure(runs: Sequence[tuple[str, xr.Dataset]], targets=None, lang: str = DEFAULT_LANG):
    """One panel per target: every run's trajectory and seed band, the target value and its year."""
    fig, panels = _target_panels(targets)
    for ax, t in panels:
        for label, annual in runs:
            if t.id in annual:
                _band(ax, annual["year"].values, annual[t.id], label)
        _mark_target(ax, t, lang)
        _title(ax, t, lang)
    return fig


def differences_figure(runs: Sequence[tuple[str, xr.Dataset]], targets=None, lang: str = DEFAULT_LANG):
    """Per target, scenario minus reference by year; paired by seed where the runs share seeds."""
    fig, panels = _target_panels(targets)
    ref_label, ref = runs[0]
    for ax, t in panels:
        for label, other in runs[1:]:
            if t.id not in ref or t.id not in other:
                continue
            years = np.intersect1d(ref["year"].values, other["year"].values)
            a, b = ref[t.id].sel(year=years), other[t.id].sel(year=years)
            common = common_seeds(ref, other)
            if common:
                _band(ax, years, b.sel(seed=common) - a.sel(seed=common), f"{label} - {ref_label} (paired)")
            else:
                ax.plot(years, b.mean("seed") - a.mean("seed"), label=f"{label} - {ref_label} (means)")
        ax.axhline(0, color="black", linewidth=0.8)
        _title(ax, t, lang)
    return fig


def _missing(ax, name: str) -> None:
    ax.text(0.5, 0.5, f"variable '{name}' not in the outputs", ha="center", va="center", transform=ax.transAxes)


def _panel_of(annual: xr.Dataset, name: str, size):
    """A one-panel figure of variable ``name``: (figure, axes), or (figure, None) with the panel
    saying that the outputs lack it."""
    fig, axes = _figure(size=size)
    ax = axes[0, 0]
    if name not in annual:
        _missing(ax, name)
        return fig, None
    return fig, ax


def clusters_figure(annual: xr.Dataset, lang: str = DEFAULT_LANG):
    fig, ax = _panel_of(annual, "cluster_output", (11, 6))
    if ax is None:
        return fig
    for cluster in annual["cluster"].values:
        _band(ax, annual["year"].values, annual["cluster_output"].sel(cluster=cluster), str(cluster))
    ax.set_yscale("log")
    ax.set_ylabel(unit_label(annual["cluster_output"].attrs.get("units", ""), lang))
    ax.set_title(word("clusters_title", lang))
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig


def incomes_figure(annual: xr.Dataset, lang: str = DEFAULT_LANG):
    fig, axes = _figure(1, 2, size=(13, 5))
    targets = {t.id: t for t in load_targets()}
    left, right = axes[0]
    for name, label in (
        ("urban_disposable_income_per_capita", "urban"),
        ("rural_disposable_income_per_capita", "rural"),
        ("disposable_income_per_capita", "all residents"),
    ):
        if name in annual:
            _band(left, annual["year"].values, annual[name], word(label, lang))
            if name in targets:
                left.plot(
                    [targets[name].year],
                    [targets[name].value],
                    marker="*",
                    markersize=12,
                    linestyle="none",
                    color=left.lines[-1].get_color(),
                    label=f"{word('target, ', lang)}{word(label, lang)}",
                )
    left.set_title(word("incomes_title", lang))
    left.set_ylabel(unit_label("yuan", lang))
    left.legend(fontsize=8)
    ratio = "urban_rural_income_ratio"
    if ratio in annual:
        _band(right, annual["year"].values, annual[ratio], word("urban / rural", lang))
        _mark_target(right, targets[ratio], lang)
        right.legend(fontsize=8)
    else:
        _missing(right, ratio)
    right.set_title(word("ratio_title", lang))
    return fig


def tiers_figure(annual: xr.Dataset, lang: str = DEFAULT_LANG):
    fig, ax = _panel_of(annual, "firms_by_tier", (10, 6))
    if ax is None:
        return fig
    targets = {t.id: t for t in load_targets()}
    for tier in annual["tier"].values:
        _band(ax, annual["year"].values, annual["firms_by_tier"].sel(tier=tier), f"{tier}")
        if str(tier) in TIER_TARGETS:
            t = targets[TIER_TARGETS[str(tier)]]
            ax.plot([t.year], [t.value], marker="*", markersize=12, linestyle="none", color=ax.lines[-1].get_color())
    ax.set_yscale("symlog", linthresh=1)
    ax.set_ylabel(word("enterprises", lang))
    ax.set_title(word("tiers_title", lang))
    ax.legend(fontsize=8)
    return fig


def lorenz_figure(annual: xr.Dataset, lang: str = DEFAULT_LANG):
    """The Lorenz curve of the last year when the model reports one; else the Gini over time."""
    fig, axes = _figure(size=(7, 6))
    ax = axes[0, 0]
    if "income_lorenz" in annual and "lorenz_point" in annual["income_lorenz"].dims:
        last = annual["income_lorenz"].isel(year=-1)
        points = annual["lorenz_point"].values
        _band(ax, points, last, f"{int(annual['year'].values[-1])}", integer_x=False)
        ax.plot([0, 1], [0, 1], color="grey", linewidth=0.8, label=word("equality", lang))
        gini = ""
        if "income_gini" in annual:
            gini = f", Gini {float(annual['income_gini'].isel(year=-1).mean()):.3f}"
        ax.set_title(f"{word('lorenz_title', lang)}{gini}")
        ax.set_xlabel(word("share of persons, poorest first", lang))
        ax.set_ylabel(word("share of income", lang))
        ax.legend(fontsize=8)
    elif "income_gini" in annual:
        _band(ax, annual["year"].values, annual["income_gini"], "Gini")
        ax.set_title("Gini of household per-capita disposable income (no Lorenz curve in the outputs)")
    else:
        _missing(ax, "income_lorenz")
    return fig


def save_figures(folder: Path, figures: dict) -> dict[str, bytes]:
    folder.mkdir()
    pngs = {}
    for name, fig in figures.items():
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100)
        pngs[name] = buffer.getvalue()
        (folder / f"{name}.png").write_bytes(pngs[name])
    return pngs
