"""Derivations of the population and its incomes at the origin: registered and resident
population, the urban and rural incomes and the survey's urban weight, village collective income,
and the structure of households (P2: groups, sizes, participation, income composition).

A module of model.data.derive (see its docstring for the rules every derivation follows); separate
from industry and the economy as a whole because these are the synthetic population's inputs
(model.init.population) and carry the assumptions G2, P1, P2 and V1.
"""

from __future__ import annotations

from model.data.derive.economy import grown_with_gdp
from model.data.observed import Vintage

CENSUS_YEAR = 2020  # the 7th census counted residents on 1 November 2020; other rows are year ends


def registered_population(v: Vintage) -> float:
    """Registered (hukou) population at the end of the origin year (wan persons).

    The origin year's row if published; else Assumption G2: the latest count grown at the mean annual
    rate between the earliest and the latest counts up to the origin (origin 2022: 2016-2021, which
    spreads the 2021 hukou reform's jump over five years).
    """
    try:
        return v.at_origin("registered_population")
    except KeyError:
        pass
    counts = sorted(v.series("registered_population").items())
    if len(counts) < 2:
        return v.latest("registered_population")[1]
    (y0, p0), (y1, p1) = counts[0], counts[-1]
    return p1 * (p1 / p0) ** ((v.origin - y1) / (y1 - y0))


def resident_population(v: Vintage) -> float:
    """Resident population at the end of the origin year (wan persons).

    Assumption P1: from the latest count at half the growth rate between the two latest counts (the
    pandemic slowed in-migration, while registered population kept rising through hukou reform); the
    census counted on 1 November 2020, so 14 months to the end of 2021.
    """
    years = sorted(v.series("resident_population").items())
    if len(years) < 2:
        raise KeyError(f"two counts of 'resident_population' up to {v.origin} (P1) in the {v.source} data")
    (y0, p0), (y1, p1) = years[-2], years[-1]
    cagr = (p1 / p0) ** (1.0 / (y1 - y0)) - 1.0
    months = 12 * (v.origin - y1) + (2 if y1 == CENSUS_YEAR else 0)
    return p1 * (1.0 + 0.5 * cagr) ** (months / 12.0)


def urban_weight_in_income_survey(v: Vintage) -> float:
    """Share of urban residents implied by the latest income survey with all three figures:
    all = w*urban + (1-w)*rural (2020 for the 2021 origin)."""
    all_, urban, rural = (v.series(f"{p}disposable_income_per_capita") for p in ("", "urban_", "rural_"))
    years = set(all_) & set(urban) & set(rural)
    if not years:
        raise KeyError(f"a year up to {v.origin} with all, urban and rural disposable income in the {v.source} data")
    year = max(years)
    return (all_[year] - rural[year]) / (urban[year] - rural[year])


def urban_rural_income(v: Vintage) -> tuple[float, float]:
    """Urban and rural per-capita disposable income of the origin year (yuan) from its total and
    ratio and the survey's latest urban weight (the split after 2020 is not published). A total not
    published for the origin is carried by G1, a ratio by C1."""
    total = grown_with_gdp(v, "disposable_income_per_capita")
    ratio = v.latest("urban_rural_income_ratio")[1]
    w = urban_weight_in_income_survey(v)
    rural = total / (w * ratio + (1.0 - w))
    return ratio * rural, rural


def village_collective_income(v: Vintage) -> float:
    """Average village collective disposable income in the origin year (wan yuan).

    Assumption V1: the latest sample average (2015) grown with nominal GDP since (collective income
    is mostly rent from firms and so moves with the local economy). Weak (one sample year); replace
    with the first published figure after 2015.
    """
    year, level = v.latest("village_collective_income_avg")
    return level * v.at_origin("gdp") / v.value("gdp", year)


# Assumption P2: population structure. Urbanisation: the latest census share (78.96%, 2020) also at
# the origin; registered population from the origin's row; migrants are the rest. Rural residents are
# mostly registered villagers: 90% of them (the rest are migrants renting in villages). Household
# sizes: registered 2.6, migrants 1.7 (census: migrant workers often live alone). Labour-force
# participation: registered 58%, migrants 85%.
RURAL_MIGRANT_SHARE = 0.10
HOUSEHOLD_SIZE = {"registered": 2.6, "migrant": 1.7}
PARTICIPATION = {"registered": 0.58, "migrant": 0.85}
RETIREE_SHARE_REGISTERED = 0.20
UNEMPLOYMENT_2021 = 0.03  # assumption: registered urban unemployment in Jiangsu is about 3%
# Income composition of household disposable income (assumption from Jiangsu's household survey):
WAGE_SHARE_OF_DISPOSABLE_INCOME = 0.70
PROPERTY_SHARE_OF_DISPOSABLE_INCOME = 0.12
