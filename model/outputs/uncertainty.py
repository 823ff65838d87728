"""uncertainty.csv: where each target's spread across the runs comes from.

Each run of an ensemble differs in three ways (model.uncertainty): its parameter draw, its exogenous
path (the common shocks to outside demand and the exchange rate) and its seed (every other draw:
who leaves a job, which firm innovates...). The share of the variance of a target across runs that
each explains is estimated by regressing the target on the drivers the run recorded:

* parameters: ``parameter_draw`` (each uncertain parameter, in standard deviations);
* exogenous: ``external_demand_shock`` (the cumulative common log shock to outside demand),
  ``outside_demand_deviation`` (the markets' drawn deviations from their trend, weighted by their
  shares), ``producer_inflation_deviation`` (the drawn deviation of producer-price inflation) and the
  log of ``exchange_rate``, all in the target's year;

and splitting the explained variance between the two groups by Shapley values of the adjusted R^2
(:func:`model.uncertainty.shapley_shares`). The rest is the seed's share; it also holds what the
drivers explain only non-linearly, so it is an upper bound on pure simulation noise. The shares need
at least six runs more than drivers; with fewer the row says so and leaves them empty.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from model.targets import load_targets

UNCERTAINTY_COLUMNS = (
    "id",
    "label_zh",
    "label_en",
    "year",
    "runs",
    "mean",
    "sd",
    "share_seed",
    "share_parameters",
    "share_exogenous",
    "note",
)


def _drivers(annual: xr.Dataset, year: int) -> dict[str, np.ndarray]:
    n = annual.sizes["seed"]
    parameters = (
        annual["parameter_draw"].transpose("seed", ...).values.reshape(n, -1)
        if "parameter_draw" in annual
        else np.zeros((n, 0))
    )
    exogenous = []
    for name in ("external_demand_shock", "outside_demand_deviation", "producer_inflation_deviation"):
        if name in annual:
            exogenous.append(annual[name].sel(year=year).values)
    if "exchange_rate" in annual:
        exogenous.append(np.log(annual["exchange_rate"].sel(year=year).values))
    return {"parameters": parameters, "exogenous": np.column_stack(exogenous) if exogenous else np.zeros((n, 0))}


def uncertainty_rows(annual: xr.Dataset, targets=None) -> list[dict]:
    """One row per target (of ``targets``; default the article's) whose year the run reaches."""
    from model.uncertainty import shapley_shares

    rows = []
    years = set(int(y) for y in annual["year"].values)
    for t in load_targets() if targets is None else targets:
        if t.id not in annual or t.year not in years:
            continue
        values = np.asarray(annual[t.id].sel(year=t.year).transpose("seed", ...).values, dtype=float).ravel()
        shares, why_not = shapley_shares(values, _drivers(annual, t.year))
        finite = values[np.isfinite(values)]
        rows.append(
            {
                "id": t.id,
                "label_zh": t.label_zh,
                "label_en": t.label_en,
                "year": t.year,
                "runs": len(finite),
                "mean": float(finite.mean()) if len(finite) else np.nan,
                "sd": float(finite.std(ddof=1)) if len(finite) > 1 else np.nan,
                "share_seed": shares.get("rest", np.nan),
                "share_parameters": shares.get("parameters", np.nan),
                "share_exogenous": shares.get("exogenous", np.nan),
                "note": why_not,
            }
        )
    return rows
