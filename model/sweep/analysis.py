"""Sobol indices of a finished Sobol-design sweep, one table row per (target, input).

Each point's outcome is the mean over its seeds, so the indices apportion the variance of the
expected outcome among the inputs; the model's own noise is averaged out rather than counted as
an unexplained input. Indices are computed at each target's own year.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np

from model.sweep import store
from model.sweep.combine import SWEEP_FILE, summary_targets
from model.sweep.experiment import Experiment
from model.sweep.sensitivity import sobol_indices

SOBOL_FILE = "sobol.csv"
COLUMNS = ("target", "year", "input", "S1", "S1_conf", "ST", "ST_conf", "confidence", "note")


def sobol_table(out_dir: str | Path, experiment: Experiment) -> Path:
    import h5netcdf

    out_dir = Path(out_dir)
    names = experiment.input_names
    from model.outputs.targets import CSV_ENCODING  # every results CSV: a byte-order mark, for Excel

    bounds = [(i.low, i.high) for i in experiment.inputs]
    path = out_dir / SOBOL_FILE
    with (
        store.atomic_path(path) as temp,
        h5netcdf.File(out_dir / SWEEP_FILE, "r") as nc,
        open(temp, "w", encoding=CSV_ENCODING, newline="") as fh,
    ):
        years = np.asarray(nc.variables["year"][:])
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for target in summary_targets(experiment, years):
            if nc.variables[target.id].ndim != 3:
                continue
            year_index = int(np.flatnonzero(years == target.year)[0])
            outcomes = np.asarray(nc.variables[target.id][:, :, year_index])
            mean_outcome = np.nanmean(outcomes, axis=1) if np.isfinite(outcomes).any() else outcomes[:, 0]
            indices = sobol_indices(
                names,
                bounds,
                mean_outcome,
                second_order=experiment.second_order,
                confidence=experiment.confidence,
                resamples=experiment.bootstrap,
                seed=experiment.root_seed,
            )
            for j, name in enumerate(names):
                writer.writerow(
                    [
                        target.id,
                        target.year,
                        name,
                        *(
                            repr(float(a[j]))
                            for a in (indices.first, indices.first_conf, indices.total, indices.total_conf)
                        ),
                        experiment.confidence,
                        indices.notes[j],
                    ]
                )
        fh.flush()
        os.fsync(fh.fileno())
    return path


def read_sobol_table(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:  # written with a byte-order mark (Excel)
        return [
            {k: (v if k in ("target", "input", "note") else float(v)) for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def not_estimable(table: list[dict]) -> int:
    """How many (target, input) rows have an index that could not be estimated."""
    return sum("not estimable" in row.get("note", "") for row in table)
