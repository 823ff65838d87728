"""The industry clusters ("2+6+X" plus the rest of the economy), read once from data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class ClusterTable:
    ids: tuple[str, ...]
    label_en: tuple[str, ...]
    label_zh: tuple[str, ...]
    group: tuple[str, ...]
    sector: tuple[str, ...]
    va_ratio: np.ndarray
    rd_intensity: np.ndarray
    capital_output: np.ndarray
    local_input_share: np.ndarray
    foreign_share: np.ndarray
    rural_share: np.ndarray
    labour_productivity: np.ndarray  # wan yuan of gross output per worker a year
    reporting: dict[str, np.ndarray]  # category -> membership weight per cluster

    @property
    def n(self) -> int:
        return len(self.ids)

    def index(self, cluster_id: str) -> int:
        return self.ids.index(cluster_id)

    @cached_property  # read in the month's kernels: made once, not at every use
    def is_industry(self) -> np.ndarray:
        flags = np.array([s == "industry" for s in self.sector])
        flags.setflags(write=False)  # shared by every caller
        return flags

    @cached_property  # read in the month's kernels: made once, not at every use
    def serves_locally(self) -> np.ndarray:
        """Services and construction: they serve mostly local buyers, so what they sell outside
        Kunshan follows the local economy, not an outside trend (issue 13, mechanism 6)."""
        flags = np.array([s in ("services", "construction") for s in self.sector])
        flags.setflags(write=False)  # shared by every caller
        return flags

    @cached_property  # read in the month's kernels: made once, not at every use
    def is_emerging(self) -> np.ndarray:
        """The six strategic emerging industries and the X pioneers: the products whose outside
        demand grows faster than the rest (``strategic_demand_premium``)."""
        flags = np.array([g in ("strategic", "pioneer") for g in self.group])
        flags.setflags(write=False)  # shared by every caller
        return flags

    @cached_property
    def strategic(self) -> tuple[str, ...]:
        return tuple(c for c, g in zip(self.ids, self.group) if g == "strategic")


@lru_cache(maxsize=1)
def cluster_table() -> ClusterTable:
    with resources.files("model.data").joinpath("clusters.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    rows = raw["cluster"]
    ids = tuple(r["id"] for r in rows)

    def col(name):
        return np.array([float(r[name]) for r in rows])

    reporting = {}
    for category, weights in raw["reporting"].items():
        w = np.zeros(len(ids))
        for cid, weight in weights.items():
            w[ids.index(cid)] = float(weight)
        reporting[category] = w
    return ClusterTable(
        ids=ids,
        label_en=tuple(r["label_en"] for r in rows),
        label_zh=tuple(r["label_zh"] for r in rows),
        group=tuple(r["group"] for r in rows),
        sector=tuple(r["sector"] for r in rows),
        va_ratio=col("va_ratio"),
        rd_intensity=col("rd_intensity"),
        capital_output=col("capital_output"),
        local_input_share=col("local_input_share"),
        foreign_share=col("foreign_share"),
        rural_share=col("rural_share"),
        labour_productivity=col("labour_productivity"),
        reporting=reporting,
    )


CLUSTER_IDS: tuple[str, ...] = cluster_table().ids
