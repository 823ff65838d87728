"""What several actions gather alike: the firm rows in use and their sums by cluster, village and
ownership, and this month's prices with the policy's price shocks in force."""

from __future__ import annotations

import numpy as np

from model.arrays import lanes, sum_by, wsum
from model.clusters import cluster_table
from model.policy import MonthPolicy
from model.state import State

TABLE = cluster_table()
NC = TABLE.n


def live_rows(s: State):
    """(rows in use, cluster of each row, weight of each row where alive, else 0), cached until the
    firm rows change (entry changes n; exit zeroes the weights of the firms that left; the yearly
    compaction clears the cache). The clusters are held as a native index (intp): every gather by
    cluster would otherwise convert them first."""
    f = s.firms
    cached = getattr(f, "live_cache", None)
    if cached is not None and cached[0] == f.n:
        return cached
    n = f.n
    f.live_cache = (n, f.cluster[:n].astype(np.intp), f.weight[:n] * f.alive[:n])
    f.lanes_cache = None
    return f.live_cache


def firm_lanes(s: State) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum indexes (model.arrays.lanes) of the firm rows by cluster, by village (bin 0: none) and by
    ownership, made when first needed after the rows change."""
    live_rows(s)
    f = s.firms
    if f.lanes_cache is None:
        n = f.n
        f.lanes_cache = (lanes(f.cluster[:n]), lanes(f.village[:n], shift=1), lanes(f.ownership[:n]))
    return f.lanes_cache


def by_cluster(s: State, values: np.ndarray) -> np.ndarray:
    """Sum over the firm rows of each cluster."""
    return sum_by(firm_lanes(s)[0], values, NC)


def by_village(s: State, values: np.ndarray) -> np.ndarray:
    """Sum over the firm rows on each village's land (firms off village land are left out)."""
    return sum_by(firm_lanes(s)[1], values, s.economy.villages + 1)[1:]


def extend_live_rows(s: State, rows: slice, cluster: np.ndarray) -> None:
    """The cached views of the firm rows (live_rows, firm_lanes), extended by the rows just written
    (cheaper than rebuilding them for every row)."""
    f = s.firms
    n, c, w = f.live_cache
    f.live_cache = (f.n, np.concatenate([c, cluster.astype(np.intp)]),
                    np.concatenate([w, f.weight[rows] * f.alive[rows]]))
    if f.lanes_cache is not None:
        by_cluster, by_village, by_owner = f.lanes_cache
        f.lanes_cache = (np.concatenate([by_cluster, lanes(cluster, first_row=n)]),
                         np.concatenate([by_village, lanes(f.village[rows], shift=1, first_row=n)]),
                         np.concatenate([by_owner, lanes(f.ownership[rows], first_row=n)]))


def effective_price(s: State, pol: MonthPolicy) -> np.ndarray:
    """Kunshan's producer prices this month, with price and price-level shocks in force."""
    return s.economy.price * (1.0 + pol.price) * (1.0 + pol.price_level)


def effective_world_price(s: State, pol: MonthPolicy) -> np.ndarray:
    """Competitors' prices this month: a price-level shock moves them with Kunshan's."""
    return s.economy.world_price * (1.0 + pol.price_level)


def investment_price(s: State, pol: MonthPolicy) -> float:
    """Price of capital goods: the local purchase mix of firm investment (final buyer 2)."""
    mix = s.economy.final_buyer_mix[2]
    return wsum(mix, effective_price(s, pol))
