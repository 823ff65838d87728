"""The exogenous processes of the world outside Kunshan, estimated on history up to the origin.

Outside demand comes from four markets (model.policy.MARKETS): Shanghai, Suzhou, the rest of China and
the world. Each grows at its own pace, with its own persistence and volatility; so do China's producer
prices and the CNY/USD rate. A forecast made at the end of its origin year knows these series only up
to the origin (model/data/markets_history.csv; docs/DATA.md, "Outside markets"), and each is summarised
by an AR(1) of its annual log growth around its historical mean:

    x_t = log(1 + g_t)       (log growth; for the exchange rate the log change of the annual rate)
    d_t = x_t - mean(x)      (deviation from the mean of the years at or before the origin)
    d_t = rho d_(t-1) + sigma e_t,   e_t ~ N(0, 1)

Why this estimator. There are at most seven or eight annual points a series, so:

* **rho** is least squares on the pairs of consecutive years (a gap breaks a pair, it is not filled),
  corrected for its small-sample bias by Kendall's (1954) first-order term, E[rho_hat] - rho =
  -(1 + 3 rho) / T, and then bounded to [RHO_LOW, RHO_HIGH] = [0, 0.8]. Least squares on T = 7 points
  is biased towards zero and very noisy (its standard error is about 1/sqrt(T) = 0.38), and a
  negative or near-unit root estimated on seven years says more about 2020 and 2021 than about the
  process: the bound keeps every process stationary and no more than moderately persistent.
* **sigma** is the innovation standard deviation given that rho: the residuals d_t - rho d_(t-1) of
  the paired years, and for a year without a predecessor the stationary residual d_t sqrt(1 - rho^2)
  (Prais-Winsten), summed in squares over n - 1 (one degree of freedom for the mean). With rho = 0 it
  is the sample standard deviation of the growth rates, so a random walk (the exchange rate) keeps
  the textbook number.

The estimates are uncertain in their own right (with seven points a 90% interval for sigma runs from
about 0.7 to 1.9 times the estimate): each full-uncertainty run draws its own rho and sigma around
them (model.uncertainty.drawn_processes) before it draws its paths. Nothing after the origin
enters: :func:`estimate_ar1` drops later years before it computes anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from model.data.observed import Observation, _parse

RHO_LOW, RHO_HIGH = 0.0, 0.8  # bounds on the bias-corrected persistence (see the module's docstring)
MIN_POINTS = 3  # fewer usable years than this: no process (sigma 0), the path stays at its centre

# The series that stands for each market's demand (model.policy.MARKETS order); the rest of China is
# represented by China's GDP, the world by world merchandise trade volume (what Kunshan exports into).
MARKET_SERIES = {
    "shanghai": "shanghai_real_gdp_growth",
    "suzhou": "suzhou_real_gdp_growth",
    "rest_of_china": "china_real_gdp_growth",
    "world": "world_trade_volume_growth",
}
PRODUCER_PRICE_SERIES = "china_ppi_inflation"
EXCHANGE_RATE_SERIES = "cny_per_usd_central_parity"
LEVEL_SERIES = (EXCHANGE_RATE_SERIES,)  # levels: the process is of their log changes


@dataclass(frozen=True)
class Process:
    """An AR(1) of annual log growth around ``mean``: persistence ``rho`` (after the bias correction
    and bounds), innovation sd ``sigma``, from ``n`` years (``pairs`` of them consecutive);
    ``rho_ols`` is the raw least-squares estimate, kept to report."""

    mean: float
    rho: float
    sigma: float
    n: int
    pairs: int
    rho_ols: float


NO_PROCESS = Process(0.0, 0.0, 0.0, 0, 0, float("nan"))


def log_growth(series: dict[int, float], origin: int, level: bool = False) -> dict[int, float]:
    """{year: x_t} for the years at or before ``origin``: log(1 + g) of a growth rate, or for a level
    series the log change from the year before (only where both years are known)."""
    known = {y: v for y, v in series.items() if y <= origin}
    if level:
        return {y: math.log(v / known[y - 1]) for y, v in sorted(known.items()) if y - 1 in known}
    return {y: math.log1p(v) for y, v in sorted(known.items())}


def estimate_ar1(x: dict[int, float], origin: int | None = None) -> Process:
    """The AR(1) of the module's docstring on ``x`` ({year: log growth}), years after ``origin`` dropped."""
    x = {y: v for y, v in sorted(x.items()) if origin is None or y <= origin}
    n = len(x)
    if n < MIN_POINTS:
        return NO_PROCESS
    mean = sum(x.values()) / n
    d = {y: v - mean for y, v in x.items()}
    pairs = [(d[y - 1], d[y]) for y in d if y - 1 in d]
    denominator = sum(a * a for a, _ in pairs)
    rho_ols = sum(a * b for a, b in pairs) / denominator if pairs and denominator > 0 else 0.0
    rho = min(max(rho_ols + (1.0 + 3.0 * rho_ols) / n, RHO_LOW), RHO_HIGH)
    squares = sum((v - rho * d[y - 1]) ** 2 if y - 1 in d else v * v * (1.0 - rho * rho) for y, v in d.items())
    return Process(mean, rho, math.sqrt(squares / (n - 1)), n, len(pairs), rho_ols)


@lru_cache(maxsize=1)
def history() -> tuple[Observation, ...]:
    """The shipped rows of model/data/markets_history.csv (checked like the observed data)."""
    text = resources.files("model.data").joinpath("markets_history.csv").read_text(encoding="utf-8")
    return _parse(text)


def series(indicator: str, rows: tuple[Observation, ...] | None = None) -> dict[int, float]:
    """{year: value} of one indicator of the markets' history (all years: estimate_ar1 cuts at the origin)."""
    return {o.year: o.value for o in (history() if rows is None else rows) if o.indicator == indicator}


@dataclass(frozen=True)
class OutsideProcesses:
    """Everything a run at ``origin`` draws its exogenous paths from."""

    origin: int
    markets: tuple[Process, ...]  # model.policy.MARKETS order
    producer_prices: Process
    exchange_rate: Process


@lru_cache(maxsize=16)
def outside_processes(origin: int) -> OutsideProcesses:
    """The processes estimated on the shipped history up to ``origin`` (cached: the file is fixed)."""
    return estimate_all(history(), origin)


def estimate_all(rows: tuple[Observation, ...], origin: int) -> OutsideProcesses:
    """Each market's, the producer prices' and the exchange rate's process at ``origin``."""

    def one(indicator: str) -> Process:
        return estimate_ar1(log_growth(series(indicator, rows), origin, indicator in LEVEL_SERIES), origin)

    return OutsideProcesses(
        origin,
        tuple(one(MARKET_SERIES[m]) for m in MARKET_SERIES),
        one(PRODUCER_PRICE_SERIES),
        one(EXCHANGE_RATE_SERIES),
    )
