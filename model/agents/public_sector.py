"""The coarse public sector's rules for the month: the county budget (one agent), the bank and
the village collectives' construction. They work on the economy, sectors, villages and flows
only, from sums over agents made by their callers (model.actions.public, and the per-agent
reference with its own loops), and update those coarse sectors in place."""

from __future__ import annotations

import numpy as np

from model.agents import bank as bank_rules
from model.agents import budget as budget_rules
from model.agents import government as government_rules
from model.agents import land as land_rules
from model.agents import programmes
from model.agents import public_capital as capital_rules
from model.agents.households import transfer_per_person_by_group
from model.arrays import smooth
from model.params import Parameters
from model.policy import MonthPolicy

IDX = programmes.INDEX


def plan_public_aggregates(
    s,
    p: Parameters,
    pol: MonthPolicy,
    leader_sales: np.ndarray,
    persons_by_group: np.ndarray,
    public_price: float,
    rural_trainees: float,
) -> None:
    """:func:`plan_public_spending` once its sums over agents are made (the per-agent reference
    calls it with its own sums): works on the economy, sectors, villages and flows only."""
    e, fl, sec, v = s.economy, s.flows, s.sectors, s.villages
    costs = np.zeros(len(programmes.LEVER_NAMES))
    # What this month's payments (model.actions.goods.sell) built, and the programmes' part of them.
    fl.public_investment_paid = e.public_investment_order
    _build_public_capital(e, p, e.public_investment_order / public_price, e.ordinary_investment_order / public_price)
    v.assets = v.assets * (1.0 - p.village_asset_depreciation / 12.0) + e.village_investment_order * v.investment_split
    costs += e.programme_orders
    costs[IDX["cluster_subsidy"]] = fl.production_subsidies
    costs[IDX["rural_transfer"]] = (
        float(np.dot(transfer_per_person_by_group(pol.rural_transfer), persons_by_group)) / 12.0
    )

    transfers_in = budget_rules.higher_level_transfer(fl.taxes_to_higher_levels, p.higher_level_transfer_of_remitted)
    sec.higher_government -= transfers_in
    sec.government += transfers_in
    interest = budget_rules.interest_on_net_debt(-sec.government, p.government_debt_rate, p.deposit_interest_rate)
    sec.government -= interest
    sec.bank += interest
    fl.transfers_from_higher_levels, fl.government_interest = transfers_in, interest

    revenue = fl.local_taxes + fl.social_contributions + transfers_in
    e.government_revenue_smoothed = smooth(e.government_revenue_smoothed, revenue, p.revenue_smoothing)
    budget = government_rules.spending_budget(
        e.government_revenue_smoothed, p.government_spending_ratio, fl.government_commitments
    )
    consumption, investment = government_rules.public_orders(budget, p.public_investment_share, 0.0, 0.0, 0.0)
    sizes = dict(zip(programmes.SIZED, map(pol.__getattribute__, programmes.SIZED)))
    orders = programmes.programme_orders(
        sizes, p, leader_sales, fl.migrant_arrivals, fl.value_added, e.villages, rural_trainees
    )
    wanted_training = orders[IDX["rural_training"]]
    cuttable = np.concatenate([[investment], orders[programmes.CUT_ROWS]])
    excess = -budget_rules.debt_headroom(-sec.government, p.debt_limit_of_gdp, 12.0 * fl.value_added)
    kept = budget_rules.cut_in_order(cuttable, excess)
    fl.debt_cut = float(cuttable.sum() - kept.sum())
    orders[programmes.CUT_ROWS] = kept[1:]
    grants = orders[IDX["village_collective_support"]]
    orders[IDX["village_collective_support"]] = 0.0
    v.deposits += grants / e.villages
    sec.government -= grants
    fl.village_grants = costs[IDX["village_collective_support"]] = grants

    e.government_spending_order = consumption + float(orders[programmes.PURCHASE_ROWS].sum())
    e.public_investment_order = kept[0] + float(orders[programmes.INVESTMENT_ROWS].sum())
    e.ordinary_investment_order = investment
    e.programme_orders = orders
    fl.rural_training_spending = float(orders[IDX["rural_training"]])  # ordered (purchases) for next month
    if wanted_training > 0:  # the training the budget pays for (all of it unless the debt limit cut it)
        e.rural_training_year += pol.rural_training / 12.0 * orders[IDX["rural_training"]] / wanted_training
    # Villages build standard factories with part of what they kept, with the grants, and with part
    # of the land compensation they received last month.
    retained = (1.0 - p.village_payout_share) * v.income
    village_orders = p.village_investment_of_retained * retained + grants / e.villages
    if e.village_compensation is not None:
        village_orders = village_orders + p.village_investment_of_compensation * e.village_compensation
    e.village_investment_order = float(village_orders.sum())
    v.investment_split = (
        village_orders / e.village_investment_order
        if e.village_investment_order > 0
        else np.full(e.villages, 1.0 / e.villages)
    )
    fl.policy_cost = costs


def _build_public_capital(e, p: Parameters, built: float, ordinary: float) -> None:
    """Both stocks grow by their investment and wear out; they reach firms over the lag; firms'
    productivity follows the built stock's lead over the ordinary one (model.agents.public_capital)."""
    e.public_capital = capital_rules.accumulate(e.public_capital, built, p.public_capital_depreciation)
    e.public_capital_ordinary = capital_rules.accumulate(
        e.public_capital_ordinary, ordinary, p.public_capital_depreciation
    )
    weight = 1.0 / p.public_capital_lag_months
    reach = smooth(e.public_capital_reach, e.public_capital, weight)
    ordinary_reach = smooth(e.public_capital_ordinary_reach, e.public_capital_ordinary, weight)
    e.public_productivity_growth = capital_rules.productivity_growth(
        p.public_capital_elasticity, e.public_capital_reach, reach, e.public_capital_ordinary_reach, ordinary_reach
    )
    e.public_capital_reach, e.public_capital_ordinary_reach = reach, ordinary_reach


def settle_public_aggregates(
    s, p: Parameters, deposits: float, firm_loans: float, other_loans: float, government_debt: float
) -> None:
    """The month's books, from the deposits and loans of Kunshan's agents: the bank earns interest
    on its net claims on banks outside (paid from outside Kunshan); the budget's revenue and
    spending (their difference is the change of net debt); the programmes' costs; the bank's
    capital ratio, which sets the credit it grants next month."""
    e, fl, sec = s.economy, s.flows, s.sectors
    fl.policy_cost[IDX["rd_subsidy"]] = fl.rd_grants
    fl.policy_cost[IDX["fdi_attraction"]] += fl.land_discount  # revenue forgone on land (model.agents.land)
    _use_land_revenue(s, p)
    fl.public_revenue = (
        fl.local_taxes
        + fl.social_contributions
        + fl.state_asset_income
        + fl.transfers_from_higher_levels
        + fl.land_transfer_revenue
    )
    fl.public_spending = (
        fl.government_consumption
        + fl.public_investment_paid
        + fl.government_commitments
        + fl.rd_grants
        + fl.village_grants
        + fl.land_compensation
        + fl.government_interest
    )
    equity = sec.bank + e.bank_equity_base
    interbank = (
        p.interbank_rate
        / 12.0
        * bank_rules.clearing_position(equity, deposits, firm_loans + other_loans + government_debt)
    )
    sec.rest_of_world -= interbank
    sec.bank += interbank
    fl.interbank_interest = interbank
    equity += interbank
    risk_weighted = bank_rules.risk_weighted_loans(firm_loans + other_loans, government_debt, p.risk_weight_government)
    e.bank_risk_weighted = risk_weighted
    e.credit_supply = bank_rules.credit_supply(equity, p.bank_capital_requirement, risk_weighted, firm_loans)


def _use_land_revenue(s, p: Parameters) -> None:
    """The government-fund budget spends on the land it sold this month (model.agents.land): it
    compensates the village collectives the land was requisitioned from (a capital transfer into
    their deposits, not income; they invest part of it the next month in standard factories, whose
    rent is income) and orders site preparation from builders for next month, as
    public investment paid through the goods market like the ordinary rule's (in both public
    capital stocks: it is the baseline's, not a programme's, so it does not move productivity
    beyond the calibrated trend); neither is cut by the debt limit (the fund budget's spending is
    earmarked to its revenue). The rest of the revenue lowers net debt."""
    e, fl, sec = s.economy, s.flows, s.sectors
    compensation, site = land_rules.revenue_use(
        fl.land_transfer_revenue, p.land_development_cost_share, p.land_compensation_share_of_cost
    )
    to_villages = land_rules.compensation_by_village(compensation, e.villages)
    s.villages.deposits += to_villages
    e.village_compensation = to_villages  # partly invested next month (plan_public_aggregates)
    paid = float(to_villages.sum())
    sec.government -= paid
    e.public_investment_order += site
    e.ordinary_investment_order += site
    fl.land_compensation, fl.land_site_preparation = paid, site
