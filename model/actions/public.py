"""The public budget orders next month's consumption and investment (and the village
collectives theirs)."""

from __future__ import annotations

from model.agents import government as government_rules
from model.agents import households as household_rules
from model.arrays import smooth
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import LABOUR_FORCE, RURAL_REGISTERED, State


def plan_public_spending(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """The budget orders next month's public consumption and investment from smoothed revenue, after
    pensions, transfers and subsidies; policy levers add spending financed by borrowing, among them
    rural vocational training (a public purchase of services, recorded as its own flow)."""
    e, fl = s.economy, s.flows
    revenue = fl.local_taxes + fl.social_contributions
    e.government_revenue_smoothed = smooth(e.government_revenue_smoothed, revenue, p.revenue_smoothing)
    budget = government_rules.spending_budget(e.government_revenue_smoothed, p.government_spending_ratio,
                                              fl.government_commitments)
    e.government_spending_order, e.public_investment_order = government_rules.public_orders(
        budget, p.public_investment_share, pol.public_services, pol.public_investment, fl.value_added)
    e.village_investment_order = p.village_investment_of_retained * fl.village_retained
    e.public_services_year += pol.public_services / 12.0  # school leavers' education (end of year)
    fl.rural_training_spending = 0.0
    if pol.rural_training > 0:
        ps, hs = s.persons, s.households
        m = ps.n
        trainees = ((ps.role[:m] == LABOUR_FORCE) & (hs.group[ps.household[:m]] >= RURAL_REGISTERED)).sum()
        cost = household_rules.training_cost_monthly(pol.rural_training, float(trainees) * e.household_weight)
        e.government_spending_order += cost
        fl.rural_training_spending = cost
        e.rural_training_year += pol.rural_training / 12.0
