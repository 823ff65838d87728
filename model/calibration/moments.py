"""Observed moments of Kunshan and their simulated counterparts: history against history.

A moment is one number the model must reproduce, with a tolerance: how far off a simulation may be
before we call the fit poor. Tolerances reflect the data's grade and how well the model can speak to
the figure, and set the weights of the fit (1 / tolerance^2, see :mod:`model.calibration.msm`).

The fit simulates history only. Its runs start from the earliest origin the data allow (the end of
2020, :data:`HISTORY_ORIGIN`; model.data.derive.buildable_origins) and stop at the end of the last
year with observed GDP (2022, :data:`LAST_OBSERVED_YEAR`): :func:`history_scenario`. Every moment
compares a simulated year of 2021-2022 with what was observed, and none uses a simulated year after
2022, so the fit never pins the forecast window (issue 15). The years' own figures are moments (GDP,
real growth, trade, income growth and the urban-rural ratio of 2021; GDP, real growth and the pillar
outputs of 2022). The growth window moments compare the mean and spread of observed growth over
2015-2022 (real GDP) and 2016-2020 (above-scale output, nominal, a different producer-price path:
widest tolerance) with simulated growth pooled over seeds and the simulated years 2021-2022: both
windows hold a shock year and a normal one. They get wider tolerances than the years' own figures.

Data vintages (``through``, `kunshan calibrate --through YEAR`). A fit of the data up to the end of
a year T, for the backtest's forecasts from origin T (docs/backtest.md), runs from HISTORY_ORIGIN
through T and keeps only what a modeller at the end of T had: every observed figure is read through
``Vintage.of(rows, T)`` (a later row cannot reach it: asking raises LookAhead), the moments of years
after T are dropped, the growth windows take the observed rows up to T and pool the simulated years
HISTORY_ORIGIN + 1 .. T, and the firm-size exponent is measured at the end of T. The scenario
quantities of years after T (:data:`QUANTITY_YEAR`: the 2022 lockdown and price level for T = 2021)
are not fitted and keep their defaults, and the history scenario holds no shock after T. A vintage
with no simulated year (T = HISTORY_ORIGIN) has nothing to compare: :func:`check_through` refuses it,
and its honest parameters are the prior, the SPECS defaults (model.calibration.calibrated.
calibration_of_vintage). The default vintage, LAST_OBSERVED_YEAR, is the shipped calibrated.toml.

Scenario quantities. The historical shocks of the simulated years are properties of the history
scenario, not behavioural parameters: the world-demand surge and the producer-price level of 2021,
the spring-2022 lockdown and the 2022 price level. They are calibrated like parameters under the
names in :data:`SCENARIO_QUANTITIES` and applied by :func:`apply_scenario_values`; the baseline (from
the end of 2021) takes the two of 2022, the 2021 ones are history its initial state already holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# The simulated history and its scenario quantities live in model.calibration.history; their names
# stay importable from here, where the fit's callers have always found them.
from model.calibration.history import (  # noqa: F401
    FIT_YEARS,
    HISTORY_ONLY,
    HISTORY_ORIGIN,
    HISTORY_START,
    LAST_OBSERVED_YEAR,
    PRICE_LEVEL_START,
    QUANTITY_YEAR,
    SCENARIO_QUANTITIES,
    YEAR0,
    NoHistory,
    ScenarioQuantity,
    apply_scenario_values,
    base_scenario,
    calibrated_baseline,
    calibrated_file_values,
    check_through,
    fit_years,
    history_scenario,
    in_vintage,
    scenario_values_of,
)
from model.data.observed import Observation, Vintage, observations
from model.params import Parameters, default_parameters
from model.run import seed_sequence
from model.scenario import Scenario


def _years_text(years) -> str:
    """2015, 2019, 2020, 2021 -> "2015, 2019-2021"."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


@dataclass(frozen=True)
class Moment:
    name: str
    observed: float
    tolerance: float
    source: str  # rows of observed_kunshan.csv or the literature
    simulated_as: str  # what the model's number is
    bound: str = ""  # "lower": the statistic published is a floor ("above 1 trillion"), not a level

    @property
    def weight(self) -> float:
        return 1.0 / self.tolerance**2

    def gap(self, simulated: float) -> float:
        """How far the simulated figure is from what was observed: m - m^obs, or for a lower bound
        only the shortfall, min(0, m - m^obs) (a figure above a published floor is not a miss)."""
        gap = simulated - self.observed
        return min(0.0, gap) if self.bound == "lower" else gap

    def binds(self, simulated: float) -> bool:
        """Whether the moment pulls at ``simulated``: always, but for a lower bound only below it."""
        return self.bound != "lower" or simulated < self.observed


def _level(
    vintage: Vintage, name: str, indicator: str, year: int, tolerance: float, grade: str, row: str | None = None
) -> Moment:
    value = vintage.value(indicator, year)
    return Moment(
        f"{name}_{year}",
        value,
        tolerance * value,
        f"{row or indicator} {year} (grade {grade})",
        f"mean over seeds of {name}, {year}",
    )


def _year_moments(v: Vintage) -> list[tuple[int, object]]:
    """(the latest year a moment uses, how to make it) for the moments of single years, in the order of
    the fit table."""
    return [
        (2021, lambda: _level(v, "gdp", "gdp", 2021, 0.01, "B")),
        (2022, lambda: _level(v, "gdp", "gdp", 2022, 0.01, "A")),
        (
            2021,
            lambda: Moment(
                "gdp_real_growth_2021",
                v.value("gdp_real_growth", 2021),
                0.005,
                "gdp_real_growth 2021 (grade B)",
                "mean over seeds of gdp_real_growth, 2021",
            ),
        ),
        (
            2022,
            lambda: Moment(
                "gdp_real_growth_2022",
                v.value("gdp_real_growth", 2022),
                0.005,
                "gdp_real_growth 2022 (grade A)",
                "mean over seeds of gdp_real_growth, 2022",
            ),
        ),
        (2021, lambda: _level(v, "trade_total", "trade_total", 2021, 0.03, "B")),
        (
            2021,
            lambda: Moment(
                "above_scale_industrial_output_2021",
                v.value("above_scale_industrial_output_lower_bound", 2021),
                0.02 * v.value("above_scale_industrial_output_lower_bound", 2021),
                "above_scale_industrial_output_lower_bound 2021 (grade B: first year above 1 trillion yuan)",
                "mean over seeds of above_scale_industrial_output, 2021; a lower bound: only a shortfall counts",
                bound="lower",
            ),
        ),
        (2022, lambda: _level(v, "electronic_information_output", "electronic_information_output", 2022, 0.02, "B")),
        (2022, lambda: _level(v, "high_end_equipment_output", "equipment_manufacturing_output", 2022, 0.03, "B")),
        (
            2021,
            lambda: Moment(
                "income_growth_2021",
                v.value("disposable_income_per_capita", 2021) / v.value("disposable_income_per_capita", 2020) - 1,
                0.02,
                "disposable_income_per_capita 2020 -> 2021 (grade B)",
                "mean over seeds of the growth of disposable_income_per_capita, 2021",
            ),
        ),
        (
            2021,
            lambda: Moment(
                "urban_rural_income_ratio_2021",
                v.value("urban_rural_income_ratio", 2021),
                0.02,
                "urban_rural_income_ratio 2021 (grade A; 1.87 in 2020 too)",
                "mean over seeds of urban_rural_income_ratio, 2021",
            ),
        ),
    ]


def observed_moments(
    through: int = LAST_OBSERVED_YEAR, rows: tuple[Observation, ...] | None = None
) -> tuple[Moment, ...]:
    """The moments of the data vintage ``through`` (default: every observed year), from ``rows``
    (default: the shipped data) up to it only; see the module's docstring."""
    v = Vintage.of(observations() if rows is None else tuple(rows), check_through(through))
    real, above = v.series("gdp_real_growth"), v.series("above_scale_industrial_output_growth")
    real_values, above_values = np.array(list(real.values())), np.array(list(above.values()))
    # No mean of above-scale growth: the observed years (2016-2020) and the simulated ones (2021-2022)
    # do not overlap, and 2021's own figure, a floor, is a moment of its year (above). The spread stays:
    # it measures how much the sector's growth moves from year to year, not where it was.
    window = _years_text(fit_years(through))
    return (
        *(make() for year, make in _year_moments(v) if year <= through),
        Moment(
            "gdp_real_growth_mean",
            float(real_values.mean()),
            0.015,
            f"gdp_real_growth {_years_text(real)}: mean",
            f"mean of gdp_real_growth over seeds and {window}",
        ),
        Moment(
            "gdp_real_growth_sd",
            float(real_values.std(ddof=1)),
            0.015,
            f"gdp_real_growth {_years_text(real)}: standard deviation",
            f"standard deviation of gdp_real_growth over seeds and {window}",
        ),
        Moment(
            "above_scale_growth_sd",
            float(above_values.std(ddof=1)),
            0.02,
            f"above_scale_industrial_output_growth {_years_text(above)}: standard deviation",
            f"standard deviation over seeds and {window}",
        ),
        Moment(
            "firm_size_tail_exponent",
            1.06,
            0.15,
            "Axtell (2001), Science 293:1818 (Zipf law of firm sizes, alpha = 1.059)",
            f"Hill exponent, top 5% of firms by revenue (weighted), {through}, mean over seeds",
        ),
    )


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
        "above_scale_industrial_output": get("above_scale_industrial_output"),
        "disposable_income_per_capita": get("disposable_income_per_capita"),
        "trade_total": get("trade_total"),
        "urban_rural_income_ratio": get("urban_rural_income_ratio"),
        "unemployment_rate": get("unemployment_rate"),
        "firms_revenue_ge_1000_yi": get("firms_revenue_ge_1000_yi"),
        "firms_revenue_100_to_1000_yi": get("firms_revenue_100_to_1000_yi"),
        "hill_final": hill_exponent(final["revenue"][alive], final["weight"][alive], 0.05),
    }


# The annual series of a run summary that the simulated moments read (besides the firm-size exponent).
MOMENT_SERIES = (
    "gdp",
    "gdp_real_growth",
    "trade_total",
    "electronic_information_output",
    "high_end_equipment_output",
    "urban_rural_income_ratio",
    "disposable_income_per_capita",
    "above_scale_industrial_output_growth",
    "above_scale_industrial_output",
)


def simulated_moments(summaries: list[dict], through: int = LAST_OBSERVED_YEAR) -> dict[str, float]:
    """The simulated counterpart of every observed moment of vintage ``through`` from a list of run
    summaries (of the history scenario: years HISTORY_ORIGIN..through; a moment of a year the runs
    do not hold is NaN). No simulated year after ``through`` enters: its moments are left out and
    the growth windows pool HISTORY_ORIGIN + 1 .. through."""
    years = summaries[0]["years"]
    nan = np.full(len(summaries), math.nan)
    held = lambda year: year in years and year <= through
    col = lambda name, year: np.array([s[name][years.index(year)] for s in summaries]) if held(year) else nan
    pooled = lambda name, ys: np.concatenate([col(name, y) for y in ys])
    pool_years = [y for y in fit_years(through) if y in years] or [math.nan]
    real, above = pooled("gdp_real_growth", pool_years), pooled("above_scale_industrial_output_growth", pool_years)
    out = {
        f"{name}_{year}": float(col(name, year).mean())
        for name, year in (
            ("gdp", 2021),
            ("gdp", 2022),
            ("gdp_real_growth", 2021),
            ("gdp_real_growth", 2022),
            ("trade_total", 2021),
            ("above_scale_industrial_output", 2021),
            ("electronic_information_output", 2022),
            ("high_end_equipment_output", 2022),
            ("urban_rural_income_ratio", 2021),
        )
        if year <= through
    }
    income = col("disposable_income_per_capita", 2021) / col("disposable_income_per_capita", 2020) - 1.0
    # The firm-size exponent is measured at the runs' last year-end: it must be the vintage's.
    hill = [s["hill_final"] for s in summaries] if years[-1] == through else []
    return out | {
        "income_growth_2021": float(income.mean()),
        "gdp_real_growth_mean": float(real.mean()),
        "gdp_real_growth_sd": float(real.std(ddof=1)) if len(real) > 1 else math.nan,
        "above_scale_growth_sd": float(above.std(ddof=1)) if len(above) > 1 else math.nan,
        "firm_size_tail_exponent": float(np.nanmean(hill)) if np.isfinite(hill).any() else math.nan,
    }
