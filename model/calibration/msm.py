"""Method of simulated moments: the calibrated parameters that bring the simulated moments closest to
the observed ones.

Objective: J(theta) = sum_k w_k g_k(theta)^2, g_k = m_k(theta) - m_k^obs (for a published floor only
the shortfall, min(0, g_k): moments.Moment.gap), with a diagonal weight w_k = 1 / tol_k^2
(:mod:`model.calibration.moments`). A diagonal, tolerance-based weight is used instead of the
optimal (inverse covariance) weight because most moments are single observations of unknown
sampling error: the tolerances state how much misfit each figure can bear, which is a judgement
about the data's grade, and a contribution of 1 means "off by one tolerance".

Common random numbers: every evaluation runs the same seeds (children of the scenario's root seed),
so differences of J between parameter vectors are not drowned in simulation noise. The optimiser is
Nelder-Mead in coordinates scaled by a step per parameter, bounded by the SPECS ranges (scenario
quantities by their own ranges); it needs no gradients, which a model with discrete events does
not have. Simulations of one evaluation run on a process pool; the result does not depend on the
number of workers.
"""

from __future__ import annotations

import datetime as dt
import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from model.calibration.moments import (
    HISTORY_ORIGIN,
    LAST_OBSERVED_YEAR,
    SCENARIO_QUANTITIES,
    Moment,
    apply_scenario_values,
    history_scenario,
    in_vintage,
    observed_moments,
    run_summary,
    scenario_values_of,
    simulated_moments,
)
from model.params import SPECS
from model.scenario import Scenario

# What is fitted, with the step of the initial simplex (the scale on which the parameter matters).
# The other parameter marked calibrated in SPECS is not fitted here: innovation_probability moves
# none of the moments by more than their noise (checked with the sensitivity in
# experiments/calibration_fit.py) and keeps its default.
FITTED: dict[str, float] = {
    "export_demand_growth": 0.02,
    "trend_productivity_growth": 0.01,
    "demand_share_volatility": 0.01,
    "export_demand_volatility": 0.02,
    "natural_unemployment_rate": 0.01,
    "lockdown_size": 0.05,
    "price_level_2022": 0.02,
    "price_level_2021": 0.02,
    "world_demand_2021": 0.05,
}
# Where the search starts. Fitting from the SPECS defaults and the baseline's shock sizes
# (`--from-defaults`) took J from 122.6 to 25.5 in 121 evaluations (6 seeds, scale 0.02, first fit
# of 2026-11-27) without converging; the default start is that result, rounded, so that the default
# budget refines it (updated to the rounded second fit, 2026-11-28). It is fixed here, not read from
# calibrated.toml, so a rerun gives the same file.
START: dict[str, float] = {
    # the fit of 2026-12-02 (second sitting), rounded; export demand's trend lowered by a point for
    # the strategic products' premium (strategic_demand_premium), added after it
    "export_demand_growth": 0.035,
    "trend_productivity_growth": 0.036,
    "demand_share_volatility": 0.041,
    "export_demand_volatility": 0.030,
    "natural_unemployment_rate": 0.032,
    "lockdown_size": 0.24,
    "price_level_2022": 0.019,
    # the history-only quantities of the fit from the end of 2020 (first fitted 2026-12-02): the
    # 2021 GDP deflator (nominal 11.0%, real 7.8%) and the 2021 trade surge in yuan (+23% in USD,
    # the yuan 7% dearer)
    "price_level_2021": 0.018,
    "world_demand_2021": 0.10,
}
DEFAULT_SEEDS = 6
DEFAULT_SCALE = 0.02
DEFAULT_ROOT_SEED = 20221122
DEFAULT_MAX_EVALUATIONS = 120
DEFAULT_WORKERS = 2


def fitted(through: int = LAST_OBSERVED_YEAR) -> list[str]:
    """The FITTED quantities a fit of the data up to ``through`` can identify: every parameter, and
    the scenario quantities of the years it simulates (moments.in_vintage)."""
    return [name for name in FITTED if in_vintage(name, through)]


def bounds(name: str) -> tuple[float, float]:
    if name in SPECS:
        return SPECS[name].low, SPECS[name].high
    q = SCENARIO_QUANTITIES[name]
    return q.low, q.high


def start_values(
    scenario: Scenario, from_defaults: bool = False, through: int = LAST_OBSERVED_YEAR
) -> dict[str, float]:
    """START, or the SPECS defaults and the scenario file's shock sizes, of the quantities the
    vintage ``through`` fits; never an earlier calibrated.toml, so that the result depends only on
    the code and the command line."""
    names = fitted(through)
    if not from_defaults:
        return {name: START[name] for name in names}
    values = scenario_values_of(scenario)
    return {name: (SPECS[name].default if name in SPECS else values[name]) for name in names}


def split(theta: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """(parameter overrides, scenario quantities)."""
    return ({k: v for k, v in theta.items() if k in SPECS}, {k: v for k, v in theta.items() if k not in SPECS})


def _summary(scenario: Scenario, seed: int, scale: float, overrides: dict[str, float]) -> dict:
    return run_summary(scenario, seed, scale, overrides)


@dataclass
class Evaluator:
    """J(theta) over fixed seeds, with a cache and a log of every evaluation."""

    scenario: Scenario
    seeds: tuple[int, ...]
    scale: float
    workers: int = DEFAULT_WORKERS
    moments: tuple[Moment, ...] | None = None  # default: observed_moments(through)
    through: int = LAST_OBSERVED_YEAR  # the data vintage (moments.check_through)
    history: list[tuple[dict, float]] = field(default_factory=list)
    _cache: dict = field(default_factory=dict)
    _pool: ProcessPoolExecutor | None = None

    def __post_init__(self):
        if self.moments is None:
            self.moments = observed_moments(self.through)

    def __enter__(self):
        if self.workers > 1:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def summaries(self, theta: dict[str, float]) -> list[dict]:
        overrides, quantities = split(theta)
        scenario = apply_scenario_values(self.scenario, quantities)
        if self._pool is None:
            return [_summary(scenario, s, self.scale, overrides) for s in self.seeds]
        futures = [self._pool.submit(_summary, scenario, s, self.scale, overrides) for s in self.seeds]
        return [f.result() for f in futures]

    def simulate(self, theta: dict[str, float]) -> dict[str, float]:
        key = tuple(sorted((k, round(v, 12)) for k, v in theta.items()))
        if key not in self._cache:
            self._cache[key] = simulated_moments(self.summaries(theta), self.through)
        return self._cache[key]

    def objective(self, theta: dict[str, float]) -> float:
        sim = self.simulate(theta)
        value = sum(m.weight * m.gap(sim[m.name]) ** 2 for m in self.moments)
        value = value if math.isfinite(value) else 1e12
        self.history.append((dict(theta), value))
        return value

    def fit_table(self, theta: dict[str, float]) -> list[dict]:
        sim = self.simulate(theta)
        return [
            {
                "moment": m.name,
                "observed": m.observed,
                "simulated": sim[m.name],
                "tolerance": m.tolerance,
                "weight": m.weight,
                "contribution": m.weight * m.gap(sim[m.name]) ** 2,
                "source": m.source,
            }
            for m in self.moments
        ]


@dataclass
class Calibration:
    theta: dict[str, float]
    objective: float
    start_objective: float
    evaluations: int
    table: list[dict]
    seeds: tuple[int, ...]
    scale: float
    root_seed: int
    message: str
    uncertainty: dict | None = None  # the calibration file's [uncertainty] (model.calibration.covariance)
    through: int = LAST_OBSERVED_YEAR  # the data vintage: observed figures and simulated years up to it


def calibrate(
    seeds: int = DEFAULT_SEEDS,
    scale: float = DEFAULT_SCALE,
    root_seed: int = DEFAULT_ROOT_SEED,
    max_evaluations: int = DEFAULT_MAX_EVALUATIONS,
    workers: int = DEFAULT_WORKERS,
    scenario: Scenario | None = None,
    progress=None,
    from_defaults: bool = False,
    through: int = LAST_OBSERVED_YEAR,
) -> Calibration:
    """Nelder-Mead on J over the FITTED quantities of the data vintage ``through`` (:func:`fitted`),
    from START (or the SPECS defaults); its runs simulate HISTORY_ORIGIN through ``through``."""
    from dataclasses import replace

    # The fit compares moments at given parameters: its runs must not draw parameters of their own.
    scenario = replace(scenario or history_scenario(through=through), root_seed=root_seed, uncertainty="seeds")
    names = fitted(through)
    steps = np.array([FITTED[n] for n in names])
    x0 = start_values(scenario, from_defaults, through)
    origin = np.array([x0[n] for n in names])
    lows = np.array([bounds(n)[0] for n in names])
    highs = np.array([bounds(n)[1] for n in names])

    def theta_of(z: np.ndarray) -> dict[str, float]:
        x = np.clip(origin + steps * z, lows, highs)
        return {n: float(v) for n, v in zip(names, x)}

    seed_list = tuple(range(seeds))
    with Evaluator(scenario, seed_list, scale, workers, through=through) as ev:

        def f(z):
            value = ev.objective(theta_of(z))
            if progress:
                progress(len(ev.history), value, min(v for _, v in ev.history))
            return value

        start_objective = f(np.zeros(len(names)))
        simplex = np.vstack([np.zeros(len(names)), np.eye(len(names))])
        result = optimize.minimize(
            f,
            np.zeros(len(names)),
            method="Nelder-Mead",
            bounds=list(zip((lows - origin) / steps, (highs - origin) / steps)),
            options={
                "initial_simplex": simplex,
                "maxfev": max_evaluations,
                "xatol": 0.05,
                "fatol": 0.01,
                "adaptive": True,
            },
        )
        best_theta, best_value = min(ev.history, key=lambda h: h[1])
        table = ev.fit_table(best_theta)
        evaluations = len(ev.history)
        uncertainty = estimate_uncertainty(ev, best_theta)
    return Calibration(
        theta=best_theta,
        objective=best_value,
        start_objective=start_objective,
        evaluations=evaluations,
        table=table,
        seeds=seed_list,
        scale=scale,
        root_seed=root_seed,
        message=str(result.message),
        uncertainty=uncertainty,
        through=through,
    )


def estimate_uncertainty(ev: Evaluator, theta: dict[str, float]) -> dict:
    """The [uncertainty] table at ``theta``: 2 x len(theta) more evaluations on the fit's seeds."""
    from model.calibration import covariance

    names = list(theta)
    ranges = {n: bounds(n) for n in names}
    jac = covariance.jacobian(ev.simulate, theta, ev.moments, ranges)
    return covariance.uncertainty_table(
        covariance.parameter_covariance(jac, ev.moments, names, ranges, len(ev.seeds)), names
    )


def uncertainty_at(
    theta: dict[str, float],
    seeds: int = DEFAULT_SEEDS,
    scale: float = DEFAULT_SCALE,
    root_seed: int = DEFAULT_ROOT_SEED,
    workers: int = DEFAULT_WORKERS,
    scenario: Scenario | None = None,
    through: int = LAST_OBSERVED_YEAR,
) -> tuple[dict, list[dict]]:
    """([uncertainty], fit table) at given values, without a search (``kunshan calibrate --at``)."""
    from dataclasses import replace

    scenario = replace(scenario or history_scenario(through=through), root_seed=root_seed, uncertainty="seeds")
    with Evaluator(scenario, tuple(range(seeds)), scale, workers, through=through) as ev:
        return estimate_uncertainty(ev, theta), ev.fit_table(theta)


# --- calibrated.toml (the file format: model.calibration.calibrated)


def render_toml(c: Calibration, date: str, command: str) -> str:
    """The file's text: deterministic given the calibration (the date is the only free field)."""
    from model.calibration.calibrated import render

    params, quantities = split(c.theta)
    data = {
        "date": date,
        "seeds": len(c.seeds),
        "scale": float(c.scale),
        "root_seed": int(c.root_seed),
        "objective": float(c.objective),
        "start_objective": float(c.start_objective),
        "evaluations": int(c.evaluations),
        "optimizer": f"Nelder-Mead (scipy), adaptive, bounded; {c.message}",
        "parameters": {k: float(v) for k, v in params.items()},
        "scenario": {k: float(v) for k, v in quantities.items()},
        "fit": [
            {
                "moment": row["moment"],
                "observed": float(row["observed"]),
                "simulated": float(row["simulated"]),
                "tolerance": float(row["tolerance"]),
                "weight": float(row["weight"]),
                "contribution": float(row["contribution"]),
                "source": row["source"],
            }
            for row in c.table
        ],
    }
    if c.uncertainty is not None:
        data["uncertainty"] = c.uncertainty
    vintage = (
        []
        if c.through == LAST_OBSERVED_YEAR
        else [
            f"Data vintage: through {c.through}. Every moment uses observed figures of years up to {c.through} "
            f"only, and the fit's runs simulate the end of {HISTORY_ORIGIN} through {c.through}; scenario "
            f"quantities of later years are not fitted. The backtest's forecasts from origin {c.through} use "
            "this file (docs/backtest.md)."
        ]
    )
    return render(
        data,
        [
            f"Reproduce with: {command}",
            *vintage,
            "[parameters] overrides model/params.py SPECS defaults (read by default_parameters()).",
            (
                "[scenario] holds calibrated sizes of the baseline's shocks (model.calibration.moments."
                "SCENARIO_QUANTITIES); they belong in scenarios/baseline.toml."
            ),
            (
                "[fit]: one row per moment; contribution = weight * (simulated - observed)^2, weight = 1/tolerance^2; "
                "for a published floor (a lower_bound row) only a shortfall counts."
            ),
            (
                "[uncertainty]: the sampling covariance of the parameters, which each run of an ensemble draws from "
                "(model.uncertainty; model/calibration/covariance.py says how it is estimated)."
            ),
        ],
    )


def today() -> str:
    return dt.date.today().isoformat()
