"""The calendar: firms age and year sums grow each month; once a year, rural earning power catches up."""

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
