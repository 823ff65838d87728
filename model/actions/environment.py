"""The world outside Kunshan moves first: world prices drift, demand from outside follows its
random walk, relocation takes demand and capacity away."""

from __future__ import annotations

import numpy as np

from model.actions.common import NC
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State
from model.streams import RandomStreams


def update_external_environment(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """World prices drift with inflation; demand from outside follows a common random walk around
    its trend, with smaller cluster-specific shocks; relocation moves demand and capacity away."""
    e = s.economy
    e.world_price *= 1.0 + p.producer_inflation / 12.0
    sigma = p.export_demand_volatility / np.sqrt(12.0)
    common = sigma * draws.environment.normal()
    by_cluster = 0.5 * sigma * draws.environment.normal(size=NC)
    real_growth = (p.export_demand_growth - p.producer_inflation) / 12.0
    e.external_demand *= np.exp(real_growth - 0.5 * sigma**2 * 1.25 + common + by_cluster)[None, :]
    e.external_demand *= (1.0 - pol.relocation)[None, :]
    e.capacity_lost = 1.0 - (1.0 - e.capacity_lost) * (1.0 - pol.relocation)
