"""The calendar: firms age and year sums grow each month; at the end of December the year's sums
become last year's, agents that left give up their rows, and rural earning power catches up."""

from __future__ import annotations

import numpy as np

from model.params import Parameters
from model.state import RURAL_REGISTERED, State, refresh_running_totals


def age_and_accumulate(s: State) -> None:
    """Firms age; calendar-year sums of sales and output grow."""
    f = s.firms
    n = f.n
    f.age[:n] += f.alive[:n]
    f.revenue_year[:n] += f.sales[:n]
    f.output_year[:n] += f.output[:n]


def converge_rural_earnings(s: State, p: Parameters) -> None:
    """Once a year, rural residents' earning power catches up a little with urban residents'."""
    ps, hs = s.persons, s.households
    m = ps.n
    rural = hs.group[ps.household[:m]] >= RURAL_REGISTERED
    ps.skill[:m] *= np.where(rural, 1.0 + p.rural_earnings_convergence, 1.0)
    refresh_running_totals(s)


def roll_calendar_year(s: State) -> None:
    """This year's sums of sales, output and incomes become last year's and restart at zero; the
    calendar moves to the next year."""
    f, hs, v = s.firms, s.households, s.villages
    n, nh = f.n, hs.n
    f.revenue_last_year[:n] = f.revenue_year[:n]
    f.revenue_year[:n] = 0.0
    f.output_year[:n] = 0.0
    hs.income_last_year[:nh] = hs.income_year[:nh]
    hs.income_year[:nh] = 0.0
    v.income_last_year[:] = v.income_year
    v.income_year[:] = 0.0
    s.economy.year += 1


def remove_departed(s: State) -> None:
    """Firms that exited and households that left this year give up their rows (once a year keeps
    the arrays dense, and indices held within a year stay valid); persons follow their households."""
    s.firms.compact()
    keep_households = s.households.compact()
    remap = np.full(len(s.households.alive), -1, dtype=np.int64)
    remap[keep_households] = np.arange(len(keep_households))
    s.persons.compact()
    m = s.persons.n
    s.persons.household[:m] = remap[s.persons.household[:m]]
    refresh_running_totals(s)
