"""Firms invest and innovate: capital wears out, investment and R&D are ordered for next month,
R&D brings productivity jumps, the frontier moves, market shares follow competitiveness."""

from __future__ import annotations

import numpy as np

from model.actions.common import TABLE, by_cluster, effective_price, investment_price
from model.agents import firms as firm_rules
from model.arrays import smooth, wsum
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State
from model.streams import RandomStreams


def invest_and_innovate(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Capital wears out; firms order capital goods and R&D for next month (R&D partly paid by the
    budget); R&D brings productivity jumps; the cluster frontier moves with trend, agglomeration
    and spillovers from Shanghai; market shares move by replicator dynamics on competitiveness
    (price and quality) with Gibrat shocks."""
    f, e, sec = s.firms, s.economy, s.sectors
    n, c, w = s.firms.live()
    price = effective_price(s, pol)
    f.capital[:n] *= 1.0 - p.depreciation_rate / 12.0
    credit_limit = (
        p.credit_limit_of_capital * e.credit_supply * f.capital[:n] * price[c]
    )  # rationed when bank capital binds
    f.investment_order[:n] = (
        firm_rules.investment_order(
            f.capital[:n],
            f.expected_sales[:n],
            e.expected_growth[c],
            TABLE.capital_output[c],
            p.depreciation_rate,
            p.capital_adjustment_monthly,
            investment_price(s, pol),
            f.deposits[:n],
            credit_limit,
            0.0,
        )
        * f.alive[:n]
    )  # no boost: the production subsidy acts through firms' cash and price (issue 12)
    base = e.rd_intensity_base  # cluster-level rates, gathered to firms once each
    intensity_c, grant_rate_c, _ = firm_rules.rd_intensity(base, pol.rd_subsidy)  # own share of sales + co-funding
    sales = f.sales[:n] * f.alive[:n]
    f.rd_order[:n] = intensity_c[c] * sales
    rd_grant = grant_rate_c[c] * sales
    f.deposits[:n] += rd_grant
    grant_total = wsum(w, rd_grant)
    sec.government -= grant_total

    # search: innovation and imitation, both more likely the more a firm spends on R&D per worker;
    # one draw of each kind per row, whatever the chances (paired runs meet the same draws)
    ratio = firm_rules.rd_per_worker_ratio(f.rd_order[:n], f.employees[:n], e.rd_per_worker_base[c])
    u_innovate, jump, u_imitate = (
        draws.innovation.random(n),
        draws.innovation.exponential(size=n),
        draws.innovation.random(n),
    )
    productivity = firm_rules.innovate(
        f.productivity[:n],
        firm_rules.innovation_chance(ratio, p.innovation_probability),
        u_innovate,
        jump,
        p.innovation_jump_mean,
    )
    shanghai = e.productivity_frontier * np.exp(p.shanghai_frontier_gap * (1.0 + pol.shanghai_integration))
    f.productivity[:n] = firm_rules.imitate(
        productivity,
        firm_rules.innovation_chance(ratio, p.imitation_probability),
        u_imitate,
        shanghai[c],
        p.imitation_catch_up,
    )
    real_output = s.flows.real_value_added_by_cluster
    previous = e.cluster_output_smoothed
    e.cluster_output_smoothed = smooth(previous, real_output, p.agglomeration_output_smoothing)
    frontier_growth = firm_rules.frontier_growth(
        p.trend_productivity_growth,
        p.shanghai_tech_spillover,
        pol.shanghai_integration,
        p.agglomeration_elasticity,
        previous,
        e.cluster_output_smoothed,
    )
    frontier_growth += e.public_productivity_growth  # public capital beyond its ordinary path (model.actions.public)
    e.productivity_frontier *= 1.0 + frontier_growth
    f.productivity[:n] *= (1.0 + frontier_growth)[c]
    # market shares: replicator dynamics on competitiveness (price and quality), with Gibrat shocks
    share = f.demand_share[:n]
    fitness = firm_rules.competitiveness(
        f.price[:n],
        f.rd_stock[:n],
        f.expected_sales[:n],
        p.competitiveness_price_elasticity,
        p.competitiveness_quality_weight,
    )
    share_total = by_cluster(s, w * share)
    mean_fitness = by_cluster(s, w * share * fitness) / np.where(share_total > 0, share_total, 1.0)
    f.demand_share[:n] = firm_rules.replicator_shares(
        share,
        draws.demand_shares.normal(size=n),
        p.demand_share_volatility,
        fitness,
        mean_fitness[c],
        p.replicator_speed,
    )
    s.flows.rd_grants = grant_total
    e.frontier_growth = frontier_growth


def start_innovation(s: State) -> None:
    """At the start: each cluster's R&D a month per worker, the norm against which a firm's R&D
    per worker sets its chance of innovating (model.agents.firms.innovation_chance)."""
    f, e = s.firms, s.economy
    n, _, w = s.firms.live()
    workers = by_cluster(s, w * f.employees[:n])
    e.rd_per_worker_base = by_cluster(s, w * f.rd_order[:n]) / np.where(workers > 0, workers, 1.0)
