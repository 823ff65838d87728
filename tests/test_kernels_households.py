"""Household, village and government kernels, against hand-computed cases."""

import numpy as np

from model.agents import government, households, villages


def test_share_out_pays_exactly_the_total():
    parts = households.share_out(1000.0, np.array([1.0, 3.0, 0.0]), 50.0)
    np.testing.assert_allclose(parts * 50.0, [250.0, 750.0, 0.0])


def test_consumption_plan_is_bounded_by_means():
    plan = households.consumption_plan(np.array([1000.0, 1000.0]), np.array([12000.0, -2000.0]), 0.6, 0.12)
    np.testing.assert_allclose(plan, [600.0 + 120.0, 0.0])


def test_transfers_by_group_follow_the_lever_targets():
    by_group = households.transfer_per_person_by_group(np.array([1.0, 10.0, 100.0, 1000.0]))
    np.testing.assert_allclose(by_group, [11.0, 1011.0, 101.0, 1101.0])


def test_village_payouts_go_to_members_by_size():
    members = np.array([4.0, 0.0])
    paid = villages.paid_out(np.array([100.0, 50.0]), 0.5, members)
    np.testing.assert_allclose(paid, [50.0, 0.0])
    parts = villages.payouts_to_members(paid, members, np.array([0, 0, -1]), np.array([1.0, 3.0, 2.0]))
    np.testing.assert_allclose(parts, [12.5, 37.5, 0.0])


def test_taxes_split_between_levels():
    assert government.split_tax(100.0, 0.4) == (40.0, 60.0)
    assert government.spending_budget(100.0, 1.0, 120.0) == 0.0


def test_pensions_to_registered_retirees_and_transfers_per_person():
    np.testing.assert_allclose(households.pension_per_retiree_by_group(12000.0), [1000.0, 0.0, 1000.0, 0.0])
    lever = np.array([1200.0, 0.0, 0.0, 0.0])  # to everyone
    np.testing.assert_allclose(households.transfer_per_person_monthly(lever, 2400.0), [100.0, 100.0, 300.0, 300.0])


def test_village_investment_split_and_public_orders():
    np.testing.assert_allclose(villages.investment_split(np.array([1.0, 3.0])), [0.25, 0.75])
    np.testing.assert_allclose(villages.investment_split(np.zeros(4)), [0.25] * 4)
    consumption, investment = government.public_orders(100.0, 0.25, 0.01, 0.02, 1000.0)
    assert (consumption, investment) == (85.0, 45.0)


def test_smoothing_weights_the_latest_value():
    from model.arrays import smooth

    assert smooth(10.0, 20.0, 0.25) == 12.5
    np.testing.assert_allclose(smooth(np.array([0.0, 4.0]), np.array([4.0, 0.0]), 0.5), [2.0, 2.0])
