"""The exogenous processes estimated on history (model.data.processes) and the paths a run draws from
them (model.uncertainty.exogenous_paths)."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from model.data.observed import Observation
from model.data.processes import (
    EXCHANGE_RATE_SERIES,
    MARKET_SERIES,
    NO_PROCESS,
    RHO_HIGH,
    estimate_all,
    estimate_ar1,
    history,
    log_growth,
    outside_processes,
)
from model.policy import MARKETS
from model.uncertainty import cumulated_variance, exchange_rate_factors, exogenous_paths


def ar1_series(rho: float, sigma: float, n: int, rng: np.random.Generator, mean: float = 0.05) -> dict[int, float]:
    d, out = rng.normal(0.0, sigma / math.sqrt(1.0 - rho * rho)), {}
    for t in range(n):
        out[2000 + t] = mean + d
        d = rho * d + sigma * rng.standard_normal()
    return out


@pytest.mark.parametrize("rho, sigma", [(0.5, 0.03), (0.2, 0.01), (0.7, 0.05)])
def test_a_long_synthetic_series_gives_back_its_persistence_and_volatility(rho, sigma):
    p = estimate_ar1(ar1_series(rho, sigma, 3000, np.random.default_rng(1)))
    assert p.rho == pytest.approx(rho, abs=0.04)
    assert p.sigma == pytest.approx(sigma, rel=0.05)
    assert p.mean == pytest.approx(0.05, abs=4 * sigma / math.sqrt(3000) / (1 - rho))


def test_on_seven_years_the_bias_correction_moves_the_persistence_towards_the_truth():
    rng = np.random.default_rng(2)
    fits = [estimate_ar1(ar1_series(0.4, 0.03, 7, rng)) for _ in range(3000)]
    raw, corrected = np.mean([f.rho_ols for f in fits]), np.mean([f.rho for f in fits])
    assert raw < 0.2  # least squares on seven points is biased far towards zero
    assert abs(corrected - 0.4) < abs(raw - 0.4)
    assert all(0.0 <= f.rho <= RHO_HIGH for f in fits)
    # sigma is close on average (a few percent low: n - 1 degrees of freedom for two estimates)
    assert np.mean([f.sigma for f in fits]) == pytest.approx(0.03, rel=0.15)


def test_without_persistence_sigma_is_the_sample_standard_deviation():
    x = {2016: 0.064, 2017: 0.016, 2018: -0.020, 2019: 0.042, 2020: -0.000, 2021: -0.067, 2022: 0.042}
    p = estimate_ar1(x)
    assert p.rho == 0.0  # negative least squares, bounded at 0
    assert p.sigma == pytest.approx(np.std(list(x.values()), ddof=1))


def test_bounds_and_too_few_years():
    trending = {2000 + t: 0.08 - 0.01 * t for t in range(7)}
    assert estimate_ar1(trending).rho == RHO_HIGH
    assert estimate_ar1({2020: 0.01, 2021: 0.02}) == NO_PROCESS


def test_a_gap_breaks_a_pair_and_is_not_filled():
    x = {2015: 0.07, 2016: 0.06, 2018: 0.05, 2019: 0.065, 2020: 0.02}
    p = estimate_ar1(x)
    assert p.n == 5 and p.pairs == 3


def test_no_year_after_the_origin_changes_an_estimate():
    rows = history()
    later = tuple(dataclasses.replace(o, value=o.value * 3.0 + 0.5) if o.year > 2020 else o for o in rows)
    extra = tuple(Observation(MARKET_SERIES["world"], y, -0.5, "fraction", "C", "test") for y in (2023, 2024))
    assert estimate_all(later + extra, 2020) == estimate_all(rows, 2020)
    assert estimate_all(later, 2021) != estimate_all(rows, 2021)


def test_the_shipped_history_gives_every_market_a_process():
    for origin in (2020, 2021, 2022):
        p = outside_processes(origin)
        assert len(p.markets) == len(MARKETS)
        for process in (*p.markets, p.producer_prices, p.exchange_rate):
            assert process.n >= 4 and 0.0 < process.sigma < 0.1 and 0.0 <= process.rho <= RHO_HIGH
    # the exchange rate through 2022 gives the figure docs/DATA.md derives by hand
    assert outside_processes(2022).exchange_rate.sigma == pytest.approx(0.045, abs=5e-4)
    assert outside_processes(2022).exchange_rate.rho == 0.0
    rates = log_growth({o.year: o.value for o in history() if o.indicator == EXCHANGE_RATE_SERIES}, 2022, level=True)
    assert sorted(rates) == list(range(2016, 2023))


def test_paths_keep_the_trend_as_their_mean_and_their_draws_fixed():
    processes = outside_processes(2021)
    paths = [exogenous_paths(0.045, processes, 4, np.random.SeedSequence(5, spawn_key=(k,))) for k in range(20000)]
    level = np.array([p.market_level for p in paths])  # (run, year, market)
    np.testing.assert_allclose(np.exp(level).mean(axis=0), 1.0, atol=0.005)
    for m, process in enumerate(processes.markets):
        var = cumulated_variance(process.rho, process.sigma, 4)
        np.testing.assert_allclose(level[:, :, m].var(axis=0), var, rtol=0.05)
    inflation = np.array([p.producer_inflation for p in paths])
    assert inflation[:, 0].std() == pytest.approx(processes.producer_prices.sigma, rel=0.03)
    # growth is the level's yearly change
    np.testing.assert_allclose(np.cumsum(paths[0].market_growth, axis=0), paths[0].market_level, atol=1e-15)
    seed = np.random.SeedSequence(5, spawn_key=(1,))
    short, long = exogenous_paths(0.045, processes, 4, seed), exogenous_paths(0.045, processes, 9, seed)
    np.testing.assert_array_equal(short.market_level, long.market_level[:4])
    np.testing.assert_array_equal(short.producer_inflation, long.producer_inflation[:4])
    # the exchange rate meets the same draws as before the markets were added (a random walk at 2022)
    at_2022 = exogenous_paths(0.045, outside_processes(2022), 4, seed)
    np.testing.assert_allclose(at_2022.exchange_rate, exchange_rate_factors(0.045, 4, seed), rtol=1e-12)
    fx = np.array([p.exchange_rate for p in paths])
    np.testing.assert_allclose(fx.mean(axis=0), 1.0, atol=0.005)


def test_the_exchange_rate_volatility_default_is_the_estimate_at_the_default_origin():
    from model.data.observed import MODEL_ORIGIN
    from model.params import SPECS

    estimate = outside_processes(MODEL_ORIGIN).exchange_rate
    assert SPECS["exchange_rate_volatility"].default == pytest.approx(estimate.sigma, abs=5e-5)


def test_each_run_draws_its_own_estimates_of_the_processes():
    """model.uncertainty.drawn_processes: the same seed gives the same draw; across seeds sigma
    scatters around the estimate as its sampling law says (sqrt((n-1)/chi2(n-1)) has a median near
    1), rho stays within its bounds, and a process without history stays at sigma 0."""
    import numpy as np

    from model.data.processes import NO_PROCESS, RHO_HIGH, RHO_LOW, OutsideProcesses, outside_processes
    from model.uncertainty import drawn_processes

    base = outside_processes(2021)
    seed = np.random.SeedSequence(20221122, spawn_key=(4,))
    assert drawn_processes(base, seed) == drawn_processes(base, np.random.SeedSequence(20221122, spawn_key=(4,)))
    draws = [drawn_processes(base, np.random.SeedSequence(7, spawn_key=(k,))) for k in range(400)]
    world = base.markets[-1]
    ratio = np.array([d.markets[-1].sigma / world.sigma for d in draws])
    assert 0.85 < np.median(ratio) < 1.2 and ratio.min() < 0.8 and ratio.max() > 1.5
    assert all(RHO_LOW <= d.markets[-1].rho <= RHO_HIGH for d in draws)
    empty = OutsideProcesses(2021, (NO_PROCESS,) * 4, NO_PROCESS, NO_PROCESS)
    assert drawn_processes(empty, seed) == empty
