"""The month of :func:`model.step.one_step`, written the plain Mesa way: a loop over agents per action.

This is the executable specification of the array kernels. Every random draw is made exactly as in
:mod:`model.actions` (the same generator methods, in the same order, with the same sizes), then
handed out one element per agent, so that both paths consume a generator identically and, from
the same generator state, reach the same economy. Totals over agents (the kernels' bincounts and
weighted sums) are loops that accumulate per cluster, village or household; what happens at the
level of clusters, villages and the coarse sectors (prices, external demand, the budget) works on
the short cluster arrays. It calls none of the actions it checks; parameters and constants come
from the modules that own them (model.params, model.constants), so a change there moves both paths.

The month's parts live beside their counterparts in model/actions/: this module holds the model,
the environment, production, prices and ageing; labour.py the labour market and demography,
goods.py the goods market, incomes.py incomes and next month's orders, firm_dynamics.py
investment, innovation, exit and entry (each a part of :class:`ReferenceEconomy`).
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from model.arrays import wsum
from model.params import Parameters
from model.policy import MonthPolicy
from model.reference.agents import ReferenceFirm, ReferenceHousehold, ReferencePerson
from model.reference.common import NC, TABLE, per_cluster
from model.reference.firm_dynamics import FirmDynamics
from model.reference.goods import GoodsMarket
from model.reference.incomes import Incomes
from model.reference.labour import LabourMarket
from model.state import Economy, MonthFlows, Sectors, Villages
from model.streams import RandomStreams


class ReferenceEconomy(mesa.Model, LabourMarket, GoodsMarket, Incomes, FirmDynamics):
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
        self.start_and_build_projects(p, pol, draws)
        self.settle_public_accounts(p)
        self.set_prices_and_wages(p, pol)
        self.age_and_accumulate()

    # ------------------------------------------------------------------ helpers
    def _effective_price(self, pol: MonthPolicy) -> np.ndarray:
        return self.economy.price * (1.0 + pol.price) * (1.0 + pol.price_level)

    def _investment_price(self, pol: MonthPolicy) -> float:
        return wsum(self.economy.final_buyer_mix[2], self._effective_price(pol))

    # ------------------------------------------------------------------ actions
    def update_external_environment(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """World prices drift with this year's producer-price inflation; each cluster's demand from
        outside takes the month's common shock and its own, around the real trend, and each market
        its drawn deviation; relocation takes its share of the cluster's demand and capacity away.
        Cluster by cluster, market by market."""
        e = self.economy
        volatility = p.export_demand_volatility / math.sqrt(12.0)
        common = draws.environment.normal()
        own = draws.environment.normal(size=NC).tolist()
        e.external_demand_shock += volatility * common
        ratio = p.export_demand_cluster_shock_ratio
        inflation = p.producer_inflation + e.producer_inflation_deviation
        drift = (p.export_demand_growth - inflation) / 12.0 - volatility**2 * (1.0 + ratio**2) / 2.0
        by_market = [math.exp(d / 12.0) for d in e.market_growth_deviation.tolist()]
        weight = p.local_demand_weight_nontradable
        for c in range(NC):
            e.world_price[c] *= 1.0 + inflation / 12.0
            kept = 1.0 - pol.relocation[c]
            premium = p.strategic_demand_premium / 12.0 if TABLE.is_emerging[c] else 0.0  # faster-growing products
            factor = math.exp(drift + premium + volatility * common + ratio * volatility * own[c])
            last, before = float(e.local_demand_last[c]), float(e.local_demand_before[c])
            local = last / before if before > 0 and last > 0 else 1.0
            for market in range(e.external_demand.shape[0]):
                outside = factor * by_market[market]
                if TABLE.serves_locally[c]:  # services, construction: the local economy, not the outside trend
                    outside = local**weight * outside ** (1.0 - weight)
                e.external_demand[market, c] *= outside * kept
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

    def produce(self, p: Parameters, pol: MonthPolicy) -> None:
        e = self.economy
        price = self._effective_price(pol).tolist()
        labour_per_output = e.labour_per_output.tolist()
        for f in self.firms:
            c = f.cluster
            f.produce(price[c], labour_per_output[c], pol.lockdown)

    def set_prices_and_wages(self, p: Parameters, pol: MonthPolicy) -> None:
        """Pay scales grow (a freeze stops them); each firm's price moves towards a markup on its
        unit cost; the cluster's price index is the share-weighted mean of its firms' prices."""
        e = self.economy
        if pol.wage_policy <= -1.0:
            growth = np.zeros(NC)
        else:
            seekers, employed = self.flows.job_seekers, self.flows.employed
            u = seekers / (seekers + employed) if seekers + employed > 0 else 0.0
            growth = (
                (
                    p.producer_inflation
                    + e.producer_inflation_deviation
                    + pol.wage_policy
                    + p.wage_phillips_slope * (p.natural_unemployment_rate - u)
                )
                / 12.0
                + p.wage_productivity_elasticity * e.frontier_growth
                + p.wage_vacancy_sensitivity * e.vacancy_rate
            )
            growth = np.where(growth < 0.0, (1.0 - p.downward_wage_rigidity) * growth, growth)
        e.base_wage *= 1.0 + growth
        factor = (1.0 + growth).tolist()
        for f in self.firms:
            f.raise_pay(factor[f.cluster])
        # each firm's price moves towards its markup on unit cost; the index weights them by share
        va = TABLE.va_ratio
        local = e.local_input.sum(axis=0)
        input_price = (e.price @ e.local_input + np.maximum((1.0 - va) - local, 0.0) * e.world_price) / (1.0 - va)
        materials = ((1.0 - va) * input_price).tolist()
        capital = (
            (p.deposit_interest_rate + p.loan_spread + p.depreciation_rate)
            * TABLE.capital_output
            * self._investment_price(pol)
        ).tolist()
        net_tax = ((p.vat_rate - p.subsidy_price_pass_through * pol.cluster_subsidy) * va * e.price).tolist()
        bound = p.excess_demand_bound
        e.markup = np.array(
            [
                (1.0 + e.markup_base[c]) * math.exp(p.markup_response * min(max(e.excess_demand[c], -bound), bound))
                - 1.0
                for c in range(NC)
            ]
        )
        markup, labour = e.markup.tolist(), e.labour_per_output.tolist()
        weight, priced, costed = per_cluster(), per_cluster(), per_cluster()
        for f in self.firms:
            c = f.cluster
            cost = f.wage * labour[c] / f.productivity + materials[c] + capital[c] + net_tax[c]
            f.set_price(cost, markup[c], p.price_adjustment_monthly)
            weight[c] += f.live_weight * f.demand_share
            priced[c] += f.live_weight * f.demand_share * f.price
            costed[c] += f.live_weight * f.demand_share * cost
        e.price = np.array([priced[c] / weight[c] if weight[c] > 0 else e.price[c] for c in range(NC)])
        e.unit_cost = np.array([costed[c] / weight[c] if weight[c] > 0 else e.unit_cost[c] for c in range(NC)])

    def age_and_accumulate(self) -> None:
        for f in self.firms:
            f.age_a_month()
