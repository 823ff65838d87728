"""The labour market: layoffs and quits, matching of job seekers to vacancies (clear_labour_market);
after migration (model.actions.demography), the employment each firm gets (employ)."""

from __future__ import annotations

import numpy as np

from model.actions.common import NC, by_cluster
from model.markets import labour
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import LABOUR_FORCE, UNEMPLOYED, State
from model.streams import RandomStreams


def clear_labour_market(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Layoffs and quits, then matching of job seekers to the clusters' vacancies. Leaves the
    clusters' labour demand, unfilled vacancies and vacancy rates, and the average pay before
    hiring, for the actions that follow."""
    f, ps, hs, e = s.firms, s.persons, s.households, s.economy
    n, c, w = s.firms.live()
    hw = e.household_weight
    m = ps.n
    ec = ps.employer_cluster[:m]
    demand = by_cluster(s, w * f.labour_demand[:n])
    e.average_wage = _average_wage(s)
    skill = ps.skill[:m]
    probability = labour.separation_probability(e.employed_by_cluster * hw, demand, p.quit_rate_monthly)
    leavers = labour.separations(
        ec, probability, *labour.separation_draws(m, float(probability.max()), draws.separations)
    )
    left = ec[leavers]
    e.employed_by_cluster -= np.bincount(left, minlength=NC)
    e.skill_by_cluster -= np.bincount(left, weights=skill[leavers], minlength=NC)
    ec[leavers] = UNEMPLOYED
    one = hs.workers.dtype.type(1)  # ufunc.at takes its fast path when no value needs a cast
    np.subtract.at(hs.workers, ps.household[leavers], one)
    employed = e.employed_by_cluster * hw
    vacancies = np.maximum(demand - employed, 0.0)
    seekers = np.flatnonzero((ec == UNEMPLOYED) & (ps.role[:m] == LABOUR_FORCE))
    n_seekers = len(seekers) * hw
    matched = labour.hires(n_seekers, vacancies, p.matching_efficiency)
    hired_cluster = labour.assign_clusters(
        matched / n_seekers if n_seekers > 0 else 0.0,
        vacancies,
        draws.matching.random(len(seekers)),
        draws.matching.random(len(seekers)),
    )
    is_hired = hired_cluster != UNEMPLOYED
    hired, joined = seekers[is_hired], hired_cluster[is_hired]
    ec[hired] = joined
    e.employed_by_cluster += np.bincount(joined, minlength=NC)
    e.skill_by_cluster += np.bincount(joined, weights=skill[hired], minlength=NC)
    np.add.at(hs.workers, ps.household[hired], one)
    employed = e.employed_by_cluster * hw
    e.labour_demand = demand
    e.unfilled_vacancies = np.maximum(demand - employed, 0.0)
    e.vacancy_rate = labour.vacancy_rate(e.unfilled_vacancies, demand)
    s.flows.job_seekers = float(n_seekers - len(hired) * hw)


def employ(s: State) -> None:
    """Firms employ what their cluster's market gives them: each cluster's employed persons shared
    among its firms in proportion to their labour demand."""
    f, e = s.firms, s.economy
    n, c, _ = f.live()
    employed = e.employed_by_cluster * e.household_weight
    f.employees[:n] = labour.ration_employment(
        f.labour_demand[:n] * f.alive[:n], c, f.weight[:n], employed, NC, e.labour_demand
    )  # the same sums as demand_total
    s.flows.employed = float(employed.sum())


def _average_wage(s: State) -> np.ndarray:
    """Average monthly pay per worker by cluster (the plain mean of pay scales where nobody works)."""
    f = s.firms
    n, c, w = s.firms.live()
    wage, employees = f.wage[:n], f.employees[:n]
    weighted = w * wage
    weighted *= employees
    bill = by_cluster(s, weighted)
    np.multiply(w, employees, out=weighted)
    workers = by_cluster(s, weighted)
    if (workers > 0).all():
        return bill / workers
    plain = np.bincount(c, weights=wage, minlength=NC) / np.maximum(np.bincount(c, minlength=NC), 1)
    return np.where(workers > 0, bill / np.where(workers > 0, workers, 1.0), plain)
