"""Price and pay-scale setting, the rest of the world, and demography, against hand-computed cases."""

import numpy as np

from model.agents import demography, rest_of_world
from model.markets import prices


def test_pay_scales_follow_inflation_policy_and_vacancies_unless_frozen():
    # at the natural unemployment rate, without productivity growth (the Phillips-curve terms are in
    # tests/test_households.py): the former trend's cases, with inflation in the trend's place
    vacancies = np.array([0.0, 0.1])
    grow = lambda inflation, policy: prices.pay_scale_growth(
        inflation, np.zeros(2), 1.0, policy, 1.0, 0.03, 0.03, 0.05, vacancies, 0.28
    )
    np.testing.assert_allclose(grow(0.06, 0.0), [0.005, 0.01])
    np.testing.assert_allclose(grow(0.06, 0.06), [0.01, 0.015])
    assert grow(0.06, -1.0).tolist() == [0.0, 0.0]


def test_prices_close_part_of_the_gap_to_a_markup_on_cost_moved_by_bounded_excess_demand():
    mu = prices.markup(np.array([0.1, 0.1]), 0.6, np.array([0.0, 0.9]), 0.2)
    np.testing.assert_allclose(mu, [0.1, 1.1 * np.exp(0.6 * 0.2) - 1])
    np.testing.assert_allclose(prices.adjust_price(np.array([1.0, 1.0]), np.array([1.0, 1.0]), mu, 1.0), 1.0 + mu)


def test_external_demand_growth_is_the_real_trend_without_shocks():
    factor = rest_of_world.external_demand_growth(0.08, 0.02, 0.0, 0.5, 1.0, np.ones(3))
    np.testing.assert_allclose(factor, np.exp(0.06 / 12.0))
    sigma = 0.12 / np.sqrt(12.0)
    shocked = rest_of_world.external_demand_growth(0.02, 0.02, 0.12, 0.5, 1.0, np.array([-2.0]))
    np.testing.assert_allclose(shocked, np.exp(-0.5 * sigma**2 * 1.25 + sigma - sigma))
    np.testing.assert_allclose(rest_of_world.capacity_lost(np.array([0.5]), np.array([0.5])), [0.75])


def test_demography_selects_eligible_households():
    group = np.array([0, 1, 2, 3, 1])  # registered groups even, migrant groups odd
    alive = np.array([True, True, True, True, False])
    workers = np.array([0, 0, 1, 0, 0])
    rows = np.array([0, 1, 1, 3, 4])
    assert demography.leaving(rows, workers, group, alive).tolist() == [1, 1, 3]
    assert demography.settling(rows, group, alive).tolist() == [1, 1, 3]
    assert demography.birth_households(np.array([0, 2, 2, 4]), group, alive).tolist() == [0, 2, 2]
    assert demography.expected_births(0.012, 1000) == 1.0 and demography.expected_births(-0.01, 1000) == 0.0
    np.testing.assert_allclose(demography.migrant_savings(np.array([5000.0]), 2.0), [10000.0])
