"""Price and pay-scale setting at the end of the month."""

from __future__ import annotations

import numpy as np

from model.actions.common import NC, live_rows
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State


def set_prices_and_wages(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Pay scales grow with the negotiated trend and labour-market pressure (a wage freeze stops
    them); producer prices follow world prices, pass on part of unit labour cost growth, and
    respond to excess demand (a dearer cluster then loses external demand)."""
    e, f = s.economy, s.firms
    n, c, _ = live_rows(s)
    if pol.wage_policy <= -1.0:
        growth = np.zeros(NC)
    else:
        growth = (p.wage_growth_trend + pol.wage_policy) / 12.0 + p.wage_vacancy_sensitivity * s.flows["vacancy_rate"]
    e.base_wage *= 1.0 + growth
    f.wage[:n] *= (1.0 + growth)[c]
    excess = np.clip(s.flows["excess_demand"], -0.2, 0.2)
    # unit labour cost growth beyond what inflation alone would bring
    unit_labour_cost = growth - s.flows["frontier_growth"] - p.producer_inflation / 12.0
    e.price *= (1.0 + p.producer_inflation / 12.0 + p.unit_labour_cost_pass_through * unit_labour_cost) * (
        1.0 + p.price_excess_demand_sensitivity * excess / 12.0)
