"""Every policy lever as a funded programme: what it costs the budget this month per unit of its
size, and the size of the channel it acts through. Pure functions over the month's lever sizes
and a few aggregates; the actions pay the costs and apply the channels.

Costs are of three kinds, each paid where the money goes: purchases (services the budget buys
from firms: investment promotion, supplier development, talent services, public services),
public investment (transport and platforms, public works) and transfers (production subsidies and
R&D grants to firms, transfers to households, capital grants to villages). ``wage_policy`` costs
the budget nothing: its cost falls on firms.
"""

from __future__ import annotations

import numpy as np

from model.agents.households import training_cost_monthly
from model.constants import WAN, YI
from model.policy import LEVERS

LEVER_NAMES: tuple[str, ...] = tuple(LEVERS)
INDEX = dict(zip(LEVER_NAMES, range(len(LEVER_NAMES))))
PURCHASES = (
    "public_services",
    "fdi_attraction",
    "taiwan_cooperation",
    "talent_attraction",
    "chain_leader_support",
    "rural_training",
)
INVESTMENT = ("public_investment", "shanghai_integration")
# What gives when net debt passes its limit, first to last: ordinary public investment, then the
# programmes the budget buys (investment first), then capital grants to villages. Pensions,
# transfers, subsidies and R&D grants are paid by rule and ordinary public consumption (staff,
# running costs) is kept.
CUT_ORDER: tuple[str, ...] = ("ordinary_public_investment", *INVESTMENT, *PURCHASES, "village_collective_support")
PURCHASE_ROWS = np.array(list(map(INDEX.get, PURCHASES)))
INVESTMENT_ROWS = np.array(list(map(INDEX.get, INVESTMENT)))
CUT_ROWS = np.array(list(map(INDEX.get, CUT_ORDER[1:])))  # the programmes' rows, after ordinary investment
SIZED = (
    "chain_leader_support",
    "fdi_attraction",
    "taiwan_cooperation",
    "talent_attraction",
    "public_services",
    "shanghai_integration",
    "public_investment",
    "village_collective_support",
    "rural_training",
)


def programme_orders(
    sizes: dict[str, np.ndarray | float],
    p,
    leader_sales_by_cluster: np.ndarray,
    migrant_arrivals: float,
    gdp_month: float,
    villages: int,
    rural_trainees: float = 0.0,
) -> np.ndarray:
    """Next month's purchases and investment of each programme and this month's village grants,
    yuan, by lever (zero for the levers paid as transfers elsewhere):

        chain leaders:  s_c · κ_chain · S^leaders_c          (supplier development, purchases)
        FDI, Taiwan:    s_c · c_promo · 1e8 / 12 per cluster  (investment promotion, purchases)
        talent:         s · c_talent · arrivals               (talent services, purchases)
        services:       s · Y                                 (public services, purchases)
        Shanghai:       s · c_sh · Y                          (transport and platforms, investment)
        investment:     s · Y                                 (public works, investment)
        villages:       s · 1e4 / 12 · villages               (capital grants)
        training:       s · rural labour force / 12           (vocational training, purchases)"""
    out = np.zeros(len(LEVER_NAMES))
    out[INDEX["chain_leader_support"]] = float(
        np.dot(sizes["chain_leader_support"], leader_sales_by_cluster) * p.supplier_programme_cost_of_leader_sales
    )
    promotion = p.investment_promotion_cost_yi * YI / 12.0
    out[INDEX["fdi_attraction"]] = float(np.sum(sizes["fdi_attraction"])) * promotion
    out[INDEX["taiwan_cooperation"]] = float(np.sum(sizes["taiwan_cooperation"])) * promotion
    out[INDEX["talent_attraction"]] = sizes["talent_attraction"] * p.talent_subsidy_per_arrival_yuan * migrant_arrivals
    out[INDEX["public_services"]] = sizes["public_services"] * max(gdp_month, 0.0)
    out[INDEX["shanghai_integration"]] = (
        sizes["shanghai_integration"] * p.shanghai_integration_cost_of_gdp * max(gdp_month, 0.0)
    )
    out[INDEX["public_investment"]] = sizes["public_investment"] * max(gdp_month, 0.0)
    out[INDEX["village_collective_support"]] = sizes["village_collective_support"] * WAN / 12.0 * villages
    out[INDEX["rural_training"]] = training_cost_monthly(sizes["rural_training"], rural_trainees)
    return out


def migration_pull(talent_attraction: float, p) -> float:
    """Relative rise of migrants' arrivals from the talent programmes (housing and hukou services)
    the budget buys; the amenity of public services acts with the wage gap in
    model.markets.labour.migration_pull.

        a = α_talent · s_talent"""
    return p.talent_attraction_effect * talent_attraction


def local_sourcing(local_input: np.ndarray, support: np.ndarray, effect: float, input_share: np.ndarray) -> np.ndarray:
    """Local input coefficients (supplier, buyer) after supplier development: each supported
    cluster's purchases of local inputs rise by effect x support, at most to all of its inputs.

        a'_{·,c} = a_{·,c} min(1 + η s_c, (1 - v_c) / Σ_k a_{k,c})"""
    if not np.any(support):
        return local_input
    column = local_input.sum(axis=0)
    room = np.where(column > 0, input_share / np.where(column > 0, column, 1.0), 1.0)
    return local_input * np.minimum(1.0 + effect * support, np.maximum(room, 1.0))[None, :]
