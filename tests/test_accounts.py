"""Stock-flow consistency: GDP three ways and money conservation, every month."""

import numpy as np
import pytest

from model.accounts import identity_errors, month_accounts


def _run_and_check(model):
    worst = {}
    while model.running:
        model.step()
        errors = identity_errors(month_accounts(model.state), model.state.economy.money_initial)
        for k, v in errors.items():
            worst[k] = max(worst.get(k, 0.0), v)
    return worst


def test_identities_hold_every_month_in_the_baseline(small_model_factory):
    model = small_model_factory(seed=3, horizon="2023-03", check_identities=False)
    worst = _run_and_check(model)
    assert set(worst) == {"income_vs_production", "expenditure_vs_production", "money_conservation"}
    assert max(worst.values()) < 1e-9, worst


def test_identities_hold_under_policies_and_shocks(small_model_factory, policy_scenario):
    model = small_model_factory(seed=4, scenario=policy_scenario, check_identities=False)
    worst = _run_and_check(model)
    assert max(worst.values()) < 1e-9, worst


def test_money_total_starts_at_zero_because_deposits_are_bank_liabilities(initial_model):
    s = initial_model.state
    assert abs(s.money_total()) < 1e-6 * s.firms.deposits[: s.firms.n].sum()


def test_a_missing_payer_is_caught(small_model_factory):
    """Break one payment on purpose: the conservation check must see it."""
    model = small_model_factory(seed=5, horizon="2022-02", check_identities=False)
    model.step()
    model.state.sectors.government += 1e6
    errors = identity_errors(month_accounts(model.state), model.state.economy.money_initial)
    assert errors["money_conservation"] > 1e-9


def test_gdp_components_are_plausible(small_model_factory):
    model = small_model_factory(seed=6, horizon="2022-03")
    model.run()
    annual, monthly = model.datasets()
    gdp = monthly["gdp_production"].values
    np.testing.assert_allclose(monthly["gdp_expenditure"].values, gdp, rtol=1e-9)
    np.testing.assert_allclose(monthly["gdp_income"].values, gdp, rtol=1e-9)
    assert np.all(gdp > 300) and np.all(gdp < 500)  # yi yuan a month; 2021 averaged 396


def test_a_misspelled_flow_fails_instead_of_making_a_new_one():
    import dataclasses

    from model.state import MonthFlows

    flows = MonthFlows()
    flows.exports_sold = 1.0
    with pytest.raises(AttributeError):
        flows.export_sold = 2.0  # typo: no such flow
    with pytest.raises(AttributeError):
        _ = flows.import_abroad
    assert "export_sold" not in {f.name for f in dataclasses.fields(flows)}
