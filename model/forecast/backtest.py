"""`kunshan backtest`: forecasts from past origins, scored against what was observed afterwards.

From each origin the benchmarks (model.forecast.benchmarks) forecast 1-3 years ahead with the data of
that vintage only; the model forecasts from every origin its initial state can be built at
(model.data.derive.buildable_origins: 2020, 2021 and 2022 with the shipped data), built from the
rows up to the origin alone. It is scored where a later year is observed: from 2020 at horizons 1
and 2 (2021, 2022), from 2021 at horizon 1 (2022); the forecasts from 2022 wait for 2023-2025. The
model runs as a forecaster at the end of the origin could have set it up: no shock or policy after
the origin (the 2022 lockdowns were not known) and the exchange rate held at the origin's level, and
with the parameters calibrated on the data up to the origin (:func:`origin_calibration`): from 2022,
model/data/calibrated.toml (figures up to 2022); from 2021, model/data/calibrated_through_2021.toml
(`kunshan calibrate --through 2021`: figures up to 2021, runs from the end of 2020 through 2021);
from 2020, the SPECS defaults of model/params.py, since the fit's runs start at the end of 2020 and
the data up to it leave no simulated year to compare (model.calibration.moments.check_through). The
full-uncertainty ensemble draws each run's parameters from that calibration's covariance (none for
the defaults). So no observed figure after an origin reaches the model's forecast from it; what was
chosen knowing later years is the model's design and the fit's starting point (msm.START). The
vintages are fits of the shipped data: an ``--observed`` file changes the initial states and the
benchmarks, not the calibrations. The output says which fit each origin used.

Writes, atomically (model.outputs.atomic_folder): backtest.csv (every forecast), scores.csv (by
indicator, horizon and method: n, RMSE, MAE, 90% coverage, and the Diebold-Mariano test against the
random walk with drift), backtest.png, and README.md with the table and what the model covers; the
figure, README.md and the console in ``--lang`` (en or zh: the words of model/data/labels.toml; the
CSVs keep their ids, with a byte-order mark like every results CSV).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from model.data.derive import buildable_origins, exchange_rate_at_origin
from model.data.observed import Observation, Vintage, observations, read_observations
from model.forecast.benchmarks import INDICATORS, METHODS, Forecast, Indicator, benchmark_forecasts
from model.forecast.scores import coverage, diebold_mariano, error, mae, rmse
from model.outputs.labels import DEFAULT_LANG, variable_label, word

HORIZONS = 3
REFERENCE = "random_walk_drift"  # the benchmark every other method is tested against
BACKTEST_COLUMNS = ("indicator", "origin", "horizon", "year", "method", "forecast", "p05", "p95", "observed")
SCORE_COLUMNS = (
    "indicator",
    "horizon",
    "method",
    "n",
    "rmse",
    "mae",
    "coverage90",
    "dm_reference",
    "dm_n",
    "dm_statistic",
    "dm_p_value",
)
SAME_TARGETS_HEADING = "## The model's origin: every method on the same targets"
UNITS = {"level": "% (100 x log of forecast over observed)", "rate": "percentage points"}


def observed_value(rows: Sequence[Observation], indicator: Indicator, year: int) -> float:
    for r in rows:
        if r.indicator == indicator.row and r.year == year:
            return r.value
    return math.nan


def model_origins(rows: Sequence[Observation]) -> list[int]:
    """The origins the model can forecast from: the years at whose end its initial state can be
    built from ``rows`` (shipped data: 2020, 2021, 2022)."""
    return buildable_origins(tuple(rows))


def possible_origins(rows: Sequence[Observation]) -> list[int]:
    """Every year from which some benchmark can forecast some indicator, and the model's origins."""
    years = range(min(r.year for r in rows), max(r.year for r in rows) + 1)
    found = {y for y in years for ind in INDICATORS if benchmark_forecasts(Vintage.of(tuple(rows), y), ind, HORIZONS)}
    return sorted(found | set(model_origins(rows)))


def model_forecasts(annual: xr.Dataset, origin: int, indicator: Indicator) -> list[Forecast]:
    """Mean over seeds, and the 5-95% of the seeds, of the model's annual figures after the origin."""
    out = []
    for h in range(1, HORIZONS + 1):
        if origin + h not in annual["year"].values or indicator.variable not in annual:
            continue
        values = annual[indicator.variable].sel(year=origin + h).values
        out.append(
            Forecast(
                "model",
                h,
                origin + h,
                float(np.mean(values)),
                float(np.quantile(values, 0.05)),
                float(np.quantile(values, 0.95)),
            )
        )
    return out


def backtest_rows(
    rows: Sequence[Observation], origins: Sequence[int], model_runs: dict[int, xr.Dataset] | None = None
) -> list[dict]:
    """One row per forecast: the benchmarks from each origin's vintage, the model from its runs."""
    out = []
    for origin in origins:
        vintage = Vintage.of(tuple(rows), origin)
        for ind in INDICATORS:
            forecasts = benchmark_forecasts(vintage, ind, HORIZONS)
            if model_runs and origin in model_runs:
                forecasts = model_forecasts(model_runs[origin], origin, ind) + forecasts
            out += [
                {
                    "indicator": ind.name,
                    "origin": origin,
                    "horizon": f.horizon,
                    "year": f.year,
                    "method": f.method,
                    "forecast": f.value,
                    "p05": f.p05,
                    "p95": f.p95,
                    "observed": observed_value(rows, ind, f.year),
                }
                for f in forecasts
            ]
    return out


def score_rows(rows: list[dict]) -> list[dict]:
    """By indicator, horizon and method, over the forecasts with an observation: n, RMSE, MAE, 90%
    coverage, and the HLN Diebold-Mariano test against the random walk with drift on the targets
    both forecast (negative: smaller squared errors than the random walk)."""
    kinds = {ind.name: ind.kind for ind in INDICATORS}
    scored = [r for r in rows if np.isfinite(r["observed"])]
    groups: dict[tuple, list[dict]] = {}
    for r in scored:
        groups.setdefault((r["indicator"], r["horizon"], r["method"]), []).append(r)
    order = {m: i for i, m in enumerate(("model", *METHODS))}
    out = []
    for (name, h, method), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], order[kv[0][2]])):
        errors = [error(r["forecast"], r["observed"], kinds[name]) for r in group]
        row = {
            "indicator": name,
            "horizon": h,
            "method": method,
            "n": len(group),
            "rmse": rmse(errors),
            "mae": mae(errors),
            "coverage90": coverage(
                [r["observed"] for r in group], [r["p05"] for r in group], [r["p95"] for r in group]
            ),
            "dm_reference": "",
            "dm_n": "",
            "dm_statistic": math.nan,
            "dm_p_value": math.nan,
        }
        reference = {r["origin"]: r for r in groups.get((name, h, REFERENCE), [])}
        common = [r for r in group if r["origin"] in reference]
        if method != REFERENCE and common:
            row.update(dm_reference=REFERENCE, dm_n=len(common))
            test = diebold_mariano(
                [error(r["forecast"], r["observed"], kinds[name]) for r in common],
                [error(reference[r["origin"]]["forecast"], r["observed"], kinds[name]) for r in common],
                h,
            )
            if test is not None:
                row.update(dm_statistic=test.statistic, dm_p_value=test.p_value)
        out.append(row)
    return out


def origin_calibration(origin: int):
    """The calibration of the data vintage ``origin`` (model.calibration.calibrated.
    calibration_of_vintage: calibrated.toml from the last observed year, calibrated_through_YEAR.toml
    before it, the SPECS defaults without parameter uncertainty at or before the fit's own origin)."""
    from model.calibration.calibrated import calibration_of_vintage

    return calibration_of_vintage(origin)


def fit_text(origin: int, lang: str = DEFAULT_LANG) -> str:
    """Which fit the model's forecasts from ``origin`` use, in words."""
    from model.calibration.calibrated import vintage_file_name
    from model.calibration.moments import HISTORY_ORIGIN

    if origin <= HISTORY_ORIGIN:
        return word("backtest_fit_prior", lang).format(origin=origin)
    return word("backtest_fit_file", lang).format(origin=origin, file=vintage_file_name(origin))


def fits_note(model_origins: Sequence[int], lang: str = DEFAULT_LANG) -> str:
    fits = ("; " if lang == "en" else ";").join(fit_text(o, lang) for o in model_origins) or word("none", lang)
    return word("backtest_fits", lang).format(fits=fits)


def real_time_scenario(origin: int, seeds: int, scale: float, observed: str | None):
    """The baseline as a forecaster at the end of ``origin`` could have set it up: built from the
    data up to the origin, no shock or policy after it, the exchange rate held at the origin's
    level, the parameters (and their covariance) of the calibration of the data up to the origin."""
    from model.calibration.calibrated import with_calibration
    from model.config import load_scenario, to_toml
    from model.data.observed import load_vintage
    from model.scenario import Shock

    rate = exchange_rate_at_origin(load_vintage(observed, origin))
    base = load_scenario()
    scenario = dataclasses.replace(
        base,
        name=f"backtest_{origin}",
        description=f"real-time forecast from the end of {origin}",
        start=f"{origin + 1}-01",
        horizon=f"{origin + HORIZONS}-12",
        seeds=tuple(range(seeds)),
        scale=scale,
        policies=(),
        shocks=(Shock("exchange_rate", path={y: rate for y in range(origin, origin + HORIZONS + 1)}),),
        observed=observed,
    )
    return with_calibration(dataclasses.replace(scenario, source_text=to_toml(scenario)), origin_calibration(origin))


def coverage_note(origins: Sequence[int], model_origins: Sequence[int], lang: str = DEFAULT_LANG) -> str:
    covered = ", ".join(map(str, model_origins)) or word("none", lang)
    return word("backtest_note", lang).format(origins=", ".join(map(str, origins)), covered=covered)


def _names(lang: str):
    """How an indicator and a method show in a table: their ids in English, their labels in Chinese."""
    if lang == "en":
        return str, str
    return (lambda name: variable_label(name, lang)), (lambda method: word(method, lang))


def _head(key: str, lang: str) -> list[str]:
    head = word(key, lang)
    return [head, "|" + "---|" * (head.count("|") - 1)]


def markdown_table(scores: list[dict], lang: str = DEFAULT_LANG) -> str:
    def cell(value, digits=2):
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:.{digits}f}"
        return str(value)

    indicator, method = _names(lang)
    lines = _head("backtest_scores_head", lang)
    for s in scores:
        dm = "" if math.isnan(s["dm_statistic"]) else f"{s['dm_statistic']:.2f} ({s['dm_p_value']:.2f}, n={s['dm_n']})"
        lines.append(
            f"| {indicator(s['indicator'])} | {s['horizon']} | {method(s['method'])} | {s['n']} | {cell(s['rmse'])} | "
            f"{cell(s['mae'])} | {cell(s['coverage90'])} | {dm} |"
        )
    return "\n".join(lines)


def head_to_head(rows: list[dict], origins: Sequence[int], lang: str = DEFAULT_LANG) -> str:
    """Every method on the same targets: the forecasts from the model's origins at every horizon,
    with their errors, where the year was observed."""
    kinds = {ind.name: ind.kind for ind in INDICATORS}
    indicator, method = _names(lang)
    lines = _head("backtest_forecasts_head", lang)
    for r in sorted(rows, key=lambda r: (r["indicator"], r["origin"], r["horizon"])):
        if r["origin"] in origins and np.isfinite(r["observed"]):
            band = "" if math.isnan(r["p05"]) else f"{r['p05']:.4g}-{r['p95']:.4g}"
            lines.append(
                f"| {indicator(r['indicator'])} | {r['origin']} | {r['horizon']} | {r['year']} | {r['observed']:.4g} | "
                f"{method(r['method'])} | "
                f"{r['forecast']:.4g} | {band} | {error(r['forecast'], r['observed'], kinds[r['indicator']]):+.2f} |"
            )
    return "\n".join(lines)


COLOURS = {"model": "tab:red", "random_walk_drift": "tab:blue", "ar1": "tab:green", "last_growth": "tab:orange"}


def figure(rows: list[dict], observed_rows: Sequence[Observation], lang: str = DEFAULT_LANG):
    """One panel per indicator: what was observed, and each method's forecasts from each origin."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(15, 8), layout="constrained")
    axes = fig.subplots(2, 3, squeeze=False).ravel()
    for ax, ind in zip(axes, INDICATORS):
        history = sorted((r.year, r.value) for r in observed_rows if r.indicator == ind.row)
        if history:
            ax.plot(*zip(*history), "o-", color="black", label=word("observed", lang), zorder=5)
        shown = set()
        for method in ("model", *METHODS):
            mine = [r for r in rows if r["indicator"] == ind.name and r["method"] == method]
            for origin in sorted({r["origin"] for r in mine}):
                path = sorted((r["year"], r["forecast"], r["p05"], r["p95"]) for r in mine if r["origin"] == origin)
                years, values, low, high = (np.array(c, dtype=float) for c in zip(*path))
                ax.plot(
                    years,
                    values,
                    ".--",
                    color=COLOURS[method],
                    alpha=0.8,
                    label=(method if lang == "en" else word(method, lang)) if method not in shown else None,
                )
                shown.add(method)
                if method == "model":
                    ax.fill_between(years, low, high, color=COLOURS[method], alpha=0.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        name = ind.name if lang == "en" else variable_label(ind.name, lang)
        ax.set_title(word("backtest_panel", lang).format(name=name, kind=word(ind.kind, lang)), fontsize=10)
        ax.legend(fontsize=7)
    return fig


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, metavar="DIR", help="results folder (default: results/backtest)")
    parser.add_argument(
        "--origins", type=int, nargs="+", metavar="YEAR", help="forecast origins (default: every year the data allow)"
    )
    parser.add_argument("--seeds", type=int, default=10, metavar="N", help="model seeds per origin (default 10)")
    parser.add_argument("--scale", type=float, default=0.02, metavar="S", help="model scale (default 0.02)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="processes for the model runs")
    parser.add_argument(
        "--observed",
        type=Path,
        metavar="FILE",
        help="observed-data CSV (format of model/data/observed_kunshan.csv) instead of the shipped one",
    )
    from model.cli import lang_argument

    lang_argument(parser)


def _destination(folder: Path) -> Path:
    """An earlier backtest folder is replaced; anything else goes through the results-folder check."""
    from model import outputs
    from model.writable import check_output_path

    check_output_path(folder)  # as for `kunshan run`: /proc, '', '.', a file, names too long
    if folder.is_dir() and (folder / "backtest.csv").is_file() and (folder / "scores.csv").is_file():
        return folder
    return outputs.check_destination(folder)


def run(args: argparse.Namespace) -> int:
    from model import outputs
    from model.config import ConfigError, observed_file, with_overrides
    from model.outputs.fonts import figure_fonts
    from model.runner import check_memory, run_scenario

    observed = observed_file(str(args.observed), None, "command line", "--observed") if args.observed else None
    rows = read_observations(observed) if observed else observations()
    allowed = possible_origins(rows)
    origins = sorted(set(args.origins)) if args.origins else allowed
    if bad := [o for o in origins if o not in allowed]:
        raise ConfigError(
            "command line",
            "--origins",
            "years from which the data allow a forecast: " + " ".join(map(str, allowed)),
            bad[0],
        )
    if args.seeds < 1 or args.workers < 1:
        raise ConfigError(
            "command line",
            "--seeds" if args.seeds < 1 else "--workers",
            "an integer >= 1",
            args.seeds if args.seeds < 1 else args.workers,
        )
    buildable = model_origins(rows)
    from_model = [o for o in origins if o in buildable]
    scenarios = {
        o: with_overrides(real_time_scenario(o, args.seeds, 0.02, observed), scale=args.scale) for o in from_model
    }
    for scenario in scenarios.values():
        check_memory(scenario, args.workers)
    out = _destination(args.out or Path("results") / "backtest")

    model_runs = {o: run_scenario(s, workers=args.workers)[0] for o, s in scenarios.items()}
    forecasts = backtest_rows(rows, origins, model_runs)
    scores = score_rows(forecasts)
    lang = args.lang
    note = coverage_note(origins, from_model, lang) + "\n\n" + fits_note(from_model, lang)
    scores_table, forecasts_table = markdown_table(scores, lang), head_to_head(forecasts, from_model, lang)
    indicator, _ = _names(lang)
    with outputs.atomic_folder(out) as partial:
        outputs.write_csv(partial / "backtest.csv", BACKTEST_COLUMNS, forecasts)
        outputs.write_csv(partial / "scores.csv", SCORE_COLUMNS, scores)
        with figure_fonts():
            figure(forecasts, rows, lang).savefig(partial / "backtest.png", dpi=100)
        units = "; ".join(f"{indicator(ind.name)}: {word(UNITS[ind.kind], lang)}" for ind in INDICATORS)
        errors = word("backtest_errors", lang).format(units=units, seeds=args.seeds, scale=args.scale)
        (partial / "README.md").write_text(
            f"{word('backtest_title', lang)}\n\n{note}\n\n{errors}\n\n"
            f"{word('## Scores', lang)}\n\n{scores_table}\n\n"
            f"{word(SAME_TARGETS_HEADING, lang)}\n\n"
            f"{forecasts_table}\n",
            encoding="utf-8",
        )
    covered = ", ".join(map(str, from_model)) or word("none", lang)
    print(word("backtest_done", lang).format(first=origins[0], last=origins[-1], model=covered, out=out))
    print(note)
    print(scores_table)
    print(forecasts_table)
    return 0
