"""The public sector's month: what last month's orders built (public capital, village floor space),
transfers from higher levels and interest, next month's ordinary spending and programmes within
the debt limit (and the village collectives' investment); at the month's end, the budget's and the
bank's books and the credit the bank will grant."""

from __future__ import annotations

import numpy as np

from model.actions.common import by_cluster, effective_price
from model.agents.public_sector import plan_public_aggregates, settle_public_aggregates
from model.arrays import wsum
from model.constants import CHAIN_LEADER_REVENUE
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import LABOUR_FORCE, RURAL_REGISTERED, State


def plan_public_spending(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Public capital and village floor space grow by what was paid for this month; higher levels
    pay their transfers and the budget its interest; the budget orders next month's consumption and
    investment from smoothed revenue after pensions, transfers and subsidies, and the programmes of
    the levers (rural vocational training among them); above the debt limit it cuts in the stated
    order (model.agents.programmes.CUT_ORDER)."""
    e, hs, ps = s.economy, s.households, s.persons
    n, _, w = s.firms.live()
    leaders = s.firms.revenue_last_year[:n] >= CHAIN_LEADER_REVENUE
    leader_sales = by_cluster(s, w * s.firms.sales[:n] * leaders)
    persons_by_group = e.members_by_group * e.household_weight  # the running total (model.state.members_by_group)
    s.flows.persons_by_group = persons_by_group  # no household joins or leaves later in the month
    public_price = wsum(e.final_buyer_mix[4], effective_price(s, pol))
    trainees = 0.0
    if pol.rural_training > 0:  # rural labour-force members: what rural vocational training costs per head
        ps = s.persons
        m = ps.n
        trainees = float(((ps.role[:m] == LABOUR_FORCE) & (hs.group[ps.household[:m]] >= RURAL_REGISTERED)).sum())
    plan_public_aggregates(s, p, pol, leader_sales, persons_by_group, public_price, trainees * e.household_weight)
    e.public_services_year += pol.public_services / 12.0  # school leavers' education (end of year)


def local_balances(s: State) -> tuple[float, float, float, float]:
    """Deposits of Kunshan's agents at the bank, and its loans to firms, to households and villages,
    and to the county (its net debt), yuan: the positive and negative parts of their balances."""
    f, hs, v, sec = s.firms, s.households, s.villages, s.sectors
    n, hw = f.n, s.economy.household_weight
    fd, w, hd = f.deposits[:n], f.weight[:n], hs.deposits[: hs.n]
    deposits = (
        wsum(w, np.maximum(fd, 0.0))
        + float(np.maximum(hd, 0.0).sum()) * hw
        + float(np.maximum(v.deposits, 0.0).sum())
        + max(sec.government, 0.0)
    )
    return deposits, *local_loans(s)


def local_loans(s: State) -> tuple[float, float, float]:
    """The loans of :func:`local_balances` alone (to firms, to households and villages, the county's
    net debt), yuan: what the record of the bank's loans needs, without the pass over deposits."""
    f, hs, v, sec = s.firms, s.households, s.villages, s.sectors
    n, hw = f.n, s.economy.household_weight
    firm_loans = -wsum(f.weight[:n], np.minimum(f.deposits[:n], 0.0))
    other_loans = -float(np.minimum(hs.deposits[: hs.n], 0.0).sum()) * hw - float(np.minimum(v.deposits, 0.0).sum())
    return firm_loans, other_loans, max(-sec.government, 0.0)


def settle_public_accounts(s: State, p: Parameters) -> None:
    """The month's books: the budget's revenue and spending (their difference is the change of net
    debt), the programmes' costs, and the bank's capital ratio, which sets the credit it grants
    next month (model.agents.bank.credit_supply)."""
    settle_public_aggregates(s, p, *local_balances(s))
