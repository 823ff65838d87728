"""Firms invest and innovate: capital wears out, investment and R&D are ordered for next month,
R&D brings productivity jumps, the frontier moves, demand shares shift."""

from __future__ import annotations

from model.actions.common import TABLE, effective_price, investment_price
from model.agents import firms as firm_rules
from model.arrays import smooth, sparse_draws, wsum
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State
from model.streams import RandomStreams


def invest_and_innovate(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Capital wears out; firms order capital goods and R&D for next month (R&D partly paid by the
    budget); R&D brings productivity jumps; the cluster frontier moves with trend, agglomeration
    and spillovers from Shanghai; demand shares follow Gibrat shocks and productivity."""
    f, e, sec = s.firms, s.economy, s.sectors
    n, c, w = s.firms.live()
    price = effective_price(s, pol)
    f.capital[:n] *= 1.0 - p.depreciation_rate / 12.0
    credit_limit = p.credit_limit_of_capital * e.credit_supply * f.capital[:n] * price[c]  # rationed when bank capital binds
    f.investment_order[:n] = firm_rules.investment_order(
        f.capital[:n], f.expected_sales[:n], e.expected_growth[c], TABLE.capital_output[c], p.depreciation_rate,
        p.capital_adjustment_monthly, investment_price(s, pol), f.deposits[:n], credit_limit,
        0.0) * f.alive[:n]  # no boost: the production subsidy acts through firms' cash and price (issue 12)
    base = e.rd_intensity_base  # cluster-level rates, gathered to firms once each
    intensity_c, grant_rate_c, ratio_c = firm_rules.rd_intensity(base, pol.rd_subsidy)
    sales = f.sales[:n] * f.alive[:n]
    f.rd_order[:n] = intensity_c[c] * sales
    rd_grant = grant_rate_c[c] * sales
    f.deposits[:n] += rd_grant
    grant_total = wsum(w, rd_grant)
    sec.government -= grant_total

    chance_c = firm_rules.innovation_chance(ratio_c, p.innovation_probability)
    rows, uniform = sparse_draws(draws.innovation, n, float(chance_c.max()))
    f.productivity[:n], gain = firm_rules.innovation_jumps(f.productivity[:n], chance_c[c], p.innovation_jump_mean,
                                                           rows, uniform, draws.innovation.exponential(size=len(rows)))
    real_output = s.flows.real_value_added_by_cluster
    previous = e.cluster_output_smoothed
    e.cluster_output_smoothed = smooth(previous, real_output, p.agglomeration_output_smoothing)
    frontier_growth = firm_rules.frontier_growth(p.trend_productivity_growth, p.shanghai_tech_spillover,
                                                 pol.shanghai_integration, p.agglomeration_elasticity, previous,
                                                 e.cluster_output_smoothed)
    frontier_growth += e.public_productivity_growth  # public capital beyond its ordinary path (model.actions.public)
    e.productivity_frontier *= 1.0 + frontier_growth
    f.productivity[:n] *= (1.0 + frontier_growth)[c]
    f.demand_share[:n] = firm_rules.update_demand_share(f.demand_share[:n], draws.demand_shares.normal(size=n),
                                                        p.demand_share_volatility, gain, p.competitiveness_elasticity)
    s.flows.rd_grants = grant_total
    e.frontier_growth = frontier_growth
