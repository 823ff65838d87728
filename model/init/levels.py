"""The level parameters of the end-2021 economy, solved so that its initial month reproduces the
observed 2021 levels exactly: incomes (the wage level, rural earning power, the village rent rate,
the residents' share of private dividends), the budget (the local tax share) and outside demand
(each cluster's, and the shares of trade abroad). Parameters that leave no such economy are refused
(InfeasibleParameters), naming the level that cannot be met.

One module, although it is over 400 lines: the levels are solved together (a fixed point of
incomes, the budget and outside demand, each reading the others), and the order of the solution is
easiest to check when it reads top to bottom in one place."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.agents import firms as firm_rules
from model.agents import households as household_rules
from model.agents import villages as village_rules
from model.arrays import matvec
from model.config import ConfigError
from model.data.derive import PROPERTY_SHARE_OF_DISPOSABLE_INCOME
from model.init.firms import FirmStart
from model.init.io_table import FINAL_IMPORT_SHARE, final_mixes, local_input_coefficients
from model.markets import goods, labour
from model.params import Parameters, default_parameters
from model.policy import MARKETS
from model.state import PRIVATE, RETIREE, RURAL_REGISTERED, Households, Persons

# Assumption M1: outside Kunshan but within China, demand splits 35% Shanghai, 25% Suzhou, 40% the
# rest of China; the share abroad is solved from customs exports, cluster by cluster (M2,
# export_propensity).
DOMESTIC_MARKET_SPLIT = np.array([0.35, 0.25, 0.40])
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
        super().__init__(
            "scenario parameters",
            None,
            f"values with which the end-2021 economy can be built; {level} (move {suspects} towards the default)",
        )


@dataclass
class Incomes:
    """Households' and villages' end-2021 incomes and the levels solved for them."""

    wage: np.ndarray  # firms' pay scales, yuan a month per worker
    rent_rate: float
    resident_share: float  # of domestic private dividends
    corp_tax: np.ndarray  # by firm
    village_income: np.ndarray
    disposable_income: np.ndarray  # by household
    deposits: np.ndarray  # by household
    pensions: np.ndarray  # by household
    transfers: np.ndarray  # by household
    gross_wages: float  # all persons, yuan a month
    rent_paid: np.ndarray = None  # by household: migrants' rent, yuan a month
    cash_income: np.ndarray = None  # by household: disposable income less rent paid (consumption is planned on it)


def solve_incomes(
    params: Parameters,
    persons: Persons,
    households: Households,
    draw,
    ownership: np.ndarray,
    start: FirmStart,
    t,
    hw: float,
) -> Incomes:
    """The wage level and rural earning power that give the survey's urban and rural incomes, the
    village rent rate that gives the collectives' income, and the residents' share of private
    dividends that gives property income: a fixed point, since wages, profits, dividends, rents
    and payouts depend on each other. Writes persons' skill and wage."""
    nc, nf = len(start.labour_per_output), len(draw.cluster)
    hh_group = households.group[: households.n]
    hh_rural = hh_group >= RURAL_REGISTERED
    pers_hh = persons.household[: persons.n]
    pers_rural = hh_rural[pers_hh]
    registered_person = np.isin(hh_group[pers_hh], (0, RURAL_REGISTERED))
    retirees = (persons.role[: persons.n] == RETIREE) & registered_person
    size = households.size[: households.n]
    urban_pop, rural_pop = size[~hh_rural].sum() * hw, size[hh_rural].sum() * hw
    target_urban = urban_pop * t.urban_income / 12.0 * t.run_rate
    target_rural = rural_pop * t.rural_income / 12.0 * t.run_rate
    net_share = 1.0 - params.personal_tax_rate - params.social_contribution_rate
    pensions_h = household_rules.sum_by_household(
        pers_hh, retirees * params.pension_per_retiree_yuan / 12.0, households.n
    )
    transfers_h = np.where(hh_rural, size * params.rural_transfer_per_person_yuan / 12.0, 0.0)

    total_income = target_urban + target_rural
    wealth = INITIAL_HOUSEHOLD_WEALTH_YEARS * 12.0 * total_income / (households.n * hw)
    deposits_h = wealth * households.equity[: households.n] ** 0.5 / np.mean(households.equity[: households.n] ** 0.5)
    interest_h = params.deposit_interest_rate / 12.0 * deposits_h

    # Property income beyond interest comes as dividends of domestic private firms; the wage bill
    # must leave firms enough profit to pay them (checked below).
    hh_village = households.village[: households.n]
    members = (
        np.bincount(np.where(hh_rural, hh_village, 0), weights=np.where(hh_rural, size, 0.0), minlength=t.villages) * hw
    )
    target_village = t.village_income_avg * 1e4 * t.villages / 12.0 * t.run_rate
    rural_firm, monthly_sales, employees = start.rural_firm, start.monthly_sales, start.employees
    rural_sales = np.sum(draw.weight * monthly_sales * rural_firm)
    village_of_firm = np.where(rural_firm, start.village, 0)
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
    # rent from migrants to registered landlords, and migrants' remittances (issue 14)
    migrant_h = (hh_group % 2 == 1) & (size > 0)
    rent_h = params.migrant_rent_yuan_month * size * migrant_h
    rent_total = rent_h.sum() * hw
    received_h = household_rules.share_out(
        rent_total, household_rules.rent_claims(size, hh_group, params.rural_landlord_weight), hw
    )
    rent_u, rent_r = received_h[~hh_rural].sum() * hw, received_h[hh_rural].sum() * hw
    pers_group = hh_group[pers_hh]
    skill_migrant_urban = np.bincount(index, weights=skill0 * (pers_group == 1), minlength=nc + 1)[1:] * hw
    skill_migrant_rural = np.bincount(index, weights=skill0 * (pers_group == 3), minlength=nc + 1)[1:] * hw
    # the survey counts the net imputed rent of owned dwellings as (property) income
    imputed_h = household_rules.imputed_rent(
        size, hh_group, params.housing_value_per_registered_person_yuan, params.imputed_rent_rate
    )
    imputed_total = imputed_h.sum() * hw
    other_fixed_u = (interest_h + pensions_h + transfers_h + imputed_h)[~hh_rural].sum() * hw
    other_fixed_r = (interest_h + pensions_h + transfers_h + imputed_h)[hh_rural].sum() * hw
    has_members = members > 0

    def distributions(wage: np.ndarray, rent_rate: float):
        """The initial month's corporate tax, village dividends and income, and private dividends
        (net of the villages' part) for a pay scale and rent rate: the firm side of the fixed point."""
        rent = rent_rate * monthly_sales * rural_firm
        surplus = start.va - wage * employees - params.vat_rate * start.va
        corp_tax, profit = firm_rules.profit_after_tax(
            surplus, rent, 0.0, start.depreciation, params.corporate_tax_rate
        )
        div = firm_rules.dividends(profit, params.dividend_payout, np.full(nf, np.inf))
        village_div = np.bincount(
            village_of_firm,
            weights=draw.weight * div * private * rural_firm * params.village_dividend_share,
            minlength=t.villages,
        )
        village_income = village_div + np.bincount(village_of_firm, weights=draw.weight * rent, minlength=t.villages)
        private_div = np.sum(draw.weight * div * private * np.where(rural_firm, 1 - params.village_dividend_share, 1))
        return corp_tax, village_div, village_income, private_div

    rural_skill, wage_level, rent_rate, resident_share = 1.0, 1.0, 0.0, np.nan
    for _ in range(200):  # fixed point: wages, profits, dividends, rents and payouts depend on each other
        wage = start.firm_pay * wage_level
        wage_bill_c = np.bincount(draw.cluster, weights=draw.weight * wage * employees, minlength=nc)
        denominator = np.maximum(skill_urban + rural_skill * skill_rural, 1e-300)
        rural_part = rural_skill * skill_rural / denominator
        remit_u = params.remittance_share * net_share * np.sum(wage_bill_c * skill_migrant_urban / denominator)
        remit_r = (
            params.remittance_share * net_share * np.sum(wage_bill_c * rural_skill * skill_migrant_rural / denominator)
        )
        net_r = net_share * np.sum(wage_bill_c * rural_part)
        net_u = net_share * np.sum(wage_bill_c) - net_r
        corp_tax, village_div, village_income, private_div = distributions(wage, rent_rate)
        rent_rate = (target_village - village_div.sum()) / rural_sales
        payouts = np.sum(params.village_payout_share * village_income * has_members)
        if not private_div > 0:
            break  # no dividends to own: refused just below
        resident_share = (
            PROPERTY_SHARE_OF_DISPOSABLE_INCOME * total_income - interest_h.sum() * hw - rent_total - imputed_total
        ) / private_div
        dividends = resident_share * private_div
        need_u = target_urban - other_fixed_u - dividends * (1.0 - equity_rural_share) - rent_u + remit_u
        need_r = target_rural - other_fixed_r - dividends * equity_rural_share - payouts - rent_r + remit_r
        wage_level *= need_u / net_u
        rural_skill *= (need_r / net_r) / (need_u / net_u)
        if abs(need_u / net_u - 1.0) < 1e-14 and abs(need_r / net_r - 1.0) < 1e-14:
            break
    if not private_div > 0 or rent_rate <= 0 or not 0 < resident_share <= 1 or rural_skill <= 0:
        raise InfeasibleParameters(
            "2021 incomes, property income and village income cannot all be met "
            f"(rent rate {rent_rate:.3g}, resident dividend share {resident_share:.3g}, rural earning power {rural_skill:.3g})",
            (
                "dividend_payout",
                "deposit_interest_rate",
                "pension_per_retiree_yuan",
                "rural_transfer_per_person_yuan",
                "depreciation_rate",
                "corporate_tax_rate",
                "vat_rate",
                "personal_tax_rate",
                "social_contribution_rate",
                "village_payout_share",
            ),
            params,
        )
    wage = start.firm_pay * wage_level
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
    di += received_h - household_rules.remittances(net_h, migrant_h, params.remittance_share)
    cash_income = di - rent_h
    di += imputed_h  # the survey's income: cash and the imputed rent of owned dwellings
    return Incomes(
        rent_paid=rent_h,
        cash_income=cash_income,
        wage=wage,
        rent_rate=rent_rate,
        resident_share=resident_share,
        corp_tax=corp_tax,
        village_income=village_income,
        disposable_income=di,
        deposits=deposits_h,
        pensions=pensions_h,
        transfers=transfers_h,
        gross_wages=wage_p.sum() * hw,
    )


@dataclass
class Budget:
    local_tax_share: float
    local_revenue: float  # yuan a month
    contributions: float
    remitted: float  # taxes going to higher levels
    transfers_in: float  # from higher levels
    spending: float  # public purchases: consumption and investment
    consumption: float
    investment: float


def solve_budget(params: Parameters, draw, start: FirmStart, incomes: Incomes, t, hw: float) -> Budget:
    """The local share of taxes that gives 2021's public budget revenue, and the purchases the
    revenue pays for after pensions and transfers."""
    gross_wages = incomes.gross_wages
    vat_total = params.vat_rate * np.sum(draw.weight * start.va)
    pit_total = params.personal_tax_rate * gross_wages
    contributions = params.social_contribution_rate * gross_wages
    corp_total = np.sum(draw.weight * incomes.corp_tax)
    if vat_total + pit_total + corp_total <= 0:
        raise InfeasibleParameters(
            "no tax raises anything, so no budget can match the 2021 public revenue",
            ("vat_rate", "personal_tax_rate", "corporate_tax_rate"),
            params,
        )
    # Kunshan keeps λ of the local (non-central) part of each tax (model.agents.budget.kunshan_share):
    # λ solved so that 2021's budget revenue comes out; higher levels return a share of the rest.
    local_part = (
        (1.0 - params.central_share_vat) * vat_total
        + (1.0 - params.central_share_personal_tax) * pit_total
        + (1.0 - params.central_share_corporate_tax) * corp_total
    )
    if local_part <= 0:
        raise InfeasibleParameters(
            "the central budget takes every tax, so no budget can match the 2021 public revenue",
            ("central_share_vat", "central_share_personal_tax", "central_share_corporate_tax"),
            params,
        )
    local_tax_share = t.public_budget_revenue * 1e8 / 12.0 * t.run_rate / local_part
    local_revenue = local_tax_share * local_part
    remitted = vat_total + pit_total + corp_total - local_revenue
    transfers_in = params.higher_level_transfer_of_remitted * remitted
    spending = (
        params.government_spending_ratio * (local_revenue + contributions + transfers_in)
        - incomes.pensions.sum() * hw
        - incomes.transfers.sum() * hw
    )
    if spending <= 0:
        raise InfeasibleParameters(
            "pensions and transfers exceed the 2021 public revenue",
            (
                "pension_per_retiree_yuan",
                "rural_transfer_per_person_yuan",
                "government_spending_ratio",
                "social_contribution_rate",
            ),
            params,
        )
    return Budget(
        local_tax_share=local_tax_share,
        local_revenue=local_revenue,
        contributions=contributions,
        remitted=remitted,
        transfers_in=transfers_in,
        spending=spending,
        consumption=(1.0 - params.public_investment_share) * spending,
        investment=params.public_investment_share * spending,
    )


@dataclass
class Demand:
    """The initial month's orders and the outside demand that closes each cluster's output."""

    consumption: np.ndarray  # by household, ordered for January
    investment: np.ndarray  # by firm
    rd: np.ndarray  # by firm
    village_investment: float
    mixes: np.ndarray
    import_share: np.ndarray
    local_input: np.ndarray
    output_c: np.ndarray
    external_real: np.ndarray  # (market, cluster)
    import_abroad_share: float


def export_propensity(table, services_weight: float) -> np.ndarray:
    """How readily each cluster sells abroad, per yuan of its sales outside Kunshan (assumption M2):
    its foreign-invested share of output (Kunshan's exports are made mostly by foreign-invested
    firms, the processing trade) times its tradability, 1 in industry, ``services_weight`` in
    services and 0 in construction and agriculture (built or grown where they are sold).

        e_c = f_c tau_c"""
    tradable = np.array([{"industry": 1.0, "services": services_weight}.get(s, 0.0) for s in table.sector])
    return table.foreign_share * tradable


def export_shares(external: np.ndarray, propensity: np.ndarray, exports: float) -> np.ndarray:
    """Share of each cluster's outside sales that goes abroad, w_c = min(1, lambda e_c), with the one
    lambda at which they add up to customs exports, sum_c w_c X_c = exports (bisection: the sum
    rises with lambda, from 0 to what could go abroad at most)."""
    most = float(np.sum(external[propensity > 0]))
    if not 0.0 < exports < most:
        raise InfeasibleParameters(
            "customs exports must be less than the outside sales of the clusters that export",
            ("services_export_weight", "import_share_final_demand"),
        )
    low, high = 0.0, 1.0 / float(propensity[propensity > 0].min())
    for _ in range(200):  # the sum is continuous and increasing: 200 halvings reach the last bit
        mid = 0.5 * (low + high)
        if np.sum(np.minimum(1.0, mid * propensity) * external) < exports:
            low = mid
        else:
            high = mid
    return np.minimum(1.0, high * propensity)


def solve_outside_demand(
    params: Parameters,
    draw,
    start: FirmStart,
    incomes: Incomes,
    budget: Budget,
    t,
    table,
    hw: float,
    project_orders: float = 0.0,
) -> Demand:
    """The initial month's orders of every local buyer, then the demand from outside that gives
    each cluster its 2021 output, split by market so customs exports and imports match.
    ``project_orders``: December's tranches of the major projects under way (model.init.projects),
    capital goods bought in January like the firms' own orders."""
    nf = len(draw.cluster)
    consumption_h = household_rules.consumption_plan(
        incomes.cash_income,
        incomes.deposits,
        params.consumption_propensity_income,
        params.consumption_propensity_wealth,
    )
    # Replace wear and grow with demand (the orders firm_rules.investment_order gives on a trend path).
    investment = firm_rules.investment_order(
        start.capital,
        start.monthly_sales,
        np.full(nf, params.export_demand_growth / 12.0),
        table.capital_output[draw.cluster],
        params.depreciation_rate,
        params.capital_adjustment_monthly,
        1.0,
        np.zeros(nf),
        np.ones(nf),
        np.zeros(nf),
    )
    rd = table.rd_intensity[draw.cluster] * start.monthly_sales
    village_investment = (1.0 - params.village_payout_share) * incomes.village_income.sum()
    mixes = final_mixes(table)
    spending_by_buyer = np.array(
        [
            consumption_h.sum() * hw,
            budget.consumption,
            np.sum(draw.weight * investment) + project_orders,
            np.sum(draw.weight * rd),
            budget.investment + village_investment,
        ]
    )
    import_share = np.array(
        [
            params.import_share_final_demand,
            FINAL_IMPORT_SHARE["government"],
            FINAL_IMPORT_SHARE["firm_investment"],
            FINAL_IMPORT_SHARE["rd"],
            FINAL_IMPORT_SHARE["public_investment"],
        ]
    )
    local_input = local_input_coefficients(table)
    output_c = t.cluster_output * 1e8 / 12.0 * t.run_rate
    local_c = goods.local_demand(spending_by_buyer, import_share, mixes) + goods.intermediate_demand(
        local_input, output_c
    )
    external_c = output_c - local_c
    if np.any(external_c <= 0):
        bad = [table.ids[i] for i in np.flatnonzero(external_c <= 0)]
        raise InfeasibleParameters(
            f"local buyers would demand more than the 2021 output of {', '.join(bad)}",
            (
                "import_share_final_demand",
                "consumption_propensity_income",
                "consumption_propensity_wealth",
                "capital_adjustment_monthly",
                "depreciation_rate",
                "government_spending_ratio",
                "public_investment_share",
                "village_payout_share",
            ),
            params,
        )
    imports_total = (
        (spending_by_buyer * import_share).sum()
        + np.sum(draw.weight * start.intermediate)
        - matvec(local_input, output_c).sum()
    )
    fx = t.exchange_rate  # the origin year's CNY per USD
    exports = t.exports_usd * 1e8 * fx / 12.0 * t.run_rate
    abroad = export_shares(external_c, export_propensity(table, params.services_export_weight), exports)
    market_split = np.vstack([(1.0 - abroad)[None, :] * DOMESTIC_MARKET_SPLIT[:, None], abroad[None, :]])
    assert len(MARKETS) == len(market_split)
    return Demand(
        consumption=consumption_h,
        investment=investment,
        rd=rd,
        village_investment=village_investment,
        mixes=mixes,
        import_share=import_share,
        local_input=local_input,
        output_c=output_c,
        external_real=market_split * external_c[None, :],
        import_abroad_share=t.imports_usd * 1e8 * fx / 12.0 * t.run_rate / imports_total,
    )
