"""Industrial land (issue 12): new plants buy land-use rights from the county, whose government-fund
budget compensates the villages and buys site preparation. The budget identity and the national
accounts hold every month with land sales; the buyers' money falls by exactly what the budget
receives; no price, no revenue."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
from test_reference import assert_same, positions, run_both

from model.accounts import TOLERANCE, identity_errors, month_accounts, public_books, public_identity_errors
from model.actions.firm_dynamics import enter_and_exit
from model.actions.projects import start_and_build_projects
from model.agents import land as land_rules
from model.agents import programmes
from model.model import KunshanModel
from model.scenario import Policy, Scenario

SCALE = 0.004
SEED = 5


def _months(**overrides):
    """The model after each month of 2022, its identities checked by hand as well as by the model."""
    m = KunshanModel(Scenario(horizon="2022-12"), scale=SCALE, rng=np.random.SeedSequence(SEED), **overrides)
    while m.running:
        books = public_books(m.state)
        order = m.state.economy.public_investment_order
        m.step()
        yield m, books, order


def test_land_payment_only_for_industry_and_in_proportion_to_capital():
    capital = np.array([1e6, 2e6, 2e6])
    paid = land_rules.land_payment(capital, np.array([True, True, False]), np.array([-1, -1, -1]), 1.33, 600.0)
    assert paid[0] == pytest.approx(1.33 * 600.0 * 100.0)  # 100 wan yuan of capital
    assert paid[1] == pytest.approx(2 * paid[0]) and paid[2] == 0.0
    # on a village's land the plant rents from the collective: it buys nothing from the county
    on_village = land_rules.land_payment(capital, np.array([True, True, False]), np.array([3, -1, -1]), 1.33, 600.0)
    assert on_village[0] == 0.0 and on_village[1] == paid[1]


def test_revenue_use_and_compensation_split_add_up():
    compensation, site = land_rules.revenue_use(100.0, 0.8, 0.7)
    assert compensation == pytest.approx(56.0) and site == pytest.approx(24.0)
    by_village = land_rules.compensation_by_village(compensation, 3)
    assert by_village.sum() == pytest.approx(compensation, rel=1e-15) and np.ptp(by_village) == 0.0


def test_budget_identity_and_accounts_hold_every_month_with_land_sales():
    """With land sold every month: D' - D = spending - revenue, land revenue in revenue and its
    compensation in spending; GDP three ways and money to 1e-9; site preparation ordered this month
    is paid next month as public investment."""
    total = 0.0
    site_ordered = None
    for m, books, order_before in _months():
        s, fl, p = m.state, m.state.flows, m.parameters
        a = month_accounts(s)
        errors = identity_errors(a, s.economy.money_initial) | public_identity_errors(s, books, a)
        assert max(errors.values()) <= TOLERANCE, (m.month, errors)
        compensation, site = land_rules.revenue_use(
            fl.land_transfer_revenue, p.land_development_cost_share, p.land_compensation_share_of_cost
        )
        assert fl.land_compensation == pytest.approx(compensation, rel=1e-12, abs=1e-6)
        assert fl.land_site_preparation == pytest.approx(site, rel=1e-12, abs=1e-6)
        # paid this month: what was ordered last month, site preparation included
        assert fl.public_investment_paid == order_before
        if site_ordered is not None:
            assert order_before >= site_ordered
        site_ordered = fl.land_site_preparation
        total += fl.land_transfer_revenue
    assert total > 0.0
    # the outputs: the year's sum in annual.nc, the months in monthly.nc, with units and a long name
    annual, monthly = m.recorder.datasets()
    assert float(annual["land_transfer_revenue"].sel(year=2022)) == pytest.approx(total / 1e8, rel=1e-9)
    assert float(monthly["land_transfer_revenue"].sum()) == pytest.approx(total / 1e8, rel=1e-9)
    for ds in (annual, monthly):
        assert (
            ds["land_transfer_revenue"].attrs["units"] == "yi_yuan" and ds["land_transfer_revenue"].attrs["long_name"]
        )


def test_no_land_revenue_without_a_land_price():
    for m, _, _ in _months(industrial_land_price=0.0):
        fl = m.state.flows
        assert fl.land_transfer_revenue == 0.0 and fl.land_compensation == 0.0 and fl.land_site_preparation == 0.0


def test_buyers_pay_exactly_what_the_budget_receives():
    """The month's entry and projects with and without a land price, from one state and the same
    draws: the budget gains the land revenue, and households, investors abroad and the projects'
    own accounts (their credit) lose exactly as much together; FDI rises by the foreign part."""
    m = KunshanModel(Scenario(horizon="2022-12"), scale=SCALE, rng=np.random.SeedSequence(SEED))
    for _ in range(8):  # some projects under construction by now
        m.step()
    assert (m.state.firms.project_months[: m.state.firms.n] > 0).any()
    outcomes = []
    for price in (600.0, 0.0):
        s, draws = copy.deepcopy(m.state), copy.deepcopy(m.draws)
        p = m.parameters.with_overrides({"industrial_land_price": price})
        policy = m.schedule.at(m.month)
        draws.start_month(s.economy.month)
        enter_and_exit(s, p, policy, draws)
        start_and_build_projects(s, p, policy, draws)
        f, hs = s.firms, s.households
        outcomes.append(
            {
                "government": s.sectors.government,
                "households": float(hs.deposits[: hs.n].sum()) * s.economy.household_weight,
                "abroad": s.sectors.rest_of_world,
                "firms": float(np.dot(f.weight[: f.n], f.deposits[: f.n])),
                "villages": float(s.villages.deposits.sum()),
                "fdi": s.flows.fdi,
                "revenue": s.flows.land_transfer_revenue,
                "rows": f.n,
            }
        )
    with_land, without = outcomes
    revenue = with_land["revenue"]
    assert revenue > 0.0 and without["revenue"] == 0.0
    assert with_land["rows"] == without["rows"]  # the same entrants
    gained = with_land["government"] - without["government"]
    paid = sum(without[k] - with_land[k] for k in ("households", "abroad", "firms"))
    assert gained == pytest.approx(revenue, rel=1e-9)
    assert paid == pytest.approx(revenue, rel=1e-9)
    assert with_land["villages"] == without["villages"]  # compensation comes at the month's settlement
    assert with_land["fdi"] - without["fdi"] == pytest.approx(without["abroad"] - with_land["abroad"], rel=1e-9)


FDI_ON = Scenario(horizon="2022-06", policies=(Policy("fdi_attraction", "all", None, None, 1.0),))


def test_fdi_land_discount_costs_the_forgone_revenue():
    """With the FDI lever's incentive partly as cheaper land, the first month's land revenue falls
    by exactly the discount, and the lever's policy_cost rises by as much (the same draws: the
    month is identical up to the land payments)."""
    months = []
    for discount in (0.0, 0.5):
        m = KunshanModel(FDI_ON, scale=SCALE, rng=np.random.SeedSequence(SEED), fdi_land_discount=discount)
        m.step()
        months.append(m.state.flows)
    full, cut = months
    lever = programmes.INDEX["fdi_attraction"]
    assert full.land_discount == 0.0 and cut.land_discount > 0.0
    assert full.land_transfer_revenue - cut.land_transfer_revenue == pytest.approx(cut.land_discount, rel=1e-9)
    assert cut.policy_cost[lever] - full.policy_cost[lever] == pytest.approx(cut.land_discount, rel=1e-9)


def test_reference_applies_the_same_land_rules_with_a_discount():
    """The per-agent reference (model.reference) against the kernels, with foreign buyers' land
    discounted: the same economy month by month, and discounts actually given."""
    scenario = dataclasses.replace(FDI_ON, parameters={"fdi_land_discount": 0.5})
    discounts = 0.0
    for month, kernels, reference, rng_kernels, rng_reference in run_both(scenario, 13):
        assert positions(rng_kernels) == positions(rng_reference)
        assert_same(kernels, reference, month)
        discounts += kernels.flows.land_discount
    assert discounts > 0.0


def test_villages_invest_their_compensation_in_floor_space_whose_rent_is_income():
    """Issue 14: village income grows through land-transfer compensation, by way of the assets it
    builds (model.agents.public_sector): with the share invested at 0 the assets and the rent are
    what the retained income and grants alone build; with it on, more."""

    def run(**overrides):
        m = KunshanModel(
            Scenario(horizon="2022-12", uncertainty="seeds"), scale=SCALE, rng=np.random.SeedSequence(SEED), **overrides
        )
        compensation = 0.0
        while m.running:
            m.step()
            compensation += m.state.flows.land_compensation
        return m.state.villages, compensation

    kept, compensation = run(village_investment_of_compensation=0.0)
    invested, same = run(village_investment_of_compensation=1.0)
    assert compensation > 0 and same == pytest.approx(compensation, rel=0.05)
    assert invested.assets.sum() > kept.assets.sum()
    assert invested.income_last_year.sum() > kept.income_last_year.sum()  # the year just closed
    no_land, _ = run(village_investment_of_compensation=1.0, industrial_land_price=0.0)
    no_land_kept, _ = run(village_investment_of_compensation=0.0, industrial_land_price=0.0)
    np.testing.assert_array_equal(no_land.assets, no_land_kept.assets)
