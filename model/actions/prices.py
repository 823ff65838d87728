"""Price and pay-scale setting at the end of the month: pay scales follow the market; each firm's
price moves towards a markup on its unit cost; the cluster's price index weights them by share."""

from __future__ import annotations

import numpy as np

from model.actions.common import TABLE, by_cluster, investment_price
from model.markets import prices
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State


def set_prices_and_wages(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Pay scales grow along a wage Phillips curve: inflation, productivity growth, the wage policy
    and the unemployment gap, both ways, plus vacancies (a wage freeze stops them); every firm's
    price closes part of the gap to its markup on unit cost (wages over productivity, inputs,
    capital, taxes less subsidies; the markup follows excess demand); the cluster's producer price
    is its firms' share-weighted mean (a dearer cluster then loses external demand, a dearer firm
    loses market share)."""
    e, f = s.economy, s.firms
    n, c, w = s.firms.live()
    unemployment = prices.unemployment_rate(s.flows.job_seekers, s.flows.employed)
    growth = prices.pay_scale_growth(
        p.producer_inflation + e.producer_inflation_deviation,
        e.frontier_growth,
        p.wage_productivity_elasticity,
        pol.wage_policy,
        p.wage_phillips_slope,
        unemployment,
        p.natural_unemployment_rate,
        p.wage_vacancy_sensitivity,
        e.vacancy_rate,
        p.downward_wage_rigidity,
    )
    e.base_wage *= 1.0 + growth
    f.wage[:n] *= (1.0 + growth)[c]
    # the share of the production subsidy passed on lowers the unit cost prices are set on (issue 12)
    cost = unit_costs(s, p, p.subsidy_price_pass_through * pol.cluster_subsidy, investment_price(s, pol))
    e.markup = prices.markup(e.markup_base, p.markup_response, e.excess_demand, p.excess_demand_bound)
    f.price[:n] = prices.adjust_price(f.price[:n], cost, e.markup[c], p.price_adjustment_monthly)
    share = f.demand_share[:n]
    e.price = prices.price_index(f.price[:n], share, w, lambda v: by_cluster(s, v), e.price)
    e.unit_cost = prices.price_index(cost, share, w, lambda v: by_cluster(s, v), e.unit_cost)


def unit_costs(s: State, p: Parameters, subsidy: np.ndarray, capital_goods_price: float) -> np.ndarray:
    """Each firm's unit cost (model.markets.prices.unit_cost) at this month's pay, productivity and
    prices: the clusters' input, capital and net-tax terms gathered to the firms."""
    e, f = s.economy, s.firms
    n, c, _ = s.firms.live()
    va = TABLE.va_ratio
    materials = (1.0 - va) * prices.input_price(e.local_input, e.price, e.world_price, 1.0 - va)
    capital = prices.capital_cost(
        TABLE.capital_output, p.deposit_interest_rate + p.loan_spread, p.depreciation_rate, capital_goods_price
    )
    net_tax = (p.vat_rate - subsidy) * va * e.price
    return prices.unit_cost(
        f.wage[:n], e.labour_per_output[c], f.productivity[:n], materials[c], capital[c], net_tax[c]
    )


def start_prices(s: State, p: Parameters) -> None:
    """At the start: the markup of each cluster that makes its 2021 price index 1 at 2021 costs
    (μ̄_c = 1 / C_c - 1, C_c the share-weighted mean unit cost), and each firm's price its markup
    on its own unit cost (so the firms of a cluster differ in price as they differ in cost)."""
    e, f = s.economy, s.firms
    n, c, w = s.firms.live()
    cost = unit_costs(s, p, np.zeros(len(e.price)), float(e.final_buyer_mix[2] @ e.price))
    share = f.demand_share[:n]
    mean_cost = prices.price_index(cost, share, w, lambda v: by_cluster(s, v), np.ones(len(e.price)))
    e.unit_cost = mean_cost
    e.markup_base = 1.0 / mean_cost - 1.0
    e.markup = e.markup_base.copy()
    f.price[:n] = (1.0 + e.markup_base[c]) * cost
