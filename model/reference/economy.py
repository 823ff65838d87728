"""The month of :func:`model.step.one_step`, written the plain Mesa way: a loop over agents per action.

This is the executable specification of the array kernels. Every random draw is made exactly as in
:mod:`model.actions` (the same generator methods, in the same order, with the same sizes), then
handed out one element per agent, so that both paths consume a generator identically and, from
the same generator state, reach the same economy. Totals over agents (the kernels' bincounts and
weighted sums) are loops that accumulate per cluster, village or household; what happens at the
level of clusters, villages and the coarse sectors (prices, external demand, the budget) works on
the short cluster arrays. It calls none of the actions it checks; parameters and constants come
from the modules that own them (model.params, model.constants), so a change there moves both paths.

Over 400 lines with a reason: it is the one per-agent model of the whole month, one method per
action of model.step, best read side by side with model/actions/.
"""

from __future__ import annotations

import bisect
import math

import mesa
import numpy as np

from model.agents import government as government_rules
from model.agents import households as household_rules
from model.agents import villages as village_rules
from model.arrays import bernoulli_rows, sparse_draws, wsum
from model.clusters import cluster_table
from model.constants import (
    CHAIN_LEADER_REVENUE,
    GROUP_SKILL,
    PRODUCTIVITY_DISPERSION,
    SKILL_DISPERSION,
    SMALL_FIRM_REVENUE,
    TAIWAN_SHARE_OF_FOREIGN,
    WAN,
    YI,
)
from model.markets import goods, labour
from model.params import Parameters
from model.policy import MARKETS, MonthPolicy
from model.reference.agents import ReferenceFirm, ReferenceHousehold, ReferencePerson
from model.state import (
    CHILD,
    LABOUR_FORCE,
    OTHER_FOREIGN,
    PRIVATE,
    RURAL_MIGRANT,
    STATE_OWNED,
    TAIWAN,
    UNEMPLOYED,
    URBAN_MIGRANT,
    Economy,
    MonthFlows,
    Sectors,
    Villages,
)
from model.streams import RandomStreams

TABLE = cluster_table()
NC = TABLE.n
SHANGHAI, WORLD = MARKETS.index("shanghai"), MARKETS.index("world")


def per_cluster(value=0.0) -> list:
    return [value] * NC


class ReferenceEconomy(mesa.Model):
    """Kunshan's economy with one Mesa agent per firm, household and person.

    ``firms``, ``households`` and ``persons`` are lists in the order of the array rows (agents that
    left stay in them, like their rows, until the yearly compaction). ``economy``, ``sectors``,
    ``villages`` and ``flows`` are copies of those of :class:`model.state.State`.
    """

    def __init__(self, economy: Economy, sectors: Sectors, villages: Villages, flows: MonthFlows):
        super().__init__()
        self.economy, self.sectors, self.villages, self.flows = economy, sectors, villages, flows
        self.firms: list[ReferenceFirm] = []
        self.households: list[ReferenceHousehold] = []
        self.persons: list[ReferencePerson] = []

    def one_step(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """One month, the actions in the order of :func:`model.step.one_step`, from the same streams."""
        draws.start_month(self.economy.month)
        self.update_external_environment(p, pol, draws)
        self.form_expectations(p)
        self.plan_production(p, pol)
        self.clear_labour_market(p, pol, draws)
        self.migrate(p, pol, draws)
        self.settle_and_have_children(p, draws)
        self.employ()
        self.produce(p, pol)
        self.sell(p, pol)
        self.pay_wages_and_production_taxes(p, pol)
        self.distribute_profits(p)
        self.pay_household_incomes(p, pol)
        self.consume_and_save(p)
        self.plan_public_spending(p, pol)
        self.invest_and_innovate(p, pol, draws)
        self.enter_and_exit(p, pol, draws)
        self.set_prices_and_wages(p, pol)
        self.age_and_accumulate()

    # ------------------------------------------------------------------ helpers
    def _effective_price(self, pol: MonthPolicy) -> np.ndarray:
        return self.economy.price * (1.0 + pol.price) * (1.0 + pol.price_level)

    def _investment_price(self, pol: MonthPolicy) -> float:
        return wsum(self.economy.final_buyer_mix[2], self._effective_price(pol))

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

    def _share_out_to_owners(self, total: float) -> None:
        """Pay (or, negative, collect) ``total`` across present households by their equity."""
        hw = self.economy.household_weight
        claims = 0.0
        for h in self.households:
            claims += h.equity * h.alive
        denominator = claims * hw
        if denominator <= 0:
            return
        per_claim = total / denominator
        for h in self.households:
            h.deposits += h.equity * h.alive * per_claim

    # ------------------------------------------------------------------ actions
    def update_external_environment(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """World prices drift with inflation; each cluster's demand from outside takes the month's
        common shock and its own, around the real trend; relocation takes its share of the
        cluster's demand and capacity away. Cluster by cluster, market by market."""
        e = self.economy
        volatility = p.export_demand_volatility / math.sqrt(12.0)
        common = draws.environment.normal()
        own = draws.environment.normal(size=NC).tolist()
        ratio = p.export_demand_cluster_shock_ratio
        drift = (p.export_demand_growth - p.producer_inflation) / 12.0 - volatility**2 * (1.0 + ratio**2) / 2.0
        for c in range(NC):
            e.world_price[c] *= 1.0 + p.producer_inflation / 12.0
            kept = 1.0 - pol.relocation[c]
            factor = math.exp(drift + volatility * common + ratio * volatility * own[c]) * kept
            for market in range(e.external_demand.shape[0]):
                e.external_demand[market, c] *= factor
            e.capacity_lost[c] = 1.0 - kept * (1.0 - e.capacity_lost[c])

    def form_expectations(self, p: Parameters) -> None:
        growth = self.economy.expected_growth.tolist()
        for f in self.firms:
            f.form_expectation(growth[f.cluster], p.expectation_smoothing)

    def plan_production(self, p: Parameters, pol: MonthPolicy) -> None:
        e = self.economy
        keep = (1.0 - pol.relocation).tolist()
        price = self._effective_price(pol).tolist()
        capital_output, labour_per_output = TABLE.capital_output.tolist(), e.labour_per_output.tolist()
        for f in self.firms:
            c = f.cluster
            f.capital *= keep[c]
            f.plan(capital_output[c], price[c], labour_per_output[c], p)

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
        arrivals = p.migration_response * (1.0 + pol.talent_attraction) * self.economy.unfilled_vacancies
        self._arrive_migrants(p, arrivals, draws.arrivals)
        self._depart_migrants(p, draws.departures)
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
                self, group=group, village=village[j] if rural else -1, size=1.0 + dependant, deposits=savings,
                equity=0.0, disposable_income=0.0, income_year=0.0, income_last_year=0.0,
                expected_income=p.migrant_expected_income_of_wage * average_wage[c], arrived=e.month, workers=1, retirees=0, alive=True,
                consumption_order=0.0)
            self.households.append(household)
            savings_total += savings
            newcomers.append((household, dependant))
        self.sectors.rest_of_world -= savings_total * hw

        for j, (household, _) in enumerate(newcomers):
            skill = math.exp(skill_draw[j]) * GROUP_SKILL[household.group]
            self.persons.append(ReferencePerson(self, household=household, role=LABOUR_FORCE,
                                                employer_cluster=cluster[j], skill=skill, wage=0.0, alive=True))
        for household, dependant in newcomers:
            if dependant:
                self.persons.append(ReferencePerson(self, household=household, role=CHILD,
                                                    employer_cluster=UNEMPLOYED, skill=0.0, wage=0.0, alive=True))
        return k_by_cluster * hw

    def _depart_migrants(self, p: Parameters, rng: np.random.Generator) -> None:
        """Migrant households with nobody in work leave at a monthly rate, taking their savings."""
        # each household's chance at the departure rate, drawn for the few it falls on
        drawn = [self.households[i] for i in bernoulli_rows(rng, len(self.households), p.migrant_departure_rate)]
        leaving = [h for h in drawn if h.workers == 0 and h.is_migrant and h.alive]
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
        picked = rng.integers(0, m, rng.poisson(max(p.natural_population_growth, 0.0) / 12.0 * m)).tolist()
        parents = [self.persons[i].household for i in picked]
        for h in parents:
            if not h.is_migrant and h.alive:
                self.persons.append(ReferencePerson(self, household=h, role=CHILD, employer_cluster=UNEMPLOYED,
                                                    skill=0.0, wage=0.0, alive=True))
                h.size += 1.0

    def produce(self, p: Parameters, pol: MonthPolicy) -> None:
        e = self.economy
        price = self._effective_price(pol).tolist()
        labour_per_output = e.labour_per_output.tolist()
        for f in self.firms:
            c = f.cluster
            f.produce(price[c], labour_per_output[c], pol.lockdown)

    def sell(self, p: Parameters, pol: MonthPolicy) -> None:
        """Buyers' orders meet firms' output and stocks; everybody pays; last month's orders of
        capital goods and R&D arrive."""
        e, sec = self.economy, self.sectors
        hw = e.household_weight
        price = self._effective_price(pol)
        output_by_cluster = per_cluster()
        for f in self.firms:
            output_by_cluster[f.cluster] += f.live_weight * f.output
        output_by_cluster = np.array(output_by_cluster)
        ext = goods.external_demand(e.external_demand, pol.export_demand, price, e.world_price * (1.0 + pol.price_level),
                                    p.export_price_elasticity, pol.cluster_subsidy * TABLE.va_ratio)
        ext[SHANGHAI] *= 1.0 + pol.shanghai_integration
        ext *= (1.0 + p.chain_supplier_pull * pol.chain_leader_support)[None, :]
        ext[WORLD] *= 1.0 + p.taiwan_export_order_share * pol.taiwan_cooperation
        external_c = ext.sum(axis=0)

        consumption = 0.0
        for h in self.households:
            consumption += h.consumption_order if h.alive else 0.0
        firm_investment = rd = 0.0
        for f in self.firms:
            firm_investment += f.live_weight * (f.investment_order if f.alive else 0.0)
            rd += f.live_weight * (f.rd_order if f.alive else 0.0)
        village_investment = e.village_investment_order
        spending = np.array([consumption * hw, e.government_spending_order, firm_investment, rd,
                             e.public_investment_order + village_investment])
        local_final = goods.local_demand(spending, e.final_import_share, e.final_buyer_mix)
        local_intermediate = goods.intermediate_demand(e.local_input, output_by_cluster)
        demand = external_c + local_final + local_intermediate

        support = pol.chain_leader_support.tolist()
        shares = [f.order_share(support[f.cluster], CHAIN_LEADER_REVENUE) for f in self.firms]
        share_total = per_cluster()
        for f, share in zip(self.firms, shares):
            share_total[f.cluster] += f.live_weight * share
        # Two rounds: each firm its share, capped by its goods; then the cluster's unmet demand goes to
        # its firms with goods to spare, in proportion to what they have left.
        demand_list, served, spare_total, spares = demand.tolist(), per_cluster(), per_cluster(), []
        for f, share in zip(self.firms, shares):
            spare = f.sell_first_round(demand_list[f.cluster], share, share_total[f.cluster])
            w = f.live_weight
            served[f.cluster] += w * f.sales
            spare_total[f.cluster] += w * spare
            spares.append(spare)
        served, spare_total = np.array(served), np.array(spare_total)
        unmet = np.maximum(demand - served, 0.0)
        second_rate = np.where(spare_total > 0, np.minimum(unmet / np.where(spare_total > 0, spare_total, 1.0), 1.0), 0.0).tolist()
        served = per_cluster()
        for f, spare in zip(self.firms, spares):
            f.sell_second_round(spare, second_rate[f.cluster])
            served[f.cluster] += f.live_weight * f.sales
        fill = np.where(demand > 0, np.array(served) / np.where(demand > 0, demand, 1.0), 1.0)

        # Payments: buyers pay their orders in full; local firms receive their sales; the rest of
        # local spending leaves as imports; buyers outside pay for the exports they get.
        investment_price = self._investment_price(pol)
        va_ratio = TABLE.va_ratio.tolist()
        intermediate = output = inventory_change = 0.0
        real_value_added = per_cluster()
        for f in self.firms:
            f.settle_purchases(va_ratio[f.cluster], investment_price, p.rd_depreciation_rate)
            w = f.live_weight
            intermediate += w * f.intermediate
            output += w * f.output
            inventory_change += w * (f.output - f.sales)
            real_value_added[f.cluster] += w * (f.output - f.intermediate)
        for h in self.households:
            h.deposits -= h.consumption_order if h.alive else 0.0
        exports_sold = wsum(fill, external_c)
        local_sold = wsum(fill, local_final + local_intermediate)
        imports = spending.sum() + intermediate - local_sold
        sec.government -= e.government_spending_order + e.public_investment_order
        self.villages.deposits -= village_investment * self.villages.investment_split
        sec.rest_of_world += imports - exports_sold

        e.expected_growth = np.clip((1.0 - p.demand_growth_expectation_weight) * e.expected_growth + p.demand_growth_expectation_weight * (
            demand / np.where(e.last_demand > 0, e.last_demand, 1.0) - 1.0), -p.max_expected_growth_monthly,
            p.max_expected_growth_monthly)
        e.last_demand = demand
        recorded = {
            "output": output, "intermediate": intermediate, "inventory_change": inventory_change,
            "output_by_cluster": output_by_cluster, "real_value_added_by_cluster": np.array(real_value_added) / price,
            "demand_by_cluster": demand, "household_consumption": consumption * hw,
            "government_consumption": e.government_spending_order, "investment": firm_investment + rd
            + e.public_investment_order + village_investment, "rd_spending": rd,
            "exports_sold": exports_sold, "exports_abroad": sum(f * x for f, x in zip(fill, ext[WORLD])),
            "imports": imports, "imports_abroad": imports * e.import_abroad_share,
        }
        for name, value in recorded.items():
            setattr(self.flows, name, value)
        e.excess_demand = np.where(output_by_cluster > 0, demand / np.where(output_by_cluster > 0, output_by_cluster, 1.0) - 1.0, 0.0)

    def pay_wages_and_production_taxes(self, p: Parameters, pol: MonthPolicy) -> None:
        """Firms pay wages, production taxes net of subsidies, and village rent; each cluster's
        wage bill is shared among its workers by skill."""
        e, sec, v = self.economy, self.sectors, self.villages
        hw = e.household_weight
        subsidy_rate = pol.cluster_subsidy.tolist()
        wage_bill_c = per_cluster()
        village_rent = [0.0] * e.villages
        wages_paid = vat_total = subsidy_total = value_added_total = 0.0
        for f in self.firms:
            value_added = f.pay_wages_and_taxes(p.vat_rate, subsidy_rate[f.cluster], e.village_rent_rate)
            w = f.live_weight
            wage_bill_c[f.cluster] += w * f.wage_bill
            if f.village >= 0:
                village_rent[f.village] += w * f.rent
            wages_paid += w * f.wage_bill
            vat_total += w * f.vat
            subsidy_total += w * f.subsidy
            value_added_total += w * value_added

        skill = per_cluster()
        for person in self.persons:
            if person.employer_cluster != UNEMPLOYED:
                skill[person.employer_cluster] += person.skill
        skill = np.array(skill) * hw
        wage_per_skill = [0.0] + np.where(skill > 0, np.array(wage_bill_c) / np.where(skill > 0, skill, 1.0), 0.0).tolist()
        wages_received = 0.0
        for person in self.persons:
            person.earn(wage_per_skill)
            wages_received += person.wage

        local, higher = government_rules.split_tax(vat_total, e.local_tax_share)
        sec.government += local - subsidy_total
        sec.higher_government += higher
        village_rent = np.array(village_rent)
        v.deposits += village_rent
        v.income = village_rent.copy()
        fl = self.flows
        fl.wages_paid = wages_paid
        fl.wages_received = wages_received * hw
        fl.production_taxes, fl.production_subsidies = vat_total, subsidy_total
        fl.local_taxes = local
        fl.value_added = value_added_total

    def distribute_profits(self, p: Parameters) -> None:
        """Interest, corporate tax and dividends; dividends go by ownership: resident households and
        village collectives (domestic private), the budget (state), abroad (foreign)."""
        e, sec, v = self.economy, self.sectors, self.villages
        price = e.price.tolist()
        to_villages = [0.0] * e.villages
        private_rest = to_state = foreign = corp_total = interest_total = surplus_total = 0.0
        for f in self.firms:
            surplus, interest, tax, dividends = f.pay_interest_tax_dividends(p, p.loan_spread, price[f.cluster])
            w = f.live_weight
            paid = w * dividends
            if f.ownership == PRIVATE:
                if f.village >= 0:
                    to_villages[f.village] += paid * p.village_dividend_share
                    private_rest += paid * (1.0 - p.village_dividend_share)
                else:
                    private_rest += paid
            elif f.ownership == STATE_OWNED:
                to_state += paid
            else:
                foreign += paid
            corp_total += w * tax
            interest_total += w * interest
            surplus_total += w * surplus
        to_residents = e.resident_dividend_share * private_rest
        local, higher = government_rules.split_tax(corp_total, e.local_tax_share)
        sec.government += local + to_state
        sec.higher_government += higher
        sec.bank += interest_total
        sec.rest_of_world += foreign + (private_rest - to_residents)
        to_villages = np.array(to_villages)
        v.deposits += to_villages
        v.income += to_villages
        fl = self.flows
        fl.operating_surplus = surplus_total
        fl.dividends_to_residents = to_residents
        fl.profit_outflow = foreign
        fl.local_taxes += local
        fl.corporate_tax = corp_total

    def pay_household_incomes(self, p: Parameters, pol: MonthPolicy) -> None:
        """Every household receives its members' net wages and its other incomes; the budget pays
        pensions, transfers and village support and collects personal taxes and contributions."""
        e, v = self.economy, self.villages
        hw = e.household_weight
        for h in self.households:
            h.gross_wage = 0.0
        for person in self.persons:
            person.household.gross_wage += person.wage
        gross_total = equity = 0.0
        members = [0.0] * e.villages
        for h in self.households:
            gross_total += h.gross_wage
            equity += h.equity
            if h.village >= 0:
                members[h.village] += h.size
        gross_total *= hw
        pit_total, contributions_total = p.personal_tax_rate * gross_total, p.social_contribution_rate * gross_total
        to_residents = self.flows.dividends_to_residents
        dividend_per_equity = to_residents / (equity * hw) if equity * hw > 0 else 0.0

        pension_by_group = (np.array([1.0, 0.0, 1.0, 0.0]) * p.pension_per_retiree_yuan / 12.0).tolist()
        transfer_by_group = ((household_rules.transfer_per_person_by_group(pol.rural_transfer)
                              + np.array([0.0, 0.0, 1.0, 1.0]) * p.rural_transfer_per_person_yuan) / 12.0).tolist()
        support = pol.village_collective_support * WAN / 12.0
        v.deposits += support
        v.income += support
        members = np.array(members) * hw
        paid = village_rules.paid_out(v.income, p.village_payout_share, members)
        payout_per_person = [0.0] + np.where(members > 0, paid / np.where(members > 0, members, 1.0), 0.0).tolist()
        v.deposits -= paid

        income_total = interest_total = pensions_total = transfers_total = 0.0
        for h in self.households:
            income, interest, pensions, transfers = h.receive_income(
                p, dividend_per_equity, pension_by_group[h.group], transfer_by_group[h.group],
                payout_per_person[h.village + 1])
            income_total += income
            interest_total += interest
            pensions_total += pensions
            transfers_total += transfers
        v.income_year += v.income

        # The budgets' and the bank's side, from the households' totals.
        fl, sec = self.flows, self.sectors
        paid_by_budget = (pensions_total + transfers_total) * hw + support * e.villages
        local_pit = e.local_tax_share * pit_total
        sec.government += local_pit + contributions_total - paid_by_budget
        sec.higher_government += pit_total - local_pit
        sec.bank -= interest_total * hw
        fl.local_taxes += local_pit
        fl.social_contributions = contributions_total
        fl.government_commitments = paid_by_budget + fl.production_subsidies
        fl.household_disposable_income = income_total * hw
        # what each village did not pay out; its part of next month's village investment
        kept = [(1.0 - p.village_payout_share) * income for income in v.income.tolist()]
        fl.village_retained = sum(kept)
        v.investment_split = (np.array(kept) / fl.village_retained if fl.village_retained > 0
                              else np.full(e.villages, 1.0 / e.villages))

    def consume_and_save(self, p: Parameters) -> None:
        for h in self.households:
            h.plan_consumption(p, p.income_expectation_smoothing)

    def plan_public_spending(self, p: Parameters, pol: MonthPolicy) -> None:
        """The budget (one agent) smooths its revenue, keeps its commitments, and orders public
        consumption and investment with the rest, plus what the levers add as shares of GDP; the
        villages invest part of the income they kept."""
        e, fl = self.economy, self.flows
        weight = p.revenue_smoothing
        e.government_revenue_smoothed += weight * (fl.local_taxes + fl.social_contributions - e.government_revenue_smoothed)
        budget = max(p.government_spending_ratio * e.government_revenue_smoothed - fl.government_commitments, 0.0)
        invested = p.public_investment_share * budget
        e.government_spending_order = budget - invested + pol.public_services * fl.value_added
        e.public_investment_order = invested + pol.public_investment * fl.value_added
        e.village_investment_order = p.village_investment_of_retained * fl.village_retained

    def invest_and_innovate(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """Investment and R&D orders; innovation jumps; the frontier moves; demand shares shift."""
        e, sec = self.economy, self.sectors
        price = self._effective_price(pol).tolist()
        investment_price = self._investment_price(pol)
        growth, capital_output = e.expected_growth.tolist(), TABLE.capital_output.tolist()
        boost, rd_subsidy, rd_base = pol.cluster_subsidy.tolist(), pol.rd_subsidy.tolist(), e.rd_intensity_base.tolist()
        grants = 0.0
        for f in self.firms:
            c = f.cluster
            grant = f.order_investment_and_rd(p, price[c], investment_price, growth[c], capital_output[c], boost[c],
                                              rd_base[c], rd_subsidy[c], p.credit_limit_of_capital)
            grants += f.live_weight * grant
        sec.government -= grants

        # a draw and a jump size for each firm, where the draw can fall below its chance (the
        # kernel's sparse draws, spread out; every other firm's draw is "never")
        chance = [min(max(p.innovation_probability * (rd_base[c] * (1.0 + rd_subsidy[c]) / rd_base[c]
                                                        if rd_base[c] > 0 else 0.0), 0.0), 0.5) for c in range(NC)]
        uniform, exponential = [math.inf] * len(self.firms), [0.0] * len(self.firms)
        rows, candidate_draws = sparse_draws(draws.innovation, len(self.firms), max(chance))
        for row, u, x in zip(rows, candidate_draws, draws.innovation.exponential(size=len(rows))):
            uniform[row], exponential[row] = u, x
        gains = []
        for f, u, x in zip(self.firms, uniform, exponential):
            base = rd_base[f.cluster]
            rd_ratio = base * (1.0 + rd_subsidy[f.cluster]) / base if base > 0 else 0.0
            gains.append(f.innovate(u, x, rd_ratio, p))

        real_output = self.flows.real_value_added_by_cluster
        previous = e.cluster_output_smoothed
        weight = p.agglomeration_output_smoothing
        e.cluster_output_smoothed = (1.0 - weight) * previous + weight * real_output
        agglomeration = p.agglomeration_elasticity * np.log(np.where(
            previous > 0, e.cluster_output_smoothed / np.where(previous > 0, previous, 1.0), 1.0))
        frontier_growth = (p.trend_productivity_growth + p.shanghai_tech_spillover * pol.shanghai_integration) / 12.0 + agglomeration
        e.productivity_frontier *= 1.0 + frontier_growth
        frontier_growth = frontier_growth.tolist()
        normal = draws.demand_shares.normal(size=len(self.firms)).tolist()
        for f, z, gain in zip(self.firms, normal, gains):
            f.follow_frontier_and_shift_demand(frontier_growth[f.cluster], z, gain, p)
        self.flows.rd_grants = grants
        e.frontier_growth = np.array(frontier_growth)

    def enter_and_exit(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        self._exit_firms(p, draws.exits)
        domestic = self._domestic_entrants(p, draws.startups)
        foreign = self._foreign_entrants(p, pol, draws.foreign_entry)
        self._new_firms(p, *(d + f for d, f in zip(domestic, foreign)), draws.entrants)

    def _exit_firms(self, p: Parameters, rng: np.random.Generator) -> None:
        """Exiting firms' positive deposits go to their owners; their debts are written off."""
        sec = self.sectors
        price = self.economy.price.tolist()
        uniform = rng.random(len(self.firms)).tolist()
        exiting = [f for f, u in zip(self.firms, uniform)
                   if f.is_exiting(u, p, price[f.cluster], SMALL_FIRM_REVENUE)]
        if not exiting:
            self.flows.exits = 0.0
            return
        to_households = to_government = to_abroad = written_off = exits = 0.0
        for f in exiting:
            balance = f.deposits * f.weight
            if balance < 0:
                written_off += balance
            elif f.ownership == PRIVATE:
                to_households += balance
            elif f.ownership == STATE_OWNED:
                to_government += balance
            else:
                to_abroad += balance
            exits += f.weight
            f.close()
        sec.government += to_government
        sec.rest_of_world += to_abroad
        self._share_out_to_owners(to_households)
        sec.bank += written_off
        self.flows.exits = exits

    def _domestic_entrants(self, p: Parameters, rng: np.random.Generator) -> tuple[list, ...]:
        """Start-ups, funded by resident households in proportion to their equity: lists of their
        clusters, ownership, weights, capital and deposits."""
        e = self.economy
        k = rng.poisson(p.domestic_entry_per_year / 12.0 * e.scale)
        self.flows.domestic_entries = 0.0
        if k == 0:
            return [], [], [], [], []
        cluster = rng.choice(NC, size=k, p=self._entry_cluster_probabilities()).tolist()
        capital = [p.entrant_capital_yi * YI * math.exp(z) for z in rng.normal(0.0, p.startup_capital_dispersion, k).tolist()]
        weight = [1.0 / e.scale] * k
        deposits = [p.entrant_liquidity_of_capital * x for x in capital]
        self._share_out_to_owners(-sum(w * d for w, d in zip(weight, deposits)))
        self.flows.domestic_entries = float(sum(weight))
        return cluster, [PRIVATE] * k, weight, capital, deposits

    def _entry_cluster_probabilities(self) -> np.ndarray:
        """Start-ups go where small firms are."""
        small = per_cluster()
        for f in self.firms:
            small[f.cluster] += f.live_weight * (f.revenue_last_year < SMALL_FIRM_REVENUE)
        small = np.array(small)
        return small / small.sum()

    def _foreign_entrants(self, p: Parameters, pol: MonthPolicy, rng: np.random.Generator) -> tuple[list, ...]:
        """Foreign-invested entrants (one agent each), funded from abroad: the same lists."""
        sec, output = self.sectors, self.flows.output_by_cluster
        attraction = TABLE.foreign_share * output * (1.0 + pol.fdi_attraction + TAIWAN_SHARE_OF_FOREIGN * pol.taiwan_cooperation)
        rate = p.foreign_entry_per_year / 12.0 * pol.foreign_entry * attraction / max((TABLE.foreign_share * output).sum(), 1e-12)
        k_by_cluster = rng.poisson(rate)
        k = int(k_by_cluster.sum())
        self.flows.fdi = 0.0
        if k == 0:
            return [], [], [], [], []
        cluster = np.repeat(np.arange(NC), k_by_cluster).tolist()
        taiwan = TAIWAN_SHARE_OF_FOREIGN * (1.0 + pol.taiwan_cooperation)
        taiwan_probability = (taiwan / (taiwan + (1.0 - TAIWAN_SHARE_OF_FOREIGN) * (1.0 + pol.fdi_attraction))).tolist()
        ownership = [TAIWAN if u < taiwan_probability[c] else OTHER_FOREIGN
                     for u, c in zip(rng.random(k).tolist(), cluster)]
        capital = [p.foreign_entrant_capital_yi * YI * math.exp(z)
                   for z in rng.normal(0.0, p.foreign_entrant_capital_dispersion, k).tolist()]
        deposits = [p.entrant_liquidity_of_capital * x for x in capital]
        sec.rest_of_world -= sum(deposits)
        self.flows.fdi = sum(x + d for x, d in zip(capital, deposits))
        return cluster, ownership, [1.0] * k, capital, deposits

    def _new_firms(self, p: Parameters, cluster: list[int], ownership: list[int], weight: list[float], capital_yuan: list[float],
                   deposits: list[float], rng: np.random.Generator) -> None:
        """Entrants start with their capital, a ramping-up sales expectation and a demand share in
        line with it, productivity around the frontier, and the cluster's average pay of this month."""
        e = self.economy
        k = len(cluster)
        if k == 0:
            return
        demand = np.where(e.last_demand > 0, e.last_demand, 1.0).tolist()
        share_total = per_cluster()
        for f in self.firms:
            share_total[f.cluster] += f.live_weight * f.demand_share
        u_village = rng.random(k).tolist()
        village = rng.integers(0, e.villages, k).tolist()
        productivity_draw = rng.normal(-0.5 * PRODUCTIVITY_DISPERSION**2, PRODUCTIVITY_DISPERSION, k).tolist()
        average_wage = self.economy.average_wage.tolist()
        capital_output, rural_share = TABLE.capital_output.tolist(), TABLE.rural_share.tolist()
        frontier, price = e.productivity_frontier.tolist(), e.price.tolist()
        for j in range(k):
            c = cluster[j]
            expected = capital_yuan[j] / capital_output[c] / 12.0 * p.entrant_ramp_up
            self.firms.append(ReferenceFirm(
                self, cluster=c, ownership=ownership[j], weight=weight[j],
                village=village[j] if u_village[j] < rural_share[c] else -1,
                productivity=frontier[c] * math.exp(productivity_draw[j]),
                demand_share=expected / demand[c] * share_total[c], capital=capital_yuan[j] / price[c],
                employees=0.0, wage=average_wage[c], planned_output=0.0, labour_demand=0.0, output=0.0,
                sales=expected, inventory=0.0, expected_sales=expected, deposits=deposits[j], rd_stock=0.0,
                investment_order=0.0, rd_order=0.0, revenue_year=0.0, output_year=0.0, revenue_last_year=0.0,
                age=0, alive=True, capacity=0.0, intermediate=0.0, wage_bill=0.0, vat=0.0, subsidy=0.0, rent=0.0))

    def set_prices_and_wages(self, p: Parameters, pol: MonthPolicy) -> None:
        """Pay scales grow (a freeze stops them); prices follow inflation, pass on part of unit
        labour cost growth and respond to excess demand."""
        e = self.economy
        if pol.wage_policy <= -1.0:
            growth = np.zeros(NC)
        else:
            growth = (p.wage_growth_trend + pol.wage_policy) / 12.0 + p.wage_vacancy_sensitivity * e.vacancy_rate
        e.base_wage *= 1.0 + growth
        factor = (1.0 + growth).tolist()
        for f in self.firms:
            f.raise_pay(factor[f.cluster])
        excess = np.clip(e.excess_demand, -p.excess_demand_bound, p.excess_demand_bound)
        unit_labour_cost = growth - e.frontier_growth - p.producer_inflation / 12.0
        e.price *= (1.0 + p.producer_inflation / 12.0 + p.unit_labour_cost_pass_through * unit_labour_cost) * (
            1.0 + p.price_excess_demand_sensitivity * excess / 12.0)

    def age_and_accumulate(self) -> None:
        for f in self.firms:
            f.age_a_month()
