"""The actions of a month: each reads the state, calls pure kernels, and writes the result back.

Every payment moves money from one sector's balance to another's in the same action, and is
recorded in ``state.flows`` for the accounts. Nothing here loops over firms or households.
"""

from __future__ import annotations

import numpy as np

from model.arrays import bernoulli_rows, lanes, sparse_draws, sum_by, wsum

from model.agents import firms as firm_rules
from model.agents import government as government_rules
from model.agents import households as household_rules
from model.agents import villages as village_rules
from model.clusters import cluster_table
from model.init import LOAN_SPREAD, VILLAGE_DIVIDEND_SHARE
from model.init.firms import PRODUCTIVITY_DISPERSION, TAIWAN_SHARE_OF_FOREIGN
from model.init.io_table import FINAL_IMPORT_SHARE
from model.init.population import GROUP_SKILL, SKILL_DISPERSION
from model.markets import goods, labour
from model.params import Parameters
from model.policy import MARKETS, MonthPolicy
from model.state import (CHILD, LABOUR_FORCE, OTHER_FOREIGN, OWNERSHIP, PRIVATE, RETIREE, RURAL_MIGRANT,
                         RURAL_REGISTERED, STATE_OWNED, TAIWAN, UNEMPLOYED, URBAN_MIGRANT, URBAN_REGISTERED, State,
                         refresh_running_totals)
from model.streams import RandomStreams

TABLE = cluster_table()
NC = TABLE.n
SHANGHAI, WORLD = MARKETS.index("shanghai"), MARKETS.index("world")
CREDIT_LIMIT_OF_CAPITAL = 0.6  # firms stop investing when their debt passes this share of capital
INSOLVENCY_OF_CAPITAL = 0.9  # and exit when it passes this share plus six months of sales
MIGRANT_DEPENDANT_PROBABILITY = 0.3  # an arriving migrant worker brings a dependant
MIGRANT_SAVINGS_MONTHS = 2.0  # savings a migrant brings, in months of the cluster's average wage
RURAL_MIGRANT_SHARE_OF_ARRIVALS = 0.1
CHAIN_LEADER_REVENUE = 100e8  # yuan a year: chain-leader firms
CHAIN_SUPPLIER_PULL = 0.3  # extra cluster demand per unit of chain-leader support
SHANGHAI_TECH_SPILLOVER = 0.02  # extra productivity growth a year per unit of integration
EXPECTATION_WEIGHT = 0.1
MAX_EXPECTED_GROWTH = 0.02  # a month
RD_DEPRECIATION = 0.15  # a year


def _live(s: State):
    """(rows in use, cluster of each row, weight of each row where alive, else 0), cached until the
    firm rows change (entry changes n; exit zeroes the weights of the firms that left; the yearly
    compaction clears the cache). The clusters are held as a native index (intp): every gather by
    cluster would otherwise convert them first."""
    f = s.firms
    cached = getattr(f, "live_cache", None)
    if cached is not None and cached[0] == f.n:
        return cached
    n = f.n
    f.live_cache = (n, f.cluster[:n].astype(np.intp), f.weight[:n] * f.alive[:n])
    f.lanes_cache = None
    return f.live_cache


def _lanes(s: State) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum indexes (model.arrays.lanes) of the firm rows by cluster, by village (bin 0: none) and by
    ownership, made when first needed after the rows change."""
    _live(s)
    f = s.firms
    if f.lanes_cache is None:
        n = f.n
        f.lanes_cache = (lanes(f.cluster[:n]), lanes(f.village[:n], shift=1), lanes(f.ownership[:n]))
    return f.lanes_cache


def _by_cluster(s: State, values: np.ndarray) -> np.ndarray:
    """Sum over the firm rows of each cluster."""
    return sum_by(_lanes(s)[0], values, NC)


def _by_village(s: State, values: np.ndarray) -> np.ndarray:
    """Sum over the firm rows on each village's land (firms off village land are left out)."""
    return sum_by(_lanes(s)[1], values, s.economy.villages + 1)[1:]


def update_external_environment(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """World prices drift with inflation; demand from outside follows a common random walk around
    its trend, with smaller cluster-specific shocks; relocation moves demand and capacity away."""
    e = s.economy
    e.world_price *= 1.0 + p.producer_inflation / 12.0
    sigma = p.export_demand_volatility / np.sqrt(12.0)
    common = sigma * draws.environment.normal()
    by_cluster = 0.5 * sigma * draws.environment.normal(size=NC)
    real_growth = (p.export_demand_growth - p.producer_inflation) / 12.0
    e.external_demand *= np.exp(real_growth - 0.5 * sigma**2 * 1.25 + common + by_cluster)[None, :]
    e.external_demand *= (1.0 - pol.relocation)[None, :]
    e.capacity_lost = 1.0 - (1.0 - e.capacity_lost) * (1.0 - pol.relocation)


def form_expectations(s: State, p: Parameters) -> None:
    """Firms expect this month's sales from last month's and their cluster's recent growth."""
    n, c, _ = _live(s)
    f = s.firms
    f.expected_sales[:n] = firm_rules.expected_sales(f.sales[:n], s.economy.expected_growth[c], p.expectation_smoothing,
                                                     f.expected_sales[:n])


def plan_production(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Planned output and the workers it needs; relocation removes part of a cluster's capital.
    Capacity is kept for ``produce`` (capital and prices do not change in between)."""
    n, c, _ = _live(s)
    f, e = s.firms, s.economy
    f.capital[:n] *= (1.0 - pol.relocation)[c]
    price = _effective_price(s, pol)
    cap = firm_rules.capacity(f.capital[:n], TABLE.capital_output[c], price[c], p.capacity_utilisation_target)
    s.flows["capacity_by_firm"] = cap
    f.planned_output[:n] = firm_rules.plan_output(f.expected_sales[:n], f.inventory[:n], p.inventory_target_months,
                                                  p.inventory_adjustment_monthly, cap) * f.alive[:n]
    f.labour_demand[:n] = firm_rules.labour_demand(f.planned_output[:n], price[c], e.labour_per_output[c],
                                                   f.productivity[:n], f.employees[:n],
                                                   p.labour_shedding_monthly) * f.alive[:n]


def clear_labour_market(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Layoffs and quits, matching of seekers to vacancies, migrants where labour is short, and
    departures of migrants without work; firms then employ what their cluster's market gives them."""
    f, ps, hs, e = s.firms, s.persons, s.households, s.economy
    n, c, w = _live(s)
    hw = e.household_weight
    m = ps.n
    ec = ps.employer_cluster[:m]
    demand = _by_cluster(s, w * f.labour_demand[:n])
    s.flows["average_wage"] = _average_wage(s)
    skill = ps.skill[:m]
    probability = labour.separation_probability(e.employed_by_cluster * hw, demand, p.quit_rate_monthly)
    leavers = labour.separations(ec, probability, *labour.separation_draws(m, float(probability.max()), draws.separations))
    left = ec[leavers]
    e.employed_by_cluster -= np.bincount(left, minlength=NC)
    e.skill_by_cluster -= np.bincount(left, weights=skill[leavers], minlength=NC)
    ec[leavers] = UNEMPLOYED
    one = hs.workers.dtype.type(1)  # ufunc.at takes its fast path when no value needs a cast
    np.subtract.at(hs.workers, ps.household[leavers], one)
    employed = e.employed_by_cluster * hw
    vacancies = np.maximum(demand - employed, 0.0)
    seekers = np.flatnonzero((ec == UNEMPLOYED) & (ps.role[:m] == LABOUR_FORCE))
    n_seekers = len(seekers) * hw
    matched = labour.hires(n_seekers, vacancies, p.matching_efficiency)
    hired_cluster = labour.assign_clusters(matched / n_seekers if n_seekers > 0 else 0.0, vacancies,
                                           draws.matching.random(len(seekers)), draws.matching.random(len(seekers)))
    is_hired = hired_cluster != UNEMPLOYED
    hired, joined = seekers[is_hired], hired_cluster[is_hired]
    ec[hired] = joined
    e.employed_by_cluster += np.bincount(joined, minlength=NC)
    e.skill_by_cluster += np.bincount(joined, weights=skill[hired], minlength=NC)
    np.add.at(hs.workers, ps.household[hired], one)
    employed = e.employed_by_cluster * hw
    unfilled = np.maximum(demand - employed, 0.0)
    arrivals = p.migration_response * (1.0 + pol.talent_attraction) * unfilled
    _arrive_migrants(s, arrivals, draws.arrivals)
    _depart_migrants(s, p, draws.departures)
    _settle_and_grow(s, p, draws.settlement)
    employed = e.employed_by_cluster * hw
    f.employees[:n] = labour.ration_employment(f.labour_demand[:n] * f.alive[:n], c, f.weight[:n], employed, NC,
                                               demand)  # the same sums as demand_total
    fl = s.flows
    fl["vacancy_rate"] = np.where(demand > 0, unfilled / np.where(demand > 0, demand, 1.0), 0.0)
    fl["migrant_arrivals"] = float(arrivals.sum())
    fl["employed"] = float(employed.sum())
    fl["job_seekers"] = float(n_seekers - len(hired) * hw)


def _arrive_migrants(s: State, arrivals_by_cluster: np.ndarray, rng: np.random.Generator) -> None:
    """New migrant workers, each in a new household (some with a dependant), hired on arrival.
    Their savings come with them from outside Kunshan."""
    e, hs, ps = s.economy, s.households, s.persons
    k_by_cluster = rng.poisson(arrivals_by_cluster / e.household_weight)
    k = int(k_by_cluster.sum())
    if k == 0:
        return
    cluster = np.repeat(np.arange(NC, dtype=np.int16), k_by_cluster)
    rural = rng.random(k) < RURAL_MIGRANT_SHARE_OF_ARRIVALS
    dependant = rng.random(k) < MIGRANT_DEPENDANT_PROBABILITY
    skill_draw = rng.normal(-0.5 * SKILL_DISPERSION**2, SKILL_DISPERSION, k)
    village = rng.integers(0, e.villages, k)
    group = np.where(rural, RURAL_MIGRANT, URBAN_MIGRANT).astype(np.int8)
    avg_wage = s.flows["average_wage"]
    savings = MIGRANT_SAVINGS_MONTHS * avg_wage[cluster]

    rows = hs.reserve(k)
    hs.group[rows] = group
    hs.village[rows] = np.where(rural, village, -1)
    hs.size[rows] = 1 + dependant
    hs.deposits[rows] = savings
    hs.zero(rows, "equity", "disposable_income", "income_year", "income_last_year")
    hs.expected_income[rows] = 0.7 * avg_wage[cluster]
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
    ps.household[workers] = household_ids
    ps.household[dependants] = household_ids[dependant]
    ps.role[workers] = LABOUR_FORCE
    ps.role[dependants] = CHILD
    ps.employer_cluster[workers] = cluster
    ps.employer_cluster[dependants] = UNEMPLOYED
    ps.skill[workers] = skill
    ps.skill[dependants] = 0.0
    ps.wage[prow] = 0.0
    ps.alive[prow] = True
    e.employed_by_cluster += k_by_cluster
    e.skill_by_cluster += np.bincount(cluster, weights=skill, minlength=NC)
    e.village_members += np.bincount(village[rural], weights=1.0 + dependant[rural], minlength=e.villages)


def _average_wage(s: State) -> np.ndarray:
    """Average monthly pay per worker by cluster (the plain mean of pay scales where nobody works)."""
    f = s.firms
    n, c, w = _live(s)
    wage, employees = f.wage[:n], f.employees[:n]
    weighted = w * wage
    weighted *= employees
    bill = _by_cluster(s, weighted)
    np.multiply(w, employees, out=weighted)
    workers = _by_cluster(s, weighted)
    if (workers > 0).all():
        return bill / workers
    plain = np.bincount(c, weights=wage, minlength=NC) / np.maximum(np.bincount(c, minlength=NC), 1)
    return np.where(workers > 0, bill / np.where(workers > 0, workers, 1.0), plain)


def _depart_migrants(s: State, p: Parameters, rng: np.random.Generator) -> None:
    """Migrant households with nobody in work leave at a monthly rate, taking their savings."""
    hs, ps, e = s.households, s.persons, s.economy
    m, nh = ps.n, hs.n
    drawn = bernoulli_rows(rng, nh, p.migrant_departure_rate)  # each household's chance, drawn sparsely
    leaving = drawn[(hs.workers[drawn] == 0) & (hs.group[drawn] % 2 == 1) & hs.alive[drawn]]  # migrant groups are odd
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


def _settle_and_grow(s: State, p: Parameters, rng: np.random.Generator) -> None:
    """Migrants settle as registered residents (hukou), and registered households have children.

    Both sample random rows and keep the eligible ones, which gives each eligible household its
    chance without scanning the population: a household slot settles with the monthly rate; a
    birth lands in the household of a random person, if registered (so in proportion to size)."""
    hs, ps = s.households, s.persons
    nh, m = hs.n, ps.n
    group = hs.group
    slots = rng.integers(0, nh, rng.binomial(nh, p.hukou_conversion_rate / 12.0))
    settling = slots[(group[slots] % 2 == 1) & hs.alive[slots]]
    # a row drawn twice still settles once (the indexed decrement writes each row once)
    group[settling] -= 1  # URBAN_MIGRANT -> URBAN_REGISTERED, RURAL_MIGRANT -> RURAL_REGISTERED
    picked = ps.household[rng.integers(0, m, rng.poisson(max(p.natural_population_growth, 0.0) / 12.0 * m))]
    parents = picked[(group[picked] % 2 == 0) & hs.alive[picked]]
    births = len(parents)
    if births == 0:
        return
    rows = ps.reserve(births)
    ps.household[rows] = parents
    ps.role[rows] = CHILD
    ps.employer_cluster[rows] = UNEMPLOYED
    ps.skill[rows] = 0.0
    ps.wage[rows] = 0.0
    ps.alive[rows] = True
    np.add.at(hs.size, parents, 1.0)
    in_village = hs.village[parents] >= 0
    s.economy.village_members += np.bincount(hs.village[parents][in_village], minlength=s.economy.villages)


def produce(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Output from the workers and capital firms have; a lockdown loses a share of it."""
    n, c, _ = _live(s)
    f, e = s.firms, s.economy
    price = _effective_price(s, pol)
    cap = s.flows.pop("capacity_by_firm", None)  # from plan_production
    if cap is None or len(cap) != n:
        cap = firm_rules.capacity(f.capital[:n], TABLE.capital_output[c], price[c], p.capacity_utilisation_target)
    f.output[:n] = firm_rules.produce(f.planned_output[:n], f.employees[:n], price[c], e.labour_per_output[c],
                                      f.productivity[:n], cap, pol.lockdown) * f.alive[:n]


def _effective_price(s: State, pol: MonthPolicy) -> np.ndarray:
    """Kunshan's producer prices this month, with price and price-level shocks in force."""
    return s.economy.price * (1.0 + pol.price) * (1.0 + pol.price_level)


def _effective_world_price(s: State, pol: MonthPolicy) -> np.ndarray:
    """Competitors' prices this month: a price-level shock moves them with Kunshan's."""
    return s.economy.world_price * (1.0 + pol.price_level)


def _investment_price(s: State, pol: MonthPolicy) -> float:
    """Price of capital goods: the local purchase mix of firm investment (final buyer 2)."""
    mix = s.economy.final_buyer_mix[2]
    return wsum(mix, _effective_price(s, pol))


def sell(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """The goods market: every buyer's orders meet the firms' output and stocks; buyers pay for what
    local firms deliver and import the rest; capital goods and R&D ordered last month arrive."""
    f, e, hs, sec = s.firms, s.economy, s.households, s.sectors
    n, c, w = _live(s)
    hw = e.household_weight
    price = _effective_price(s, pol)
    output_by_cluster = _by_cluster(s, w * f.output[:n])
    ext = goods.external_demand(e.external_demand, pol.export_demand, price, _effective_world_price(s, pol),
                                p.export_price_elasticity,
                                pol.cluster_subsidy * TABLE.va_ratio)
    ext[SHANGHAI] *= 1.0 + pol.shanghai_integration
    ext *= (1.0 + CHAIN_SUPPLIER_PULL * pol.chain_leader_support)[None, :]
    ext[WORLD] *= 1.0 + 0.1 * pol.taiwan_cooperation  # Taiwan-linked export orders
    external_c = ext.sum(axis=0)

    orders = s.flows.pop("consumption_orders")
    consumption_h = np.zeros(hs.n)
    consumption_h[: len(orders)] = orders[: hs.n]  # households that arrived this month ordered nothing yet
    consumption_h *= hs.alive[: hs.n]
    firm_investment = f.investment_order[:n] * f.alive[:n]
    rd = f.rd_order[:n] * f.alive[:n]
    village_investment = e.village_investment_order
    household_consumption = consumption_h.sum() * hw
    spending = np.array([household_consumption, e.government_spending_order, wsum(w, firm_investment),
                         wsum(w, rd), e.public_investment_order + village_investment])
    import_share = e.final_import_share
    intermediate = (1.0 - TABLE.va_ratio)[c] * f.output[:n]
    local_final = goods.local_demand(spending, import_share, e.final_buyer_mix)
    local_intermediate = goods.intermediate_demand(e.local_input, output_by_cluster)
    demand = external_c + local_final + local_intermediate
    leader = (f.revenue_last_year[:n] >= CHAIN_LEADER_REVENUE)
    share = f.demand_share[:n] * (1.0 + pol.chain_leader_support[c] * leader) * f.alive[:n]
    available = f.output[:n] + f.inventory[:n]
    sales, fill = goods.allocate_sales(demand, c, share, available, w, NC, _lanes(s)[0])
    f.sales[:n] = sales
    stocked = f.output[:n] - sales
    f.inventory[:n] = available - sales  # what is left (sales <= available: never below zero)

    # Payments: every buyer pays its orders in full; local firms receive their sales, the rest
    # leaves Kunshan as imports; buyers outside pay for the exports they get.
    exports_sold = wsum(fill, external_c)
    local_sold = wsum(fill, local_final + local_intermediate)
    intermediate_total = wsum(w, intermediate)
    total_local_spending = spending.sum() + intermediate_total
    imports = total_local_spending - local_sold
    hs.deposits[: hs.n] -= consumption_h
    sec.government -= e.government_spending_order + e.public_investment_order
    s.villages.deposits -= village_investment * _village_investment_split(s)
    f.deposits[:n] += sales - firm_investment - rd - intermediate
    sec.rest_of_world += imports - exports_sold

    # Deliveries of capital goods (at 2021 prices) and R&D.
    f.capital[:n] += firm_investment / _investment_price(s, pol)
    f.rd_stock[:n] = f.rd_stock[:n] * (1.0 - RD_DEPRECIATION / 12.0) + rd

    e.expected_growth = np.clip((1.0 - EXPECTATION_WEIGHT) * e.expected_growth + EXPECTATION_WEIGHT * (
        demand / np.where(e.last_demand > 0, e.last_demand, 1.0) - 1.0), -MAX_EXPECTED_GROWTH, MAX_EXPECTED_GROWTH)
    e.last_demand = demand
    fl = s.flows
    fl["output"] = wsum(w, f.output[:n])
    fl["intermediate"] = intermediate_total
    fl["intermediate_by_firm"] = intermediate
    fl["output_by_cluster"] = output_by_cluster
    fl["real_value_added_by_cluster"] = _by_cluster(s, w * (f.output[:n] - intermediate)) / price
    fl["household_consumption"] = float(household_consumption)
    fl["government_consumption"] = float(e.government_spending_order)
    fl["investment"] = float(spending[2] + spending[3] + spending[4])
    fl["inventory_change"] = wsum(w, stocked)
    fl["exports_sold"] = exports_sold
    fl["exports_abroad"] = wsum(fill, ext[WORLD])
    fl["imports"] = float(imports)
    fl["imports_abroad"] = float(imports * e.import_abroad_share)
    fl["rd_spending"] = float(spending[3])
    fl["demand_by_cluster"] = demand
    fl["excess_demand"] = np.where(output_by_cluster > 0, demand / np.where(output_by_cluster > 0, output_by_cluster, 1.0) - 1.0, 0.0)


def _village_investment_split(s: State) -> np.ndarray:
    """Each village's part of the collectives' investment order (in proportion to their retained income)."""
    share = s.flows.get("village_investment_split")
    if share is None:
        share = np.full(s.economy.villages, 1.0 / s.economy.villages)
    return share


def pay_wages_and_production_taxes(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Firms pay wages (shared among each cluster's workers by skill), taxes on production net of
    subsidies, and rent to the village collectives whose land they use."""
    f, ps, e, sec, v = s.firms, s.persons, s.economy, s.sectors, s.villages
    n, c, w = _live(s)
    hw = e.household_weight
    wage_bill = f.wage[:n] * f.employees[:n] * f.alive[:n]
    wage_bill_c = _by_cluster(s, w * wage_bill)
    m = ps.n
    ps.wage[:m] = labour.distribute_wages(wage_bill_c, ps.employer_cluster[:m], ps.skill[:m], hw, NC,
                                          e.skill_by_cluster)
    value_added = f.output[:n] - s.flows["intermediate_by_firm"]
    vat = p.vat_rate * value_added
    subsidy = pol.cluster_subsidy[c] * np.maximum(value_added, 0.0)
    on_village_land = f.village[:n] >= 0
    rent = e.village_rent_rate * f.sales[:n] * on_village_land
    f.deposits[:n] -= wage_bill + vat - subsidy + rent
    vat_total, subsidy_total = wsum(w, vat), wsum(w, subsidy)
    local, higher = government_rules.split_tax(vat_total, e.local_tax_share)
    sec.government += local - subsidy_total
    sec.higher_government += higher
    village_rent = _by_village(s, w * rent)
    v.deposits += village_rent
    v.income = village_rent.copy()
    fl = s.flows
    fl["wage_bill_by_firm"], fl["vat_by_firm"], fl["subsidy_by_firm"], fl["rent_by_firm"] = wage_bill, vat, subsidy, rent
    fl["wages_paid"] = wsum(w, wage_bill)
    fl["wages_received"] = float(ps.wage[:m].sum() * hw)
    fl["production_taxes"], fl["production_subsidies"] = vat_total, subsidy_total
    fl["local_taxes"] = local
    fl["value_added"] = wsum(w, value_added)


def distribute_profits(s: State, p: Parameters) -> None:
    """Interest on credit, corporate tax, and dividends: to resident households, village collectives,
    the state, owners elsewhere in China, and foreign owners abroad (profit outflow)."""
    f, e, sec, v = s.firms, s.economy, s.sectors, s.villages
    n, c, w = _live(s)
    fl = s.flows
    interest = np.negative(f.deposits[:n])  # on debt: negative deposits
    np.maximum(interest, 0.0, out=interest)
    interest *= (p.deposit_interest_rate + LOAN_SPREAD) / 12.0
    surplus = firm_rules.operating_surplus(f.output[:n], fl["intermediate_by_firm"], fl["wage_bill_by_firm"],
                                           fl["vat_by_firm"], fl["subsidy_by_firm"])
    depreciation = p.depreciation_rate / 12.0 * f.capital[:n] * e.price[c]
    corp_tax, profit = firm_rules.profit_after_tax(surplus, fl["rent_by_firm"], interest, depreciation,
                                                   p.corporate_tax_rate)
    f.deposits[:n] -= interest + corp_tax
    div = firm_rules.dividends(profit, p.dividend_payout, f.deposits[:n]) * f.alive[:n]
    f.deposits[:n] -= div
    wd = w * div
    by_owner = sum_by(_lanes(s)[2], wd, len(OWNERSHIP))
    # private firms on village land pay a share of their dividends to the village collective
    wd *= f.ownership[:n] == PRIVATE
    wd *= VILLAGE_DIVIDEND_SHARE
    to_villages = _by_village(s, wd)
    private_rest = float(by_owner[PRIVATE] - to_villages.sum())
    to_residents = e.resident_dividend_share * private_rest
    to_state = float(by_owner[STATE_OWNED])
    foreign = float(by_owner[TAIWAN] + by_owner[OTHER_FOREIGN])
    corp_total, interest_total = wsum(w, corp_tax), wsum(w, interest)
    local, higher = government_rules.split_tax(corp_total, e.local_tax_share)
    sec.government += local + to_state
    sec.higher_government += higher
    sec.bank += interest_total
    sec.rest_of_world += foreign + (private_rest - to_residents)
    v.deposits += to_villages
    v.income += to_villages
    fl["operating_surplus"] = wsum(w, surplus)
    fl["dividends_to_residents"] = to_residents
    fl["profit_outflow"] = foreign
    fl["local_taxes"] += local
    fl["corporate_tax"] = corp_total


def pay_household_incomes(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Households receive net wages, dividends, interest, pensions, transfers and village payouts;
    personal taxes and contributions go to the budgets; villages get public support.

    Households that left have size, equity and deposits of zero, so they receive nothing."""
    hs, ps, e, v = s.households, s.persons, s.economy, s.villages
    hw = e.household_weight
    nh, m = hs.n, ps.n
    gross = household_rules.sum_by_household(ps.household[:m], ps.wage[:m], nh)
    gross_total = float(gross.sum() * hw)
    pit_total, contributions_total = p.personal_tax_rate * gross_total, p.social_contribution_rate * gross_total
    net_wages = gross  # in place: the gross sums are not needed again
    net_wages *= 1.0 - p.personal_tax_rate - p.social_contribution_rate
    dividends = household_rules.share_out(s.flows["dividends_to_residents"], hs.equity[:nh], hw)
    interest = np.maximum(hs.deposits[:nh], 0.0)
    interest *= p.deposit_interest_rate / 12.0
    group = hs.group[:nh].astype(np.intp)  # gathers by a native index are faster
    pension_by_group = np.array([1.0, 0.0, 1.0, 0.0]) * p.pension_per_retiree_yuan / 12.0  # registered only
    transfer_by_group = (household_rules.transfer_per_person_by_group(pol.rural_transfer)
                         + np.array([0.0, 0.0, 1.0, 1.0]) * p.rural_transfer_per_person_yuan) / 12.0
    pensions = pension_by_group.take(group)
    pensions *= hs.retirees[:nh]
    transfers = transfer_by_group.take(group)
    transfers *= hs.size[:nh]
    support = pol.village_collective_support * 1e4 / 12.0
    v.deposits += support
    v.income += support
    village = hs.village[:nh]
    members = e.village_members * hw
    paid = village_rules.paid_out(v.income, p.village_payout_share, members)
    payouts = village_rules.payouts_to_members(paid, members, village, hs.size[:nh])
    v.deposits -= paid
    income = household_rules.disposable_income(net_wages, dividends, interest, pensions, transfers, payouts)
    hs.deposits[:nh] += income
    hs.disposable_income[:nh] = income
    hs.income_year[:nh] += income
    v.income_year += v.income

    book_household_payments(s, p, pit_total, contributions_total, float(interest.sum() * hw),
                            float(pensions.sum() * hw), float(transfers.sum() * hw), float(support * e.villages),
                            float(income.sum() * hw))


def book_household_payments(s: State, p: Parameters, pit_total: float, contributions_total: float,
                            interest_total: float, pensions_total: float, transfers_total: float,
                            support_total: float, income_total: float) -> None:
    """The sectors' side of the month's household incomes (totals in yuan, all households): the
    budgets collect personal tax and contributions and pay pensions, transfers and village support;
    the bank pays interest; villages keep what they did not pay out. Shared with the per-agent
    reference, which sums the same totals agent by agent."""
    e, sec, v, fl = s.economy, s.sectors, s.villages, s.flows
    local, higher = government_rules.split_tax(pit_total, e.local_tax_share)
    sec.government += local + contributions_total - pensions_total - transfers_total - support_total
    sec.higher_government += higher
    sec.bank -= interest_total
    fl["local_taxes"] += local
    fl["social_contributions"] = contributions_total
    fl["government_commitments"] = pensions_total + transfers_total + support_total + fl["production_subsidies"]
    fl["household_disposable_income"] = income_total
    retained = (1.0 - p.village_payout_share) * v.income
    fl["village_investment_split"] = retained / retained.sum() if retained.sum() > 0 else None
    fl["village_retained"] = float(retained.sum())


def consume_and_save(s: State, p: Parameters) -> None:
    """Households update their expected income and order next month's consumption; the rest of
    their income is saved as deposits."""
    hs = s.households
    nh = hs.n
    hs.expected_income[:nh] = household_rules.smooth(hs.expected_income[:nh], hs.disposable_income[:nh], 0.3)
    orders = household_rules.consumption_plan(hs.expected_income[:nh], hs.deposits[:nh],
                                              p.consumption_propensity_income, p.consumption_propensity_wealth)
    orders *= hs.size[:nh] > 0
    s.flows["consumption_orders"] = orders


def plan_public_spending(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """The budget orders next month's public consumption and investment from smoothed revenue, after
    pensions, transfers and subsidies; policy levers add spending financed by borrowing."""
    e, fl = s.economy, s.flows
    revenue = fl["local_taxes"] + fl["social_contributions"]
    e.government_revenue_smoothed = 0.9 * e.government_revenue_smoothed + 0.1 * revenue
    budget = government_rules.spending_budget(e.government_revenue_smoothed, p.government_spending_ratio,
                                              fl["government_commitments"])
    gdp_month = fl["value_added"]
    e.government_spending_order = (1.0 - p.public_investment_share) * budget + pol.public_services * gdp_month
    e.public_investment_order = p.public_investment_share * budget + pol.public_investment * gdp_month
    e.village_investment_order = 0.5 * fl["village_retained"]


def invest_and_innovate(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Capital wears out; firms order capital goods and R&D for next month (R&D partly paid by the
    budget); R&D brings productivity jumps; the cluster frontier moves with trend, agglomeration
    and spillovers from Shanghai; demand shares follow Gibrat shocks and productivity."""
    f, e, sec = s.firms, s.economy, s.sectors
    n, c, w = _live(s)
    price = _effective_price(s, pol)
    f.capital[:n] *= 1.0 - p.depreciation_rate / 12.0
    credit_limit = CREDIT_LIMIT_OF_CAPITAL * f.capital[:n] * price[c]
    f.investment_order[:n] = firm_rules.investment_order(
        f.capital[:n], f.expected_sales[:n], e.expected_growth[c], TABLE.capital_output[c], p.depreciation_rate,
        p.capital_adjustment_monthly, _investment_price(s, pol), f.deposits[:n], credit_limit,
        pol.cluster_subsidy[c]) * f.alive[:n]
    base = e.rd_intensity_base  # cluster-level rates, gathered to firms once each
    intensity_c = base * (1.0 + pol.rd_subsidy)
    ratio_c = intensity_c / np.where(base > 0, base, 1.0) * (base > 0)
    sales = f.sales[:n] * f.alive[:n]
    f.rd_order[:n] = intensity_c[c] * sales
    rd_grant = (pol.rd_subsidy * base)[c] * sales
    f.deposits[:n] += rd_grant
    grant_total = wsum(w, rd_grant)
    sec.government -= grant_total

    chance_c = firm_rules.innovation_chance(ratio_c, p.innovation_probability)
    rows, uniform = sparse_draws(draws.innovation, n, float(chance_c.max()))
    f.productivity[:n], gain = firm_rules.innovation_jumps(f.productivity[:n], chance_c[c], p.innovation_jump_mean,
                                                           rows, uniform, draws.innovation.exponential(size=len(rows)))
    real_output = s.flows["real_value_added_by_cluster"]
    previous = e.cluster_output_smoothed
    e.cluster_output_smoothed = 0.9 * previous + 0.1 * real_output
    agglomeration = p.agglomeration_elasticity * np.log(np.where(previous > 0, e.cluster_output_smoothed / np.where(previous > 0, previous, 1.0), 1.0))
    frontier_growth = (p.trend_productivity_growth + SHANGHAI_TECH_SPILLOVER * pol.shanghai_integration) / 12.0 + agglomeration
    e.productivity_frontier *= 1.0 + frontier_growth
    f.productivity[:n] *= (1.0 + frontier_growth)[c]
    f.demand_share[:n] = firm_rules.update_demand_share(f.demand_share[:n], draws.demand_shares.normal(size=n), p.demand_share_volatility,
                                                        gain, p.competitiveness_elasticity)
    s.flows["rd_grants"] = grant_total
    s.flows["frontier_growth"] = frontier_growth


def enter_and_exit(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Firms exit (a background hazard for small firms, insolvency for any) and enter: domestic
    start-ups funded by resident households, foreign-invested firms funded from abroad (FDI).

    Households' claims (equity of those present) are computed once for the exits' and the
    start-ups' payments; the month's entrants are written in one go."""
    hs = s.households
    claims = hs.equity[: hs.n] * hs.alive[: hs.n]
    claims = (claims, claims.sum())
    _exit_firms(s, p, draws.exits, claims)
    domestic = _domestic_entrants(s, p, draws.startups, claims)
    foreign = _foreign_entrants(s, p, pol, draws.foreign_entry)
    _new_firms(s, list(filter(None, (domestic, foreign))), draws.entrants)


def _exit_firms(s: State, p: Parameters, rng: np.random.Generator, claims: tuple[np.ndarray, float]) -> None:
    """Exiting firms' positive deposits go to their owners; their debts are written off."""
    f, e, sec, hs = s.firms, s.economy, s.sectors, s.households
    n, c, w = _live(s)
    small = f.revenue_last_year[:n] < 1e8
    hazard = small & (rng.random(n) < p.exit_hazard_small / 12.0)
    insolvent = f.deposits[:n] < -(INSOLVENCY_OF_CAPITAL * f.capital[:n] * e.price[c] + 6.0 * f.sales[:n])
    exiting = np.flatnonzero(f.alive[:n] & (hazard | insolvent))
    s.flows["exits"] = 0.0
    if len(exiting) == 0:
        return
    weight = f.weight[exiting]
    d = f.deposits[exiting] * weight
    to_owners = np.bincount(f.ownership[exiting], weights=np.maximum(d, 0.0), minlength=len(OWNERSHIP))
    sec.government += float(to_owners[STATE_OWNED])
    sec.rest_of_world += float(to_owners[TAIWAN] + to_owners[OTHER_FOREIGN])
    hs.deposits[: hs.n] += household_rules.share_out(float(to_owners[PRIVATE]), claims[0], e.household_weight,
                                                     claims[1])
    sec.bank += float(np.minimum(d, 0.0).sum())  # debts of exiting firms are written off by the bank
    f.zero(exiting, "deposits", "employees", "inventory", "investment_order", "rd_order", "alive")
    w[exiting] = 0.0  # the cached live weights (the rows themselves stay until the compaction)
    s.flows["exits"] = float(weight.sum())


def _new_firms(s: State, entrants: list[tuple[np.ndarray, ...]], rng: np.random.Generator) -> None:
    """Writes the entrants' rows (each part: cluster, ownership, weight, capital in yuan, deposits).
    Entrants start with a ramping-up sales expectation and a demand share in line with it (against
    the clusters' totals before this month's entry), productivity around the frontier, and the
    cluster's average pay of this month."""
    if not entrants:
        return
    f, e = s.firms, s.economy
    cluster, ownership, weight, capital_yuan, deposits = (map(np.concatenate, zip(*entrants)) if len(entrants) > 1
                                                          else entrants[0])
    n, c, w = _live(s)
    share_total = _by_cluster(s, w * f.demand_share[:n])
    k = len(cluster)
    rows = f.reserve(k)
    expected = capital_yuan / TABLE.capital_output[cluster] / 12.0 * 0.5  # ramping up
    demand = np.where(e.last_demand > 0, e.last_demand, 1.0)
    f.cluster[rows] = cluster
    f.ownership[rows] = ownership
    f.weight[rows] = weight
    f.village[rows] = np.where(rng.random(k) < TABLE.rural_share[cluster], rng.integers(0, e.villages, k), -1)
    f.productivity[rows] = e.productivity_frontier[cluster] * np.exp(
        rng.normal(-0.5 * PRODUCTIVITY_DISPERSION**2, PRODUCTIVITY_DISPERSION, k))
    f.demand_share[rows] = expected / demand[cluster] * share_total[cluster]
    f.capital[rows] = capital_yuan / e.price[cluster]
    f.wage[rows] = s.flows["average_wage"][cluster]
    f.sales[rows] = expected
    f.expected_sales[rows] = expected
    f.deposits[rows] = deposits
    f.zero(rows, "employees", "planned_output", "labour_demand", "output", "inventory", "rd_stock", "investment_order",
           "rd_order", "revenue_year", "output_year", "revenue_last_year", "age")
    f.alive[rows] = True
    _extend_live(s, rows, cluster)


def _extend_live(s: State, rows: slice, cluster: np.ndarray) -> None:
    """The cached views of the firm rows (_live, _lanes), extended by the rows just written
    (cheaper than rebuilding them for every row)."""
    f = s.firms
    n, c, w = f.live_cache
    f.live_cache = (f.n, np.concatenate([c, cluster.astype(np.intp)]),
                    np.concatenate([w, f.weight[rows] * f.alive[rows]]))
    if f.lanes_cache is not None:
        by_cluster, by_village, by_owner = f.lanes_cache
        f.lanes_cache = (np.concatenate([by_cluster, lanes(cluster, first_row=n)]),
                         np.concatenate([by_village, lanes(f.village[rows], shift=1, first_row=n)]),
                         np.concatenate([by_owner, lanes(f.ownership[rows], first_row=n)]))


def _domestic_entrants(s: State, p: Parameters, rng: np.random.Generator,
                       claims: tuple[np.ndarray, float]) -> tuple[np.ndarray, ...] | None:
    """Start-ups where small firms are, each row standing for 1/scale firms, funded by resident
    households in proportion to their equity."""
    e, hs = s.economy, s.households
    k = rng.poisson(p.domestic_entry_per_year / 12.0 * e.scale)
    s.flows["domestic_entries"] = 0.0
    if k == 0:
        return None
    # rng.choice(NC, size=k, p=probabilities), the same draws without its checks of the probabilities
    cumulative = _entry_cluster_probabilities(s).cumsum()
    cumulative /= cumulative[-1]
    cluster = cumulative.searchsorted(rng.random(k), side="right").astype(np.int16)
    capital = p.entrant_capital_yi * 1e8 * np.exp(rng.normal(0.0, 0.8, k))
    weight = np.full(k, 1.0 / e.scale)
    deposits = 0.25 * capital
    paid = wsum(weight, deposits)
    hs.deposits[: hs.n] -= household_rules.share_out(paid, claims[0], e.household_weight, claims[1])
    s.flows["domestic_entries"] = float(weight.sum())
    return cluster, np.full(k, PRIVATE, np.int8), weight, capital, deposits


def _entry_cluster_probabilities(s: State) -> np.ndarray:
    f = s.firms
    n, c, w = _live(s)
    small = (f.revenue_last_year[:n] < 1e8) & f.alive[:n]
    counts = _by_cluster(s, w * small)
    return counts / counts.sum()


def _foreign_entrants(s: State, p: Parameters, pol: MonthPolicy,
                      rng: np.random.Generator) -> tuple[np.ndarray, ...] | None:
    """Foreign-invested entrants, one to one at every scale (they can grow above 1 yi yuan quickly),
    funded from abroad."""
    e, sec = s.economy, s.sectors
    attraction = TABLE.foreign_share * s.flows["output_by_cluster"] * (1.0 + pol.fdi_attraction
                                                                        + TAIWAN_SHARE_OF_FOREIGN * pol.taiwan_cooperation)
    rate = p.foreign_entry_per_year / 12.0 * pol.foreign_entry * attraction / max(
        (TABLE.foreign_share * s.flows["output_by_cluster"]).sum(), 1e-12)
    k_by_cluster = rng.poisson(rate)
    k = int(k_by_cluster.sum())
    s.flows["fdi"] = 0.0
    if k == 0:
        return None
    cluster = np.repeat(np.arange(NC, dtype=np.int16), k_by_cluster)
    taiwan_p = TAIWAN_SHARE_OF_FOREIGN * (1.0 + pol.taiwan_cooperation[cluster])
    taiwan_p = taiwan_p / (taiwan_p + (1.0 - TAIWAN_SHARE_OF_FOREIGN) * (1.0 + pol.fdi_attraction[cluster]))
    ownership = np.where(rng.random(k) < taiwan_p, TAIWAN, OTHER_FOREIGN).astype(np.int8)
    capital = p.foreign_entrant_capital_yi * 1e8 * np.exp(rng.normal(0.0, 1.0, k))
    deposits = 0.25 * capital
    sec.rest_of_world -= float(deposits.sum())
    s.flows["fdi"] = float((capital + deposits).sum())
    return cluster, ownership, np.ones(k), capital, deposits


def set_prices_and_wages(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Pay scales grow with the negotiated trend and labour-market pressure (a wage freeze stops
    them); producer prices follow world prices, pass on part of unit labour cost growth, and
    respond to excess demand (a dearer cluster then loses external demand)."""
    e, f = s.economy, s.firms
    n, c, _ = _live(s)
    if pol.wage_policy <= -1.0:
        growth = np.zeros(NC)
    else:
        growth = (p.wage_growth_trend + pol.wage_policy) / 12.0 + p.wage_vacancy_sensitivity * s.flows["vacancy_rate"]
    e.base_wage *= 1.0 + growth
    f.wage[:n] *= (1.0 + growth)[c]
    excess = np.clip(s.flows["excess_demand"], -0.2, 0.2)
    # unit labour cost growth beyond what inflation alone would bring
    unit_labour_cost = growth - s.flows["frontier_growth"] - p.producer_inflation / 12.0
    e.price *= (1.0 + p.producer_inflation / 12.0 + p.unit_labour_cost_pass_through * unit_labour_cost) * (
        1.0 + p.price_excess_demand_sensitivity * excess / 12.0)


def age_and_accumulate(s: State) -> None:
    """Firms age; calendar-year sums of sales and output grow."""
    f = s.firms
    n = f.n
    f.age[:n] += f.alive[:n]
    f.revenue_year[:n] += f.sales[:n]
    f.output_year[:n] += f.output[:n]


def converge_rural_earnings(s: State, p: Parameters) -> None:
    """Once a year, rural residents' earning power catches up a little with urban residents'."""
    ps, hs = s.persons, s.households
    m = ps.n
    rural = hs.group[ps.household[:m]] >= RURAL_REGISTERED
    ps.skill[:m] *= np.where(rural, 1.0 + p.rural_earnings_convergence, 1.0)
    refresh_running_totals(s)
