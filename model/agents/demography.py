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


def expected_births(birth_rate: float, persons: int) -> float:
    """Births expected this month among ``persons`` residents: max(birth rate, 0) / 12 x persons
    (deaths are drawn by age at the end of the year: model.actions.demography)."""
    return max(birth_rate, 0.0) / 12.0 * persons


def migrant_savings(average_wage: np.ndarray, months: float) -> np.ndarray:
    """Savings an arriving migrant brings: ``months`` of its cluster's average pay."""
    return months * average_wage


EARLIEST_RETIREMENT_AGE = 55.0  # the lowest age retirement_age gives anyone (women born by 1969)


def retirement_age(birth_year: np.ndarray, sex: np.ndarray) -> np.ndarray:
    """Statutory retirement age by birth cohort and sex, with the reform decided by the NPC Standing
    Committee on 13 September 2024 (in force from January 2025): men's age rises from 60 by one month
    for every four months of birth after 1964, to 63; women's from 55 (the model does not separate
    women workers retiring at 50) likewise after 1969, to 58. A policy rule, not a statistic:

        R = 60 + min(3, max(0, (b - 1964) / 4))  (men),   55 + min(3, max(0, (b - 1969) / 4))  (women)

    with b the birth year (fractional), the delay in years."""
    base = np.where(sex == 1, 55.0, 60.0)
    first = np.where(sex == 1, 1969.0, 1964.0)
    return base + np.clip((birth_year - first) / 4.0, 0.0, 3.0)


def death_probability(age: np.ndarray, level: float, slope: float) -> np.ndarray:
    """Chance of dying within a year at ``age``, from a Gompertz hazard μ(a) = A e^{B a}:

    q(a) = 1 - exp(-A e^{B a})"""
    return -np.expm1(-level * np.exp(slope * np.minimum(age, 110.0)))


def school_skill_factor(public_services_share: float, skill_return: float) -> float:
    """Factor on the earning power of a school leaver from the extra public services (education) of
    the year, as a share of GDP: 1 + r_school · g_s / 0.01 (r_school per 1% of GDP)."""
    return 1.0 + skill_return * public_services_share / 0.01


def reclassified_villages(already: np.ndarray, draws: np.ndarray, rate: float) -> np.ndarray:
    """Villages absorbed by urban expansion this year: of those not yet reclassified, each with
    chance ``rate`` (one uniform draw per village)."""
    return np.flatnonzero(~already & (draws < rate))
