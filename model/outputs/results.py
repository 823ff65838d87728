"""The two kinds of results folder, each assembled from its parts and written atomically: a run
(netCDF data, target table, figures, report, scenario) and a comparison of runs."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import xarray as xr

import model
from model.outputs import figures, netcdf, report, targets
from model.outputs.atomic import atomic_folder
from model.outputs.provenance import provenance, reproducible_scenario, utc_now
from model.scenario import Scenario
from model.variables import ANNUAL, MONTHLY

RUN_FILES = ("annual.nc", "monthly.nc", "targets.csv", "report.html", "scenario.toml")


def write_results(folder: str | Path, scenario: Scenario, annual: xr.Dataset, monthly: xr.Dataset,
                  firms: xr.Dataset | None = None) -> Path:
    """A complete results folder for one scenario run over seeds (and, if given, the firm
    snapshots of its first seed as firms.nc)."""
    recorded = provenance(scenario)
    annual, monthly = netcdf.labelled(annual, ANNUAL, recorded), netcdf.labelled(monthly, MONTHLY, recorded)
    rows = targets.target_rows(annual)
    drawn = {"targets": figures.targets_figure([(scenario.name, annual)]), "clusters": figures.clusters_figure(annual),
             "incomes": figures.incomes_figure(annual), "firm_tiers": figures.tiers_figure(annual),
             "lorenz": figures.lorenz_figure(annual)}
    with atomic_folder(folder) as tmp:
        netcdf.to_netcdf(annual, tmp / "annual.nc")
        netcdf.to_netcdf(monthly, tmp / "monthly.nc")
        if firms is not None:
            firms.attrs.update(recorded)
            netcdf.to_netcdf(firms, tmp / "firms.nc")
        targets.write_csv(tmp / "targets.csv", targets.TARGET_COLUMNS, rows)
        (tmp / "scenario.toml").write_text(
            "# The scenario exactly as run, every parameter written out: `kunshan run scenario.toml`\n"
            "# (or `kunshan reproduce` on this folder) repeats it.\n" + reproducible_scenario(scenario).source_text,
            encoding="utf-8")
        pngs = figures.save_figures(tmp / "figures", drawn)
        body = (report.section("Targets", report.table(rows, targets.TARGET_COLUMNS[1:])) + report.figures_html(pngs)
                + report.section("Scenario (TOML, extends resolved)",
                                 f"<pre>{html.escape(scenario.source_text)}</pre>"))
        report.write_html(tmp / "report.html", f"Kunshan scenario: {scenario.name}", scenario.description,
                          recorded, body)
    return Path(folder)


def write_comparison(folder: str | Path, runs: Sequence[tuple[str, xr.Dataset]]) -> tuple[Path, list[dict]]:
    rows = targets.compare_rows(runs)
    drawn = {"targets_overlay": figures.targets_figure(runs), "differences": figures.differences_figure(runs)}
    recorded = {"kunshan_version": model.__version__, "created_utc": utc_now(),
                "runs": ", ".join(label for label, _ in runs)}
    with atomic_folder(folder) as tmp:
        targets.write_csv(tmp / "compare.csv", targets.COMPARE_COLUMNS, rows)
        pngs = figures.save_figures(tmp / "figures", drawn)
        shown = ("label_zh", "label_en", "year", "scenario", "mean_reference", "mean_scenario",
                 "method", "diff_mean", "diff_p05", "diff_p95")
        report.write_html(tmp / "report.html", "Kunshan scenario comparison",
                          f"Each scenario against {runs[0][0]}; differences are scenario minus reference.",
                          recorded, report.section("Target differences", report.table(rows, shown))
                          + report.figures_html(pngs))
    return Path(folder), rows
