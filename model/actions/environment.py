"""The world outside Kunshan moves first: world prices drift with producer-price inflation, demand
from outside follows its random walk and each market's own deviation, relocation takes demand and
capacity away."""

from __future__ import annotations

from model.actions.common import NC, TABLE
from model.agents import rest_of_world
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State
from model.streams import RandomStreams

SERVES_LOCALLY = TABLE.serves_locally
EMERGING = TABLE.is_emerging.astype(float)


def update_external_environment(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """World prices drift with this year's producer-price inflation (the parameter plus the run's
    drawn deviation); demand from outside follows a common random walk around its trend, with
    smaller cluster-specific shocks, faster for the strategic emerging products (the six and the
    pioneers: strategic_demand_premium), and each market's drawn deviation from the trend (Shanghai,
    Suzhou, the rest of China and the world move apart: model.data.processes). Services and
    construction serve mostly local buyers: their outside demand follows local demand instead
    (issue 13, mechanism 6). Relocation moves demand and capacity away."""
    e = s.economy
    inflation = rest_of_world.producer_inflation(p.producer_inflation, e.producer_inflation_deviation)
    e.world_price *= 1.0 + inflation / 12.0
    common = draws.environment.normal()
    e.external_demand_shock += rest_of_world.common_log_shock(p.export_demand_volatility, common)
    by_cluster = draws.environment.normal(size=NC)
    outside = (
        rest_of_world.external_demand_growth(
            p.export_demand_growth,
            inflation,
            p.export_demand_volatility,
            p.export_demand_cluster_shock_ratio,
            common,
            by_cluster,
            p.strategic_demand_premium * EMERGING,
        )[None, :]
        * rest_of_world.market_growth_factor(e.market_growth_deviation)[:, None]
    )
    e.external_demand *= rest_of_world.outside_or_local_growth(
        outside, e.local_demand_last, e.local_demand_before, SERVES_LOCALLY, p.local_demand_weight_nontradable
    )
    e.external_demand *= (1.0 - pol.relocation)[None, :]
    e.capacity_lost = rest_of_world.capacity_lost(e.capacity_lost, pol.relocation)
