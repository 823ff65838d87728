"""Entry and exit rules (model.agents.firm_dynamics), against hand-computed cases."""

import numpy as np

from model.agents import firm_dynamics as dynamics


def test_small_firms_exit_by_hazard_and_any_firm_by_insolvency():
    alive = np.array([True, True, True, True, False])
    revenue = np.array([0.5e8, 2e8, 2e8, 0.5e8, 0.5e8])
    uniform = np.array([0.001, 0.001, 0.9, 0.9, 0.001])
    deposits = np.array([0.0, 0.0, -100.0, -10.0, -1e9])
    capital, price, sales = np.full(5, 100.0), np.ones(5), np.full(5, 1.0)
    margin, age = np.zeros(5), np.full(5, 36)
    out = dynamics.exiting(
        alive, revenue, uniform, 0.12, 1e8, deposits, capital, price, sales, 0.9, 6.0, margin, age, 0.1
    )
    # small and unlucky; large and lucky; debt 100 > 0.9 * 100 + 6; debt 10 within the limit; gone already
    assert out.tolist() == [True, False, True, False, False]
    # sustained losses: a margin below -10% ends a firm two years old or more, not a younger one
    losing = dynamics.exiting(
        np.ones(3, bool),
        np.full(3, 2e8),
        np.ones(3),
        0.12,
        1e8,
        np.zeros(3),
        np.full(3, 100.0),
        np.ones(3),
        np.ones(3),
        0.9,
        6.0,
        np.array([-0.2, -0.2, -0.05]),
        np.array([24, 12, 36]),
        0.1,
    )
    assert losing.tolist() == [True, False, False]


def test_firms_dearer_than_competitors_elsewhere_relocate_with_a_chance_rising_in_the_gap():
    candidates = np.array([True, True, True, False])
    price = np.array([1.2, 1.2, 0.9, 1.5])
    moving = dynamics.relocating(candidates, np.array([0.01, 0.02, 0.0, 0.0]), price, np.ones(4), 1.2)
    # chance 0.1 log(1.2) = 0.018: the first moves, the second not; the cheaper one never; a non-candidate never
    assert moving.tolist() == [True, False, False, False]


def test_startups_follow_small_firms_and_rising_margins():
    rate = dynamics.startup_rate(np.array([1.0, 3.0]), np.array([0.1, 0.05]), np.array([0.05, 0.05]), 10.0)
    np.testing.assert_allclose(rate, [0.25 * np.exp(0.5), 0.75])


def test_pick_clusters_follows_the_probabilities():
    picked = dynamics.pick_clusters(np.array([0.25, 0.0, 0.75]), np.array([0.1, 0.24, 0.26, 0.99]))
    assert picked.tolist() == [0, 0, 2, 2] and picked.dtype == np.int16
    np.testing.assert_allclose(dynamics.startup_cluster_probability(np.array([1.0, 3.0])), [0.25, 0.75])


def test_foreign_entry_follows_foreign_output_and_the_levers():
    share, output = np.array([0.5, 0.0, 0.25]), np.array([100.0, 100.0, 200.0])
    rate = dynamics.foreign_entry_rate(120.0, np.ones(3), share, output, np.array([1.0, 0.0, 0.0]), np.zeros(3), 0.65)
    np.testing.assert_allclose(rate, [10.0 * 50 * 2 / 100, 0.0, 10.0 * 50 / 100])
    assert dynamics.foreign_entry_rate(120.0, np.zeros(3), share, output, np.zeros(3), np.zeros(3), 0.65).sum() == 0.0


def test_taiwan_ownership_moves_with_cooperation_against_attraction():
    p = dynamics.taiwan_owner_probability(0.65, np.array([0.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0]))
    np.testing.assert_allclose(p, [0.65, 1.3 / (1.3 + 0.35), 0.65 / (0.65 + 0.7)])


def test_entrants_start_ramping_up_with_a_share_in_line():
    expected = dynamics.entrant_expected_sales(np.array([2.4e8]), np.array([2.0]), 0.5)
    np.testing.assert_allclose(expected, [5e6])
    share = dynamics.entrant_demand_share(np.array([5e6, 5e6]), np.array([1e8, 0.0]), np.array([2.0, 2.0]))
    np.testing.assert_allclose(share, [0.1, 1e7])  # a cluster without demand counts it as 1
