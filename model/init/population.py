"""The synthetic resident population of end-2021: households and the persons in them.

Every resident is a person agent at scale 1 (about 2.15 million); at smaller scales households are
sampled and each row stands for 1/scale real households. Group sizes come from model.data.derive.
"""

from __future__ import annotations

import numpy as np

from model.constants import GROUP_SKILL, SKILL_DISPERSION
from model.data.derive import (
    HOUSEHOLD_SIZE,
    PARTICIPATION,
    RETIREE_SHARE_REGISTERED,
    RURAL_MIGRANT_SHARE,
    InitialTargets,
)
from model.state import (
    CHILD,
    LABOUR_FORCE,
    RETIREE,
    RURAL_REGISTERED,
    UNEMPLOYED,
    URBAN_REGISTERED,
    Households,
    Persons,
)

SKILL_TAIL = 2.0  # Pareto exponent of top earners (household per-capita income then has a tail near 2.5-3)
SKILL_TAIL_SHARE = 0.05  # the tail replaces the lognormal above its 95th percentile
TAIL_QUANTILE_Z = 1.6448536269514722  # standard normal quantile of 1 - SKILL_TAIL_SHARE
VILLAGE_SIZE_DISPERSION = 0.5
EQUITY_TAIL = 1.6  # Pareto exponent of household equity holdings (top of the income distribution)


def earning_power(rng: np.random.Generator, n: int) -> np.ndarray:
    """Relative earning power: a lognormal body with a Pareto upper tail (exponent SKILL_TAIL above
    the SKILL_TAIL_SHARE top), as earnings distributions have; continuous at the junction."""
    z = rng.normal(-0.5 * SKILL_DISPERSION**2, SKILL_DISPERSION, n)
    u = rng.random(n)
    body = np.exp(z)
    junction = np.exp(-0.5 * SKILL_DISPERSION**2 + SKILL_DISPERSION * TAIL_QUANTILE_Z)
    tail = junction * (1.0 - u) ** (-1.0 / SKILL_TAIL)
    return np.where(body > junction, np.maximum(tail, junction), body)


def group_populations(t: InitialTargets) -> np.ndarray:
    """Persons by group (URBAN_REGISTERED, URBAN_MIGRANT, RURAL_REGISTERED, RURAL_MIGRANT)."""
    pop = t.resident_population * 1e4
    rural = (1.0 - t.urban_share) * pop
    rural_migrant = RURAL_MIGRANT_SHARE * rural
    rural_registered = rural - rural_migrant
    urban_registered = t.registered_population * 1e4 - rural_registered
    urban_migrant = pop - urban_registered - rural
    return np.array([urban_registered, urban_migrant, rural_registered, rural_migrant])


def household_sizes(rng: np.random.Generator, persons: float, mean_size: float) -> np.ndarray:
    n = max(1, int(round(persons / mean_size)))
    return 1 + rng.poisson(mean_size - 1.0, n)


def initial_ages(rng: np.random.Generator, role: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ages and sexes of the initial residents, consistent with their roles (assumption: the
    survey gives no age structure by group): sex 50/50; children uniform on [0, 18); the labour
    force uniform from 18 to the statutory retirement age of 2021 (60 men, 55 women); retirees
    that age plus an exponential of mean 12 years, at most 100. Ages are not whole years, so a
    birth in the run (age 0 exactly) is told apart from an initial infant."""
    from model.agents.demography import retirement_age

    n = len(role)
    sex = (rng.random(n) < 0.5).astype(np.int8)
    retire = retirement_age(np.full(2, 1961.0), np.arange(2, dtype=np.int8)).take(sex)  # by sex: one cohort
    u = rng.random(n)
    age = np.where(
        role == CHILD,
        18.0 * u,
        np.where(
            role == LABOUR_FORCE, 18.0 + (retire - 18.0) * u, np.minimum(retire - 12.0 * np.log1p(-u * 0.999), 100.0)
        ),
    )
    return age, sex


def build_population(rng: np.random.Generator, scale: float, t: InitialTargets, capacity_factor: float = 1.4):
    pops = group_populations(t) * scale
    sizes, groups = [], []
    for g, p in enumerate(pops):
        mean = HOUSEHOLD_SIZE["registered" if g in (URBAN_REGISTERED, RURAL_REGISTERED) else "migrant"]
        s = household_sizes(rng, p, mean)
        sizes.append(s)
        groups.append(np.full(len(s), g, dtype=np.int8))
    size = np.concatenate(sizes)
    group = np.concatenate(groups)
    nh = len(size)
    village_weight = np.exp(rng.normal(0.0, VILLAGE_SIZE_DISPERSION, t.villages))
    rural = group >= RURAL_REGISTERED
    village = np.full(nh, -1, dtype=np.int32)
    village[rural] = rng.choice(t.villages, size=int(rural.sum()), p=village_weight / village_weight.sum())

    person_household = np.repeat(np.arange(nh), size)
    np_ = len(person_household)
    person_group = group[person_household]
    registered = (person_group == URBAN_REGISTERED) | (person_group == RURAL_REGISTERED)
    u = rng.random(np_)
    participation = np.where(registered, PARTICIPATION["registered"], PARTICIPATION["migrant"])
    role = np.where(
        u < participation,
        LABOUR_FORCE,
        np.where(registered & (u < participation + RETIREE_SHARE_REGISTERED), RETIREE, CHILD),
    ).astype(np.int8)
    skill = earning_power(rng, np_) * GROUP_SKILL[person_group]
    equity = (1.0 - rng.random(nh)) ** (-1.0 / EQUITY_TAIL) * np.where(
        group == URBAN_REGISTERED, 1.0, np.where(group == RURAL_REGISTERED, 0.3, 0.05)
    )

    def empty(n, dtype=float):
        out = np.zeros(int(n * capacity_factor) + 16, dtype=dtype)
        return out

    persons = Persons(
        n=np_,
        household=empty(np_, np.int64),
        role=empty(np_, np.int8),
        employer_cluster=np.full(int(np_ * capacity_factor) + 16, UNEMPLOYED, dtype=np.int16),
        skill=empty(np_),
        wage=empty(np_),
        alive=empty(np_, bool),
        age=empty(np_),
        sex=empty(np_, np.int8),
    )
    persons.household[:np_] = person_household
    persons.role[:np_] = role
    persons.skill[:np_] = skill
    persons.alive[:np_] = True
    persons.age[:np_], persons.sex[:np_] = initial_ages(rng, role)  # drawn last: the draws above are unchanged

    households = Households(
        n=nh,
        group=empty(nh, np.int8),
        village=np.full(int(nh * capacity_factor) + 16, -1, dtype=np.int32),
        size=empty(nh),
        deposits=empty(nh),
        equity=empty(nh),
        disposable_income=empty(nh),
        income_year=empty(nh),
        income_last_year=empty(nh),
        expected_income=empty(nh),
        arrived=empty(nh, np.int32),
        workers=empty(nh, np.int32),
        retirees=empty(nh, np.int32),
        alive=empty(nh, bool),
        consumption_order=empty(nh),
    )
    households.group[:nh] = group
    households.village[:nh] = village
    households.size[:nh] = size
    households.equity[:nh] = equity
    households.alive[:nh] = True
    households.arrived[:nh] = -1
    households.retirees[:nh] = np.bincount(person_household, weights=role == RETIREE, minlength=nh)
    return persons, households, village_weight
