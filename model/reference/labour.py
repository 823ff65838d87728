"""The labour market and who lives in Kunshan, one person or household at a time (the per-agent
statement of model.actions.labour and model.actions.demography)."""

from __future__ import annotations

import bisect
import math

import numpy as np

from model.arrays import bernoulli_rows, settled
from model.constants import GROUP_SKILL, SKILL_DISPERSION
from model.markets import labour
from model.params import Parameters
from model.policy import MonthPolicy
from model.reference.agents import ReferenceHousehold, ReferencePerson
from model.reference.common import NC, per_cluster
from model.state import AGE_UNKNOWN, CHILD, LABOUR_FORCE, RURAL_MIGRANT, SEX_UNKNOWN, UNEMPLOYED, URBAN_MIGRANT
from model.streams import RandomStreams


class LabourMarket:
    """The labour market's actions of the reference economy (a part of :class:`ReferenceEconomy`)."""

    def clear_labour_market(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """Separations, then matching of job seekers to the clusters' vacancies."""
        e = self.economy
        hw = e.household_weight
        demand, workers = per_cluster(), per_cluster(0)
        for f in self.firms:
            demand[f.cluster] += f.live_weight * f.labour_demand
        e.average_wage = self._average_wage()  # before anyone is hired: for newcomers' pay
        for person in self.persons:
            if person.employer_cluster != UNEMPLOYED:
                workers[person.employer_cluster] += 1
        demand, employed = np.array(demand), np.array(workers) * hw
        probability = labour.separation_probability(employed, demand, p.quit_rate_monthly).tolist()

        # a draw for each person, uniform where it can fall below a probability (the kernel's
        # sparse draws, spread out; every other person's draw is "never")
        uniform = [math.inf] * len(self.persons)
        for row, u in zip(*labour.separation_draws(len(self.persons), max(probability), draws.separations)):
            uniform[row] = u
        leavers = per_cluster(0)
        for person, u in zip(self.persons, uniform):
            if person.separates(u, probability):
                leavers[person.employer_cluster] += 1
                person.leave_job()
        employed -= np.array(leavers) * hw

        vacancies = np.maximum(demand - employed, 0.0)
        seekers = [person for person in self.persons if person.is_seeking]
        n_seekers = len(seekers) * hw
        matched = labour.hires(n_seekers, vacancies, p.matching_efficiency)
        hire_probability = matched / n_seekers if n_seekers > 0 else 0.0
        matching = draws.matching
        uniform_hire, uniform_cluster = matching.random(len(seekers)).tolist(), matching.random(len(seekers)).tolist()
        hires = per_cluster(0)
        total_vacancies = vacancies.sum()
        if total_vacancies > 0:
            cumulative = (np.cumsum(vacancies) / total_vacancies).tolist()  # clusters in proportion to vacancies
            for person, u_hire, u_cluster in zip(seekers, uniform_hire, uniform_cluster):
                if u_hire < hire_probability:
                    cluster = min(bisect.bisect_right(cumulative, u_cluster), NC - 1)
                    person.take_job(cluster)
                    hires[cluster] += 1
        employed += np.array(hires) * hw

        e.labour_demand = demand
        e.unfilled_vacancies = np.maximum(demand - employed, 0.0)
        e.vacancy_rate = np.where(demand > 0, e.unfilled_vacancies / np.where(demand > 0, demand, 1.0), 0.0)
        self.flows.job_seekers = float(n_seekers - sum(hires) * hw)

    def migrate(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """Migrant workers arrive where vacancies stayed unfilled; jobless migrant households leave."""
        e = self.economy
        demand = e.labour_demand
        kunshan = float(np.dot(e.base_wage, demand) / demand.sum()) if demand.sum() > 0 else float(e.base_wage.mean())
        pull = settled(
            (kunshan / (1.0 + p.outside_wage_growth) ** (e.month / 12.0)) ** p.migration_wage_elasticity
            * (1.0 + p.migration_amenity_effect * pol.public_services / 0.01)
        )
        talent = p.talent_attraction_effect * pol.talent_attraction
        arrivals = p.migration_response * (1.0 + talent) * e.unfilled_vacancies * pull
        self._arrive_migrants(p, arrivals, draws.arrivals)
        self._depart_migrants(p, draws.departures, p.migrant_departure_rate / pull)
        self.flows.migrant_arrivals = float(arrivals.sum())

    def employ(self) -> None:
        """Each cluster's employed persons are shared among its firms in proportion to their demand."""
        workers, wanted = per_cluster(0), per_cluster()
        for person in self.persons:
            if person.employer_cluster != UNEMPLOYED:
                workers[person.employer_cluster] += 1
        for f in self.firms:
            wanted[f.cluster] += f.weight * (f.labour_demand if f.alive else 0.0)
        employed, wanted = np.array(workers) * self.economy.household_weight, np.array(wanted)
        ratio = np.where(wanted > 0, employed / np.where(wanted > 0, wanted, 1.0), 0.0).tolist()
        for f in self.firms:
            f.employ(ratio[f.cluster])
        self.flows.employed = float(employed.sum())

    def _arrive_migrants(self, p: Parameters, arrivals_by_cluster: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Each arriving worker founds a household (some bring a dependant) and starts work at once.

        Households are added in arrival order, then their workers, then the dependants: the order
        of the array rows, which later draws index."""
        e = self.economy
        hw = e.household_weight
        k_by_cluster = rng.poisson(arrivals_by_cluster / hw)
        k = int(k_by_cluster.sum())
        if k == 0:
            return np.zeros(NC)
        cluster = np.repeat(np.arange(NC), k_by_cluster).tolist()
        u_rural = rng.random(k).tolist()
        u_dependant = rng.random(k).tolist()
        skill_draw = rng.normal(-0.5 * SKILL_DISPERSION**2, SKILL_DISPERSION, k).tolist()
        village = rng.integers(0, e.villages, k).tolist()
        average_wage = self.economy.average_wage.tolist()

        newcomers, savings_total = [], 0.0
        for j in range(k):
            c = cluster[j]
            rural = u_rural[j] < p.rural_migrant_share_of_arrivals
            dependant = u_dependant[j] < p.migrant_dependant_probability
            group = RURAL_MIGRANT if rural else URBAN_MIGRANT
            savings = p.migrant_savings_months * average_wage[c]
            household = ReferenceHousehold(
                self,
                group=group,
                village=village[j] if rural else -1,
                size=1.0 + dependant,
                deposits=savings,
                equity=0.0,
                disposable_income=0.0,
                income_year=0.0,
                income_last_year=0.0,
                expected_income=p.migrant_expected_income_of_wage * average_wage[c],
                arrived=e.month,
                workers=1,
                retirees=0,
                alive=True,
                consumption_order=0.0,
            )
            self.households.append(household)
            savings_total += savings
            newcomers.append((household, dependant))
        self.sectors.rest_of_world -= savings_total * hw

        for j, (household, _) in enumerate(newcomers):
            skill = math.exp(skill_draw[j]) * GROUP_SKILL[household.group]
            self.persons.append(
                ReferencePerson(
                    self,
                    household=household,
                    role=LABOUR_FORCE,
                    employer_cluster=cluster[j],
                    skill=skill,
                    wage=0.0,
                    alive=True,
                    age=AGE_UNKNOWN,
                    sex=SEX_UNKNOWN,
                )
            )
        for household, dependant in newcomers:
            if dependant:
                self._add_child(household, AGE_UNKNOWN)
        return k_by_cluster * hw

    def _depart_migrants(self, p: Parameters, rng: np.random.Generator, rate: float) -> None:
        """Migrant households with nobody in work leave at a monthly rate, taking their savings."""
        # each household's chance at the departure rate, drawn for the few it falls on
        drawn = [self.households[i] for i in bernoulli_rows(rng, len(self.households), min(rate, 1.0))]
        leaving = [h for h in drawn if h.workers == 0 and h.is_migrant and h.alive]
        self.flows.migrant_departures = sum(h.size for h in leaving) * self.economy.household_weight
        if not leaving:
            return
        savings = 0.0
        for h in leaving:
            savings += h.depart()
        self.sectors.rest_of_world += savings * self.economy.household_weight
        for person in self.persons:
            if not person.household.alive:  # members of those who left (earlier leavers: no change)
                person.leave_with_household(CHILD)

    def settle_and_have_children(self, p: Parameters, draws: RandomStreams) -> None:
        """Random household slots settle (if migrant and present); random persons' households have
        a child (if registered and present)."""
        rng = draws.settlement
        nh, m = len(self.households), len(self.persons)
        slots = np.unique(rng.integers(0, nh, rng.binomial(nh, p.hukou_conversion_rate / 12.0))).tolist()
        for i in slots:
            h = self.households[i]
            if h.is_migrant and h.alive:
                h.settle()
        picked = rng.integers(0, m, rng.poisson(max(p.birth_rate, 0.0) / 12.0 * m)).tolist()
        parents = [self.persons[i].household for i in picked]
        for h in parents:
            if not h.is_migrant and h.alive:
                self._add_child(h, 0.0)
                h.size += 1.0

    def _add_child(self, household, age: float) -> None:
        """A child of ``household``: no job, no skill or wage yet (a migrant's dependant arrives
        with its age unknown until the year's end, a newborn is 0)."""
        self.persons.append(
            ReferencePerson(
                self,
                household=household,
                role=CHILD,
                employer_cluster=UNEMPLOYED,
                skill=0.0,
                wage=0.0,
                alive=True,
                age=age,
                sex=SEX_UNKNOWN,
            )
        )

    def _average_wage(self) -> np.ndarray:
        """Employment-weighted pay per worker of each cluster; where nobody works, the plain mean
        of its firms' pay scales (every firm row, present or not)."""
        bill, workers, scales, rows = per_cluster(), per_cluster(), per_cluster(), per_cluster(0)
        for f in self.firms:
            w = f.live_weight
            bill[f.cluster] += w * f.wage * f.employees
            workers[f.cluster] += w * f.employees
            scales[f.cluster] += f.wage
            rows[f.cluster] += 1
        bill, workers = np.array(bill), np.array(workers)
        plain = np.array(scales) / np.maximum(np.array(rows), 1)
        return np.where(workers > 0, bill / np.where(workers > 0, workers, 1.0), plain)
