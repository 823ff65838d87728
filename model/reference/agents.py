"""The agents of the reference model: one Python object per firm, household and person.

Each method is one agent's part of an action of :mod:`model.actions`, written for a single agent
with plain Python arithmetic. They are the readable statement of what the array kernels in
:mod:`model.agents` and :mod:`model.markets` compute for every row at once; the equivalence tests
hold the two to the same numbers. Cluster-level inputs (prices, growth rates, policy levers) are
passed in as plain floats already picked for the agent's cluster.

Exited firms and departed households stay in their lists (alive = False) until the yearly
compaction, exactly as their rows stay in the arrays: positions in those lists are what the
random draws are indexed by, and a few kernel formulas keep updating such rows (their capital
depreciates, their pay scale grows), which the methods below mirror instead of skipping.
"""

from __future__ import annotations

import dataclasses
import math

import mesa

from model.state import LABOUR_FORCE, UNEMPLOYED, Firms, Households, Persons


def _array_fields(population) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(population) if f.name != "n")


# Attribute names shared with the arrays of model.state, in the same order.
FIRM_FIELDS = _array_fields(Firms)
HOUSEHOLD_FIELDS = _array_fields(Households)
PERSON_FIELDS = _array_fields(Persons)


class _FieldAgent(mesa.Agent):
    """An agent whose attributes are the arrays of its population in model.state, every one given."""

    FIELDS: tuple[str, ...] = ()

    def __init__(self, model: mesa.Model, **fields):
        super().__init__(model)
        for name in self.FIELDS:
            setattr(self, name, fields[name])


class ReferenceFirm(_FieldAgent):
    """A firm (or, below 1 yi yuan of revenue at small scales, ``weight`` real firms alike)."""

    FIELDS = FIRM_FIELDS

    @classmethod
    def entrant(cls, model: mesa.Model, **fields) -> ReferenceFirm:
        """A firm entering this month: the given attributes, every other one zero (a new firm has
        no workers, stock, orders or history yet), alive."""
        return cls(
            model,
            **{
                **dict.fromkeys(FIRM_FIELDS, 0.0),
                "age": 0,
                "is_project": False,
                "project_months": 0,
                "alive": True,
                **fields,
            },
        )

    @property
    def live_weight(self) -> float:
        """Real firms this agent counts for in cluster totals: none once it has exited."""
        return self.weight if self.alive else 0.0

    # --- form_expectations
    def form_expectation(self, growth: float, smoothing: float) -> None:
        """Adaptive expectation: last month's sales and the old expectation, both grown at the
        cluster's expected growth."""
        naive = self.sales * (1.0 + growth)
        self.expected_sales = smoothing * naive + (1.0 - smoothing) * self.expected_sales * (1.0 + growth)

    # --- plan_production, produce
    def plan(self, capital_output: float, price: float, labour_per_output: float, p) -> None:
        """The most its capital allows in a month (nominal; capital is at 2021 prices); output to
        meet expected sales and move stocks to target, within that capacity; the workers it needs,
        shedding only part of any surplus a month (labour hoarding)."""
        self.capacity = self.capital / capital_output / 12.0 / p.capacity_utilisation_target * price
        capacity = self.capacity
        if not self.alive:
            self.planned_output = self.labour_demand = 0.0
            return
        expected = self.expected_sales
        wanted = expected + p.inventory_adjustment_monthly * (p.inventory_target_months * expected - self.inventory)
        self.planned_output = min(max(wanted, 0.0), capacity)
        needed = self.planned_output / price * labour_per_output / self.productivity
        if needed < self.employees:
            self.labour_demand = self.employees - p.labour_shedding_monthly * (self.employees - needed)
        else:
            self.labour_demand = needed

    def employ(self, cluster_ratio: float) -> None:
        """Employment: the firm's labour demand, rationed like every firm of its cluster."""
        self.employees = (self.labour_demand if self.alive else 0.0) * cluster_ratio

    def produce(self, price: float, labour_per_output: float, lost_share: float) -> None:
        """The plan, limited by the workers it got and by capital; a lockdown loses a share."""
        if not self.alive:
            self.output = 0.0
            return
        by_labour = self.employees * self.productivity / labour_per_output * price if labour_per_output > 0 else 0.0
        self.output = min(self.planned_output, by_labour, self.capacity) * (1.0 - lost_share)

    # --- sell
    def order_share(self) -> float:
        """The firm's pull on its cluster's demand: its demand share (none once it has exited)."""
        if not self.alive:
            return 0.0
        return self.demand_share

    def sell_first_round(self, cluster_demand: float, share: float, cluster_share_total: float) -> float:
        """First round: its share of the cluster's demand, capped by output and stock. Returns what
        it has left to sell."""
        normalised = share / (cluster_share_total if cluster_share_total > 0 else 1.0)
        available = self.output + self.inventory
        self.sales = min(cluster_demand * normalised, available)
        return available - self.sales

    def sell_second_round(self, spare: float, rate: float) -> None:
        """Second round: the same part ``rate`` of its spare goods as every firm of its cluster
        (the cluster's demand that capped rivals could not serve); the rest stays in stock."""
        available = self.output + self.inventory
        self.sales = min(self.sales + spare * rate, available)  # never above the goods (rounding)
        self.inventory = available - self.sales  # what is left, so never below zero

    def settle_purchases(self, va_ratio: float, investment_price: float, rd_depreciation: float) -> None:
        """Receive sales; pay for inputs, and for the capital goods and R&D ordered last month,
        which arrive now."""
        self.intermediate = (1.0 - va_ratio) * self.output
        investment = self.investment_order if self.alive else 0.0
        rd = self.rd_order if self.alive else 0.0
        self.deposits += self.sales - investment - rd - self.intermediate
        self.capital += investment / investment_price
        self.rd_stock = self.rd_stock * (1.0 - rd_depreciation / 12.0) + rd

    # --- pay_wages_and_production_taxes, distribute_profits
    def pay_wages_and_taxes(self, vat_rate: float, subsidy_rate: float, rent_rate: float, floor_rate: float) -> float:
        """Pay the wage bill, taxes on production less subsidies, and village rent (land, and the
        floor space its village built, ``floor_rate`` per yuan of sales); returns value added."""
        self.wage_bill = self.wage * self.employees * self.alive
        value_added = self.output - self.intermediate
        self.vat = vat_rate * value_added
        self.subsidy = subsidy_rate * max(value_added, 0.0)
        self.rent = rent_rate * self.sales * (self.village >= 0) + floor_rate * self.sales
        self.deposits -= self.wage_bill + self.vat - self.subsidy + self.rent
        return value_added

    def pay_interest_tax_dividends(self, p, loan_spread: float, price: float) -> tuple[float, float, float, float]:
        """Interest on credit, corporate tax on profit, then dividends the deposits can cover.

        Returns (operating surplus, interest, corporate tax, dividends) for the cluster totals."""
        interest = (p.deposit_interest_rate + loan_spread) / 12.0 * max(-self.deposits, 0.0)
        surplus = self.output - self.intermediate - self.wage_bill - self.vat + self.subsidy
        depreciation = p.depreciation_rate / 12.0 * self.capital * price
        taxable = surplus - self.rent - interest - depreciation
        tax = p.corporate_tax_rate * max(taxable, 0.0)
        profit = taxable - tax
        self.deposits -= interest + tax
        if self.output > 0:
            weight = p.profit_margin_smoothing
            self.profit_margin = (1.0 - weight) * self.profit_margin + weight * profit / self.output
        dividends = min(max(p.dividend_payout * profit, 0.0), max(self.deposits, 0.0)) if self.alive else 0.0
        self.deposits -= dividends
        return surplus, interest, tax, dividends

    # --- invest_and_innovate
    def order_investment_and_rd(
        self,
        p,
        price: float,
        investment_price: float,
        expected_growth: float,
        capital_output: float,
        boost: float,
        rd_intensity: float,
        rd_subsidy: float,
        credit_limit_share: float,
    ) -> float:
        """Capital wears out; order capital goods (replace wear, close part of the gap to the
        capital expected sales need) while within the credit limit; order R&D, part of it paid by
        the budget. Returns the R&D grant received."""
        self.capital *= 1.0 - p.depreciation_rate / 12.0
        credit_limit = credit_limit_share * self.capital * price
        real_expected = self.expected_sales / investment_price * (1.0 + min(max(3.0 * expected_growth, -0.05), 0.05))
        gap = real_expected * 12.0 * capital_output - self.capital
        real_order = max(p.depreciation_rate / 12.0 * self.capital + p.capital_adjustment_monthly * gap, 0.0) * (
            1.0 + boost
        )
        within_limit = self.deposits > -credit_limit
        self.investment_order = real_order * investment_price if within_limit and self.alive else 0.0
        intensity = rd_intensity * (1.0 + rd_subsidy)
        self.rd_order = intensity * self.sales * self.alive
        grant = rd_subsidy * rd_intensity * self.sales * self.alive
        self.deposits += grant
        return grant

    def search(
        self, u_innovate: float, jump: float, u_imitate: float, rd_per_worker_norm: float, target: float, p
    ) -> None:
        """Innovation (an exponential jump) and imitation (part of the gap to Shanghai's frontier),
        each with a chance 1 - (1 - φ)^x rising in R&D per worker x (against the 2021 norm)."""
        x = (
            self.rd_order / self.employees / rd_per_worker_norm
            if self.employees > 0 and rd_per_worker_norm > 0
            else 0.0
        )
        if u_innovate < min(1.0 - (1.0 - p.innovation_probability) ** max(x, 0.0), 0.5):
            self.productivity *= 1.0 + p.innovation_jump_mean * jump
        if u_imitate < min(1.0 - (1.0 - p.imitation_probability) ** max(x, 0.0), 0.5):
            self.productivity += p.imitation_catch_up * max(target - self.productivity, 0.0)

    def competitiveness(self, p) -> float:
        """Cheaper and better firms win buyers: -ω_p log(price) + ω_q R&D stock / (stock + a year's expected sales)."""
        stock, annual = max(self.rd_stock, 0.0), 12.0 * max(self.expected_sales, 0.0)
        quality = stock / (stock + annual) if stock + annual > 0 else 0.0
        price = self.price if self.price > 0 else 1.0
        return -p.competitiveness_price_elasticity * math.log(price) + p.competitiveness_quality_weight * quality

    def follow_frontier_and_shift_demand(self, frontier_growth: float, normal: float, advantage: float, p) -> None:
        """Productivity moves with the cluster frontier; the market share moves with the firm's
        competitiveness above its cluster's mean (replicator) and takes a Gibrat shock."""
        self.productivity *= 1.0 + frontier_growth
        volatility = p.demand_share_volatility
        self.demand_share *= math.exp(volatility * normal - 0.5 * volatility**2 + p.replicator_speed * advantage)

    def set_price(self, cost: float, markup: float, speed: float) -> None:
        """The price closes a share of the log gap to the markup on unit cost."""
        target = (1.0 + markup) * cost
        if self.price > 0 and target > 0:
            self.price *= (target / self.price) ** speed
        else:
            self.price = max(target, 0.0)

    # --- enter_and_exit
    def is_exiting(self, uniform: float, p, price: float, small_revenue: float) -> bool:
        """Exit: small firms by a background hazard, any firm when its debt passes the limit or
        after sustained losses (smoothed margin below the limit, two years old or more)."""
        hazard = self.revenue_last_year < small_revenue and uniform < p.exit_hazard_small / 12.0
        insolvent = self.deposits < -(
            p.insolvency_of_capital * self.capital * price + p.insolvency_sales_months * self.sales
        )
        losing = self.profit_margin < -p.loss_exit_margin and self.age >= 24
        return self.alive and (hazard or insolvent or losing)

    def is_relocating(self, uniform: float, competitors_price: float, industry: bool, p) -> bool:
        """An industrial firm dearer than competitors elsewhere moves out with a chance rising in the gap."""
        if not (self.alive and industry and self.project_months == 0):
            return False
        gap = math.log((self.price if self.price > 0 else 1.0) / competitors_price)
        return uniform < p.relocation_cost_sensitivity / 12.0 * max(gap, 0.0)

    def close(self) -> None:
        self.deposits = self.employees = self.inventory = self.investment_order = self.rd_order = 0.0
        self.alive = False

    # --- set_prices_and_wages, age_and_accumulate
    def raise_pay(self, growth_factor: float) -> None:
        self.wage *= growth_factor

    def age_a_month(self) -> None:
        self.age += self.alive
        self.revenue_year += self.sales
        self.output_year += self.output


class ReferenceHousehold(_FieldAgent):
    """A household (``household_weight`` real households alike)."""

    FIELDS = HOUSEHOLD_FIELDS

    def __init__(self, model: mesa.Model, **fields):
        super().__init__(model, **fields)
        self.gross_wage = 0.0  # members' wages this month

    @property
    def is_migrant(self) -> bool:
        return self.group % 2 == 1  # migrant groups are odd

    def depart(self) -> float:
        """Leave Kunshan with the savings; returns them."""
        savings = self.deposits
        self.deposits = self.equity = self.size = 0.0
        self.alive = False
        return savings

    def settle(self) -> None:
        """Obtain local registration (hukou): URBAN_MIGRANT -> URBAN_REGISTERED, RURAL_ -> RURAL_."""
        self.group -= 1

    def receive_income(
        self, p, dividend_per_equity: float, pension: float, transfer_per_person: float, payout_per_person: float
    ) -> tuple[float, float, float, float]:
        """Net wages, dividends, deposit interest, pension, transfers and village payout, all paid
        into deposits. Returns (income, interest, pensions, transfers) for the budget totals."""
        net_wages = (1.0 - p.personal_tax_rate - p.social_contribution_rate) * self.gross_wage
        dividends = self.equity * dividend_per_equity
        interest = p.deposit_interest_rate / 12.0 * max(self.deposits, 0.0)
        pensions = self.retirees * pension
        transfers = self.size * transfer_per_person
        payout = self.size * payout_per_person
        income = net_wages + dividends + interest + pensions + transfers + payout
        self.deposits += income
        self.disposable_income = income
        self.income_year += income
        return income, interest, pensions, transfers

    def plan_consumption(self, p, smoothing: float) -> None:
        """Next month's order: a share of smoothed income and a slice of savings, never more than
        the household has; a household that left orders nothing."""
        self.expected_income = smoothing * self.disposable_income + (1.0 - smoothing) * self.expected_income
        plan = p.consumption_propensity_income * self.expected_income + p.consumption_propensity_wealth / 12.0 * max(
            self.deposits, 0.0
        )
        order = min(max(plan, 0.0), max(self.deposits + self.expected_income, 0.0))
        self.consumption_order = order * (self.size > 0)


class ReferencePerson(_FieldAgent):
    """A resident (``household_weight`` real persons alike), member of one household."""

    FIELDS = PERSON_FIELDS

    @property
    def is_seeking(self) -> bool:
        return self.employer_cluster == UNEMPLOYED and self.role == LABOUR_FORCE

    def separates(self, uniform: float, probability_by_cluster: list[float]) -> bool:
        """A worker leaves its job when its draw falls below its cluster's separation chance."""
        return self.employer_cluster != UNEMPLOYED and uniform < probability_by_cluster[self.employer_cluster]

    def leave_job(self) -> None:
        self.employer_cluster = UNEMPLOYED
        self.household.workers -= 1

    def take_job(self, cluster: int) -> None:
        self.employer_cluster = cluster
        self.household.workers += 1

    def leave_with_household(self, child_role: int) -> None:
        self.alive = False
        self.employer_cluster = UNEMPLOYED
        self.role = child_role

    def earn(self, wage_per_skill: list[float]) -> None:
        """Wage: the cluster's wage bill per unit of skill, times own skill (nothing if unemployed;
        index 0 of the table is the unemployed)."""
        self.wage = self.skill * wage_per_skill[self.employer_cluster + 1]
