"""Combining the run files into ``sweep.nc`` and ``summary.csv``, streaming, in bounded memory.

The run files are read a block of points at a time, so the arrays held stay at one block whatever
the sweep's size. The netCDF file (dims point x seed x year [x extra]) is built compressed in
memory and written with plain I/O: HDF5 writing straight to a disk that fills up fails to close and
then crashes the process at exit, which must instead report the full disk in one line. Both files
are written under temporary names and renamed at the end: a combine that is interrupted or fails
leaves no partial file behind, and running it again (``--resume`` on a finished sweep) gives the
same files.
The values are copied exactly from the run files, in run order, so the data do not depend on the
order in which workers finished. Runs recorded as failed (``--keep-going``) stay NaN; the summary's
means and probabilities are over a point's successful runs, and ``runs_failed`` says how many
were not.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import numpy as np

from model.sweep import store
from model.sweep.engine import SweepError
from model.sweep.experiment import Experiment
from model.targets import Target, load_targets

SWEEP_FILE = "sweep.nc"
SUMMARY_FILE = "summary.csv"
_BLOCK_BYTES = 8 << 20


def summary_targets(experiment: Experiment, years) -> list[Target]:
    """Targets that a sweep can judge: kept as an output, scalar, and with its year simulated."""
    return [t for t in load_targets() if t.id in experiment.outputs and int(t.year) in set(int(y) for y in years)]


def combine_runs(out_dir: str | Path, experiment: Experiment, points: np.ndarray) -> tuple[Path, Path]:
    import h5netcdf

    from model.variables import ANNUAL

    out_dir = Path(out_dir)
    n_points, seeds = len(points), experiment.seeds
    total = n_points * seeds
    finished, failed = store.finished_runs(out_dir), store.failed_runs(out_dir)
    missing = [i for i in range(total) if i not in finished and i not in failed]
    if missing:
        raise SweepError(
            f"{out_dir}: {len(missing)} of {total} runs are missing (first: run {missing[0]}); rerun with --resume"
        )
    if not finished:
        raise SweepError(f"{out_dir}: all {total} runs failed (see {store.LOG})")
    template = store.decode_run(store.run_path(out_dir, min(finished)), outputs=experiment.outputs)
    years = template.years
    outputs = experiment.outputs
    extra_shape = {v: template.values[v].shape[1:] for v in outputs}
    targets = [t for t in summary_targets(experiment, years) if template.dims[t.id] == ()]
    target_year_index = {t.id: int(np.flatnonzero(years == t.year)[0]) for t in targets}

    bytes_per_point = 8 * seeds * sum(template.values[v].size for v in outputs)
    block = int(max(1, min(n_points, _BLOCK_BYTES // max(bytes_per_point, 1))))

    nc_path, csv_path = out_dir / SWEEP_FILE, out_dir / SUMMARY_FILE
    from model.outputs.targets import CSV_ENCODING  # every results CSV: a byte-order mark, for Excel

    # HDF5 does not survive a full disk (a failed close leaves it to crash the process at exit,
    # status 139), so the netCDF file is built in memory, compressed, and written with plain I/O.
    nc_image = io.BytesIO()
    with store.atomic_path(csv_path) as csv_temp:
        with h5netcdf.File(nc_image, "w") as nc, open(csv_temp, "w", encoding=CSV_ENCODING, newline="") as csv_fh:
            _write_layout(nc, experiment, points, template, block, ANNUAL)
            writer = csv.writer(csv_fh)
            writer.writerow(
                [
                    "point",
                    *experiment.input_names,
                    "runs_failed",
                    *[f"{t.id}_{stat}" for t in targets for stat in ("mean", "probability")],
                ]
            )
            for start in range(0, n_points, block):
                stop = min(n_points, start + block)
                buffers = {v: np.full((stop - start, seeds, len(years), *extra_shape[v]), np.nan) for v in outputs}
                for point in range(start, stop):
                    for seed in range(seeds):
                        run_index = point * seeds + seed
                        if run_index not in finished:
                            continue  # a failed run stays NaN
                        run = store.decode_run(store.run_path(out_dir, run_index), outputs=outputs)
                        _check_like_template(run, template, outputs, run_index)
                        for v in outputs:
                            buffers[v][point - start, seed] = run.values[v]
                for v in outputs:
                    nc.variables[v][start:stop] = buffers[v]
                for point in range(start, stop):
                    n_failed = sum(point * seeds + seed in failed for seed in range(seeds))
                    row: list = [point, *(_fmt(x) for x in points[point]), n_failed]
                    for t in targets:
                        outcomes = buffers[t.id][point - start, :, target_year_index[t.id]]
                        computed = outcomes[np.isfinite(outcomes)]
                        share = float(np.mean(t.met(computed))) if computed.size else float("nan")
                        row += [_fmt(_nanmean(outcomes)), _fmt(share)]
                    writer.writerow(row)
                del buffers
            csv_fh.flush()
            os.fsync(csv_fh.fileno())
        store.write_atomically(nc_path, nc_image.getbuffer(), durable=True)
    return nc_path, csv_path


def _write_layout(nc, experiment: Experiment, points, template: store.RunData, block: int, annual_vars) -> None:
    import h5py

    n_points, seeds = len(points), experiment.seeds
    dims = {"point": n_points, "seed": seeds, "year": len(template.years)}
    dims.update({d: len(c) for d, c in template.coords.items()})
    nc.dimensions = dims
    nc.create_variable("point", ("point",), data=np.arange(n_points, dtype=np.int64))
    nc.create_variable("seed", ("seed",), data=np.arange(seeds, dtype=np.int64))
    nc.create_variable("year", ("year",), data=np.asarray(template.years, dtype=np.int64))
    for dim, labels in template.coords.items():
        if labels.dtype.kind in "US":
            nc.create_variable(dim, (dim,), data=labels.astype(object), dtype=h5py.string_dtype())
        else:
            nc.create_variable(dim, (dim,), data=labels)
    for j, inp in enumerate(experiment.inputs):
        var = nc.create_variable(inp.name, ("point",), data=np.asarray(points[:, j], dtype=np.float64))
        var.attrs.update(
            {
                k: v
                for k, v in (("vary", inp.vary), ("target", inp.target), ("start", inp.start), ("end", inp.end))
                if v is not None
            }
        )
    coordinates = " ".join(experiment.input_names)
    for name in experiment.outputs:
        extra = template.dims[name]
        shape = (block, seeds, len(template.years), *(dims[d] for d in extra))
        var = nc.create_variable(
            name,
            ("point", "seed", "year", *extra),
            dtype=np.float64,
            chunks=shape,
            fillvalue=np.nan,
            compression="gzip",
            compression_opts=4,
            shuffle=True,
        )
        spec = annual_vars.get(name)
        if spec is not None:
            var.attrs["units"] = spec.unit
            var.attrs["long_name"] = spec.long_name
        if coordinates:
            var.attrs["coordinates"] = coordinates
    nc.attrs.update(
        {
            "title": f"Kunshan model sweep: {experiment.name}",
            "experiment": experiment.name,
            "description": experiment.description,
            "fingerprint": experiment.fingerprint(),
            "base_scenario": experiment.base,
            "design": experiment.design,
            "seeds_per_point": seeds,
            "root_seed": experiment.root_seed,
            "seeding": "run r uses SeedSequence(root_seed, spawn_key=(r,)), r = point * seeds_per_point + seed"
            if not experiment.common_random_numbers
            else "common random numbers: seed s of every point uses SeedSequence(root_seed, spawn_key=(s,))",
            "scale": experiment.scale,
            "horizon": experiment.horizon,
        }
    )


def _check_like_template(run: store.RunData, template: store.RunData, outputs, run_index: int) -> None:
    if not np.array_equal(run.years, template.years):
        raise SweepError(
            f"run {run_index}: years {run.years.tolist()} differ from the first run's {template.years.tolist()}"
        )
    for v in outputs:
        if v not in run.values or run.values[v].shape != template.values[v].shape:
            raise SweepError(f"run {run_index}: variable {v!r} is missing or has another shape than in the first run")


def _nanmean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")


def _fmt(value) -> str:
    """Shortest text that reads back to the same float: the CSV is as exact as the netCDF."""
    return repr(float(value))
