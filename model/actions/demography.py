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
from model.state import (
    AGE_UNKNOWN,
    CHILD,
    LABOUR_FORCE,
    RETIREE,
    RURAL_MIGRANT,
    RURAL_REGISTERED,
    SEX_UNKNOWN,
    UNEMPLOYED,
    URBAN_MIGRANT,
    Persons,
    State,
    members_by_group,
    refresh_running_totals,
)
from model.streams import RandomStreams


def migrate(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Migrant workers arrive where vacancies stayed unfilled (more with the talent programmes the
    budget buys, with Kunshan's pay against other destinations' and with the amenity of public
    services); migrant households without work leave (less when Kunshan draws more)."""
    e = s.economy
    talent = programmes.migration_pull(pol.talent_attraction, p)  # talent housing and services
    pull = labour.migration_pull(
        e.base_wage,
        e.labour_demand,
        e.month,
        p.outside_wage_growth,
        p.migration_wage_elasticity,
        pol.public_services,
        p.migration_amenity_effect,
    )
    arrivals = labour.migrants_wanted(p.migration_response, talent, e.unfilled_vacancies) * pull
    _arrive_migrants(s, p, arrivals, draws.arrivals)
    _depart_migrants(s, p, draws.departures, p.migrant_departure_rate / pull)
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
    _regroup(s.economy, np.unique(settling), group, hs.size, 1)
    group[settling] -= 1  # URBAN_MIGRANT -> URBAN_REGISTERED, RURAL_MIGRANT -> RURAL_REGISTERED
    births_expected = demography_rules.expected_births(p.birth_rate, m)
    picked = ps.household[rng.integers(0, m, rng.poisson(births_expected))]
    parents = demography_rules.birth_households(picked, group, hs.alive)
    births = len(parents)
    if births == 0:
        return
    _write_persons(ps, ps.reserve(births), parents, CHILD, UNEMPLOYED, 0.0, age=0.0)
    np.add.at(hs.size, parents, 1.0)
    s.economy.members_by_group += np.bincount(group[parents], minlength=len(s.economy.members_by_group))
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
    e.members_by_group += members_by_group(group, hs.size[rows])
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


def _depart_migrants(s: State, p: Parameters, rng: np.random.Generator, rate: float) -> None:
    """Migrant households with nobody in work leave at a monthly rate, taking their savings."""
    hs, ps, e = s.households, s.persons, s.economy
    m, nh = ps.n, hs.n
    drawn = bernoulli_rows(rng, nh, min(rate, 1.0))  # each household's chance, drawn sparsely
    leaving = demography_rules.leaving(drawn, hs.workers, hs.group, hs.alive)
    s.flows.migrant_departures = float(hs.size[leaving].sum() * e.household_weight)
    if len(leaving) == 0:
        return
    rural = hs.village[leaving] >= 0
    e.village_members -= np.bincount(hs.village[leaving][rural], weights=hs.size[leaving][rural], minlength=e.villages)
    s.sectors.rest_of_world += hs.deposits[leaving].sum() * e.household_weight
    hs.deposits[leaving] = 0.0
    hs.equity[leaving] = 0.0
    hs.alive[leaving] = False
    e.members_by_group -= members_by_group(hs.group[leaving], hs.size[leaving])
    hs.size[leaving] = 0.0
    gone_household = np.zeros(nh, dtype=bool)
    gone_household[leaving] = True
    gone = np.flatnonzero(gone_household.take(ps.household[:m]))
    ps.alive[gone] = False
    ps.employer_cluster[gone] = UNEMPLOYED
    ps.role[gone] = CHILD


def _write_persons(
    ps: Persons, rows: slice, household, role: int, employer_cluster, skill, age: float = AGE_UNKNOWN
) -> None:
    """New persons' rows: their household, role, employer (UNEMPLOYED if none) and skill; no wage yet.
    A birth is 0 years old; an arrival's age and anyone's sex are drawn at the end of the year."""
    ps.age[rows] = age
    ps.sex[rows] = SEX_UNKNOWN
    ps.household[rows] = household
    ps.role[rows] = role
    ps.employer_cluster[rows] = employer_cluster
    ps.skill[rows] = skill
    ps.wage[rows] = 0.0
    ps.alive[rows] = True


SCHOOL_LEAVING_AGE = 18.0


def age_retire_and_die(s: State, p: Parameters, draws: RandomStreams) -> None:
    """Once a year, at the turn of the year: this year's arrivals get an age and everyone a sex
    (migrant workers 18-45 and their dependants 0-15, uniform; assumption); everyone ages a year;
    deaths follow the Gompertz hazard by age (a household's last member leaves its deposits and
    equity to a random registered household: bequests stay with households); members of the labour
    force at their statutory retirement age (with the 2025 reform) retire and leave their job;
    children reaching 18 enter the labour force with an earning power drawn as the initial one's,
    raised by the year's extra public services (education). Counts go to the economy for the record."""
    rng = draws.demography
    ps, hs, e = s.persons, s.households, s.economy
    m, nh, hw = ps.n, hs.n, e.household_weight
    alive = ps.alive[:m]
    age, sex, role = ps.age[:m], ps.sex[:m], ps.role[:m]
    unknown_sex = np.flatnonzero(alive & (sex == SEX_UNKNOWN))
    sex[unknown_sex] = (rng.random(len(unknown_sex)) < 0.5).astype(np.int8)
    unknown = np.flatnonzero(alive & (age == AGE_UNKNOWN))
    u = rng.random(len(unknown))
    age[unknown] = np.where(role[unknown] == LABOUR_FORCE, 18.0 + 27.0 * u, 15.0 * u)
    age[alive] += 1.0
    # deaths
    dies = alive & (rng.random(m) < demography_rules.death_probability(age, p.mortality_level, p.mortality_slope))
    dead = np.flatnonzero(dies)
    ps.alive[dead] = False
    ps.employer_cluster[dead] = UNEMPLOYED
    role[dead] = CHILD
    # retirement
    # the statutory age only for those old enough to retire under any rule (a fifth of the persons)
    old = np.flatnonzero(ps.alive[:m] & (role == LABOUR_FORCE) & (age >= demography_rules.EARLIEST_RETIREMENT_AGE))
    retiring = old[age[old] >= demography_rules.retirement_age(e.year - age[old], sex[old])]
    role[retiring] = RETIREE
    ps.employer_cluster[retiring] = UNEMPLOYED
    # school leavers
    leaving_school = np.flatnonzero(
        ps.alive[:m] & (role == CHILD) & (age >= SCHOOL_LEAVING_AGE) & (age - 1.0 < SCHOOL_LEAVING_AGE)
    )
    group = hs.group[ps.household[leaving_school]]
    z = rng.normal(-0.5 * SKILL_DISPERSION**2, SKILL_DISPERSION, len(leaving_school))
    factor = demography_rules.school_skill_factor(e.public_services_year, p.school_skill_return)
    ps.skill[leaving_school] = np.exp(z) * _skill_level(ps, hs, m)[group] * factor
    role[leaving_school] = LABOUR_FORCE
    e.public_services_year = 0.0
    # households follow their members; an emptied household's wealth passes to a registered one
    living = ps.alive[:m]
    hh = ps.household[:m]
    size = np.bincount(hh, weights=living, minlength=nh)
    emptied = np.flatnonzero(hs.alive[:nh] & (size == 0))
    if len(emptied):
        heirs_pool = np.flatnonzero(hs.alive[:nh] & (size > 0) & (hs.group[:nh] % 2 == 0))
        if len(heirs_pool) == 0:
            heirs_pool = np.flatnonzero(hs.alive[:nh] & (size > 0))
        heirs = heirs_pool[rng.integers(0, len(heirs_pool), len(emptied))]
        np.add.at(hs.deposits, heirs, hs.deposits[emptied])
        np.add.at(hs.equity, heirs, hs.equity[emptied])
        hs.deposits[emptied] = 0.0
        hs.equity[emptied] = 0.0
        hs.alive[emptied] = False
    hs.size[:nh] = size
    hs.workers[:nh] = np.bincount(hh, weights=living & (ps.employer_cluster[:m] != UNEMPLOYED), minlength=nh)
    hs.retirees[:nh] = np.bincount(hh, weights=living & (role == RETIREE), minlength=nh)
    refresh_running_totals(s)
    e.deaths_at_new_year = len(dead) * hw
    e.retirements_at_new_year = len(retiring) * hw
    e.school_leavers_at_new_year = len(leaving_school) * hw


def reclassify_villages(s: State, p: Parameters, draws: RandomStreams) -> None:
    """Once a year, villages absorbed by urban expansion (村改居): their residents' households become
    urban (registered or migrant alike), keeping their shares in the collective (its payouts go on).
    Only the statistical composition changes; the persons reclassified are counted."""
    e, hs = s.economy, s.households
    e.reclassified_at_new_year = 0.0
    if p.village_reclassification_rate <= 0:
        return
    absorbed = demography_rules.reclassified_villages(
        e.villages_reclassified, draws.demography.random(e.villages), p.village_reclassification_rate
    )
    e.villages_reclassified[absorbed] = True
    nh = hs.n
    moving = np.flatnonzero(np.isin(hs.village[:nh], absorbed) & (hs.group[:nh] >= RURAL_REGISTERED) & hs.alive[:nh])
    _regroup(e, moving, hs.group, hs.size, 2)
    hs.group[moving] -= 2  # RURAL_REGISTERED -> URBAN_REGISTERED, RURAL_MIGRANT -> URBAN_MIGRANT
    e.reclassified_at_new_year = float(hs.size[moving].sum() * e.household_weight)


def _regroup(e, rows: np.ndarray, group: np.ndarray, size: np.ndarray, shift: int) -> None:
    """The running persons by group as the households at ``rows`` (each once) move from their group
    g to g - ``shift``: call before the groups change.

        M_g -= S_g,   M_{g - shift} += S_g,   S_g = Σ_{h in rows, group_h = g} size_h"""
    moved = members_by_group(group[rows], size[rows])
    e.members_by_group -= moved
    e.members_by_group[: len(moved) - shift] += moved[shift:]


def _skill_level(ps: Persons, hs, m: int) -> np.ndarray:
    """Mean earning power of the labour force of each household group (GROUP_SKILL where a group has
    none): the level a school leaver's draw is scaled to, so that entrants earn as their group's
    workforce does on average, before schooling paid by public services."""
    lf = ps.alive[:m] & (ps.role[:m] == LABOUR_FORCE)
    group = hs.group[ps.household[:m][lf]]
    total = np.bincount(group, weights=ps.skill[:m][lf], minlength=4)
    count = np.bincount(group, minlength=4)
    return np.where(count > 0, total / np.maximum(count, 1), GROUP_SKILL)
