"""Calibration: the estimators recover known truths, the fit is reproducible, the file is complete."""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import numpy as np
import pytest

from model.calibration import moments, msm, stylized
from model.calibration.calibrated import read_calibration, write_calibration
from model.config import ConfigError
from model.scenario import Scenario, Shock

# --- stylized-fact estimators on samples with a known answer


def test_hill_recovers_pareto_exponent():
    rng = np.random.default_rng(1)
    x = (1.0 - rng.random(200_000)) ** (-1.0 / 1.06)
    assert stylized.hill_exponent(x, top=0.05) == pytest.approx(1.06, abs=0.04)


def test_weighted_hill_equals_expanded_sample():
    rng = np.random.default_rng(2)
    x = np.round((1.0 - rng.random(3000)) ** (-1.0 / 1.5), 6)
    w = rng.integers(1, 5, len(x)).astype(float)
    expanded = np.repeat(x, w.astype(int))
    # a top share that cuts between distinct values: the straddling row counts in part
    assert stylized.hill_exponent(x, w, 0.1) == pytest.approx(stylized.hill_exponent(expanded, None, 0.1), rel=0.02)


def test_subbotin_shape_separates_laplace_from_normal():
    rng = np.random.default_rng(3)
    assert stylized.subbotin_fit(rng.laplace(0.0, 0.1, 20_000))["b"] == pytest.approx(1.0, abs=0.08)
    assert stylized.subbotin_fit(rng.normal(0.0, 0.1, 20_000))["b"] == pytest.approx(2.0, abs=0.15)


def test_lognormal_body_fits_lognormal_not_pareto():
    rng = np.random.default_rng(4)
    assert stylized.lognormal_body(rng.lognormal(11.0, 0.6, 50_000))["ks_body"] < 0.01
    assert stylized.lognormal_body((1.0 - rng.random(50_000)) ** (-1 / 1.2))["ks_body"] > 0.05


def test_okun_sign():
    g = np.linspace(-0.05, 0.1, 30)
    assert stylized.okun_correlation(g, -0.3 * g + 0.001 * np.sin(np.arange(30))) < -0.9
    assert stylized.okun_slope(g, -0.3 * g) == pytest.approx(-0.3)


# --- moments and scenario quantities


def test_observed_moments_from_the_data():
    m = {x.name: x for x in moments.observed_moments()}
    assert m["gdp_2021"].observed == 4748.06 and m["gdp_2022"].observed == 5006.7
    assert m["gdp_real_growth_2021"].observed == 0.078 and m["gdp_real_growth_2022"].observed == 0.018
    assert m["trade_total_2021"].observed == 1066
    assert m["gdp_real_growth_mean"].observed == pytest.approx(np.mean([0.075, 0.061, 0.040, 0.078, 0.018]))
    assert m["above_scale_growth_sd"].observed == pytest.approx(np.std([0.009, 0.087, 0.048, 0.029, 0.070], ddof=1))
    # the 2016-2020 mean of above-scale growth is no moment: the fit's years are 2021-2022
    assert "above_scale_growth_mean" not in m
    assert m["income_growth_2021"].observed == pytest.approx(67871 / 62238 - 1)
    assert m["urban_rural_income_ratio_2021"].observed == 1.87
    assert all(x.weight == pytest.approx(1 / x.tolerance**2) for x in m.values())


def test_a_published_floor_counts_only_a_shortfall():
    """'Above 1 trillion yuan' (2021) is a floor, not a level: a simulated 2021 above it is no miss, and
    below it the miss grows like any other moment's."""
    floor = {x.name: x for x in moments.observed_moments()}["above_scale_industrial_output_2021"]
    assert (floor.observed, floor.bound) == (10000, "lower")
    assert floor.gap(10400.0) == 0.0 and not floor.binds(10400.0)
    assert floor.gap(9800.0) == pytest.approx(-200.0) and floor.binds(9800.0)
    level = {x.name: x for x in moments.observed_moments()}["gdp_2021"]
    assert level.gap(level.observed + 10.0) == pytest.approx(10.0) and level.binds(level.observed + 10.0)


def test_the_fit_simulates_history_only():
    """Issue 15: no simulated year after the last observed one enters the fit. Its runs start from
    the earliest origin the data allow and stop at the end of the last year with observed GDP."""
    history = moments.history_scenario()
    assert (moments.HISTORY_ORIGIN, moments.LAST_OBSERVED_YEAR) == (2020, 2022)
    assert (history.start, history.horizon) == ("2021-01", "2022-12") and history.origin == 2020
    assert moments.FIT_YEARS == (2021, 2022)
    years = range(moments.HISTORY_ORIGIN, moments.LAST_OBSERVED_YEAR + 1)
    fake = [
        {
            "years": list(years),
            **{k: [1.0 + 0.1 * i for i, _ in enumerate(years)] for k in moments.MOMENT_SERIES},
            "hill_final": 1.0,
        }
    ]
    sim = moments.simulated_moments(fake)
    assert set(sim) == {m.name for m in moments.observed_moments()}
    assert all(np.isfinite(v) for k, v in sim.items() if not k.endswith("_sd"))  # one run: no spread
    assert sim["gdp_2021"] == 1.1 and sim["income_growth_2021"] == pytest.approx(1.1 / 1.0 - 1)


def test_price_level_shock_moves_kunshan_and_its_competitors_together(small_model_factory):
    """The calibrated 2022 price level is a `price_level` shock: Kunshan's prices and its
    competitors' rise together, so external demand in real terms is unchanged."""
    from model.actions.common import effective_price, effective_world_price

    scenario = moments.apply_scenario_values(Scenario(horizon="2022-03"), {"price_level_2022": 0.037})
    shock = next(s for s in scenario.shocks if s.kind == "price_level")
    assert (shock.cluster, shock.start, shock.end, shock.size) == ("all", "2022-01", None, 0.037)
    model = small_model_factory(scenario=scenario)
    policy = model.schedule.at(0)
    ratio = effective_price(model.state, policy) / effective_world_price(model.state, policy)
    np.testing.assert_allclose(ratio, model.state.economy.price / model.state.economy.world_price)
    np.testing.assert_allclose(effective_price(model.state, policy), model.state.economy.price * 1.037)


def test_history_quantities_apply_to_a_run_that_simulates_2021_only():
    values = {"lockdown_size": 0.2, "price_level_2022": 0.02, "price_level_2021": 0.03, "world_demand_2021": 0.1}
    history = moments.apply_scenario_values(moments.history_scenario(), values)
    by = {(s.kind, s.start): s for s in history.shocks}
    assert by[("price_level", "2021-01")].size == 0.03 and by[("export_demand", "2021-01")].size == 0.1
    assert by[("export_demand", "2021-01")].market == "world"
    # the 2022 level is (1 + 0.03)(1 + 0.02) times 2020's: 0.02 is 2022 over 2021, as in the baseline
    assert 1 + 0.03 + by[("price_level", "2022-01")].size == pytest.approx(1.03 * 1.02)
    assert moments.scenario_values_of(history) == pytest.approx(values)
    baseline = moments.apply_scenario_values(moments.base_scenario(), values)
    assert not [s for s in baseline.shocks if s.start == "2021-01"]
    assert next(s for s in baseline.shocks if s.kind == "price_level").size == 0.02


def test_scenario_values_round_trip_and_replace():
    base = Scenario(shocks=(Shock("lockdown", start="2022-04", end="2022-05", size=0.25),))
    applied = moments.apply_scenario_values(base, {"lockdown_size": 0.1, "price_level_2022": 0.03})
    assert moments.scenario_values_of(applied) == {
        "lockdown_size": 0.1,
        "price_level_2022": 0.03,
        **{k: moments.SCENARIO_QUANTITIES[k].default for k in moments.HISTORY_ONLY},
    }
    again = moments.apply_scenario_values(applied, {"price_level_2022": 0.05})
    assert sum(s.kind == "price_level" for s in again.shocks) == 1  # replaced, not stacked
    assert len(again.shocks) == len(applied.shocks)


# --- the fit itself: tiny but complete, and reproducible

TINY = dict(seeds=2, scale=0.004, root_seed=7, max_evaluations=3, workers=1)


@pytest.fixture(scope="module")
def tiny_calibrations():
    return [msm.calibrate(scenario=moments.history_scenario(), **TINY) for _ in range(2)]


def test_calibration_is_reproducible_byte_for_byte_but_the_date(tiny_calibrations, tmp_path):
    a, b = tiny_calibrations
    text_a = msm.render_toml(a, "2001-01-01", "kunshan calibrate ...")
    text_b = msm.render_toml(b, "2099-12-31", "kunshan calibrate ...")
    strip = lambda t: [line for line in t.splitlines() if not line.startswith("date =")]
    assert strip(text_a) == strip(text_b)
    path = write_calibration(tmp_path / "calibrated.toml", text_a)
    data = tomllib.loads(path.read_text())
    assert data["date"] == "2001-01-01" and data["seeds"] == 2 and data["scale"] == 0.004 and data["root_seed"] == 7
    assert set(data["parameters"]) | set(data["scenario"]) == set(msm.FITTED)
    assert [r["moment"] for r in data["fit"]] == [m.name for m in moments.observed_moments()]
    by_name = {m.name: m for m in moments.observed_moments()}
    for row in data["fit"]:
        gap = by_name[row["moment"]].gap(row["simulated"])  # a floor counts only a shortfall
        assert row["contribution"] == pytest.approx(row["weight"] * gap**2)
    assert data["objective"] == pytest.approx(sum(r["contribution"] for r in data["fit"]))
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_any_date_is_written_as_valid_toml(tiny_calibrations, tmp_path):
    """`--date 'x"<newline>y'` wrote a file that broke every later run; the writer escapes it."""
    hostile = 'x"\ny\\ [parameters]\nvat_rate = 9'
    path = write_calibration(
        tmp_path / "calibrated.toml", msm.render_toml(tiny_calibrations[0], hostile, "kunshan calibrate\n[x]")
    )
    assert tomllib.loads(path.read_text())["date"] == hostile
    assert set(read_calibration(path).parameters) == set(msm.split(tiny_calibrations[0].theta)[0])


def test_a_file_that_does_not_read_back_replaces_nothing(tmp_path):
    path = tmp_path / "calibrated.toml"
    path.write_text("# earlier\n[parameters]\nvat_rate = 0.1\n", encoding="utf-8")
    for text, key in (
        ("[parameters]\nvat_rate = 9.0\n", "parameters.vat_rate"),
        ('date = "x\n', None),
        ("[parameters]\n[scenario]\nlockdwn_size = 0.1\n", "scenario.lockdwn_size"),
    ):
        with pytest.raises(ConfigError) as refused:
            write_calibration(path, text)
        assert refused.value.key == key
    assert path.read_text() == "# earlier\n[parameters]\nvat_rate = 0.1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["calibrated.toml"]


def test_calibration_stays_in_bounds_and_never_worsens(tiny_calibrations):
    c = tiny_calibrations[0]
    assert c.objective <= c.start_objective
    for name, value in c.theta.items():
        low, high = msm.bounds(name)
        assert low <= value <= high
    assert math.isfinite(c.objective)


def test_shipped_calibration_file_is_complete():
    path = resources.files("model.data").joinpath("calibrated.toml")
    if not path.is_file():
        pytest.skip("model/data/calibrated.toml not written yet (run `kunshan calibrate`)")
    data = tomllib.loads(path.read_text())
    from model.params import SPECS, default_parameters

    assert set(data["parameters"]) <= set(SPECS)
    for k, v in data["parameters"].items():
        assert SPECS[k].low <= v <= SPECS[k].high
        assert getattr(default_parameters(), k) == v  # default_parameters() reads the file
    assert set(data["scenario"]) <= set(moments.SCENARIO_QUANTITIES)
