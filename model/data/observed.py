"""Observed statistics of Kunshan (a package copy of ``shared/data/observed_kunshan.csv``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Observation:
    indicator: str
    year: int
    value: float
    unit: str
    grade: str
    source: str


@lru_cache(maxsize=1)
def observations() -> tuple[Observation, ...]:
    with resources.files("model.data").joinpath("observed_kunshan.csv").open(encoding="utf-8") as fh:
        return tuple(
            Observation(r["indicator"], int(r["year"]), float(r["value"]), r["unit"], r["grade"], r["source"])
            for r in csv.DictReader(fh)
        )


def observed(indicator: str, year: int) -> float:
    """The observed value; KeyError names what is missing, so a derivation never guesses silently."""
    for o in observations():
        if o.indicator == indicator and o.year == year:
            return o.value
    raise KeyError(f"no observation of {indicator!r} in {year}")
