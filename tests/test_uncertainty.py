"""The predictive distribution (model.uncertainty): each run draws its parameters and exogenous path
from its seed alone; the calibration's covariance; the variance split of uncertainty.csv."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from model.calibration.covariance import parameter_covariance, uncertainty_table
from model.calibration.moments import Moment
from model.config import ConfigError, scenario_from_text, to_toml, with_overrides
from model.params import SPECS, default_parameters
from model.run import simulate
from model.scenario import Policy, Scenario
from model.uncertainty import (
    check_parameter_uncertainty,
    drawn_parameters,
    exchange_rate_factors,
    installed_parameter_uncertainty,
    parameter_deviations,
    shapley_shares,
)

SMALL = Scenario(horizon="2022-12", scale=0.005)
TABLE = {
    "names": ["export_demand_growth", "trend_productivity_growth"],
    "covariance": [[0.0004, 0.0001], [0.0001, 0.0009]],
    "method": "test",
}


def test_the_installed_calibration_has_a_covariance_of_its_parameters():
    table = installed_parameter_uncertainty()
    assert table is not None and table["names"]
    matrix = np.array(table["covariance"])
    assert np.allclose(matrix, matrix.T) and np.linalg.eigvalsh(matrix).min() >= 0
    assert all(name in SPECS for name in table["names"])


def test_draws_have_the_covariance_and_depend_only_on_the_seed():
    root = 20221122
    draws = np.array(
        [
            [parameter_deviations(TABLE, np.random.SeedSequence(root, spawn_key=(k,)))[n] for n in TABLE["names"]]
            for k in range(4000)
        ]
    )
    np.testing.assert_allclose(np.cov(draws.T), TABLE["covariance"], rtol=0.08, atol=2e-5)
    again = parameter_deviations(TABLE, np.random.SeedSequence(root, spawn_key=(7,)))
    assert again == parameter_deviations(TABLE, np.random.SeedSequence(root, spawn_key=(7,)))


def test_drawn_parameters_stay_in_their_ranges():
    wide = {"names": ["export_demand_volatility"], "covariance": [[1.0]], "method": "test"}
    spec = SPECS["export_demand_volatility"]
    for k in range(50):
        value = drawn_parameters(default_parameters(), wide, np.random.SeedSequence(1, spawn_key=(k,))).values[
            "export_demand_volatility"
        ]
        assert spec.low <= value <= spec.high


def test_the_exchange_rate_draw_keeps_the_scenario_path_as_its_mean():
    factors = np.array(
        [exchange_rate_factors(0.045, 4, np.random.SeedSequence(3, spawn_key=(k,))) for k in range(20000)]
    )
    np.testing.assert_allclose(factors.mean(axis=0), 1.0, atol=0.004)
    # the log spread grows like a random walk's: sd of year y is 0.045 sqrt(y + 1)
    np.testing.assert_allclose(np.log(factors).std(axis=0), 0.045 * np.sqrt(np.arange(1, 5)), rtol=0.05)
    # a longer horizon does not change the earlier years
    seed = np.random.SeedSequence(3, spawn_key=(1,))
    np.testing.assert_array_equal(exchange_rate_factors(0.045, 4, seed), exchange_rate_factors(0.045, 9, seed)[:4])


def test_scenarios_on_the_same_seed_meet_the_same_draws():
    lever = dataclasses.replace(SMALL, name="lever", policies=(Policy("public_investment", None, None, None, 0.5),))
    a, b = simulate(SMALL, seed=3).annual, simulate(lever, seed=3).annual
    np.testing.assert_array_equal(a["parameter_draw"].values, b["parameter_draw"].values)
    np.testing.assert_array_equal(a["exchange_rate"].values, b["exchange_rate"].values)
    for name in ("outside_demand_deviation", "producer_inflation_deviation"):
        np.testing.assert_array_equal(a[name].values, b[name].values)
        assert np.abs(a[name].values).max() > 0
    other = simulate(SMALL, seed=4).annual
    assert not np.array_equal(a["outside_demand_deviation"].values, other["outside_demand_deviation"].values)
    assert not np.array_equal(a["parameter_draw"].values, other["parameter_draw"].values)
    assert np.abs(a["parameter_draw"].values).max() > 0


def test_a_seed_only_run_keeps_the_calibrated_parameters_and_the_exchange_rate_path():
    seeds_only = with_overrides(SMALL, uncertainty="seeds")
    full, fixed = simulate(SMALL, seed=3).annual, simulate(seeds_only, seed=3).annual
    assert np.all(fixed["parameter_draw"].values == 0.0)
    assert np.all(fixed["outside_demand_deviation"].values == 0.0)
    assert np.all(fixed["producer_inflation_deviation"].values == 0.0)
    assert fixed["exchange_rate"].sel(year=2022).item() == pytest.approx(6.73)
    assert full["exchange_rate"].sel(year=2022).item() != pytest.approx(6.73)
    assert full["gdp"].sel(year=2022).item() != fixed["gdp"].sel(year=2022).item()


def test_a_scenario_carries_its_covariance_and_mode_through_its_text():
    scenario = dataclasses.replace(SMALL, uncertainty="seeds", parameter_uncertainty=TABLE)
    back = scenario_from_text(to_toml(scenario))
    assert back.uncertainty == "seeds"
    assert back.parameter_uncertainty["names"] == TABLE["names"]
    np.testing.assert_array_equal(back.parameter_uncertainty["covariance"], TABLE["covariance"])


@pytest.mark.parametrize(
    "table",
    [
        {"names": ["no_such_parameter"], "covariance": [[1.0]]},
        {"names": ["export_demand_growth", "trend_productivity_growth"], "covariance": [[1.0, 0.5], [0.4, 1.0]]},
        {"names": ["export_demand_growth", "trend_productivity_growth"], "covariance": [[1.0, 2.0], [2.0, 1.0]]},
        {"names": ["export_demand_growth"], "covariance": [[float("nan")]]},
        {"names": ["export_demand_growth"], "covariance": [[1.0]], "extra": 1},
    ],
)
def test_a_bad_covariance_is_refused_in_one_line(table):
    assert check_parameter_uncertainty(table)[0] is None
    text = to_toml(SMALL).replace("[parameters]", "") + "\n[parameter_uncertainty]\n"
    text += "\n".join(f"{k} = {v!r}".replace("'", '"').replace("nan", "nan") for k, v in table.items())
    with pytest.raises(ConfigError, match="parameter_uncertainty"):
        scenario_from_text(text, "bad.toml")


def test_the_covariance_is_the_inverse_information_with_the_range_as_a_weak_prior():
    moments = (Moment("a", 1.0, 0.1, "test", "a"), Moment("b", 2.0, 0.2, "test", "b"))
    names = ["export_demand_growth", "trend_productivity_growth"]
    ranges = {n: (SPECS[n].low, SPECS[n].high) for n in names}
    # the first parameter moves both moments, the second neither: it keeps its range's spread
    jac = np.array([[2.0, 0.0], [1.0, 0.0]])
    cov = parameter_covariance(jac, moments, names, ranges, seeds=4)
    information = 2.0**2 / 0.1**2 + 1.0 / 0.2**2 + 12.0 / (ranges[names[0]][1] - ranges[names[0]][0]) ** 2
    assert cov[0, 0] == pytest.approx(1.25 / information)
    assert cov[1, 1] == pytest.approx(1.25 * (ranges[names[1]][1] - ranges[names[1]][0]) ** 2 / 12.0)
    assert cov[0, 1] == pytest.approx(0.0)
    table = uncertainty_table(
        np.diag([1.0, 2.0, 3.0]), ["export_demand_growth", "lockdown_size", "trend_productivity_growth"]
    )
    assert table["names"] == ["export_demand_growth", "trend_productivity_growth"]
    assert table["covariance"] == [[1.0, 0.0], [0.0, 3.0]]


def test_the_variance_split_recovers_known_shares():
    rng = np.random.default_rng(0)
    n = 4000
    p, e, noise = rng.standard_normal((n, 2)), rng.standard_normal((n, 1)), rng.standard_normal(n)
    y = 2.0 * p[:, 0] + 1.0 * p[:, 1] + 2.0 * e[:, 0] + 1.0 * noise  # variances 5, 4, 1 of 10
    shares, note = shapley_shares(y, {"parameters": p, "exogenous": e})
    assert note == ""
    assert shares["parameters"] == pytest.approx(0.5, abs=0.03)
    assert shares["exogenous"] == pytest.approx(0.4, abs=0.03)
    assert shares["rest"] == pytest.approx(0.1, abs=0.02)
    assert sum(shares.values()) == pytest.approx(1.0)
    too_few, why = shapley_shares(y[:8], {"parameters": p[:8], "exogenous": e[:8]})
    assert too_few == {} and "needs at least 9 runs" in why


@pytest.mark.slow
def test_a_run_writes_where_each_targets_spread_comes_from(tmp_path):
    import csv

    from model import outputs
    from model.runner import run_scenario

    scenario = with_overrides(Scenario(horizon="2022-12", scale=0.005), seeds=16)
    annual, monthly = run_scenario(scenario, workers=1)
    outputs.write_results(tmp_path / "r", scenario, annual, monthly)
    rows = list(csv.DictReader((tmp_path / "r" / "uncertainty.csv").open(encoding="utf-8-sig")))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) >= {"gdp", "trade_total"}
    for r in (r for r in rows if not r["note"]):
        shares = [float(r[c]) for c in ("share_seed", "share_parameters", "share_exogenous")]
        assert sum(shares) == pytest.approx(1.0) and min(shares) >= 0.0
    # the exchange rate is what moves trade in dollars: its exogenous share is the largest
    trade = by_id["trade_total"]
    assert trade["note"] == ""
    assert float(trade["share_exogenous"]) > 0.5
