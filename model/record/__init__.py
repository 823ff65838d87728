"""What a run reports: monthly and annual indicators, built into labelled xarray Datasets.

Annual figures cover the calendar year; the first year of the annual dataset (the start year minus
one, 2021 by default) is the initial state the economy was built from.

The model drives one :class:`Recorder`; its parts are modules of their own, one reading each:

* ``measures``: units and the measures of a state (Gini, Lorenz curve, public stocks, rural wages,
  population by age), plain functions without memory;
* ``monthly``: each month's indicators and the sums of its flows that the year is made of;
* ``annual``: the initial state as the year before the start, then each calendar year;
* ``datasets``: the records as labelled xarray Datasets, once, at the end of a run.

The names callers used from the one-module ``model.record`` (Recorder, gini, lorenz, by_value,
public_stocks, the units) are importable from here still.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model.accounts import MonthAccounts
from model.data.observed import Vintage, shipped_vintage
from model.record.annual import SUMS_IN_YI, AnnualRecord
from model.record.datasets import CLUSTER_COORDINATE, LEVER_COORDINATE, AnnualArrays, annual_arrays, datasets
from model.record.measures import ABOVE_SCALE_REVENUE, TABLE, WAN, YI, by_value, gini, lorenz, public_stocks
from model.record.monthly import PUBLIC_FLOWS, SUMMED_ACCOUNTS, SUMMED_FLOWS, MonthlyRecord
from model.state import State

if TYPE_CHECKING:  # xarray is imported when the datasets are built, not to simulate
    import xarray as xr

__all__ = [
    "ABOVE_SCALE_REVENUE",
    "CLUSTER_COORDINATE",
    "LEVER_COORDINATE",
    "PUBLIC_FLOWS",
    "SUMMED_ACCOUNTS",
    "SUMMED_FLOWS",
    "SUMS_IN_YI",
    "TABLE",
    "WAN",
    "YI",
    "Recorder",
    "by_value",
    "gini",
    "lorenz",
    "public_stocks",
]


class Recorder:
    """One run's record: the monthly record feeds the annual one its year's sums at each year end."""

    def __init__(
        self,
        state: State,
        start: str,
        n_months: int,
        vintage: Vintage | None = None,
        strategic_demand_premium: float = 0.0,
        income_distribution: bool = True,
    ):
        """``vintage``: the observed data the initial state was built from (the shipped data at the
        origin by default); the record's few observed figures and derived weights come from it.
        ``strategic_demand_premium``: the parameter, which carries the latest published
        strategic-emerging share to the origin (model.data.derive.strategic_emerging_share_at_origin).
        ``income_distribution=False``: income_gini and income_lorenz are left NaN (AnnualRecord)."""
        self.start = start
        self.vintage = vintage or shipped_vintage()
        self.n_months = n_months
        self._months = MonthlyRecord()
        self._years = AnnualRecord(state, start, self.vintage, strategic_demand_premium, income_distribution)
        self.monthly = self._months.values
        self.years = self._years.years

    @property
    def annual(self) -> dict[str, list]:
        """The annual values, a list each, one entry a year (settled: see AnnualRecord.settled)."""
        return self._years.settled()

    def record_month(self, s: State, a: MonthAccounts, month: int) -> None:
        self._months.record(s, a)

    def close_year(self, s: State, year: int) -> None:
        """Annual indicators at the end of December, before the economy rolls its calendar year
        (model.step.end_of_year); then the monthly record's sums start again."""
        self._years.close_year(s, year, self._months.take_year_sums())

    def datasets(self) -> tuple[xr.Dataset, xr.Dataset]:
        return datasets(self.start, self.years, self.annual, self.monthly)

    def annual_arrays(self) -> AnnualArrays:
        """The annual record as plain arrays (what a sweep's worker encodes), without xarray."""
        return annual_arrays(self.years, self.annual)
