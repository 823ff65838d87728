"""The benchmarks and scores of model.forecast against values computed by hand.

Each expected number is written out from the small series in the test, not from the functions under
test.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import t as student_t

from model.data.observed import Observation, Vintage
from model.forecast.benchmarks import Indicator, benchmark_forecasts, fit_ar1, growth_history
from model.forecast.scores import coverage, diebold_mariano, error, mae, rmse

T90 = {1: 6.313751514675, 2: 2.919985580354, 4: 2.131846786327}  # Student's t, 95th percentile, by dof

LEVEL = Indicator("x", "level", "x")
RATE = Indicator("r", "rate", "r")


def vintage(rows: dict[tuple[str, int], float], origin: int) -> Vintage:
    return Vintage.of(tuple(Observation(i, y, v, "u", "A", "test") for (i, y), v in rows.items()), origin, "test")


# Levels with log growth 0.1 a year over 2017-2019 (one two-year pair), 0.05 in 2020, 0.15 in 2021.
LEVELS = {
    ("x", 2017): 100.0,
    ("x", 2019): 100 * math.exp(0.2),
    ("x", 2020): 100 * math.exp(0.25),
    ("x", 2021): 100 * math.exp(0.40),
    ("x", 2022): 999.0,
}


def by_method(forecasts):
    out = {}
    for f in forecasts:
        out.setdefault(f.method, {})[f.horizon] = f
    return out


def test_random_walk_with_drift_on_a_level_pools_the_gap():
    f = by_method(benchmark_forecasts(vintage(LEVELS, 2021), LEVEL))["random_walk_drift"]
    mu = (2 * 0.1 + 0.05 + 0.15) / 4  # 0.1: the two-year pair counts twice
    sigma = math.sqrt((2 * 0.0 + 0.05**2 + 0.05**2) / (3 - 1))  # 0.05
    assert f[1].year == 2022 and f[1].value == pytest.approx(100 * math.exp(0.40 + mu), rel=1e-12)
    assert f[3].value == pytest.approx(100 * math.exp(0.40 + 3 * mu), rel=1e-12)
    # three segments, one mean: 2 degrees of freedom
    assert f[3].p05 == pytest.approx(100 * math.exp(0.40 + 3 * mu - T90[2] * sigma * math.sqrt(3)), rel=1e-9)
    assert f[1].p95 == pytest.approx(100 * math.exp(0.40 + mu + T90[2] * sigma), rel=1e-9)


def test_last_growth_on_a_level_without_enough_changes_has_no_band():
    f = by_method(benchmark_forecasts(vintage(LEVELS, 2021), LEVEL))["last_growth"]
    assert f[2].value == pytest.approx(100 * math.exp(0.40 + 2 * 0.15), rel=1e-12)
    assert math.isnan(f[2].p05) and math.isnan(f[2].p95)  # one change of annual growth only


def test_ar1_needs_three_pairs_of_consecutive_years():
    assert "ar1" not in by_method(benchmark_forecasts(vintage(LEVELS, 2021), LEVEL))


def test_the_level_of_the_year_after_the_origin_is_never_used():
    same = benchmark_forecasts(vintage(LEVELS, 2021), LEVEL)
    assert repr(same) == repr(benchmark_forecasts(vintage({**LEVELS, ("x", 2022): 1.0}, 2021), LEVEL))  # NaN bands


RATES = {("r", 2016): 0.10, ("r", 2017): 0.08, ("r", 2018): 0.07, ("r", 2019): 0.05, ("r", 2020): 0.06}


def test_ar1_on_a_rate_by_least_squares():
    # pairs (0.10, 0.08), (0.08, 0.07), (0.07, 0.05), (0.05, 0.06): Sxy = 0.0006, Sxx = 0.0013
    phi = 0.0006 / 0.0013
    c = 0.065 - phi * 0.075
    residuals = [0.08 - c - phi * 0.10, 0.07 - c - phi * 0.08, 0.05 - c - phi * 0.07, 0.06 - c - phi * 0.05]
    sigma = math.sqrt(sum(r * r for r in residuals) / 2)
    fit = fit_ar1({y: v for (_, y), v in RATES.items()})
    assert fit[0] == pytest.approx(c, rel=1e-12) and fit[1] == pytest.approx(6 / 13, rel=1e-12)
    assert fit[2] == pytest.approx(sigma, rel=1e-12) and fit[3] == 4
    f = by_method(benchmark_forecasts(vintage(RATES, 2020), RATE))["ar1"]
    g1 = c + phi * 0.06
    assert f[1].value == pytest.approx(g1, rel=1e-12)
    assert f[2].value == pytest.approx(c + phi * g1, rel=1e-12)
    assert f[2].p95 - f[2].value == pytest.approx(T90[2] * sigma * math.sqrt(1 + phi**2), rel=1e-9)  # 4 pairs - 2


def test_ar1_on_a_level_sums_the_growth_errors():
    levels = {("x", 2016): 100.0}
    for year in range(2017, 2021):  # log growth equal to the rates of 2017-2020 above
        levels[("x", year)] = levels[("x", year - 1)] * math.exp(RATES[("r", year)])
    f = by_method(benchmark_forecasts(vintage(levels, 2020), LEVEL))["ar1"]
    # 2016 is a level, not a growth: pairs (0.08, 0.07), (0.07, 0.05), (0.05, 0.06)
    x, y = [0.08, 0.07, 0.05], [0.07, 0.05, 0.06]
    mx, my = sum(x) / 3, sum(y) / 3
    phi = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sum((a - mx) ** 2 for a in x)
    c = my - phi * mx
    sigma = math.sqrt(sum((b - c - phi * a) ** 2 for a, b in zip(x, y)) / 1)
    g1, g2 = c + phi * 0.06, c + phi * (c + phi * 0.06)
    assert f[2].value == pytest.approx(levels[("x", 2020)] * math.exp(g1 + g2), rel=1e-12)
    sd2 = sigma * math.sqrt((1 + phi) ** 2 + 1)  # eps_{T+1} weighs 1 + phi, eps_{T+2} weighs 1
    assert math.log(f[2].p95 / f[2].value) == pytest.approx(T90[1] * sd2, rel=1e-9)  # 3 pairs - 2


def test_drift_and_last_growth_on_a_rate():
    f = by_method(benchmark_forecasts(vintage(RATES, 2020), RATE))
    sigma = math.sqrt((0.028**2 + 0.008**2 + 0.002**2 + 0.022**2 + 0.012**2) / 4)
    assert f["random_walk_drift"][3].value == pytest.approx(0.072, rel=1e-12)
    assert f["random_walk_drift"][3].p95 == pytest.approx(0.072 + T90[4] * sigma, rel=1e-9)  # 5 rates - 1
    tau = math.sqrt((0.02**2 + 0.01**2 + 0.02**2 + 0.01**2) / 4)
    assert f["last_growth"][2].value == 0.06
    assert f["last_growth"][2].p05 == pytest.approx(0.06 - T90[4] * tau * math.sqrt(2), rel=1e-9)  # 4 changes


def test_published_growth_fills_years_no_level_pair_covers():
    rows = {("y", 2020): 1000.0, ("g", 2018): 0.1, ("g", 2019): 0.2, ("g", 2020): 0.05}
    h = growth_history(vintage(rows, 2020), Indicator("y", "level", "y", "g"))
    assert h.annual == pytest.approx({2018: math.log(1.1), 2019: math.log(1.2), 2020: math.log(1.05)}, rel=1e-12)
    rows[("y", 2019)] = 900.0  # now a level pair covers 2020: it wins over the growth row
    h = growth_history(vintage(rows, 2020), Indicator("y", "level", "y", "g"))
    assert h.annual[2020] == pytest.approx(math.log(1000 / 900), rel=1e-12)


def test_errors_rmse_mae_coverage():
    assert error(110.0, 100.0, "level") == pytest.approx(100 * math.log(1.1), rel=1e-12)
    assert error(0.05, 0.03, "rate") == pytest.approx(2.0, rel=1e-12)
    assert rmse([3.0, -4.0]) == pytest.approx(math.sqrt(12.5), rel=1e-12)
    assert mae([3.0, -4.0]) == 3.5
    assert coverage([1.0, 5.0, 2.0], [0.0, 0.0, math.nan], [2.0, 4.0, math.nan]) == 0.5
    assert math.isnan(coverage([1.0], [math.nan], [math.nan]))


def test_diebold_mariano_hln_at_horizon_1():
    # d = e1^2 - e2^2 = (0, 3, 8): mean 11/3, variance of the mean 294/81, DM = 33/sqrt(294);
    # HLN factor sqrt((3 + 1 - 2) / 3): statistic 33/21 = 11/7
    dm = diebold_mariano([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], horizon=1)
    assert dm.statistic == pytest.approx(11 / 7, rel=1e-12)
    assert dm.p_value == pytest.approx(1 - 11 / math.sqrt(219), rel=1e-9)  # t with 2 df in closed form
    assert dm.n == 3


def test_diebold_mariano_hln_at_horizon_2_counts_lag_1():
    # d = (1, 4, 9, 16): gamma0 = 129/4, gamma1 = 30.25/4, V = (gamma0 + 2 gamma1)/4 = 11.84375
    dm = diebold_mariano([1.0, 2.0, 3.0, 4.0], [0.0] * 4, horizon=2)
    statistic = 7.5 / math.sqrt(11.84375) * math.sqrt((4 + 1 - 4 + 2 / 4) / 4)
    assert dm.statistic == pytest.approx(statistic, rel=1e-12)
    assert dm.p_value == pytest.approx(2 * student_t.sf(statistic, 3), rel=1e-12)
    assert diebold_mariano([0.0] * 4, [1.0, 2.0, 3.0, 4.0], horizon=2).statistic == pytest.approx(-statistic)


def test_diebold_mariano_refuses_what_the_sample_does_not_allow():
    assert diebold_mariano([1.0], [2.0]) is None  # one pair
    assert diebold_mariano([1.0, 2.0], [1.0, 2.0]) is None  # identical losses
    assert diebold_mariano([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], horizon=3) is None  # HLN factor 0
    with pytest.raises(ValueError):
        diebold_mariano([1.0, 2.0], [1.0])


def test_no_forecast_from_an_origin_without_the_origin_year_figure():
    assert benchmark_forecasts(vintage({**RATES, ("r", 2022): 0.01}, 2021), RATE) == []  # 2021 missing
    assert benchmark_forecasts(vintage(LEVELS, 2018), LEVEL) == []
