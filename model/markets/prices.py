"""Price and pay-scale setting by cluster, at the end of the month.

Pure functions of cluster arrays: pay scales follow a wage Phillips curve (inflation, productivity,
unemployment against its natural rate, vacancies, wage policy);
producer prices follow inflation, pass on part of unit labour cost growth, and respond to excess
demand.
"""

from __future__ import annotations

import numpy as np


def unemployment_rate(job_seekers: float, employed: float) -> float:
    """Share of the labour force seeking work: u = U / (U + N) (0 without a labour force)."""
    labour_force = job_seekers + employed
    return job_seekers / labour_force if labour_force > 0 else 0.0


def pay_scale_growth(inflation: float, productivity_growth: np.ndarray, productivity_elasticity: float,
                     wage_policy: float, phillips_slope: float, unemployment: float, natural_unemployment: float,
                     vacancy_sensitivity: float, vacancy_rate: np.ndarray, downward_rigidity: float) -> np.ndarray:
    """Monthly growth of every pay scale of a cluster, a wage Phillips curve:

        g*_c = (π + wage_policy + κ (u* - u)) / 12 + ε g_A,c + s_v v_c
        g_c = g*_c if g*_c >= 0, else (1 - ρ) g*_c

    π trend inflation, g_A,c the month's growth of the cluster's productivity frontier, u the
    unemployment rate against its natural rate u* (slope κ, both ways), v_c the cluster's vacancy
    rate, ρ downward nominal rigidity; a wage policy of -1 or below is a freeze (g = 0)."""
    if wage_policy <= -1.0:
        return np.zeros(len(vacancy_rate))
    growth = (inflation + wage_policy + phillips_slope * (natural_unemployment - unemployment)) / 12.0
    growth = growth + productivity_elasticity * productivity_growth + vacancy_sensitivity * vacancy_rate
    return np.where(growth < 0.0, (1.0 - downward_rigidity) * growth, growth)


def price_growth_factor(pay_growth: np.ndarray, frontier_growth: np.ndarray, inflation: float, pass_through: float,
                        excess_demand: np.ndarray, sensitivity: float, excess_bound: float) -> np.ndarray:
    """Factor on each cluster's producer price this month:

        P'/P = (1 + π/12 + θ (g_w - g_A - π/12)) (1 + s_x clip(x, -b, b) / 12)

    π trend inflation, θ the pass-through of unit labour cost growth beyond inflation (pay growth
    g_w less productivity growth g_A), x the cluster's excess demand, bounded by b."""
    excess = np.clip(excess_demand, -excess_bound, excess_bound)
    unit_labour_cost = pay_growth - frontier_growth - inflation / 12.0
    return (1.0 + inflation / 12.0 + pass_through * unit_labour_cost) * (1.0 + sensitivity * excess / 12.0)
