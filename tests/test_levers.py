"""Every lever is a funded programme acting through a channel (issue 12): it costs the budget
while on (wage_policy excepted: its cost falls on firms), its channel vanishes when the channel's
parameter is zero, and no lever writes its target's own variable."""

from __future__ import annotations

import numpy as np
import pytest

from model.agents import firm_dynamics as dynamics
from model.agents import firms as firm_rules
from model.agents import programmes
from model.agents import public_capital as capital_rules
from model.agents import villages as village_rules
from model.markets import goods
from model.model import KunshanModel
from model.params import default_parameters
from model.policy import LEVERS
from model.scenario import Policy, Scenario

SCALE = 0.004
ON = {
    "cluster_subsidy": ("all", 0.05),
    "rd_subsidy": ("all", 0.5),
    "chain_leader_support": ("all", 0.3),
    "fdi_attraction": ("all", 1.0),
    "taiwan_cooperation": ("all", 1.0),
    "shanghai_integration": (None, 0.2),
    "rural_transfer": ("rural_households", 5000.0),
    "village_collective_support": (None, 500.0),
    "public_services": (None, 0.01),
    "public_investment": (None, 0.01),
    "wage_policy": (None, 0.02),
    "talent_attraction": (None, 1.0),
    "rural_training": (None, 2000.0),
}


def test_every_lever_is_listed():
    assert set(ON) == set(LEVERS) == set(programmes.LEVER_NAMES)


@pytest.fixture(scope="module")
def costs():
    scenario = Scenario(horizon="2022-12", policies=tuple(Policy(k, t, None, None, v) for k, (t, v) in ON.items()))
    m = KunshanModel(scenario, scale=SCALE, rng=np.random.SeedSequence(8))
    base = KunshanModel(Scenario(horizon="2022-12"), scale=SCALE, rng=np.random.SeedSequence(8))
    m.run()
    base.run()
    return m.datasets()[0].policy_cost.sel(year=2022), base.datasets()[0].policy_cost.sel(year=2022)


@pytest.mark.parametrize("lever", list(ON))
def test_each_lever_costs_the_budget_while_on(costs, lever):
    on, off = costs
    assert float(off.sel(lever=lever)) == 0.0
    if lever == "wage_policy":
        assert float(on.sel(lever=lever)) == 0.0  # its cost falls on firms
    else:
        assert float(on.sel(lever=lever)) > 0.0


P = default_parameters()


def _zero(name):
    return P.with_overrides({name: 0.0})


def test_cluster_subsidy_price_channel_vanishes_without_pass_through():
    demand, shock, price = np.ones((4, 3)), np.zeros((4, 3)), np.ones(3)
    va = np.array([0.3, 0.4, 0.5])
    base = goods.external_demand(demand, shock, price, price, 2.0, np.zeros(3))
    p = _zero("subsidy_price_pass_through")
    cut = p.subsidy_price_pass_through * 0.1 * va
    np.testing.assert_array_equal(goods.external_demand(demand, shock, price, price, 2.0, cut), base)
    assert (
        goods.external_demand(demand, shock, price, price, 2.0, P.subsidy_price_pass_through * 0.1 * va) > base
    ).all()


def test_chain_leader_support_raises_local_sourcing_and_vanishes_without_its_effect():
    local_input = np.array([[0.1, 0.2], [0.1, 0.1]])
    share = np.array([0.6, 0.6])
    support = np.array([0.5, 0.0])
    raised = programmes.local_sourcing(local_input, support, P.supplier_development_effect, share)
    assert (raised[:, 0] > local_input[:, 0]).all() and (raised[:, 1] == local_input[:, 1]).all()
    np.testing.assert_array_equal(programmes.local_sourcing(local_input, support, 0.0, share), local_input)
    # never beyond all of the cluster's inputs
    assert programmes.local_sourcing(local_input, np.array([50.0, 0.0]), 1.0, share)[:, 0].sum() == pytest.approx(0.6)


@pytest.mark.parametrize(
    "lever,effect", [("fdi_attraction", "fdi_promotion_effect"), ("taiwan_cooperation", "taiwan_entry_effect")]
)
def test_promotion_raises_foreign_entry_and_vanishes_without_its_effect(lever, effect):
    output, share = np.array([10.0, 10.0]), np.array([0.5, 0.5])
    on = np.array([2.0, 0.0])

    def rate(p):
        fdi = p.fdi_promotion_effect * on if lever == "fdi_attraction" else np.zeros(2)
        taiwan = p.taiwan_entry_effect * on if lever == "taiwan_cooperation" else np.zeros(2)
        return dynamics.foreign_entry_rate(120.0, 1.0, share, output, fdi, taiwan, 0.65)

    base = dynamics.foreign_entry_rate(120.0, 1.0, share, output, np.zeros(2), np.zeros(2), 0.65)
    assert rate(P)[0] > base[0]
    np.testing.assert_array_equal(rate(_zero(effect)), base)


def test_shanghai_integration_channels_vanish_without_their_effects():
    orders = np.ones((4, 2))
    p = P.with_overrides({"shanghai_market_access_effect": 0.0, "shanghai_tech_spillover": 0.0})
    np.testing.assert_array_equal(
        goods.external_orders_with_levers(orders, 0, 3, p.shanghai_market_access_effect * 0.3, 0.1, np.zeros(2)), orders
    )
    assert (
        goods.external_orders_with_levers(orders, 0, 3, P.shanghai_market_access_effect * 0.3, 0.1, np.zeros(2))[0, 0]
        > 1.0
    )
    smoothed = np.ones(2)
    base = firm_rules.frontier_growth(0.02, 0.0, 0.0, 0.04, smoothed, smoothed)
    np.testing.assert_array_equal(
        firm_rules.frontier_growth(0.02, p.shanghai_tech_spillover, 0.3, 0.04, smoothed, smoothed), base
    )


def test_migration_pull_vanishes_without_its_effect():
    """Talent programmes raise arrivals by their effect; the amenity of public services multiplies
    the wage-gap pull (model.markets.labour.migration_pull) by its own effect."""
    from model.markets import labour

    assert programmes.migration_pull(1.0, P) > 0.0
    assert programmes.migration_pull(1.0, _zero("talent_attraction_effect")) == 0.0
    demand = np.ones(2)
    with_services = labour.migration_pull(np.ones(2), demand, 0, 0.06, 1.0, 0.02, P.migration_amenity_effect)
    assert with_services > 1.0
    assert labour.migration_pull(np.ones(2), demand, 0, 0.06, 1.0, 0.02, 0.0) == 1.0


def test_public_capital_raises_productivity_only_with_its_elasticity():
    assert capital_rules.productivity_growth(P.public_capital_elasticity, 100.0, 103.0, 100.0, 101.0) > 0.0
    assert capital_rules.productivity_growth(0.0, 100.0, 103.0, 100.0, 101.0) == 0.0


def test_village_floor_space_earns_rent_only_with_its_yield():
    assets, sales = np.array([1e8, 0.0]), np.array([1e9, 1e9])
    assert village_rules.floor_rent_rate(assets, P.village_floor_rent_yield, sales)[1] > 0.0
    np.testing.assert_array_equal(village_rules.floor_rent_rate(assets, 0.0, sales), 0.0)
    assert village_rules.floor_rent_rate(assets, 0.06, np.zeros(2))[1] == 0.0  # no firm on its land: empty


def test_no_lever_writes_its_targets_own_variable():
    """Village support is a capital grant: in the month it is paid, village income (rent and
    dividends) is exactly what it would have been without it; it rises only once floor space is
    built and let. Chain-leader support adds nothing to outside orders."""

    def first_month(*policies):
        m = KunshanModel(Scenario(horizon="2022-03", policies=policies), scale=SCALE, rng=np.random.SeedSequence(3))
        m.step()
        return m.state

    base = first_month()
    grant = first_month(Policy("village_collective_support", None, None, None, 2000.0))
    np.testing.assert_array_equal(grant.villages.income, base.villages.income)
    assert grant.villages.deposits.sum() > base.villages.deposits.sum()  # the grant arrived
    chain = first_month(Policy("chain_leader_support", "all", None, None, 0.5))
    np.testing.assert_array_equal(chain.economy.external_demand, base.economy.external_demand)


def test_costs_csv_rows_and_difference_per_100_yi():
    import xarray as xr

    from model.outputs import targets

    years, levers = [2021, 2022, 2023], list(programmes.LEVER_NAMES)
    cost = np.zeros((2, 3, len(levers)))
    cost[:, 1:, levers.index("public_investment")] = [[10.0, 30.0], [20.0, 40.0]]
    make = lambda c: xr.Dataset(
        {"policy_cost": (("seed", "year", "lever"), c)},  # noqa: E731
        coords={"seed": [0, 1], "year": years, "lever": levers},
    )
    rows = targets.cost_rows([("base", make(np.zeros_like(cost))), ("push", make(cost))])
    push = next(r for r in rows if r["scenario"] == "push" and r["lever"] == "public_investment")
    assert (push["cost_total"], push["cost_first_year"], push["cost_last_year"]) == (50.0, 15.0, 35.0)
    assert all(r["cost_total"] == 0.0 for r in rows if r["scenario"] == "base")
    assert targets._total_cost(make(cost)) == 50.0
