"""How good were the forecasts: errors, RMSE, MAE, 90% coverage, and the Diebold-Mariano test.

Errors are in percent: for a level, 100 x the log of forecast over observed (about the percentage
miss); for a rate, 100 x (forecast - observed), percentage points. So errors of GDP and of income
are comparable, and a squared-error loss does not depend on the unit.

The Diebold-Mariano (1995) test asks whether two methods' squared-error losses differ on average,
over the same forecast targets. With few origins its normal approximation is poor; Harvey,
Leybourne and Newbold (1997) scale the statistic by sqrt((n + 1 - 2h + h(h-1)/n) / n) and compare it
with Student's t with n - 1 degrees of freedom, which is what :func:`diebold_mariano` returns. The
variance of the mean loss difference counts the autocovariances up to lag h - 1 (an efficient
h-step forecast has MA(h-1) errors), falling back to the variance alone if that sum is not positive.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t


def error(forecast: float, observed: float, kind: str) -> float:
    """Forecast error in percent (level: log ratio) or percentage points (rate)."""
    if kind == "rate":
        return 100.0 * (forecast - observed)
    return 100.0 * math.log(forecast / observed)


def rmse(errors: Sequence[float]) -> float:
    return float(np.sqrt(np.mean(np.square(errors)))) if len(errors) else math.nan


def mae(errors: Sequence[float]) -> float:
    return float(np.mean(np.abs(errors))) if len(errors) else math.nan


def coverage(observed: Sequence[float], low: Sequence[float], high: Sequence[float]) -> float:
    """Share of observations inside their band, over the forecasts that have one (NaN if none)."""
    obs, lo, hi = (np.asarray(a, dtype=float) for a in (observed, low, high))
    has_band = np.isfinite(lo) & np.isfinite(hi)
    if not has_band.any():
        return math.nan
    inside = (lo[has_band] <= obs[has_band]) & (obs[has_band] <= hi[has_band])
    return float(inside.mean())


@dataclass(frozen=True)
class DieboldMariano:
    statistic: float  # HLN-corrected; negative: the first method's losses are smaller
    p_value: float  # two-sided, Student's t with n - 1 degrees of freedom
    n: int


def diebold_mariano(errors_a: Sequence[float], errors_b: Sequence[float], horizon: int = 1) -> DieboldMariano | None:
    """The HLN-corrected Diebold-Mariano test of equal squared-error loss of two methods' errors on
    the same targets; None when the sample does not allow it (fewer than 2 pairs, a correction
    factor that is not positive, or identical losses)."""
    a, b = np.asarray(errors_a, dtype=float), np.asarray(errors_b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("the two methods must be scored on the same targets")
    n, h = len(a), int(horizon)
    correction = (n + 1 - 2 * h + h * (h - 1) / n) / n if n else 0.0
    if n < 2 or correction <= 0:
        return None
    d = a**2 - b**2
    centred = d - d.mean()
    gamma = [float(np.sum(centred[k:] * centred[: n - k]) / n) for k in range(min(h, n))]
    variance = (gamma[0] + 2.0 * sum(gamma[1:])) / n
    if variance <= 0:
        variance = gamma[0] / n
    if variance <= 0:
        return None
    statistic = float(d.mean() / math.sqrt(variance) * math.sqrt(correction))
    return DieboldMariano(statistic, float(2.0 * student_t.sf(abs(statistic), n - 1)), n)
