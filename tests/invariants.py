"""Invariants every run must keep, whatever the scenario: shared by the property and extreme tests.

A planning tool must never give a silent wrong answer, so these are checked on the finished run's
datasets *and* on the state it ended in: a NaN hidden in an array that no output shows today would
surface in the next variable someone adds.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import xarray as xr

from model.model import KunshanModel
from model.run import seed_sequence
from model.scenario import Scenario
from model.state import Population

IDENTITY_TOLERANCE = 1e-9
# Quantities that cannot be negative; a negative one is a bug, not an extreme outcome.
NON_NEGATIVE_ANNUAL = (
    "cluster_output",
    "cluster_employment",
    "firms_by_tier",
    "firms_alive",
    "above_scale_firms",
    "resident_population",
    "registered_population",
    "employment",
    "exchange_rate",
    "gdp_deflator",
    "household_consumption",
    "government_consumption",
    "wages",
    "exports",
    "imports",
    "trade_total",
    "fdi_utilised",
    "disposable_income_per_capita",
    "village_collective_income_total",
)
NON_NEGATIVE_MONTHLY = (
    "cluster_output",
    "exports",
    "imports",
    "employment",
    "resident_population",
    "average_wage",
    "firms_alive",
    "price_index",
)
FRACTIONS = {"annual": ("unemployment_rate", "income_gini"), "monthly": ("unemployment_rate",)}
NON_NEGATIVE_STATE = {
    "firms": (
        "weight",
        "capital",
        "employees",
        "wage",
        "planned_output",
        "labour_demand",
        "output",
        "sales",
        "inventory",
        "expected_sales",
        "rd_stock",
        "investment_order",
        "rd_order",
        "revenue_year",
        "output_year",
        "revenue_last_year",
        "age",
    ),
    "persons": ("skill", "wage"),
    "households": ("size", "workers", "retirees"),
    "economy": (
        "price",
        "world_price",
        "external_demand",
        "base_wage",
        "labour_per_output",
        "productivity_frontier",
        "capacity_lost",
        "employed_by_cluster",
        "village_members",
        "members_by_group",
    ),
}
# Rounding in `inventory += output - sales` (sales <= output + inventory) may leave -1e-16 relative.
ROUNDING = 1e-9


def run_model(
    scenario: Scenario, seed: int = 0, scale: float | None = None
) -> tuple[KunshanModel, xr.Dataset, xr.Dataset]:
    """The run `model.run.simulate` does, keeping the model so its final state can be checked too."""
    m = KunshanModel(scenario, scale=scale, rng=np.random.default_rng(seed_sequence(scenario, seed)))
    m.run()
    annual, monthly = m.datasets()
    return m, annual, monthly


def _rows(population: Population) -> dict[str, np.ndarray]:
    return {name: getattr(population, name)[: population.n] for name in population._arrays()}


def state_arrays(m: KunshanModel) -> dict[str, np.ndarray]:
    """Every number of the state by a dotted name (rows in use only)."""
    s = m.state
    out = {}
    for group in ("firms", "persons", "households"):
        out.update({f"{group}.{k}": v for k, v in _rows(getattr(s, group)).items()})
    for group in ("villages", "sectors", "economy"):
        obj = getattr(s, group)
        for f in fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, (int, float, np.ndarray)) and not isinstance(value, bool):
                out[f"{group}.{f.name}"] = np.asarray(value)
    return out


def check_datasets(annual: xr.Dataset, monthly: xr.Dataset, scenario: Scenario) -> None:
    for label, ds in (("annual", annual), ("monthly", monthly)):
        for name, var in {**ds.data_vars, **ds.coords}.items():
            values = np.asarray(var.values)
            if values.dtype.kind == "f":
                bad = ~np.isfinite(values)
                assert not bad.any(), f"{label}.{name}: {bad.sum()} non-finite values"
    for name in NON_NEGATIVE_ANNUAL:
        assert (annual[name].values >= 0).all(), f"annual.{name} < 0: {annual[name].values.min()}"
    for name in NON_NEGATIVE_MONTHLY:
        assert (monthly[name].values >= 0).all(), f"monthly.{name} < 0: {monthly[name].values.min()}"
    for label, names in FRACTIONS.items():
        ds = annual if label == "annual" else monthly
        for name in names:
            v = ds[name].values
            assert ((v >= 0) & (v <= 1)).all(), f"{label}.{name} outside [0, 1]: {v.min()}..{v.max()}"
    # the labels must say which months and years were simulated
    assert monthly.sizes["time"] == scenario.n_months
    assert str(monthly["time"].values[0])[:7] == scenario.start
    assert str(monthly["time"].values[-1])[:7] == scenario.horizon
    y0, m0 = int(scenario.start[:4]), int(scenario.start[5:7])
    y1, m1 = int(scenario.horizon[:4]), int(scenario.horizon[5:7])
    complete = [y for y in range(y0, y1 + 1) if (y > y0 or m0 == 1) and (y < y1 or m1 == 12)]
    assert annual["year"].values.tolist() == [y0 - 1, *complete]


def check_state(m: KunshanModel) -> None:
    arrays = state_arrays(m)
    for name, values in arrays.items():
        if values.dtype.kind == "f":
            assert np.isfinite(values).all(), f"state {name}: non-finite values"
    for group, names in NON_NEGATIVE_STATE.items():
        # rounding is relative to the agent's own sizes: a firm whose stock is sold out keeps
        # inventory + output - sales, about 1e-16 of its output, which may be -1e-7 yuan
        columns = [np.abs(arrays[f"{group}.{name}"]).astype(float) for name in names]
        size = (
            np.maximum.reduce([c.reshape(c.shape[0], -1).max(axis=1) if c.ndim else c for c in columns])
            if group != "economy"
            else None
        )
        for name in names:
            values = arrays[f"{group}.{name}"]
            scale = np.maximum(1.0, size) if size is not None else max(1.0, float(np.abs(values).max(initial=0.0)))
            assert (values >= -ROUNDING * scale).all(), f"state {group}.{name} < 0: {values.min()}"
    hs = m.state.households  # a running total that must be exact (whole numbers): the fresh count's bits
    fresh = np.bincount(hs.group[: hs.n], weights=hs.size[: hs.n], minlength=4)
    np.testing.assert_array_equal(m.state.economy.members_by_group, fresh, err_msg="economy.members_by_group")


def check_run(m: KunshanModel, annual: xr.Dataset, monthly: xr.Dataset) -> None:
    """Everything a finished run must satisfy (the model itself raises on a broken identity)."""
    assert m.max_identity_error <= IDENTITY_TOLERANCE, m.max_identity_error
    check_datasets(annual, monthly, m.kunshan_scenario)
    check_state(m)
