"""Every figure the initial state needs that the data do not give directly, derived in one place.

Each function names its inputs (rows of ``observed_kunshan.csv``) and its assumption. When a better
figure is found, replace the derivation here and nothing else changes. ``docs/DATA.md`` lists them.
Units follow the data: yi yuan (1e8 CNY), wan persons (1e4), yuan per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from model.clusters import cluster_table
from model.data.observed import observed

# Assumption S1: 2022 output of the six strategic emerging industries of the article (yi yuan). The
# article counts "2 clusters above 1000 yi" (the pillars) and "6 clusters above 100 yi", and aims to
# bring each of the six to 1000 yi: so each of the six is between 100 and 1000 yi in 2022. No split is
# published; the levels follow the article's order of emphasis and press reports of Kunshan's display
# and intelligent-equipment bases. (The official "strategic emerging industries" total of 6000 yi
# uses the broader national classification; see broad_strategic_core_weight.)
STRATEGIC_OUTPUT_2022 = {
    "new_display": 820.0,
    "new_intelligent_manufacturing": 760.0,
    "new_medical": 330.0,
    "new_energy": 540.0,
    "new_materials": 620.0,
    "new_digital": 480.0,
}
# Assumption S2: the X pioneer industries are young: 2022 output in yi yuan.
PIONEER_OUTPUT_2022 = {"advanced_computing": 60.0, "life_health": 40.0, "metaverse": 20.0}
# Assumption S3: 2022 nominal growth of clusters outside the two reported pillars: the article's
# target for above-scale output (about 7%).
OTHER_GROWTH_2022 = 0.07
# Assumption B1: industrial firms below the statistical threshold (20 million yuan of revenue a
# year) add output on top of the above-scale figures: 4% of each industrial cluster's gross output.
# No Kunshan figure is published; nationally the firms below the threshold make about a tenth of
# industrial output, and Kunshan's is concentrated in large foreign-invested firms. 4% is what the
# firm register's lognormal body carried before this was stated, so the register keeps its shape.
BELOW_SCALE_SHARE_OF_INDUSTRY = 0.04


def above_scale_industrial_output_2022() -> float:
    """Midpoint of the two bounds the 2022 figures imply (the total itself is only 'above 10000').

    Lower: strategic output (>= 6000) over its share (55.5%). Upper: the two pillars' 2022 output
    over their share of above-scale output (> 80%, 2021 figure, taken as still holding).
    """
    lower = observed("strategic_emerging_output_lower_bound", 2022) / observed("strategic_emerging_share_of_above_scale_output", 2022)
    pillars = observed("electronic_information_output", 2022) + observed("equipment_manufacturing_output", 2022)
    upper = pillars / observed("pillar_industries_share_of_above_scale_output_lower_bound", 2021)
    return 0.5 * (lower + upper)


def cluster_output_2022() -> dict[str, float]:
    """Gross output by model cluster in 2022 for the industrial clusters (yi yuan).

    Strategic industries from S1; pioneers from S2; the cores of the two pillars are what remains of
    the reported pillar totals after their strategic members (mapping in clusters.toml); other
    manufacturing closes the gap to the above-scale total.
    """
    out = dict(STRATEGIC_OUTPUT_2022)
    out.update(PIONEER_OUTPUT_2022)
    table = cluster_table()
    ei, eq = table.reporting["electronic_information"], table.reporting["high_end_equipment"]
    ei_known = sum(out.get(c, 0.0) * ei[i] for i, c in enumerate(table.ids) if c != "electronics_core")
    eq_known = sum(out.get(c, 0.0) * eq[i] for i, c in enumerate(table.ids) if c != "equipment_core")
    out["electronics_core"] = observed("electronic_information_output", 2022) - ei_known
    out["equipment_core"] = observed("equipment_manufacturing_output", 2022) - eq_known
    industry = [c for c, s in zip(table.ids, table.sector) if s == "industry" and c != "other_manufacturing"]
    out["other_manufacturing"] = above_scale_industrial_output_2022() - sum(out[c] for c in industry)
    if min(out.values()) <= 0:
        raise ValueError(f"derived cluster output is not positive: {out}")
    return out


def broad_strategic_core_weight() -> float:
    """Share of the two pillar cores (electronics_core, equipment_core) that the official, national
    classification of strategic emerging industries counts, besides the six and the pioneers.

    Derived so that the broad total is 55.5% of above-scale output in 2022 (jiangsu.gov.cn
    2023-01-29): new-generation IT and high-end equipment are national strategic emerging
    categories, so part of the cores belongs to it. The model's `strategic_emerging_output` uses it.
    """
    out = cluster_output_2022()
    broad = observed("strategic_emerging_share_of_above_scale_output", 2022) * above_scale_industrial_output_2022()
    named = sum(STRATEGIC_OUTPUT_2022.values()) + sum(PIONEER_OUTPUT_2022.values())
    return (broad - named) / (out["electronics_core"] + out["equipment_core"])


def industrial_growth_2022() -> dict[str, float]:
    """Nominal 2022 growth used to step 2022 outputs back to 2021: the pillar's reported growth
    for its members, S3 for the rest."""
    table = cluster_table()
    g_ei = observed("electronic_information_output_growth", 2022)
    g_eq = observed("equipment_manufacturing_output_growth", 2022)
    out = {}
    for i, c in enumerate(table.ids):
        if table.reporting["electronic_information"][i] > 0:
            out[c] = g_ei
        elif table.reporting["high_end_equipment"][i] > 0:
            out[c] = g_eq
        else:
            out[c] = OTHER_GROWTH_2022
    return out


def above_scale_cluster_output_2021() -> np.ndarray:
    """Above-scale output of the industrial clusters in 2021 (yi yuan, 0 elsewhere), in
    cluster_table() order: the 2022 levels stepped back by 2022 growth."""
    table = cluster_table()
    out22, growth = cluster_output_2022(), industrial_growth_2022()
    out = np.zeros(table.n)
    for i, c in enumerate(table.ids):
        if table.sector[i] == "industry":
            out[i] = out22[c] / (1.0 + growth[c])
    return out


def cluster_output_2021() -> np.ndarray:
    """Gross output of every cluster in 2021 (yi yuan), in cluster_table() order.

    Industry: above-scale output (above_scale_cluster_output_2021) plus the firms below the
    threshold (B1). Construction: what the secondary sector's 2021 value added leaves after
    industry's, over construction's VA ratio. Agriculture and services: their 2021 value added over
    their VA ratio. So sum(VA) equals 2021 GDP exactly.
    """
    table = cluster_table()
    out = above_scale_cluster_output_2021() / (1.0 - BELOW_SCALE_SHARE_OF_INDUSTRY)
    industry_va = float(np.sum(out * table.va_ratio))
    k = table.index("construction")
    construction_va = observed("gdp_secondary", 2021) - industry_va
    if construction_va <= 0:
        raise ValueError("industrial value added exceeds the secondary sector's: check va_ratio in clusters.toml")
    out[k] = construction_va / table.va_ratio[k]
    for sector, row in (("agriculture", "gdp_primary"), ("services", "gdp_tertiary")):
        j = table.index(sector)
        out[j] = observed(row, 2021) / table.va_ratio[j]
    return out


def resident_population_2021() -> float:
    """Resident population at the end of 2021 (wan persons).

    Assumption P1: from the census (Nov 2020) at half the 2015-2020 growth rate for 14 months:
    the pandemic slowed in-migration, while registered population kept rising through hukou reform.
    """
    p15, p20 = observed("resident_population", 2015), observed("resident_population", 2020)
    cagr = (p20 / p15) ** (1.0 / 5.0) - 1.0
    return p20 * (1.0 + 0.5 * cagr) ** (14.0 / 12.0)


def urban_weight_in_income_survey() -> float:
    """Share of urban residents implied by the 2020 income survey: all = w*urban + (1-w)*rural."""
    a = observed("disposable_income_per_capita", 2020)
    u = observed("urban_disposable_income_per_capita", 2020)
    r = observed("rural_disposable_income_per_capita", 2020)
    return (a - r) / (u - r)


def urban_rural_income_2021() -> tuple[float, float]:
    """2021 urban and rural per-capita disposable income (yuan) from the 2021 total and ratio and
    the survey's urban weight of 2020 (the split after 2020 is not published)."""
    total = observed("disposable_income_per_capita", 2021)
    ratio = observed("urban_rural_income_ratio", 2021)
    w = urban_weight_in_income_survey()
    rural = total / (w * ratio + (1.0 - w))
    return ratio * rural, rural


def village_collective_income_2021() -> float:
    """Average village collective disposable income in 2021 (wan yuan).

    Assumption V1: the 2015 sample average grown at the 2015-2021 nominal GDP growth rate
    (collective income is mostly rent from firms and so moves with the local economy). Weak (one
    sample year); replace with the first published figure after 2015.
    """
    g = observed("gdp", 2021) / observed("gdp", 2015)
    return observed("village_collective_income_avg", 2015) * g


def exports_imports_2021() -> tuple[float, float]:
    """2021 exports and imports abroad (yi USD): the 2021 total split as in 2020."""
    export_share = observed("exports", 2020) / observed("trade_total", 2020)
    total = observed("trade_total", 2021)
    return total * export_share, total * (1.0 - export_share)


def run_rate_at_year_end() -> float:
    """Monthly flows at the end of 2021 relative to 2021's average month.

    Assumption R1: within 2021 the economy grew steadily at its annual nominal GDP growth rate g, so
    the year-end level is r e^r / (e^r - 1) times the year average, with r = ln(1 + g).
    """
    r = np.log(observed("gdp", 2021) / observed("gdp", 2020))
    return float(r * np.exp(r) / np.expm1(r))


RUN_RATE = run_rate_at_year_end()

# Assumption P2: population structure. Urbanisation 78.96% (census 2020) also at end 2021; registered
# 114.33 wan (2021); migrants are the rest. Rural residents are mostly registered villagers: 90% of
# them (the rest are migrants renting in villages). Household sizes: registered 2.6, migrants 1.7
# (census: migrant workers often live alone). Labour-force participation: registered 58%, migrants 85%.
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
    """The end-2021 levels the synthetic economy is built to reproduce."""

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


@lru_cache(maxsize=1)
def initial_targets() -> InitialTargets:
    urban, rural = urban_rural_income_2021()
    exports, imports = exports_imports_2021()
    return InitialTargets(
        cluster_output=cluster_output_2021(),
        above_scale_output=above_scale_cluster_output_2021(),
        gdp=observed("gdp", 2021),
        resident_population=resident_population_2021(),
        registered_population=observed("registered_population", 2021),
        urban_share=observed("urbanisation_rate", 2020),
        urban_income=urban,
        rural_income=rural,
        all_income=observed("disposable_income_per_capita", 2021),
        village_income_avg=village_collective_income_2021(),
        villages=int(observed("villages", 2015)),
        exports_usd=exports,
        imports_usd=imports,
        public_budget_revenue=observed("public_budget_revenue", 2021),
        # The article (Nov 2022) counts 1 firm at 1000 yi and 12 at 100 yi: taken as the end-2021 state.
        firms_ge_1000_yi=int(observed("firms_revenue_ge_1000_yi", 2022)),
        firms_100_to_1000_yi=int(observed("firms_revenue_100_to_1000_yi", 2022)),
        # Assumption F1: the 2024 structure rows scaled back to 2021 by 10% (3 years of net growth).
        firms_ge_1_yi=int(round(observed("enterprises_revenue_ge_1_yi", 2024) * 0.9)),
        above_scale_firms=int(round(observed("above_scale_industrial_enterprises", 2024) * 0.9)),
        # Assumption F2: enterprise stock = yearly entry / exit rate (15,573 / 0.1).
        enterprises=int(round(observed("new_enterprises", 2024) / 0.10)),
    )
