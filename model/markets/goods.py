"""The goods market: cluster demand from every buyer, and its allocation to the cluster's firms.

Pure functions, arrays in and arrays out. Demand that local firms cannot serve is imported (local
buyers) or lost (buyers outside Kunshan); the cluster's fill rate applies to every buyer alike, so
each payment has a payer and a receiver.
"""

from __future__ import annotations

import numpy as np

from model.arrays import lanes, matvec, sum_by


def external_demand(
    real_demand: np.ndarray,
    shock: np.ndarray,
    price: np.ndarray,
    world_price: np.ndarray,
    elasticity: float,
    cost_advantage: np.ndarray,
) -> np.ndarray:
    """Nominal demand from each market for each cluster (market, cluster), yuan a month.

    Buyers outside Kunshan pay the cluster's price and switch suppliers when it rises above the world
    price; a production subsidy works through ``cost_advantage`` (share of the price saved).

        X_{m,c} = D_{m,c} max(0, 1 + shock) p_w (p_c (1 - s_c) / p_w)^(1 - ε)
    """
    effective = price * (1.0 - cost_advantage)
    relative = effective / world_price
    return real_demand * np.maximum(0.0, 1.0 + shock) * world_price * relative ** (1.0 - elasticity)


def local_demand(spending: np.ndarray, import_share: np.ndarray, mix: np.ndarray) -> np.ndarray:
    """Demand on local clusters from final buyers: spending (buyer,) split by each buyer's cluster
    mix (buyer, cluster) after the share bought from outside Kunshan.

        L_c = Σ_b S_b (1 - m_b) mix_{b,c}"""
    return ((spending * (1.0 - import_share))[:, None] * mix).sum(axis=0)


def intermediate_demand(local_input: np.ndarray, output_by_cluster: np.ndarray) -> np.ndarray:
    """Local intermediate demand on each supplier cluster: local_input (supplier, buyer) @ output.

    M_c = Σ_c' a_{c,c'} Y_c'"""
    return matvec(local_input, output_by_cluster)


def imported_inputs(
    va_ratio: np.ndarray, local_input: np.ndarray, fill: np.ndarray, output_by_cluster: np.ndarray
) -> np.ndarray:
    """Intermediate inputs each cluster buys outside Kunshan (the rest of China and abroad): its
    inputs less what local suppliers delivered of the orders it placed with them (a share ``fill``
    of each supplier cluster's orders was met).

        IM_b = ((1 - v_b) - Σ_s a_{s,b} f_s) Y_b"""
    return ((1.0 - va_ratio) - matvec(local_input.T, fill)) * output_by_cluster


def allocate_sales(
    demand: np.ndarray,
    cluster: np.ndarray,
    share: np.ndarray,
    available: np.ndarray,
    weight: np.ndarray,
    n_clusters: int,
    cluster_lanes: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Each firm gets its share of its cluster's demand, capped by what it has to sell; demand a
    capped firm cannot serve goes, in a second round, to the cluster's firms with goods to spare
    (in proportion to what they have left). What neither round serves is bought outside Kunshan.
    Returns sales per firm and the fill rate per cluster (share of demand served locally).
    ``cluster_lanes`` (model.arrays.lanes of ``cluster``), when the caller keeps it, speeds the sums.

        S_i = min(D_c s_i / Σ_c w s, G_i);   then S_i += (G_i - S_i) min(U_c / Σ_c w (G - S), 1)   (G goods available, U unmet demand)
    """
    spread = lanes(cluster) if cluster_lanes is None else cluster_lanes
    weighted = weight * share  # scratch for the weighted values each sum adds up
    share_total = sum_by(spread, weighted, n_clusters)
    first = demand[cluster]
    first *= share / np.where(share_total > 0, share_total, 1.0)[cluster]  # demand times normalised share
    np.minimum(first, available, out=first)
    served = sum_by(spread, np.multiply(weight, first, out=weighted), n_clusters)
    spare = available - first
    spare_total = sum_by(spread, np.multiply(weight, spare, out=weighted), n_clusters)
    unmet = np.maximum(demand - served, 0.0)
    second_rate = np.where(spare_total > 0, np.minimum(unmet / np.where(spare_total > 0, spare_total, 1.0), 1.0), 0.0)
    spare *= second_rate[cluster]
    sales = first + spare
    np.minimum(sales, available, out=sales)  # first + (available - first) can round one unit above
    served = sum_by(spread, np.multiply(weight, sales, out=weighted), n_clusters)
    fill = np.where(demand > 0, served / np.where(demand > 0, demand, 1.0), 1.0)
    return sales, fill


def external_orders_with_levers(
    orders: np.ndarray,
    shanghai: int,
    world: int,
    shanghai_access: float,
    taiwan_order_share: float,
    taiwan_cooperation: np.ndarray,
) -> np.ndarray:
    """Orders from outside (market, cluster) with the programmes that bring them: transport and
    platforms to Shanghai lower the distance cost to its market (access = effect x integration
    lever), and cooperation with Taiwan raises export orders abroad by the Taiwan-linked share of
    them (share x cooperation). Returns a new array.

        X_Shanghai,c (1 + access);   X_abroad,c (1 + share · cooperation_c)"""
    out = orders.copy()
    out[shanghai] *= 1.0 + shanghai_access
    out[world] *= 1.0 + taiwan_order_share * taiwan_cooperation
    return out


def order_shares(demand_share: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Each firm's pull on its cluster's demand: its demand share, none once it has exited: s · alive."""
    return demand_share * alive


def excess_demand(demand: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Demand beyond output, relative to output, by cluster: D / Y - 1 (0 where nothing was made).

    x_c = D_c / Y_c - 1"""
    return np.where(output > 0, demand / np.where(output > 0, output, 1.0) - 1.0, 0.0)
