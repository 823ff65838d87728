"""Build the economy at the end of its origin year (2021 by default; ``--origin``) from the data of
that vintage (see model.data.derive).

After the populations are drawn, a few level parameters are solved so that the initial month
reproduces the origin year's levels exactly (exactly identified, no fitting): the wage level and the
rural earning power (urban and rural per-capita disposable income), the local tax share (public
budget revenue), the village rent rate (village collective income), the external demand of each
cluster (cluster output), the shares of trade that is customs trade (exports and imports), and the
share of domestic private firms' dividends owned by residents (property income: 12% of disposable
income; the rest belongs to owners elsewhere in China).

Annual figures are year averages, but the first January continues from the end of the origin year:
every monthly flow of the initial state is the origin year's average month times its run rate
(InitialTargets.run_rate, Assumption R1), the end-of-year level of a year of steady growth. The
origin year's record divides it out again.
"""

from __future__ import annotations

import numpy as np

from model.actions.investment import start_innovation
from model.actions.prices import start_prices
from model.clusters import cluster_table
from model.data.derive import UNEMPLOYMENT_2021, initial_targets
from model.data.observed import Vintage
from model.init.firms import FirmStart, draw_firms, draw_ownership, start_firms
from model.init.levels import (
    Budget,
    Demand,
    Incomes,
    InfeasibleParameters,
    solve_budget,
    solve_incomes,
    solve_outside_demand,
)
from model.init.population import build_population
from model.init.projects import draw_pipeline, open_pipeline
from model.params import Parameters
from model.state import (
    LABOUR_FORCE,
    UNEMPLOYED,
    Economy,
    Firms,
    Households,
    Persons,
    Sectors,
    State,
    Villages,
    refresh_running_totals,
)

__all__ = ["InfeasibleParameters", "apportion", "build_state"]

INITIAL_FIRM_LIQUIDITY_MONTHS = 2.0


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to ``weights`` summing to ``total``, at least one each (largest
    remainders): every cluster has workers even in a tiny sample."""
    ideal = total * weights / weights.sum()
    counts = np.maximum(np.floor(ideal).astype(int), 1)
    shortfall = total - counts.sum()
    if shortfall > 0:
        counts[np.argsort(counts - ideal)[:shortfall]] += 1
    elif shortfall < 0:
        counts[np.argsort(ideal - counts)[:-shortfall]] -= 1
    return counts


def build_state(params: Parameters, scale: float, rng: np.random.Generator, vintage: Vintage | None = None) -> State:
    """The economy at the end of the origin year of the vintage in force (model.data.observed.in_vintage;
    the shipped data at 2021 without one), in named steps: draw the populations, employ the labour
    force, start the firms, solve incomes, the budget and outside demand for the origin's levels,
    then assemble.

    Independent streams for the firm register and the population, so that the large firms (drawn
    one to one) are the same firms at every scale for a given seed; the steps below draw from
    ``rng`` in a fixed order."""
    table, t = cluster_table(), initial_targets(vintage)
    firm_rng, population_rng = rng.spawn(2)
    persons, households, _ = build_population(population_rng, scale, t)
    draw = draw_firms(firm_rng, scale, t, table)
    ownership = draw_ownership(firm_rng, draw, table)
    hw = 1.0 / scale  # real households (and persons) each row stands for
    employed_by_cluster = _employ_labour_force(rng, persons, households, t, table, hw)
    start = start_firms(rng, params, draw, employed_by_cluster, t, table)
    incomes = solve_incomes(params, persons, households, draw, ownership, start, t, hw)
    budget = solve_budget(params, draw, start, incomes, t, hw)
    (pipeline_rng,) = rng.spawn(1)  # its own stream: the draws above and below stay as they were
    pipeline = draw_pipeline(pipeline_rng, params, t.cluster_output, table, t.villages)
    demand = solve_outside_demand(params, draw, start, incomes, budget, t, table, hw, pipeline.december_orders)
    state = _assemble(
        rng, firm_rng, params, scale, persons, households, draw, ownership, start, incomes, budget, demand, t, table
    )
    open_pipeline(state, params, pipeline, table, t.origin)
    return _settle(state, params, incomes, budget)


def _employ_labour_force(rng, persons: Persons, households: Households, t, table, hw: float) -> np.ndarray:
    """The labour force, 97% employed, spread over clusters by labour need; returns the employed
    persons of each cluster (real persons)."""
    nc = table.n
    lf = persons.role[: persons.n] == LABOUR_FORCE
    employed = lf & (rng.random(persons.n) >= UNEMPLOYMENT_2021)
    need = t.cluster_output * 1e8 / (table.labour_productivity * 1e4)
    persons.employer_cluster[: persons.n] = UNEMPLOYED
    workers = rng.permutation(np.flatnonzero(employed))
    persons.employer_cluster[workers] = np.repeat(np.arange(nc, dtype=np.int16), apportion(len(workers), need))
    households.workers[: households.n] = np.bincount(
        persons.household[: persons.n], weights=employed, minlength=households.n
    )
    return np.bincount(persons.employer_cluster[: persons.n][employed], minlength=nc) * hw


def _assemble(
    rng,
    firm_rng,
    params: Parameters,
    scale: float,
    persons: Persons,
    households: Households,
    draw,
    ownership: np.ndarray,
    start: FirmStart,
    incomes: Incomes,
    budget: Budget,
    demand: Demand,
    t,
    table,
) -> State:
    """The state: firm rows (in random order, with room to grow), households' money and incomes,
    villages, the aggregate economy and the sectors; the bank's position balances every deposit."""
    nc, nf, hw = table.n, len(draw.cluster), 1.0 / scale
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

    sales = start.monthly_sales
    share = sales / np.bincount(draw.cluster, weights=draw.weight * sales, minlength=nc)[draw.cluster]
    age = rng.integers(12, 360, nf)  # months at the start
    firms = Firms(
        n=nf,
        cluster=col(draw.cluster, np.int16),
        ownership=col(ownership, np.int8),
        weight=col(draw.weight),
        village=col(start.village, np.int32),
        productivity=col(start.productivity),
        demand_share=col(share),
        capital=col(start.capital),
        employees=col(start.employees),
        wage=col(incomes.wage),
        planned_output=col(sales),
        labour_demand=col(start.employees),
        output=col(sales),
        sales=col(sales),
        inventory=col(params.inventory_target_months * sales),
        expected_sales=col(sales),
        deposits=col(INITIAL_FIRM_LIQUIDITY_MONTHS * sales),
        rd_stock=col(3.0 * 12.0 * demand.rd),
        investment_order=col(demand.investment),
        rd_order=col(demand.rd),
        revenue_year=col(0.0),
        output_year=col(0.0),
        revenue_last_year=col(draw.revenue),
        age=col(age, np.int32),
        alive=col(True, bool),
        capacity=col(0.0),
        intermediate=col(0.0),
        wage_bill=col(0.0),
        vat=col(0.0),
        subsidy=col(0.0),
        rent=col(0.0),
        price=col(1.0),
        entry_year=col(t.origin + 1 - (age + 11) // 12, np.int16),
        is_project=col(False, bool),
        project_pending=col(0.0),
        project_months=col(0, np.int16),
        profit_margin=col(0.0),
    )
    di = incomes.disposable_income
    households.deposits[: households.n] = incomes.deposits
    households.disposable_income[: households.n] = incomes.cash_income  # after rent: what consumption is planned on
    households.expected_income[: households.n] = incomes.cash_income
    households.income_last_year[: households.n] = 12.0 * di / t.run_rate
    households.consumption_order[: households.n] = demand.consumption
    village_income = incomes.village_income
    villages = Villages(
        deposits=12.0 * village_income.copy(),
        income=village_income.copy(),
        income_year=np.zeros(t.villages),
        income_last_year=12.0 * village_income / t.run_rate,
        investment_split=np.full(t.villages, 1.0 / t.villages),
    )
    economy = Economy(
        month=0,
        year=t.origin + 1,
        scale=scale,
        household_weight=hw,
        price=np.ones(nc),
        world_price=np.ones(nc),
        external_demand=demand.external_real,
        market_growth_deviation=np.zeros(demand.external_real.shape[0]),
        local_demand_last=demand.output_c - demand.external_real.sum(axis=0),
        local_demand_before=demand.output_c - demand.external_real.sum(axis=0),
        capacity_lost=np.zeros(nc),
        expected_growth=np.full(nc, params.export_demand_growth / 12.0),
        last_demand=demand.output_c.copy(),
        local_input=demand.local_input,
        final_buyer_mix=demand.mixes,
        final_import_share=demand.import_share,
        base_wage=np.ones(nc),
        labour_per_output=start.labour_per_output,
        import_abroad_share=demand.import_abroad_share,
        local_tax_share=budget.local_tax_share,
        resident_dividend_share=incomes.resident_share,
        village_rent_rate=incomes.rent_rate,
        villages=t.villages,
        government_revenue_smoothed=budget.local_revenue + budget.contributions + budget.transfers_in,
        government_spending_order=budget.consumption,
        public_investment_order=budget.investment,
        village_investment_order=demand.village_investment,
        cluster_output_smoothed=demand.output_c.copy(),
        productivity_frontier=np.ones(nc),
        rd_intensity_base=table.rd_intensity.copy(),
        average_wage=np.zeros(nc),
        labour_demand=np.zeros(nc),
        unfilled_vacancies=np.zeros(nc),
        vacancy_rate=np.zeros(nc),
        excess_demand=np.zeros(nc),
        frontier_growth=np.zeros(nc),
    )
    sectors = Sectors(government=3.0 * budget.spending)
    state = State(
        firms=firms, persons=persons, households=households, villages=villages, sectors=sectors, economy=economy
    )
    economy.migrant_rent = params.migrant_rent_yuan_month
    economy.villages_reclassified = np.zeros(t.villages, dtype=bool)
    economy.housing_value_per_person = params.housing_value_per_registered_person_yuan
    economy.migrants_last_year = float(households.size[: households.n][households.group[: households.n] % 2 == 1].sum())
    return state


def _settle(state: State, params: Parameters, incomes: Incomes, budget: Budget) -> State:
    """Once every firm is in (the projects under way too): running totals, prices and the norm of
    innovation, the bank's position that balances every deposit, the public sector, and the initial
    month's flows the origin's record reports."""
    sectors, hw = state.sectors, state.economy.household_weight
    refresh_running_totals(state)
    start_prices(state, params)  # markups that make 2021's prices 1; each firm's price from its own cost
    start_innovation(state)  # each cluster's 2021 R&D per worker, the norm of the chance of innovating
    # Every deposit is a claim on the bank: the bank's own position balances them, so the total is 0.
    sectors.bank = -state.money_total()
    state.economy.money_initial = state.money_total()
    _start_public_sector(state, params, budget)
    # The initial month's flows that the 2021 record reports (model.record)
    state.flows.public_revenue = budget.local_revenue + budget.contributions + budget.transfers_in
    state.flows.transfers_from_higher_levels = budget.transfers_in
    state.flows.public_spending = budget.spending + (incomes.pensions.sum() + incomes.transfers.sum()) * hw
    state.flows.taxes_to_higher_levels = budget.remitted
    state.flows.local_taxes = budget.local_revenue
    state.flows.wages_received = incomes.gross_wages
    return state


def _start_public_sector(state: State, params: Parameters, budget: Budget) -> None:
    """Public capital on its steady path (investment growing with outside demand), the bank's
    equity as a share of local deposits, no village floor space built yet, no programme ordered."""
    from model.actions.public import local_balances
    from model.agents import public_capital
    from model.agents.programmes import LEVER_NAMES

    e = state.economy
    stock = public_capital.steady_stock(
        budget.investment, params.public_capital_depreciation, params.export_demand_growth
    )
    e.public_capital = e.public_capital_ordinary = e.public_capital_reach = e.public_capital_ordinary_reach = stock
    e.ordinary_investment_order = budget.investment
    e.programme_orders = np.zeros(len(LEVER_NAMES))
    deposits = local_balances(state)[0]
    e.bank_equity_base = params.bank_equity_of_deposits * deposits - state.sectors.bank
    state.villages.assets = np.zeros(e.villages)
    state.flows.policy_cost = np.zeros(len(LEVER_NAMES))
