"""Village collectives: rent and dividend income, payouts to members, investment in standard factories."""

from __future__ import annotations

import numpy as np


def paid_out(village_income: np.ndarray, payout_share: float, members: np.ndarray) -> np.ndarray:
    """What each village pays its members this month (nothing where no member household is in the
    sample: at small scales a village can be empty).

        V_v = σ · income_v if members_v > 0, else 0"""
    return np.where(members > 0, payout_share * village_income, 0.0)


def payouts_to_members(
    paid: np.ndarray, members: np.ndarray, household_village: np.ndarray, household_size: np.ndarray
) -> np.ndarray:
    """Each household's part of its village's payout, in proportion to its size; urban households
    (village -1) get nothing. ``members`` counts real persons, so parts times weights sum to ``paid``.

        payout_h = size_h · V_v / members_v   (v the household's village)"""
    per_person = np.zeros(len(paid) + 1)
    per_person[1:] = np.where(members > 0, paid / np.where(members > 0, members, 1.0), 0.0)
    index = household_village.astype(np.intp)  # village + 1 as a native index: the fastest gather
    index += 1
    payout = per_person.take(index)
    payout *= household_size
    return payout


def floor_rent_rate(assets: np.ndarray, rent_yield: float, sales_on_land: np.ndarray) -> np.ndarray:
    """Rent per yuan of sales that the firms on each village's land pay for the standard factory
    floor space it built (the month's rent shared among them by sales; nothing where no firm is on
    its land, where the floor space stands empty). Index 0 is for firms off village land (none).

        r_v = (y/12) A_v / S_v if S_v > 0, else 0"""
    rent = rent_yield / 12.0 * assets
    rate = np.zeros(len(assets) + 1)
    rate[1:] = np.where(sales_on_land > 0, rent / np.where(sales_on_land > 0, sales_on_land, 1.0), 0.0)
    return rate


def investment_split(retained: np.ndarray) -> np.ndarray:
    """Each village's part of the collectives' investment: in proportion to the income it kept
    (evenly when none kept any).

        share_v = kept_v / Σ kept"""
    total = retained.sum()
    return retained / total if total > 0 else np.full(len(retained), 1.0 / len(retained))
