"""What the dashboard computes: a few seeds of the baseline with the user's lever and parameter
settings, at a small scale, and the 2025 targets' statistics over them.

This module needs no web framework, so the numbers the dashboard shows are tested like any other
output. :class:`DashboardModel` is the Mesa model the SolaraViz app holds: building one runs the
whole ensemble (every change of a slider builds a new one, as Mesa's Reset does), and its
DataCollector holds one row per year so that Mesa's ``make_plot_component`` can draw the budget.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import mesa
import numpy as np
import xarray as xr

from model.config import ConfigError, scenario_from_text, to_toml
from model.outputs import load_targets, target_rows
from model.params import SPECS, default_parameters
from model.policy import LEVERS
from model.runner import run_scenario
from model.scenario import Scenario

TARGET_YEAR = 2025
DEFAULT_SEEDS = 4
DEFAULT_SCALE = 0.01  # about 0.4 s a seed to 2025: a change of a slider answers in a couple of seconds
POLICY_START_YEARS = (2022, 2025)

# Where a lever acts when the dashboard turns it on: every cluster, or the group it is meant for.
LEVER_TARGETS = {"cluster": "all", "households": "rural_households", "villages": None, "economy": None}

# The uncertain behavioural parameters the targets depend on most (the calibrated growth drivers,
# innovation and the return to rural training); the rest stay at their calibrated or assumed values.
UNCERTAIN_PARAMETERS = (
    "export_demand_growth",
    "trend_productivity_growth",
    "natural_unemployment_rate",
    "innovation_probability",
    "training_skill_return",
)

# What the budget panel shows. `policy_cost` (budget cost by lever) is what the public-sector work
# adds to the outputs; until a run has it, the panel shows public spending and revenue as they are,
# labelled as such, not as the cost of the policies.
POLICY_COST = "Budget cost of the policies (yi yuan a year, seed mean)"
PUBLIC_SPENDING = "Public spending: government final consumption (yi yuan, seed mean; not the policies' cost)"
PUBLIC_REVENUE = "Public budget revenue kept locally (yi yuan, seed mean)"


# How `kunshan dashboard` hands its --seeds and --scale to the page, which the server imports anew.
SEEDS_ENV = "KUNSHAN_DASHBOARD_SEEDS"
SCALE_ENV = "KUNSHAN_DASHBOARD_SCALE"


def run_options() -> dict:
    """Seeds and scale of every run of the page (checked by `kunshan dashboard` before it serves)."""
    return {
        "seeds": int(os.environ.get(SEEDS_ENV, DEFAULT_SEEDS)),
        "scale": float(os.environ.get(SCALE_ENV, DEFAULT_SCALE)),
    }


@dataclass(frozen=True)
class Setting:
    """One slider: a lever's size or a parameter's value, with the range the scenario schema allows."""

    name: str
    unit: str
    low: float
    high: float
    default: float
    kind: str  # "lever" or "parameter"

    @property
    def step(self) -> float:
        """A round step giving the slider 100 to 1000 positions."""
        return 10.0 ** math.floor(math.log10((self.high - self.low) / 100.0))

    def snap(self, value: float) -> float:
        """The exact default for a slider value within half a step of it: a slider shows the
        calibrated value rounded to its grid, and setting it back there means the calibrated value."""
        return self.default if abs(value - self.default) <= self.step / 2 else value


def settings() -> tuple[Setting, ...]:
    """Every slider of the dashboard: the levers (off by default) and the uncertain parameters
    (at their calibrated values)."""
    levers = tuple(Setting(name, lever.unit, lever.low, lever.high, 0.0, "lever") for name, lever in LEVERS.items())
    defaults = default_parameters()
    parameters = tuple(
        Setting(name, SPECS[name].unit, SPECS[name].low, SPECS[name].high, float(getattr(defaults, name)), "parameter")
        for name in UNCERTAIN_PARAMETERS
    )
    return levers + parameters


def default_values() -> dict[str, float]:
    return {s.name: s.default for s in settings()}


def dashboard_scenario(
    values: dict[str, float],
    policy_start: int = 2023,
    seeds: int = DEFAULT_SEEDS,
    scale: float = DEFAULT_SCALE,
    base: str = "baseline",
) -> Scenario:
    """The scenario of the sliders: the shipped ``base`` scenario plus every lever set above zero
    from January of ``policy_start`` to the horizon, and the parameters as set.

    It is written as a scenario file and read back through the scenario schema, so a slider value
    is checked exactly as the same value in a file would be (one-line ConfigError).
    """
    known = {s.name: s for s in settings()}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(
            "dashboard", unknown[0], "a lever of model/policy.py or one of " + ", ".join(UNCERTAIN_PARAMETERS)
        )
    if (
        isinstance(policy_start, bool)
        or not isinstance(policy_start, (int, np.integer))
        or not POLICY_START_YEARS[0] <= policy_start <= POLICY_START_YEARS[1]
    ):
        raise ConfigError(
            "dashboard", "policy_start", f"a year from {POLICY_START_YEARS[0]} to {POLICY_START_YEARS[1]}", policy_start
        )
    lines = [
        f"extends = {_text(base)}",
        'name = "dashboard"',
        f"seeds = {_number(seeds, 'seeds')}",
        f"scale = {_number(scale, 'scale')}",
    ]
    parameters = {name: v for name, v in values.items() if known[name].kind == "parameter"}
    if parameters:
        lines += ["[parameters]", *(f"{name} = {_number(v, name)}" for name, v in parameters.items())]
    for name, size in values.items():
        if known[name].kind != "lever" or size == 0:
            continue
        target = LEVER_TARGETS[LEVERS[name].targets]
        lines += [
            "[[policies]]",
            f'lever = "{name}"',
            f'start = "{int(policy_start)}-01"',
            f"size = {_number(size, name)}",
        ]
        if target is not None:
            lines.append(f'target = "{target}"')
    return scenario_from_text("\n".join(lines) + "\n", "dashboard")


def _number(value, key: str) -> str:
    """A number as TOML text (integers stay integers, so the schema can tell a count from 2.5);
    anything else is refused here, naming the slider."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ConfigError("dashboard", key, "a number", value)
    return str(int(value)) if isinstance(value, (int, np.integer)) else repr(float(value))


def _text(value) -> str:
    if not isinstance(value, str):
        raise ConfigError("dashboard", "base", "the name of a shipped scenario", value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def target_table(annual: xr.Dataset, year: int = TARGET_YEAR) -> list[dict]:
    """The rows of :func:`model.outputs.target_rows` for the targets of ``year``."""
    return [row for row in target_rows(annual) if row["year"] == year]


def probability_all_met(annual: xr.Dataset, year: int = TARGET_YEAR) -> float:
    """Share of seeds meeting every target of ``year`` at once (not the product of the separate
    probabilities: the targets move together within a seed)."""
    met = np.ones(annual.sizes["seed"], dtype=bool)
    for t in load_targets():
        if t.year != year:
            continue
        if t.id not in annual or year not in annual["year"].values:
            return float("nan")
        met &= t.met(annual[t.id].sel(year=year).values)
    return float(met.mean())


def budget_series(annual: xr.Dataset) -> dict[str, np.ndarray]:
    """Seed means by simulated year (the initial year, which has no flows recorded, left out) for
    the budget panel: the policies' cost where the run reports it, else public spending and
    revenue (see POLICY_COST)."""
    annual = annual.isel(year=slice(1, None))
    series = {}
    if "policy_cost" in annual:
        cost = annual["policy_cost"]
        cost = cost.sum([d for d in cost.dims if d not in ("seed", "year")])
        series[POLICY_COST] = cost.mean("seed").values
    else:
        series[PUBLIC_SPENDING] = annual["government_consumption"].mean("seed").values
    series[PUBLIC_REVENUE] = annual["public_budget_revenue"].mean("seed").values
    return {name: np.asarray(values, dtype=float) for name, values in series.items()}


class DashboardModel(mesa.Model):
    """A few seeds of the sliders' scenario, run to the horizon when the model is built.

    ``settings`` (a dict) or keyword arguments set the sliders (lever sizes and parameter values,
    see :func:`settings`) and ``policy_start``; ``seeds`` and ``scale`` the runs. After
    construction: ``annual`` (the stacked annual results), ``rows`` (the target table of 2025),
    ``p_all_met``, and a DataCollector with one row per simulated year (``budget_years``) of the
    budget series. There is nothing left to step, so ``running`` is False.
    """

    def __init__(
        self,
        settings: dict | None = None,
        seeds: int = DEFAULT_SEEDS,
        scale: float = DEFAULT_SCALE,
        base: str = "baseline",
        **kwargs,
    ):  # named kwargs, as Mesa's parameter check requires
        values = {**default_values(), **(settings or {}), **kwargs}
        policy_start = values.pop("policy_start", 2023)
        scenario = dashboard_scenario(values, policy_start, seeds, scale, base)
        super().__init__(rng=scenario.root_seed)
        self.kunshan_scenario = scenario
        self.values = values
        self.policy_start = policy_start
        self.annual, _ = run_scenario(self.kunshan_scenario, progress=False)
        self.years = [int(y) for y in self.annual["year"].values]
        self.rows = target_table(self.annual)
        self.p_all_met = probability_all_met(self.annual)
        budget = budget_series(self.annual)
        self.budget_measures = tuple(budget)
        self.budget_years = self.years[1:]
        self._row = 0
        self.datacollector = mesa.DataCollector(
            model_reporters={name: (lambda m, series=series: float(series[m._row])) for name, series in budget.items()}
        )
        for row in range(len(self.budget_years)):
            self._row = row
            self.datacollector.collect(self)
        self.running = False

    @property
    def scenario_text(self) -> str:
        return to_toml(self.kunshan_scenario)

    def step(self) -> None:
        """Nothing to do: the whole run happened when the model was built."""
        self.running = False
