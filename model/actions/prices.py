"""Price and pay-scale setting at the end of the month."""

from __future__ import annotations

from model.markets import prices
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State


def set_prices_and_wages(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Pay scales grow along a wage Phillips curve: inflation, productivity growth, the wage policy
    and the unemployment gap, both ways, plus vacancies (a wage freeze stops them); producer prices follow world prices, pass on part of unit labour cost growth, and
    respond to excess demand (a dearer cluster then loses external demand)."""
    e, f = s.economy, s.firms
    n, c, _ = s.firms.live()
    unemployment = prices.unemployment_rate(s.flows.job_seekers, s.flows.employed)
    growth = prices.pay_scale_growth(p.producer_inflation, e.frontier_growth, p.wage_productivity_elasticity,
                                     pol.wage_policy, p.wage_phillips_slope, unemployment, p.natural_unemployment_rate,
                                     p.wage_vacancy_sensitivity, e.vacancy_rate, p.downward_wage_rigidity)
    e.base_wage *= 1.0 + growth
    f.wage[:n] *= (1.0 + growth)[c]
    e.price *= prices.price_growth_factor(growth, e.frontier_growth, p.producer_inflation,
                                          p.unit_labour_cost_pass_through, e.excess_demand,
                                          p.price_excess_demand_sensitivity, p.excess_demand_bound)
