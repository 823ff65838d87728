"""Observed moments of Kunshan and their simulated counterparts.

A moment is one number the model must reproduce, with a tolerance: how far off a simulation may be
before we call the fit poor. Tolerances reflect the data's grade and how well the model can speak to
the figure, and set the weights of the fit (1 / tolerance^2, see :mod:`model.calibration.msm`).

The data window ends in 2022 and the run starts in January 2022, so only 2022 levels overlap
directly. Growth moments of the window 2015-2022 (mean and spread of real GDP growth and of
above-scale industrial output growth) are compared with the distribution of simulated growth over
2022-2025, pooled over seeds and years: both windows contain a pandemic year (2020 and 2022
observed, 2022 simulated) and normal years, so their mean and spread are comparable, while a
forecast cannot be judged on figures after 2022 (see docs/ODD.md, "Calibration"). These proxies get
wider tolerances than the 2022 levels (grade A figures of the very year the run starts): the growth
of 2015-2022 is informative about the forecast's centre and spread, not a measurement of it.
Above-scale industrial growth is nominal, and 2016-2020 had a different producer-price path (PPI fell
in 2016 and 2019), hence the widest tolerance.

Scenario quantities. The size of the spring-2022 lockdown and the 2022 price level are properties of
the baseline scenario, not behavioural parameters. They are calibrated like parameters under the
names in :data:`SCENARIO_QUANTITIES` and applied to a scenario by :func:`apply_scenario_values`.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np

from model.data.observed import observed
from model.params import Parameters, default_parameters
from model.run import seed_sequence
from model.scenario import Scenario, Shock

YEAR0 = 2021  # the initial state
FIT_YEARS = (2022, 2023, 2024, 2025)


@dataclass(frozen=True)
class Moment:
    name: str
    observed: float
    tolerance: float
    source: str  # rows of observed_kunshan.csv or the literature
    simulated_as: str  # what the model's number is

    @property
    def weight(self) -> float:
        return 1.0 / self.tolerance**2


def _growth_rows(indicator: str) -> np.ndarray:
    from model.data.observed import observations

    return np.array([o.value for o in observations() if o.indicator == indicator])


def observed_moments() -> tuple[Moment, ...]:
    real = _growth_rows("gdp_real_growth")  # 2015, 2019, 2020, 2021, 2022
    above = _growth_rows("above_scale_industrial_output_growth")  # 2016-2020
    income_growth = observed("disposable_income_per_capita", 2021) / observed("disposable_income_per_capita", 2020) - 1
    return (
        Moment(
            "gdp_2022",
            observed("gdp", 2022),
            0.01 * observed("gdp", 2022),
            "gdp 2022 (grade A)",
            "mean over seeds of annual gdp, 2022",
        ),
        Moment(
            "gdp_real_growth_2022",
            observed("gdp_real_growth", 2022),
            0.005,
            "gdp_real_growth 2022 (grade A)",
            "mean over seeds of gdp_real_growth, 2022",
        ),
        Moment(
            "electronic_information_output_2022",
            observed("electronic_information_output", 2022),
            0.02 * observed("electronic_information_output", 2022),
            "electronic_information_output 2022 (grade B)",
            "mean over seeds, 2022",
        ),
        Moment(
            "high_end_equipment_output_2022",
            observed("equipment_manufacturing_output", 2022),
            0.03 * observed("equipment_manufacturing_output", 2022),
            "equipment_manufacturing_output 2022 (grade B)",
            "mean over seeds of high_end_equipment_output, 2022",
        ),
        Moment(
            "gdp_real_growth_mean",
            float(real.mean()),
            0.015,
            "gdp_real_growth 2015, 2019-2022: mean",
            "mean of gdp_real_growth over seeds and 2022-2025",
        ),
        Moment(
            "gdp_real_growth_sd",
            float(real.std(ddof=1)),
            0.015,
            "gdp_real_growth 2015, 2019-2022: standard deviation",
            "standard deviation of gdp_real_growth over seeds and 2022-2025",
        ),
        Moment(
            "above_scale_growth_mean",
            float(above.mean()),
            0.03,
            "above_scale_industrial_output_growth 2016-2020: mean",
            "mean of above_scale_industrial_output_growth over seeds and 2022-2025",
        ),
        Moment(
            "above_scale_growth_sd",
            float(above.std(ddof=1)),
            0.02,
            "above_scale_industrial_output_growth 2016-2020: standard deviation",
            "standard deviation over seeds and 2022-2025",
        ),
        Moment(
            "income_growth",
            income_growth,
            0.03,
            "disposable_income_per_capita 2020 -> 2021 (grade B)",
            "mean over seeds and 2023-2025 of the annual growth of disposable_income_per_capita",
        ),
        Moment(
            "urban_rural_ratio_trend",
            (observed("urban_rural_income_ratio", 2021) - observed("urban_rural_income_ratio", 2016)) / 5.0,
            0.01,
            "urban_rural_income_ratio 2016 -> 2021 (grade A): change a year",
            "mean over seeds of the change a year of urban_rural_income_ratio, 2022 -> 2025",
        ),
        Moment(
            "firm_size_tail_exponent",
            1.06,
            0.15,
            "Axtell (2001), Science 293:1818 (Zipf law of firm sizes, alpha = 1.059)",
            "Hill exponent, top 5% of firms by revenue (weighted), final year, mean over seeds",
        ),
    )


# --- scenario quantities: calibrated like parameters, applied to the baseline scenario's shocks


@dataclass(frozen=True)
class ScenarioQuantity:
    default: float
    low: float
    high: float
    doc: str


SCENARIO_QUANTITIES: dict[str, ScenarioQuantity] = {
    "lockdown_size": ScenarioQuantity(
        0.25,
        0.0,
        0.6,
        "share of output lost in each month of Kunshan's closed-loop production (April-May 2022): "
        "the size of every `lockdown` shock of the baseline",
    ),
    "price_level_2022": ScenarioQuantity(
        0.0,
        -0.05,
        0.10,
        "producer price level of 2022 relative to the 2021 average, from January 2022 on: "
        "a `price_level` shock on all clusters from 2022-01 to the horizon (the carry-over of "
        "2021's producer-price inflation, China's PPI rose 8.1% in 2021)",
    ),
}


def apply_scenario_values(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with calibrated shock sizes.

    ``lockdown_size``: every lockdown shock takes it. ``price_level_2022`` = x: a ``price_level``
    shock of size x on every cluster from January 2022 to the horizon, which raises the prices of
    Kunshan's producers and of their competitors together (a general price level, not a loss of
    competitiveness).
    """
    shocks = list(scenario.shocks)
    if "lockdown_size" in values:
        found = False
        for i, s in enumerate(shocks):
            if s.kind == "lockdown":
                shocks[i] = replace(s, size=float(values["lockdown_size"]))
                found = True
        if not found:
            shocks.append(Shock("lockdown", start="2022-04", end="2022-05", size=float(values["lockdown_size"])))
    if "price_level_2022" in values:
        x = float(values["price_level_2022"])
        shocks = [s for s in shocks if not _is_price_level(s)]
        if x != 0.0:
            shocks.append(Shock("price_level", cluster="all", start=PRICE_LEVEL_START, end=None, size=x))
    return replace(scenario, shocks=tuple(shocks))


PRICE_LEVEL_START = "2022-01"


def _is_price_level(s: Shock) -> bool:
    """The shock that carries the calibrated 2022 price level (see apply_scenario_values)."""
    return s.kind == "price_level" and s.cluster in (None, "all") and s.start == PRICE_LEVEL_START and s.end is None


def scenario_values_of(scenario: Scenario) -> dict[str, float]:
    """The scenario quantities as a scenario file sets them (defaults where it does not)."""
    out = {k: q.default for k, q in SCENARIO_QUANTITIES.items()}
    for s in scenario.shocks:
        if s.kind == "lockdown":
            out["lockdown_size"] = s.size
        if _is_price_level(s):
            out["price_level_2022"] = s.size
    return out


def base_scenario() -> Scenario:
    """The shipped baseline (with its spring-2022 shocks)."""
    from model import config

    if hasattr(config, "baseline_scenario"):
        return config.baseline_scenario()
    return config.load_scenario(None)


def calibrated_file_values() -> tuple[dict[str, float], dict[str, float]]:
    """([parameters], [scenario]) of model/data/calibrated.toml, empty when not calibrated yet."""
    path = resources.files("model.data").joinpath("calibrated.toml")
    if not path.is_file():
        return {}, {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return (
        {k: float(v) for k, v in data.get("parameters", {}).items()},
        {k: float(v) for k, v in data.get("scenario", {}).items()},
    )


def calibrated_baseline() -> Scenario:
    """The baseline with the calibrated scenario quantities applied (an identity once the shipped
    baseline.toml carries the calibrated shock sizes)."""
    _, values = calibrated_file_values()
    return apply_scenario_values(base_scenario(), values)


# --- one simulation, reduced to what the moments and checks need


def run_micro(scenario: Scenario, seed: int, scale: float, parameters: Parameters | None = None):
    """One run with firm snapshots; returns (model, annual dataset)."""
    from model.snapshots import SnapshotModel

    model = SnapshotModel(
        scenario, scale=scale, parameters=parameters, rng=np.random.default_rng(seed_sequence(scenario, seed))
    )
    model.run()
    annual, _ = model.datasets()
    return model, annual


def run_summary(
    scenario: Scenario,
    seed: int,
    scale: float,
    overrides: dict[str, float] | None = None,
    use_calibration: bool = False,
) -> dict:
    """The numbers of one run that the moments use (small and picklable: it crosses processes).

    Parameters are SPECS defaults (``use_calibration=False``, so a fit never depends on an earlier
    calibrated.toml) with ``overrides`` and the scenario's own parameters on top."""
    from model.calibration.stylized import hill_exponent

    params = default_parameters(use_calibration).with_overrides({**scenario.parameters, **(overrides or {})})
    model, a = run_micro(scenario, seed, scale, params)
    years = [int(y) for y in a["year"].values]
    final = model.snapshots.year(years[-1])
    alive = final["alive"]
    get = lambda name: [float(v) for v in a[name].values]
    return {
        "years": years,
        "gdp": get("gdp"),
        "gdp_real_growth": get("gdp_real_growth"),
        "gdp_deflator": get("gdp_deflator"),
        "electronic_information_output": get("electronic_information_output"),
        "high_end_equipment_output": get("high_end_equipment_output"),
        "above_scale_industrial_output_growth": get("above_scale_industrial_output_growth"),
        "disposable_income_per_capita": get("disposable_income_per_capita"),
        "urban_rural_income_ratio": get("urban_rural_income_ratio"),
        "unemployment_rate": get("unemployment_rate"),
        "firms_revenue_ge_1000_yi": get("firms_revenue_ge_1000_yi"),
        "firms_revenue_100_to_1000_yi": get("firms_revenue_100_to_1000_yi"),
        "hill_final": hill_exponent(final["revenue"][alive], final["weight"][alive], 0.05),
    }


def simulated_moments(summaries: list[dict]) -> dict[str, float]:
    """The simulated counterpart of every observed moment from a list of run summaries."""
    years = summaries[0]["years"]
    col = lambda name, year: np.array([s[name][years.index(year)] for s in summaries])
    pooled = lambda name, ys: np.concatenate([col(name, y) for y in ys])
    fit_years = [y for y in FIT_YEARS if y in years]
    income = np.array([s["disposable_income_per_capita"] for s in summaries])
    growth = income[:, 2:] / income[:, 1:-1] - 1.0 if income.shape[1] > 2 else np.full((len(summaries), 1), math.nan)
    real, above = pooled("gdp_real_growth", fit_years), pooled("above_scale_industrial_output_growth", fit_years)
    return {
        "gdp_2022": float(col("gdp", 2022).mean()),
        "gdp_real_growth_2022": float(col("gdp_real_growth", 2022).mean()),
        "electronic_information_output_2022": float(col("electronic_information_output", 2022).mean()),
        "high_end_equipment_output_2022": float(col("high_end_equipment_output", 2022).mean()),
        "gdp_real_growth_mean": float(real.mean()),
        "gdp_real_growth_sd": float(real.std(ddof=1)) if len(real) > 1 else math.nan,
        "above_scale_growth_mean": float(above.mean()),
        "above_scale_growth_sd": float(above.std(ddof=1)) if len(above) > 1 else math.nan,
        "income_growth": float(np.nanmean(growth)),  # 2023-2025: the 2021 level is a December run rate
        "urban_rural_ratio_trend": _ratio_trend(summaries),
        "firm_size_tail_exponent": float(np.nanmean([s["hill_final"] for s in summaries])),
    }


def _ratio_trend(summaries: list[dict]) -> float:
    """Mean change a year of the urban-rural income ratio from 2022 (after the lockdown year's own
    swing) to the last year."""
    years = summaries[0]["years"]
    if 2022 not in years or years[-1] <= 2022:
        return math.nan
    i, j = years.index(2022), len(years) - 1
    return float(
        np.mean(
            [
                (s["urban_rural_income_ratio"][j] - s["urban_rural_income_ratio"][i]) / (years[j] - 2022)
                for s in summaries
            ]
        )
    )
