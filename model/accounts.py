"""The national accounts of each month, from the recorded flows, and the identities they obey.

GDP is measured three ways from different records: production (firms' output less inputs), income
(wages as households received them, net production taxes as the budgets received them, and firms'
operating surplus), expenditure (what households, the budget, firms and villages paid, stock
changes, and what buyers outside paid less what Kunshan bought outside). They agree only if every
payment in the step has the right payer and receiver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.arrays import wsum
from model.state import State

TOLERANCE = 1e-9


@dataclass(frozen=True)
class MonthAccounts:
    gdp_production: float
    gdp_income: float
    gdp_expenditure: float
    gdp_real: float
    money_total: float
    money_gross: float
    gross_flows: float = 0.0  # sum of the absolute terms of the three measures: the yardstick of their agreement


def month_accounts(s: State) -> MonthAccounts:
    fl = s.flows
    production = fl.output - fl.intermediate
    income = fl.wages_received + fl.production_taxes - fl.production_subsidies + fl.operating_surplus
    expenditure = (
        fl.household_consumption
        + fl.government_consumption
        + fl.investment
        + fl.inventory_change
        + fl.exports_sold
        - fl.imports
    )
    gross = (
        abs(fl.output)
        + abs(fl.intermediate)
        + abs(fl.wages_received)
        + abs(fl.production_taxes)
        + abs(fl.production_subsidies)
        + abs(fl.operating_surplus)
        + abs(fl.household_consumption)
        + abs(fl.government_consumption)
        + abs(fl.investment)
        + abs(fl.inventory_change)
        + abs(fl.exports_sold)
        + abs(fl.imports)
    )
    return MonthAccounts(
        gdp_production=production,
        gdp_income=income,
        gdp_expenditure=expenditure,
        gdp_real=float(fl.real_value_added_by_cluster.sum()),
        money_total=s.money_total(),
        money_gross=money_gross(s),
        gross_flows=float(gross),
    )


def money_gross(s: State) -> float:
    """Sum of the absolute balances: the yardstick for the conservation check."""
    f, h = s.firms, s.households
    return float(
        wsum(f.weight[: f.n], np.abs(f.deposits[: f.n]))
        + s.economy.household_weight * np.abs(h.deposits[: h.n]).sum()
        + np.abs(s.villages.deposits).sum()
        + abs(s.sectors.government)
        + abs(s.sectors.higher_government)
        + abs(s.sectors.rest_of_world)
        + abs(s.sectors.bank)
    )


def public_books(s: State) -> tuple[float, float]:
    """The county's net debt and the bank's equity now (yuan): the stocks the public identities move."""
    return -s.sectors.government, s.sectors.bank + s.economy.bank_equity_base


def public_identity_errors(s: State, before: tuple[float, float], a: MonthAccounts) -> dict[str, float]:
    """Relative discrepancies of the budget's and the bank's identities over the month:

        D' - D = spending - revenue;   E' - E = interest received - interest paid - loan losses

    relative to the month's flows summed (as :func:`identity_errors`)."""
    fl = s.flows
    debt, equity = public_books(s)
    scale = max(abs(a.gdp_production), a.gross_flows, 1.0)
    return {
        "budget": abs((debt - before[0]) - (fl.public_spending - fl.public_revenue)) / scale,
        "bank_equity": abs((equity - before[1]) - bank_margin(fl)) / scale,
    }


def bank_margin(fl) -> float:
    """What the month's flows add to the bank's equity: interest received from firms, the budget and
    other banks, less interest paid on deposits and loan losses (yuan)."""
    return (
        fl.bank_interest_received
        + fl.government_interest
        + fl.interbank_interest
        - fl.bank_interest_paid
        - fl.loan_losses
    )


def identity_errors(a: MonthAccounts, money_initial: float) -> dict[str, float]:
    """Relative discrepancies of the identities (each must stay below TOLERANCE).

    Relative to the flows summed, not to GDP alone: in a month of total lockdown GDP is near zero
    while households still buy imports and firms sell from stock, and the rounding of those sums
    (1e-16 of each) is no broken identity.
    """
    scale = max(abs(a.gdp_production), a.gross_flows, 1.0)
    return {
        "income_vs_production": abs(a.gdp_income - a.gdp_production) / scale,
        "expenditure_vs_production": abs(a.gdp_expenditure - a.gdp_production) / scale,
        "money_conservation": abs(a.money_total - money_initial) / max(a.money_gross, 1.0),
    }
