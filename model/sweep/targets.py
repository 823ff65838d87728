"""The article's numeric targets, as the sweep summaries and figures need them.

The package copy (``model/data/targets.toml``) is preferred so that an installed package works
anywhere; the copy in the steering folder (``shared/targets.toml`` beside the repository) is the
fallback while the package copy does not exist yet.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

_SHARED_COPY = Path(__file__).resolve().parents[3] / "shared" / "targets.toml"


@dataclass(frozen=True)
class Target:
    id: str
    label_en: str
    year: int
    value: float
    unit: str
    comparison: str  # ">=" or "<="

    def met(self, values: np.ndarray) -> np.ndarray:
        """Whether each outcome meets the target; a missing outcome (NaN) never does."""
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            return values >= self.value if self.comparison == ">=" else values <= self.value


def targets_path() -> Path:
    packaged = resources.files("model.data").joinpath("targets.toml")
    if packaged.is_file():
        return Path(str(packaged))
    return _SHARED_COPY


@lru_cache(maxsize=1)
def load_targets() -> tuple[Target, ...]:
    with targets_path().open("rb") as fh:
        raw = tomllib.load(fh)
    return tuple(
        Target(t["id"], t.get("label_en", t["id"]), int(t["year"]), float(t["value"]), t.get("unit", ""),
               t["comparison"])
        for t in raw["target"]
    )


def targets_by_id() -> dict[str, Target]:
    return {t.id: t for t in load_targets()}
