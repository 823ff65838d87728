"""The simulated history the fit compares with observed history: its years (from the earliest
origin the data allow through a data vintage), the historical shocks of those years as scenario
quantities calibrated like parameters, and the history scenario that carries them.

Separate from :mod:`model.calibration.moments` (which re-exports every name here) because it is the
fit's *scenario*, read by the baseline, the validation and the backtest as well, while the moments
module is the *comparison*: observed figures, their tolerances and their simulated counterparts.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np

from model.data.derive import buildable_origins
from model.data.observed import observations
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
