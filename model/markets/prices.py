"""Price and pay-scale setting by cluster, at the end of the month.

Pure functions: pay scales follow a wage Phillips curve (inflation, productivity, unemployment
against its natural rate, vacancies, wage policy); a firm's price is a markup on its unit cost
(wages, inputs, capital, net taxes), reached gradually; the cluster's price index weights its
firms' prices by market share.
"""

from __future__ import annotations

import numpy as np


def unemployment_rate(job_seekers: float, employed: float) -> float:
    """Share of the labour force seeking work: u = U / (U + N) (0 without a labour force)."""
    labour_force = job_seekers + employed
    return job_seekers / labour_force if labour_force > 0 else 0.0


def pay_scale_growth(
    inflation: float,
    productivity_growth: np.ndarray,
    productivity_elasticity: float,
    wage_policy: float,
    phillips_slope: float,
    unemployment: float,
    natural_unemployment: float,
    vacancy_sensitivity: float,
    vacancy_rate: np.ndarray,
    downward_rigidity: float,
) -> np.ndarray:
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


def input_price(
    local_input: np.ndarray, price: np.ndarray, world_price: np.ndarray, intermediate_share: np.ndarray
) -> np.ndarray:
    """Price of each buying cluster's intermediate inputs: local inputs at the supplying clusters'
    prices, the rest (bought outside Kunshan) at the buyer's world price,

        P^in_c = (Σ_s a_{s,c} P_s + (m_c - Σ_s a_{s,c}) W_c) / m_c

    a (supplier, buyer) the local input coefficients, m_c = 1 - v_c the intermediate share."""
    local = local_input.sum(axis=0)
    m = np.where(intermediate_share > 0, intermediate_share, 1.0)
    return (price @ local_input + np.maximum(intermediate_share - local, 0.0) * world_price) / m


def capital_cost(
    capital_output: np.ndarray, interest: float, depreciation: float, investment_price: float
) -> np.ndarray:
    """User cost of capital per yuan of output (2021 prices), by cluster: (r + δ) κ_c P_K, with κ
    the capital-output ratio (years), r the cost of funds and δ depreciation, both a year."""
    return (interest + depreciation) * capital_output * investment_price


def unit_cost(
    wage: np.ndarray,
    labour_per_output: np.ndarray,
    productivity: np.ndarray,
    materials: np.ndarray,
    capital: np.ndarray,
    net_tax: np.ndarray,
) -> np.ndarray:
    """A firm's cost per yuan of output at 2021 prices (arrays per firm, cluster values gathered):

        c_i = w_i ℓ_c / A_i + m_c P^in_c + (r + δ) κ_c P_K + (τ - s_c) v_c P_c

    labour (pay scale times workers per unit, which productivity lowers), inputs, capital, and
    taxes on production less subsidies on value added (``materials``, ``capital`` and ``net_tax``
    are the last three terms)."""
    cost = wage * labour_per_output / productivity
    cost += materials
    cost += capital
    cost += net_tax
    return cost


def markup(base: np.ndarray, response: float, excess_demand: np.ndarray, bound: float) -> np.ndarray:
    """This month's markup by cluster: the base markup, its factor moved by excess demand (and
    never to zero or below),

        μ_c = (1 + μ̄_c) exp(v clip(x_c, -b, b)) - 1"""
    return (1.0 + base) * np.exp(response * np.clip(excess_demand, -bound, bound)) - 1.0


def adjust_price(price: np.ndarray, cost: np.ndarray, markup_: np.ndarray, speed: float) -> np.ndarray:
    """A firm's price closes a share λ of the log gap to its markup on unit cost each month:

    p_i' = p_i ((1 + μ_c) c_i / p_i)^λ   (a firm without a price takes the target)"""
    target = (1.0 + markup_) * cost
    ok = (price > 0) & (target > 0)
    safe = np.where(ok, price, 1.0)
    return np.where(ok, safe * (np.where(ok, target, 1.0) / safe) ** speed, np.maximum(target, 0.0))


def price_index(
    price: np.ndarray, share: np.ndarray, weight: np.ndarray, cluster_sum, fallback: np.ndarray
) -> np.ndarray:
    """The cluster's producer price: its firms' prices weighted by their market shares,

        P_c = Σ_i w_i s_i p_i / Σ_i w_i s_i   (the last index where the cluster has no firm)

    ``cluster_sum`` sums a firm array by cluster."""
    weighted = weight * share
    total = cluster_sum(weighted)
    priced = cluster_sum(weighted * price)
    return np.where(total > 0, priced / np.where(total > 0, total, 1.0), fallback)
