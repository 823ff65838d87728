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
import tomllib
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np

from model.data.derive import buildable_origins
from model.data.observed import Observation, Vintage, observations
from model.params import Parameters, default_parameters
from model.run import seed_sequence
from model.scenario import Scenario, Shock

# The simulated history: from the end of the earliest year the shipped data allow building the
# economy at, through the last year with observed GDP. Nothing simulated after it enters the fit.
HISTORY_ORIGIN = min(buildable_origins(observations()))  # 2020
LAST_OBSERVED_YEAR = max(o.year for o in observations() if o.indicator == "gdp")  # 2022
YEAR0 = HISTORY_ORIGIN  # the initial state of the fit's runs
FIT_YEARS = tuple(range(HISTORY_ORIGIN + 1, LAST_OBSERVED_YEAR + 1))  # 2021, 2022


class NoHistory(ValueError):
    """A data vintage the fit cannot use: no simulated year to compare, or no data."""


def check_through(through: int) -> int:
    """The vintage ``through`` if a fit of it exists: HISTORY_ORIGIN < through <= LAST_OBSERVED_YEAR.

    At HISTORY_ORIGIN the fit's runs would start and end at the same year-end, with no simulated
    year to hold against an observed one: the data up to then identify nothing, and the parameters
    of that vintage are the prior (SPECS defaults), not a fit. After LAST_OBSERVED_YEAR there is no
    observed GDP to fit."""
    if isinstance(through, bool) or not isinstance(through, int | np.integer):
        raise NoHistory(f"a data vintage is a year; got {through!r}")
    if through <= HISTORY_ORIGIN:
        raise NoHistory(
            f"the data up to {through} leave no simulated year to fit (the fit's runs start at the end of "
            f"{HISTORY_ORIGIN}): that vintage's parameters are the prior, the SPECS defaults of model/params.py"
        )
    if through > LAST_OBSERVED_YEAR:
        raise NoHistory(f"no observed GDP after {LAST_OBSERVED_YEAR}: the latest vintage is {LAST_OBSERVED_YEAR}")
    return int(through)


def fit_years(through: int = LAST_OBSERVED_YEAR) -> tuple[int, ...]:
    """The simulated years a fit of the data up to ``through`` compares: HISTORY_ORIGIN + 1 .. through."""
    return tuple(range(HISTORY_ORIGIN + 1, check_through(through) + 1))


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

    @property
    def weight(self) -> float:
        return 1.0 / self.tolerance**2


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
            "above_scale_growth_mean",
            float(above_values.mean()),
            0.03,
            f"above_scale_industrial_output_growth {_years_text(above)}: mean",
            f"mean of above_scale_industrial_output_growth over seeds and {window}",
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
    # History only: runs from the end of 2020 (the fit's), not the baseline, whose initial state is
    # the end of 2021 and holds them.
    "price_level_2021": ScenarioQuantity(
        0.03,
        -0.05,
        0.15,
        "producer price level of 2021 relative to the 2020 average, from January 2021 on: a "
        "`price_level` shock on all clusters (China's PPI rose 8.1% in 2021; Kunshan's nominal GDP "
        "11.0% against 7.8% real)",
    ),
    "world_demand_2021": ScenarioQuantity(
        0.10,
        -0.2,
        0.5,
        "relative change of world demand for Kunshan's goods from January 2021 on: an `export_demand` "
        "shock on the world market, all clusters (the 2021 surge of China's exports, +30% in USD; "
        "Kunshan's trade +23% in USD, 868 -> 1066 yi)",
    ),
}
HISTORY_ONLY = ("price_level_2021", "world_demand_2021")
# The year each scenario quantity belongs to: a fit of the data up to an earlier year neither sees it
# nor simulates it (its history scenario ends before the shock), so the quantity keeps its default.
QUANTITY_YEAR = {"lockdown_size": 2022, "price_level_2022": 2022, "price_level_2021": 2021, "world_demand_2021": 2021}


def in_vintage(name: str, through: int = LAST_OBSERVED_YEAR) -> bool:
    """Whether a fit of the data up to ``through`` fits ``name`` (a parameter always; a scenario
    quantity when its year is simulated)."""
    return QUANTITY_YEAR.get(name, HISTORY_ORIGIN) <= through


HISTORY_START = "2021-01"  # when the history-only shocks start


def apply_scenario_values(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with calibrated shock sizes.

    ``lockdown_size``: every lockdown shock takes it. ``price_level_2022`` = x: a ``price_level``
    shock of size x on every cluster from January 2022 to the horizon, which raises the prices of
    Kunshan's producers and of their competitors together (a general price level, not a loss of
    competitiveness). The history-only quantities apply to a run that simulates 2021 (starts by
    January 2021): ``price_level_2021`` = p, a ``price_level`` shock from January 2021 on (and the
    2022 shock then has size x (1 + p), so that the 2022 level is (1 + p)(1 + x) times 2020's: x is
    2022 over 2021 in every run); ``world_demand_2021``, an ``export_demand`` shock on the world
    market from January 2021 on. A run from a later origin ignores them: its state holds them.
    """
    shocks = list(scenario.shocks)
    history = scenario.start <= HISTORY_START
    p21 = float(values.get("price_level_2021", 0.0)) if history else 0.0
    if "lockdown_size" in values:
        found = False
        for i, s in enumerate(shocks):
            if s.kind == "lockdown":
                shocks[i] = replace(s, size=float(values["lockdown_size"]))
                found = True
        if not found:
            shocks.append(Shock("lockdown", start="2022-04", end="2022-05", size=float(values["lockdown_size"])))
    if "price_level_2022" in values:
        x = float(values["price_level_2022"]) * (1.0 + p21)
        shocks = [s for s in shocks if not _is_price_level(s)]
        if x != 0.0:
            shocks.append(Shock("price_level", cluster="all", start=PRICE_LEVEL_START, end=None, size=x))
    if history:
        shocks = [s for s in shocks if not _is_history_shock(s)]
        if values.get("price_level_2021", 0.0) != 0.0:
            shocks.append(Shock("price_level", cluster="all", start=HISTORY_START, end=None, size=p21))
        if values.get("world_demand_2021", 0.0) != 0.0:
            shocks.append(
                Shock(
                    "export_demand",
                    market="world",
                    cluster="all",
                    start=HISTORY_START,
                    end=None,
                    size=float(values["world_demand_2021"]),
                )
            )
    return replace(scenario, shocks=tuple(shocks))


def _is_history_shock(s: Shock) -> bool:
    """A shock that carries a history-only quantity (see apply_scenario_values)."""
    return (
        s.start == HISTORY_START
        and s.end is None
        and s.cluster in (None, "all")
        and s.kind
        in (
            "price_level",
            "export_demand",
        )
    )


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
        if _is_history_shock(s):
            out["price_level_2021" if s.kind == "price_level" else "world_demand_2021"] = s.size
    for s in scenario.shocks:
        if _is_price_level(s):
            out["price_level_2022"] = s.size / (
                1.0 + (out["price_level_2021"] if scenario.start <= HISTORY_START else 0.0)
            )
    return out


def base_scenario() -> Scenario:
    """The shipped baseline (with its spring-2022 shocks)."""
    from model import config

    if hasattr(config, "baseline_scenario"):
        return config.baseline_scenario()
    return config.load_scenario(None)


def history_scenario(base: Scenario | None = None, through: int = LAST_OBSERVED_YEAR) -> Scenario:
    """What the fit simulates: the baseline (its spring-2022 shocks) from the end of HISTORY_ORIGIN
    through December of ``through`` (default LAST_OBSERVED_YEAR; an earlier vintage holds no shock
    or policy that starts after it), built from the data up to HISTORY_ORIGIN; the history-only
    shocks of 2021 come with the calibrated values (apply_scenario_values)."""
    from model.config import to_toml

    base = base or base_scenario()
    end = f"{check_through(through)}-12"
    scenario = replace(
        base,
        name="history",
        description=f"simulated history from the end of {HISTORY_ORIGIN} through {through}",
        start=f"{HISTORY_ORIGIN + 1}-01",
        horizon=end,
        policies=tuple(p for p in base.policies if p.start is None or p.start <= end),
        shocks=tuple(s for s in base.shocks if s.start is None or s.start <= end),
    )
    return replace(scenario, source_text=to_toml(scenario))


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
        "trade_total": get("trade_total"),
        "urban_rural_income_ratio": get("urban_rural_income_ratio"),
        "unemployment_rate": get("unemployment_rate"),
        "firms_revenue_ge_1000_yi": get("firms_revenue_ge_1000_yi"),
        "firms_revenue_100_to_1000_yi": get("firms_revenue_100_to_1000_yi"),
        "hill_final": hill_exponent(final["revenue"][alive], final["weight"][alive], 0.05),
    }


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
        "above_scale_growth_mean": float(above.mean()),
        "above_scale_growth_sd": float(above.std(ddof=1)) if len(above) > 1 else math.nan,
        "firm_size_tail_exponent": float(np.nanmean(hill)) if np.isfinite(hill).any() else math.nan,
    }
