"""The county budget: tax sharing between levels of government, transfers from higher levels,
interest on net debt, and the debt limit with its order of cuts. Pure functions."""

from __future__ import annotations

import numpy as np


def kunshan_share(central_share: float, local_part_share: float) -> float:
    """Kunshan's share of a tax collected in Kunshan: what the central budget leaves, times the part
    of the local half the province and Suzhou leave to the county (solved at the start so that 2021's
    budget revenue comes out).

        θ_k = (1 - c_k) λ"""
    return (1.0 - central_share) * local_part_share


def higher_level_transfer(remitted: float, transfer_share: float) -> float:
    """Transfers from higher levels this month: a share of what went up.

    T_h = τ · remitted"""
    return transfer_share * remitted


def interest_on_net_debt(net_debt: float, debt_rate: float, deposit_rate: float) -> float:
    """Interest the budget pays the bank this month (negative: interest it earns on net deposits).

    i = r_g/12 max(D, 0) - r_d/12 max(-D, 0)"""
    return debt_rate / 12.0 * max(net_debt, 0.0) - deposit_rate / 12.0 * max(-net_debt, 0.0)


def debt_headroom(net_debt: float, limit_of_gdp: float, annual_gdp: float) -> float:
    """How far net debt is below its limit (negative: above it).

    H = ℓ Y - D"""
    return limit_of_gdp * annual_gdp - net_debt


def cut_in_order(orders: np.ndarray, excess: float) -> np.ndarray:
    """Orders after cuts of ``excess`` yuan taken in the order given (the first order is cut to zero
    before the second is touched, and so on); nothing is cut when ``excess`` <= 0.

        o'_j = o_j - min(o_j, max(E - Σ_{k<j} o_k, 0))"""
    orders = np.asarray(orders, dtype=float)
    if excess <= 0:
        return orders.copy()
    before = np.concatenate([[0.0], np.cumsum(orders)[:-1]])
    cut = np.minimum(orders, np.maximum(excess - before, 0.0))
    return orders - cut
