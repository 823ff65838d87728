"""The target table: each 2025 target's distribution over seeds, alone or against a reference run."""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from model.targets import Target, load_targets

TARGET_COLUMNS = (
    "id",
    "label_zh",
    "label_en",
    "year",
    "target",
    "comparison",
    "unit",
    "mean",
    "p05",
    "p50",
    "p95",
    "prob_met",
)
COMPARE_COLUMNS = (
    "id",
    "label_zh",
    "label_en",
    "year",
    "unit",
    "comparison",
    "target",
    "reference",
    "scenario",
    "mean_reference",
    "mean_scenario",
    "prob_met_reference",
    "prob_met_scenario",
    "method",
    "n",
    "diff_mean",
    "diff_p05",
    "diff_p95",
    "pairing",
    "extra_cost_total",
    "diff_per_100_yi_cost",
)
COST_COLUMNS = ("scenario", "lever", "cost_total", "cost_first_year", "cost_last_year", "unit")
TIER_TARGETS = {
    "ge_1000_yi": "firms_revenue_ge_1000_yi",
    "100_to_1000_yi": "firms_revenue_100_to_1000_yi",
    "10_to_100_yi": "firms_revenue_10_to_100_yi",
}


def _at_year(annual: xr.Dataset, name: str, year: int) -> np.ndarray | None:
    """The seeds' values of a variable in a year, or None when the run does not reach it."""
    if name not in annual or year not in annual["year"].values:
        return None
    return np.asarray(annual[name].sel(year=year).values, dtype=float).ravel()


def target_rows(annual: xr.Dataset, targets: Sequence[Target] | None = None) -> list[dict]:
    """One row per target (of ``targets``; default the article's): distribution over seeds in the
    target year and the share of seeds meeting it."""
    rows = []
    for t in load_targets() if targets is None else targets:
        values = _at_year(annual, t.id, t.year)
        row = {
            "id": t.id,
            "label_zh": t.label_zh,
            "label_en": t.label_en,
            "year": t.year,
            "target": t.value,
            "comparison": t.comparison,
            "unit": t.unit,
        }
        if values is None or np.isnan(values).all():
            row.update(mean=np.nan, p05=np.nan, p50=np.nan, p95=np.nan, prob_met=np.nan)
        else:
            p05, p50, p95 = np.nanpercentile(values, [5, 50, 95])
            row.update(
                mean=float(np.nanmean(values)), p05=p05, p50=p50, p95=p95, prob_met=float(np.mean(t.met(values)))
            )
        rows.append(row)
    return rows


def compare_rows(runs: Sequence[tuple[str, xr.Dataset]], targets: Sequence[Target] | None = None) -> list[dict]:
    """Each run against the first, per target.

    Runs that share root seed and scale drew the same random numbers for the same seed, so
    per-seed differences over their common seeds remove the noise both share (common random
    numbers, "paired"); otherwise every pair of seeds is compared ("independent"). The `pairing`
    column says which and why. A band needs two differences at least: with one, p05 and p95 are
    left empty rather than drawn with zero width.
    """
    (ref_label, ref), rows = runs[0], []
    for label, other in runs[1:]:
        common, pairing = pairing_of(ref, other)
        extra_cost = _total_cost(other) - _total_cost(ref)  # yi yuan of budget cost beyond the reference's
        for t in load_targets() if targets is None else targets:
            a, b, paired = _paired_or_all(ref, other, common, t.id, t.year)
            row = {
                "id": t.id,
                "label_zh": t.label_zh,
                "label_en": t.label_en,
                "year": t.year,
                "unit": t.unit,
                "comparison": t.comparison,
                "target": t.value,
                "reference": ref_label,
                "scenario": label,
                "pairing": pairing,
            }
            for side, data in (("reference", ref), ("scenario", other)):
                values = _at_year(data, t.id, t.year)
                ok = values is not None and not np.isnan(values).all()
                row[f"mean_{side}"] = float(np.nanmean(values)) if ok else np.nan
                row[f"prob_met_{side}"] = float(np.mean(t.met(values))) if ok else np.nan
            if a is None:
                row.update(method="", n=0, diff_mean=np.nan, diff_p05=np.nan, diff_p95=np.nan)
            else:
                diff = b - a if paired else (b[None, :] - a[:, None]).ravel()
                band = np.nanpercentile(diff, [5, 95]) if diff.size >= 2 else (np.nan, np.nan)
                row.update(
                    method="paired" if paired else "independent",
                    n=diff.size,
                    diff_mean=float(np.nanmean(diff)),
                    diff_p05=float(band[0]),
                    diff_p95=float(band[1]),
                )
            row["extra_cost_total"] = extra_cost
            row["diff_per_100_yi_cost"] = 100.0 * row["diff_mean"] / extra_cost if extra_cost > 0 else np.nan
            rows.append(row)
    return rows


def _simulated_years(ds: xr.Dataset) -> xr.Dataset:
    """The simulated years (the first year of an annual dataset is the initial state)."""
    return ds.isel(year=slice(1, None))


def _total_cost(ds: xr.Dataset) -> float:
    """The policies' total budget cost over the simulated years, seed mean, yi yuan (0 without policy_cost)."""
    if "policy_cost" not in ds:
        return 0.0
    cost = _simulated_years(ds)["policy_cost"].sum(dim=("year", "lever"))
    return float(cost.mean()) if "seed" in cost.dims else float(cost)


def cost_rows(runs: Sequence[tuple[str, xr.Dataset]]) -> list[dict]:
    """Each run's budget cost by lever over the simulated years (seed means, yi yuan): `costs.csv`."""
    rows = []
    for label, ds in runs:
        if "policy_cost" not in ds:
            continue
        cost = _simulated_years(ds)["policy_cost"]
        if "seed" in cost.dims:
            cost = cost.mean(dim="seed")
        for lever in cost["lever"].values:
            by_year = cost.sel(lever=lever)
            rows.append(
                {
                    "scenario": label,
                    "lever": str(lever),
                    "cost_total": float(by_year.sum()),
                    "cost_first_year": float(by_year.isel(year=0)),
                    "cost_last_year": float(by_year.isel(year=-1)),
                    "unit": "yi_yuan",
                }
            )
    return rows


def run_scale(ds: xr.Dataset) -> float | None:
    """The scale a run was made at, from the scenario text it records."""
    try:
        scale = tomllib.loads(str(ds.attrs.get("scenario", ""))).get("scale")
    except tomllib.TOMLDecodeError:
        return None
    return float(scale) if isinstance(scale, (int, float)) and not isinstance(scale, bool) else None


def pairing_of(a: xr.Dataset, b: xr.Dataset) -> tuple[list, str]:
    """(the seeds to pair on, a sentence saying how the runs are compared and why).

    Only runs with the same root seed and scale share random numbers seed by seed: the same seed at
    another scale draws for a different population, so its difference is no paired effect.
    """
    independent = "independent (every pair of seeds): "
    if a.attrs.get("root_seed") != b.attrs.get("root_seed"):
        return [], independent + f"root seeds differ ({a.attrs.get('root_seed')} vs {b.attrs.get('root_seed')})"
    scales = run_scale(a), run_scale(b)
    if None in scales:
        return [], independent + "a run records no scale"
    if scales[0] != scales[1]:
        return [], independent + f"scales differ ({scales[0]:g} vs {scales[1]:g})"
    common = sorted(set(a["seed"].values.tolist()) & set(b["seed"].values.tolist()))
    if not common:
        return [], independent + "no seed in common"
    return common, (
        f"paired by seed (common random numbers: root seed {a.attrs.get('root_seed')}, "
        f"scale {scales[0]:g}, {len(common)} common seeds)"
    )


def common_seeds(a: xr.Dataset, b: xr.Dataset) -> list:
    return pairing_of(a, b)[0]


def _paired_or_all(a: xr.Dataset, b: xr.Dataset, common: list, name: str, year: int):
    """(reference values, scenario values, paired?) of a target; paired values are in seed order."""
    if _at_year(a, name, year) is None or _at_year(b, name, year) is None:
        return None, None, False
    if common:
        return _at_year(a.sel(seed=common), name, year), _at_year(b.sel(seed=common), name, year), True
    return _at_year(a, name, year), _at_year(b, name, year), False


# Every CSV kunshan writes starts with a UTF-8 byte-order mark, so that Excel (on Chinese Windows
# too) opens label_zh as Chinese rather than as mojibake; Python reads it with encoding="utf-8-sig".
CSV_ENCODING = "utf-8-sig"


def write_csv(path: Path, columns: Sequence[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding=CSV_ENCODING) as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_value(row[k]) for k in columns})


def _csv_value(value):
    if isinstance(value, (float, np.floating)):
        return "" if np.isnan(value) else format(float(value), ".10g")
    return value
