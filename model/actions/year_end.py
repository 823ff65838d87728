"""The calendar: firms age and year sums grow each month; at the end of December the year's sums
become last year's, agents that left give up their rows, rural residents gain the skill their
training bought, and workers move up the job ladder."""

from __future__ import annotations

import numpy as np

from model.actions.common import by_cluster
from model.agents import households as household_rules
from model.markets import labour
from model.params import Parameters
from model.state import LABOUR_FORCE, RURAL_REGISTERED, State, refresh_running_totals


def age_and_accumulate(s: State) -> None:
    """Firms age; calendar-year sums of sales and output grow."""
    f = s.firms
    n = f.n
    f.age[:n] += f.alive[:n]
    f.revenue_year[:n] += f.sales[:n]
    f.output_year[:n] += f.output[:n]


def train_and_climb(s: State, p: Parameters) -> None:
    """Once a year: rural labour-force members gain the earning power the year's training bought
    (rural_training lever, paid monthly by the budget), then workers move up the job ladder into
    better-paying clusters where vacancies are unfilled and their skill allows."""
    ps, hs, e, f = s.persons, s.households, s.economy, s.firms
    m = ps.n
    if e.rural_training_year > 0:
        trainee = (ps.role[:m] == LABOUR_FORCE) & (hs.group[ps.household[:m]] >= RURAL_REGISTERED)
        factor = household_rules.training_skill_factor(e.rural_training_year, p.training_skill_return)
        ps.skill[:m] *= np.where(trainee, factor, 1.0)
        e.rural_training_year = 0.0
        refresh_running_totals(s)  # otherwise exact already: age_retire_and_die recomputed them just before
    if p.job_ladder_share <= 0 or e.unfilled_vacancies is None:
        return
    n, _, w = f.live()
    hw = e.household_weight
    wage_bill = by_cluster(s, w * f.wage_bill[:n])
    skill_total = e.skill_by_cluster * hw
    pay_per_skill = np.where(skill_total > 0, wage_bill / np.where(skill_total > 0, skill_total, 1.0), 0.0)
    mean_skill = np.where(e.employed_by_cluster > 0, e.skill_by_cluster / np.maximum(e.employed_by_cluster, 1.0), 0.0)
    slots = np.floor(p.job_ladder_share * e.unfilled_vacancies / hw)
    ec = ps.employer_cluster[:m]
    ec[:] = labour.job_ladder(
        ec, ps.skill[:m], np.ones(m, bool), pay_per_skill, mean_skill, slots, p.job_ladder_skill_requirement
    )
    refresh_running_totals(s)


def update_rents(s: State, p: Parameters) -> None:
    """Once a year, the rent per migrant follows tenants' pay (the pay-scale index weighted by labour
    demand) and the pressure of migrants on the dwellings let to them (migrants' growth over the year
    against new supply)."""
    hs, e = s.households, s.economy
    nh = hs.n
    migrants = float(hs.size[:nh][(hs.group[:nh] % 2 == 1) & hs.alive[:nh]].sum())
    growth = migrants / e.migrants_last_year - 1.0 if e.migrants_last_year > 0 else 0.0
    demand = e.labour_demand
    pay = float(np.dot(e.base_wage, demand) / demand.sum()) if demand.sum() > 0 else float(e.base_wage.mean())
    pay_growth = pay / e.pay_index_last_year - 1.0 if e.pay_index_last_year > 0 else 0.0
    factor = max(
        1.0 + household_rules.rent_growth(pay_growth, growth, p.rental_supply_growth, p.rent_migrant_elasticity), 0.0
    )
    e.migrant_rent *= factor
    e.housing_value_per_person *= factor  # dwellings' value moves with rents (constant price-to-rent ratio)
    e.migrants_last_year, e.pay_index_last_year = migrants, pay


def roll_calendar_year(s: State) -> None:
    """This year's sums of sales, output and incomes become last year's and restart at zero; the
    calendar moves to the next year."""
    f, hs, v = s.firms, s.households, s.villages
    n, nh = f.n, hs.n
    f.revenue_last_year[:n] = f.revenue_year[:n]
    f.revenue_year[:n] = 0.0
    f.output_year[:n] = 0.0
    hs.income_last_year[:nh] = hs.income_year[:nh]
    hs.income_year[:nh] = 0.0
    v.income_last_year[:] = v.income_year
    v.income_year[:] = 0.0
    s.economy.year += 1


def remove_departed(s: State) -> None:
    """Firms that exited and households that left this year give up their rows (once a year keeps
    the arrays dense, and indices held within a year stay valid); persons follow their households."""
    s.firms.compact()
    keep_households = s.households.compact()
    remap = np.full(len(s.households.alive), -1, dtype=np.int64)
    remap[keep_households] = np.arange(len(keep_households))
    s.persons.compact()
    m = s.persons.n
    s.persons.household[:m] = remap[s.persons.household[:m]]
    # No refresh of the running totals here: age_retire_and_die, which follows (end_of_year),
    # recomputes them exactly before anything reads them.
