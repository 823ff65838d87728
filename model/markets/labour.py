"""The labour market: separations, matching of job seekers to vacancies, and the wage payment.

Workers are persons; firms post labour demand. The market clears by cluster: each cluster's
employed persons and its firms' employment are the same number, and within a cluster firms are
rationed in proportion to their demand. Pure functions.
"""

from __future__ import annotations

import numpy as np

from model.state import UNEMPLOYED


def separations(employer_cluster: np.ndarray, employed_by_cluster: np.ndarray, demand_by_cluster: np.ndarray,
                quit_rate: float, uniform: np.ndarray) -> np.ndarray:
    """Which employed persons leave their job this month (layoffs where demand fell, plus quits).

    A person in cluster c is laid off with probability excess_c / employed_c; quitters rejoin the
    pool of job seekers the same month.
    """
    employed = employer_cluster != UNEMPLOYED
    excess = np.maximum(employed_by_cluster - demand_by_cluster, 0.0)
    layoff = np.where(employed_by_cluster > 0, excess / np.where(employed_by_cluster > 0, employed_by_cluster, 1.0), 0.0)
    probability = 1.0 - (1.0 - layoff) * (1.0 - quit_rate)
    c = np.where(employed, employer_cluster, 0)
    return employed & (uniform < probability[c])


def hires(seekers: float, vacancies: np.ndarray, efficiency: float) -> float:
    """Matches this month from a Cobb-Douglas matching function, never more than either side."""
    v = float(vacancies.sum())
    if seekers <= 0 or v <= 0:
        return 0.0
    return min(seekers, v, efficiency * np.sqrt(seekers * v))


def assign_clusters(is_seeker: np.ndarray, hire_probability: float, vacancies: np.ndarray,
                    uniform_hire: np.ndarray, uniform_cluster: np.ndarray) -> np.ndarray:
    """Cluster of each newly hired seeker (UNEMPLOYED for those not hired): seekers are hired with
    one probability, and go to clusters in proportion to the clusters' vacancies."""
    hired = is_seeker & (uniform_hire < hire_probability)
    cumulative = np.cumsum(vacancies)
    out = np.full(len(is_seeker), UNEMPLOYED, dtype=np.int16)
    if cumulative[-1] > 0:
        pick = np.searchsorted(cumulative, uniform_cluster * cumulative[-1], side="right")
        out[hired] = np.minimum(pick[hired], len(vacancies) - 1)
    return out


def ration_employment(labour_demand: np.ndarray, cluster: np.ndarray, weight: np.ndarray,
                      employed_by_cluster: np.ndarray, n_clusters: int) -> np.ndarray:
    """Firm employment: each firm's demand scaled so its cluster's firms employ exactly the
    cluster's employed persons."""
    demand_total = np.bincount(cluster, weights=weight * labour_demand, minlength=n_clusters)
    ratio = np.where(demand_total > 0, employed_by_cluster / np.where(demand_total > 0, demand_total, 1.0), 0.0)
    return labour_demand * ratio[cluster]


def distribute_wages(wage_bill_by_cluster: np.ndarray, employer_cluster: np.ndarray, skill: np.ndarray,
                     person_weight: float, n_clusters: int) -> np.ndarray:
    """Gross wage of each person: the cluster's wage bill shared in proportion to skill.

    Because the shares sum to one within each cluster, wages paid equal wages received.
    """
    employed = employer_cluster != UNEMPLOYED
    c = np.where(employed, employer_cluster, 0)
    skill_employed = np.where(employed, skill, 0.0)
    skill_total = np.bincount(c, weights=skill_employed, minlength=n_clusters) * person_weight
    per_skill = np.where(skill_total > 0, wage_bill_by_cluster / np.where(skill_total > 0, skill_total, 1.0), 0.0)
    return skill_employed * per_skill[c]
