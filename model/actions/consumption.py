"""Households decide next month's consumption; what they do not spend is saved."""

from __future__ import annotations

from model.agents import households as household_rules
from model.params import Parameters
from model.state import State


def consume_and_save(s: State, p: Parameters) -> None:
    """Households update their expected income and order next month's consumption; the rest of
    their income is saved as deposits."""
    hs = s.households
    nh = hs.n
    hs.expected_income[:nh] = household_rules.smooth(hs.expected_income[:nh], hs.disposable_income[:nh], 0.3)
    orders = household_rules.consumption_plan(hs.expected_income[:nh], hs.deposits[:nh],
                                              p.consumption_propensity_income, p.consumption_propensity_wealth)
    orders *= hs.size[:nh] > 0
    s.flows["consumption_orders"] = orders
