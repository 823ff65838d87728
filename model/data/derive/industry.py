"""Derivations of industry at the origin: above-scale output and its split over the clusters (the
pillars, the strategic industries, the pioneers), every cluster's gross output, and the structure
of the firm register (firms by revenue tier, above-scale firms, enterprises).

A module of model.data.derive (see its docstring for the rules every derivation follows); separate
from the economy-wide and population derivations because these are the firm register's and the
input-output table's inputs, and carry the assumptions S1, S2, A1-A4, B1 and F0-F4.
"""

from __future__ import annotations

import numpy as np

from model.clusters import cluster_table
from model.data.derive.economy import gdp_by_sector
from model.data.observed import Vintage

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


def strategic_emerging_share_at_origin(v: Vintage, premium: float = 0.0) -> float:
    """The official strategic-emerging share of above-scale output in the origin year (fraction).

    The latest published share, s_t of year t <= T (C1: 51% in 2020 for the 2021 origin), carried
    forward to the origin T as the model's own demand process would move it (assumption P2): the
    six and the pioneers (a share φ of above-scale output, S1 and S2) grow faster than the rest by
    ``premium`` a year (strategic_demand_premium), the rest of the total with everything else,

        k = (1 + π)^(T - t),   s_T = (φ k + s_t - φ) / (1 + φ (k - 1)).

    With t = T (the share of the origin year published) or π = 0 it is the published share."""
    year, share = v.latest("strategic_emerging_share_of_above_scale_output")
    named = sum(named_industry_output(v).values()) / above_scale_industrial_output(v)
    k = (1.0 + premium) ** (v.origin - year)
    return (named * k + share - named) / (1.0 + named * (k - 1.0))


def broad_strategic_core_weight(v: Vintage, premium: float = 0.0) -> float:
    """Share of the two pillar cores (electronics_core, equipment_core) that the official, national
    classification of strategic emerging industries counts, besides the six and the pioneers.

    Derived so that the broad total is the strategic-emerging share of above-scale output at the
    origin (:func:`strategic_emerging_share_at_origin`: the latest published share, carried to the
    origin by ``premium``): new-generation IT and high-end equipment are national strategic emerging
    categories, so part of the cores belongs to it. The model's `strategic_emerging_output` uses it.
    """
    out = above_scale_output_by_cluster(v)
    broad = strategic_emerging_share_at_origin(v, premium) * above_scale_industrial_output(v)
    named = sum(named_industry_output(v).values())
    return (broad - named) / (out["electronics_core"] + out["equipment_core"])


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
