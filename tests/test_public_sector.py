"""The public sector (issue 12): the county budget's identity, the bank's balance sheet, the debt
limit's order of cuts, credit rationing, public capital and village floor space."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from model.accounts import bank_margin
from model.actions.public import local_balances
from model.agents import bank as bank_rules
from model.agents import budget as budget_rules
from model.agents import programmes
from model.agents import public_capital as capital_rules
from model.model import KunshanModel
from model.scenario import Policy, Scenario

SCALE = 0.004
TOL = 1e-9


def _months(scenario: Scenario, seed: int = 5, **overrides):
    """Yield the model after each month, with the county's net debt and the bank's equity before it."""
    m = KunshanModel(scenario, scale=SCALE, rng=np.random.SeedSequence(seed), **overrides)
    while m.running:
        s = m.state
        debt, equity = -s.sectors.government, s.sectors.bank + s.economy.bank_equity_base
        m.step()
        yield m, debt, equity


LEVERS_ON = Scenario(
    horizon="2023-06",
    policies=(
        Policy("public_investment", None, None, None, 0.03),
        Policy("public_services", None, None, None, 0.02),
        Policy("village_collective_support", None, None, None, 500.0),
        Policy("cluster_subsidy", "all", None, None, 0.05),
        Policy("rd_subsidy", "all", None, None, 0.5),
        Policy("rural_transfer", "rural_households", None, None, 5000.0),
    ),
)


def test_budget_identity_holds_every_month():
    """revenue - spending = - change of net debt, every month, to 1e-9 of the month's GDP."""
    for m, debt_before, _ in _months(LEVERS_ON):
        s, fl = m.state, m.state.flows
        change = -s.sectors.government - debt_before
        gdp = max(fl.value_added, 1.0)
        assert abs(change - (fl.public_spending - fl.public_revenue)) <= TOL * gdp, (m.month, change)
        assert fl.public_spending > 0 and fl.public_revenue > 0
        assert fl.transfers_from_higher_levels > 0  # higher levels pay as well as receive


def test_bank_balance_sheet_and_equity_flows_hold_every_month():
    """Loans + net claims outside = deposits + equity; equity moves by interest margin less losses."""
    for m, _, equity_before in _months(LEVERS_ON):
        s, fl = m.state, m.state.flows
        deposits, firm_loans, other_loans, debt = local_balances(s)
        loans = firm_loans + other_loans + debt
        equity = s.sectors.bank + s.economy.bank_equity_base
        outside = bank_rules.clearing_position(equity, deposits, loans)
        # the clearing position is what left Kunshan through the bank: the outside sectors' money
        assert abs(
            outside
            - (
                s.economy.bank_equity_base
                - s.sectors.rest_of_world
                - s.sectors.higher_government
                + s.economy.money_initial
            )
        ) <= TOL * max(deposits, 1.0)
        assert abs((equity - equity_before) - bank_margin(fl)) <= TOL * max(deposits, 1.0)
        assert loans + outside == pytest.approx(deposits + equity, rel=1e-12)


def test_cut_in_order_takes_the_first_orders_first():
    kept = budget_rules.cut_in_order(np.array([10.0, 5.0, 8.0]), 12.0)
    np.testing.assert_allclose(kept, [0.0, 3.0, 8.0])
    np.testing.assert_allclose(budget_rules.cut_in_order(np.array([10.0, 5.0]), -3.0), [10.0, 5.0])
    np.testing.assert_allclose(budget_rules.cut_in_order(np.array([1.0, 2.0]), 100.0), [0.0, 0.0])
    assert programmes.CUT_ORDER[0] == "ordinary_public_investment"


def test_debt_limit_cuts_public_investment_before_programmes():
    """With the limit at zero debt and net deposits run down by a large programme, ordinary
    public investment is cut first, then the programmes in CUT_ORDER; public services last of those here."""
    scenario = Scenario(
        horizon="2023-12",
        policies=(
            Policy("public_investment", None, None, None, 0.05),
            Policy("public_services", None, None, None, 0.05),
        ),
    )
    cuts = []
    for m, _, _ in _months(scenario, debt_limit_of_gdp=0.0):
        fl, e = m.state.flows, m.state.economy
        if fl.debt_cut > 0:
            cuts.append(fl.debt_cut)
            orders = e.programme_orders
            # a programme later in the order is kept only when the earlier ones are cut to zero
            if orders[programmes.INDEX["public_services"]] < fl.value_added * 0.05 - 1e-6:
                assert orders[programmes.INDEX["public_investment"]] == 0.0
    assert cuts, "the debt limit never bound"
    debt = -m.state.sectors.government
    assert debt <= 0.05 * 12 * m.state.flows.value_added  # held near the limit, not run away


def test_credit_rationing_when_capital_binds_lowers_investment():
    assert bank_rules.credit_supply(10.0, 0.1, 50.0, 50.0) == 1.0
    assert bank_rules.credit_supply(4.0, 0.1, 50.0, 50.0) == pytest.approx(0.8)
    assert bank_rules.credit_supply(-1.0, 0.1, 50.0, 50.0) == 0.0
    # Kunshan's firms borrow little at the start: to make capital bind, the bank loses its equity
    # (a write-off of its own funds) after two years; from then on indebted firms get no new credit.
    base = KunshanModel(Scenario(horizon="2024-06"), scale=SCALE, rng=np.random.SeedSequence(2))
    for _ in range(24):
        base.step()
    tight = copy.deepcopy(base)
    tight.state.economy.bank_equity_base = -tight.state.sectors.bank - 1e11  # equity of minus 1000 yi yuan
    for m in (base, tight):
        for _ in range(3):
            m.step()
    assert base.state.economy.credit_supply == 1.0 and tight.state.economy.credit_supply == 0.0
    f_base, f_tight = base.state.firms, tight.state.firms
    ordered = [np.sum(f.weight[: f.n] * f.investment_order[: f.n]) for f in (f_base, f_tight)]
    assert ordered[1] < ordered[0]


def test_public_capital_kernels():
    assert capital_rules.accumulate(100.0, 5.0, 0.12) == pytest.approx(100.0 * 0.99 + 5.0)
    assert capital_rules.steady_stock(1.0, 0.04, 0.06) == pytest.approx(120.0)
    g = capital_rules.productivity_growth(0.083, 100.0, 110.0, 100.0, 105.0)
    assert g == pytest.approx(0.083 * (np.log(1.1) - np.log(1.05)))
    assert capital_rules.productivity_growth(0.083, 100.0, 105.0, 100.0, 105.0) == 0.0


def test_public_investment_builds_capital_that_raises_productivity():
    horizon = Scenario(horizon="2023-12")
    with_lever = Scenario(horizon="2023-12", policies=(Policy("public_investment", None, None, None, 0.03),))
    runs = {}
    for label, scenario in (("base", horizon), ("on", with_lever)):
        m = KunshanModel(scenario, scale=SCALE, rng=np.random.SeedSequence(4))
        m.run()
        runs[label] = m.state.economy
    assert runs["on"].public_capital > runs["base"].public_capital
    assert (runs["on"].productivity_frontier > runs["base"].productivity_frontier).all()


def test_village_grants_build_floor_space_that_earns_rent_not_income_one_to_one():
    base = KunshanModel(Scenario(horizon="2023-12"), scale=SCALE, rng=np.random.SeedSequence(6))
    grant = KunshanModel(
        Scenario(horizon="2023-12", policies=(Policy("village_collective_support", None, None, None, 1000.0),)),
        scale=SCALE,
        rng=np.random.SeedSequence(6),
    )
    base.run()
    grant.run()
    a, b = base.datasets()[0], grant.datasets()[0]
    assert float(b.village_assets.sel(year=2023)) > float(a.village_assets.sel(year=2023))
    rise = float(b.village_collective_income_avg.sel(year=2023) - a.village_collective_income_avg.sel(year=2023))
    assert 0.0 < rise < 1000.0 * 0.5  # rent on what was built, far below the grant itself (wan yuan per village)
