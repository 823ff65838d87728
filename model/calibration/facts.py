"""Validation against stylized facts: the Pareto tail of firm sizes, the tent shape of firm growth
rates, the lognormal body and Pareto top of household income, the income Gini and Okun's law, from
firm- and household-level runs of the scenario (:class:`model.snapshots.SnapshotModel`) and the
annual results. Bands and their sources are in docs/ODD.md ("Validation").

Separate from the observed figures (model.calibration.observed_checks) because these need runs of
their own, spread over processes, and fit distributions (model.calibration.stylized) to them.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import xarray as xr

from model.calibration import stylized
from model.calibration.checks import band_check, both_languages
from model.calibration.moments import run_micro
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


def micro_runs(scenario: Scenario, seeds: int, scale: float, workers: int) -> list[dict]:
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
        band_check(en, value, low, high, zh)
        for (en, zh), value, (low, high) in (
            (both_languages("check_firm_tail", top=TOP_SHARE, year=final), hill, FIRM_TAIL_BAND),
            (both_languages("check_subbotin"), sub["b"], (None, SUBBOTIN_B_MAX)),
            (both_languages("check_income_body", year=final), body_gap, (None, INCOME_BODY_KS_MAX)),
            (both_languages("check_income_tail", top=TOP_SHARE, year=final), income_tail, INCOME_TAIL_BAND),
            (both_languages("check_gini", year=final), g, GINI_BAND),
            (both_languages("check_okun"), okun, (None, OKUN_MAX)),
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
