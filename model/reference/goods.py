"""The goods market, one firm and household at a time (the per-agent statement of
model.actions.goods)."""

from __future__ import annotations

import numpy as np

from model.arrays import wsum
from model.markets import goods
from model.params import Parameters
from model.policy import MonthPolicy
from model.reference.common import NC, SHANGHAI, TABLE, WORLD, per_cluster


class GoodsMarket:
    """The goods market of the reference economy (a part of :class:`ReferenceEconomy`)."""

    def sell(self, p: Parameters, pol: MonthPolicy) -> None:
        """Buyers' orders meet firms' output and stocks; everybody pays; last month's orders of
        capital goods and R&D arrive."""
        e, sec = self.economy, self.sectors
        hw = e.household_weight
        price = self._effective_price(pol)
        output_by_cluster = per_cluster()
        for f in self.firms:
            output_by_cluster[f.cluster] += f.live_weight * f.output
        output_by_cluster = np.array(output_by_cluster)
        ext = goods.external_demand(
            e.external_demand,
            pol.export_demand,
            price,
            e.world_price * (1.0 + pol.price_level),
            p.export_price_elasticity,
            0.0,
        )  # subsidies are in the price
        ext[SHANGHAI] *= 1.0 + p.shanghai_market_access_effect * pol.shanghai_integration
        ext[WORLD] *= 1.0 + p.taiwan_export_order_share * pol.taiwan_cooperation
        external_c = ext.sum(axis=0)

        consumption = 0.0
        for h in self.households:
            consumption += h.consumption_order if h.alive else 0.0
        firm_investment = rd = 0.0
        rd_by_cluster = per_cluster()
        for f in self.firms:
            firm_investment += f.live_weight * (f.investment_order if f.alive else 0.0)
            rd += f.live_weight * (f.rd_order if f.alive else 0.0)
            rd_by_cluster[f.cluster] += f.live_weight * (f.rd_order if f.alive else 0.0)
        village_investment = e.village_investment_order
        spending = np.array(
            [
                consumption * hw,
                e.government_spending_order,
                firm_investment,
                rd,
                e.public_investment_order + village_investment,
            ]
        )
        local_final = goods.local_demand(spending, e.final_import_share, e.final_buyer_mix)
        # supplier development: each supported cluster buys more of its inputs locally, at most all of them
        local_input = e.local_input.copy()
        if np.any(pol.chain_leader_support):
            for buyer in range(NC):
                column = local_input[:, buyer].sum()
                room = (1.0 - TABLE.va_ratio[buyer]) / column if column > 0 else 1.0
                local_input[:, buyer] *= min(
                    1.0 + p.supplier_development_effect * pol.chain_leader_support[buyer], max(room, 1.0)
                )
        local_intermediate = goods.intermediate_demand(local_input, output_by_cluster)
        demand = external_c + local_final + local_intermediate
        e.local_demand_before = e.local_demand_last
        e.local_demand_last = np.array([(local_final[c] + local_intermediate[c]) / price[c] for c in range(NC)])

        shares = [f.order_share() for f in self.firms]
        share_total = per_cluster()
        for f, share in zip(self.firms, shares):
            share_total[f.cluster] += f.live_weight * share
        # Two rounds: each firm its share, capped by its goods; then the cluster's unmet demand goes to
        # its firms with goods to spare, in proportion to what they have left.
        demand_list, served, spare_total, spares = demand.tolist(), per_cluster(), per_cluster(), []
        for f, share in zip(self.firms, shares):
            spare = f.sell_first_round(demand_list[f.cluster], share, share_total[f.cluster])
            w = f.live_weight
            served[f.cluster] += w * f.sales
            spare_total[f.cluster] += w * spare
            spares.append(spare)
        served, spare_total = np.array(served), np.array(spare_total)
        unmet = np.maximum(demand - served, 0.0)
        second_rate = np.where(
            spare_total > 0, np.minimum(unmet / np.where(spare_total > 0, spare_total, 1.0), 1.0), 0.0
        ).tolist()
        served = per_cluster()
        for f, spare in zip(self.firms, spares):
            f.sell_second_round(spare, second_rate[f.cluster])
            served[f.cluster] += f.live_weight * f.sales
        fill = np.where(demand > 0, np.array(served) / np.where(demand > 0, demand, 1.0), 1.0)

        # Payments: buyers pay their orders in full; local firms receive their sales; the rest of
        # local spending leaves as imports; buyers outside pay for the exports they get.
        investment_price = self._investment_price(pol)
        va_ratio = TABLE.va_ratio.tolist()
        intermediate = output = inventory_change = 0.0
        real_value_added = per_cluster()
        for f in self.firms:
            f.settle_purchases(va_ratio[f.cluster], investment_price, p.rd_depreciation_rate)
            w = f.live_weight
            intermediate += w * f.intermediate
            output += w * f.output
            inventory_change += w * (f.output - f.sales)
            real_value_added[f.cluster] += w * (f.output - f.intermediate)
        for h in self.households:
            h.deposits -= h.consumption_order if h.alive else 0.0
        exports_sold = wsum(fill, external_c)
        local_sold = wsum(fill, local_final + local_intermediate)
        imports = spending.sum() + intermediate - local_sold
        sec.government -= e.government_spending_order + e.public_investment_order
        self.villages.deposits -= village_investment * self.villages.investment_split
        sec.rest_of_world += imports - exports_sold

        e.expected_growth = np.clip(
            (1.0 - p.demand_growth_expectation_weight) * e.expected_growth
            + p.demand_growth_expectation_weight * (demand / np.where(e.last_demand > 0, e.last_demand, 1.0) - 1.0),
            -p.max_expected_growth_monthly,
            p.max_expected_growth_monthly,
        )
        e.last_demand = demand
        recorded = {
            "output": output,
            "intermediate": intermediate,
            "inventory_change": inventory_change,
            "output_by_cluster": output_by_cluster,
            "real_value_added_by_cluster": np.array(real_value_added) / price,
            "demand_by_cluster": demand,
            "rd_by_cluster": np.array(rd_by_cluster),
            "outside_sales_by_cluster": np.array([f * x for f, x in zip(fill, external_c)]),
            "imported_inputs_by_cluster": goods.imported_inputs(TABLE.va_ratio, local_input, fill, output_by_cluster),
            "household_consumption": consumption * hw,
            "government_consumption": e.government_spending_order,
            "investment": firm_investment + rd + e.public_investment_order + village_investment,
            "rd_spending": rd,
            "exports_sold": exports_sold,
            "exports_abroad": sum(f * x for f, x in zip(fill, ext[WORLD])),
            "imports": imports,
            "imports_abroad": imports * e.import_abroad_share,
        }
        for name, value in recorded.items():
            setattr(self.flows, name, value)
        e.excess_demand = np.where(
            output_by_cluster > 0, demand / np.where(output_by_cluster > 0, output_by_cluster, 1.0) - 1.0, 0.0
        )
