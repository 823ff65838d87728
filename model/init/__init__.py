"""Build the end-2021 state of the economy from the data (see model.data.derive).

After the populations are drawn, a few level parameters are solved so that the initial month
reproduces the observed 2021 levels exactly (exactly identified, no fitting): the wage level and the
rural earning power (urban and rural per-capita disposable income), the local tax share (public
budget revenue), the village rent rate (village collective income), the external demand of each
cluster (cluster output), the shares of trade that is customs trade (exports and imports), and the
share of domestic private firms' dividends owned by residents (property income: 12% of disposable
income; the rest belongs to owners elsewhere in China).

Annual 2021 figures are year averages, but January 2022 continues from the end of 2021: every
monthly flow of the initial state is the 2021 average month times RUN_RATE (model.data.derive), the
end-of-year level of a year of steady growth. The year-2021 record divides it out again.
"""

from __future__ import annotations

import numpy as np

from model.arrays import matvec

from model.agents import firms as firm_rules
from model.agents import households as household_rules
from model.agents import villages as village_rules
from model.clusters import cluster_table
from model.config import ConfigError
from model.data.derive import PROPERTY_SHARE_OF_DISPOSABLE_INCOME, RUN_RATE, UNEMPLOYMENT_2021, initial_targets
from model.constants import PRODUCTIVITY_DISPERSION
from model.init.firms import draw_firms, draw_ownership
from model.init.io_table import FINAL_IMPORT_SHARE, final_mixes, local_input_coefficients
from model.init.population import build_population
from model.markets import labour
from model.params import Parameters, default_parameters
from model.policy import MARKETS
from model.state import refresh_running_totals
from model.state import (LABOUR_FORCE, PRIVATE, RETIREE, RURAL_REGISTERED, STATE_OWNED, UNEMPLOYED, Economy, Firms,
                         State, Sectors, Villages)

# Assumption M1: outside Kunshan but within China, demand splits 35% Shanghai, 25% Suzhou, 40% the
# rest of China; the share abroad is solved from customs exports.
DOMESTIC_MARKET_SPLIT = np.array([0.35, 0.25, 0.40])
INITIAL_FIRM_LIQUIDITY_MONTHS = 2.0
INITIAL_HOUSEHOLD_WEALTH_YEARS = 2.5


class InfeasibleParameters(ConfigError):
    """The parameters leave no end-2021 economy that reproduces the observed 2021 levels.

    Every parameter is within its own range, yet together they ask for the impossible (say, local
    buyers alone wanting more farm produce than Kunshan grew). Such a scenario is bad input, not a
    crash: the user gets one line naming the level that cannot be met and the parameters, among
    those the scenario moved from their defaults, that drive it.
    """

    def __init__(self, level: str, drivers: tuple[str, ...], params: Parameters | None = None):
        defaults = default_parameters().values
        moved = [n for n in drivers if params is not None and params.values.get(n) != defaults.get(n)]
        suspects = ", ".join(moved or drivers)
        super().__init__("scenario parameters", None,
                         f"values with which the end-2021 economy can be built; {level} "
                         f"(move {suspects} towards the default)")


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to ``weights`` summing to ``total``, at least one each (largest
    remainders): every cluster has workers even in a tiny sample."""
    ideal = total * weights / weights.sum()
    counts = np.maximum(np.floor(ideal).astype(int), 1)
    shortfall = total - counts.sum()
    if shortfall > 0:
        counts[np.argsort(counts - ideal)[:shortfall]] += 1
    elif shortfall < 0:
        counts[np.argsort(ideal - counts)[: -shortfall]] -= 1
    return counts


def build_state(params: Parameters, scale: float, rng: np.random.Generator) -> State:
    table = cluster_table()
    t = initial_targets()
    nc = table.n

    # Independent streams for the firm register and the population, so that the large firms (drawn
    # one to one) are the same firms at every scale for a given seed.
    firm_rng, population_rng = rng.spawn(2)
    persons, households, _ = build_population(population_rng, scale, t)
    hw = 1.0 / scale  # real households per row
    draw = draw_firms(firm_rng, scale, t, table)
    nf = len(draw.cluster)
    ownership = draw_ownership(firm_rng, draw, table)

    # --- employment: the labour force, 97% employed, spread over clusters by labour need
    lf = persons.role[: persons.n] == LABOUR_FORCE
    employed = lf & (rng.random(persons.n) >= UNEMPLOYMENT_2021)
    need = t.cluster_output * 1e8 / (table.labour_productivity * 1e4)
    persons.employer_cluster[: persons.n] = UNEMPLOYED
    workers = rng.permutation(np.flatnonzero(employed))
    persons.employer_cluster[workers] = np.repeat(np.arange(nc, dtype=np.int16), apportion(len(workers), need))
    employed_by_cluster = np.bincount(persons.employer_cluster[: persons.n][employed], minlength=nc) * hw
    households.workers[: households.n] = np.bincount(persons.household[: persons.n], weights=employed,
                                                     minlength=households.n)

    productivity = np.exp(rng.normal(-0.5 * PRODUCTIVITY_DISPERSION**2, PRODUCTIVITY_DISPERSION, nf))
    monthly_sales = draw.revenue / 12.0 * RUN_RATE
    raw_need = monthly_sales * 12.0 / (table.labour_productivity[draw.cluster] * 1e4) / productivity
    need_by_cluster = np.bincount(draw.cluster, weights=draw.weight * raw_need, minlength=nc)
    ratio = employed_by_cluster / need_by_cluster
    employees = raw_need * ratio[draw.cluster]
    labour_per_output = 12.0 * ratio / (table.labour_productivity * 1e4)

    capital = draw.revenue * table.capital_output[draw.cluster]
    price = np.ones(nc)
    va = table.va_ratio[draw.cluster] * monthly_sales
    intermediate = monthly_sales - va
    depreciation = params.depreciation_rate / 12.0 * capital
    rural_firm = rng.random(nf) < table.rural_share[draw.cluster]
    village = np.where(rural_firm, rng.integers(0, t.villages, nf), -1).astype(np.int32)

    # Pay scales: clusters pay with the square root of value added per worker; within a cluster,
    # more productive firms pay more.
    va_per_worker = np.bincount(draw.cluster, weights=draw.weight * va, minlength=nc) / employed_by_cluster
    cluster_pay = np.sqrt(va_per_worker / va_per_worker.mean())
    firm_pay = cluster_pay[draw.cluster] * productivity**0.3

    # --- households: solve the wage level and rural earning power for the survey incomes
    hh_group = households.group[: households.n]
    hh_rural = hh_group >= RURAL_REGISTERED
    pers_hh = persons.household[: persons.n]
    pers_rural = hh_rural[pers_hh]
    registered_person = np.isin(hh_group[pers_hh], (0, RURAL_REGISTERED))
    retirees = (persons.role[: persons.n] == RETIREE) & registered_person
    size = households.size[: households.n]
    urban_pop, rural_pop = size[~hh_rural].sum() * hw, size[hh_rural].sum() * hw
    target_urban = urban_pop * t.urban_income / 12.0 * RUN_RATE
    target_rural = rural_pop * t.rural_income / 12.0 * RUN_RATE
    net_share = 1.0 - params.personal_tax_rate - params.social_contribution_rate
    pensions_h = household_rules.sum_by_household(pers_hh, retirees * params.pension_per_retiree_yuan / 12.0, households.n)
    transfers_h = np.where(hh_rural, size * params.rural_transfer_per_person_yuan / 12.0, 0.0)

    total_income = target_urban + target_rural
    wealth = INITIAL_HOUSEHOLD_WEALTH_YEARS * 12.0 * total_income / (households.n * hw)
    deposits_h = wealth * households.equity[: households.n] ** 0.5 / np.mean(households.equity[: households.n] ** 0.5)
    interest_h = params.deposit_interest_rate / 12.0 * deposits_h

    # Property income beyond interest comes as dividends of domestic private firms; the wage bill
    # must leave firms enough profit to pay them (checked below).
    hh_village = households.village[: households.n]
    members = np.bincount(np.where(hh_rural, hh_village, 0), weights=np.where(hh_rural, size, 0.0), minlength=t.villages) * hw
    target_village = t.village_income_avg * 1e4 * t.villages / 12.0 * RUN_RATE
    rural_sales = np.sum(draw.weight * monthly_sales * rural_firm)
    village_of_firm = np.where(rural_firm, village, 0)
    private = ownership == PRIVATE
    # Wages are shared within a cluster by skill, so group wage totals follow from cluster sums:
    # the fixed point below runs on clusters and firms, never on persons.
    ec = persons.employer_cluster[: persons.n]
    index = ec + 1
    skill0 = persons.skill[: persons.n].copy()
    skill_urban = np.bincount(index, weights=skill0 * ~pers_rural, minlength=nc + 1)[1:] * hw
    skill_rural = np.bincount(index, weights=skill0 * pers_rural, minlength=nc + 1)[1:] * hw
    equity = households.equity[: households.n]
    equity_rural_share = equity[hh_rural].sum() / equity.sum()
    other_fixed_u = (interest_h + pensions_h + transfers_h)[~hh_rural].sum() * hw
    other_fixed_r = (interest_h + pensions_h + transfers_h)[hh_rural].sum() * hw
    has_members = members > 0

    def distributions(wage: np.ndarray, rent_rate: float):
        """The initial month's corporate tax, village dividends and income, and private dividends
        (net of the villages' part) for a pay scale and rent rate: the firm side of the fixed point."""
        rent = rent_rate * monthly_sales * rural_firm
        surplus = va - wage * employees - params.vat_rate * va
        corp_tax, profit = firm_rules.profit_after_tax(surplus, rent, 0.0, depreciation, params.corporate_tax_rate)
        div = firm_rules.dividends(profit, params.dividend_payout, np.full(nf, np.inf))
        village_div = np.bincount(village_of_firm, weights=draw.weight * div * private * rural_firm * params.village_dividend_share,
                                  minlength=t.villages)
        village_income = village_div + np.bincount(village_of_firm, weights=draw.weight * rent, minlength=t.villages)
        private_div = np.sum(draw.weight * div * private * np.where(rural_firm, 1 - params.village_dividend_share, 1))
        return corp_tax, village_div, village_income, private_div

    rural_skill, wage_level, rent_rate, resident_share = 1.0, 1.0, 0.0, np.nan
    for _ in range(200):  # fixed point: wages, profits, dividends, rents and payouts depend on each other
        wage = firm_pay * wage_level
        wage_bill_c = np.bincount(draw.cluster, weights=draw.weight * wage * employees, minlength=nc)
        rural_part = rural_skill * skill_rural / np.maximum(skill_urban + rural_skill * skill_rural, 1e-300)
        net_r = net_share * np.sum(wage_bill_c * rural_part)
        net_u = net_share * np.sum(wage_bill_c) - net_r
        corp_tax, village_div, village_income, private_div = distributions(wage, rent_rate)
        rent_rate = (target_village - village_div.sum()) / rural_sales
        payouts = np.sum(params.village_payout_share * village_income * has_members)
        if not private_div > 0:
            break  # no dividends to own: refused just below
        resident_share = (PROPERTY_SHARE_OF_DISPOSABLE_INCOME * total_income - interest_h.sum() * hw) / private_div
        dividends = resident_share * private_div
        need_u = target_urban - other_fixed_u - dividends * (1.0 - equity_rural_share)
        need_r = target_rural - other_fixed_r - dividends * equity_rural_share - payouts
        wage_level *= need_u / net_u
        rural_skill *= (need_r / net_r) / (need_u / net_u)
        if abs(need_u / net_u - 1.0) < 1e-14 and abs(need_r / net_r - 1.0) < 1e-14:
            break
    if not private_div > 0 or rent_rate <= 0 or not 0 < resident_share <= 1 or rural_skill <= 0:
        raise InfeasibleParameters(
            "2021 incomes, property income and village income cannot all be met "
            f"(rent rate {rent_rate:.3g}, resident dividend share {resident_share:.3g}, rural earning power {rural_skill:.3g})",
            ("dividend_payout", "deposit_interest_rate", "pension_per_retiree_yuan", "rural_transfer_per_person_yuan",
             "depreciation_rate", "corporate_tax_rate", "vat_rate", "personal_tax_rate", "social_contribution_rate",
             "village_payout_share"), params)
    wage = firm_pay * wage_level
    skill = skill0 * np.where(pers_rural, rural_skill, 1.0)
    wage_bill_c = np.bincount(draw.cluster, weights=draw.weight * wage * employees, minlength=nc)
    wage_p = labour.distribute_wages(wage_bill_c, ec, skill, hw, nc)
    persons.skill[: persons.n] = skill
    persons.wage[: persons.n] = wage_p
    corp_tax, village_div, village_income, private_div = distributions(wage, rent_rate)
    village_paid = village_rules.paid_out(village_income, params.village_payout_share, members)
    payout_h = village_rules.payouts_to_members(village_paid, members, hh_village, size)
    div_h = household_rules.share_out(resident_share * private_div, equity, hw)
    net_h = household_rules.sum_by_household(pers_hh, net_share * wage_p, households.n)
    di = household_rules.disposable_income(net_h, div_h, interest_h, pensions_h, transfers_h, payout_h)

    # Government: local share of taxes solved for 2021 public budget revenue.
    gross_wages = wage_p.sum() * hw
    vat_total = params.vat_rate * np.sum(draw.weight * va)
    pit_total = params.personal_tax_rate * gross_wages
    contributions = params.social_contribution_rate * gross_wages
    corp_total = np.sum(draw.weight * corp_tax)
    if vat_total + pit_total + corp_total <= 0:
        raise InfeasibleParameters("no tax raises anything, so no budget can match the 2021 public revenue",
                                   ("vat_rate", "personal_tax_rate", "corporate_tax_rate"), params)
    local_tax_share = t.public_budget_revenue * 1e8 / 12.0 * RUN_RATE / (vat_total + pit_total + corp_total)
    local_revenue = local_tax_share * (vat_total + pit_total + corp_total)
    spending = params.government_spending_ratio * (local_revenue + contributions) - pensions_h.sum() * hw - transfers_h.sum() * hw
    if spending <= 0:
        raise InfeasibleParameters("pensions and transfers exceed the 2021 public revenue",
                                   ("pension_per_retiree_yuan", "rural_transfer_per_person_yuan",
                                    "government_spending_ratio", "social_contribution_rate"), params)
    gov_consumption = (1.0 - params.public_investment_share) * spending
    public_investment = params.public_investment_share * spending

    # --- demand: orders of the initial month, then external demand closes each cluster's output
    consumption_h = household_rules.consumption_plan(di, deposits_h, params.consumption_propensity_income,
                                                     params.consumption_propensity_wealth)
    # Replace wear and grow with demand (the orders firm_rules.investment_order gives on a trend path).
    investment = firm_rules.investment_order(capital, monthly_sales, np.full(nf, params.export_demand_growth / 12.0),
                                             table.capital_output[draw.cluster], params.depreciation_rate,
                                             params.capital_adjustment_monthly, 1.0, np.zeros(nf), np.ones(nf),
                                             np.zeros(nf))
    rd = table.rd_intensity[draw.cluster] * monthly_sales
    village_investment = (1.0 - params.village_payout_share) * village_income.sum()
    mixes = final_mixes(table)
    spending_by_buyer = np.array([consumption_h.sum() * hw, gov_consumption, np.sum(draw.weight * investment),
                                  np.sum(draw.weight * rd), public_investment + village_investment])
    import_share = np.array([params.import_share_final_demand, FINAL_IMPORT_SHARE["government"],
                             FINAL_IMPORT_SHARE["firm_investment"], FINAL_IMPORT_SHARE["rd"],
                             FINAL_IMPORT_SHARE["public_investment"]])
    local_input = local_input_coefficients(table)
    output_c = t.cluster_output * 1e8 / 12.0 * RUN_RATE
    from model.markets import goods
    local_c = goods.local_demand(spending_by_buyer, import_share, mixes) + goods.intermediate_demand(local_input, output_c)
    external_c = output_c - local_c
    if np.any(external_c <= 0):
        bad = [table.ids[i] for i in np.flatnonzero(external_c <= 0)]
        raise InfeasibleParameters(
            f"local buyers would demand more than the 2021 output of {', '.join(bad)}",
            ("import_share_final_demand", "consumption_propensity_income", "consumption_propensity_wealth",
             "capital_adjustment_monthly", "depreciation_rate", "government_spending_ratio", "public_investment_share",
             "village_payout_share"), params)
    imports_total = (spending_by_buyer * import_share).sum() + np.sum(draw.weight * intermediate) - matvec(local_input, output_c).sum()
    fx = 6.45
    world_share = t.exports_usd * 1e8 * fx / 12.0 * RUN_RATE / external_c.sum()
    import_abroad_share = t.imports_usd * 1e8 * fx / 12.0 * RUN_RATE / imports_total
    market_split = np.concatenate([(1.0 - world_share) * DOMESTIC_MARKET_SPLIT, [world_share]])
    external_real = market_split[:, None] * external_c[None, :]
    assert len(MARKETS) == len(market_split)

    # --- assemble
    capacity = int(nf * 1.6) + 64
    # Firm rows in random order rather than grouped by cluster: a sum by cluster (bincount) then
    # adds into a different cluster's total in turn instead of queueing on one, about three times
    # faster; and every cluster's firms meet the month's draws alike.
    order = firm_rng.permutation(nf)

    def col(values, dtype=float):
        out = np.zeros(capacity, dtype=dtype)
        values = np.asarray(values)
        out[:nf] = values[order] if values.ndim else values
        return out

    share = monthly_sales / np.bincount(draw.cluster, weights=draw.weight * monthly_sales, minlength=nc)[draw.cluster]
    firm_deposits = INITIAL_FIRM_LIQUIDITY_MONTHS * monthly_sales
    firms = Firms(
        n=nf, cluster=col(draw.cluster, np.int16), ownership=col(ownership, np.int8), weight=col(draw.weight),
        village=col(village, np.int32), productivity=col(productivity), demand_share=col(share), capital=col(capital),
        employees=col(employees), wage=col(wage), planned_output=col(monthly_sales),
        labour_demand=col(employees), output=col(monthly_sales), sales=col(monthly_sales),
        inventory=col(params.inventory_target_months * monthly_sales), expected_sales=col(monthly_sales),
        deposits=col(firm_deposits), rd_stock=col(3.0 * 12.0 * rd), investment_order=col(investment),
        rd_order=col(rd), revenue_year=col(0.0), output_year=col(0.0), revenue_last_year=col(draw.revenue),
        age=col(rng.integers(12, 360, nf), np.int32), alive=col(True, bool), capacity=col(0.0),
        intermediate=col(0.0), wage_bill=col(0.0), vat=col(0.0), subsidy=col(0.0), rent=col(0.0))
    households.deposits[: households.n] = deposits_h
    households.disposable_income[: households.n] = di
    households.expected_income[: households.n] = di
    households.income_last_year[: households.n] = 12.0 * di / RUN_RATE
    households.consumption_order[: households.n] = consumption_h
    villages = Villages(deposits=12.0 * village_income.copy(), income=village_income.copy(),
                        income_year=np.zeros(t.villages), income_last_year=12.0 * village_income / RUN_RATE,
                        investment_split=np.full(t.villages, 1.0 / t.villages))
    economy = Economy(
        month=0, year=2022, scale=scale, household_weight=hw, price=price.copy(), world_price=np.ones(nc),
        external_demand=external_real, capacity_lost=np.zeros(nc),
        expected_growth=np.full(nc, params.export_demand_growth / 12.0), last_demand=output_c.copy(), local_input=local_input,
        final_buyer_mix=mixes, final_import_share=import_share, base_wage=np.ones(nc),
        labour_per_output=labour_per_output, world_market_share=world_share, import_abroad_share=import_abroad_share,
        local_tax_share=local_tax_share, resident_dividend_share=resident_share, village_rent_rate=rent_rate, villages=t.villages,
        government_revenue_smoothed=local_revenue + contributions, government_spending_order=gov_consumption,
        public_investment_order=public_investment, village_investment_order=village_investment,
        cluster_output_smoothed=output_c.copy(), productivity_frontier=np.ones(nc),
        rd_intensity_base=table.rd_intensity.copy(), average_wage=np.zeros(nc), labour_demand=np.zeros(nc),
        unfilled_vacancies=np.zeros(nc), vacancy_rate=np.zeros(nc), excess_demand=np.zeros(nc),
        frontier_growth=np.zeros(nc))
    sectors = Sectors(government=3.0 * spending)
    state = State(firms=firms, persons=persons, households=households, villages=villages, sectors=sectors,
                  economy=economy)
    refresh_running_totals(state)
    # Every deposit is a claim on the bank: the bank's own position balances them, so the total is 0.
    sectors.bank = -state.money_total()
    state.economy.money_initial = state.money_total()
    # The initial month's flows that the 2021 record reports (model.record)
    state.flows.local_taxes = local_revenue
    state.flows.wages_received = gross_wages
    return state
