"""The two kinds of results folder, each assembled from its parts and written atomically: a run
(netCDF data, target table, figures, report, scenario) and a comparison of runs."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import xarray as xr

import model
from model.outputs import console, figures, netcdf, report, targets, uncertainty
from model.outputs.atomic import atomic_folder
from model.outputs.fonts import figure_fonts
from model.outputs.labels import DEFAULT_LANG, word
from model.outputs.provenance import provenance, reproducible_scenario, utc_now
from model.outputs.spreadsheet import write_xlsx
from model.scenario import Scenario
from model.targets import recorded_targets, scenario_targets
from model.variables import ANNUAL, MONTHLY

RUN_FILES = (
    "annual.nc",
    "monthly.nc",
    "targets.csv",
    "uncertainty.csv",
    "results.xlsx",
    "report.html",
    "scenario.toml",
)


def write_results(
    folder: str | Path,
    scenario: Scenario,
    annual: xr.Dataset,
    monthly: xr.Dataset,
    firms: xr.Dataset | None = None,
    lang: str = DEFAULT_LANG,
) -> Path:
    """A complete results folder for one scenario run over seeds (and, if given, the firm
    snapshots of its first seed as firms.nc); the report and figures in ``lang`` (en or zh)."""
    with figure_fonts():
        return _write_results(folder, scenario, annual, monthly, firms, lang)


def _write_results(folder, scenario, annual, monthly, firms, lang) -> Path:
    recorded = provenance(scenario)
    annual = netcdf.labelled(
        annual,
        ANNUAL,
        netcdf.global_attributes(f"Kunshan scenario {scenario.name}: annual results over seeds", recorded),
    )
    monthly = netcdf.labelled(
        monthly,
        MONTHLY,
        netcdf.global_attributes(f"Kunshan scenario {scenario.name}: monthly results over seeds", recorded),
    )
    judged = scenario_targets(scenario)  # the scenario's own target set (`targets`, --targets) or the article's
    rows = targets.target_rows(annual, judged)
    drawn = {
        "targets": figures.targets_figure([(scenario.name, annual)], judged, lang),
        "clusters": figures.clusters_figure(annual, lang),
        "incomes": figures.incomes_figure(annual, lang),
        "firm_tiers": figures.tiers_figure(annual, lang),
        "lorenz": figures.lorenz_figure(annual, lang),
    }
    with atomic_folder(folder, kind="run") as tmp:
        netcdf.to_netcdf(annual, tmp / "annual.nc")
        netcdf.to_netcdf(monthly, tmp / "monthly.nc")
        if firms is not None:
            title = f"Kunshan scenario {scenario.name}: every firm of seed {firms.attrs.get('seed', '')}, per year"
            firms = firms.assign_attrs(netcdf.global_attributes(title, recorded))
            netcdf.to_netcdf(
                firms,
                tmp / "firms.nc",
                encoding={name: {**var.encoding, **netcdf.COMPRESSED} for name, var in firms.data_vars.items()},
            )
        targets.write_csv(tmp / "targets.csv", targets.TARGET_COLUMNS, rows)
        spread = uncertainty.uncertainty_rows(annual, judged)
        targets.write_csv(tmp / "uncertainty.csv", uncertainty.UNCERTAINTY_COLUMNS, spread)
        write_xlsx(
            tmp / "results.xlsx", rows, targets.TARGET_COLUMNS, annual, [t.id for t in judged], recorded["created_utc"]
        )
        (tmp / "scenario.toml").write_text(
            "# The scenario exactly as run, every parameter written out: `kunshan run scenario.toml`\n"
            "# (or `kunshan reproduce` on this folder) repeats it.\n" + reproducible_scenario(scenario).source_text,
            encoding="utf-8",
        )
        pngs = figures.save_figures(tmp / "figures", drawn)
        body = (
            report.section(
                word("Targets", lang), report.table(rows, targets.TARGET_COLUMNS[1:], shade_by="prob_met", lang=lang)
            )
            + report.section(
                word("Where the spread comes from (uncertainty.csv)", lang),
                report.table(spread, uncertainty.UNCERTAINTY_COLUMNS[2:], lang=lang),
            )
            + report.figures_html(pngs, figures.descriptions(lang), word("Figures", lang))
            + report.section(
                word("Scenario (TOML, extends resolved)", lang), f"<pre>{html.escape(scenario.source_text)}</pre>"
            )
        )
        report.write_html(
            tmp / "report.html",
            f"{word('Kunshan scenario', lang)}: {scenario.name}",
            scenario.description,
            recorded,
            body,
            lang,
        )
    return Path(folder)


def write_comparison(
    folder: str | Path, runs: Sequence[tuple[str, xr.Dataset]], lang: str = DEFAULT_LANG
) -> tuple[Path, list[dict]]:
    with figure_fonts():
        return _write_comparison(folder, runs, lang)


def _write_comparison(folder, runs, lang) -> tuple[Path, list[dict]]:
    judged = recorded_targets(runs[0][1])  # the reference run's target set
    rows = targets.compare_rows(runs, judged)
    drawn = {
        "targets_overlay": figures.targets_figure(runs, judged, lang),
        "differences": figures.differences_figure(runs, judged, lang),
    }
    recorded = {
        "kunshan_version": model.__version__,
        "created_utc": utc_now(),
        "runs": ", ".join(label for label, _ in runs),
    }
    with atomic_folder(folder, kind="comparison") as tmp:
        targets.write_csv(tmp / "compare.csv", targets.COMPARE_COLUMNS, rows)
        costs = targets.cost_rows(runs)
        targets.write_csv(tmp / "costs.csv", targets.COST_COLUMNS, costs)
        pngs = figures.save_figures(tmp / "figures", drawn)
        # the report's table: compare.csv without the keys a reader of the page does not need
        hidden = {"id", "unit", "comparison", "target", "reference", "n", "pairing", "extra_cost_total"}
        shown = tuple(c for c in targets.COMPARE_COLUMNS if c not in hidden)
        pairing = " ".join(f"{line}." for line in console.pairing_lines(rows))
        report.write_html(
            tmp / "report.html",
            "Kunshan scenario comparison",
            f"Each scenario against {runs[0][0]}; differences are scenario minus reference. {pairing}",
            recorded,
            report.section("Target differences", report.table(rows, shown, "prob_met_scenario", lang))
            + report.section(
                "Budget cost of the policies (yi yuan, seed means; diff_per_100_yi_cost "
                "above: difference per 100 yi yuan of cost beyond the reference's)",
                report.table([r for r in costs if r["cost_total"] > 0], targets.COST_COLUMNS, lang=lang),
            )
            + report.figures_html(pngs, figures.descriptions(lang), word("Figures", lang)),
            lang,
        )
    return Path(folder), rows
