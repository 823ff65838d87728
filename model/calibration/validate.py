"""Validation: does a run reproduce what was observed, and the stylized facts it was not fitted to?

Two kinds of checks, one table (``validation.csv``: check, value, low, high, pass):

* **Observed figures** of the data window that the run overlaps (2021, the initial state, and 2022,
  the first simulated year): the mean over seeds against a band around the observation. 2021
  figures are reproduced by construction (a check of the initialisation); 2022 figures are the real
  test. Bands: the tolerances of the project's acceptance criteria where one exists (GDP 2%,
  electronic information 3%, equipment 5%, real growth 1 point, firm tiers 1 and 3), otherwise 5%
  for grade A/B levels, and the inequality a lower bound states.
* **Stylized facts** from firm and household micro data of separate runs of the same scenario
  (:class:`model.snapshots.SnapshotModel`): the Pareto tail of firm sizes, the tent shape of firm
  growth rates, the lognormal body and Pareto top of household income, the income Gini, and Okun's
  law. Bands and their sources are in docs/ODD.md ("Validation").

This module runs a validation and writes its folder; the observed checks are in
model.calibration.observed_checks, the stylized facts in model.calibration.facts, and the row they
share (band test, names in both languages, CSV and terminal forms) in model.calibration.checks. Their
names are importable from here as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from model.calibration.checks import CSV_COLUMNS, band_check, check_lines, check_text, write_csv
from model.calibration.facts import micro_facts, micro_runs, okun_panel, stylized_checks
from model.calibration.moments import calibrated_baseline
from model.calibration.observed_checks import OBSERVED_YEARS, observed_checks
from model.outputs.labels import DEFAULT_LANG
from model.scenario import Scenario

__all__ = [
    "CSV_COLUMNS",
    "OBSERVED_YEARS",
    "Report",
    "band_check",
    "check_cost",
    "check_lines",
    "check_text",
    "micro_facts",
    "micro_runs",
    "observed_checks",
    "okun_panel",
    "stylized_checks",
    "validate",
    "write_csv",
]


@dataclass
class Report:
    folder: Path
    checks: list[dict]
    targets: list[dict] | None = None  # the target table (targets.csv) of the validated run


def validate(
    run: Path | None = None,
    out: Path | None = None,
    seeds: int = 10,
    scale: float = 0.02,
    micro_seeds: int = 8,
    workers: int = 2,
    scenario: Scenario | None = None,
    targets=None,
    yes: bool = False,
    lang: str = DEFAULT_LANG,
) -> Report:
    """Check a run (or a fresh run of the calibrated baseline) and write the validation folder
    atomically: after an interrupt or a full disk there is no partial folder, and an earlier
    validation under the same name is kept whole. The folder also holds `targets.csv`, the run
    judged by ``targets`` (a user's set, ``--targets``), else by the set the run recorded. Its runs'
    memory and time are estimated first (check_cost): beyond the machine's memory it refuses, beyond
    an hour it needs ``yes``. The figures are in ``lang`` (en or zh)."""
    from model import outputs
    from model.calibration import figures
    from model.config import scenario_from_text
    from model.runner import run_scenario
    from model.writable import check_output_path

    if run is not None:
        annual = outputs.open_run(run)
        _check_coverage(Path(run) / "annual.nc", annual)
        text = annual.attrs.get("scenario")
        scenario = scenario_from_text(text) if text else calibrated_baseline()
        scale = float(scenario.scale)
        folder = outputs.check_destination(
            check_output_path(Path(out) if out else Path(run) / "validation"), inputs=[run]
        )
        check_cost(scenario, scale, 0, micro_seeds, workers, yes)
    else:
        folder = outputs.check_destination(check_output_path(Path(out) if out else Path("results") / "validation"))
        scenario = scenario or calibrated_baseline()  # or the baseline of `--calibration FILE`
        check_cost(scenario, scale, seeds, micro_seeds, workers, yes)
        annual, _ = run_scenario(scenario, seeds=seeds, scale=scale, workers=workers, progress=False)
    if "seed" not in annual.dims:
        annual = annual.expand_dims(seed=[0])
    micro = micro_runs(scenario, micro_seeds, scale, workers)
    checks = observed_checks(annual)
    facts, fits = stylized_checks(micro, annual)
    checks += facts
    from model.targets import recorded_targets, scenario_targets

    judged = (
        targets if targets is not None else recorded_targets(annual) if run is not None else scenario_targets(scenario)
    )
    target_table = outputs.target_rows(annual, judged)
    with outputs.atomic_folder(folder, kind="validation") as tmp:
        write_csv(tmp / "validation.csv", checks)
        outputs.write_csv(tmp / "targets.csv", outputs.TARGET_COLUMNS, target_table)
        figures.write_all(tmp, annual, micro, fits, checks, lang)
    return Report(folder, checks, target_table)


def check_cost(scenario: Scenario, scale: float, seeds: int, micro_seeds: int, workers: int, yes: bool) -> None:
    """Memory and time of validate's own runs, before the first: ``seeds`` runs of the scenario
    (none when a results folder is given) and ``micro_seeds`` firm- and household-level runs, each
    set spread over ``workers`` processes (model.runner's measured figures)."""
    from model import runner

    months = scenario.n_months
    processes = max(1, min(workers, max(seeds, micro_seeds)))
    runner.check_memory_of(scale, processes, seeds, months)
    seconds = (
        (runner.time_estimate(scale, months, seeds, min(processes, max(seeds, 1))) if seeds else 0.0)
        + runner.time_estimate(scale, months, micro_seeds, min(processes, micro_seeds))
        + runner.WRITE_SECONDS
    )
    runner.check_time(
        seconds,
        f"validation: {seeds:,} run(s) and {micro_seeds:,} firm- and household-level run(s) "
        f"at scale {scale:g}, {scenario.start} to {scenario.horizon}, on {processes} process(es)",
        yes,
    )


def _check_coverage(path: Path, annual: xr.Dataset) -> None:
    """Refuse, before any simulation, a run that does not start from the end-2021 state or stops
    before December 2022: its years would be compared with figures of other years."""
    from model.config import ConfigError

    years = [int(y) for y in annual["year"].values]
    if years[: len(OBSERVED_YEARS)] != list(OBSERVED_YEARS):
        raise ConfigError(
            path,
            "year",
            "a run from the end-2021 initial state (origin 2021: the default, or kunshan run --origin 2021) "
            "through December 2022 at least (validation compares 2021 and 2022 with observed figures)",
            f"years {years[0]}-{years[-1]}" if years else "no years",
        )
