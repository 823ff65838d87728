"""Variance-based (Sobol) sensitivity: Saltelli sampling and Jansen/Saltelli estimators via SALib.

Kept apart from the model and from the sweep engine so that it can be checked against a function
whose indices are known analytically (Ishigami) without running anything else.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

# Saltelli's base sample N below which the estimators cannot be judged: the bootstrap resamples the
# N base rows, and fewer than 8 rows give it too few distinct resamples (35 at N = 4, one at N = 1)
# for a confidence interval; N = 1 reported S1 = 2.48 with an interval 1e-15 wide.
MIN_SOBOL_SAMPLES = 8


@dataclass(frozen=True)
class SobolIndices:
    """Indices within [0, 1], as the variance shares they are; see :func:`bounded_index`."""

    names: tuple[str, ...]
    first: np.ndarray  # S1 per input; NaN where not estimable
    first_conf: np.ndarray  # half-width of the bootstrap confidence interval
    total: np.ndarray  # ST per input; NaN where not estimable
    total_conf: np.ndarray
    confidence: float
    notes: tuple[str, ...] = ()  # per input: what was clipped or not estimable, "" when nothing


def bounded_index(name: str, estimate: float, half_width: float) -> tuple[float, str]:
    """(reported value, note) of an index estimate with its confidence half-width.

    A Sobol index is a share of variance, in [0, 1], but its estimator is not bounded. An estimate
    outside [0, 1] whose interval still reaches into it is clipped to the nearest bound (which its
    interval supports); one whose whole interval lies outside says nothing and is NaN.
    """
    if not np.isfinite(estimate):
        return float("nan"), ""
    if 0.0 <= estimate <= 1.0:
        return float(estimate), ""
    described = f"{name} estimate {estimate:.3g} +/- {half_width:.2g}"
    if estimate - half_width > 1.0 or estimate + half_width < 0.0:
        return float("nan"), f"{described} lies outside [0, 1]: not estimable, more samples needed"
    bound = float(np.clip(estimate, 0.0, 1.0))
    return bound, f"{described} clipped to {bound:g}"


def problem(names, bounds) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(map(float, b)) for b in bounds]}


def sobol_sample(names, bounds, n_base: int, *, second_order: bool = False, seed: int = 0) -> np.ndarray:
    """Saltelli's cross-sampled design: ``n_base * (D + 2)`` rows, or ``n_base * (2D + 2)``.

    The rows' order is what :func:`sobol_indices` expects, so a sweep keeps it as its point order.
    """
    from SALib.sample import sobol as salib_sobol

    return salib_sobol.sample(problem(names, bounds), n_base, calc_second_order=second_order, seed=seed)


def sobol_indices(
    names,
    bounds,
    outcomes: np.ndarray,
    *,
    second_order: bool = False,
    confidence: float = 0.95,
    resamples: int = 1000,
    seed: int = 0,
) -> SobolIndices:
    """First-order and total indices of ``outcomes`` (one per row of :func:`sobol_sample`).

    An outcome that does not vary at all has no variance to apportion: its indices are NaN rather
    than the divide-by-zero noise SALib would print. Estimates outside [0, 1] are clipped or NaN
    (:func:`bounded_index`), with a note saying which.
    """
    from SALib.analyze import sobol as salib_sobol

    outcomes = np.asarray(outcomes, dtype=float)
    d = len(names)
    if not np.all(np.isfinite(outcomes)) or np.ptp(outcomes) == 0:
        nan = np.full(d, np.nan)
        return SobolIndices(tuple(names), nan, nan, nan, nan, confidence, ("",) * d)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = salib_sobol.analyze(
            problem(names, bounds),
            outcomes,
            calc_second_order=second_order,
            num_resamples=resamples,
            conf_level=confidence,
            seed=seed,
        )
    first, total, notes = [], [], []
    for j in range(d):
        s1, s1_note = bounded_index("S1", float(result["S1"][j]), float(result["S1_conf"][j]))
        st, st_note = bounded_index("ST", float(result["ST"][j]), float(result["ST_conf"][j]))
        first.append(s1)
        total.append(st)
        notes.append("; ".join(n for n in (s1_note, st_note) if n))
    return SobolIndices(
        tuple(names),
        np.array(first),
        np.asarray(result["S1_conf"]),
        np.array(total),
        np.asarray(result["ST_conf"]),
        confidence,
        tuple(notes),
    )
