"""Variance-based (Sobol) sensitivity: Saltelli sampling and Jansen/Saltelli estimators via SALib.

Kept apart from the model and from the sweep engine so that it can be checked against a function
whose indices are known analytically (Ishigami) without running anything else.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SobolIndices:
    names: tuple[str, ...]
    first: np.ndarray  # S1 per input
    first_conf: np.ndarray  # half-width of the bootstrap confidence interval
    total: np.ndarray  # ST per input
    total_conf: np.ndarray
    confidence: float


def problem(names, bounds) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(map(float, b)) for b in bounds]}


def sobol_sample(names, bounds, n_base: int, *, second_order: bool = False, seed: int = 0) -> np.ndarray:
    """Saltelli's cross-sampled design: ``n_base * (D + 2)`` rows, or ``n_base * (2D + 2)``.

    The rows' order is what :func:`sobol_indices` expects, so a sweep keeps it as its point order.
    """
    from SALib.sample import sobol as salib_sobol

    return salib_sobol.sample(problem(names, bounds), n_base, calc_second_order=second_order, seed=seed)


def sobol_indices(names, bounds, outcomes: np.ndarray, *, second_order: bool = False,
                  confidence: float = 0.95, resamples: int = 1000, seed: int = 0) -> SobolIndices:
    """First-order and total indices of ``outcomes`` (one per row of :func:`sobol_sample`).

    An outcome that does not vary at all has no variance to apportion: its indices are NaN rather
    than the divide-by-zero noise SALib would print.
    """
    from SALib.analyze import sobol as salib_sobol

    outcomes = np.asarray(outcomes, dtype=float)
    d = len(names)
    if not np.all(np.isfinite(outcomes)) or np.ptp(outcomes) == 0:
        nan = np.full(d, np.nan)
        return SobolIndices(tuple(names), nan, nan, nan, nan, confidence)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = salib_sobol.analyze(problem(names, bounds), outcomes, calc_second_order=second_order,
                                     num_resamples=resamples, conf_level=confidence, seed=seed)
    return SobolIndices(tuple(names), np.asarray(result["S1"]), np.asarray(result["S1_conf"]),
                        np.asarray(result["ST"]), np.asarray(result["ST_conf"]), confidence)
