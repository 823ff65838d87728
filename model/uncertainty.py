"""The predictive distribution: each run of an ensemble draws its own parameters and its own
exogenous path, beside its own seed.

A forecast that holds the calibrated parameters fixed and varies only the seed reports the noise of
the simulation, not what anyone knows: most targets come out at P(met) = 0% or 100%. Here run ``k``
of a scenario (seed label ``k``) draws

* its **parameters** from the calibration's sampling distribution, theta_k = clip(theta + L z_k),
  L L' = Sigma (the calibration file's ``[uncertainty]``; how Sigma is estimated is in
  :mod:`model.calibration.covariance`), z_k ~ N(0, I), clipped to each parameter's range;
* its **exogenous path**: the exchange rate of the scenario times exp(x_y), x a mean-preserving
  random walk in years, x_y = x_(y-1) + sigma_fx e_y - sigma_fx^2 / 2 with e_y ~ N(0, 1), sigma_fx
  the parameter ``exchange_rate_volatility``; demand from outside already follows its own random
  walk, drawn from the run's ``environment`` stream;
* its **seed**: every other draw of the run (model.streams).

Each comes from a child of the run's SeedSequence with a fixed spawn key, so the draws depend only on
(root_seed, seed label): two scenarios run on the same seeds meet the same parameter vectors and the
same exogenous paths, and their comparison stays paired. ``uncertainty = "seeds"`` (``--uncertainty
seeds``) gives the older, seed-only kind: the calibrated parameters and the scenario's exchange rate.
Parameters that the scenario itself sets are drawn too, around the scenario's value: the scenario
moves the centre, the calibration says how well that centre is known.
"""

from __future__ import annotations

import functools
import math
import tomllib
from importlib import resources

import numpy as np

from model.params import SPECS, Parameters
from model.streams import EXOGENOUS_SPAWN_KEY, PARAMETER_SPAWN_KEY, child

MODES = ("full", "seeds")
DEFAULT_MODE = "full"
MAX_YEARS = 64  # draws reserved for the exchange-rate path: a longer horizon would not shift the earlier years


def check_parameter_uncertainty(table) -> tuple[dict | None, str]:
    """(the table normalised, "") or (None, what was expected): ``names``, a list of parameters of
    model/params.py; ``covariance``, a symmetric positive semi-definite matrix of their size with
    finite entries; ``method``, a sentence on how it was estimated."""
    expected = (
        "a table with names (parameters of model/params.py), covariance (a symmetric positive "
        "semi-definite matrix of their size) and method (text)"
    )
    if not isinstance(table, dict) or set(table) - {"names", "covariance", "method"}:
        return None, expected
    names, rows = table.get("names"), table.get("covariance")
    if not isinstance(names, list) or not all(isinstance(n, str) and n in SPECS for n in names):
        return None, expected
    if len(set(names)) != len(names) or not isinstance(rows, list) or len(rows) != len(names):
        return None, expected
    try:
        matrix = np.array(rows, dtype=float).reshape(len(names), len(names))
    except (TypeError, ValueError):
        return None, expected
    if not np.isfinite(matrix).all() or not np.allclose(matrix, matrix.T, rtol=1e-9, atol=1e-15):
        return None, expected
    if len(names) and np.linalg.eigvalsh(matrix).min() < -1e-12 * max(1.0, float(np.abs(matrix).max())):
        return None, expected
    method = table.get("method", "")
    if not isinstance(method, str):
        return None, expected
    return {"names": list(names), "covariance": matrix.tolist(), "method": method}, ""


@functools.cache
def installed_parameter_uncertainty() -> dict | None:
    """The ``[uncertainty]`` of the installed calibration (model/data/calibrated.toml), or None."""
    path = resources.files("model.data").joinpath("calibrated.toml")
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        table = tomllib.load(fh).get("uncertainty")
    if table is None:
        return None
    checked, expected = check_parameter_uncertainty(table)
    if checked is None:
        raise ValueError(f"model/data/calibrated.toml: key 'uncertainty': expected {expected}")
    return checked


def _square_root(covariance: np.ndarray) -> np.ndarray:
    """L with L L' = covariance, for a positive semi-definite matrix (eigen-decomposition, so that a
    singular covariance, one parameter known exactly, still has a root)."""
    values, vectors = np.linalg.eigh(covariance)
    return vectors * np.sqrt(np.clip(values, 0.0, None))[None, :]


def parameter_deviations(table: dict | None, seed: np.random.SeedSequence) -> dict[str, float]:
    """d = L z, z ~ N(0, I): the run's deviation of each uncertain parameter from its centre."""
    if not table or not table["names"]:
        return {}
    rng = np.random.Generator(np.random.PCG64(child(seed, PARAMETER_SPAWN_KEY)))
    z = rng.standard_normal(len(table["names"]))
    d = _square_root(np.asarray(table["covariance"], dtype=float)) @ z
    return {name: float(v) for name, v in zip(table["names"], d)}


def drawn_parameters(parameters: Parameters, table: dict | None, seed: np.random.SeedSequence) -> Parameters:
    """theta_k = clip(theta + d_k, low, high) for the uncertain parameters; the rest unchanged."""
    deviations = parameter_deviations(table, seed)
    drawn = {
        name: min(max(parameters.values[name] + d, SPECS[name].low), SPECS[name].high) for name, d in deviations.items()
    }
    return parameters.with_overrides(drawn)


def exchange_rate_factors(volatility: float, years: int, seed: np.random.SeedSequence) -> np.ndarray:
    """exp(x_y) for the run's calendar years y = 0, 1, ... (year 0 is the first simulated year, already
    unknown at the origin): x_y = x_(y-1) + sigma e_y - sigma^2 / 2 with x_(-1) = 0, so that
    E[exp(x_y)] = 1 and the scenario's path is the mean path."""
    rng = np.random.Generator(np.random.PCG64(child(seed, EXOGENOUS_SPAWN_KEY)))
    e = rng.standard_normal(MAX_YEARS)[:years]
    return np.exp(np.cumsum(volatility * e - 0.5 * volatility**2))


def shapley_shares(y: np.ndarray, groups: dict[str, np.ndarray]) -> tuple[dict[str, float], str]:
    """Shares of var(y) explained by each group of regressors (Shapley values of the adjusted R^2
    over the groups, so the order does not matter), and the rest. Returns ({group: share, "rest":
    share}, "") or ({}, why not) when the runs are too few or y does not vary.

    With two groups P and E: share_P = (R2(P) + R2(P, E) - R2(E)) / 2, and the same for E; the
    rest is 1 - R2(P, E). Adjusted R^2 (clipped at 0) keeps chance fits of many regressors on few
    runs from being read as explained variance."""
    y = np.asarray(y, dtype=float)
    ok = np.isfinite(y)
    y = y[ok]
    columns = {g: np.asarray(x, dtype=float)[ok].reshape(len(y), -1) for g, x in groups.items()}
    columns = {g: x[:, x.std(axis=0) > 0] for g, x in columns.items()}
    k = sum(x.shape[1] for x in columns.values())
    n = len(y)
    if n < k + 6:
        return {}, f"needs at least {k + 6} runs for {k} drivers; got {n}"
    if not y.std() > 0:
        return {}, "no variance across runs"

    def r2(names: tuple[str, ...]) -> float:
        if not names:
            return 0.0
        x = np.column_stack([np.ones(n), *(columns[g] for g in names)])
        beta, *_ = np.linalg.lstsq(x, y, rcond=None)
        resid = y - x @ beta
        raw = 1.0 - resid.var() / y.var()
        p = x.shape[1] - 1
        return max(0.0, 1.0 - (1.0 - raw) * (n - 1) / (n - p - 1)) if p else 0.0

    names = tuple(columns)
    full = r2(names)
    shares = {}
    for g in names:
        others = tuple(o for o in names if o != g)
        # average of g's marginal contribution over the orders of the groups
        total = 0.0
        for size in range(len(others) + 1):
            for subset in _subsets(others, size):
                weight = math.factorial(size) * math.factorial(len(names) - size - 1) / math.factorial(len(names))
                total += weight * (r2(tuple(sorted((*subset, g), key=names.index))) - r2(subset))
        shares[g] = max(0.0, total)
    scale = min(1.0, full / sum(shares.values())) if sum(shares.values()) > 0 else 1.0
    shares = {g: v * scale for g, v in shares.items()}
    shares["rest"] = max(0.0, 1.0 - sum(shares.values()))
    return shares, ""


def _subsets(items: tuple, size: int):
    from itertools import combinations

    return combinations(items, size)
