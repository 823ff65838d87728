"""Household, village and government kernels, against hand-computed cases."""

import numpy as np
import pytest

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


def test_imputed_rent_goes_to_owners_in_proportion_to_their_members():
    from model.agents.households import imputed_rent

    size = np.array([2.0, 3.0, 1.0, 4.0, 0.0])
    group = np.array([0, 1, 2, 3, 2])  # urban registered, urban migrant, rural registered, rural migrant
    np.testing.assert_allclose(imputed_rent(size, group, 600_000.0, 0.012), [1200.0, 0.0, 600.0, 0.0, 0.0])


def test_imputed_rent_is_survey_income_in_kind_and_moves_no_money():
    """pay_household_incomes with and without the imputation, from one state: deposits and cash
    income are the same to the bit; the survey's income differs by exactly the imputed rent."""
    import copy
    import dataclasses

    from model.actions.incomes import pay_household_incomes
    from model.model import KunshanModel
    from model.scenario import Scenario

    m = KunshanModel(dataclasses.replace(Scenario(), uncertainty="seeds"), scale=0.003, rng=4)
    m.step()
    policy = m.schedule.at(m.month)
    results = []
    for rate in (0.0, 0.01):
        s = copy.deepcopy(m.state)
        pay_household_incomes(s, m.parameters.with_overrides({"imputed_rent_rate": rate}), policy)
        results.append(s)
    off, on = results
    hs, n = on.households, on.households.n
    np.testing.assert_array_equal(on.households.deposits[:n], off.households.deposits[:n])
    np.testing.assert_array_equal(on.households.disposable_income[:n], off.households.disposable_income[:n])
    registered = (hs.group[:n] % 2 == 0) & hs.alive[:n]
    expected = np.where(registered, 0.01 / 12.0 * on.economy.housing_value_per_person * hs.size[:n], 0.0)
    np.testing.assert_allclose(on.households.income_year[:n] - off.households.income_year[:n], expected, rtol=1e-9)
    assert on.flows.imputed_rent == pytest.approx(expected.sum() * on.economy.household_weight)
