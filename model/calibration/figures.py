"""Figures of calibration and validation (matplotlib's object API: no global state, no display).

Their words are those of model/data/labels.toml in the language asked for (``lang``, en or zh);
drawn and saved within model.outputs.fonts.figure_fonts, so that Chinese glyphs render."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr
from scipy import special, stats

from model.data.observed import observations
from model.outputs.labels import DEFAULT_LANG, word

SERIES = (  # (annual variable, observed indicator, title)
    ("gdp", "gdp", "GDP, yi yuan (current prices)"),
    ("gdp_real_growth", "gdp_real_growth", "Real GDP growth"),
    (
        "above_scale_industrial_output_growth",
        "above_scale_industrial_output_growth",
        "Above-scale industrial output growth",
    ),
    ("disposable_income_per_capita", "disposable_income_per_capita", "Per-capita disposable income, yuan"),
)


def _figure(rows: int, cols: int, size=(11, 8)):
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    return fig, np.atleast_1d(fig.subplots(rows, cols)).ravel()


def _observed_series(indicator: str) -> tuple[np.ndarray, np.ndarray]:
    rows = sorted((o.year, o.value) for o in observations() if o.indicator == indicator)
    return np.array([r[0] for r in rows]), np.array([r[1] for r in rows])


def forecast_figure(annual: xr.Dataset, lang: str = DEFAULT_LANG):
    """The observed window (2015-2022) and the run (2021 = initial state, 2022 on) on one axis each:
    mean over seeds and the 5-95% band."""
    fig, axes = _figure(2, 2)
    for ax, (var, indicator, title) in zip(axes, SERIES):
        years, values = _observed_series(indicator)
        ax.plot(years, values, "o-", color="black", label=word("observed", lang))
        sim = annual[var].transpose("seed", "year")
        y = sim["year"].values
        data = np.asarray(sim.values, dtype=float)
        lo, hi = np.nanpercentile(data, [5, 95], axis=0)
        ax.fill_between(y, lo, hi, alpha=0.3, color="tab:blue", label=word("simulated 90% band", lang))
        ax.plot(y, np.nanmean(data, axis=0), "-", color="tab:blue", label=word("simulated mean", lang))
        ax.axvspan(2022.5, y.max() + 0.5, color="grey", alpha=0.08)
        ax.set_title(word(title, lang))
        ax.set_xlabel(word("year (shaded: forecast)", lang))
    axes[0].legend(fontsize=8)
    return fig


def checks_figure(checks: list[dict], lang: str = DEFAULT_LANG):
    """Every check as value against its band, scaled so that the band is [-1, 1] (one-sided bands
    put the bound at -1)."""
    fig, (ax,) = _figure(1, 1, size=(10, 0.32 * len(checks) + 1.5))
    for i, c in enumerate(checks):
        low, high, v = c["low"], c["high"], c["value"]
        if low is not None and high is not None:
            z = (2 * (v - low) / (high - low) - 1) if high > low else 0.0
        elif low is not None:
            z = -1 + (v - low) / max(abs(low), 1e-12)
        else:
            z = -1 + (v - high) / max(abs(high), 1e-12) if high != 0 else -1 + v
        ax.plot([np.clip(z, -3, 3)], [i], "o", color="tab:green" if c["pass"] else "tab:red")
    ax.axvspan(-1, 1, color="tab:green", alpha=0.1)
    from model.calibration.checks import check_text

    ax.set_yticks(range(len(checks)), [check_text(c, lang)[:70] for c in checks], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(-3.2, 3.2)
    ax.set_xlabel(word("position in the band (band = [-1, 1]; clipped at 3)", lang))
    ax.set_title(word("Validation checks", lang))
    return fig


def stylized_figure(micro: list[dict], annual: xr.Dataset, fits: dict, lang: str = DEFAULT_LANG):
    fig, axes = _figure(2, 2)
    # firm sizes: complementary CDF, weighted
    m = micro[0]
    x, w = m["revenue"], m["weight"]
    order = np.argsort(x)[::-1]
    x, w = x[order], w[order]
    ccdf = np.cumsum(w) / w.sum()
    ok = x > 0
    ax = axes[0]
    ax.loglog(x[ok], ccdf[ok], ".", ms=2, label=word("simulated firms (seed 0)", lang))
    cut = np.searchsorted(ccdf, 0.05)
    if 0 < cut < len(x):
        xs = np.logspace(np.log10(x[cut]), np.log10(x.max()), 20)
        ax.loglog(
            xs,
            0.05 * (xs / x[cut]) ** (-fits["hill_firms"]),
            "-",
            label=word("pareto_alpha", lang).format(alpha=fits["hill_firms"]),
        )
    ax.set_xlabel(word("annual revenue, yi yuan", lang))
    ax.set_ylabel(word("share of firms with larger revenue", lang))
    ax.set_title(word("Firm sizes (final year)", lang))
    ax.legend(fontsize=8)
    # growth rates: density on a log scale with the Subbotin fit
    ax = axes[1]
    g = np.concatenate([mm["growth"] for mm in micro])
    gw = np.concatenate([mm["growth_weight"] for mm in micro])
    if len(g):
        lim = np.nanpercentile(np.abs(g), 99.5)
        hist, edges = np.histogram(g, bins=60, range=(-lim, lim), weights=gw, density=True)
        mid = 0.5 * (edges[1:] + edges[:-1])
        ax.semilogy(mid[hist > 0], hist[hist > 0], "o", ms=3, label=word("simulated (demeaned by year)", lang))
        s = fits["subbotin"]
        pdf = s["b"] / (2 * s["a"] * special.gamma(1 / s["b"])) * np.exp(-(np.abs((mid - s["m"]) / s["a"]) ** s["b"]))
        ax.semilogy(mid, pdf, "-", label=word("subbotin_b", lang).format(b=s["b"]))
    ax.set_xlabel(word("annual log revenue growth", lang))
    ax.set_title(word("Firm growth rates (tent if b near 1)", lang))
    ax.legend(fontsize=8)
    # household income
    ax = axes[2]
    inc, pw = m["income"], m["persons"]
    order = np.argsort(inc)[::-1]
    inc, pw = inc[order], pw[order]
    ccdf = np.cumsum(pw) / pw.sum()
    ax.loglog(inc, ccdf, ".", ms=2, label=word("simulated households", lang))
    ln = fits["lognormal"]
    xs = np.logspace(np.log10(inc[inc > 0].min()), np.log10(inc.max()), 100)
    ax.loglog(xs, stats.norm.sf(np.log(xs), ln["mu"], ln["sigma"]), "-", label=word("lognormal body fit", lang))
    ax.set_xlabel(word("per-capita disposable income, yuan", lang))
    ax.set_ylabel(word("share of persons above", lang))
    ax.set_title(word("household_income_title", lang).format(alpha=fits["hill_income"]))
    ax.legend(fontsize=8)
    # Okun
    ax = axes[3]
    ax.plot(fits["okun_growth"], fits["okun_du"], "o", ms=4)
    ax.set_xlabel(word("real GDP growth (deviation from the seed's mean)", lang))
    ax.set_ylabel(word("change in unemployment rate (deviation)", lang))
    ax.set_title(word("okun_title", lang).format(corr=fits["okun"], slope=fits["okun_slope"]))
    return fig


def write_all(
    folder: Path,
    annual: xr.Dataset,
    micro: list[dict],
    fits: dict,
    checks: list[dict] | None = None,
    lang: str = DEFAULT_LANG,
) -> None:
    from model.outputs.fonts import figure_fonts

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with figure_fonts():
        forecast_figure(annual, lang).savefig(folder / "forecast.png", dpi=110)
        stylized_figure(micro, annual, fits, lang).savefig(folder / "stylized_facts.png", dpi=110)
        if checks:
            checks_figure(checks, lang).savefig(folder / "checks.png", dpi=110)
