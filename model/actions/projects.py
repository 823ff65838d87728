"""Major investment projects (重大项目): a pipeline of large plants that arrive, are built over a
gestation period with capital financed from abroad (FDI), by bank credit or by their owners'
equity, and ramp up to their capacity; some become 100-yi firms."""

from __future__ import annotations

import numpy as np

from model.actions.common import NC, TABLE
from model.actions.firm_dynamics import buy_land
from model.agents import firm_dynamics as dynamics
from model.agents import households as household_rules
from model.agents import land as land_rules
from model.constants import PRODUCTIVITY_DISPERSION, TAIWAN_SHARE_OF_FOREIGN, YI
from model.params import Parameters
from model.policy import MARKETS, MonthPolicy
from model.state import OTHER_FOREIGN, PRIVATE, TAIWAN, State
from model.streams import RandomStreams

WORLD, REST_OF_CHINA = MARKETS.index("world"), MARKETS.index("rest_of_china")


def start_and_build_projects(s: State, p: Parameters, pol: MonthPolicy, draws: RandomStreams) -> None:
    """Projects under construction invest this month's tranche (ordered as capital goods for next
    month) and gain market access in line with their installed capacity; new projects arrive."""
    _build(s, p, pol)
    _start(s, p, pol, draws.projects)


def _build(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Each project under construction orders its tranche of capital goods, financed as it goes:
    foreign projects by FDI (the rest of the world pays in), domestic ones by bank credit (their
    deposits go below zero) for a share and their owners' equity (resident households) for the rest.
    Its sales expectation and market share follow the capacity it has installed."""
    f, e, sec, hs = s.firms, s.economy, s.sectors, s.households
    n, c, w = s.firms.live()
    building = np.flatnonzero(f.alive[:n] & (f.project_months[:n] > 0))
    fl = s.flows
    fl.project_investment = 0.0
    if len(building) == 0:
        return
    months = f.project_months[building].astype(float)
    tranche = dynamics.project_tranche(f.project_pending[building], months)
    f.investment_order[building] += tranche
    f.project_pending[building] -= tranche
    f.project_months[building] -= 1
    foreign = f.ownership[building] >= TAIWAN
    from_abroad = float(tranche[foreign].sum())
    equity = float((1.0 - p.project_credit_share) * tranche[~foreign].sum())
    f.deposits[building] += np.where(foreign, tranche, (1.0 - p.project_credit_share) * tranche)
    sec.rest_of_world -= from_abroad
    claims = hs.equity[: hs.n] * hs.alive[: hs.n]
    hs.deposits[: hs.n] -= household_rules.share_out(equity, claims, e.household_weight)
    fl.fdi += from_abroad
    fl.project_investment = float(tranche.sum())
    cb = c[building]
    # the land for this tranche's capacity, paid as the tranche is (the rights are paid in
    # instalments): foreign by FDI (at the FDI lever's discount), domestic by owners' equity and,
    # for the credit share, bank credit
    full = land_rules.land_payment(
        tranche, TABLE.is_industry[cb], f.village[building], p.industrial_land_per_wan_yuan, p.industrial_land_price
    )
    land = full * (1.0 - land_rules.discount_rate(foreign, pol.fdi_attraction[cb], p.fdi_land_discount))
    credit = np.where(foreign, 0.0, p.project_credit_share * land)
    f.deposits[building] -= credit
    buy_land(
        s,
        land,
        float(land[foreign].sum()),
        float(land[~foreign].sum() - credit.sum()),
        (claims, claims.sum()),
        float((full - land).sum()),
    )
    # market access: the project expects to sell its ramping share of installed capacity
    ramp = dynamics.project_ramp(
        f.project_months[building].astype(float), round(p.project_gestation_months), p.entrant_ramp_up
    )
    expected = dynamics.entrant_expected_sales(f.capital[building] * e.price[cb], TABLE.capital_output[cb], ramp)
    share_total = np.bincount(c, weights=w * f.demand_share[:n], minlength=NC)
    # the investor's customers follow the plant: part of its new sales are new orders from outside
    # Kunshan (abroad for a foreign project, the rest of China for a domestic one), at 2021 prices
    gained = np.maximum(expected - f.expected_sales[building], 0.0)
    market = np.where(foreign, WORLD, REST_OF_CHINA)
    np.add.at(e.external_demand, (market, cb), p.project_orders_brought * gained / e.price[cb])
    f.expected_sales[building] = np.maximum(f.expected_sales[building], expected)
    f.demand_share[building] = np.maximum(
        f.demand_share[building], dynamics.entrant_demand_share(expected, e.last_demand[cb], share_total[cb])
    )


def _start(s: State, p: Parameters, pol: MonthPolicy, rng: np.random.Generator) -> None:
    """New projects: how many in each cluster (Poisson) and what each is (:func:`project_rows`).
    A project starts with no capital; its rows join the firms at once (one real firm each)."""
    f, e = s.firms, s.economy
    k_by_cluster = rng.poisson(
        dynamics.project_rate(
            p.project_rate_per_year,
            s.flows.output_by_cluster,
            TABLE.is_industry,
            pol.fdi_attraction,
            TABLE.foreign_share,
            pol.foreign_entry,
        )
    )
    k = int(k_by_cluster.sum())
    s.flows.projects_started = float(k)
    if k == 0:
        return
    cluster = np.repeat(np.arange(NC, dtype=np.int16), k_by_cluster)
    foreign = dynamics.project_foreign_probability(TABLE.foreign_share, pol.foreign_entry)
    f.open(
        k,
        **project_rows(rng, p, cluster, e.productivity_frontier, foreign, e.villages),
        weight=1.0,
        wage=e.average_wage[cluster],
        price=e.price[cluster],
        entry_year=e.year,
        is_project=True,
        project_months=max(round(p.project_gestation_months), 1),
    )


def project_rows(
    rng: np.random.Generator,
    p: Parameters,
    cluster: np.ndarray,
    frontier: np.ndarray,
    foreign_probability: np.ndarray,
    villages: int,
) -> dict[str, np.ndarray]:
    """What each new major project in ``cluster`` is, drawn from ``rng`` in one fixed order (the
    same for the pipeline at the origin, model.init.projects, and for later arrivals): its investment
    (Pareto above a minimum, long tail), its owner (foreign with the cluster's probability,
    Taiwan-invested in Taiwan's share of those), its plant's productivity (the frontier's, plus the
    premium of new equipment) and its village (in the cluster's rural share)."""
    k = len(cluster)
    size = dynamics.project_size(p.project_size_min_yi, p.project_size_tail, rng.random(k), p.project_size_max_yi) * YI
    owner_draw, taiwan_draw = rng.random(k), rng.random(k)
    ownership = np.where(
        owner_draw < foreign_probability[cluster],
        np.where(taiwan_draw < TAIWAN_SHARE_OF_FOREIGN, TAIWAN, OTHER_FOREIGN),
        PRIVATE,
    ).astype(np.int8)
    productivity = frontier[cluster] * np.exp(
        p.project_productivity_premium + rng.normal(-0.5 * PRODUCTIVITY_DISPERSION**2, PRODUCTIVITY_DISPERSION, k)
    )
    village = np.where(rng.random(k) < TABLE.rural_share[cluster], rng.integers(0, villages, k), -1)
    return {
        "cluster": cluster,
        "ownership": ownership,
        "productivity": productivity,
        "village": village,
        "project_pending": size,
    }
