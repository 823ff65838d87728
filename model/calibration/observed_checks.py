"""Validation against observed figures: the run's years that overlap the data window (2021, the
initial state, reproduced by construction; 2022, the first simulated year, the real test), each the
mean over seeds against a band around the observation.

Separate from the stylized facts (model.calibration.facts) because these read only the annual
results and the observed data, with no run of their own.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from model.calibration.checks import band_check, both_languages, variable_names
from model.data.observed import observed
from model.outputs.labels import variable_label, word


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
        en, zh = both_languages("check_obs", name=variable_names(name), year=year, obs=obs)
        rows.append(band_check(en, _mean(annual, var, year), obs * (1 - tol), obs * (1 + tol), zh))

    def absolute(name, var, year, obs, tol):
        en, zh = both_languages("check_obs", name=variable_names(name), year=year, obs=obs)
        rows.append(band_check(en, _mean(annual, var, year), obs - tol, obs + tol, zh))

    def at_least(name, value, year, bound, sampling=0.0):
        en, zh = both_languages("check_obs_at_least", name=variable_names(name), year=year, bound=bound)
        rows.append(band_check(en, value, bound * (1.0 - sampling), None, zh))

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
    # the state is built at this floor exactly (A1); the firm register that carries it reproduces it
    # to within its sampling at small scales (a row stands for 50 firms at 0.02), as GDP's 1% above
    at_least(
        "above_scale_industrial_output",
        _mean(annual, "above_scale_industrial_output", 2021),
        2021,
        observed("above_scale_industrial_output_lower_bound", 2021),
        sampling=0.01,
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
        en, zh = both_languages("check_obs", name=names, year=2022, obs=obs)
        rows.append(band_check(en, growth, obs - 0.03, obs + 0.03, zh))
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
    en, zh = both_languages("check_obs", name=(key, word(key, "zh")), year=2022, obs=obs)
    rows.append(band_check(en, share, obs - 0.05, obs + 0.05, zh))
    absolute(
        "rd_spending_share_of_gdp", "rd_spending_share_of_gdp", 2022, observed("rd_spending_share_of_gdp", 2022), 0.005
    )
    for key, obs, low, high, band in (
        ("industry_clusters_ge_1000_yi", 2, 1000.0, np.inf, (1.5, 2.5)),
        ("industry_clusters_100_to_1000_yi", 6, 100.0, 1000.0, (4.5, 7.5)),
    ):
        en, zh = both_languages("check_obs", name=(key, word(key, "zh")), year=2022, obs=obs)
        rows.append(band_check(en, _reporting_cluster_counts(annual, 2022, low, high), *band, zh))
    return rows


OBSERVED_YEARS = (2021, 2022)  # the data window observed_checks compares with
