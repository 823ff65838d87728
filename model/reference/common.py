"""What the parts of the reference economy share: the cluster table and per-cluster accumulators."""

from __future__ import annotations

from model.clusters import cluster_table
from model.policy import MARKETS

TABLE = cluster_table()
NC = TABLE.n
SHANGHAI, WORLD = MARKETS.index("shanghai"), MARKETS.index("world")


def per_cluster(value=0.0) -> list:
    """One accumulator per cluster (a plain list: the reference sums agent by agent)."""
    return [value] * NC
