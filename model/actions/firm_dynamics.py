"""Firm entry and exit: exits by hazard and insolvency, domestic start-ups and foreign-invested
entrants (FDI), and the rows of the month's entrants."""

from __future__ import annotations

import numpy as np

from model.actions.common import NC, TABLE, by_cluster
from model.agents import firm_dynamics as dynamics
from model.agents import households as household_rules
from model.agents import land as land_rules
from model.arrays import wsum
from model.constants import PRODUCTIVITY_DISPERSION, SMALL_FIRM_REVENUE, TAIWAN_SHARE_OF_FOREIGN, YI
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import OTHER_FOREIGN, OWNERSHIP, PRIVATE, STATE_OWNED, TAIWAN, State
from model.streams import RandomStreams


def enter_and_exit(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Firms exit (a background hazard for small firms, insolvency for any) and enter: domestic
    start-ups funded by resident households, foreign-invested firms funded from abroad (FDI); the
    owners of industrial entrants buy their land from the county (model.agents.land).

    Households' claims (equity of those present) are computed once for the exits', the
    start-ups' and the land's payments; the month's entrants are written in one go."""
    hs = s.households
    claims = hs.equity[: hs.n] * hs.alive[: hs.n]
    claims = (claims, claims.sum())
    _exit_firms(s, p, draws.exits, claims)
    domestic = _domestic_entrants(s, p, draws.startups, claims)
    foreign = _foreign_entrants(s, p, pol, draws.foreign_entry)
    s.flows.land_transfer_revenue = s.flows.land_discount = 0.0
    _new_firms(s, p, pol, list(filter(None, (domestic, foreign))), draws.entrants, claims)


def _exit_firms(s: State, p: Parameters, rng: np.random.Generator, claims: tuple[np.ndarray, float]) -> None:
    """Exiting firms' positive deposits go to their owners; their debts are written off."""
    f, e, sec, hs = s.firms, s.economy, s.sectors, s.households
    n, c, w = s.firms.live()
    exits = dynamics.exiting(
        f.alive[:n],
        f.revenue_last_year[:n],
        rng.random(n),
        p.exit_hazard_small,
        SMALL_FIRM_REVENUE,
        f.deposits[:n],
        f.capital[:n],
        e.price[c],
        f.sales[:n],
        p.insolvency_of_capital,
        p.insolvency_sales_months,
        f.profit_margin[:n],
        f.age[:n],
        p.loss_exit_margin,
    )
    # relocation: industrial firms (built) dearer than competitors elsewhere move their capacity out
    candidates = f.alive[:n] & TABLE.is_industry[c] & ~exits & (f.project_months[:n] == 0)
    moving = dynamics.relocating(
        candidates, rng.random(n), f.price[:n], e.world_price[c], p.relocation_cost_sensitivity
    )
    exiting = np.flatnonzero(exits | moving)
    s.flows.exits = s.flows.loan_losses = 0.0
    s.flows.relocations = float(f.weight[:n][moving].sum())
    if len(exiting) == 0:
        return
    weight = f.weight[exiting]
    d = f.deposits[exiting] * weight
    to_owners = np.bincount(f.ownership[exiting], weights=np.maximum(d, 0.0), minlength=len(OWNERSHIP))
    sec.government += float(to_owners[STATE_OWNED])
    s.flows.state_asset_income += float(to_owners[STATE_OWNED])
    sec.rest_of_world += float(to_owners[TAIWAN] + to_owners[OTHER_FOREIGN])
    hs.deposits[: hs.n] += household_rules.share_out(
        float(to_owners[PRIVATE]), claims[0], e.household_weight, claims[1]
    )
    s.flows.loan_losses = -float(np.minimum(d, 0.0).sum())
    sec.bank -= s.flows.loan_losses  # debts of exiting firms are written off by the bank
    f.close(exiting, "deposits", "employees", "inventory", "investment_order", "rd_order")
    s.flows.exits = float(weight.sum())


def _new_firms(
    s: State,
    p: Parameters,
    pol: MonthPolicy,
    entrants: list[tuple[np.ndarray, ...]],
    rng: np.random.Generator,
    claims: tuple[np.ndarray, float],
) -> None:
    """Writes the entrants' rows (each part: cluster, ownership, weight, capital in yuan, deposits).
    Entrants start with a ramping-up sales expectation and a demand share in line with it (against
    the clusters' totals before this month's entry), productivity around the frontier, and the
    cluster's average pay of this month. Industrial entrants' owners buy their land (buy_land),
    foreign ones at the FDI attraction lever's discount."""
    if not entrants:
        return
    f, e = s.firms, s.economy
    cluster, ownership, weight, capital_yuan, deposits = (
        map(np.concatenate, zip(*entrants)) if len(entrants) > 1 else entrants[0]
    )
    n, c, w = s.firms.live()
    share_total = by_cluster(s, w * f.demand_share[:n])
    k = len(cluster)
    expected = dynamics.entrant_expected_sales(capital_yuan, TABLE.capital_output[cluster], p.entrant_ramp_up)
    village = np.where(rng.random(k) < TABLE.rural_share[cluster], rng.integers(0, e.villages, k), -1)
    full = weight * land_rules.land_payment(
        capital_yuan, TABLE.is_industry[cluster], village, p.industrial_land_per_wan_yuan, p.industrial_land_price
    )
    foreign = ownership >= TAIWAN
    land = full * (1.0 - land_rules.discount_rate(foreign, pol.fdi_attraction[cluster], p.fdi_land_discount))
    buy_land(s, land, float(land[foreign].sum()), float(land[~foreign].sum()), claims, float((full - land).sum()))
    productivity = e.productivity_frontier[cluster] * np.exp(
        rng.normal(-0.5 * PRODUCTIVITY_DISPERSION**2, PRODUCTIVITY_DISPERSION, k)
    )
    f.open(
        k,
        cluster=cluster,
        ownership=ownership,
        weight=weight,
        village=village,
        productivity=productivity,
        demand_share=dynamics.entrant_demand_share(expected, e.last_demand[cluster], share_total[cluster]),
        capital=capital_yuan / e.price[cluster],
        wage=e.average_wage[cluster],
        sales=expected,
        expected_sales=expected,
        deposits=deposits,
        price=e.price[cluster],  # the market's price, then its own cost's (set_prices_and_wages)
        entry_year=e.year,
    )


def buy_land(
    s: State,
    land: np.ndarray,
    from_abroad: float,
    from_households: float,
    claims: tuple[np.ndarray, float],
    forgone: float = 0.0,
) -> None:
    """The county sells land-use rights (``land``: yuan per buyer, weights applied) into its
    budget (the government-fund budget shares the county's account): foreign investors pay from
    abroad (FDI), resident owners from their deposits by equity; what is left of ``land`` (a
    project's bank credit) was paid from the buyers' own deposits by the caller. The budget spends
    on it at the month's settlement (model.agents.public_sector). ``forgone``: what discounts to
    foreign buyers waived, the FDI attraction lever's cost."""
    hs, e, fl = s.households, s.economy, s.flows
    total = float(land.sum())
    s.sectors.government += total
    s.sectors.rest_of_world -= from_abroad
    fl.fdi += from_abroad
    if from_households:
        hs.deposits[: hs.n] -= household_rules.share_out(from_households, claims[0], e.household_weight, claims[1])
    fl.land_transfer_revenue += total
    fl.land_discount += forgone


def _domestic_entrants(
    s: State, p: Parameters, rng: np.random.Generator, claims: tuple[np.ndarray, float]
) -> tuple[np.ndarray, ...] | None:
    """Start-ups where small firms are, each row standing for 1/scale firms, funded by resident
    households in proportion to their equity."""
    e, hs = s.economy, s.households
    rate = _startup_rate(s, p)
    k = rng.poisson(p.domestic_entry_per_year / 12.0 * e.scale * rate.sum())
    s.flows.domestic_entries = 0.0
    if k == 0:
        return None
    cluster = dynamics.pick_clusters(rate, rng.random(k))
    capital = p.entrant_capital_yi * YI * np.exp(rng.normal(0.0, p.startup_capital_dispersion, k))
    weight = np.full(k, 1.0 / e.scale)
    deposits = p.entrant_liquidity_of_capital * capital
    paid = wsum(weight, deposits)
    hs.deposits[: hs.n] -= household_rules.share_out(paid, claims[0], e.household_weight, claims[1])
    s.flows.domestic_entries = float(weight.sum())
    return cluster, np.full(k, PRIVATE, np.int8), weight, capital, deposits


def _startup_rate(s: State, p: Parameters) -> np.ndarray:
    """Start-ups by cluster relative to the yearly norm: where small firms are, more where the
    expected margin rose since 2021 (model.agents.firm_dynamics.startup_rate)."""
    f, e = s.firms, s.economy
    n, c, w = s.firms.live()
    small = (f.revenue_last_year[:n] < SMALL_FIRM_REVENUE) & f.alive[:n]
    margin = 1.0 - e.unit_cost / e.price
    return dynamics.startup_rate(
        by_cluster(s, w * small), margin, e.markup_base / (1.0 + e.markup_base), p.entry_profit_sensitivity
    )


def _foreign_entrants(
    s: State, p: Parameters, pol: MonthPolicy, rng: np.random.Generator
) -> tuple[np.ndarray, ...] | None:
    """Foreign-invested entrants, one to one at every scale (they can grow above 1 yi yuan quickly),
    funded from abroad."""
    sec = s.sectors
    rate = dynamics.foreign_entry_rate(
        p.foreign_entry_per_year,
        pol.foreign_entry,
        TABLE.foreign_share,
        s.flows.output_by_cluster,
        p.fdi_promotion_effect * pol.fdi_attraction,
        p.taiwan_entry_effect * pol.taiwan_cooperation,
        TAIWAN_SHARE_OF_FOREIGN,
    )
    k_by_cluster = rng.poisson(rate)
    k = int(k_by_cluster.sum())
    s.flows.fdi = 0.0
    if k == 0:
        return None
    cluster = np.repeat(np.arange(NC, dtype=np.int16), k_by_cluster)
    taiwan_p = dynamics.taiwan_owner_probability(
        TAIWAN_SHARE_OF_FOREIGN,
        p.taiwan_entry_effect * pol.taiwan_cooperation[cluster],
        p.fdi_promotion_effect * pol.fdi_attraction[cluster],
    )
    ownership = np.where(rng.random(k) < taiwan_p, TAIWAN, OTHER_FOREIGN).astype(np.int8)
    capital = p.foreign_entrant_capital_yi * YI * np.exp(rng.normal(0.0, p.foreign_entrant_capital_dispersion, k))
    deposits = p.entrant_liquidity_of_capital * capital
    sec.rest_of_world -= float(deposits.sum())
    s.flows.fdi = float((capital + deposits).sum())
    return cluster, ownership, np.ones(k), capital, deposits
