"""Incomes of the month: wages, taxes on production and village rent; interest, corporate tax
and dividends; households' incomes and the budgets' side of them."""

from __future__ import annotations

import numpy as np

from model.actions.common import NC, by_cluster, by_village
from model.agents import budget as budget_rules
from model.agents import firm_dynamics as dynamics
from model.agents import firms as firm_rules
from model.agents import government as government_rules
from model.agents import households as household_rules
from model.agents import villages as village_rules
from model.arrays import sum_by, wsum
from model.markets import labour
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import OTHER_FOREIGN, OWNERSHIP, PRIVATE, RURAL_REGISTERED, STATE_OWNED, TAIWAN, State


def pay_wages_and_production_taxes(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Firms pay wages (shared among each cluster's workers by skill), taxes on production net of
    subsidies, and rent to the village collectives whose land they use: land rent, and the rent of
    the standard factory floor space the village built, shared among the firms on its land by sales."""
    f, ps, e, sec, v = s.firms, s.persons, s.economy, s.sectors, s.villages
    n, c, w = s.firms.live()
    hw = e.household_weight
    wage_bill = f.wage[:n] * f.employees[:n] * f.alive[:n]
    wage_bill_c = by_cluster(s, w * wage_bill)
    m = ps.n
    ps.wage[:m] = labour.distribute_wages(
        wage_bill_c, ps.employer_cluster[:m], ps.skill[:m], hw, NC, e.skill_by_cluster
    )
    value_added = f.output[:n] - f.intermediate[:n]
    vat = p.vat_rate * value_added
    subsidy = pol.cluster_subsidy[c] * np.maximum(value_added, 0.0)
    on_village_land = f.village[:n] >= 0
    rent = e.village_rent_rate * f.sales[:n] * on_village_land
    floor_rate = village_rules.floor_rent_rate(v.assets, p.village_floor_rent_yield, by_village(s, w * f.sales[:n]))
    rent += floor_rate.take(f.village[:n].astype(np.intp) + 1) * f.sales[:n]
    f.deposits[:n] -= wage_bill + vat - subsidy + rent
    vat_total, subsidy_total = wsum(w, vat), wsum(w, subsidy)
    local, higher = government_rules.split_tax(
        vat_total, budget_rules.kunshan_share(p.central_share_vat, e.local_tax_share)
    )
    sec.government += local - subsidy_total
    sec.higher_government += higher
    village_rent = by_village(s, w * rent)
    v.deposits += village_rent
    v.income = village_rent.copy()
    fl = s.flows
    f.wage_bill[:n], f.vat[:n], f.subsidy[:n], f.rent[:n] = wage_bill, vat, subsidy, rent
    fl.wages_paid = wsum(w, wage_bill)
    fl.wages_received = float(ps.wage[:m].sum() * hw)
    fl.production_taxes, fl.production_subsidies = vat_total, subsidy_total
    fl.local_taxes = local
    fl.taxes_to_higher_levels = higher
    fl.value_added = wsum(w, value_added)


def distribute_profits(s: State, p: Parameters) -> None:
    """Interest on credit, corporate tax, and dividends: to resident households, village collectives,
    the state, owners elsewhere in China, and foreign owners abroad (profit outflow)."""
    f, e, sec, v = s.firms, s.economy, s.sectors, s.villages
    n, c, w = s.firms.live()
    fl = s.flows
    interest = np.negative(f.deposits[:n])  # on debt: negative deposits
    np.maximum(interest, 0.0, out=interest)
    interest *= (p.deposit_interest_rate + p.loan_spread) / 12.0
    surplus = firm_rules.operating_surplus(f.output[:n], f.intermediate[:n], f.wage_bill[:n], f.vat[:n], f.subsidy[:n])
    depreciation = p.depreciation_rate / 12.0 * f.capital[:n] * e.price[c]
    corp_tax, profit = firm_rules.profit_after_tax(surplus, f.rent[:n], interest, depreciation, p.corporate_tax_rate)
    f.deposits[:n] -= interest + corp_tax
    f.profit_margin[:n] = dynamics.smoothed_margin(f.profit_margin[:n], profit, f.output[:n], p.profit_margin_smoothing)
    div = firm_rules.dividends(profit, p.dividend_payout, f.deposits[:n]) * f.alive[:n]
    f.deposits[:n] -= div
    wd = w * div
    by_owner = sum_by(s.firms.lanes()[2], wd, len(OWNERSHIP))
    # private firms on village land pay a share of their dividends to the village collective
    wd *= f.ownership[:n] == PRIVATE
    wd *= p.village_dividend_share
    to_villages = by_village(s, wd)
    private_rest = float(by_owner[PRIVATE] - to_villages.sum())
    to_residents = e.resident_dividend_share * private_rest
    to_state = float(by_owner[STATE_OWNED])
    foreign = float(by_owner[TAIWAN] + by_owner[OTHER_FOREIGN])
    corp_total, interest_total = wsum(w, corp_tax), wsum(w, interest)
    local, higher = government_rules.split_tax(
        corp_total, budget_rules.kunshan_share(p.central_share_corporate_tax, e.local_tax_share)
    )
    sec.government += local + to_state
    sec.higher_government += higher
    sec.bank += interest_total
    sec.rest_of_world += foreign + (private_rest - to_residents)
    v.deposits += to_villages
    v.income += to_villages
    fl.operating_surplus = wsum(w, surplus)
    fl.dividends_to_residents = to_residents
    fl.profit_outflow = foreign
    fl.local_taxes += local
    fl.taxes_to_higher_levels += higher
    fl.state_asset_income = to_state
    fl.bank_interest_received = interest_total
    fl.corporate_tax = corp_total


def pay_household_incomes(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Households receive net wages, dividends, interest, pensions, transfers and village payouts;
    personal taxes and contributions go to the budgets.

    Households that left have size, equity and deposits of zero, so they receive nothing."""
    hs, ps, e, v = s.households, s.persons, s.economy, s.villages
    hw = e.household_weight
    nh, m = hs.n, ps.n
    gross = household_rules.sum_by_household(ps.household[:m], ps.wage[:m], nh)
    gross_total = float(gross.sum() * hw)
    s.flows.rural_wages = wsum(gross, hs.group[:nh] >= RURAL_REGISTERED) * hw  # for the records
    pit_total, contributions_total = p.personal_tax_rate * gross_total, p.social_contribution_rate * gross_total
    net_wages = gross  # in place: the gross sums are not needed again
    net_wages *= 1.0 - p.personal_tax_rate - p.social_contribution_rate
    dividends = household_rules.share_out(s.flows.dividends_to_residents, hs.equity[:nh], hw)
    interest = np.maximum(hs.deposits[:nh], 0.0)
    interest *= p.deposit_interest_rate / 12.0
    group = hs.group[:nh].astype(np.intp)  # gathers by a native index are faster
    pension_by_group = household_rules.pension_per_retiree_by_group(p.pension_per_retiree_yuan)
    transfer_by_group = household_rules.transfer_per_person_monthly(
        pol.rural_transfer, p.rural_transfer_per_person_yuan
    )
    pensions = pension_by_group.take(group)
    pensions *= hs.retirees[:nh]
    transfers = transfer_by_group.take(group)
    transfers *= hs.size[:nh]
    village = hs.village[:nh]
    members = e.village_members * hw
    paid = village_rules.paid_out(v.income, p.village_payout_share, members)
    payouts = village_rules.payouts_to_members(paid, members, village, hs.size[:nh])
    v.deposits -= paid
    migrant = household_rules.MIGRANT_GROUP.take(group) & (hs.size[:nh] > 0)
    remitted = household_rules.remittances(net_wages, migrant, p.remittance_share)
    rent = e.migrant_rent * hs.size[:nh] * migrant
    rent_total = float(rent.sum() * hw)
    received = household_rules.share_out(
        rent_total, household_rules.rent_claims(hs.size[:nh], group, p.rural_landlord_weight), hw
    )
    income = household_rules.disposable_income(net_wages, dividends, interest, pensions, transfers, payouts)
    s.flows.household_property_income = float((dividends.sum() + interest.sum() + payouts.sum() + received.sum()) * hw)
    income += received
    income -= remitted
    imputed = household_rules.imputed_rent(hs.size[:nh], group, e.housing_value_per_person, p.imputed_rent_rate)
    s.flows.imputed_rent = float(imputed.sum() * hw)
    s.flows.household_property_income += s.flows.imputed_rent
    imputed += income  # the survey's disposable income: cash income and the imputed rent of owned homes
    hs.income_year[:nh] += imputed  # (rent paid is consumption, not deducted)
    income -= rent
    hs.deposits[:nh] += income
    hs.disposable_income[:nh] = income  # what is left after rent: goods consumption is planned on it
    remitted_total = float(remitted.sum() * hw)
    s.sectors.rest_of_world += remitted_total
    s.flows.rent_paid, s.flows.remittances_out = rent_total, remitted_total
    v.income_year += v.income

    _book_household_payments(
        s,
        p,
        pit_total,
        contributions_total,
        float(interest.sum() * hw),
        float(pensions.sum() * hw),
        float(transfers.sum() * hw),
        float(income.sum() * hw) + rent_total,
    )


def _book_household_payments(
    s: State,
    p: Parameters,
    pit_total: float,
    contributions_total: float,
    interest_total: float,
    pensions_total: float,
    transfers_total: float,
    income_total: float,
) -> None:
    """The sectors' side of the month's household incomes (totals in yuan, all households): the
    budgets collect personal tax and contributions and pay pensions and transfers;
    the bank pays interest; villages keep what they did not pay out."""
    e, sec, v, fl = s.economy, s.sectors, s.villages, s.flows
    local, higher = government_rules.split_tax(
        pit_total, budget_rules.kunshan_share(p.central_share_personal_tax, e.local_tax_share)
    )
    sec.government += local + contributions_total - pensions_total - transfers_total
    sec.higher_government += higher
    sec.bank -= interest_total
    fl.local_taxes += local
    fl.taxes_to_higher_levels += higher
    fl.bank_interest_paid = interest_total
    fl.social_contributions = contributions_total
    fl.government_commitments = pensions_total + transfers_total + fl.production_subsidies
    fl.household_disposable_income = income_total
    retained = (1.0 - p.village_payout_share) * v.income
    v.investment_split = village_rules.investment_split(retained)
    fl.village_retained = float(retained.sum())
