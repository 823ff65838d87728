"""Policy levers and exogenous shocks: what a scenario may schedule, and how each enters the model.

A scenario's policies and shocks are turned, once, into monthly paths (arrays over the simulated
months, and over clusters where they apply). The step reads the current month's row through one
hook, :meth:`PolicySchedule.at`. Nothing else in the model knows about scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.clusters import CLUSTER_IDS
from model.months import months_between

MARKETS: tuple[str, ...] = ("shanghai", "suzhou", "rest_of_china", "world")
# Share of Kunshan's external sales going to each market (assumption: customs data put about 70%
# of industrial sales abroad; the rest splits over the neighbours and the rest of China).
MARKET_SHARES = np.array([0.10, 0.08, 0.12, 0.70])

HOUSEHOLD_GROUPS: tuple[str, ...] = ("all_households", "urban_households", "rural_households", "migrant_households")


@dataclass(frozen=True)
class Lever:
    name: str
    targets: str  # "cluster" (a cluster id or "all"), "households", "villages", "economy"
    low: float
    high: float
    unit: str
    doc: str


# fmt: off
LEVERS: dict[str, Lever] = {lever.name: lever for lever in [
    # Each lever is a programme the county budget pays for (model.agents.programmes: cost per unit
    # and channel; docs/ODD.md, "Public sector": the table lever, payer, cost, channel, lag, effect size).
    Lever("cluster_subsidy", "cluster", 0.0, 0.2, "share of value added",
          "production subsidy paid by the budget to the cluster's firms; the pass-through share lowers their price to buyers outside"),
    Lever("rd_subsidy", "cluster", 0.0, 1.0, "share of R&D spending",
          "R&D grants from the budget co-funding firms' R&D; raise R&D intensity and so the chance of productivity jumps"),
    Lever("chain_leader_support", "cluster", 0.0, 0.5, "programme intensity (cost: 2% of chain leaders' sales per unit)",
          "supplier-development programme bought by the budget: the cluster sources more of its inputs locally"),
    Lever("fdi_attraction", "cluster", 0.0, 5.0, "programme intensity: relative increase of foreign entry at the default effect",
          "investment promotion bought by the budget (0.5 yi yuan a year per unit and cluster): more foreign-invested entry"),
    Lever("taiwan_cooperation", "cluster", 0.0, 5.0, "programme intensity: relative increase of Taiwan-invested entry at the default effect",
          "cross-strait cooperation promotion bought by the budget: more Taiwan-invested entry and Taiwan-linked export orders"),
    Lever("shanghai_integration", "economy", 0.0, 0.5, "programme intensity (cost: 2% of GDP a year per unit, public investment)",
          "transport and platform investment to Shanghai (public capital): lower distance cost to its market, faster technology catch-up"),
    Lever("rural_transfer", "households", 0.0, 50000.0, "yuan per person a year",
          "extra public transfer to each resident of the target household group, paid by the budget"),
    Lever("village_collective_support", "villages", 0.0, 2000.0, "wan yuan per village a year",
          "capital grants from the budget that villages spend on standard factory floor space, let to firms for rent"),
    Lever("public_services", "economy", 0.0, 0.05, "share of GDP a year",
          "extra public consumption (education, health, elderly and child care): demand, and amenity that draws migrants"),
    Lever("public_investment", "economy", 0.0, 0.05, "share of GDP a year",
          "extra public investment (rail S1, expressways, parks): demand, and public capital that raises productivity"),
    Lever("wage_policy", "economy", -1.0, 0.2, "change of negotiated wage growth, per year (-1 freezes wages)",
          "minimum-wage and wage-guidance policy; -1 freezes all wages; its cost falls on firms, not the budget"),
    Lever("talent_attraction", "economy", 0.0, 2.0, "programme intensity: relative increase of in-migration at the default effect",
          "talent apartments and hukou services bought by the budget (20,000 yuan per arriving worker per unit): more arrivals"),
    Lever("rural_training", "economy", 0.0, 20000.0, "yuan per rural labour-force member a year",
          "vocational training of rural residents, bought by the budget: raises their skill and so their earning power"),
]}
# fmt: on

# fmt: off
SHOCK_KINDS: dict[str, str] = {
    "export_demand": "relative change of external demand for the cluster's goods from the market (size -0.15 = -15%)",
    "lockdown": "share of output lost in the months of the shock (size 0.3 = 30% of the month's output lost)",
    "relocation": "share of the cluster's capacity moving abroad a year over the shock's months",
    "foreign_entry_stop": "relative change of foreign entry (size -1 = no foreign entry at all)",
    "exchange_rate": "CNY per USD path: a table year -> rate (replaces the baseline path)",
    "price": "relative change of the cluster's producer price (size 0.05 = +5%)",
    "price_level": "relative change of the price level of the cluster's goods everywhere, Kunshan's and its competitors' alike (a general inflation shock; size 0.05 = +5%)",
}
# fmt: on
# The size a shock of each kind may take (a demand or price change cannot go below -100%); the
# scenario schema checks each shock against it, and overlapping shocks add up only to its bounds.
# fmt: off
SHOCK_SIZES: dict[str, tuple[float, float]] = {
    "export_demand": (-1.0, 5.0),
    "lockdown": (0.0, 1.0),
    "relocation": (0.0, 1.0),
    "foreign_entry_stop": (-1.0, 5.0),
    "price": (-0.9, 5.0),
    "price_level": (-0.9, 5.0),
}
# fmt: on

# CNY per USD, annual averages (PBoC central parity: 2020 6.90, 2021 6.45, 2022 6.73); later years
# flat at the last observed value unless a scenario says otherwise. The origin's rate also turns the
# observed trade in USD into yuan when the initial state is built (model.data.derive).
BASELINE_EXCHANGE_RATE = {2020: 6.90, 2021: 6.45, 2022: 6.73}


def month_index(ym: str, start: str) -> int:
    """Months from ``start`` ("YYYY-MM") to ``ym`` ("YYYY-MM")."""
    return months_between(start, ym)


@dataclass
class MonthPolicy:
    """The levers and shocks in force in one month; clusters on the last axis."""

    cluster_subsidy: np.ndarray
    rd_subsidy: np.ndarray
    chain_leader_support: np.ndarray
    fdi_attraction: np.ndarray
    taiwan_cooperation: np.ndarray
    export_demand: np.ndarray  # (market, cluster) relative change
    lockdown: float
    relocation: np.ndarray  # per month share of capacity leaving
    foreign_entry: float  # multiplier of foreign entry (1 = baseline)
    price: np.ndarray
    price_level: np.ndarray  # moves Kunshan's and competitors' prices together
    shanghai_integration: float
    rural_transfer: np.ndarray  # per household group, yuan/person/year
    village_collective_support: float
    public_services: float
    public_investment: float
    wage_policy: float
    talent_attraction: float
    rural_training: float  # yuan per rural labour-force member a year
    exchange_rate: float


class PolicySchedule:
    """Monthly paths of every lever and shock, built once from a scenario's lists."""

    def __init__(self, policies, shocks, start: str, n_months: int):
        nc, nm = len(CLUSTER_IDS), n_months
        self.start, self.n_months = start, n_months
        z = lambda *shape: np.zeros((nm, *shape))
        self.cluster = {
            name: z(nc)
            for name in (
                "cluster_subsidy",
                "rd_subsidy",
                "chain_leader_support",
                "fdi_attraction",
                "taiwan_cooperation",
                "price",
                "price_level",
            )
        }
        self.export_demand = z(len(MARKETS), nc)
        self.lockdown = z()
        self.relocation = z(nc)
        self.foreign_entry = np.ones(nm)
        self.economy = {
            name: z()
            for name in (
                "shanghai_integration",
                "village_collective_support",
                "public_services",
                "public_investment",
                "wage_policy",
                "talent_attraction",
                "rural_training",
            )
        }
        self.rural_transfer = z(len(HOUSEHOLD_GROUPS))
        start_year = int(start[:4])
        years = start_year + (np.arange(nm) + int(start[5:7]) - 1) // 12
        rates = dict(BASELINE_EXCHANGE_RATE)
        self.exchange_rate = np.array([_lookup_year(rates, y) for y in years])

        for p in policies:
            rows = self._rows(p.start, p.end)
            lever = LEVERS[p.lever]
            if lever.targets == "cluster":
                cols = self._clusters(p.target)
                self.cluster[p.lever][np.ix_(rows, cols)] += p.size
            elif lever.targets == "households":
                g = HOUSEHOLD_GROUPS.index(p.target) if p.target else HOUSEHOLD_GROUPS.index("rural_households")
                self.rural_transfer[rows, g] += p.size
            else:
                self.economy[p.lever][rows] += p.size
        for s in shocks:
            if s.kind == "exchange_rate":
                path = {int(k): float(v) for k, v in s.path.items()}
                rates.update(path)
                self.exchange_rate = np.array([_lookup_year(rates, y) for y in years])
                continue
            rows = self._rows(s.start, s.end)
            if s.kind == "export_demand":
                mk = list(range(len(MARKETS))) if s.market in (None, "all") else [MARKETS.index(s.market)]
                self.export_demand[np.ix_(rows, mk, self._clusters(s.cluster))] += s.size
            elif s.kind == "lockdown":
                self.lockdown[rows] = np.maximum(self.lockdown[rows], s.size)
            elif s.kind == "relocation":
                self.relocation[np.ix_(rows, self._clusters(s.cluster))] += s.size / 12.0
            elif s.kind == "foreign_entry_stop":
                self.foreign_entry[rows] *= max(0.0, 1.0 + s.size)
            elif s.kind in ("price", "price_level"):
                self.cluster[s.kind][np.ix_(rows, self._clusters(s.cluster))] += s.size
        self._bound_overlaps()

    def _bound_overlaps(self) -> None:
        """Overlapping policies and shocks add up, but only within the range one of them may take.

        The schema checks each entry; without this, two price shocks of -0.9 would make a negative
        price and three foreign-entry shocks of +5 a 216-fold foreign entry: ranges the model was
        never meant for, where it breaks silently or runs out of memory.
        """
        for name, path in self.cluster.items():
            low, high = SHOCK_SIZES[name] if name in SHOCK_SIZES else (LEVERS[name].low, LEVERS[name].high)
            np.clip(path, low, high, out=path)
        for name, path in self.economy.items():
            np.clip(path, LEVERS[name].low, LEVERS[name].high, out=path)
        np.clip(
            self.rural_transfer, LEVERS["rural_transfer"].low, LEVERS["rural_transfer"].high, out=self.rural_transfer
        )
        np.clip(self.export_demand, *SHOCK_SIZES["export_demand"], out=self.export_demand)
        np.clip(self.relocation, 0.0, SHOCK_SIZES["relocation"][1] / 12.0, out=self.relocation)
        np.clip(self.foreign_entry, 0.0, 1.0 + SHOCK_SIZES["foreign_entry_stop"][1], out=self.foreign_entry)

    def _rows(self, start: str | None, end: str | None) -> np.ndarray:
        a = 0 if start is None else max(0, month_index(start, self.start))
        b = self.n_months - 1 if end is None else min(self.n_months - 1, month_index(end, self.start))
        return np.arange(a, b + 1) if b >= a else np.arange(0)

    @staticmethod
    def _clusters(target: str | None) -> list[int]:
        if target in (None, "all"):
            return list(range(len(CLUSTER_IDS)))
        return [CLUSTER_IDS.index(target)]

    def at(self, month: int) -> MonthPolicy:
        """The one hook through which policies and shocks reach the step."""
        c = {k: v[month] for k, v in self.cluster.items()}
        e = {k: float(v[month]) for k, v in self.economy.items()}
        return MonthPolicy(
            export_demand=self.export_demand[month],
            lockdown=float(self.lockdown[month]),
            relocation=self.relocation[month],
            foreign_entry=float(self.foreign_entry[month]),
            rural_transfer=self.rural_transfer[month],
            exchange_rate=float(self.exchange_rate[month]),
            **c,
            **e,
        )


def _lookup_year(rates: dict[int, float], year: int) -> float:
    known = [y for y in rates if y <= year]
    return rates[max(known)] if known else rates[min(rates)]
