"""The firm kernels, against hand-computed cases."""

import numpy as np

from model.agents import firms
from model.arrays import sparse_draws


def two(a: float, b: float) -> np.ndarray:
    """Two firms' values."""
    return np.array([a, b])


def test_expected_sales_blends_news_and_memory():
    out = firms.expected_sales(np.array([100.0]), np.array([0.01]), 0.25, np.array([80.0]))
    np.testing.assert_allclose(out, 0.25 * 101.0 + 0.75 * 80.8)


def test_plan_output_moves_stocks_to_target_within_capacity():
    out = firms.plan_output(np.array([100.0, 100.0]), np.array([0.0, 0.0]), 0.5, 0.4, np.array([1000.0, 110.0]))
    np.testing.assert_allclose(out, [120.0, 110.0])


def test_capacity_at_initial_capital_gives_target_utilisation():
    annual_output = 1200.0
    cap = firms.capacity(np.array([annual_output * 0.9]), np.array([0.9]), np.array([1.0]), 0.8)
    np.testing.assert_allclose(cap * 0.8, annual_output / 12)


def test_labour_demand_hoards_surplus_workers():
    need = firms.labour_demand(two(100.0, 100.0), two(1.0, 1.0), two(0.5, 0.5), two(1.0, 1.0), two(10.0, 100.0), 0.2)
    # first needs 50 > 10 employed: asks for 50; second needs 50 < 100: sheds 20% of the 50 surplus
    np.testing.assert_allclose(need, [50.0, 90.0])


def test_produce_takes_the_tightest_limit_and_loses_a_lockdown_share():
    planned, employees, price, labour_per_output = two(100.0, 100.0), two(10.0, 100.0), two(1.0, 1.0), two(0.5, 0.5)
    y = firms.produce(planned, employees, price, labour_per_output, two(1.0, 1.0), two(1000.0, 80.0), 0.25)
    np.testing.assert_allclose(y, [20.0 * 0.75, 80.0 * 0.75])


def test_operating_surplus_and_profit_after_tax():
    s = firms.operating_surplus(np.array([100.0]), np.array([60.0]), np.array([20.0]), np.array([4.0]), np.array([1.0]))
    np.testing.assert_allclose(s, [17.0])
    tax, profit = firms.profit_after_tax(
        np.array([17.0, 1.0]), np.array([2.0, 0.0]), np.array([1.0, 0.0]), np.array([4.0, 3.0]), 0.25
    )
    np.testing.assert_allclose(tax, [2.5, 0.0])
    np.testing.assert_allclose(profit, [7.5, -2.0])


def test_dividends_need_profit_and_cash():
    d = firms.dividends(np.array([10.0, -5.0, 10.0]), 0.5, np.array([100.0, 100.0, 2.0]))
    np.testing.assert_allclose(d, [5.0, 0.0, 2.0])


def test_investment_order_replaces_wear_and_closes_the_gap_within_credit():
    capital, expected, growth, capital_output = two(1000.0, 1000.0), two(100.0, 100.0), two(0.0, 0.0), two(1.0, 1.0)
    price, deposits, credit_limit, boost = two(1.0, 1.0), two(0.0, -600.0), two(500.0, 500.0), two(0.0, 0.0)
    order = firms.investment_order(
        capital, expected, growth, capital_output, 0.12, 0.1, price, deposits, credit_limit, boost
    )
    # desired capital 100*12*1 = 1200: gap 200; order = 0.01*1000 + 0.1*200 = 30; second firm over its credit limit
    np.testing.assert_allclose(order, [30.0, 0.0])


def test_innovation_chance_rises_with_rd_per_worker_and_jumps_only_where_the_draw_says():
    ratio = firms.rd_per_worker_ratio(
        np.array([10.0, 20.0, 0.0, 10.0, 5.0]),
        np.array([1.0, 1.0, 1.0, 1.0, 0.0]),
        np.array([10.0, 10.0, 10.0, 10.0, 10.0]),
    )
    np.testing.assert_allclose(ratio, [1.0, 2.0, 0.0, 1.0, 0.0])  # no workers, no research
    chance = firms.innovation_chance(ratio, 0.1)
    np.testing.assert_allclose(chance, [0.1, 0.19, 0.0, 0.1, 0.0])
    out = firms.innovate(np.ones(5), chance, np.array([0.05, 0.15, 0.0, 0.5, 0.0]), np.full(5, 2.0), 0.05)
    np.testing.assert_allclose(out, [1.1, 1.1, 1.0, 1.0, 1.0])


def test_imitation_closes_part_of_the_gap_to_the_target_and_never_lowers_productivity():
    out = firms.imitate(np.array([0.8, 1.2, 0.8]), np.full(3, 0.1), np.array([0.05, 0.05, 0.5]), np.full(3, 1.0), 0.25)
    np.testing.assert_allclose(out, [0.85, 1.2, 0.8])


def test_sparse_draws_give_each_row_its_own_chance():
    """Candidates at the highest chance, thinned to each row's: the share of successes matches each
    row's chance (a fixed seed; bands of four standard errors)."""
    rng = np.random.default_rng(3)
    n = 300_000
    chance = np.where(np.arange(n) % 2 == 0, 0.02, 0.2)
    rows, draws = sparse_draws(rng, n, 0.2)
    hit = np.zeros(n, bool)
    hit[rows[draws < chance[rows]]] = True
    for p in (0.02, 0.2):
        share = hit[chance == p].mean()
        assert abs(share - p) < 4 * np.sqrt(p * (1 - p) / (n / 2))


def test_demand_share_shocks_are_mean_preserving_in_expectation():
    rng = np.random.default_rng(0)
    share = np.ones(200_000)
    out = firms.replicator_shares(
        share, rng.normal(size=share.size), 0.1, np.zeros(share.size), np.zeros(share.size), 1.0
    )
    assert abs(out.mean() - 1.0) < 0.002


def test_expected_demand_growth_blends_and_is_bounded():
    growth = firms.expected_demand_growth(
        np.array([0.01, 0.0, 0.0]), np.array([110.0, 200.0, 5.0]), np.array([100.0, 100.0, 0.0]), 0.1, 0.02
    )
    # 0.9 * 0.01 + 0.1 * 0.1; a doubling is capped at 2%; no demand last month counts as 1
    np.testing.assert_allclose(growth, [0.019, 0.02, 0.02])
    assert firms.expected_demand_growth(np.zeros(1), np.array([10.0]), np.array([100.0]), 1.0, 0.02)[0] == -0.02


def test_frontier_grows_with_trend_shanghai_and_agglomeration():
    growth = firms.frontier_growth(0.024, 0.02, 0.6, 0.5, np.array([100.0, 0.0]), np.array([110.0, 5.0]))
    trend = (0.024 + 0.02 * 0.6) / 12.0
    np.testing.assert_allclose(growth, [trend + 0.5 * np.log(1.1), trend])  # no output before: no agglomeration


def test_rd_intensity_with_a_subsidy():
    intensity, grant_rate, relative = firms.rd_intensity(np.array([0.02, 0.0]), np.array([0.5, 0.5]))
    np.testing.assert_allclose(intensity, [0.03, 0.0])
    np.testing.assert_allclose(grant_rate, [0.01, 0.0])
    np.testing.assert_allclose(relative, [1.5, 0.0])
