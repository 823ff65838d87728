"""Industrial land: what a new plant pays for its land-use rights, and what the county's
government-fund budget does with the money. Pure functions over arrays of buyers (money in yuan).

Land-use rights are sold by the county (the only seller: land in China is state or collective
owned, and collective land becomes industrial land only through requisition). New industrial
capacity needs land in proportion to its capital; incumbents' ordinary investment is taken to be on
their own plots (raising their plot ratio), so only entrants and major projects buy. Of the money,
a share pays for the land's requisition and preparation: compensation to the village collectives
whose land it was, and site preparation bought from builders as public investment. Residential and
commercial land, which need a housing market, are not modelled.
"""

from __future__ import annotations

import numpy as np

from model.constants import WAN


def land_payment(
    capital_yuan: np.ndarray, is_industry: np.ndarray, land_per_wan_yuan: float, price_per_m2: float
) -> np.ndarray:
    """What each buyer pays for the land-use rights of new capacity: the land its capital needs
    (a m² per wan yuan) at the industrial land price P (yuan per m²); nothing outside industry,
    whose firms rent their premises.

        L_i = 1[industry_i] · a · K_i / 10^4 · P"""
    return np.where(is_industry, land_per_wan_yuan * price_per_m2 / WAN * capital_yuan, 0.0)


def revenue_use(revenue: float, cost_share: float, compensation_share: float) -> tuple[float, float]:
    """The fund budget's spending on the land it sold this month: compensation for requisition
    and site preparation, together a share κ of the revenue, the compensation a share c of it.

        compensation = c κ R,   site preparation = (1 - c) κ R"""
    cost = cost_share * revenue
    return compensation_share * cost, (1.0 - compensation_share) * cost


def compensation_by_village(sales_by_village: np.ndarray, compensation: float) -> np.ndarray:
    """Each village collective's compensation: in proportion to the land sold on its land (index
    v + 1 of ``sales_by_village``); land sold off village land (index 0, the town's industrial
    parks, requisitioned from all villages over the years) is compensated evenly among them.

        C_v = C (S_v + S_0 / V) / Σ S"""
    total = sales_by_village.sum()
    if total <= 0 or compensation == 0:
        return np.zeros(len(sales_by_village) - 1)
    villages = len(sales_by_village) - 1
    return compensation * (sales_by_village[1:] + sales_by_village[0] / villages) / total
