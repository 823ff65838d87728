"""The public budget orders next month's consumption and investment (and the village
collectives theirs)."""

from __future__ import annotations

from model.agents import government as government_rules
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State


def plan_public_spending(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """The budget orders next month's public consumption and investment from smoothed revenue, after
    pensions, transfers and subsidies; policy levers add spending financed by borrowing."""
    e, fl = s.economy, s.flows
    revenue = fl["local_taxes"] + fl["social_contributions"]
    e.government_revenue_smoothed = 0.9 * e.government_revenue_smoothed + 0.1 * revenue
    budget = government_rules.spending_budget(e.government_revenue_smoothed, p.government_spending_ratio,
                                              fl["government_commitments"])
    gdp_month = fl["value_added"]
    e.government_spending_order = (1.0 - p.public_investment_share) * budget + pol.public_services * gdp_month
    e.public_investment_order = p.public_investment_share * budget + pol.public_investment * gdp_month
    e.village_investment_order = 0.5 * fl["village_retained"]
