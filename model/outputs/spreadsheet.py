"""results.xlsx: the target table and the yearly trajectories, for planners who work in Excel.

Two sheets: ``targets`` (the columns of targets.csv) and ``trajectories``, one row per variable and
year with the mean, p05, p50 and p95 over seeds, for every target variable and the headline
variables below, each with its Chinese and English label and unit. Written with openpyxl; the
document's creation time is the run's (from its provenance), so the same run gives the same cells.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from model.outputs.labels import unit_label, variable_label

# Besides the targets: the economy's size and growth, incomes, people and the public budget.
HEADLINE = (
    "gdp",
    "gdp_real_growth",
    "above_scale_industrial_output",
    "strategic_emerging_output",
    "trade_total",
    "fdi_utilised",
    "disposable_income_per_capita",
    "urban_disposable_income_per_capita",
    "rural_disposable_income_per_capita",
    "income_gini",
    "resident_population",
    "employment",
    "unemployment_rate",
    "public_budget_revenue",
    "rd_spending_share_of_gdp",
)
TRAJECTORY_COLUMNS = ("variable", "label_zh", "label_en", "unit", "year", "mean", "p05", "p50", "p95")


def trajectory_rows(annual: xr.Dataset, names: Sequence[str]) -> list[dict]:
    """Mean and percentiles over seeds, by year, of each yearly variable (one without other dimensions)."""
    rows = []
    for name in dict.fromkeys(names):
        if name not in annual or set(annual[name].dims) - {"seed", "year"}:
            continue
        data = np.asarray(annual[name].transpose("seed", "year").values, dtype=float)
        unit = annual[name].attrs.get("units", "")
        for j, year in enumerate(annual["year"].values):
            column = data[:, j]
            stats = dict(mean=np.nan, p05=np.nan, p50=np.nan, p95=np.nan)
            if np.isfinite(column).any():
                p05, p50, p95 = np.nanpercentile(column, [5, 50, 95])
                stats = dict(mean=float(np.nanmean(column)), p05=float(p05), p50=float(p50), p95=float(p95))
            rows.append(
                {
                    "variable": name,
                    "label_zh": variable_label(name, "zh"),
                    "label_en": variable_label(name, "en"),
                    "unit": unit_label(unit, "en") if unit != "1" else "",
                    "year": int(year),
                    **stats,
                }
            )
    return rows


def _cell(value):
    if isinstance(value, (float, np.floating)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def write_xlsx(
    path: Path,
    target_rows: list[dict],
    target_columns: Sequence[str],
    annual: xr.Dataset,
    target_ids: Sequence[str],
    created_utc: str | None = None,
) -> None:
    """The workbook: targets, then trajectories of the target and headline variables."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "targets"
    sheet.append(list(target_columns))
    for row in target_rows:
        sheet.append([_cell(row[c]) for c in target_columns])
    trajectories = book.create_sheet("trajectories")
    trajectories.append(list(TRAJECTORY_COLUMNS))
    for row in trajectory_rows(annual, [*target_ids, *HEADLINE]):
        trajectories.append([_cell(row[c]) for c in TRAJECTORY_COLUMNS])
    for ws in (sheet, trajectories):
        ws.freeze_panes = "A2"
        ws.column_dimensions["B"].width = 28
        ws.column_dimensions["C"].width = 40
    if created_utc:
        when = dt.datetime.strptime(created_utc, "%Y-%m-%dT%H:%M:%SZ")
        book.properties.created = book.properties.modified = when
    book.properties.creator = "kunshan"
    book.save(path)
