"""Industrial land: what a new plant pays for its land-use rights, and what the county's
government-fund budget does with the money. Pure functions over arrays of buyers (money in yuan).

Urban industrial land-use rights are sold by the county: collective land becomes state land
through requisition (the direct market entry of collective construction land allowed since 2020 is
not modelled). New industrial capacity off village land needs land in proportion to its capital; a
plant on a village's land rents it from the collective instead (model.actions.incomes), and
incumbents' ordinary investment is taken to be on their own plots (raising their plot ratio), so
only entrants and major projects in the town's industrial land buy. Of the money, a share pays for
the land's requisition and preparation: compensation to the village collectives it was
requisitioned from, and site preparation bought from builders as public investment. Residential
and commercial land, which need a housing market, are not modelled.
"""

from __future__ import annotations

import numpy as np

from model.constants import WAN


def land_payment(
    capital_yuan: np.ndarray,
    is_industry: np.ndarray,
    village: np.ndarray,
    land_per_wan_yuan: float,
    price_per_m2: float,
) -> np.ndarray:
    """What each buyer pays for the land-use rights of new capacity: the land its capital needs
    (a m² per wan yuan) at the industrial land price P (yuan per m²); nothing outside industry,
    whose firms rent their premises, nor on a village's land (``village`` >= 0), rented from the
    collective.

        L_i = 1[industry_i ∧ off village land_i] · a · K_i / 10^4 · P"""
    buys = is_industry & (village < 0)
    return np.where(buys, land_per_wan_yuan * price_per_m2 / WAN * capital_yuan, 0.0)


def discount_rate(foreign: np.ndarray, fdi_attraction: np.ndarray, discount: float) -> np.ndarray:
    """Share of the land price the county waives for each buyer: for a foreign-invested one, δ per
    unit of the FDI attraction lever of its cluster (the lever's incentive in the form of cheaper
    land), at most the whole price; nothing for domestic buyers.

        d_i = 1[foreign_i] · min(δ s_c(i), 1)"""
    return np.where(foreign, np.minimum(discount * fdi_attraction, 1.0), 0.0)


def revenue_use(revenue: float, cost_share: float, compensation_share: float) -> tuple[float, float]:
    """The fund budget's spending on the land it sold this month: compensation for requisition
    and site preparation, together a share κ of the revenue, the compensation a share c of it.

        compensation = c κ R,   site preparation = (1 - c) κ R"""
    cost = cost_share * revenue
    return compensation_share * cost, (1.0 - compensation_share) * cost


def compensation_by_village(compensation: float, villages: int) -> np.ndarray:
    """Each village collective's compensation: evenly, since the town's industrial land was
    requisitioned from all the villages around it over the years (the model has no map).

        C_v = C / V"""
    return np.full(villages, compensation / villages)
