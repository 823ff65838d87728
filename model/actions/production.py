"""Firms' side of the month before the markets: sales expectations, production plans and the
workers they need, then output from the workers and capital they got."""

from __future__ import annotations

from model.actions.common import TABLE, effective_price
from model.agents import firms as firm_rules
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State


def form_expectations(s: State, p: Parameters) -> None:
    """Firms expect this month's sales from last month's and their cluster's recent growth."""
    n, c, _ = s.firms.live()
    f = s.firms
    f.expected_sales[:n] = firm_rules.expected_sales(
        f.sales[:n], s.economy.expected_growth[c], p.expectation_smoothing, f.expected_sales[:n]
    )


def plan_production(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Planned output and the workers it needs; relocation removes part of a cluster's capital.
    Capacity is kept for ``produce`` (capital and prices do not change in between)."""
    n, c, _ = s.firms.live()
    f, e = s.firms, s.economy
    f.capital[:n] *= (1.0 - pol.relocation)[c]
    price = effective_price(s, pol)
    cap = f.capacity[:n]
    cap[:] = firm_rules.capacity(f.capital[:n], TABLE.capital_output[c], price[c], p.capacity_utilisation_target)
    alive = f.alive[:n]
    planned = firm_rules.plan_output(
        f.expected_sales[:n], f.inventory[:n], p.inventory_target_months, p.inventory_adjustment_monthly, cap
    )
    f.planned_output[:n] = planned * alive
    per_output = e.labour_per_output[c]
    needed = firm_rules.labour_demand(
        f.planned_output[:n], price[c], per_output, f.productivity[:n], f.employees[:n], p.labour_shedding_monthly
    )
    f.labour_demand[:n] = needed * alive


def produce(s: State, p: Parameters, pol: MonthPolicy) -> None:
    """Output from the workers and capital firms have; a lockdown loses a share of it."""
    n, c, _ = s.firms.live()
    f, e = s.firms, s.economy
    price = effective_price(s, pol)
    per_output = e.labour_per_output[c]
    output = firm_rules.produce(
        f.planned_output[:n], f.employees[:n], price[c], per_output, f.productivity[:n], f.capacity[:n], pol.lockdown
    )
    f.output[:n] = output * f.alive[:n]
