"""The predictive distribution: each run of an ensemble draws its own parameters and its own
exogenous path, beside its own seed.

A forecast that holds the calibrated parameters fixed and varies only the seed reports the noise of
the simulation, not what anyone knows: most targets come out at P(met) = 0% or 100%. Here run ``k``
of a scenario (seed label ``k``) draws

* its **parameters** from the calibration's sampling distribution, theta_k = clip(theta + L z_k),
  L L' = Sigma (the calibration file's ``[uncertainty]``; how Sigma is estimated is in
  :mod:`model.calibration.covariance`), z_k ~ N(0, I), clipped to each parameter's range;
* its **exogenous paths** (:func:`exogenous_paths`), each an AR(1) estimated on history up to the
  origin (:mod:`model.data.processes`, model/data/markets_history.csv), with the run's own draw of
  each process's rho and sigma around those estimates (:func:`drawn_processes`: seven or eight
  points pin them loosely):

  - the exchange rate of the scenario times exp(x_y), x a mean-preserving random walk in years,
    x_y = x_(y-1) + d_y - (its variance's growth) / 2, d the AR(1) of the rate's annual log changes
    (rho_fx estimated at the origin: 0.07 at 2021, 0 at 2020 and 2022, so nearly a random walk);
    sigma_fx is the parameter ``exchange_rate_volatility`` when the scenario sets it to other than
    its default, else the run's draw around the estimate at the origin;
  - each market's outside demand (Shanghai, Suzhou, the rest of China, the world): the calibrated
    common trend times exp(L_(m,y)), L the cumulated AR(1) deviations of the market's growth
    (rho_m, sigma_m), less half their variance so that the trend stays the mean path;
  - producer-price inflation: the scenario's ``producer_inflation`` plus an AR(1) deviation
    (rho_ppi, sigma_ppi);

  demand from outside also keeps its calibrated common monthly walk, drawn from the run's
  ``environment`` stream;
* its **seed**: every other draw of the run (model.streams).

Each comes from a child of the run's SeedSequence with a fixed spawn key, so the draws depend only on
(root_seed, seed label): two scenarios run on the same seeds meet the same parameter vectors and the
same exogenous paths, and their comparison stays paired. ``uncertainty = "seeds"`` (``--uncertainty
seeds``) gives the older, seed-only kind: the calibrated parameters and the scenario's exchange rate.
Parameters that the scenario itself sets are drawn too, around the scenario's value: the scenario
moves the centre, the calibration says how well that centre is known.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import tomllib
from dataclasses import dataclass
from importlib import resources

import numpy as np

from model.data.processes import RHO_HIGH, RHO_LOW, OutsideProcesses
from model.params import SPECS, Parameters
from model.streams import ESTIMATE_SPAWN_KEY, EXOGENOUS_SPAWN_KEY, PARAMETER_SPAWN_KEY, child

MODES = ("full", "seeds")
DEFAULT_MODE = "full"
MAX_YEARS = 64  # draws reserved for each exogenous path: a longer horizon would not shift the earlier years


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


@dataclass(frozen=True)
class ExogenousPaths:
    """A run's draws of the world outside, by simulated year (year 0 = the first simulated year):
    ``exchange_rate`` factors on the scenario's rate, ``market_growth`` (year, market) the log growth
    of each market's demand beyond the trend, ``market_level`` (year, market) its cumulated log level
    at the year's end, ``producer_inflation`` (year,) the deviation of producer-price inflation."""

    exchange_rate: np.ndarray
    market_growth: np.ndarray
    market_level: np.ndarray
    producer_inflation: np.ndarray


def ar1_deviations(rho: float, sigma: float, e: np.ndarray) -> np.ndarray:
    """d_y = rho d_(y-1) + sigma e_y with d_(-1) = 0, along the first axis of ``e``: the deviations
    start from the trend (the scenario's shocks carry what is known of the origin year)."""
    d = np.zeros_like(e, dtype=float)
    previous = np.zeros(e.shape[1:])
    for y in range(e.shape[0]):
        previous = rho * previous + sigma * e[y]
        d[y] = previous
    return d


def cumulated_variance(rho: float, sigma: float, years: int) -> np.ndarray:
    """Var(sum_(k<=y) d_k) for y = 0 .. years-1, d the AR(1) of :func:`ar1_deviations`:
    sigma^2 sum_(j=1)^(y+1) ((1 - rho^j) / (1 - rho))^2 (j years of an innovation's echo)."""
    j = np.arange(1, years + 1)
    weight = j.astype(float) if rho == 1.0 else (1.0 - rho**j) / (1.0 - rho)
    return sigma**2 * np.cumsum(weight**2)


def drawn_processes(processes, seed: np.random.SeedSequence):
    """The run's draw of the processes themselves: with seven or eight annual points their estimates
    are uncertain (a 90% interval for sigma runs from about 0.7 to 1.9 times the estimate), and a
    band that held them fixed would be too narrow. From the ESTIMATE_SPAWN_KEY child, one gamma and
    one normal for each process in a fixed order (markets, producer prices, exchange rate), so that
    the draws do not move with the data:

        sigma_k = sigma sqrt((n - 1) / X),  X ~ chi2(n - 1)     (the sampling law of s^2 given sigma)
        rho_k = clip(rho + sqrt((1 - rho^2) / p) z, 0, 0.8),  z ~ N(0, 1)   (p consecutive pairs)

    A process without enough history (sigma 0) stays as it is."""
    every = (*processes.markets, processes.producer_prices, processes.exchange_rate)
    rng = np.random.Generator(np.random.PCG64(child(seed, ESTIMATE_SPAWN_KEY)))
    shapes = np.array([max(p.n - 1, 1) / 2.0 for p in every])
    chi2 = 2.0 * rng.standard_gamma(shapes)
    z = rng.standard_normal(len(every))

    def one(p, x: float, e: float):
        if p.sigma <= 0 or p.n < 2:
            return p
        se = math.sqrt((1.0 - p.rho**2) / max(p.pairs, 1))
        rho = min(max(p.rho + se * e, RHO_LOW), RHO_HIGH)
        return dataclasses.replace(p, rho=rho, sigma=p.sigma * math.sqrt((p.n - 1) / x))

    drawn = [one(p, float(x), float(e)) for p, x, e in zip(every, chi2, z)]
    m = len(processes.markets)
    return OutsideProcesses(processes.origin, tuple(drawn[:m]), drawn[m], drawn[m + 1])


def exogenous_paths(
    exchange_rate_volatility: float, processes, years: int, seed: np.random.SeedSequence
) -> ExogenousPaths:
    """The run's exogenous paths from its EXOGENOUS_SPAWN_KEY child: the exchange rate's MAX_YEARS
    normals first (as :func:`exchange_rate_factors`), then MAX_YEARS for each market and MAX_YEARS
    for producer prices, at fixed places, so that neither the horizon nor the scenario moves a draw.

    A market's level is mean-preserving, L_y = sum_(k<=y) d_k - Var(sum_(k<=y) d_k) / 2, so that
    E[exp(L_y)] = 1 and the calibrated trend stays the mean path; its growth is L_y - L_(y-1)."""
    rng = np.random.Generator(np.random.PCG64(child(seed, EXOGENOUS_SPAWN_KEY)))
    fx = rng.standard_normal(MAX_YEARS)[:years]
    markets = rng.standard_normal((len(processes.markets), MAX_YEARS))[:, :years]
    ppi = rng.standard_normal(MAX_YEARS)[:years]
    level = np.zeros((years, len(processes.markets)))
    for m, process in enumerate(processes.markets):
        level[:, m] = mean_preserving_level(process.rho, process.sigma, markets[m])
    pp = processes.producer_prices
    return ExogenousPaths(
        np.exp(mean_preserving_level(processes.exchange_rate.rho, exchange_rate_volatility, fx)),
        np.diff(level, axis=0, prepend=0.0),
        level,
        ar1_deviations(pp.rho, pp.sigma, ppi),
    )


def mean_preserving_level(rho: float, sigma: float, e: np.ndarray) -> np.ndarray:
    """L_y = sum_(k<=y) d_k - Var(sum_(k<=y) d_k) / 2 for the AR(1) deviations d of normals ``e``:
    E[exp(L_y)] = 1. With rho = 0 it is the random walk of :func:`exchange_rate_factors`."""
    return np.cumsum(ar1_deviations(rho, sigma, e)) - 0.5 * cumulated_variance(rho, sigma, len(e))


def centre_paths(markets: int, years: int) -> ExogenousPaths:
    """The scenario's own path (a seed-only run): no deviation anywhere."""
    return ExogenousPaths(np.ones(years), np.zeros((years, markets)), np.zeros((years, markets)), np.zeros(years))


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
