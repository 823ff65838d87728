"""Households decide next month's consumption; what they do not spend is saved."""

from __future__ import annotations

from model.agents import households as household_rules
from model.arrays import smooth
from model.params import Parameters
from model.state import State


def consume_and_save(s: State, p: Parameters) -> None:
    """Households update their expected income and order next month's consumption; the rest of
    their income is saved as deposits."""
    hs = s.households
    nh = hs.n
    hs.expected_income[:nh] = smooth(hs.expected_income[:nh], hs.disposable_income[:nh], p.income_expectation_smoothing)
    orders = household_rules.consumption_plan(
        hs.expected_income[:nh], hs.deposits[:nh], p.consumption_propensity_income, p.consumption_propensity_wealth
    )
    orders *= hs.size[:nh] > 0
    hs.consumption_order[:nh] = orders
