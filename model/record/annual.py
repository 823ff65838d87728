"""The annual record: the initial state as the year before the start, then each calendar year at
the end of December.

Separate from the monthly record (model.record.monthly) because a year is a different reading of
the economy: it sums the months' flows (its sums arrive from the monthly record) and measures the
year-end populations (firm tiers, above-scale output, the income distribution, the population by
age), and it keeps a memory of earlier years (growth rates, the survey's urban weight against the
initial urban share).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np

from model.agents.programmes import LEVER_NAMES
from model.arrays import matvec, wsum
from model.data.derive import (
    above_scale_growth_at_origin,
    broad_strategic_core_weight,
    initial_targets,
    urban_weight_in_income_survey,
)
from model.data.observed import Vintage
from model.record.measures import (
    ABOVE_SCALE_REVENUE,
    LORENZ_POINTS,
    TABLE,
    WAN,
    YI,
    by_value,
    income_distribution,
    population_by_age,
    public_stocks,
    rural_wages,
)
from model.record.monthly import PUBLIC_FLOWS
from model.state import LABOUR_FORCE, RURAL_REGISTERED, URBAN_REGISTERED, State
from model.variables import ANNUAL, TIER_LOWER_YI

# From this many households up, a year's income distribution is measured on the record's own thread
# (below: a sort of the households' per-capita incomes, 0.1 s at a million) while the economy goes
# on with its year end; smaller economies (sweeps' and ensembles' runs, whose workers already keep
# every core busy) measure it in line. Either way the same function on the same copies: same bits.
BACKGROUND_HOUSEHOLDS = 100_000
_record_thread: ThreadPoolExecutor | None = None


def _in_background(function, *args) -> Future:
    """``function(*args)`` on the record's thread (one for the process, made when first needed)."""
    global _record_thread
    if _record_thread is None:
        _record_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kunshan-record")
    return _record_thread.submit(function, *args)


def _distribution(per_capita: np.ndarray, weights: np.ndarray) -> tuple[float, np.ndarray]:
    """The Gini coefficient and the Lorenz curve of per-capita incomes weighted by persons."""
    return income_distribution(*by_value(per_capita, weights))


PIONEER = np.array([g == "pioneer" for g in TABLE.group])
PILLAR_CORES = np.isin(np.array(TABLE.ids), ["electronics_core", "equipment_core"])

# Rows of the annual record that are a year's sum in yi yuan: row name -> the sum it comes from.
SUMS_IN_YI = {
    "gdp": "gdp_production",
    "gdp_production": "gdp_production",
    "gdp_income": "gdp_income",
    "gdp_expenditure": "gdp_expenditure",
    "gdp_real_total": "gdp_real",
    "cluster_output": "cluster_output",
    "cluster_outside_sales": "cluster_outside_sales",
    "cluster_rd_spending": "cluster_rd_spending",
    "project_investment": "project_investment",
    "exports": "exports_usd",
    "imports": "imports_usd",
    "fdi_utilised": "fdi_usd",
    "public_budget_revenue": "local_taxes",
    "wages": "wages_paid",
    "household_consumption": "household_consumption",
    "government_consumption": "government_consumption",
    "investment": "investment",
    "inventory_change": "inventory_change",
    "rd_spending": "rd_spending",
    "profit_outflow": "profit_outflow",
    "debt_limit_cuts": "debt_cut",
    "public_revenue": "public_revenue",
    "public_spending": "public_spending",
    "government_interest": "government_interest",
    "transfers_from_higher_levels": "transfers_from_higher_levels",
    "land_transfer_revenue": "land_transfer_revenue",
    "taxes_to_higher_levels": "taxes_to_higher_levels",
    "policy_cost": "policy_cost",
    "imputed_rent": "imputed_rent",
}


class AnnualRecord:
    """The ANNUAL variables (model.variables) and the Lorenz curve, a list each, one entry a year."""

    def __init__(
        self,
        state: State,
        start: str,
        vintage: Vintage,
        strategic_demand_premium: float = 0.0,
        income_distribution: bool = True,
    ):
        """``vintage``: the observed data the initial state was built from; the record's few observed
        figures and derived weights come from it (the strategic-emerging share carried to the origin
        by ``strategic_demand_premium`` when the origin's own is not published).
        ``income_distribution=False`` leaves ``income_gini`` and ``income_lorenz`` NaN: for a caller
        that keeps neither (a sweep's worker), the year's sort of every household's income is a
        thirtieth of a run at scale 0.02."""
        self.vintage = vintage
        self.income_distribution = income_distribution
        self.run_rate = initial_targets(self.vintage).run_rate  # R1: the initial month over the origin's average month
        self.survey_urban_weight = urban_weight_in_income_survey(self.vintage)
        # The official strategic-emerging total (national classification): the six, the pioneers, and
        # a derived share of the two pillar cores (model.data.derive.broad_strategic_core_weight).
        self.broad_core_weight = broad_strategic_core_weight(self.vintage, strategic_demand_premium)
        self.values: dict[str, list] = {k: [] for k in ANNUAL}
        self.values["income_lorenz"] = []
        self.years: list[int] = []
        self._pending: list[tuple[int, Future]] = []  # (year's index, its income distribution being measured)
        self._urban_share_origin = None  # the simulated urban population share of the initial year
        self._average_wage = 0.0  # last year's average monthly wage per employee (for wage_growth)
        self._record_initial(state, start)

    def _record_initial(self, s: State, start: str) -> None:
        """The initial state as the year before the start (2021 by default): the levels the economy was built to reproduce."""
        f, hs, e = s.firms, s.households, s.economy
        n, nh = f.n, hs.n
        hw = e.household_weight
        t, v = initial_targets(self.vintage), self.vintage
        w = f.weight[:n]
        monthly_output = np.bincount(f.cluster[:n], weights=w * f.output[:n], minlength=TABLE.n)
        va = wsum(w, f.output[:n] * TABLE.va_ratio[f.cluster[:n]])
        fx = t.exchange_rate
        rural = hs.rural
        size = hs.size[:nh]
        income = hs.income_last_year[:nh]
        revenue = f.revenue_last_year[:n]
        industry = TABLE.is_industry[f.cluster[:n]]
        row = {
            "gdp": 12 * va / self.run_rate / YI,
            "cluster_output": 12 * monthly_output / self.run_rate / YI,
            "gdp_real_growth": v.at_origin("gdp_real_growth"),
            # the origin's growth of above-scale output: published, or derived (model.data.derive)
            "above_scale_industrial_output_growth": above_scale_growth_at_origin(v),
            "exports": t.exports_usd,
            "imports": t.imports_usd,
            "exchange_rate": fx,
            "public_budget_revenue": 12 * s.flows.local_taxes / self.run_rate / YI,  # of the initial month
            "wages": 12 * s.flows.wages_received / self.run_rate / YI,
            # of the initial month, per person employed at the start
            "average_wage": s.flows.wages_received
            / max(np.count_nonzero(s.persons.employer_cluster[: s.persons.n] >= 0) * s.economy.household_weight, 1.0),
            "household_disposable_income_total": income.sum() * hw,
            "urban_income_total": income[~rural].sum() * hw,
            "rural_income_total": income[rural].sum() * hw,
            "population": size.sum() * hw,
            "urban_population": size[~rural].sum() * hw,
            "rural_population": size[rural].sum() * hw,
            "village_income": s.villages.income_last_year.sum(),
            "rural_wages": 12 * rural_wages(s) / self.run_rate,
        }
        self._annual_row(
            s,
            int(start[:4]) - 1,
            row,
            revenue,
            f.revenue_last_year[:n] * (industry & (revenue >= ABOVE_SCALE_REVENUE)),
            income,
            np.full(nh, 12.0),
        )

    def close_year(self, s: State, year: int, sums: dict[str, float]) -> None:
        """Annual indicators at the end of December, before the economy rolls its calendar year
        (model.step.end_of_year), from the sums of the year's months (model.record.monthly)."""
        f, hs, v = s.firms, s.households, s.villages
        n, nh = f.n, hs.n
        hw = s.economy.household_weight
        rural = hs.rural
        income = hs.income_year[:nh]
        revenue = f.revenue_year[:n] * f.alive[:n]
        industry = TABLE.is_industry[f.cluster[:n]]
        above_scale_output = f.output_year[:n] * (industry & (revenue >= ABOVE_SCALE_REVENUE))
        row = {
            **{name: sums[key] / YI for name, key in SUMS_IN_YI.items()},
            "cluster_imported_inputs": sums["cluster_imported_inputs"],
            "firms_relocated": sums["relocations"],
            "projects_started": sums["projects_started"],
            "exchange_rate": sums["fx"],
            "average_wage": sums["wages_paid"] / max(sums["employed_months"], 1.0),
            "household_disposable_income_total": income.sum() * hw,
            "urban_income_total": income[~rural].sum() * hw,
            "rural_income_total": income[rural].sum() * hw,
            "population": sums["population"],
            "urban_population": sums["urban_population"],
            "rural_population": sums["rural_population"],
            "village_income": v.income_year.sum(),
            "rural_wages": sums["rural_wages"],
            "property_income": sums["household_property_income"],
            "migrant_arrivals": sums["migrant_arrivals"],
            "migrant_departures": sums["migrant_departures"],
            "rent_paid": sums["rent_paid"],
            "remittances_out": sums["remittances_out"],
        }
        first_month_of_year = s.economy.month - 11  # close_year runs before the month counter moves on
        self._annual_row(
            s,
            year,
            row,
            revenue,
            above_scale_output,
            income,
            np.where(hs.arrived[:nh] < first_month_of_year, 12.0, 0.0),
        )

    def _annual_row(
        self,
        s: State,
        year: int,
        row: dict,
        revenue: np.ndarray,
        above_scale_output: np.ndarray,
        income: np.ndarray,
        months_present: np.ndarray,
    ) -> None:
        f, hs, ps, e = s.firms, s.households, s.persons, s.economy
        n, nh, m = f.n, hs.n, ps.n
        hw = e.household_weight
        w = f.weight[:n] * f.alive[:n]
        cluster_output = row["cluster_output"]
        tiers = np.array(
            [
                np.sum(w * (revenue >= lo * YI) * (revenue < hi * YI))
                for lo, hi in zip(TIER_LOWER_YI, (np.inf, *TIER_LOWER_YI[:-1]))
            ]
        )
        industry = TABLE.is_industry[f.cluster[:n]]
        strategic = np.array([g == "strategic" for g in TABLE.group])
        urban_pc = row["urban_income_total"] / row["urban_population"]
        urban_share = row["urban_population"] / row["population"]
        if self._urban_share_origin is None:
            self._urban_share_origin = urban_share
        urban_weight = float(np.clip(self.survey_urban_weight + urban_share - self._urban_share_origin, 0.0, 1.0))
        rural_pc = row["rural_income_total"] / row["rural_population"]
        pending = None
        if not self.income_distribution:
            income_gini, income_lorenz = np.nan, np.full(LORENZ_POINTS, np.nan)
        else:
            full_year = hs.alive[:nh] & (months_present >= 12) & (hs.size[:nh] > 0)
            per_capita = income[full_year] / hs.size[:nh][full_year]
            persons_weight = hs.size[:nh][full_year]
            if len(per_capita) >= BACKGROUND_HOUSEHOLDS:  # copies (masked gathers): the economy may go on
                pending = _in_background(_distribution, per_capita, persons_weight)
                income_gini = income_lorenz = None  # written in by settled(), which every reading goes through
            else:
                income_gini, income_lorenz = _distribution(per_capita, persons_weight)
        labour_force = np.count_nonzero(ps.role[:m] == LABOUR_FORCE) * hw
        employed = np.count_nonzero(ps.employer_cluster[:m] >= 0) * hw
        group = hs.group[:nh]
        registered = hs.alive[:nh] & ((group == URBAN_REGISTERED) | (group == RURAL_REGISTERED))
        previous_real = self._previous_real()
        real_total = row.get("gdp_real_total", row["gdp"])
        previous_above_scale = self._last("above_scale_industrial_output")
        above_scale = float(wsum(w, above_scale_output) / YI)
        # The statistics of the industries (pillars, strategic, clusters at 1000 yi) count
        # above-scale firms only; the firms below the threshold are in cluster_output.
        above_scale_by_cluster = np.bincount(f.cluster[:n], weights=w * above_scale_output, minlength=TABLE.n) / YI
        values = {
            "electronic_information_output": wsum(TABLE.reporting["electronic_information"], above_scale_by_cluster),
            "high_end_equipment_output": wsum(TABLE.reporting["high_end_equipment"], above_scale_by_cluster),
            "firms_revenue_ge_1000_yi": tiers[0],
            "firms_revenue_100_to_1000_yi": tiers[1],
            "firms_revenue_10_to_100_yi": tiers[2],
            "strategic_industries_at_1000_yi": float(np.sum(above_scale_by_cluster[strategic] >= 1000.0)),
            # over the population the model simulates: the survey's urban weight moves with the simulated
            # urban share (the origin's gap between the two held), so the origin reproduces the survey
            "disposable_income_per_capita": urban_weight * urban_pc + (1.0 - urban_weight) * rural_pc,
            "survey_urban_weight": urban_weight,
            "rural_wage_income_per_capita": row["rural_wages"] / row["rural_population"],
            "property_income_per_capita": row.get("property_income", 0.0) / row["population"],
            "migrant_arrivals": row.get("migrant_arrivals", 0.0) / WAN,
            "rent_paid": row.get("rent_paid", 0.0) / YI,
            "rent_received": row.get("rent_paid", 0.0) / YI,
            "remittances_out": row.get("remittances_out", 0.0) / YI,
            "imputed_rent": row.get("imputed_rent", 0.0),
            "housing_wealth": hs.size[:nh][registered].sum() * hw * e.housing_value_per_person / YI,
            "migrant_departures": row.get("migrant_departures", 0.0) / WAN,
            "rural_disposable_income_per_capita": rural_pc,
            "urban_disposable_income_per_capita": urban_pc,
            "urban_rural_income_ratio": urban_pc / rural_pc,
            "village_collective_income_avg": row["village_income"] / e.villages / WAN,
            "village_collective_income_total": row["village_income"] / YI,
            "gdp": row["gdp"],
            "gdp_production": row.get("gdp_production", row["gdp"]),
            "gdp_income": row.get("gdp_income", row["gdp"]),
            "gdp_expenditure": row.get("gdp_expenditure", row["gdp"]),
            # Ratios over a year without production (a whole year of total lockdown) would be 0/0:
            # growth from nothing is reported as 0, as for above-scale output, and the deflator holds.
            "gdp_real_growth": row["gdp_real_growth"]
            if "gdp_real_growth" in row
            else real_total / previous_real - 1.0
            if previous_real > 0
            else 0.0,
            "gdp_deflator": row["gdp"] / real_total if real_total > 0 else self._last("gdp_deflator") or 1.0,
            "above_scale_industrial_output": above_scale,
            "above_scale_industrial_output_growth": row.get(
                "above_scale_industrial_output_growth",
                above_scale / previous_above_scale - 1.0 if previous_above_scale else 0.0,
            ),
            "trade_total": row["exports"] + row["imports"],
            "exports": row["exports"],
            "imports": row["imports"],
            "exchange_rate": row["exchange_rate"],
            "external_demand_shock": e.external_demand_shock,
            "fdi_utilised": row.get("fdi_utilised", self.vintage.latest("fdi_utilised")[1]),
            "household_consumption": row.get("household_consumption", 0.0),
            "government_consumption": row.get("government_consumption", 0.0),
            "investment": row.get("investment", 0.0),
            "inventory_change": row.get("inventory_change", 0.0),
            "wages": row["wages"],
            "cluster_output": cluster_output,
            "cluster_output_above_scale": above_scale_by_cluster,
            "cluster_employment": np.bincount(
                np.where(ps.employer_cluster[:m] >= 0, ps.employer_cluster[:m], 0),
                weights=(ps.employer_cluster[:m] >= 0) * hw,
                minlength=TABLE.n,
            ),
            "firms_by_tier": tiers,
            "firms_revenue_ge_100_yi": tiers[:2].sum(),
            "firms_revenue_ge_10_yi": tiers[:3].sum(),
            "firms_revenue_ge_1_yi": tiers[:4].sum(),
            "above_scale_firms": float(np.sum(w * industry * (revenue >= ABOVE_SCALE_REVENUE))),
            "firms_alive": float(w.sum()),
            "strategic_emerging_output": float(
                above_scale_by_cluster[strategic | PIONEER].sum()
                + self.broad_core_weight * above_scale_by_cluster[PILLAR_CORES].sum()
            ),
            "rd_spending_share_of_gdp": row.get("rd_spending", 0.0) / row["gdp"] if row["gdp"] > 0 else 0.0,
            "cluster_outside_sales": row.get("cluster_outside_sales", np.zeros(TABLE.n)),
            "firms_relocated": row.get("firms_relocated", 0.0),
            "project_investment": row.get("project_investment", 0.0),
            "projects_started": row.get("projects_started", 0.0),
            "projects_operating": float(np.sum(w * f.is_project[:n] * (f.project_months[:n] == 0))),
            "cluster_rd_spending": row.get(
                "cluster_rd_spending",
                12.0 * np.bincount(f.cluster[:n], weights=w * f.rd_order[:n], minlength=TABLE.n) / self.run_rate / YI,
            ),
            "cluster_productivity": np.bincount(
                f.cluster[:n], weights=w * f.demand_share[:n] * f.productivity[:n], minlength=TABLE.n
            )
            / np.maximum(np.bincount(f.cluster[:n], weights=w * f.demand_share[:n], minlength=TABLE.n), 1e-300),
            # of the year's gross output; the initial year at its structure, every local order met
            "cluster_import_content": row["cluster_imported_inputs"] / np.maximum(row["cluster_output"] * YI, 1e-300)
            if "cluster_imported_inputs" in row
            else (1.0 - TABLE.va_ratio) - matvec(e.local_input.T, np.ones(TABLE.n)),
            "cluster_price": e.price.copy(),
            "cluster_unit_cost": e.unit_cost.copy(),
            "cluster_markup": e.markup.copy(),
            "income_gini": income_gini,
            "resident_population": hs.size[:nh][hs.alive[:nh]].sum() * hw / WAN,
            "registered_population": hs.size[:nh][registered].sum() * hw / WAN,
            "employment": employed / WAN,
            "unemployment_rate": max(0.0, 1.0 - employed / max(labour_force, 1.0)),  # no -2e-16
            "public_budget_revenue": row["public_budget_revenue"],
            "profit_outflow": row.get("profit_outflow", 0.0),
            "population_by_age": population_by_age(ps, m) * hw / WAN,
            "births": float(np.count_nonzero(ps.alive[:m] & (ps.age[:m] == 0.0))) * hw / WAN,
            "deaths": e.deaths_at_new_year / WAN,
            "retirements": e.retirements_at_new_year / WAN,
            "reclassified_persons": e.reclassified_at_new_year / WAN,
            "wage_growth": row["average_wage"] / self._average_wage - 1.0 if self._average_wage > 0 else 0.0,
            # the public sector: the year's flows (the initial year: its first month at an annual rate), year-end stocks
            "policy_cost": row.get("policy_cost", np.zeros(len(LEVER_NAMES))),
            **{k: row.get(k, 12.0 * getattr(s.flows, k) / self.run_rate / YI) for k in PUBLIC_FLOWS},
            "debt_limit_cuts": row.get("debt_limit_cuts", 0.0),
            **public_stocks(s),
        }
        self._average_wage = row["average_wage"]
        for k in ANNUAL:
            self.values[k].append(values[k])
        self.values["income_lorenz"].append(income_lorenz)
        self.years.append(year)
        if pending is not None:
            self._pending.append((len(self.years) - 1, pending))
        self._real = getattr(self, "_real", [])
        self._real.append(real_total)

    def settled(self) -> dict[str, list]:
        """The values, with the income distributions still being measured on the record's thread
        waited for and written in (an error there is raised here)."""
        for index, pending in self._pending:
            self.values["income_gini"][index], self.values["income_lorenz"][index] = pending.result()
        self._pending.clear()
        return self.values

    def __getstate__(self) -> dict:
        """Copies and pickles (of a model mid-run) carry results, not threads' futures."""
        self.settled()
        return self.__dict__.copy()

    def _previous_real(self) -> float:
        return self._real[-1] if getattr(self, "_real", None) else np.nan

    def _last(self, name: str) -> float:
        return self.values[name][-1] if self.values[name] else 0.0
