"""The record as labelled xarray Datasets: every variable with its dimensions, units and long name
(model.variables), and the coordinates of years, months, clusters, tiers, age groups and levers.

Separate from the records (model.record.monthly, model.record.annual) because it runs once, at
the end of a run, and is the only part that needs xarray: the simulation itself never imports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.agents.programmes import LEVER_NAMES
from model.months import month_number
from model.record.measures import LORENZ_POINTS, TABLE
from model.variables import AGE_GROUPS, ANNUAL, MONTHLY, TIERS

if TYPE_CHECKING:  # xarray is imported when the datasets are built, not to simulate
    import xarray as xr

CLUSTER_COORDINATE = ("cluster", list(TABLE.ids), {"long_name": "Industry cluster (see model/data/clusters.toml)"})
LEVER_COORDINATE = ("lever", list(LEVER_NAMES), {"long_name": "Policy lever (model/policy.py)"})


def _labelled(table: dict, records: dict[str, list], leading: str, n: int, sizes: dict[str, int]) -> dict:
    """(dims, values, attributes) of every variable of an output table (model.variables), from its
    records: ``n`` rows along ``leading`` (year or time), each of the variable's own dimensions."""
    return {
        k: (
            (leading, *spec.dims),
            np.array(records[k], dtype=float).reshape(n, *(sizes[d] for d in spec.dims)),
            {"units": spec.unit, "long_name": spec.long_name},
        )
        for k, spec in table.items()
    }


SIZES = {
    "cluster": TABLE.n,
    "tier": len(TIERS),
    "lorenz_point": LORENZ_POINTS,
    "lever": len(LEVER_NAMES),
    "age_group": len(AGE_GROUPS),
}


def _annual_variables(years: list[int], annual_record: dict[str, list]) -> dict:
    """(dims, values, attributes) of every annual variable, ``income_lorenz`` included."""
    n_years = len(years)
    annual_vars = _labelled(ANNUAL, annual_record, "year", n_years, SIZES)
    annual_vars["income_lorenz"] = (
        ("year", "lorenz_point"),
        np.array(annual_record["income_lorenz"]).reshape(n_years, LORENZ_POINTS),
        {"units": "1", "long_name": "Lorenz curve of household per-capita disposable income"},
    )
    return annual_vars


def _annual_coords(years: list[int]) -> dict:
    """(dim, labels, attributes) of every coordinate of the annual dataset."""
    return {
        "year": (
            "year",
            np.array(years),
            {"units": "year", "long_name": "Calendar year (the first is the initial state)"},
        ),
        "cluster": CLUSTER_COORDINATE,
        "tier": ("tier", list(TIERS), {"long_name": "Annual revenue band, yi yuan"}),
        "age_group": ("age_group", list(AGE_GROUPS), {"long_name": "Age group, years (lower_upper inclusive)"}),
        "lorenz_point": (
            "lorenz_point",
            np.linspace(0.0, 1.0, 21),
            {"units": "1", "long_name": "Cumulative population share"},
        ),
        "lever": LEVER_COORDINATE,
    }


@dataclass(frozen=True)
class AnnualArrays:
    """The annual outputs of a run as plain arrays, what the annual dataset is made of: ``years``,
    each variable's (dims, values) with ``year`` first, and each coordinate's labels.

    Why not the dataset: a sweep's worker keeps a few variables of each run and encodes them
    (model.sweep.store.encode_arrays); building both xarray datasets of every run to read them
    cost about a twentieth of a run at scale 0.02."""

    years: np.ndarray
    variables: dict[str, tuple[tuple[str, ...], np.ndarray]]
    coords: dict[str, np.ndarray]

    def with_variables(
        self, more: dict[str, tuple[tuple[str, ...], np.ndarray]], coords: dict[str, np.ndarray] | None = None
    ) -> AnnualArrays:
        return AnnualArrays(self.years, {**self.variables, **more}, {**self.coords, **(coords or {})})


def annual_arrays(years: list[int], annual_record: dict[str, list]) -> AnnualArrays:
    """The annual record as :class:`AnnualArrays`: the same values :func:`datasets` labels."""
    return AnnualArrays(
        np.array(years),
        {k: (dims, values) for k, (dims, values, _) in _annual_variables(years, annual_record).items()},
        {name: np.asarray(labels) for name, (_, labels, _) in _annual_coords(years).items()},
    )


def datasets(
    start: str, years: list[int], annual_record: dict[str, list], monthly_record: dict[str, list]
) -> tuple[xr.Dataset, xr.Dataset]:
    """The annual and the monthly dataset of one run from its records: ``years`` label the annual
    rows, the months count from ``start``."""
    import xarray as xr

    annual = xr.Dataset(_annual_variables(years, annual_record), coords=_annual_coords(years))
    months = len(monthly_record["gdp_production"])
    first = np.datetime64("0000-01", "M") + np.timedelta64(month_number(start), "M")
    time = (first + np.arange(months).astype("timedelta64[M]")).astype("datetime64[ns]")
    monthly_vars = _labelled(MONTHLY, monthly_record, "time", months, SIZES)
    monthly = xr.Dataset(
        monthly_vars,
        coords={
            "time": ("time", time, {"long_name": "Month (first day)"}),
            "cluster": CLUSTER_COORDINATE,
            "lever": LEVER_COORDINATE,
        },
    )
    return annual, monthly
