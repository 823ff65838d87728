"""Every figure the initial state needs that the data do not give directly, derived in one place.

Each function takes the :class:`~model.data.observed.Vintage` of the forecast origin (the end of the
year the economy is built at; 2021 for the model today) and reads only rows of years up to that
origin: a row of a later year cannot reach the initial state. Each names its inputs (rows of
``observed_kunshan.csv``) and its assumption; a figure missing for the origin year is carried by a
labelled assumption, listed in ``docs/DATA.md``. When a better figure is found, replace the
derivation here and nothing else changes.
Units follow the data: yi yuan (1e8 CNY), wan persons (1e4), yuan per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from model.clusters import cluster_table
from model.data.observed import Vintage, active_vintage, shipped_vintage

# Assumption S1: output of the six strategic emerging industries of the article, as shares of
# above-scale industrial output. The article counts "6 clusters above 100 yi" besides the two pillars
# and aims to bring each to 1000 yi; no split is published. The shares follow the article's order of
# emphasis and press reports of Kunshan's display and intelligent-equipment bases (about 7,400 yi in
# all at 2021's level). (The official "strategic emerging industries" total uses the broader national
# classification; see broad_strategic_core_weight.)
STRATEGIC_SHARE = {
    "new_display": 0.074,
    "new_intelligent_manufacturing": 0.072,
    "new_medical": 0.030,
    "new_energy": 0.051,
    "new_materials": 0.056,
    "new_digital": 0.043,
}
# Assumption S2: the X pioneer industries are young: shares of above-scale output.
PIONEER_SHARE = {"advanced_computing": 0.0054, "life_health": 0.0036, "metaverse": 0.0018}
# Assumption A2: "above 80%" (the pillars' share of above-scale output) read as the middle of 80-83%.
PILLAR_SHARE_ABOVE_BOUND = 0.015
# Assumption A3: without a split for the origin year, electronic information makes two thirds of the
# two pillars and equipment one third (electronic information is Kunshan's dominant industry).
ELECTRONIC_SHARE_OF_PILLARS = 2.0 / 3.0
# Assumption B1: industrial firms below the statistical threshold (20 million yuan of revenue a
# year) add output on top of the above-scale figures: 4% of each industrial cluster's gross output.
# No Kunshan figure is published; nationally the firms below the threshold make about a tenth of
# industrial output, and Kunshan's is concentrated in large foreign-invested firms. 4% is what the
# firm register's lognormal body carried before this was stated, so the register keeps its shape.
BELOW_SCALE_SHARE_OF_INDUSTRY = 0.04
# Assumption A4: when no share of the two pillars is published up to the origin (origin 2020), the
# "above 80%" reported for 2021 (China Industry News 2022-01-19) holds: a structural share that moves
# slowly. It carries knowledge from after such an origin, as F1 does; it is read only when the data
# up to the origin have no pillar share.
PILLAR_SHARE_LOWER_BOUND_WITHOUT_DATA = 0.80
# Assumption F0: of the firms with revenue of 100 yi or more (taken to be the reported chain-leader
# firms when no count by revenue is published), one is above 1000 yi.
FIRMS_GE_1000_YI_AMONG_LEADERS = 1
# Assumption F4: when no count of chain-leader firms (or of firms by revenue) is published up to the
# origin (origin 2020), there are 13, the count of 2021 (China Industry News 2022-01-19); like A4 it
# carries knowledge from after such an origin, and shapes the top of the firm register only.
CHAIN_LEADERS_WITHOUT_DATA = 13
# Assumption F1: the structure of the firm population at the end of 2021 (no count of that year is in
# the data): firms with revenue of 1 yi or more, industrial firms above scale. Set from counts
# published for 2024 (1057 and 2765, China News Service 2024-10-21) scaled back by 10% for three
# years of net growth, so they carry knowledge from after 2021: they shape the firm register's body,
# not a forecast level. Held at any origin.
FIRMS_GE_1_YI = 951
ABOVE_SCALE_FIRMS = 2488
# Assumption F2: enterprise stock = yearly entry / exit rate 10%; entry 15,573 a year (the count of
# 2024, as for F1).
ENTERPRISES = 155730
CENSUS_YEAR = 2020  # the 7th census counted residents on 1 November 2020; other rows are year ends


def origin_lower_bound(v: Vintage, indicator: str) -> float | None:
    """The origin year's 'above X' row if there is one (a bound reported for an earlier year says
    nothing of the origin's level)."""
    try:
        return v.at_origin(indicator)
    except KeyError:
        return None


def above_scale_industrial_output(v: Vintage) -> float:
    """Above-scale industrial output in the origin year (yi yuan).

    The origin year's row if published; else Assumption A1: the latest published level grown with
    nominal GDP to the origin, and at least the origin year's reported lower bound. For 2021:
    9000.8 (2020) x 4748.06 / 4276.76 = 9992.5, below the reported "first year above 10,000", so
    10,000.
    """
    try:
        return v.at_origin("above_scale_industrial_output")
    except KeyError:
        pass
    year, level = v.latest("above_scale_industrial_output")
    grown = level * v.at_origin("gdp") / v.value("gdp", year)
    bound = origin_lower_bound(v, "above_scale_industrial_output_lower_bound")
    return grown if bound is None else max(grown, bound)


def pillar_outputs(v: Vintage) -> tuple[float, float]:
    """(electronic information, equipment manufacturing) output of the origin year (yi yuan).

    The origin year's rows if published; else their sum is the pillars' share of above-scale output
    (latest lower bound, C1, or A4 without one, plus A2) and A3 splits it.
    """
    try:
        return v.at_origin("electronic_information_output"), v.at_origin("equipment_manufacturing_output")
    except KeyError:
        pass
    try:
        _, bound = v.latest("pillar_industries_share_of_above_scale_output_lower_bound")
    except KeyError:
        bound = PILLAR_SHARE_LOWER_BOUND_WITHOUT_DATA  # Assumption A4
    pillars = (bound + PILLAR_SHARE_ABOVE_BOUND) * above_scale_industrial_output(v)
    return ELECTRONIC_SHARE_OF_PILLARS * pillars, (1.0 - ELECTRONIC_SHARE_OF_PILLARS) * pillars


def named_industry_output(v: Vintage) -> dict[str, float]:
    """The strategic industries (S1) and pioneers (S2) in the origin year (yi yuan)."""
    total = above_scale_industrial_output(v)
    return {c: share * total for c, share in (STRATEGIC_SHARE | PIONEER_SHARE).items()}


def above_scale_output_by_cluster(v: Vintage) -> dict[str, float]:
    """Above-scale output of each industrial cluster in the origin year (yi yuan).

    Strategic industries and pioneers from S1, S2; the cores of the two pillars are what remains of
    the pillar totals after their strategic members (mapping in clusters.toml); other manufacturing
    closes the gap to the above-scale total.
    """
    out = named_industry_output(v)
    table = cluster_table()
    ei, eq = table.reporting["electronic_information"], table.reporting["high_end_equipment"]
    electronic, equipment = pillar_outputs(v)
    ei_known = sum(out.get(c, 0.0) * ei[i] for i, c in enumerate(table.ids) if c != "electronics_core")
    eq_known = sum(out.get(c, 0.0) * eq[i] for i, c in enumerate(table.ids) if c != "equipment_core")
    out["electronics_core"] = electronic - ei_known
    out["equipment_core"] = equipment - eq_known
    industry = [c for c, s in zip(table.ids, table.sector) if s == "industry" and c != "other_manufacturing"]
    out["other_manufacturing"] = above_scale_industrial_output(v) - sum(out[c] for c in industry)
    if min(out.values()) <= 0:
        raise ValueError(f"derived cluster output is not positive: {out}")
    return out


def above_scale_cluster_output(v: Vintage) -> np.ndarray:
    """above_scale_output_by_cluster as an array in cluster_table() order (0 outside industry)."""
    table = cluster_table()
    by_cluster = above_scale_output_by_cluster(v)
    return np.array([by_cluster.get(c, 0.0) for c in table.ids])


def broad_strategic_core_weight(v: Vintage) -> float:
    """Share of the two pillar cores (electronics_core, equipment_core) that the official, national
    classification of strategic emerging industries counts, besides the six and the pioneers.

    Derived so that the broad total is the latest published share of above-scale output (C1; 51% in
    2020 for the 2021 origin): new-generation IT and high-end equipment are national strategic
    emerging categories, so part of the cores belongs to it. The model's
    `strategic_emerging_output` uses it.
    """
    out = above_scale_output_by_cluster(v)
    _, share = v.latest("strategic_emerging_share_of_above_scale_output")
    broad = share * above_scale_industrial_output(v)
    named = sum(named_industry_output(v).values())
    return (broad - named) / (out["electronics_core"] + out["equipment_core"])


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


def cluster_output(v: Vintage) -> np.ndarray:
    """Gross output of every cluster in the origin year (yi yuan), in cluster_table() order.

    Industry: above-scale output plus the firms below the threshold (B1). Construction: what the
    secondary sector's value added leaves after industry's, over construction's VA ratio.
    Agriculture and services: their value added over their VA ratio. So sum(VA) equals GDP exactly
    (the sector split: gdp_by_sector).
    """
    table = cluster_table()
    out = above_scale_cluster_output(v) / (1.0 - BELOW_SCALE_SHARE_OF_INDUSTRY)
    industry_va = float(np.sum(out * table.va_ratio))
    k = table.index("construction")
    parts = gdp_by_sector(v)
    construction_va = parts["gdp_secondary"] - industry_va
    if construction_va <= 0:
        raise ValueError("industrial value added exceeds the secondary sector's: check va_ratio in clusters.toml")
    out[k] = construction_va / table.va_ratio[k]
    for sector, row in (("agriculture", "gdp_primary"), ("services", "gdp_tertiary")):
        j = table.index(sector)
        out[j] = parts[row] / table.va_ratio[j]
    return out


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


def firm_tiers(v: Vintage) -> tuple[int, int]:
    """(firms at 1000 yi or more, firms at 100-1000 yi) at the end of the origin year.

    Counts by revenue published at or before the origin if any (C1); else the latest count of
    chain-leader firms (13 in 2021, China Industry News 2022-01-19) taken as the firms at 100 yi or
    more, one of them at 1000 yi (F0); without any count up to the origin, F4.
    """
    try:
        return (int(v.latest("firms_revenue_ge_1000_yi")[1]), int(v.latest("firms_revenue_100_to_1000_yi")[1]))
    except KeyError:
        pass
    try:
        leaders = int(v.latest("chain_leader_firms")[1])
    except KeyError:
        leaders = CHAIN_LEADERS_WITHOUT_DATA  # Assumption F4
    return FIRMS_GE_1000_YI_AMONG_LEADERS, leaders - FIRMS_GE_1000_YI_AMONG_LEADERS


def run_rate_at_year_end(v: Vintage) -> float:
    """Monthly flows at the end of the origin year relative to its average month.

    Assumption R1: within the year the economy grew steadily at its annual nominal GDP growth rate g,
    so the year-end level is r e^r / (e^r - 1) times the year average, with r = ln(1 + g).
    """
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


def above_scale_growth_at_origin(v: Vintage) -> float:
    """Growth of above-scale industrial output in the origin year (the initial record's figure).

    The origin year's published growth if any (2020: 6.0%); else the derived level over the level
    derived at the vintage of the year before (origin 2021: 10,000 / 9000.8 - 1).
    """
    try:
        return v.at_origin("above_scale_industrial_output_growth")
    except KeyError:
        pass
    before = Vintage.of(v.rows, v.origin - 1, v.source)
    return above_scale_industrial_output(v) / above_scale_industrial_output(before) - 1.0


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
