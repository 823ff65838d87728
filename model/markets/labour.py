"""The labour market: separations, matching of job seekers to vacancies, and the wage payment.

Workers are persons; firms post labour demand. The market clears by cluster: each cluster's
employed persons and its firms' employment are the same number, and within a cluster firms are
rationed in proportion to their demand. Pure functions.
"""

from __future__ import annotations

import numpy as np

from model.arrays import largest, settled, sparse_draws
from model.state import UNEMPLOYED


def employment_by_cluster(employer_cluster: np.ndarray, person_weight: float, n_clusters: int) -> np.ndarray:
    """Employed persons per cluster (UNEMPLOYED = -1 lands in the dropped first bin)."""
    return np.bincount(employer_cluster + 1, minlength=n_clusters + 1)[1:] * person_weight


def separation_probability(
    employed_by_cluster: np.ndarray, demand_by_cluster: np.ndarray, quit_rate: float
) -> np.ndarray:
    """Chance that a worker of each cluster leaves this month: layoffs where the cluster's demand
    for workers fell below its employment, plus voluntary quits.

        P_c = 1 - (1 - max(N_c - N^d_c, 0) / N_c)(1 - q)"""
    excess = np.maximum(employed_by_cluster - demand_by_cluster, 0.0)
    layoff = np.where(
        employed_by_cluster > 0, excess / np.where(employed_by_cluster > 0, employed_by_cluster, 1.0), 0.0
    )
    return 1.0 - (1.0 - layoff) * (1.0 - quit_rate)


def separation_draws(
    n_persons: int, highest_probability: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """The separation draws, made only where a separation can happen (model.arrays.sparse_draws):
    a uniform per resident when one or two in a hundred leave a month would cost a draw for
    everyone. Returns the candidate rows (ascending) and their draws."""
    return sparse_draws(rng, n_persons, highest_probability)


def separations(
    employer_cluster: np.ndarray, probability: np.ndarray, rows: np.ndarray, draws: np.ndarray
) -> np.ndarray:
    """The rows (among the candidates of :func:`separation_draws`) of the persons who leave their
    job: a worker of cluster c leaves when its draw falls below the cluster's probability; the
    unemployed (UNEMPLOYED = -1) never do."""
    by_index = np.concatenate([[0.0], probability])
    return rows[draws < by_index.take(_shifted(employer_cluster[rows]))]


def _shifted(employer_cluster: np.ndarray) -> np.ndarray:
    """employer_cluster + 1 as a native index (0 = unemployed): a gather by it is the fastest."""
    index = employer_cluster.astype(np.intp)
    index += 1
    return index


def hires(seekers: float, vacancies: np.ndarray, efficiency: float) -> float:
    """Matches this month from a Cobb-Douglas matching function, never more than either side.

    H = min(U, V, m √(U V))"""
    v = float(vacancies.sum())
    if seekers <= 0 or v <= 0:
        return 0.0
    return min(seekers, v, efficiency * np.sqrt(seekers * v))


def assign_clusters(
    hire_probability: float, vacancies: np.ndarray, uniform_hire: np.ndarray, uniform_cluster: np.ndarray
) -> np.ndarray:
    """For each job seeker (one draw each), the cluster that hires it, or UNEMPLOYED: seekers are
    hired with one probability and go to clusters in proportion to the clusters' vacancies.

        hired when u < h;   P(cluster c | hired) = V_c / Σ V"""
    out = np.full(len(uniform_hire), UNEMPLOYED, dtype=np.int16)
    total = vacancies.sum()
    if total <= 0:
        return out
    hired = uniform_hire < hire_probability
    cumulative = np.cumsum(vacancies) / total
    pick = np.searchsorted(cumulative, uniform_cluster[hired], side="right")
    out[hired] = np.minimum(pick, len(vacancies) - 1)
    return out


def ration_employment(
    labour_demand: np.ndarray,
    cluster: np.ndarray,
    weight: np.ndarray,
    employed_by_cluster: np.ndarray,
    n_clusters: int,
    demand_total: np.ndarray | None = None,
) -> np.ndarray:
    """Firm employment: each firm's demand scaled so its cluster's firms employ exactly the
    cluster's employed persons. The caller may pass the clusters' weighted demand when it has it.

        N_i = N^d_i · E_c / Σ_{j in c} w_j N^d_j"""
    if demand_total is None:
        demand_total = np.bincount(cluster, weights=weight * labour_demand, minlength=n_clusters)
    ratio = np.where(demand_total > 0, employed_by_cluster / np.where(demand_total > 0, demand_total, 1.0), 0.0)
    return labour_demand * ratio[cluster]


def skill_by_cluster(employer_cluster: np.ndarray, skill: np.ndarray, n_clusters: int) -> np.ndarray:
    """Sum of the skill of each cluster's workers (one row per person, unweighted).

    Σ_{i in c} skill_i"""
    return np.bincount(employer_cluster + 1, weights=skill, minlength=n_clusters + 1)[1:]


def distribute_wages(
    wage_bill_by_cluster: np.ndarray,
    employer_cluster: np.ndarray,
    skill: np.ndarray,
    person_weight: float,
    n_clusters: int,
    skill_total: np.ndarray | None = None,
) -> np.ndarray:
    """Gross wage of each person: the cluster's wage bill shared in proportion to skill.

    Because the shares sum to one within each cluster, wages paid equal wages received. The caller
    may pass the clusters' skill sums when it keeps them up to date (saves a pass over persons).

        w_i = skill_i · W_c / (ω Σ_{j in c} skill_j)
    """
    if skill_total is None:
        skill_total = skill_by_cluster(employer_cluster, skill, n_clusters)
    skill_total = skill_total * person_weight
    per_skill = np.zeros(n_clusters + 1)  # 0 = unemployed, paid nothing
    per_skill[1:] = np.where(skill_total > 0, wage_bill_by_cluster / np.where(skill_total > 0, skill_total, 1.0), 0.0)
    wage = per_skill.take(_shifted(employer_cluster))
    wage *= skill
    return wage


def vacancy_rate(unfilled: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Share of each cluster's labour demand left unfilled (0 where there is no demand).

    v_c = U_c / N^d_c"""
    return np.where(demand > 0, unfilled / np.where(demand > 0, demand, 1.0), 0.0)


def migrants_wanted(response: float, talent_attraction: float, unfilled: np.ndarray) -> np.ndarray:
    """Migrant workers expected to arrive this month by cluster: a share of the vacancies left
    unfilled after matching, raised by the talent-attraction lever: M = r (1 + a) U."""
    return response * (1.0 + talent_attraction) * unfilled


def job_ladder(
    employer_cluster: np.ndarray,
    skill: np.ndarray,
    eligible: np.ndarray,
    pay_per_skill: np.ndarray,
    mean_skill: np.ndarray,
    slots: np.ndarray,
    requirement: float,
) -> np.ndarray:
    """Moves up the job ladder once a year: employed workers go to clusters that pay more per unit
    of earning power, where vacancies are unfilled and their skill meets the requirement. Clusters
    are served from the best paying down; each takes, among the eligible workers of clusters that
    pay less and with skill_i >= q · mean skill_c, the most skilled, at most ``slots[c]`` of them
    (rows). A worker moves at most once. Returns the new employer cluster of every row.

        moves to c:  top-slots_c by skill of {i : a_{c(i)} < a_c, skill_i >= q s̄_c}   (a = pay per skill)

    The loop runs over clusters (a dozen), not persons, and over the rows of eligible workers only,
    gathered once (ascending, so the most skilled and their ties are the same rows as over all).
    """
    out = employer_cluster.copy()
    rows = np.flatnonzero(eligible & (employer_cluster != UNEMPLOYED))
    origin_pay = np.concatenate([[np.inf], pay_per_skill]).take(_shifted(employer_cluster[rows]))
    skill = skill[rows]
    free = np.ones(len(rows), bool)
    for c in np.argsort(-pay_per_skill, kind="stable"):  # loop over clusters, not agents
        k = int(slots[c])
        if k <= 0:
            continue
        candidates = np.flatnonzero(free & (origin_pay < pay_per_skill[c]) & (skill >= requirement * mean_skill[c]))
        if len(candidates) == 0:
            continue
        if len(candidates) > k:
            candidates = candidates[largest(skill[candidates], k)]
        out[rows[candidates]] = c
        free[candidates] = False
    return out


def migration_pull(
    base_wage: np.ndarray,
    labour_demand: np.ndarray,
    months: int,
    outside_wage_growth: float,
    wage_elasticity: float,
    public_services: float,
    amenity_effect: float,
) -> float:
    """How much Kunshan draws migrants relative to 2021: its pay (the clusters' pay-scale index,
    2021 = 1, weighted by labour demand) against other destinations' (growing at a given rate), to an
    elasticity, and the amenity of extra public services (per 1% of GDP):

        pull = (W_K / W_out)^η (1 + φ g_s / 0.01),   W_out = (1 + g_out)^(t/12)

    Arrivals are multiplied by it and the departure rate divided by it. Settled to 12 digits
    (model.arrays.settled): the labour demand it weighs is a sum over firms."""
    total = labour_demand.sum()
    kunshan = float(np.dot(base_wage, labour_demand) / total) if total > 0 else float(base_wage.mean())
    outside = (1.0 + outside_wage_growth) ** (months / 12.0)
    return settled((kunshan / outside) ** wage_elasticity * (1.0 + amenity_effect * public_services / 0.01))
