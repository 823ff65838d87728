"""Who lives in Kunshan: migrant workers arrive where labour is short (each in a new household) and
leave when jobless (migrate); migrants settle as registered residents and registered households
have children (settle_and_have_children)."""

from __future__ import annotations

import numpy as np

from model.actions.common import NC
from model.agents import demography as demography_rules
from model.agents import programmes
from model.arrays import bernoulli_rows
from model.constants import GROUP_SKILL, SKILL_DISPERSION
from model.markets import labour
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import CHILD, LABOUR_FORCE, RURAL_MIGRANT, UNEMPLOYED, URBAN_MIGRANT, Persons, State
from model.streams import RandomStreams


def migrate(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Migrant workers arrive where vacancies stayed unfilled (more with talent attraction);
    migrant households without work leave."""
    pull = programmes.migration_pull(pol.talent_attraction, pol.public_services, p)  # talent programmes, amenity
    arrivals = labour.migrants_wanted(p.migration_response, pull, s.economy.unfilled_vacancies)
    _arrive_migrants(s, p, arrivals, draws.arrivals)
    _depart_migrants(s, p, draws.departures)
    s.flows.migrant_arrivals = float(arrivals.sum())


def settle_and_have_children(s: State, p: Parameters, draws: RandomStreams) -> None:
    """Migrants settle as registered residents (hukou), and registered households have children.

    Both sample random rows and keep the eligible ones, which gives each eligible household its
    chance without scanning the population: a household slot settles with the monthly rate; a
    birth lands in the household of a random person, if registered (so in proportion to size)."""
    rng = draws.settlement
    hs, ps = s.households, s.persons
    nh, m = hs.n, ps.n
    group = hs.group
    slots = rng.integers(0, nh, rng.binomial(nh, p.hukou_conversion_rate / 12.0))
    settling = demography_rules.settling(slots, group, hs.alive)
    # a row drawn twice still settles once (the indexed decrement writes each row once)
    group[settling] -= 1  # URBAN_MIGRANT -> URBAN_REGISTERED, RURAL_MIGRANT -> RURAL_REGISTERED
    births_expected = demography_rules.expected_births(p.natural_population_growth, m)
    picked = ps.household[rng.integers(0, m, rng.poisson(births_expected))]
    parents = demography_rules.birth_households(picked, group, hs.alive)
    births = len(parents)
    if births == 0:
        return
    _write_persons(ps, ps.reserve(births), parents, CHILD, UNEMPLOYED, 0.0)
    np.add.at(hs.size, parents, 1.0)
    in_village = hs.village[parents] >= 0
    s.economy.village_members += np.bincount(hs.village[parents][in_village], minlength=s.economy.villages)


def _arrive_migrants(s: State, p: Parameters, arrivals_by_cluster: np.ndarray, rng: np.random.Generator) -> None:
    """New migrant workers, each in a new household (some with a dependant), hired on arrival.
    Their savings come with them from outside Kunshan."""
    e, hs, ps = s.economy, s.households, s.persons
    k_by_cluster = rng.poisson(arrivals_by_cluster / e.household_weight)
    k = int(k_by_cluster.sum())
    if k == 0:
        return
    cluster = np.repeat(np.arange(NC, dtype=np.int16), k_by_cluster)
    rural = rng.random(k) < p.rural_migrant_share_of_arrivals
    dependant = rng.random(k) < p.migrant_dependant_probability
    skill_draw = rng.normal(-0.5 * SKILL_DISPERSION**2, SKILL_DISPERSION, k)
    village = rng.integers(0, e.villages, k)
    group = np.where(rural, RURAL_MIGRANT, URBAN_MIGRANT).astype(np.int8)
    avg_wage = s.economy.average_wage
    savings = demography_rules.migrant_savings(avg_wage[cluster], p.migrant_savings_months)

    rows = hs.reserve(k)
    hs.group[rows] = group
    hs.village[rows] = np.where(rural, village, -1)
    hs.size[rows] = 1 + dependant
    hs.deposits[rows] = savings
    hs.zero(rows, "equity", "disposable_income", "income_year", "income_last_year", "consumption_order")
    hs.expected_income[rows] = p.migrant_expected_income_of_wage * avg_wage[cluster]
    hs.arrived[rows] = s.economy.month
    hs.workers[rows] = 1
    hs.retirees[rows] = 0
    hs.alive[rows] = True
    s.sectors.rest_of_world -= savings.sum() * e.household_weight

    # persons: the k workers first, then the dependants
    household_ids = np.arange(rows.start, rows.stop)
    prow = ps.reserve(k + int(dependant.sum()))
    workers, dependants = slice(prow.start, prow.start + k), slice(prow.start + k, prow.stop)
    skill = np.exp(skill_draw)
    skill *= GROUP_SKILL[group]
    _write_persons(ps, workers, household_ids, LABOUR_FORCE, cluster, skill)
    _write_persons(ps, dependants, household_ids[dependant], CHILD, UNEMPLOYED, 0.0)
    e.employed_by_cluster += k_by_cluster
    e.skill_by_cluster += np.bincount(cluster, weights=skill, minlength=NC)
    e.village_members += np.bincount(village[rural], weights=1.0 + dependant[rural], minlength=e.villages)


def _depart_migrants(s: State, p: Parameters, rng: np.random.Generator) -> None:
    """Migrant households with nobody in work leave at a monthly rate, taking their savings."""
    hs, ps, e = s.households, s.persons, s.economy
    m, nh = ps.n, hs.n
    drawn = bernoulli_rows(rng, nh, p.migrant_departure_rate)  # each household's chance, drawn sparsely
    leaving = demography_rules.leaving(drawn, hs.workers, hs.group, hs.alive)
    if len(leaving) == 0:
        return
    rural = hs.village[leaving] >= 0
    e.village_members -= np.bincount(hs.village[leaving][rural], weights=hs.size[leaving][rural], minlength=e.villages)
    s.sectors.rest_of_world += hs.deposits[leaving].sum() * e.household_weight
    hs.deposits[leaving] = 0.0
    hs.equity[leaving] = 0.0
    hs.alive[leaving] = False
    hs.size[leaving] = 0.0
    gone_household = np.zeros(nh, dtype=bool)
    gone_household[leaving] = True
    gone = np.flatnonzero(gone_household.take(ps.household[:m]))
    ps.alive[gone] = False
    ps.employer_cluster[gone] = UNEMPLOYED
    ps.role[gone] = CHILD


def _write_persons(ps: Persons, rows: slice, household, role: int, employer_cluster, skill) -> None:
    """New persons' rows: their household, role, employer (UNEMPLOYED if none) and skill; no wage yet."""
    ps.household[rows] = household
    ps.role[rows] = role
    ps.employer_cluster[rows] = employer_cluster
    ps.skill[rows] = skill
    ps.wage[rows] = 0.0
    ps.alive[rows] = True
