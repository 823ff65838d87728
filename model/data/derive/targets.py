"""The initial targets: every level at the end of the origin year that the synthetic economy is built
to reproduce, assembled from the derivations of model.data.derive; and the origins at whose end it
can be built.

A module of model.data.derive; separate from the derivations by topic because it is what the rest
of the model reads (model.init, model.record, the origins of `--origin` and the backtest), the one
place that calls them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from model.data.derive.economy import (
    GDP_PARTS,
    exchange_rate_at_origin,
    exports_imports,
    grown_with_gdp,
    run_rate_at_year_end,
)
from model.data.derive.industry import (
    ABOVE_SCALE_FIRMS,
    ENTERPRISES,
    FIRMS_GE_1_YI,
    above_scale_cluster_output,
    above_scale_growth_at_origin,
    broad_strategic_core_weight,
    cluster_output,
    firm_tiers,
)
from model.data.derive.people import (
    registered_population,
    resident_population,
    urban_rural_income,
    urban_weight_in_income_survey,
    village_collective_income,
)
from model.data.observed import Vintage, active_vintage


@dataclass(frozen=True)
class InitialTargets:
    """The levels at the end of the origin year the synthetic economy is built to reproduce."""

    cluster_output: np.ndarray  # yi yuan a year, by cluster (gross: industry includes firms below scale)
    above_scale_output: np.ndarray  # yi yuan a year, by cluster: industrial firms above scale (0 elsewhere)
    gdp: float  # yi yuan
    resident_population: float  # wan persons
    registered_population: float
    urban_share: float
    urban_income: float  # yuan per person a year
    rural_income: float
    all_income: float
    village_income_avg: float  # wan yuan a year
    villages: int
    exports_usd: float  # yi USD a year
    imports_usd: float
    public_budget_revenue: float  # yi yuan
    firms_ge_1000_yi: int
    firms_100_to_1000_yi: int
    firms_ge_1_yi: int
    above_scale_firms: int
    enterprises: int
    origin: int  # the year the state is the end of
    run_rate: float  # R1: the year-end month over the year's average month
    exchange_rate: float  # CNY per USD in the origin year


def initial_targets(vintage: Vintage | None = None) -> InitialTargets:
    """The targets of a vintage; without one, of the vintage in force (model.data.observed.in_vintage)
    or else the shipped data at the model's origin."""
    return _initial_targets(vintage or active_vintage())


@lru_cache(maxsize=8)
def _initial_targets(v: Vintage) -> InitialTargets:
    urban, rural = urban_rural_income(v)
    exports, imports = exports_imports(v)
    ge_1000, from_100 = firm_tiers(v)
    return InitialTargets(
        cluster_output=cluster_output(v),
        above_scale_output=above_scale_cluster_output(v),
        gdp=v.at_origin("gdp"),
        resident_population=resident_population(v),
        registered_population=registered_population(v),
        urban_share=v.latest("urbanisation_rate")[1],
        urban_income=urban,
        rural_income=rural,
        all_income=grown_with_gdp(v, "disposable_income_per_capita"),
        village_income_avg=village_collective_income(v),
        villages=int(v.latest("villages")[1]),
        exports_usd=exports,
        imports_usd=imports,
        public_budget_revenue=grown_with_gdp(v, "public_budget_revenue"),
        firms_ge_1000_yi=ge_1000,
        firms_100_to_1000_yi=from_100,
        firms_ge_1_yi=FIRMS_GE_1_YI,
        above_scale_firms=ABOVE_SCALE_FIRMS,
        enterprises=ENTERPRISES,
        origin=v.origin,
        run_rate=run_rate_at_year_end(v),
        exchange_rate=exchange_rate_at_origin(v),
    )


# The levels the initial state is solved to reproduce that an assumption (G1-G3, C1) carries when the
# origin year does not publish them. The default origin is the latest year that publishes them all.
ORIGIN_LEVELS = (
    "gdp",
    *GDP_PARTS,
    "disposable_income_per_capita",
    "urban_rural_income_ratio",
    "registered_population",
    "trade_total",
    "public_budget_revenue",
)


def origin_figures(v: Vintage) -> InitialTargets:
    """Every figure the initial state and its record take from the vintage (KeyError or ValueError
    naming what is missing when the state cannot be built at this origin)."""
    t = _initial_targets(v)
    broad_strategic_core_weight(v)
    urban_weight_in_income_survey(v)
    above_scale_growth_at_origin(v)
    v.at_origin("gdp_real_growth")
    return t


def buildable_origins(rows) -> list[int]:
    """The years at whose end the initial state can be built from ``rows`` (observed rows up to the
    year, with the assumptions above): the origins `--origin` accepts and the backtest runs from."""
    rows = tuple(rows)
    gdp_years = sorted({r.year for r in rows if r.indicator == "gdp"})
    out = []
    for year in gdp_years:
        try:
            origin_figures(Vintage.of(rows, year))
        except (KeyError, ValueError, ZeroDivisionError):
            continue
        out.append(year)
    return out


def default_origin(rows) -> int:
    """The origin a run starts from unless told: the latest buildable year in which every level of
    ORIGIN_LEVELS is observed, so that no level the state reproduces rests on a carried assumption
    (shipped data: 2021; 2022 lacks incomes, trade, budget revenue and registered population). Without
    such a year, the latest buildable one. ValueError when the state can be built at no year."""
    rows = tuple(rows)
    buildable = buildable_origins(rows)
    if not buildable:
        raise ValueError("no year at whose end the initial state can be built (see docs/DATA.md)")
    observed = {(r.indicator, r.year) for r in rows}
    complete = [y for y in buildable if all((name, y) in observed for name in ORIGIN_LEVELS)]
    return max(complete or buildable)
