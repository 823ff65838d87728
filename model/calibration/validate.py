"""Validation: does a run reproduce what was observed, and the stylized facts it was not fitted to?

Two kinds of checks, one table (``validation.csv``: check, value, low, high, pass):

* **Observed figures** of the data window that the run overlaps (2021, the initial state, and 2022,
  the first simulated year): the mean over seeds against a band around the observation. 2021
  figures are reproduced by construction (a check of the initialisation); 2022 figures are the real
  test. Bands: the tolerances of the project's acceptance criteria where one exists (GDP 2%,
  electronic information 3%, equipment 5%, real growth 1 point, firm tiers 1 and 3), otherwise 5%
  for grade A/B levels, and the inequality a lower bound states.
* **Stylized facts** from firm and household micro data of separate runs of the same scenario
  (:class:`model.snapshots.SnapshotModel`): the Pareto tail of firm sizes, the tent shape of firm
  growth rates, the lognormal body and Pareto top of household income, the income Gini, and Okun's
  law. Bands and their sources are in docs/ODD.md ("Validation").
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from model.calibration import stylized
from model.calibration.moments import calibrated_baseline, run_micro
from model.data.observed import observed
from model.outputs.labels import DEFAULT_LANG, fit, variable_label, word
from model.params import default_parameters
from model.scenario import Scenario

# Stylized-fact bands.
FIRM_TAIL_BAND = (0.8, 1.4)  # Zipf-like firm sizes: Axtell (2001) 1.06; national studies 0.8-1.4
SUBBOTIN_B_MAX = 1.3  # Laplace-like (tent) growth rates: Bottazzi and Secchi (2003, 2006) b ~ 1
INCOME_TAIL_BAND = (1.5, 3.0)  # top incomes: Pareto 1.5-3 (Atkinson, Piketty and Saez 2011; China ~2)
INCOME_BODY_KS_MAX = 0.05  # lognormal body: largest CDF gap over the 5th-90th percentiles
GINI_BAND = (0.28, 0.45)  # see docs/ODD.md: below China's 0.466 (NBS 2021), above urban-survey lows
OKUN_MAX = 0.0  # correlation of output growth with the change in unemployment must be negative
TOP_SHARE = 0.05


@dataclass
class Report:
    folder: Path
    checks: list[dict]
    targets: list[dict] | None = None  # the target table (targets.csv) of the validated run


def _band_check(name, value, low, high, zh: str | None = None) -> dict:
    """One row of validation.csv; ``check_zh`` is its name in Chinese for figures and the console
    (`--lang zh`), the CSV keeps the English name as the check's identifier."""
    ok = bool(np.isfinite(value) and (low is None or value >= low) and (high is None or value <= high))
    return {"check": name, "check_zh": zh or name, "value": float(value), "low": low, "high": high, "pass": ok}


def _both(key: str, **fields) -> tuple[str, str]:
    """A check's name from the template ``key`` of model/data/labels.toml, in English and Chinese;
    ``fields`` holds ``name`` as (English, Chinese) when the name differs by language."""
    name = fields.pop("name", None)
    en, zh = (name, name) if isinstance(name, str) or name is None else name
    return word(key, "en").format(name=en, **fields), word(key, "zh").format(name=zh, **fields)


def _names(name: str) -> tuple[str, str]:
    """A variable's id (the English check name) and its Chinese label."""
    return name, variable_label(name, "zh")


def check_text(check: dict, lang: str = DEFAULT_LANG) -> str:
    return check["check_zh"] if lang == "zh" else check["check"]


def _mean(annual: xr.Dataset, name: str, year: int) -> float:
    da = annual[name].sel(year=year)
    return float(da.mean()) if "seed" in da.dims else float(da)


def _reporting_cluster_counts(annual: xr.Dataset, year: int, low: float, high: float) -> float:
    """Article clusters at 1000 yi / 100-1000 yi: the two reporting pillars plus the six strategic
    industries count as the article's clusters, on their above-scale output (mean over seeds)."""
    from model.clusters import cluster_table

    t = cluster_table()
    out = annual["cluster_output_above_scale"].sel(year=year)
    ei = (
        out * xr.DataArray(t.reporting["electronic_information"], dims="cluster", coords={"cluster": out["cluster"]})
    ).sum("cluster")
    eq = (
        out * xr.DataArray(t.reporting["high_end_equipment"], dims="cluster", coords={"cluster": out["cluster"]})
    ).sum("cluster")
    strategic = out.sel(cluster=list(t.strategic))
    count = ((ei >= low) & (ei < high)).astype(float) + ((eq >= low) & (eq < high)).astype(float)
    count = count + ((strategic >= low) & (strategic < high)).sum("cluster")
    return float(count.mean()) if "seed" in count.dims else float(count)


# (check name, variable, year, observed, low, high): the overlap of data window and run.
def observed_checks(annual: xr.Dataset) -> list[dict]:
    rows = []

    def rel(name, var, year, obs, tol, indicator=None):
        en, zh = _both("check_obs", name=_names(name), year=year, obs=obs)
        rows.append(_band_check(en, _mean(annual, var, year), obs * (1 - tol), obs * (1 + tol), zh))

    def absolute(name, var, year, obs, tol):
        en, zh = _both("check_obs", name=_names(name), year=year, obs=obs)
        rows.append(_band_check(en, _mean(annual, var, year), obs - tol, obs + tol, zh))

    def at_least(name, value, year, bound):
        en, zh = _both("check_obs_at_least", name=_names(name), year=year, bound=bound)
        rows.append(_band_check(en, value, bound, None, zh))

    # 2021: the initial state
    rel("gdp", "gdp", 2021, observed("gdp", 2021), 0.01)
    rel(
        "disposable_income_per_capita",
        "disposable_income_per_capita",
        2021,
        observed("disposable_income_per_capita", 2021),
        0.02,
    )
    absolute(
        "urban_rural_income_ratio", "urban_rural_income_ratio", 2021, observed("urban_rural_income_ratio", 2021), 0.05
    )
    rel("registered_population", "registered_population", 2021, observed("registered_population", 2021), 0.05)
    rel("trade_total", "trade_total", 2021, observed("trade_total", 2021), 0.05)
    rel("public_budget_revenue", "public_budget_revenue", 2021, observed("public_budget_revenue", 2021), 0.05)
    at_least(
        "above_scale_industrial_output",
        _mean(annual, "above_scale_industrial_output", 2021),
        2021,
        observed("above_scale_industrial_output_lower_bound", 2021),
    )
    # 2022: the first simulated year
    rel("gdp", "gdp", 2022, observed("gdp", 2022), 0.02)
    absolute("gdp_real_growth", "gdp_real_growth", 2022, observed("gdp_real_growth", 2022), 0.01)
    rel(
        "electronic_information_output",
        "electronic_information_output",
        2022,
        observed("electronic_information_output", 2022),
        0.03,
    )
    rel(
        "high_end_equipment_output",
        "high_end_equipment_output",
        2022,
        observed("equipment_manufacturing_output", 2022),
        0.05,
    )
    for name, obs_name in (
        ("electronic_information_output", "electronic_information_output_growth"),
        ("high_end_equipment_output", "equipment_manufacturing_output_growth"),
    ):
        growth = _mean(annual, name, 2022) / _mean(annual, name, 2021) - 1.0
        obs = observed(obs_name, 2022)
        names = (f"{name}_growth", variable_label(name, "zh") + word("growth", "zh"))
        en, zh = _both("check_obs", name=names, year=2022, obs=obs)
        rows.append(_band_check(en, growth, obs - 0.03, obs + 0.03, zh))
    absolute(
        "firms_revenue_ge_1000_yi", "firms_revenue_ge_1000_yi", 2022, observed("firms_revenue_ge_1000_yi", 2022), 1
    )
    absolute(
        "firms_revenue_100_to_1000_yi",
        "firms_revenue_100_to_1000_yi",
        2022,
        observed("firms_revenue_100_to_1000_yi", 2022),
        3,
    )
    at_least(
        "strategic_emerging_output",
        _mean(annual, "strategic_emerging_output", 2022),
        2022,
        observed("strategic_emerging_output_lower_bound", 2022),
    )
    at_least(
        "above_scale_industrial_output",
        _mean(annual, "above_scale_industrial_output", 2022),
        2022,
        observed("above_scale_industrial_output_lower_bound", 2022),
    )
    share = _mean(annual, "strategic_emerging_output", 2022) / _mean(annual, "above_scale_industrial_output", 2022)
    obs = observed("strategic_emerging_share_of_above_scale_output", 2022)
    key = "strategic_emerging_share_of_above_scale_output"
    en, zh = _both("check_obs", name=(key, word(key, "zh")), year=2022, obs=obs)
    rows.append(_band_check(en, share, obs - 0.05, obs + 0.05, zh))
    absolute(
        "rd_spending_share_of_gdp", "rd_spending_share_of_gdp", 2022, observed("rd_spending_share_of_gdp", 2022), 0.005
    )
    for key, obs, low, high, band in (
        ("industry_clusters_ge_1000_yi", 2, 1000.0, np.inf, (1.5, 2.5)),
        ("industry_clusters_100_to_1000_yi", 6, 100.0, 1000.0, (4.5, 7.5)),
    ):
        en, zh = _both("check_obs", name=(key, word(key, "zh")), year=2022, obs=obs)
        rows.append(_band_check(en, _reporting_cluster_counts(annual, 2022, low, high), *band, zh))
    return rows


# --- micro runs for the stylized facts


def micro_facts(scenario: Scenario, seed: int, scale: float) -> dict:
    """Firm and household micro statistics of one run (picklable, for a process pool)."""
    params = default_parameters().with_overrides(scenario.parameters)
    model, annual = run_micro(scenario, seed, scale, params)
    sn = model.snapshots
    years = sn.years
    final = sn.year(years[-1])
    alive = final["alive"]
    growth, growth_w = [], []
    for y in years[2:]:  # from the second simulated year: 2022 revenue is the lockdown year's
        g, w = sn.growth(y)
        growth.append(g - np.average(g, weights=w))  # remove the year's common growth
        growth_w.append(w)
    hs = model.state.households
    n = hs.n
    ok = hs.alive[:n] & (hs.size[:n] > 0) & (hs.income_last_year[:n] > 0)
    per_capita = hs.income_last_year[:n][ok] / hs.size[:n][ok]
    persons = hs.size[:n][ok]
    return {
        "seed": seed,
        "hill_by_year": {
            y: stylized.hill_exponent(
                sn.year(y)["revenue"][sn.year(y)["alive"]], sn.year(y)["weight"][sn.year(y)["alive"]], TOP_SHARE
            )
            for y in years
        },
        "revenue": final["revenue"][alive],
        "weight": final["weight"][alive],
        "growth": np.concatenate(growth) if growth else np.zeros(0),
        "growth_weight": np.concatenate(growth_w) if growth_w else np.zeros(0),
        "income": per_capita,
        "persons": persons,
    }


def _micro_runs(scenario: Scenario, seeds: int, scale: float, workers: int) -> list[dict]:
    if workers <= 1 or seeds == 1:
        return [micro_facts(scenario, s, scale) for s in range(seeds)]
    with ProcessPoolExecutor(min(workers, seeds), mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(micro_facts, [scenario] * seeds, range(seeds), [scale] * seeds))


OKUN_FIRST_YEAR = 2023


def okun_panel(annual: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Real growth and the change of the year-end unemployment rate, within seeds (each seed's mean
    removed: Okun's law is a time-series relation, and seeds differ in level), from 2023.

    2022 is left out: its change of unemployment starts from the assumed 3% of end-2021
    (UNEMPLOYMENT_2021), not from the model's own rate, and the first year's matching absorbs that
    gap whatever output does, which says nothing about Okun's law."""
    years = [y for y in annual["year"].values if y >= OKUN_FIRST_YEAR]
    g = annual["gdp_real_growth"].sel(year=years).transpose("seed", "year").values
    du = annual["unemployment_rate"].diff("year").sel(year=years).transpose("seed", "year").values
    if g.shape[1] > 1:
        g, du = g - g.mean(axis=1, keepdims=True), du - du.mean(axis=1, keepdims=True)
    return g.ravel(), du.ravel()


def stylized_checks(micro: list[dict], annual: xr.Dataset) -> tuple[list[dict], dict]:
    """The stylized-fact rows, and the fitted statistics the figures draw."""
    hill = float(np.mean([m["hill_by_year"][max(m["hill_by_year"])] for m in micro]))
    growth = np.concatenate([m["growth"] for m in micro])
    growth_w = np.concatenate([m["growth_weight"] for m in micro])
    sub = stylized.subbotin_fit(growth, growth_w)
    body = [stylized.lognormal_body(m["income"], m["persons"]) for m in micro]
    income_tail = float(np.mean([stylized.hill_exponent(m["income"], m["persons"], TOP_SHARE) for m in micro]))
    final = int(annual["year"].values[-1])
    gini_values = annual["income_gini"].sel(year=final)
    g = float(gini_values.mean())
    growth_macro, du = okun_panel(annual)
    okun = stylized.okun_correlation(growth_macro, du)
    body_gap = float(np.mean([b["ks_body"] for b in body]))
    rows = [
        _band_check(en, value, low, high, zh)
        for (en, zh), value, (low, high) in (
            (_both("check_firm_tail", top=TOP_SHARE, year=final), hill, FIRM_TAIL_BAND),
            (_both("check_subbotin"), sub["b"], (None, SUBBOTIN_B_MAX)),
            (_both("check_income_body", year=final), body_gap, (None, INCOME_BODY_KS_MAX)),
            (_both("check_income_tail", top=TOP_SHARE, year=final), income_tail, INCOME_TAIL_BAND),
            (_both("check_gini", year=final), g, GINI_BAND),
            (_both("check_okun"), okun, (None, OKUN_MAX)),
        )
    ]
    fits = {
        "subbotin": sub,
        "lognormal": body[0],
        "hill_firms": hill,
        "hill_income": income_tail,
        "okun": okun,
        "okun_slope": stylized.okun_slope(growth_macro, du),
        "okun_growth": growth_macro,
        "okun_du": du,
    }
    return rows, fits


OBSERVED_YEARS = (2021, 2022)  # the data window observed_checks compares with


def validate(
    run: Path | None = None,
    out: Path | None = None,
    seeds: int = 10,
    scale: float = 0.02,
    micro_seeds: int = 4,
    workers: int = 2,
    scenario: Scenario | None = None,
    targets=None,
    yes: bool = False,
    lang: str = DEFAULT_LANG,
) -> Report:
    """Check a run (or a fresh run of the calibrated baseline) and write the validation folder
    atomically: after an interrupt or a full disk there is no partial folder, and an earlier
    validation under the same name is kept whole. The folder also holds `targets.csv`, the run
    judged by ``targets`` (a user's set, ``--targets``), else by the set the run recorded. Its runs'
    memory and time are estimated first (check_cost): beyond the machine's memory it refuses, beyond
    an hour it needs ``yes``. The figures are in ``lang`` (en or zh)."""
    from model import outputs
    from model.calibration import figures
    from model.config import scenario_from_text
    from model.runner import run_scenario
    from model.writable import check_output_path

    if run is not None:
        annual = outputs.open_run(run)
        _check_coverage(Path(run) / "annual.nc", annual)
        text = annual.attrs.get("scenario")
        scenario = scenario_from_text(text) if text else calibrated_baseline()
        scale = float(scenario.scale)
        folder = outputs.check_destination(
            check_output_path(Path(out) if out else Path(run) / "validation"), inputs=[run]
        )
        check_cost(scenario, scale, 0, micro_seeds, workers, yes)
    else:
        folder = outputs.check_destination(check_output_path(Path(out) if out else Path("results") / "validation"))
        scenario = scenario or calibrated_baseline()  # or the baseline of `--calibration FILE`
        check_cost(scenario, scale, seeds, micro_seeds, workers, yes)
        annual, _ = run_scenario(scenario, seeds=seeds, scale=scale, workers=workers, progress=False)
    if "seed" not in annual.dims:
        annual = annual.expand_dims(seed=[0])
    micro = _micro_runs(scenario, micro_seeds, scale, workers)
    checks = observed_checks(annual)
    facts, fits = stylized_checks(micro, annual)
    checks += facts
    from model.targets import recorded_targets, scenario_targets

    judged = (
        targets if targets is not None else recorded_targets(annual) if run is not None else scenario_targets(scenario)
    )
    target_table = outputs.target_rows(annual, judged)
    with outputs.atomic_folder(folder, kind="validation") as tmp:
        write_csv(tmp / "validation.csv", checks)
        outputs.write_csv(tmp / "targets.csv", outputs.TARGET_COLUMNS, target_table)
        figures.write_all(tmp, annual, micro, fits, checks, lang)
    return Report(folder, checks, target_table)


def check_cost(scenario: Scenario, scale: float, seeds: int, micro_seeds: int, workers: int, yes: bool) -> None:
    """Memory and time of validate's own runs, before the first: ``seeds`` runs of the scenario
    (none when a results folder is given) and ``micro_seeds`` firm- and household-level runs, each
    set spread over ``workers`` processes (model.runner's measured figures)."""
    from model import runner

    months = scenario.n_months
    processes = max(1, min(workers, max(seeds, micro_seeds)))
    runner.check_memory_of(scale, processes, seeds, months)
    seconds = (
        (runner.time_estimate(scale, months, seeds, min(processes, max(seeds, 1))) if seeds else 0.0)
        + runner.time_estimate(scale, months, micro_seeds, min(processes, micro_seeds))
        + runner.WRITE_SECONDS
    )
    runner.check_time(
        seconds,
        f"validation: {seeds:,} run(s) and {micro_seeds:,} firm- and household-level run(s) "
        f"at scale {scale:g}, {scenario.start} to {scenario.horizon}, on {processes} process(es)",
        yes,
    )


def _check_coverage(path: Path, annual: xr.Dataset) -> None:
    """Refuse, before any simulation, a run that does not start from the end-2021 state or stops
    before December 2022: its years would be compared with figures of other years."""
    from model.config import ConfigError

    years = [int(y) for y in annual["year"].values]
    if years[: len(OBSERVED_YEARS)] != list(OBSERVED_YEARS):
        raise ConfigError(
            path,
            "year",
            "a run from the end-2021 initial state (origin 2021: the default, or kunshan run --origin 2021) "
            "through December 2022 at least (validation compares 2021 and 2022 with observed figures)",
            f"years {years[0]}-{years[-1]}" if years else "no years",
        )


CSV_COLUMNS = ("check", "value", "low", "high", "pass")


def write_csv(path: Path, checks: list[dict]) -> None:
    """validation.csv, through the writer of every results CSV (UTF-8 with a byte-order mark, for
    Excel on Chinese Windows); the numbers keep six significant digits."""
    from model.outputs import write_csv as write_rows

    fmt = lambda v: "" if v is None else f"{v:.6g}"
    rows = [
        {
            "check": c["check"],
            "value": fmt(c["value"]),
            "low": fmt(c["low"]),
            "high": fmt(c["high"]),
            "pass": str(c["pass"]).lower(),
        }
        for c in checks
    ]
    write_rows(path, CSV_COLUMNS, rows)


def check_lines(checks: list[dict], lang: str = DEFAULT_LANG) -> list[str]:
    """The checks for a terminal, in ``lang``; columns by display width (a Chinese character takes two)."""
    fmt = lambda v: "" if v is None else f"{v:.4g}"
    w = lambda key: word(key, lang)
    lines = [
        f"{fit(w('check'), 78)} {fit(w('value'), 10, '>')} {fit(w('low'), 10, '>')} {fit(w('high'), 10, '>')}  {w('pass')}"
    ]
    lines += [
        f"{fit(check_text(c, lang), 78)} {c['value']:10.4g} {fmt(c['low']):>10s} {fmt(c['high']):>10s}  "
        f"{w('yes') if c['pass'] else w('NO')}"
        for c in checks
    ]
    return lines
