"""The state of the economy: populations as structures of NumPy arrays, plus the few sectors.

A population keeps arrays of a common capacity and a count ``n`` of rows in use; rows past ``n``
are free. Dead agents stay in place with ``alive = False`` until :meth:`Population.compact` (once a
year), so that indices held elsewhere (a person's household) stay valid within a year.

One file although it is long (about 470 lines): it is the model's single description of what the
economy holds, declarations more than code (one field a line, each with its unit and meaning), and
every action reads and writes across all of it. Cut into modules, a reader checking what an action
may touch would look in several places, and Firms, Persons and Households share one base
(Population) and one set of group codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import NamedTuple

import numpy as np

from model.arrays import lanes, wsum

STATE_OWNED, PRIVATE, TAIWAN, OTHER_FOREIGN = 0, 1, 2, 3
OWNERSHIP = ("state", "domestic_private", "taiwan", "other_foreign")

# Migrant groups are odd and registered ones even: settling (hukou) subtracts one.
URBAN_REGISTERED, URBAN_MIGRANT, RURAL_REGISTERED, RURAL_MIGRANT = 0, 1, 2, 3
N_GROUPS = 4
CHILD, LABOUR_FORCE, RETIREE = 0, 1, 2
UNEMPLOYED = -1
MALE, FEMALE, SEX_UNKNOWN = 0, 1, -1
AGE_UNKNOWN = -1.0


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    """A population class's field names, found once: ``dataclasses.fields`` walks every field each
    call, and entrants (Firms.open) asked for them some ninety times a run."""
    return tuple(f.name for f in fields(cls))


class Population:
    """Base of the array populations: growth and compaction shared by firms, persons, households."""

    def _arrays(self) -> list[str]:
        return [name for name in _field_names(type(self)) if isinstance(getattr(self, name), np.ndarray)]

    def __len__(self) -> int:
        return self.n

    def reserve(self, extra: int) -> slice:
        """Rows for ``extra`` new agents, growing every array (amortised doubling) when full."""
        need = self.n + extra
        cap = len(self.alive)
        if need > cap:
            new_cap = max(need, int(cap * 1.5) + 16)
            for name in self._arrays():
                old = getattr(self, name)
                grown = np.zeros((new_cap, *old.shape[1:]), dtype=old.dtype)
                grown[:cap] = old
                setattr(self, name, grown)
        rows = slice(self.n, need)
        self.n = need
        return rows

    def zero(self, rows, *names: str) -> None:
        """Sets the named arrays to zero (False) at ``rows`` (a slice or an index array)."""
        for name in names:
            getattr(self, name)[rows] = 0

    def compact(self) -> np.ndarray:
        """Drop dead rows; returns the old index of each kept row (to remap references)."""
        keep = np.flatnonzero(self.alive[: self.n])
        for name in self._arrays():
            arr = getattr(self, name)
            kept = arr[keep]
            arr[: len(keep)] = kept
            arr[len(keep) : self.n] = 0
        self.n = len(keep)
        return keep


class LiveRows(NamedTuple):
    """The firm rows in use as the actions' sums gather them."""

    n: int  # rows in use
    cluster: np.ndarray  # cluster of each row as a native index (intp): gathers by cluster need no conversion
    weight: np.ndarray  # real firms each row stands for where alive, else 0


@dataclass
class Firms(Population):
    """Firm rows. Besides the arrays, it keeps views of the rows that every month's sums need
    (:meth:`live`, :meth:`lanes`), made once and kept in step by the methods that change the rows:
    :meth:`close` (exits), :meth:`opened` (entry) and :meth:`compact`, which forgets them."""

    n: int
    cluster: np.ndarray  # int16, index into the cluster table
    ownership: np.ndarray  # int8, OWNERSHIP
    weight: np.ndarray  # real firms each row stands for: 1 for firms of 1 yi yuan or more
    village: np.ndarray  # int32, village whose land the firm rents; -1 if none
    productivity: np.ndarray  # relative total factor productivity (cluster frontier = trend)
    demand_share: np.ndarray  # unnormalised share of its cluster's demand (attractiveness)
    capital: np.ndarray  # yuan, fixed capital
    employees: np.ndarray  # workers
    wage: np.ndarray  # yuan a month per worker (firm's pay scale)
    planned_output: np.ndarray  # yuan, this month
    labour_demand: np.ndarray  # workers wanted this month
    output: np.ndarray  # yuan, this month
    sales: np.ndarray  # yuan, this month
    inventory: np.ndarray  # yuan, finished goods
    expected_sales: np.ndarray  # yuan a month
    deposits: np.ndarray  # yuan, net money (negative: bank credit)
    rd_stock: np.ndarray  # yuan, accumulated R&D
    investment_order: np.ndarray  # yuan of capital goods ordered, delivered and paid next month
    rd_order: np.ndarray  # yuan of R&D services ordered for next month
    revenue_year: np.ndarray  # yuan, sales since January
    output_year: np.ndarray  # yuan, output since January
    revenue_last_year: np.ndarray  # yuan, last calendar year's sales
    age: np.ndarray  # months
    alive: np.ndarray  # bool
    # This month's figures that one action leaves for a later one (zero for this month's entrants):
    capacity: np.ndarray  # yuan: the most its capital can produce (plan_production, for produce)
    intermediate: np.ndarray  # yuan of inputs bought (sell, for the payments that follow)
    wage_bill: np.ndarray  # yuan of wages paid (pay_wages_and_production_taxes, for distribute_profits)
    vat: np.ndarray  # yuan of taxes on production
    subsidy: np.ndarray  # yuan of production subsidies received
    rent: np.ndarray  # yuan of rent paid to a village collective
    # Competition and projects (model.markets.prices, model.actions.projects)
    price: np.ndarray  # the firm's own price (2021 = 1): a markup on its unit cost, adjusting gradually
    entry_year: np.ndarray  # int16, calendar year the firm entered (founding year for the initial firms)
    is_project: np.ndarray  # bool, entered as a major investment project (重大项目)
    project_pending: np.ndarray  # yuan of a project's capital still to be invested
    project_months: np.ndarray  # int16, months of gestation left (0 once built)
    profit_margin: np.ndarray  # after-tax profit over output, smoothed over about a year (for exit)
    _live = None  # LiveRows, while the rows stay as they were (not a field: no array of the population)
    _lanes = None  # the sum indexes of :meth:`lanes`

    def live(self) -> LiveRows:
        """The rows in use, their clusters and live weights (cached while the rows stay as they are)."""
        if self._live is None or self._live.n != self.n:  # rows reserved without :meth:`opened`: rebuild
            n = self.n
            self._live = LiveRows(n, self.cluster[:n].astype(np.intp), self.weight[:n] * self.alive[:n])
            self._lanes = None
        return self._live

    def lanes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sum indexes (model.arrays.lanes) of the rows by cluster, by village (bin 0: none) and by
        ownership, made when first needed after the rows change."""
        self.live()
        if self._lanes is None:
            n = self.n
            self._lanes = (lanes(self.cluster[:n]), lanes(self.village[:n], shift=1), lanes(self.ownership[:n]))
        return self._lanes

    def close(self, rows: np.ndarray, *names: str) -> None:
        """Firms at ``rows`` exit: the named arrays and ``alive`` are zeroed, and their live weight
        too (the rows themselves stay until the yearly compaction)."""
        self.zero(rows, *names, "alive")
        if self._live is not None:
            self._live.weight[rows] = 0.0

    def open(self, k: int, **values) -> slice:
        """Rows for ``k`` entrants: each named array takes its value (an array of ``k`` or a
        scalar), every other array starts at zero, and the rows are alive and join the views."""
        rows = self.reserve(k)
        for name in self._arrays():
            getattr(self, name)[rows] = values.pop(name, 0)
        if values:
            raise AttributeError(f"Firms has no arrays {sorted(values)}")
        self.alive[rows] = True
        self.opened(rows)
        return rows

    def opened(self, rows: slice) -> None:
        """The rows just reserved and written (entrants) join the views (cheaper than rebuilding
        them for every row)."""
        live = self._live
        if live is None or live.n != rows.start:
            self._live = None
            return
        cluster = self.cluster[rows]
        self._live = LiveRows(
            self.n,
            np.concatenate([live.cluster, cluster.astype(np.intp)]),
            np.concatenate([live.weight, self.weight[rows] * self.alive[rows]]),
        )
        if self._lanes is not None:
            by_cluster, by_village, by_owner = self._lanes
            n = rows.start
            self._lanes = (
                np.concatenate([by_cluster, lanes(cluster, first_row=n)]),
                np.concatenate([by_village, lanes(self.village[rows], shift=1, first_row=n)]),
                np.concatenate([by_owner, lanes(self.ownership[rows], first_row=n)]),
            )

    def compact(self) -> np.ndarray:
        self._live = self._lanes = None
        return super().compact()


@dataclass
class Persons(Population):
    n: int
    household: np.ndarray  # int64 row in Households
    role: np.ndarray  # int8: CHILD, LABOUR_FORCE, RETIREE
    employer_cluster: np.ndarray  # int16 cluster of employment, UNEMPLOYED if none
    skill: np.ndarray  # relative earning power within a cluster
    wage: np.ndarray  # yuan, gross wage this month
    alive: np.ndarray
    age: np.ndarray  # years (AGE_UNKNOWN for arrivals of this year until the year's end gives them one)
    sex: np.ndarray  # int8: MALE, FEMALE (SEX_UNKNOWN with AGE_UNKNOWN)


@dataclass
class Households(Population):
    n: int
    group: np.ndarray  # int8: URBAN_REGISTERED, URBAN_MIGRANT, RURAL_REGISTERED, RURAL_MIGRANT
    village: np.ndarray  # int32 village of a rural household, -1 if urban
    size: np.ndarray  # persons (kept in step with Persons)
    deposits: np.ndarray  # yuan
    equity: np.ndarray  # claim on the dividends of domestic private firms (relative weight)
    disposable_income: np.ndarray  # yuan, this month
    income_year: np.ndarray  # yuan, disposable income since January
    income_last_year: np.ndarray  # yuan, last calendar year
    expected_income: np.ndarray  # yuan a month, smoothed disposable income
    arrived: np.ndarray  # month of the run the household arrived in (-1: there at the start)
    workers: np.ndarray  # employed members (kept in step with Persons by the labour market)
    retirees: np.ndarray  # retired members (receive pensions if registered)
    alive: np.ndarray
    consumption_order: np.ndarray  # yuan of consumption ordered for next month (none on arrival)

    @property
    def rural(self) -> np.ndarray:
        return self.group[: self.n] >= RURAL_REGISTERED

    @property
    def registered(self) -> np.ndarray:
        g = self.group[: self.n]
        return (g == URBAN_REGISTERED) | (g == RURAL_REGISTERED)


@dataclass
class Villages:
    """Village collectives (few: plain arrays, no growth)."""

    deposits: np.ndarray  # yuan
    income: np.ndarray  # yuan, this month
    income_year: np.ndarray  # yuan since January
    income_last_year: np.ndarray
    investment_split: np.ndarray  # each village's part of next month's collective investment
    assets: np.ndarray = None  # yuan (at cost): standard factory floor space built since the start, let to firms


@dataclass
class Sectors:
    """Net money of the coarse sectors; with firms, households and villages it sums to a constant."""

    government: float = 0.0  # Kunshan's public budget
    higher_government: float = 0.0  # Suzhou, Jiangsu and central budgets: taxes leaving Kunshan
    rest_of_world: float = 0.0  # Shanghai, Suzhou, the rest of China, abroad
    bank: float = 0.0  # the banking system's own funds (interest margin, write-offs)


@dataclass
class Economy:
    """Aggregate state: prices, expectations and the slow-moving external environment."""

    month: int  # months since the start of the run (0 = January of the start year)
    year: int
    scale: float
    household_weight: float  # real households (and persons) each row stands for
    price: np.ndarray  # producer price index by cluster (2021 = 1)
    world_price: np.ndarray  # price of competing goods outside Kunshan (2021 = 1)
    external_demand: np.ndarray  # (market, cluster) yuan a month at 2021 prices, before shocks
    capacity_lost: np.ndarray  # share of each cluster's capacity relocated abroad so far
    expected_growth: np.ndarray  # expected monthly growth of cluster demand
    last_demand: np.ndarray  # cluster demand last month, yuan
    local_input: np.ndarray  # (supplier, buyer) local input coefficients per yuan of output
    final_buyer_mix: (
        np.ndarray
    )  # (buyer, cluster) local purchase mix of each final buyer (model.init.io_table.FINAL_BUYERS)
    final_import_share: np.ndarray  # (buyer,) share of each final buyer's spending bought outside Kunshan
    base_wage: np.ndarray  # index of the negotiated pay scale by cluster (2021 = 1): what wage policy moves
    labour_per_output: np.ndarray  # workers per yuan a month of output at 2021 prices, by cluster
    import_abroad_share: float  # share of imports that come from abroad
    local_tax_share: float  # Kunshan's part of the local (non-central) share of each shared tax (model.agents.budget)
    resident_dividend_share: float  # share of domestic private dividends paid to Kunshan households
    village_rent_rate: float
    villages: int
    government_revenue_smoothed: float  # yuan a month
    government_spending_order: float  # yuan a month of public consumption ordered for next month
    public_investment_order: float
    village_investment_order: float
    cluster_output_smoothed: np.ndarray  # yuan a month at 2021 prices (for agglomeration)
    productivity_frontier: np.ndarray  # cluster frontier productivity (2021 = 1)
    rd_intensity_base: np.ndarray
    rd_per_worker_base: np.ndarray = None  # R&D a month per worker by cluster in 2021 (for the chance of innovating)
    # Running totals over persons and households, kept in step by the actions that change them and
    # recomputed exactly at each yearly compaction (they save passes over millions of rows a month).
    employed_by_cluster: np.ndarray = None  # workers per cluster (rows, unweighted)
    skill_by_cluster: np.ndarray = None  # sum of the skill of each cluster's workers
    village_members: np.ndarray = None  # persons in member households of each village (rows)
    # persons in the households of each group (rows; whole numbers, so the same bits in any order of adding)
    members_by_group: np.ndarray = None
    village_compensation: np.ndarray = None  # yuan of land compensation each village received last month
    rural_training_year: float = 0.0  # yuan of training per rural labour-force member since January
    public_services_year: float = 0.0  # public_services lever (share of GDP) summed over this year's months / 12
    # Demographic events at the turn of the year (model.actions.demography.age_retire_and_die), reported
    # in the annual row of the year they open: real persons.
    deaths_at_new_year: float = 0.0
    reclassified_at_new_year: float = 0.0
    villages_reclassified: np.ndarray = None  # bool by village: absorbed by the town (村改居)
    migrant_rent: float = 0.0  # yuan a month per migrant (set at initialisation)
    migrants_last_year: float = 0.0  # migrant persons (rows) at the last rent update
    housing_value_per_person: float = 0.0  # yuan of dwelling a registered resident owns (moves with rents)
    pay_index_last_year: float = 1.0  # pay-scale index (2021 = 1) at the last rent update
    retirements_at_new_year: float = 0.0
    school_leavers_at_new_year: float = 0.0
    money_initial: float = 0.0
    # Sum of the common monthly log shocks to outside demand since the start (sigma eps of
    # model.agents.rest_of_world.external_demand_growth): the run's exogenous demand path.
    external_demand_shock: float = 0.0
    # This year's draws of the world outside (model.uncertainty.exogenous_paths), set by the model
    # before each month: each market's log growth of demand beyond the calibrated trend (a year's,
    # spread evenly over its months) and the deviation of producer-price inflation from the
    # parameter ``producer_inflation``. Zero in a seed-only run.
    market_growth_deviation: np.ndarray = None  # (market,) 1/year
    # Local demand on each cluster (final and intermediate, at 2021 prices) in the last two months:
    # what services' and construction's outside demand follows (model.actions.environment).
    local_demand_last: np.ndarray = None  # yuan a month, by cluster
    local_demand_before: np.ndarray = None
    producer_inflation_deviation: float = 0.0  # 1/year
    # This month's market signals by cluster, left by one action for later ones.
    average_wage: np.ndarray = None  # yuan a month per worker before hiring (for newcomers' pay)
    labour_demand: np.ndarray = None  # workers the firms want
    unfilled_vacancies: np.ndarray = None  # workers wanted and not found after matching (for migration)
    vacancy_rate: np.ndarray = None  # unfilled over wanted (for pay scales)
    excess_demand: np.ndarray = None  # demand beyond output, relative to output (for prices)
    frontier_growth: np.ndarray = None  # this month's growth of the productivity frontier
    # Cost-based prices (model.markets.prices): markups by cluster and the clusters' unit cost
    markup_base: np.ndarray = None  # markup on unit cost that makes 2021's prices 1 (solved at the start)
    markup: np.ndarray = None  # this month's markup (the base moved by excess demand)
    unit_cost: np.ndarray = None  # share-weighted mean unit cost of the cluster's firms (yuan per yuan of 2021 output)
    # The public sector (model.actions.public): public capital built and as the ordinary rule alone
    # would have built it (yuan at 2021 prices), both as they reach firms after the lag; the bank.
    public_capital: float = 0.0
    public_capital_ordinary: float = 0.0
    public_capital_reach: float = 0.0
    public_capital_ordinary_reach: float = 0.0
    public_productivity_growth: float = (
        0.0  # this month's productivity growth from public capital beyond the ordinary path
    )
    ordinary_investment_order: float = 0.0  # public investment the ordinary rule ordered for next month, before cuts
    programme_orders: np.ndarray = None  # by lever: purchases and investment ordered for next month (after cuts)
    bank_equity_base: float = 0.0  # the bank's equity is sectors.bank plus this (fixed at the start)
    bank_risk_weighted: float = 0.0  # yuan of risk-weighted loans at the last month's end
    credit_supply: float = 1.0  # share of firms' usual credit limit the bank grants (1: capital does not bind)


def refresh_running_totals(s: State) -> None:
    """Recompute the running totals of the economy exactly from the populations."""
    from model.markets.labour import skill_by_cluster

    ps, hs, e = s.persons, s.households, s.economy
    n_clusters = len(e.price)
    ec = ps.employer_cluster[: ps.n]
    e.employed_by_cluster = np.bincount(ec + 1, minlength=n_clusters + 1)[1:].astype(float)
    e.skill_by_cluster = skill_by_cluster(ec, ps.skill[: ps.n], n_clusters)
    e.village_members = np.bincount(hs.village[: hs.n] + 1, weights=hs.size[: hs.n], minlength=e.villages + 1)[1:]
    e.members_by_group = members_by_group(hs.group[: hs.n], hs.size[: hs.n])


def members_by_group(group: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Persons in the households of each group (URBAN_REGISTERED ... RURAL_MIGRANT), by rows:

        M_g = Σ_{h : group_h = g} size_h

    Sizes are whole numbers, so these sums are exact: a running total kept by adding and
    subtracting the households that change has the same bits as summing them all afresh."""
    return np.bincount(group, weights=size, minlength=N_GROUPS)


@dataclass(slots=True)
class MonthFlows:
    """This month's flows, recorded by the actions for the accounts (model.accounts) and the outputs
    (model.record): yuan unless said otherwise, totals over all agents. Slots make a misspelled
    name fail (AttributeError) instead of creating a new entry."""

    # goods market (sell)
    output: float = 0.0
    intermediate: float = 0.0
    household_consumption: float = 0.0
    government_consumption: float = 0.0
    investment: float = 0.0  # firms' capital goods and R&D, public and village investment
    inventory_change: float = 0.0
    exports_sold: float = 0.0  # to every buyer outside Kunshan
    exports_abroad: float = 0.0  # of which abroad (customs exports)
    imports: float = 0.0
    imports_abroad: float = 0.0
    rd_spending: float = 0.0
    output_by_cluster: np.ndarray | None = None
    real_value_added_by_cluster: np.ndarray | None = None  # at 2021 prices
    demand_by_cluster: np.ndarray | None = None
    outside_sales_by_cluster: np.ndarray | None = None  # sold to buyers outside Kunshan
    rd_by_cluster: np.ndarray | None = None  # R&D services bought by each cluster's firms (own and co-funded)
    imported_inputs_by_cluster: np.ndarray | None = None  # intermediate inputs each cluster bought outside Kunshan
    # wages and taxes on production
    wages_paid: float = 0.0
    wages_received: float = 0.0
    production_taxes: float = 0.0
    production_subsidies: float = 0.0
    value_added: float = 0.0
    local_taxes: float = 0.0  # taxes the local budget keeps (production, corporate, personal)
    # profits
    operating_surplus: float = 0.0
    corporate_tax: float = 0.0
    dividends_to_residents: float = 0.0
    profit_outflow: float = 0.0  # dividends to foreign owners
    # household incomes and the budgets' side of them
    social_contributions: float = 0.0
    government_commitments: float = 0.0  # pensions, transfers, village support and production subsidies
    household_disposable_income: float = 0.0
    village_retained: float = 0.0  # village income not paid out to members
    rd_grants: float = 0.0
    rural_training_spending: float = 0.0  # public purchases of rural vocational training (ordered for next month)
    # labour market and population
    employed: float = 0.0  # persons
    job_seekers: float = 0.0  # persons still seeking after matching
    # residents by group (URBAN_REGISTERED ... RURAL_MIGRANT), all households: counted by
    # plan_public_spending, after the month's last arrival and departure, and read by the record
    persons_by_group: np.ndarray | None = None
    migrant_arrivals: float = 0.0  # migrant workers expected to arrive
    migrant_departures: float = 0.0  # persons of the migrant households that left
    household_property_income: float = 0.0  # dividends, deposit interest, village payouts and rent received
    rural_wages: float = 0.0  # gross wages received by members of rural households
    imputed_rent: float = 0.0  # net rent of owner-occupied dwellings: survey income in kind, no money moves
    rent_paid: float = 0.0  # by migrant households to registered landlords (a payment within households)
    remittances_out: float = 0.0  # sent by migrant households out of Kunshan (to the rest of the world)
    # firm entry and exit (firms, and yuan of FDI)
    exits: float = 0.0
    relocations: float = 0.0  # firms that moved their capacity out of Kunshan (of the exits)
    domestic_entries: float = 0.0
    fdi: float = 0.0
    project_investment: float = 0.0  # yuan of major projects' tranches ordered this month
    projects_started: float = 0.0
    exchange_rate: float = 0.0  # CNY per USD this month
    # the county budget (model.actions.public): revenue and spending as the budget books them
    taxes_to_higher_levels: float = 0.0  # the central, provincial and Suzhou shares of taxes collected in Kunshan
    transfers_from_higher_levels: float = 0.0
    state_asset_income: float = 0.0  # dividends of state-owned firms and what exiting ones leave their owner
    government_interest: float = 0.0  # paid to the bank on net debt (negative: earned on net deposits)
    public_investment_paid: float = 0.0
    village_grants: float = 0.0  # capital grants to villages (village collective support)
    # the government-fund budget: industrial land sold to new plants (model.agents.land)
    land_transfer_revenue: float = 0.0  # paid by entrants and major projects for land-use rights
    land_discount: float = 0.0  # land revenue forgone on foreign buyers' discounts (the FDI lever's cost)
    land_compensation: float = 0.0  # paid to village collectives for the land requisitioned
    land_site_preparation: float = 0.0  # site preparation ordered from builders for next month (public investment)
    public_revenue: float = 0.0  # taxes kept, contributions, state asset income, transfers from higher levels, land
    public_spending: float = (
        0.0  # purchases, public investment, pensions, transfers, grants, land compensation, interest
    )
    debt_cut: float = 0.0  # discretionary orders cut this month because net debt passed its limit
    policy_cost: np.ndarray | None = None  # by lever (model.policy.LEVERS order): budget cost this month
    # the bank
    bank_interest_received: float = 0.0  # from indebted firms and the county
    bank_interest_paid: float = 0.0  # to households' deposits (and to the county's net deposits)
    loan_losses: float = 0.0  # debts of exiting firms written off
    interbank_interest: float = 0.0  # earned on the bank's net claims on banks outside Kunshan (negative: paid)


@dataclass
class State:
    firms: Firms
    persons: Persons
    households: Households
    villages: Villages
    sectors: Sectors
    economy: Economy
    flows: MonthFlows = field(default_factory=MonthFlows)  # this month's recorded flows (see model.accounts)

    def money_total(self) -> float:
        """Sum of every sector's net money: conserved by every payment in the model."""
        f, h = self.firms, self.households
        return float(
            wsum(f.weight[: f.n], f.deposits[: f.n])
            + self.economy.household_weight * h.deposits[: h.n].sum()
            + self.villages.deposits.sum()
            + self.sectors.government
            + self.sectors.higher_government
            + self.sectors.rest_of_world
            + self.sectors.bank
        )
