"""The rest of the world: demand from outside Kunshan and the prices of competing goods."""

from __future__ import annotations

import numpy as np


def external_demand_growth(
    trend_growth: float,
    inflation: float,
    volatility: float,
    cluster_ratio: float,
    common_normal: float,
    cluster_normals: np.ndarray,
    premium: np.ndarray | float = 0.0,
) -> np.ndarray:
    """This month's factor on real demand from outside, by cluster: a common random walk around the
    real trend with smaller cluster shocks, mean-preserving in the shocks.

        x_c = exp(g_c - (1 + r²) σ²/2 + σ ε + r σ ε_c),   σ = volatility / √12,
        g_c = (trend + π_c - inflation) / 12

    with ε the month's common standard normal, ε_c the clusters' and r = ``cluster_ratio`` the size
    of a cluster shock relative to the common one; π_c (``premium``, 1/year) is the faster growth of
    the demand for a cluster's kind of product (the strategic emerging ones: strategic_demand_premium)."""
    sigma = volatility / np.sqrt(12.0)
    common = sigma * common_normal
    by_cluster = cluster_ratio * sigma * cluster_normals
    real_growth = (trend_growth + premium - inflation) / 12.0
    return np.exp(real_growth - 0.5 * sigma**2 * (1.0 + cluster_ratio**2) + common + by_cluster)


def common_log_shock(volatility: float, common_normal: float) -> float:
    """The common part of this month's log shock to outside demand, sigma eps with sigma =
    volatility / sqrt(12): its sum over months is the run's realised exogenous demand path."""
    return float(volatility / np.sqrt(12.0) * common_normal)


def market_growth_factor(annual_deviation: np.ndarray) -> np.ndarray:
    """This month's factor on each market's demand from its own deviation from the trend: the year's
    log deviation spread evenly over its twelve months, exp(d_m / 12) (the draws are annual:
    model.uncertainty.exogenous_paths)."""
    return np.exp(np.asarray(annual_deviation, dtype=float) / 12.0)


def outside_or_local_growth(
    outside: np.ndarray, local_last: np.ndarray, local_before: np.ndarray, serves_locally: np.ndarray, weight: float
) -> np.ndarray:
    """This month's factor on outside demand, (market, cluster): the outside factor for tradable
    clusters; for services and construction the growth of local demand last month, blended,

        x_mc = (L_c,t-1 / L_c,t-2)^w  outside_mc^(1 - w),   w = ``weight``,

    so that with w = 1 their outside demand is a fixed multiple of local demand a month before
    (the product of the ratios telescopes: no drift, no accumulated noise)."""
    ok = serves_locally & (local_before > 0) & (local_last > 0)
    local = np.divide(local_last, local_before, out=np.ones_like(local_last), where=ok)
    blended = local[None, :] ** weight * outside ** (1.0 - weight)
    return np.where(serves_locally[None, :], blended, outside)


def producer_inflation(trend: float, deviation: float) -> float:
    """This year's producer-price inflation: the scenario's trend plus the run's drawn deviation."""
    return float(trend + deviation)


def capacity_lost(lost_before: np.ndarray, relocation: np.ndarray) -> np.ndarray:
    """Share of each cluster's capacity relocated abroad so far: 1 - L' = (1 - L)(1 - relocation)."""
    return 1.0 - (1.0 - lost_before) * (1.0 - relocation)
