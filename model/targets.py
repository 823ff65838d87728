"""The article's numeric targets (``model/data/targets.toml``): the one reader of that file.

Results tables, figures and sweep summaries all judge outcomes against these; reading the package
copy means an installed package finds them wherever it runs.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class Target:
    id: str  # the annual output variable that measures it (model/variables.py)
    label_zh: str
    label_en: str
    year: int
    value: float
    unit: str
    comparison: str  # ">=": the outcome must reach the value; "<=": it must not exceed it

    def met(self, values) -> np.ndarray:
        """Whether each outcome meets the target; a missing outcome (NaN) never does."""
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            return values >= self.value if self.comparison == ">=" else values <= self.value


@lru_cache(maxsize=1)
def load_targets() -> tuple[Target, ...]:
    with resources.files("model.data").joinpath("targets.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return tuple(
        Target(
            t["id"],
            t.get("label_zh", t["id"]),
            t.get("label_en", t["id"]),
            int(t["year"]),
            float(t["value"]),
            t.get("unit", ""),
            t["comparison"],
        )
        for t in raw["target"]
    )


def targets_by_id() -> dict[str, Target]:
    return {t.id: t for t in load_targets()}
