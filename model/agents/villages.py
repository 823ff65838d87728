"""Village collectives: rent and dividend income, payouts to members, investment in standard factories."""

from __future__ import annotations

import numpy as np


def payouts_to_members(village_income: np.ndarray, payout_share: float, household_village: np.ndarray,
                       household_size: np.ndarray, is_member: np.ndarray, household_weight: float) -> np.ndarray:
    """Each member household's part of its village's payout, in proportion to its size."""
    v = np.where(is_member, household_village, 0)
    members = np.bincount(v, weights=np.where(is_member, household_size, 0.0), minlength=len(village_income))
    members *= household_weight
    per_person = np.where(members > 0, payout_share * village_income / np.where(members > 0, members, 1.0), 0.0)
    return np.where(is_member, household_size * per_person[v], 0.0)


def paid_out(village_income: np.ndarray, payout_share: float, household_village: np.ndarray,
             is_member: np.ndarray) -> np.ndarray:
    """What each village actually pays (nothing where it has no member households in the sample)."""
    has_members = np.bincount(np.where(is_member, household_village, 0), weights=is_member.astype(float),
                              minlength=len(village_income)) > 0
    return np.where(has_members, payout_share * village_income, 0.0)
