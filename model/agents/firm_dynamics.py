"""Firm entry and exit rules: who exits, where start-ups and foreign-invested firms enter, who owns
them, and how entrants start. Pure functions over firm and cluster arrays (money in yuan)."""

from __future__ import annotations

import numpy as np


def exiting(
    alive: np.ndarray,
    revenue_last_year: np.ndarray,
    uniform: np.ndarray,
    hazard_per_year: float,
    small_revenue: float,
    deposits: np.ndarray,
    capital: np.ndarray,
    price: np.ndarray,
    sales: np.ndarray,
    insolvency_share: float,
    insolvency_sales_months: float,
    margin: np.ndarray,
    age: np.ndarray,
    loss_margin: float,
) -> np.ndarray:
    """Which firms exit this month (a boolean per row): a present firm exits when it is small
    (last year's revenue below ``small_revenue``) and its draw falls below the monthly hazard;
    when it is insolvent, its debt beyond a share of its capital's value plus months of sales; or
    after sustained losses, its smoothed profit margin below -ℓ once two years old:

        exit = alive ∧ [(R < R_small ∧ u < h/12) ∨ D < -(s K p + m S) ∨ (π̃ < -ℓ ∧ age >= 24)]"""
    small = revenue_last_year < small_revenue
    hazard = small & (uniform < hazard_per_year / 12.0)
    insolvent = deposits < -(insolvency_share * capital * price + insolvency_sales_months * sales)
    losing = (margin < -loss_margin) & (age >= 24)
    return alive & (hazard | insolvent | losing)


def relocating(
    candidates: np.ndarray,
    uniform: np.ndarray,
    price: np.ndarray,
    competitors_price: np.ndarray,
    sensitivity_per_year: float,
) -> np.ndarray:
    """Which firms move their capacity out of Kunshan this month: a candidate (a present
    industrial firm not exiting otherwise) whose price, its markup on unit cost, is above the
    price of competitors elsewhere relocates with a chance rising in the gap,

        relocate = candidate ∧ u < (σ / 12) max(log(p_i / W_c), 0)"""
    gap = np.log(np.where(price > 0, price, 1.0) / competitors_price)
    return candidates & (uniform < sensitivity_per_year / 12.0 * np.maximum(gap, 0.0))


def smoothed_margin(previous: np.ndarray, profit: np.ndarray, output: np.ndarray, weight: float) -> np.ndarray:
    """A firm's profit margin smoothed over time, where it produced this month (else unchanged):

    π̃' = (1 - λ) π̃ + λ profit / Y   if Y > 0"""
    producing = output > 0
    margin = profit / np.where(producing, output, 1.0)
    return np.where(producing, (1.0 - weight) * previous + weight * margin, previous)


def startup_rate(
    small_firms_by_cluster: np.ndarray, margin: np.ndarray, margin_start: np.ndarray, sensitivity: float
) -> np.ndarray:
    """Start-ups expected in each cluster relative to the yearly norm: where small firms are,
    more where the expected profit margin (1 - unit cost / price) rose since 2021, the factor
    within [e^-3, e^3] (a price shock can move margins far beyond what entry could follow),

        n_c = N_small,c / Σ N_small · exp(clip(s (m_c - m_c,2021), -3, 3))"""
    pull = np.clip(np.nan_to_num(sensitivity * (margin - margin_start)), -3.0, 3.0)
    return small_firms_by_cluster / small_firms_by_cluster.sum() * np.exp(pull)


def pick_clusters(probability: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """A cluster for each uniform draw, cluster c with the given probability: the first c whose
    cumulative probability exceeds the draw (``rng.choice(n, p=probability)``, without its checks)."""
    cumulative = probability.cumsum()
    cumulative /= cumulative[-1]
    return cumulative.searchsorted(uniform, side="right").astype(np.int16)


def startup_cluster_probability(small_firms_by_cluster: np.ndarray) -> np.ndarray:
    """Start-ups go where small firms are: P(c) = N_small,c / Σ N_small."""
    return small_firms_by_cluster / small_firms_by_cluster.sum()


def foreign_entry_rate(
    entrants_per_year: float,
    entry_lever: np.ndarray,
    foreign_share: np.ndarray,
    output_by_cluster: np.ndarray,
    fdi_attraction: np.ndarray,
    taiwan_cooperation: np.ndarray,
    taiwan_share: float,
) -> np.ndarray:
    """Expected foreign-invested entrants of each cluster this month: the yearly number, spread by
    the clusters' foreign-invested output and raised by the attraction levers,

        λ_c = N/12 · e_c · f_c Y_c (1 + a_c + τ t_c) / Σ f Y

    f_c the foreign share of the cluster, Y_c its output, a_c the FDI attraction, t_c the Taiwan
    cooperation lever weighted by Taiwan's share τ of foreign firms, e_c the entry lever (0 stops entry)."""
    attraction = foreign_share * output_by_cluster * (1.0 + fdi_attraction + taiwan_share * taiwan_cooperation)
    return entrants_per_year / 12.0 * entry_lever * attraction / max((foreign_share * output_by_cluster).sum(), 1e-12)


def taiwan_owner_probability(
    taiwan_share: float, taiwan_cooperation: np.ndarray, fdi_attraction: np.ndarray
) -> np.ndarray:
    """Chance that a foreign-invested entrant is Taiwan-invested: Taiwan's share τ raised by the
    cooperation lever t against the others' raised by the attraction lever a,

        P = τ(1 + t) / (τ(1 + t) + (1 - τ)(1 + a))"""
    taiwan = taiwan_share * (1.0 + taiwan_cooperation)
    return taiwan / (taiwan + (1.0 - taiwan_share) * (1.0 + fdi_attraction))


def entrant_expected_sales(capital_yuan: np.ndarray, capital_output: np.ndarray, ramp_up: float) -> np.ndarray:
    """An entrant's first expected monthly sales: a share (ramping up) of what its capital produces
    at the cluster's capital-output ratio, E = ramp · K / (κ · 12)."""
    return capital_yuan / capital_output / 12.0 * ramp_up


def entrant_demand_share(
    expected_sales: np.ndarray, cluster_demand: np.ndarray, cluster_share_total: np.ndarray
) -> np.ndarray:
    """An entrant's share of its cluster's demand, in line with its expected sales against the
    cluster's demand last month (one where there was none): s = E / D_c · Σ_c s."""
    demand = np.where(cluster_demand > 0, cluster_demand, 1.0)
    return expected_sales / demand * cluster_share_total


def project_rate(
    projects_per_year: float,
    output_by_cluster: np.ndarray,
    is_industry: np.ndarray,
    fdi_attraction: np.ndarray,
    foreign_share: np.ndarray,
    foreign_entry: np.ndarray,
) -> np.ndarray:
    """Expected major projects started in each cluster this month: the yearly number spread over
    the industrial clusters by output, raised by investment promotion; the foreign part (the
    cluster's foreign share f_c) moves with the foreign-entry lever e_c (0 stops it),

        λ_c = N/12 · I_c Y_c (1 + a_c) (1 - f_c + f_c e_c) / Σ I Y   (I_c = 1 for industry)"""
    base = is_industry * np.maximum(output_by_cluster, 0.0)
    return (
        projects_per_year
        / 12.0
        * base
        * (1.0 + fdi_attraction)
        * (1.0 - foreign_share + foreign_share * foreign_entry)
        / max(base.sum(), 1e-12)
    )


def project_foreign_probability(foreign_share: np.ndarray, foreign_entry: np.ndarray) -> np.ndarray:
    """Chance that a project is foreign-invested: f e / (1 - f + f e) (0 when foreign entry stops)."""
    foreign = foreign_share * foreign_entry
    total = 1.0 - foreign_share + foreign
    return np.where(total > 0, foreign / np.where(total > 0, total, 1.0), 0.0)


def project_size(minimum: float, tail: float, uniform: np.ndarray, maximum: float = np.inf) -> np.ndarray:
    """Investment of each project, Pareto between a minimum and a maximum (long tail, truncated: no
    single plant outgrows the largest Kunshan has seen), by the inverse of its distribution function,

        x = x_min (1 - u (1 - (x_min / x_max)^α))^(-1/α),   u in [0, 1)

    (x = x_min (1 - u)^(-1/α) without a maximum)."""
    return minimum * (1.0 - uniform * (1.0 - (minimum / maximum) ** tail)) ** (-1.0 / tail)


def project_tranche(pending: np.ndarray, months_left: np.ndarray) -> np.ndarray:
    """This month's investment of a project under construction: what is left over the months left,
    T = P / m (0 once built)."""
    return np.where(months_left > 0, pending / np.maximum(months_left, 1), 0.0)


def project_ramp(months_left: np.ndarray, gestation: int, entrant_ramp: float) -> np.ndarray:
    """Share of its installed capacity a project expects to sell: from the entrants' ramp-up when
    construction starts to all of it when built, r = r_0 + (1 - r_0)(1 - m / G)."""
    return entrant_ramp + (1.0 - entrant_ramp) * (1.0 - months_left / max(gestation, 1))
