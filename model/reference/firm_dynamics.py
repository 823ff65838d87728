"""Investment, innovation, exit and entry, one firm at a time (the per-agent statement of
model.actions.investment and model.actions.firm_dynamics)."""

from __future__ import annotations

import math

import numpy as np

from model.constants import PRODUCTIVITY_DISPERSION, SMALL_FIRM_REVENUE, TAIWAN_SHARE_OF_FOREIGN, WAN, YI
from model.params import Parameters
from model.policy import MonthPolicy
from model.reference.agents import ReferenceFirm
from model.reference.common import NC, TABLE, per_cluster
from model.state import OTHER_FOREIGN, PRIVATE, STATE_OWNED, TAIWAN
from model.streams import RandomStreams


class FirmDynamics:
    """Investment, innovation and firm turnover in the reference economy (a part of :class:`ReferenceEconomy`)."""

    def invest_and_innovate(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """Investment and R&D orders; innovation jumps; the frontier moves; demand shares shift."""
        e, sec = self.economy, self.sectors
        price = self._effective_price(pol).tolist()
        investment_price = self._investment_price(pol)
        growth, capital_output = e.expected_growth.tolist(), TABLE.capital_output.tolist()
        rd_subsidy, rd_base = pol.rd_subsidy.tolist(), e.rd_intensity_base.tolist()
        grants = 0.0
        for f in self.firms:
            c = f.cluster
            grant = f.order_investment_and_rd(
                p,
                price[c],
                investment_price,
                growth[c],
                capital_output[c],
                0.0,
                rd_base[c],
                rd_subsidy[c],
                p.credit_limit_of_capital * e.credit_supply,
            )
            grants += f.live_weight * grant
        sec.government -= grants

        # search: a uniform, a jump size and a uniform for imitation for every firm; chances rise
        # with R&D per worker against the cluster's 2021 norm
        k = len(self.firms)
        u_innovate = draws.innovation.random(k).tolist()
        jump = draws.innovation.exponential(size=k).tolist()
        u_imitate = draws.innovation.random(k).tolist()
        norm = e.rd_per_worker_base.tolist()
        shanghai = (
            e.productivity_frontier * np.exp(p.shanghai_frontier_gap * (1.0 + pol.shanghai_integration))
        ).tolist()
        for f, u, x, v in zip(self.firms, u_innovate, jump, u_imitate):
            f.search(u, x, v, norm[f.cluster], shanghai[f.cluster], p)

        real_output = self.flows.real_value_added_by_cluster
        previous = e.cluster_output_smoothed
        weight = p.agglomeration_output_smoothing
        e.cluster_output_smoothed = (1.0 - weight) * previous + weight * real_output
        both = (previous > 0) & (e.cluster_output_smoothed > 0)
        agglomeration = p.agglomeration_elasticity * np.log(
            np.where(both, e.cluster_output_smoothed / np.where(both, previous, 1.0), 1.0)
        )
        frontier_growth = (
            (p.trend_productivity_growth + p.shanghai_tech_spillover * pol.shanghai_integration) / 12.0
            + agglomeration
            + e.public_productivity_growth
        )
        e.productivity_frontier *= 1.0 + frontier_growth
        frontier_growth = frontier_growth.tolist()
        normal = draws.demand_shares.normal(size=len(self.firms)).tolist()
        fitness = [f.competitiveness(p) for f in self.firms]
        share_total, weighted_fitness = per_cluster(), per_cluster()
        for f, x in zip(self.firms, fitness):
            share_total[f.cluster] += f.live_weight * f.demand_share
            weighted_fitness[f.cluster] += f.live_weight * f.demand_share * x
        mean_fitness = [x / t if t > 0 else 0.0 for x, t in zip(weighted_fitness, share_total)]
        for f, z, x in zip(self.firms, normal, fitness):
            f.follow_frontier_and_shift_demand(frontier_growth[f.cluster], z, x - mean_fitness[f.cluster], p)
        self.flows.rd_grants = grants
        e.frontier_growth = np.array(frontier_growth)

    def enter_and_exit(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        self._exit_firms(p, draws.exits)
        domestic = self._domestic_entrants(p, draws.startups)
        foreign = self._foreign_entrants(p, pol, draws.foreign_entry)
        self.flows.land_transfer_revenue = self.flows.land_discount = 0.0
        self._new_firms(p, pol, *(d + f for d, f in zip(domestic, foreign)), draws.entrants)

    def _exit_firms(self, p: Parameters, rng: np.random.Generator) -> None:
        """Exiting firms' positive deposits go to their owners; their debts are written off."""
        sec = self.sectors
        price = self.economy.price.tolist()
        uniform = rng.random(len(self.firms)).tolist()
        exits = [f.is_exiting(u, p, price[f.cluster], SMALL_FIRM_REVENUE) for f, u in zip(self.firms, uniform)]
        moving_draw = rng.random(len(self.firms)).tolist()
        world, industry = self.economy.world_price.tolist(), TABLE.is_industry.tolist()
        moving = [
            not x and f.is_relocating(u, world[f.cluster], industry[f.cluster], p)
            for f, u, x in zip(self.firms, moving_draw, exits)
        ]
        exiting = [f for f, x, m in zip(self.firms, exits, moving) if x or m]
        self.flows.relocations = float(sum(f.weight for f, m in zip(self.firms, moving) if m))
        self.flows.loan_losses = 0.0
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
        self.flows.loan_losses = -written_off
        self.flows.state_asset_income += to_government
        self.flows.exits = exits

    def _domestic_entrants(self, p: Parameters, rng: np.random.Generator) -> tuple[list, ...]:
        """Start-ups, funded by resident households in proportion to their equity: lists of their
        clusters, ownership, weights, capital and deposits."""
        e = self.economy
        rate = self._entry_cluster_rates(p)
        k = rng.poisson(p.domestic_entry_per_year / 12.0 * e.scale * rate.sum())
        self.flows.domestic_entries = 0.0
        if k == 0:
            return [], [], [], [], []
        cluster = rng.choice(NC, size=k, p=rate / rate.sum()).tolist()
        capital = [
            p.entrant_capital_yi * YI * math.exp(z) for z in rng.normal(0.0, p.startup_capital_dispersion, k).tolist()
        ]
        weight = [1.0 / e.scale] * k
        deposits = [p.entrant_liquidity_of_capital * x for x in capital]
        self._share_out_to_owners(-sum(w * d for w, d in zip(weight, deposits)))
        self.flows.domestic_entries = float(sum(weight))
        return cluster, [PRIVATE] * k, weight, capital, deposits

    def _entry_cluster_rates(self, p: Parameters) -> np.ndarray:
        """Start-ups go where small firms are, more where the expected margin rose since 2021."""
        e = self.economy
        small = per_cluster()
        for f in self.firms:
            small[f.cluster] += f.live_weight * (f.revenue_last_year < SMALL_FIRM_REVENUE)
        small = np.array(small)
        margin, margin_start = 1.0 - e.unit_cost / e.price, e.markup_base / (1.0 + e.markup_base)
        pull = np.clip(np.nan_to_num(p.entry_profit_sensitivity * (margin - margin_start)), -3.0, 3.0)
        return small / small.sum() * np.exp(pull)

    def _foreign_entrants(self, p: Parameters, pol: MonthPolicy, rng: np.random.Generator) -> tuple[list, ...]:
        """Foreign-invested entrants (one agent each), funded from abroad: the same lists."""
        sec, output = self.sectors, self.flows.output_by_cluster
        fdi, taiwan_lever = p.fdi_promotion_effect * pol.fdi_attraction, p.taiwan_entry_effect * pol.taiwan_cooperation
        attraction = TABLE.foreign_share * output * (1.0 + fdi + TAIWAN_SHARE_OF_FOREIGN * taiwan_lever)
        rate = (
            p.foreign_entry_per_year
            / 12.0
            * pol.foreign_entry
            * attraction
            / max((TABLE.foreign_share * output).sum(), 1e-12)
        )
        k_by_cluster = rng.poisson(rate)
        k = int(k_by_cluster.sum())
        self.flows.fdi = 0.0
        if k == 0:
            return [], [], [], [], []
        cluster = np.repeat(np.arange(NC), k_by_cluster).tolist()
        taiwan = TAIWAN_SHARE_OF_FOREIGN * (1.0 + taiwan_lever)
        taiwan_probability = (taiwan / (taiwan + (1.0 - TAIWAN_SHARE_OF_FOREIGN) * (1.0 + fdi))).tolist()
        ownership = [
            TAIWAN if u < taiwan_probability[c] else OTHER_FOREIGN for u, c in zip(rng.random(k).tolist(), cluster)
        ]
        capital = [
            p.foreign_entrant_capital_yi * YI * math.exp(z)
            for z in rng.normal(0.0, p.foreign_entrant_capital_dispersion, k).tolist()
        ]
        deposits = [p.entrant_liquidity_of_capital * x for x in capital]
        sec.rest_of_world -= sum(deposits)
        self.flows.fdi = sum(x + d for x, d in zip(capital, deposits))
        return cluster, ownership, [1.0] * k, capital, deposits

    def _new_firms(
        self,
        p: Parameters,
        pol: MonthPolicy,
        cluster: list[int],
        ownership: list[int],
        weight: list[float],
        capital_yuan: list[float],
        deposits: list[float],
        rng: np.random.Generator,
    ) -> None:
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
        industry, fdi_lever = TABLE.is_industry.tolist(), pol.fdi_attraction.tolist()
        land_per_yuan = p.industrial_land_per_wan_yuan * p.industrial_land_price / WAN
        from_abroad = from_households = 0.0
        for j in range(k):
            c = cluster[j]
            v = village[j] if u_village[j] < rural_share[c] else -1
            # the owners buy the land of an industrial entrant's capacity off village land (model.agents.land)
            land = weight[j] * land_per_yuan * capital_yuan[j] if industry[c] and v < 0 else 0.0
            if ownership[j] in (TAIWAN, OTHER_FOREIGN):
                land = self._discounted(land, fdi_lever[c], p)
                from_abroad += land
            else:
                from_households += land
            self._sell_land(land)
            expected = capital_yuan[j] / capital_output[c] / 12.0 * p.entrant_ramp_up
            self.firms.append(
                ReferenceFirm.entrant(
                    self,
                    cluster=c,
                    ownership=ownership[j],
                    weight=weight[j],
                    village=v,
                    productivity=frontier[c] * math.exp(productivity_draw[j]),
                    demand_share=expected / demand[c] * share_total[c],
                    capital=capital_yuan[j] / price[c],
                    wage=average_wage[c],
                    sales=expected,
                    expected_sales=expected,
                    deposits=deposits[j],
                    price=price[c],
                    entry_year=e.year,
                )
            )
        self._pay_for_land(from_abroad, from_households)

    def _pay_for_land(self, from_abroad: float, from_households: float) -> None:
        """Foreign investors pay their land from abroad (FDI), resident owners by equity."""
        self.sectors.rest_of_world -= from_abroad
        self.flows.fdi += from_abroad
        if from_households:
            self._share_out_to_owners(-from_households)

    def _discounted(self, land: float, lever: float, p: Parameters) -> float:
        """A foreign buyer's land at the FDI attraction lever's discount; the forgone revenue is the
        lever's cost."""
        paid = land * (1.0 - min(p.fdi_land_discount * lever, 1.0))
        self.flows.land_discount += land - paid
        return paid

    def _sell_land(self, land: float) -> None:
        """The county receives ``land`` yuan for land-use rights."""
        self.sectors.government += land
        self.flows.land_transfer_revenue += land

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

    def start_and_build_projects(self, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
        """Major projects: those under construction invest a tranche, financed as they go, and take
        market access with their installed capacity; new ones arrive (one agent each)."""
        e, sec = self.economy, self.sectors
        gestation = max(round(p.project_gestation_months), 1)
        price, capital_output = e.price.tolist(), TABLE.capital_output.tolist()
        demand = np.where(e.last_demand > 0, e.last_demand, 1.0).tolist()
        share_total = per_cluster()
        for f in self.firms:
            share_total[f.cluster] += f.live_weight * f.demand_share
        from_abroad = equity = invested = land_abroad = land_households = 0.0
        industry, fdi_lever = TABLE.is_industry.tolist(), pol.fdi_attraction.tolist()
        land_per_yuan = p.industrial_land_per_wan_yuan * p.industrial_land_price / WAN
        for f in self.firms:
            if not (f.alive and f.project_months > 0):
                continue
            tranche = f.project_pending / f.project_months
            f.investment_order += tranche
            f.project_pending -= tranche
            f.project_months -= 1
            invested += tranche
            c = f.cluster
            # the land of this tranche's capacity, financed as the tranche (model.agents.land)
            land = land_per_yuan * tranche if industry[c] and f.village < 0 else 0.0
            if f.ownership in (TAIWAN, OTHER_FOREIGN):
                land = self._discounted(land, fdi_lever[c], p)
                self._sell_land(land)
                f.deposits += tranche
                from_abroad += tranche
                land_abroad += land
            else:
                self._sell_land(land)
                f.deposits += (1.0 - p.project_credit_share) * tranche
                equity += (1.0 - p.project_credit_share) * tranche
                f.deposits -= p.project_credit_share * land
                land_households += land - p.project_credit_share * land
            ramp = p.entrant_ramp_up + (1.0 - p.entrant_ramp_up) * (1.0 - f.project_months / gestation)
            expected = f.capital * price[c] / capital_output[c] / 12.0 * ramp
            market = 3 if f.ownership in (TAIWAN, OTHER_FOREIGN) else 2  # world, rest of China (model.policy.MARKETS)
            e.external_demand[market, c] += p.project_orders_brought * max(expected - f.expected_sales, 0.0) / price[c]
            f.expected_sales = max(f.expected_sales, expected)
            f.demand_share = max(f.demand_share, expected / demand[c] * share_total[c])
        sec.rest_of_world -= from_abroad
        self._share_out_to_owners(-equity)
        self.flows.fdi += from_abroad
        self.flows.project_investment = invested
        self._pay_for_land(land_abroad, land_households)

        rng = draws.projects
        base = TABLE.is_industry * np.maximum(self.flows.output_by_cluster, 0.0)
        fs, fe = TABLE.foreign_share, pol.foreign_entry
        rate = (
            p.project_rate_per_year
            / 12.0
            * base
            * (1.0 + pol.fdi_attraction)
            * (1.0 - fs + fs * fe)
            / max(base.sum(), 1e-12)
        )
        k_by_cluster = rng.poisson(rate)
        k = int(k_by_cluster.sum())
        self.flows.projects_started = float(k)
        if k == 0:
            return
        cluster = np.repeat(np.arange(NC), k_by_cluster).tolist()
        low, high, tail = p.project_size_min_yi, p.project_size_max_yi, p.project_size_tail
        size = [low * (1.0 - u * (1.0 - (low / high) ** tail)) ** (-1.0 / tail) * YI for u in rng.random(k).tolist()]
        owner, taiwan = rng.random(k).tolist(), rng.random(k).tolist()
        productivity_draw = rng.normal(-0.5 * PRODUCTIVITY_DISPERSION**2, PRODUCTIVITY_DISPERSION, k).tolist()
        u_village = rng.random(k).tolist()
        village = rng.integers(0, e.villages, k).tolist()
        total = 1.0 - fs + fs * fe
        foreign_share = np.where(total > 0, fs * fe / np.where(total > 0, total, 1.0), 0.0).tolist()
        rural_share = TABLE.rural_share.tolist()
        frontier, average_wage = e.productivity_frontier.tolist(), e.average_wage.tolist()
        for j in range(k):
            c = cluster[j]
            ownership = (
                (TAIWAN if taiwan[j] < TAIWAN_SHARE_OF_FOREIGN else OTHER_FOREIGN)
                if owner[j] < foreign_share[c]
                else PRIVATE
            )
            self.firms.append(
                ReferenceFirm.entrant(
                    self,
                    cluster=c,
                    ownership=ownership,
                    weight=1.0,
                    village=village[j] if u_village[j] < rural_share[c] else -1,
                    productivity=frontier[c] * math.exp(p.project_productivity_premium + productivity_draw[j]),
                    wage=average_wage[c],
                    price=price[c],
                    entry_year=e.year,
                    is_project=True,
                    project_pending=size[j],
                    project_months=gestation,
                )
            )
