"""The goods market: every buyer's orders meet the firms' output and stocks; payments; deliveries of
capital goods and R&D ordered last month; firms' expectation of demand growth."""

from __future__ import annotations

import numpy as np

from model.actions.common import (
    NC,
    TABLE,
    by_cluster,
    effective_price,
    effective_world_price,
    investment_price,
)
from model.agents import firms as firm_rules
from model.agents import programmes
from model.arrays import wsum
from model.markets import goods
from model.params import Parameters
from model.policy import MARKETS, MonthPolicy
from model.state import State

SHANGHAI, WORLD = MARKETS.index("shanghai"), MARKETS.index("world")


def sell(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """The goods market: every buyer's orders meet the firms' output and stocks; buyers pay for what
    local firms deliver and import the rest; capital goods and R&D ordered last month arrive."""
    f, e, hs, sec = s.firms, s.economy, s.households, s.sectors
    n, c, w = s.firms.live()
    hw = e.household_weight
    price = effective_price(s, pol)
    output_by_cluster = by_cluster(s, w * f.output[:n])
    ext = goods.external_demand(
        e.external_demand, pol.export_demand, price, effective_world_price(s, pol), p.export_price_elasticity, 0.0
    )  # production subsidies act through the price (its unit cost)
    ext = goods.external_orders_with_levers(
        ext,
        SHANGHAI,
        WORLD,
        p.shanghai_market_access_effect * pol.shanghai_integration,
        p.taiwan_export_order_share,
        pol.taiwan_cooperation,
    )
    external_c = ext.sum(axis=0)

    consumption_h = hs.consumption_order[: hs.n] * hs.alive[: hs.n]  # ordered last month; none on arrival
    firm_investment = f.investment_order[:n] * f.alive[:n]
    rd = f.rd_order[:n] * f.alive[:n]
    village_investment = e.village_investment_order
    household_consumption = consumption_h.sum() * hw
    spending = np.array(
        [
            household_consumption,
            e.government_spending_order,
            wsum(w, firm_investment),
            wsum(w, rd),
            e.public_investment_order + village_investment,
        ]
    )
    import_share = e.final_import_share
    intermediate = f.intermediate[:n]
    intermediate[:] = (1.0 - TABLE.va_ratio)[c] * f.output[:n]
    local_final = goods.local_demand(spending, import_share, e.final_buyer_mix)
    local_input = programmes.local_sourcing(
        e.local_input, pol.chain_leader_support, p.supplier_development_effect, 1.0 - TABLE.va_ratio
    )
    local_intermediate = goods.intermediate_demand(local_input, output_by_cluster)
    demand = external_c + local_final + local_intermediate
    e.local_demand_before = e.local_demand_last
    e.local_demand_last = (local_final + local_intermediate) / price  # at 2021 prices
    share = goods.order_shares(f.demand_share[:n], f.alive[:n])
    available = f.output[:n] + f.inventory[:n]
    sales, fill = goods.allocate_sales(demand, c, share, available, w, NC, s.firms.lanes()[0])
    f.sales[:n] = sales
    stocked = f.output[:n] - sales
    f.inventory[:n] = available - sales  # what is left (sales <= available: never below zero)

    # Payments: every buyer pays its orders in full; local firms receive their sales, the rest
    # leaves Kunshan as imports; buyers outside pay for the exports they get.
    exports_sold = wsum(fill, external_c)
    local_sold = wsum(fill, local_final + local_intermediate)
    intermediate_total = wsum(w, intermediate)
    total_local_spending = spending.sum() + intermediate_total
    imports = total_local_spending - local_sold
    hs.deposits[: hs.n] -= consumption_h
    sec.government -= e.government_spending_order + e.public_investment_order
    s.villages.deposits -= village_investment * s.villages.investment_split
    f.deposits[:n] += sales - firm_investment - rd - intermediate
    sec.rest_of_world += imports - exports_sold

    # Deliveries of capital goods (at 2021 prices) and R&D.
    f.capital[:n] += firm_investment / investment_price(s, pol)
    f.rd_stock[:n] = f.rd_stock[:n] * (1.0 - p.rd_depreciation_rate / 12.0) + rd

    e.expected_growth = firm_rules.expected_demand_growth(
        e.expected_growth, demand, e.last_demand, p.demand_growth_expectation_weight, p.max_expected_growth_monthly
    )
    e.last_demand = demand
    fl = s.flows
    fl.output = wsum(w, f.output[:n])
    fl.intermediate = intermediate_total
    fl.output_by_cluster = output_by_cluster
    fl.real_value_added_by_cluster = by_cluster(s, w * (f.output[:n] - intermediate)) / price
    fl.household_consumption = float(household_consumption)
    fl.government_consumption = float(e.government_spending_order)
    fl.investment = float(spending[2] + spending[3] + spending[4])
    fl.inventory_change = wsum(w, stocked)
    fl.exports_sold = exports_sold
    fl.exports_abroad = wsum(fill, ext[WORLD])
    fl.imports = float(imports)
    fl.imports_abroad = float(imports * e.import_abroad_share)
    fl.rd_spending = float(spending[3])
    fl.demand_by_cluster = demand
    fl.outside_sales_by_cluster = fill * external_c
    fl.rd_by_cluster = by_cluster(s, w * rd)
    fl.imported_inputs_by_cluster = goods.imported_inputs(TABLE.va_ratio, local_input, fill, output_by_cluster)
    e.excess_demand = goods.excess_demand(demand, output_by_cluster)
