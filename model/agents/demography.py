"""Who stays, settles and is born: the population rules, as selections of household rows.

Migrant groups are odd and registered ones even (model.state), so settling is a decrement by one.
Each rule keeps, of rows drawn at random, the ones it applies to; the draws stay with the caller.
"""

from __future__ import annotations

import numpy as np


def leaving(drawn: np.ndarray, workers: np.ndarray, group: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Of the households drawn at the departure rate, those that leave: migrant, present, and with
    nobody in work (workers = 0)."""
    return drawn[(workers[drawn] == 0) & (group[drawn] % 2 == 1) & alive[drawn]]


def settling(slots: np.ndarray, group: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Of the household slots drawn at the settlement rate, those that obtain local registration
    (hukou): migrant and present. A slot drawn twice appears twice (the caller's indexed decrement
    settles it once)."""
    return slots[(group[slots] % 2 == 1) & alive[slots]]


def birth_households(picked: np.ndarray, group: np.ndarray, alive: np.ndarray) -> np.ndarray:
    """Of the households of persons drawn at the birth rate, those where a child is born:
    registered and present (so births fall on households in proportion to their size)."""
    return picked[(group[picked] % 2 == 0) & alive[picked]]


def expected_births(natural_growth: float, persons: int) -> float:
    """Births expected this month among ``persons`` residents: max(natural growth, 0) / 12 x persons
    (a negative natural growth brings no births; deaths are not modelled)."""
    return max(natural_growth, 0.0) / 12.0 * persons


def migrant_savings(average_wage: np.ndarray, months: float) -> np.ndarray:
    """Savings an arriving migrant brings: ``months`` of its cluster's average pay."""
    return months * average_wage
