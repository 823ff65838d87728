"""Price and pay-scale setting by cluster, at the end of the month.

Pure functions of cluster arrays: pay scales follow the negotiated trend and labour-market pressure;
producer prices follow inflation, pass on part of unit labour cost growth, and respond to excess
demand.
"""

from __future__ import annotations

import numpy as np


def pay_scale_growth(trend: float, wage_policy: float, vacancy_sensitivity: float,
                     vacancy_rate: np.ndarray) -> np.ndarray:
    """Monthly growth of every pay scale of a cluster:

        g_c = (trend + wage_policy) / 12 + s_v v_c

    with v_c the cluster's vacancy rate; a wage policy of -1 or below is a freeze (g = 0)."""
    if wage_policy <= -1.0:
        return np.zeros(len(vacancy_rate))
    return (trend + wage_policy) / 12.0 + vacancy_sensitivity * vacancy_rate


def price_growth_factor(pay_growth: np.ndarray, frontier_growth: np.ndarray, inflation: float, pass_through: float,
                        excess_demand: np.ndarray, sensitivity: float, excess_bound: float) -> np.ndarray:
    """Factor on each cluster's producer price this month:

        P'/P = (1 + π/12 + θ (g_w - g_A - π/12)) (1 + s_x clip(x, -b, b) / 12)

    π trend inflation, θ the pass-through of unit labour cost growth beyond inflation (pay growth
    g_w less productivity growth g_A), x the cluster's excess demand, bounded by b."""
    excess = np.clip(excess_demand, -excess_bound, excess_bound)
    unit_labour_cost = pay_growth - frontier_growth - inflation / 12.0
    return (1.0 + inflation / 12.0 + pass_through * unit_labour_cost) * (1.0 + sensitivity * excess / 12.0)
