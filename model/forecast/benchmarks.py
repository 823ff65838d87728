"""Naive forecasts from the observed data of one vintage: what the model has to beat.

Every method forecasts annual growth from the growth history up to the origin, and a level follows by
compounding. For a level indicator (GDP, output, income) growth is the log change of the level, from
pairs of observed levels (a pair years apart counts as that many years at its average growth) and
from published growth rates of years no level pair covers. For a rate indicator (real GDP growth) the
rate itself is the growth. A forecast starts from the origin year's own figure: an indicator not
observed in the origin year gets no forecast from that origin.

Bands are the 5-95% of the forecast error whose variance the method implies, with Student's t
quantiles for the degrees of freedom left after estimating it (a handful of years gives wide bands,
as it should; the uncertainty of the estimated mean or coefficients is not added). A method too short
of data for its variance gives a point forecast without a band, and one too short for the point
forecast gives nothing.

- ``random_walk_drift``: log level = last level + h * mean growth; errors add up as a random walk
  (variance h sigma^2). For a rate: the mean rate, variance sigma^2.
- ``ar1``: g_t = c + phi g_{t-1} + e_t fitted by least squares on consecutive annual growths (at
  least 3 pairs), iterated forward from the origin's growth.
- ``last_growth``: the origin year's growth holds; its error is a random walk in growth, with the
  variance of past year-to-year changes of growth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import t as student_t

from model.data.observed import Vintage

METHODS = ("random_walk_drift", "ar1", "last_growth")
MIN_AR1_PAIRS = 3  # two coefficients and at least one degree of freedom for the residual variance


@dataclass(frozen=True)
class Indicator:
    """A scored series: its observed rows and the annual.nc variable the model reports it as."""

    name: str  # in backtest.csv and scores.csv
    kind: str  # "level" (compounded from growth) or "rate" (the growth itself, a fraction)
    row: str  # observed indicator of the level or the rate
    growth_row: str | None = None  # observed growth rates (fractions) of a level
    model_variable: str | None = None  # annual.nc variable, default: name

    @property
    def variable(self) -> str:
        return self.model_variable or self.name


INDICATORS = (
    Indicator("gdp", "level", "gdp"),
    Indicator("gdp_real_growth", "rate", "gdp_real_growth"),
    Indicator(
        "above_scale_industrial_output",
        "level",
        "above_scale_industrial_output",
        "above_scale_industrial_output_growth",
    ),
    Indicator(
        "electronic_information_output",
        "level",
        "electronic_information_output",
        "electronic_information_output_growth",
    ),
    Indicator(
        "high_end_equipment_output", "level", "equipment_manufacturing_output", "equipment_manufacturing_output_growth"
    ),
    Indicator("disposable_income_per_capita", "level", "disposable_income_per_capita"),
)


@dataclass(frozen=True)
class Forecast:
    method: str
    horizon: int
    year: int
    value: float
    p05: float  # NaN when the method cannot estimate its error variance from the data
    p95: float


@dataclass(frozen=True)
class GrowthHistory:
    """Growth up to the origin: ``segments`` (first year, years, mean annual growth) cover the
    observed span; ``annual`` holds the growth of single years, for the methods that need them."""

    segments: tuple[tuple[int, int, float], ...]
    annual: dict[int, float]
    last_level: float | None  # the origin year's level (None for a rate, or no level at the origin)


def growth_history(v: Vintage, indicator: Indicator) -> GrowthHistory:
    if indicator.kind == "rate":
        rates = v.series(indicator.row)
        return GrowthHistory(tuple((y, 1, r) for y, r in rates.items()), dict(rates), None)
    levels = v.series(indicator.row)
    years = sorted(levels)
    segments = [(b, b - a, math.log(levels[b] / levels[a]) / (b - a)) for a, b in zip(years, years[1:])]
    covered = {y for first, span, _ in segments for y in range(first - span + 1, first + 1)}
    if indicator.growth_row:
        segments += [(y, 1, math.log1p(g)) for y, g in v.series(indicator.growth_row).items() if y not in covered]
    segments.sort()
    annual = {y: g for y, span, g in segments if span == 1}
    return GrowthHistory(tuple(segments), annual, levels.get(v.origin))


def _pooled_drift(segments) -> tuple[float, float]:
    """(mean annual growth, sd of annual growth) under iid growth: a k-year segment's average growth
    has variance sigma^2 / k, so sigma^2 = sum k (g - mu)^2 / (segments - 1). sd is NaN for one segment."""
    spans = np.array([s for _, s, _ in segments], dtype=float)
    growth = np.array([g for _, _, g in segments])
    mu = float(np.sum(spans * growth) / np.sum(spans))
    if len(segments) < 2:
        return mu, math.nan
    return mu, float(math.sqrt(np.sum(spans * (growth - mu) ** 2) / (len(segments) - 1)))


def z90(dof: float) -> float:
    """Half-width of a central 90% band in standard deviations estimated with ``dof`` degrees of
    freedom (NaN without any)."""
    return float(student_t.ppf(0.95, dof)) if dof >= 1 else math.nan


def _paths(
    indicator: Indicator,
    history: GrowthHistory,
    origin: int,
    method: str,
    growth: list[float],
    log_sd: list[float],
    dof: float,
) -> list[Forecast]:
    """Forecasts from growth paths: rates are the growth; levels compound it from the origin's level.
    ``log_sd[h-1]`` is the sd of the error of the rate, or of the log level, at horizon h."""
    out, z = [], z90(dof)
    for h, (g, sd) in enumerate(zip(growth, log_sd), start=1):
        if indicator.kind == "rate":
            value, low, high = g, g - z * sd, g + z * sd
        else:
            log_level = math.log(history.last_level) + sum(growth[:h])
            value, low, high = (math.exp(log_level), math.exp(log_level - z * sd), math.exp(log_level + z * sd))
        out.append(Forecast(method, h, origin + h, value, low, high))
    return out


def _observed_at_origin(indicator: Indicator, history: GrowthHistory, origin: int) -> bool:
    if indicator.kind == "rate":
        return origin in history.annual
    return history.last_level is not None and bool(history.segments)


def random_walk_drift(indicator: Indicator, history: GrowthHistory, origin: int, horizons: int) -> list[Forecast]:
    if not _observed_at_origin(indicator, history, origin):
        return []
    mu, sigma = _pooled_drift(history.segments)
    hs = range(1, horizons + 1)
    sd = [sigma * (1.0 if indicator.kind == "rate" else math.sqrt(h)) for h in hs]
    return _paths(indicator, history, origin, "random_walk_drift", [mu] * horizons, sd, len(history.segments) - 1)


def last_growth(indicator: Indicator, history: GrowthHistory, origin: int, horizons: int) -> list[Forecast]:
    """The origin year's growth: its own row, or the last level pair ending at the origin
    (annualised when it spans a gap)."""
    last = [g for y, _, g in history.segments if y == origin]
    if not last or not _observed_at_origin(indicator, history, origin):
        return []
    # year-to-year changes of growth have mean 0 under a random walk: their root mean square
    changes = [history.annual[y] - history.annual[y - 1] for y in history.annual if y - 1 in history.annual]
    tau = float(np.sqrt(np.mean(np.square(changes)))) if len(changes) >= 2 else math.nan
    hs = range(1, horizons + 1)
    # rate: error sum of h changes; log level: sum over years of those sums, sum_i (h-i+1)^2 = h(h+1)(2h+1)/6
    sd = [tau * math.sqrt(h if indicator.kind == "rate" else h * (h + 1) * (2 * h + 1) / 6) for h in hs]
    return _paths(indicator, history, origin, "last_growth", [last[0]] * horizons, sd, len(changes))


def fit_ar1(annual: dict[int, float]) -> tuple[float, float, float, int] | None:
    """(c, phi, sigma, pairs) of g_t = c + phi g_{t-1} + e by least squares on consecutive years;
    None with fewer than MIN_AR1_PAIRS pairs or no variation in the lagged growth."""
    pairs = [(annual[y - 1], annual[y]) for y in sorted(annual) if y - 1 in annual]
    if len(pairs) < MIN_AR1_PAIRS:
        return None
    x, y = np.array(pairs).T
    if np.ptp(x) == 0:
        return None
    phi = float(np.sum((x - x.mean()) * (y - y.mean())) / np.sum((x - x.mean()) ** 2))
    c = float(y.mean() - phi * x.mean())
    residuals = y - c - phi * x
    sigma = float(math.sqrt(np.sum(residuals**2) / (len(pairs) - 2)))
    return c, phi, sigma, len(pairs)


def ar1(indicator: Indicator, history: GrowthHistory, origin: int, horizons: int) -> list[Forecast]:
    fit = fit_ar1(history.annual)
    if fit is None or origin not in history.annual or not _observed_at_origin(indicator, history, origin):
        return []
    c, phi, sigma, pairs = fit
    growth, g = [], history.annual[origin]
    for _ in range(horizons):
        g = c + phi * g
        growth.append(g)
    sd = []
    for h in range(1, horizons + 1):
        if indicator.kind == "rate":  # e_{T+h} = sum_{j<h} phi^j eps_{T+h-j}
            sd.append(sigma * math.sqrt(sum(phi ** (2 * j) for j in range(h))))
        else:  # the log level sums the growth errors: eps_{T+i} weighs sum_{j<=h-i} phi^j
            sd.append(sigma * math.sqrt(sum(sum(phi**j for j in range(h - i + 1)) ** 2 for i in range(1, h + 1))))
    return _paths(indicator, history, origin, "ar1", growth, sd, pairs - 2)


RULES = {"random_walk_drift": random_walk_drift, "ar1": ar1, "last_growth": last_growth}


def benchmark_forecasts(v: Vintage, indicator: Indicator, horizons: int = 3) -> list[Forecast]:
    """Every benchmark's forecasts of one indicator from the data up to the vintage's origin."""
    history = growth_history(v, indicator)
    return [f for method in METHODS for f in RULES[method](indicator, history, v.origin, horizons)]
