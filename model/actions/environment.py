"""The world outside Kunshan moves first: world prices drift with producer-price inflation, demand
from outside follows its random walk and each market's own deviation, relocation takes demand and
capacity away."""

from __future__ import annotations

from model.actions.common import NC
from model.agents import rest_of_world
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State
from model.streams import RandomStreams


def update_external_environment(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """World prices drift with this year's producer-price inflation (the parameter plus the run's
    drawn deviation); demand from outside follows a common random walk around its trend, with
    smaller cluster-specific shocks, and each market's drawn deviation from the trend (Shanghai,
    Suzhou, the rest of China and the world move apart: model.data.processes); relocation moves
    demand and capacity away."""
    e = s.economy
    inflation = rest_of_world.producer_inflation(p.producer_inflation, e.producer_inflation_deviation)
    e.world_price *= 1.0 + inflation / 12.0
    common = draws.environment.normal()
    e.external_demand_shock += rest_of_world.common_log_shock(p.export_demand_volatility, common)
    by_cluster = draws.environment.normal(size=NC)
    e.external_demand *= rest_of_world.external_demand_growth(
        p.export_demand_growth,
        inflation,
        p.export_demand_volatility,
        p.export_demand_cluster_shock_ratio,
        common,
        by_cluster,
    )[None, :]
    e.external_demand *= rest_of_world.market_growth_factor(e.market_growth_deviation)[:, None]
    e.external_demand *= (1.0 - pol.relocation)[None, :]
    e.capacity_lost = rest_of_world.capacity_lost(e.capacity_lost, pol.relocation)
