"""What a sweep will cost (time, memory, disk), estimated before anything starts.

A sweep of 10^7 Sobol samples used to be accepted and would have taken about a week; one that
cannot fit in memory or on disk would fail hours in. So the size of a sweep is counted from the
experiment alone (nothing is allocated), priced with a simple measured cost model, and refused
when the machine cannot hold it, or when it would run longer than :data:`LONG_SWEEP_SECONDS`
unless the user confirms with ``--yes``. A refusal suggests a smaller setting only when that
setting fits; it never suggests the size it refused.

The cost model (docs/sweeps.md, "Before a sweep starts") was measured with the real model on the
2-core development machine under load (CPU seconds of one run, initialisation included, scales
0.02 to 0.3 over 12 and 48 months; it matched a 0.3-scale, 48-month run to 1%):

    seconds per run = 0.05 + 0.6 * scale + months * (0.003 + 0.33 * scale)

Memory per worker is :func:`model.runner.memory_estimate`; the parent holds the design, the
bootstrap of a Sobol analysis and the compressed ``sweep.nc`` while it is built.
"""

from __future__ import annotations

import dataclasses
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from model.sweep.experiment import Experiment, ExperimentError

RUN_FIXED_SECONDS = 0.05
RUN_SECONDS_PER_SCALE = 0.6
MONTH_SECONDS = 0.003
MONTH_SECONDS_PER_SCALE = 0.33
LONG_SWEEP_SECONDS = 12 * 3600  # longer needs --yes
FIRST_YEAR = 2021  # the initial state is the first year of every run's annual results
VALUES_PER_EXTRA_DIM = 32  # cluster (13), tier, lorenz_point (21): an upper bound per year
RUN_FILE_OVERHEAD = 4096  # a run file's zip and array headers, rounded to a disk block
SWEEP_FILE_OVERHEAD = 1 << 20


@dataclass(frozen=True)
class Budget:
    runs: int  # runs still to compute
    parallel: int  # runs computed at once
    seconds: float  # wall time of those runs
    worker_bytes: float  # memory of the local worker processes (0 on a cluster)
    parent_bytes: float  # memory of the parent: design, bootstrap, sweep.nc being built
    disk_bytes: float  # run files still to write, plus sweep.nc

    @property
    def memory_bytes(self) -> float:
        return self.worker_bytes + self.parent_bytes


def n_points(experiment: Experiment) -> int:
    """Points of the design, counted without building it."""
    inputs = experiment.inputs
    if experiment.design == "grid":
        return math.prod(len(i.levels) if i.levels is not None else experiment.grid_levels for i in inputs)
    if experiment.design == "sobol":
        return experiment.samples * ((2 if experiment.second_order else 1) * len(inputs) + 2)
    return experiment.samples


def seconds_per_run(scale: float, months: int) -> float:
    return (
        RUN_FIXED_SECONDS + RUN_SECONDS_PER_SCALE * scale + months * (MONTH_SECONDS + MONTH_SECONDS_PER_SCALE * scale)
    )


def estimate(experiment: Experiment, pending_runs: int, parallel: int, local_workers: int) -> Budget:
    from model.runner import memory_estimate
    from model.variables import ANNUAL

    points = n_points(experiment)
    months = dataclasses.replace(experiment.base_scenario, horizon=experiment.horizon).n_months
    years = int(experiment.horizon[:4]) - FIRST_YEAR + 1
    values_per_run = years * sum(VALUES_PER_EXTRA_DIM if ANNUAL[v].dims else 1 for v in experiment.outputs)
    all_values = points * experiment.seeds * values_per_run
    parallel = max(1, min(parallel, pending_runs))
    design_bytes = 3 * 8 * points * max(1, len(experiment.inputs))  # SALib's arrays while sampling
    bootstrap_bytes = 3 * 8 * (experiment.samples or 0) * experiment.bootstrap if experiment.design == "sobol" else 0
    workers = min(local_workers, max(1, pending_runs))
    return Budget(
        runs=pending_runs,
        parallel=parallel,
        seconds=pending_runs * seconds_per_run(experiment.scale, months) / parallel,
        worker_bytes=memory_estimate(experiment.scale, workers) if local_workers else 0.0,
        parent_bytes=design_bytes + bootstrap_bytes + 8.0 * all_values,
        disk_bytes=pending_runs * (RUN_FILE_OVERHEAD + 8.0 * values_per_run) + 8.0 * all_values + SWEEP_FILE_OVERHEAD,
    )


def check_budget(
    experiment: Experiment,
    out_dir: Path,
    *,
    pending_runs: int,
    parallel: int,
    local_workers: int,
    confirmed: bool = False,
    free_memory: float | None = None,
    free_disk: float | None = None,
) -> Budget:
    """Refuse, in one line, a sweep that cannot fit in memory or on disk, or, unless ``confirmed``,
    one that would run longer than :data:`LONG_SWEEP_SECONDS`. Returns the estimate."""
    from model.runner import available_memory

    budget = estimate(experiment, pending_runs, parallel, local_workers)
    free_memory = available_memory() if free_memory is None else free_memory
    free_disk = _free_disk(out_dir) if free_disk is None else free_disk
    size = f"{budget.runs:,} runs of scale {experiment.scale:g} to {experiment.horizon}"
    if free_memory is not None and budget.memory_bytes > free_memory:
        fewer = _workers_that_fit(experiment, budget, free_memory, local_workers)
        advice = (
            f"try --workers {fewer}"
            if fewer
            else "fewer samples, seeds or outputs, or a smaller --scale"
            if budget.parent_bytes < free_memory
            else "a design with fewer points, seeds or outputs"
        )
        raise ExperimentError(
            f"{experiment.path}: a sweep that fits in memory: {size} need about {_gb(budget.memory_bytes)} "
            f"({_gb(budget.worker_bytes)} for {min(local_workers, budget.runs)} worker(s), "
            f"{_gb(budget.parent_bytes)} for the design and results), {_gb(free_memory)} is available; {advice}"
        )
    if free_disk is not None and budget.disk_bytes > free_disk:
        raise ExperimentError(
            f"--out {out_dir}: a disk with room for the sweep: {size} write about {_gb(budget.disk_bytes)}, "
            f"{_gb(free_disk)} is free; choose another --out, or fewer points, seeds or outputs"
        )
    if budget.seconds > LONG_SWEEP_SECONDS and not confirmed:
        raise ExperimentError(
            f"{experiment.path}: {size} would take about {_duration(budget.seconds)} with {budget.parallel} "
            f"run(s) at a time (estimate: docs/sweeps.md); pass --yes to start it anyway, or reduce the design"
        )
    _show(f"{size} with {budget.parallel} run(s) at a time", budget.seconds)
    return budget


def _show(what: str, seconds: float) -> None:
    """Say how long the sweep will take before it starts, as `kunshan run` does (model.runner)."""
    import sys

    from model.runner import SHOW_SECONDS, duration

    if seconds >= SHOW_SECONDS or sys.stderr.isatty():
        print(f"kunshan sweep: {what}: about {duration(seconds)} (estimate)", file=sys.stderr, flush=True)


def _workers_that_fit(experiment: Experiment, budget: Budget, free_memory: float, local_workers: int) -> int | None:
    """The most local workers that fit beside the parent, if fewer than asked and at least one."""
    from model.runner import memory_estimate

    for workers in range(min(local_workers, budget.runs) - 1, 0, -1):
        if memory_estimate(experiment.scale, workers) + budget.parent_bytes <= free_memory:
            return workers
    return None


def _free_disk(out_dir: Path) -> float | None:
    """Free bytes on the filesystem that will hold ``out_dir`` (its nearest existing ancestor)."""
    folder = Path(os.path.abspath(out_dir))
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return float(shutil.disk_usage(folder).free)
    except OSError:
        return None


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 1e9:.1f} GB" if n_bytes >= 0.05e9 else f"{n_bytes / 1e6:.0f} MB"


def _duration(seconds: float) -> str:
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("hours", 3600)):
        if seconds >= 2 * size:
            return f"{seconds / size:,.0f} {unit}"
    return f"{seconds / 60:,.0f} minutes"
