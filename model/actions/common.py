"""What several actions gather alike: sums over the firm rows by cluster and village (over the
views :meth:`model.state.Firms.lanes` keeps), and this month's prices with the policy's price shocks
in force."""

from __future__ import annotations

import numpy as np

from model.arrays import sum_by, wsum
from model.clusters import cluster_table
from model.policy import MonthPolicy
from model.state import State

TABLE = cluster_table()
NC = TABLE.n


def by_cluster(s: State, values: np.ndarray) -> np.ndarray:
    """Sum over the firm rows of each cluster."""
    return sum_by(s.firms.lanes()[0], values, NC)


def by_village(s: State, values: np.ndarray) -> np.ndarray:
    """Sum over the firm rows on each village's land (firms off village land are left out)."""
    return sum_by(s.firms.lanes()[1], values, s.economy.villages + 1)[1:]


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
