"""Derivations of the economy as a whole at the origin: GDP by sector, the levels grown with GDP
when the origin year does not publish them, trade abroad, the year-end run rate of monthly flows and
the exchange rate.

A module of model.data.derive (see its docstring for the rules every derivation follows); separate
from industry and population because these are economy-wide figures the others build on (G1, G3,
C1, R1).
"""

from __future__ import annotations

import numpy as np

from model.data.observed import Vintage, shipped_vintage

GDP_PARTS = ("gdp_primary", "gdp_secondary", "gdp_tertiary")


def gdp_by_sector(v: Vintage) -> dict[str, float]:
    """Value added of the primary, secondary and tertiary sectors in the origin year (yi yuan).

    The origin year's rows if all three are published; else Assumption G3: the origin's GDP split as
    in the latest earlier year with all three (origin 2020: the split of 2019).
    """
    try:
        return {p: v.at_origin(p) for p in GDP_PARTS}
    except KeyError:
        pass
    series = [v.series(p) for p in GDP_PARTS]
    years = set.intersection(*(set(s) for s in series))
    if not years:
        raise KeyError(f"a year up to {v.origin} with {', '.join(GDP_PARTS)} in the {v.source} data (G3)")
    year = max(years)
    total = sum(s[year] for s in series)
    return {p: v.at_origin("gdp") * s[year] / total for p, s in zip(GDP_PARTS, series)}


def grown_with_gdp(v: Vintage, indicator: str) -> float:
    """A level the initial state is solved to reproduce, in the origin year.

    The origin year's row if published; else Assumption G1: the latest published level grown with
    nominal GDP to the origin (public budget revenue, disposable income per capita and trade move
    with the local economy; A1 and V1 use the same rule). Origin 2022: the 2021 levels x 5006.7 /
    4748.06.
    """
    try:
        return v.at_origin(indicator)
    except KeyError:
        pass
    year, level = v.latest(indicator)
    return level * v.at_origin("gdp") / v.value("gdp", year)


def exports_imports(v: Vintage) -> tuple[float, float]:
    """Exports and imports abroad in the origin year (yi USD): the origin's total split as in the
    latest year with both figures (C1; 2020 for the 2021 origin)."""
    exports, total = v.series("exports"), v.series("trade_total")
    years = set(exports) & set(total)
    if not years:
        raise KeyError(f"a year up to {v.origin} with both 'exports' and 'trade_total' in the {v.source} data")
    year = max(years)
    export_share = exports[year] / total[year]
    trade = grown_with_gdp(v, "trade_total")  # G1 when the origin's total is not published
    return trade * export_share, trade * (1.0 - export_share)


def run_rate_at_year_end(v: Vintage) -> float:
    """Monthly flows at the end of the origin year relative to its average month.

    Assumption R1: within the year the economy grew steadily at its annual *real* GDP growth rate g,
    so the year-end level is r e^r / (e^r - 1) times the year average, with r = ln(1 + g). Real, not
    nominal: the initial state's prices are the origin year's average (every price index 1), so the
    year-end carry-over it starts from is volume; the rise of prices within the year belongs to the
    price level (the scenario's price_level shocks, calibrated). Taking nominal growth (11.0% in 2021
    against 7.8% real) put 1.5 points of 2021's inflation into 2022's real growth. Where the data
    hold no real growth for the origin year, nominal GDP growth stands in.
    """
    try:
        r = np.log1p(v.at_origin("gdp_real_growth"))
    except KeyError:
        r = np.log(v.at_origin("gdp") / v.value("gdp", v.origin - 1))
    return float(r * np.exp(r) / np.expm1(r))


# R1 of the shipped data at the default origin (2021). The builder of the initial state and the
# recorder use the vintage's own (InitialTargets.run_rate); this constant is for reference and tests.
RUN_RATE = run_rate_at_year_end(shipped_vintage())


def exchange_rate_at_origin(v: Vintage) -> float:
    """CNY per USD in the origin year, which turns the observed trade in USD into the model's yuan.

    The origin year's `exchange_rate` row if the data hold one (a user's file may); else the annual
    average of the baseline path (model.policy.BASELINE_EXCHANGE_RATE, PBoC central parity).
    """
    from model.policy import BASELINE_EXCHANGE_RATE, _lookup_year

    try:
        return v.at_origin("exchange_rate")
    except KeyError:
        return _lookup_year(BASELINE_EXCHANGE_RATE, v.origin)
