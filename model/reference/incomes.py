"""Wages, taxes, profits, household incomes and the orders for next month of households and the
budget, one agent at a time (the per-agent statement of model.actions.incomes, consumption and
public)."""

from __future__ import annotations

import numpy as np

from model.agents import government as government_rules
from model.agents import households as household_rules
from model.agents import villages as village_rules
from model.agents.public_sector import plan_public_aggregates, settle_public_aggregates
from model.arrays import wsum
from model.constants import CHAIN_LEADER_REVENUE
from model.params import Parameters
from model.policy import MonthPolicy
from model.reference.common import per_cluster
from model.state import LABOUR_FORCE, PRIVATE, RURAL_REGISTERED, STATE_OWNED, UNEMPLOYED


class Incomes:
    """Incomes and next month's orders in the reference economy (a part of :class:`ReferenceEconomy`)."""

    def pay_wages_and_production_taxes(self, p: Parameters, pol: MonthPolicy) -> None:
        """Firms pay wages, production taxes net of subsidies, and village rent; each cluster's
        wage bill is shared among its workers by skill."""
        e, sec, v = self.economy, self.sectors, self.villages
        hw = e.household_weight
        subsidy_rate = pol.cluster_subsidy.tolist()
        wage_bill_c = per_cluster()
        village_rent = [0.0] * e.villages
        wages_paid = vat_total = subsidy_total = value_added_total = 0.0
        sales_on_land = [0.0] * e.villages
        for f in self.firms:
            if f.village >= 0:
                sales_on_land[f.village] += f.live_weight * f.sales
        floor_rent = (p.village_floor_rent_yield / 12.0 * v.assets).tolist()
        floor_rate = [0.0] + [rent / sales if sales > 0 else 0.0 for rent, sales in zip(floor_rent, sales_on_land)]
        for f in self.firms:
            value_added = f.pay_wages_and_taxes(
                p.vat_rate, subsidy_rate[f.cluster], e.village_rent_rate, floor_rate[f.village + 1]
            )
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
        wage_per_skill = [0.0] + np.where(
            skill > 0, np.array(wage_bill_c) / np.where(skill > 0, skill, 1.0), 0.0
        ).tolist()
        wages_received = 0.0
        for person in self.persons:
            person.earn(wage_per_skill)
            wages_received += person.wage

        local, higher = government_rules.split_tax(vat_total, (1.0 - p.central_share_vat) * e.local_tax_share)
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
        fl.taxes_to_higher_levels = higher
        fl.value_added = value_added_total

    def distribute_profits(self, p: Parameters) -> None:
        """Interest, corporate tax and dividends; dividends go by ownership: resident households and
        village collectives (domestic private), the budget (state), abroad (foreign)."""
        e, sec, v = self.economy, self.sectors, self.villages
        price = e.price.tolist()
        to_villages = [0.0] * e.villages
        private_rest = 0.0
        fl = self.flows  # each firm adds its part to the month's flows
        fl.operating_surplus = fl.state_asset_income = fl.profit_outflow = 0.0
        fl.corporate_tax = fl.bank_interest_received = 0.0
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
                fl.state_asset_income += paid
            else:
                fl.profit_outflow += paid
            fl.corporate_tax += w * tax
            fl.bank_interest_received += w * interest
            fl.operating_surplus += w * surplus
        fl.dividends_to_residents = e.resident_dividend_share * private_rest
        local, higher = government_rules.split_tax(
            fl.corporate_tax, (1.0 - p.central_share_corporate_tax) * e.local_tax_share
        )
        fl.local_taxes += local
        fl.taxes_to_higher_levels += higher
        sec.government += local + fl.state_asset_income
        sec.higher_government += higher
        sec.bank += fl.bank_interest_received
        sec.rest_of_world += fl.profit_outflow + (private_rest - fl.dividends_to_residents)
        to_villages = np.array(to_villages)
        v.deposits += to_villages
        v.income += to_villages

    def pay_household_incomes(self, p: Parameters, pol: MonthPolicy) -> None:
        """Every household receives its members' net wages and its other incomes; the budget pays
        pensions, transfers and village support and collects personal taxes and contributions."""
        e, v = self.economy, self.villages
        hw = e.household_weight
        for h in self.households:
            h.gross_wage = 0.0
        for person in self.persons:
            person.household.gross_wage += person.wage
        gross_total = equity = rural_wages = 0.0
        members = [0.0] * e.villages
        for h in self.households:
            gross_total += h.gross_wage
            if h.group >= 2:  # RURAL_REGISTERED, RURAL_MIGRANT
                rural_wages += h.gross_wage
            equity += h.equity
            if h.village >= 0:
                members[h.village] += h.size
        gross_total *= hw
        pit_total, contributions_total = p.personal_tax_rate * gross_total, p.social_contribution_rate * gross_total
        to_residents = self.flows.dividends_to_residents
        dividend_per_equity = to_residents / (equity * hw) if equity * hw > 0 else 0.0

        pension_by_group = (np.array([1.0, 0.0, 1.0, 0.0]) * p.pension_per_retiree_yuan / 12.0).tolist()
        transfer_by_group = (
            (
                household_rules.transfer_per_person_by_group(pol.rural_transfer)
                + np.array([0.0, 0.0, 1.0, 1.0]) * p.rural_transfer_per_person_yuan
            )
            / 12.0
        ).tolist()
        members = np.array(members) * hw
        paid = village_rules.paid_out(v.income, p.village_payout_share, members)
        payout_per_person = [0.0] + np.where(members > 0, paid / np.where(members > 0, members, 1.0), 0.0).tolist()
        v.deposits -= paid

        # rent from migrants to registered landlords (in proportion to the rooms they let), and remittances
        rent_total = claims_total = 0.0
        for h in self.households:
            if h.group % 2 == 1 and h.size > 0:
                rent_total += e.migrant_rent * h.size
            elif h.group % 2 == 0:
                claims_total += h.size * (p.rural_landlord_weight if h.group >= 2 else 1.0)
        rent_total *= hw
        rent_per_claim = rent_total / (claims_total * hw) if claims_total * hw > 0 else 0.0
        income_total = interest_total = pensions_total = transfers_total = property_total = remitted_total = 0.0
        imputed_total = 0.0
        imputed_per_member = p.imputed_rent_rate / 12.0 * e.housing_value_per_person
        for h in self.households:
            income, interest, pensions, transfers = h.receive_income(
                p,
                dividend_per_equity,
                pension_by_group[h.group],
                transfer_by_group[h.group],
                payout_per_person[h.village + 1],
            )
            migrant = h.group % 2 == 1 and h.size > 0
            net_wages = (1.0 - p.personal_tax_rate - p.social_contribution_rate) * h.gross_wage
            remitted = p.remittance_share * net_wages if migrant else 0.0
            rent = e.migrant_rent * h.size if migrant else 0.0
            received = (
                h.size * (p.rural_landlord_weight if h.group >= 2 else 1.0) * rent_per_claim
                if h.group % 2 == 0
                else 0.0
            )
            imputed = h.size * imputed_per_member if h.group % 2 == 0 else 0.0  # owned dwellings, in kind
            h.income_year += received - remitted + imputed
            imputed_total += imputed
            h.deposits += received - remitted - rent
            h.disposable_income = income + received - remitted - rent
            income += received - remitted
            remitted_total += remitted
            property_total += (
                h.equity * dividend_per_equity + interest + h.size * payout_per_person[h.village + 1] + received
            )
            income_total += income
            interest_total += interest
            pensions_total += pensions
            transfers_total += transfers
        v.income_year += v.income

        # The budgets' and the bank's side, from the households' totals.
        fl, sec = self.flows, self.sectors
        paid_by_budget = (pensions_total + transfers_total) * hw
        local_pit = (1.0 - p.central_share_personal_tax) * e.local_tax_share * pit_total
        sec.government += local_pit + contributions_total - paid_by_budget
        sec.higher_government += pit_total - local_pit
        sec.bank -= interest_total * hw
        fl.local_taxes += local_pit
        fl.taxes_to_higher_levels += pit_total - local_pit
        fl.bank_interest_paid = interest_total * hw
        fl.social_contributions = contributions_total
        fl.government_commitments = paid_by_budget + fl.production_subsidies
        fl.household_disposable_income = income_total * hw
        fl.imputed_rent = imputed_total * hw
        fl.household_property_income = property_total * hw + fl.imputed_rent
        fl.rural_wages = rural_wages * hw
        fl.rent_paid, fl.remittances_out = rent_total, remitted_total * hw
        self.sectors.rest_of_world += remitted_total * hw
        # what each village did not pay out; its part of next month's village investment
        kept = [(1.0 - p.village_payout_share) * income for income in v.income.tolist()]
        fl.village_retained = sum(kept)
        v.investment_split = (
            np.array(kept) / fl.village_retained if fl.village_retained > 0 else np.full(e.villages, 1.0 / e.villages)
        )

    def consume_and_save(self, p: Parameters) -> None:
        for h in self.households:
            h.plan_consumption(p, p.income_expectation_smoothing)

    def plan_public_spending(self, p: Parameters, pol: MonthPolicy) -> None:
        """The budget, the bank and the villages are single agents: the sums over firms and households
        they need are loops here; what they do with them is model.actions.public's."""
        e = self.economy
        leader_sales = per_cluster()
        for f in self.firms:
            if f.revenue_last_year >= CHAIN_LEADER_REVENUE:
                leader_sales[f.cluster] += f.live_weight * f.sales
        persons_by_group = [0.0] * 4
        for h in self.households:
            persons_by_group[h.group] += h.size
        self.flows.persons_by_group = np.array(persons_by_group) * e.household_weight
        public_price = wsum(e.final_buyer_mix[4], self._effective_price(pol))
        trainees = 0.0
        if pol.rural_training > 0:  # training bought for every rural labour-force member
            trainees = sum(
                1
                for person in self.persons
                if person.role == LABOUR_FORCE and person.household.group >= RURAL_REGISTERED
            )
        plan_public_aggregates(
            self,
            p,
            pol,
            np.array(leader_sales),
            self.flows.persons_by_group,
            public_price,
            trainees * e.household_weight,
        )
        e.public_services_year += pol.public_services / 12.0

    def settle_public_accounts(self, p: Parameters) -> None:
        """The month's books of the budget and the bank, from the loans summed agent by agent."""
        hw = self.economy.household_weight
        firm_loans = sum(f.weight * max(-f.deposits, 0.0) for f in self.firms)
        other_loans = sum(max(-h.deposits, 0.0) for h in self.households) * hw + float(
            np.maximum(-self.villages.deposits, 0.0).sum()
        )
        deposits = (
            sum(f.weight * max(f.deposits, 0.0) for f in self.firms)
            + sum(max(h.deposits, 0.0) for h in self.households) * hw
            + float(np.maximum(self.villages.deposits, 0.0).sum())
            + max(self.sectors.government, 0.0)
        )
        settle_public_aggregates(self, p, deposits, firm_loans, other_loans, max(-self.sectors.government, 0.0))
