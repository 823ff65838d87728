"""The monthly record: each month's indicators, and the sums of the month's flows that the year's
record is made of.

Separate from the annual record (model.record.annual) because a month reads only this month's
flows and accounts and the state's counts, while the year reads what the months summed and the
year-end state; what passes from one to the other is the dict of sums (:meth:`MonthlyRecord.take_year_sums`).
"""

from __future__ import annotations

import numpy as np

from model.accounts import MonthAccounts
from model.arrays import wsum
from model.record.measures import WAN, YI, public_stocks
from model.state import LABOUR_FORCE, RURAL_REGISTERED, State
from model.variables import MONTHLY

# The county budget's flows, recorded by the year and (the initial year) at the first month's rate.
PUBLIC_FLOWS = (
    "public_revenue",
    "public_spending",
    "government_interest",
    "transfers_from_higher_levels",
    "land_transfer_revenue",
    "taxes_to_higher_levels",
)
# The month's flows (model.state.MonthFlows) and accounts (model.accounts.MonthAccounts) the year sums.
SUMMED_FLOWS = (
    "household_consumption",
    "government_consumption",
    "investment",
    "inventory_change",
    "imports",
    "exports_sold",
    "wages_paid",
    "local_taxes",
    "rd_spending",
    "profit_outflow",
    "fdi",
    "project_investment",
    "projects_started",
    "relocations",
    *PUBLIC_FLOWS,
    "debt_cut",
    "migrant_arrivals",
    "migrant_departures",
    "household_property_income",
    "rent_paid",
    "remittances_out",
    "rural_wages",
    "imputed_rent",
)
SUMMED_ACCOUNTS = ("gdp_production", "gdp_income", "gdp_expenditure", "gdp_real")


class MonthlyRecord:
    """The MONTHLY variables (model.variables), a list each, and this year's running sums."""

    def __init__(self):
        self.values: dict[str, list] = {k: [] for k in MONTHLY}
        self.year_sums: dict[str, float] = {}

    def record(self, s: State, a: MonthAccounts) -> None:
        fl, e, ps = s.flows, s.economy, s.persons
        hw = e.household_weight
        m = ps.n
        labour_force = np.count_nonzero(ps.role[:m] == LABOUR_FORCE) * hw  # leavers are no longer LABOUR_FORCE
        employed = fl.employed
        by_group = fl.persons_by_group  # counted by plan_public_spending (tests/test_record_speed.py)
        population = by_group.sum()
        fx = fl.exchange_rate
        values = {
            "gdp_production": a.gdp_production / YI,
            "gdp_income": a.gdp_income / YI,
            "gdp_expenditure": a.gdp_expenditure / YI,
            "gdp_real": a.gdp_real / YI,
            # a month without production (total lockdown) has no price of its own: the last one holds
            "price_index": a.gdp_production / a.gdp_real if a.gdp_real > 0 else self._last("price_index", 1.0),
            "cluster_output": fl.output_by_cluster / YI,
            "exports": fl.exports_abroad / fx / YI,
            "imports": fl.imports_abroad / fx / YI,
            "employment": employed / WAN,
            "unemployment_rate": max(0.0, 1.0 - employed / max(labour_force, 1.0)),  # no -2e-16
            "resident_population": population / WAN,
            "average_wage": fl.wages_paid / max(employed, 1.0),
            "household_disposable_income": fl.household_disposable_income / YI,
            "money_total": a.money_total / YI,
            "firms_alive": wsum(s.firms.weight[: s.firms.n], s.firms.alive[: s.firms.n]),
            "policy_cost": fl.policy_cost / YI,
            "public_revenue": fl.public_revenue / YI,
            "public_spending": fl.public_spending / YI,
            "government_interest": fl.government_interest / YI,
            "transfers_from_higher_levels": fl.transfers_from_higher_levels / YI,
            "land_transfer_revenue": fl.land_transfer_revenue / YI,
            "credit_supply": e.credit_supply,
        }
        stocks = public_stocks(s)
        values.update(
            {
                k: stocks[k]
                for k in (
                    "government_debt",
                    "public_capital",
                    "bank_equity",
                    "bank_loans",
                    "bank_capital_ratio",
                    "village_assets",
                )
            }
        )
        for k, v in values.items():
            self.values[k].append(v)
        sums = self.year_sums
        for k in SUMMED_FLOWS:
            sums[k] = sums.get(k, 0.0) + getattr(fl, k)
        for k in SUMMED_ACCOUNTS:
            sums[k] = sums.get(k, 0.0) + getattr(a, k)
        sums["employed_months"] = sums.get("employed_months", 0.0) + employed
        sums["exports_usd"] = sums.get("exports_usd", 0.0) + fl.exports_abroad / fx
        sums["imports_usd"] = sums.get("imports_usd", 0.0) + fl.imports_abroad / fx
        sums["fdi_usd"] = sums.get("fdi_usd", 0.0) + fl.fdi / fx
        sums["fx"] = sums.get("fx", 0.0) + fx / 12.0
        sums["cluster_output"] = sums.get("cluster_output", 0.0) + fl.output_by_cluster
        sums["cluster_outside_sales"] = sums.get("cluster_outside_sales", 0.0) + fl.outside_sales_by_cluster
        sums["cluster_rd_spending"] = sums.get("cluster_rd_spending", 0.0) + fl.rd_by_cluster
        sums["cluster_imported_inputs"] = sums.get("cluster_imported_inputs", 0.0) + fl.imported_inputs_by_cluster
        sums["policy_cost"] = sums.get("policy_cost", 0.0) + fl.policy_cost
        sums["population"] = sums.get("population", 0.0) + population / 12.0
        sums["urban_population"] = sums.get("urban_population", 0.0) + by_group[:RURAL_REGISTERED].sum() / 12.0
        sums["rural_population"] = sums.get("rural_population", 0.0) + by_group[RURAL_REGISTERED:].sum() / 12.0

    def take_year_sums(self) -> dict[str, float]:
        """This year's sums, for the year's record; the next month starts new ones."""
        sums, self.year_sums = self.year_sums, {}
        return sums

    def _last(self, name: str, default: float) -> float:
        return self.values[name][-1] if self.values[name] else default
