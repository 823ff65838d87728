"""The measures the record takes of a state: units, the income distribution (Gini, Lorenz curve),
the public sector's stocks, rural wages and the population by age.

Separate from the record itself (model.record.monthly, model.record.annual) because they are plain
functions of arrays or of a state, with no memory of earlier months: the monthly and the annual
record both use them, and tests check their fast forms against the plain ones
(tests/test_record_speed.py).
"""

from __future__ import annotations

import numpy as np

from model.actions.public import local_loans
from model.agents import bank as bank_rules
from model.arrays import wsum
from model.clusters import cluster_table
from model.state import AGE_UNKNOWN, LABOUR_FORCE, RURAL_REGISTERED, State
from model.variables import AGE_GROUP_LOWER, AGE_GROUPS

YI = 1e8
WAN = 1e4
ABOVE_SCALE_REVENUE = 0.2 * YI  # 20 million yuan: the statistical threshold of "above scale"
LORENZ_POINTS = 21  # population shares 0, 0.05, ..., 1 at which the Lorenz curve is recorded

TABLE = cluster_table()


def by_value(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values and their weights in ascending order of value, ties in ascending order of weight: the
    one sort the Gini coefficient and the Lorenz curve of a year share.

    One sort of complex numbers (NumPy orders them by the real part, then the imaginary part)
    instead of an argsort and two gathers by it: 0.10 against 0.13 s for a million households. The
    order is the pairs' own, so the result does not depend on how NumPy's sort on this machine
    orders equal values (its SIMD argsort is not stable); with no ties it is argsort's order."""
    pairs = np.empty(len(values), dtype=np.complex128)
    pairs.real, pairs.imag = values, weights
    pairs.sort()
    return pairs.real.copy(), pairs.imag.copy()


def gini(values: np.ndarray, weights: np.ndarray, is_sorted: bool = False) -> float:
    """Weighted Gini coefficient (trapezoid rule on the Lorenz curve); ``is_sorted``: the values
    are already in ascending order (:func:`by_value`)."""
    if len(values) == 0 or weights.sum() <= 0:
        return 0.0
    v, w = (values, weights) if is_sorted else by_value(values, weights)
    cw = np.cumsum(w) / w.sum()
    cv = np.cumsum(v * w)
    if cv[-1] <= 0:
        return 0.0
    cv /= cv[-1]
    area = np.sum((cw - np.concatenate([[0.0], cw[:-1]])) * (cv + np.concatenate([[0.0], cv[:-1]]))) / 2.0
    return float(1.0 - 2.0 * area)


def lorenz(values: np.ndarray, weights: np.ndarray, points: int = LORENZ_POINTS, is_sorted: bool = False) -> np.ndarray:
    """Income share of the poorest population shares 0, 0.05, ..., 1."""
    v, w = (values, weights) if is_sorted else by_value(values, weights)
    cw = np.concatenate([[0.0], np.cumsum(w) / w.sum()])
    cv = np.concatenate([[0.0], np.cumsum(v * w)])
    cv = cv / cv[-1] if cv[-1] > 0 else cv
    return np.interp(np.linspace(0.0, 1.0, points), cw, cv)


def income_distribution(
    values: np.ndarray, weights: np.ndarray, points: int = LORENZ_POINTS
) -> tuple[float, np.ndarray]:
    """(Gini coefficient, Lorenz curve at ``points`` population shares) of values already in
    ascending order (:func:`by_value`), from one pair of running sums instead of one each:

        L_i = sum_{j<=i} v_j w_j / sum_j v_j w_j,   P_i = sum_{j<=i} w_j / sum_j w_j,
        G = 1 - sum_i (P_i - P_{i-1}) (L_i + L_{i-1})

    The same operations on the same numbers as :func:`gini` and :func:`lorenz`, so the same bits
    (tests/test_record_speed.py)."""
    total_weight = weights.sum()
    if len(values) == 0 or total_weight <= 0:
        return gini(values, weights, is_sorted=True), lorenz(values, weights, points, is_sorted=True)
    population = np.empty(len(values) + 1)
    population[0] = 0.0
    np.cumsum(weights, out=population[1:])
    population[1:] /= total_weight
    income = np.empty(len(values) + 1)
    income[0] = 0.0
    np.cumsum(values * weights, out=income[1:])
    if income[-1] <= 0:
        return 0.0, np.interp(np.linspace(0.0, 1.0, points), population, income)
    income[1:] /= income[-1]
    area = np.sum((population[1:] - population[:-1]) * (income[1:] + income[:-1])) / 2.0
    return float(1.0 - 2.0 * area), np.interp(np.linspace(0.0, 1.0, points), population, income)


def public_stocks(s: State) -> dict[str, float]:
    """The public sector's stocks now: net debt, public capital, the bank's equity, loans and capital
    ratio (capped at 10 where it has almost no loans), villages' floor space; yi yuan."""
    firm_loans, other_loans, debt = local_loans(s)
    equity = s.sectors.bank + s.economy.bank_equity_base
    ratio = bank_rules.capital_ratio(equity, s.economy.bank_risk_weighted)  # as the bank last measured it
    return {
        "government_debt": -s.sectors.government / YI,
        "public_capital": s.economy.public_capital / YI,
        "bank_equity": equity / YI,
        "bank_loans": (firm_loans + other_loans + debt) / YI,
        "bank_capital_ratio": float(min(ratio, 10.0)),
        "village_assets": float(s.villages.assets.sum()) / YI,
    }


def rural_wages(s: State) -> float:
    """Gross wages of this month received by members of rural households (yuan, all of them), from
    the persons' wages: the initial state's (the months' come from pay_household_incomes).

    A pairwise sum (model.arrays.wsum), not ``np.dot``: NumPy's dot of floats with booleans took
    4-12 ms of CPU at 43,000 persons in some months (its threads competing with the run), and a BLAS
    sum's last bits depend on the machine."""
    ps, hs = s.persons, s.households
    m = ps.n
    rural = hs.group[ps.household[:m]] >= RURAL_REGISTERED
    return wsum(ps.wage[:m], rural) * s.economy.household_weight


def population_by_age(ps, m: int) -> np.ndarray:
    """Living persons (rows) by age group; arrivals whose age is not yet drawn (AGE_UNKNOWN) count
    as workers 15-29 or dependants 0-14 by their role (as if 20 and 5 years old).

    Counted by whole year of age first, then the 151 years into groups: no gather of the living
    persons' ages and no gather by year per person (twice as fast at two million persons); the
    counts are whole numbers, exact in any order (tests/test_record_speed.py)."""
    alive = ps.alive[:m]
    years = np.minimum(ps.age[:m], len(_AGE_GROUP_OF_YEAR) - 1).astype(np.intp)  # whole years: the bounds are whole
    years += _SLOT_SHIFT  # slot 0: AGE_UNKNOWN, not yet drawn; slot 1 + a: age a
    by_year = np.bincount(years, weights=alive, minlength=len(_AGE_GROUP_OF_YEAR) + _SLOT_SHIFT)
    unknown = np.flatnonzero(years == 0)
    unknown = unknown[alive.take(unknown)]
    workers = np.count_nonzero(ps.role[:m].take(unknown) == LABOUR_FORCE)
    by_year[_SLOT_SHIFT + 20] += workers
    by_year[_SLOT_SHIFT + 5] += len(unknown) - workers
    return np.bincount(_AGE_GROUP_OF_YEAR, weights=by_year[_SLOT_SHIFT:], minlength=len(AGE_GROUPS))


_SLOT_SHIFT = -int(AGE_UNKNOWN)  # 1: AGE_UNKNOWN (-1.0) is the only negative age


# The age group of each whole year of age 0..150 (the last holds every older age): a gather per person
# instead of a binary search (the same groups, as every lower bound is a whole year).
_AGE_GROUP_OF_YEAR = np.searchsorted(np.array(AGE_GROUP_LOWER), np.arange(151.0), side="right") - 1
