"""The sweep folder: one small file per finished run, written atomically, plus the experiment record.

A run file exists under its final name only once complete (written to a temporary name, then
``os.replace``), so a sweep killed at any instant leaves finished runs and, at worst, a temporary
file that ``--resume`` removes: no half-written file is ever read. Run files are ``.npz`` read with
``allow_pickle=False``: plain arrays, never pickles, so a results folder cannot run code.

Layout::

    OUT/experiment.json   what was run, with its fingerprint (checked by --resume)
    OUT/experiment.toml   the experiment file as given
    OUT/sweep.log         one line per computed run, per session
    OUT/runs/run_0000123.npz
    OUT/runs/run_0000124.failed   (--keep-going: the error of a run that raised)
    OUT/sweep.nc, OUT/summary.csv, OUT/sobol.csv, OUT/figures/*.png   (written at the end)
    OUT/manifest.json   every file's SHA-256 (written last; `kunshan verify OUT` checks it)
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.sweep.experiment import Experiment, ExperimentError

RUNS_DIR = "runs"
MANIFEST = "experiment.json"
FILES_MANIFEST = "manifest.json"  # model.outputs.manifest: every file's SHA-256, written when a sweep finishes
EXPERIMENT_COPY = "experiment.toml"
LOG = "sweep.log"
_RUN_NAME = re.compile(r"^run_(\d+)\.npz$")
_FAILED_NAME = re.compile(r"^run_(\d+)\.failed$")
_TEMP_SUFFIX = ".tmp"
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NAME_MAX = 255  # bytes in one file or folder name on Linux, macOS and Windows file systems


@dataclass(frozen=True)
class RunData:
    years: np.ndarray
    values: dict[str, np.ndarray]  # variable -> array (year, *extra dims)
    dims: dict[str, tuple[str, ...]]  # variable -> extra dims beyond year
    coords: dict[str, np.ndarray]  # extra dim -> its labels


def run_path(out_dir: Path, run_index: int) -> Path:
    return Path(out_dir) / RUNS_DIR / f"run_{run_index:07d}.npz"


def failure_path(out_dir: Path, run_index: int) -> Path:
    """Marker of a run that raised (kept with ``--keep-going``): its outputs are NaN in sweep.nc."""
    return Path(out_dir) / RUNS_DIR / f"run_{run_index:07d}.failed"


def encode_run(annual, outputs) -> bytes:
    """The kept outputs of one run's annual dataset, as the bytes of an ``.npz`` file.

    Done in the worker so that only a few kilobytes travel back to the parent, which also lets
    dask workers on other machines run without a shared filesystem.
    """
    variables = {}
    for name in outputs:
        if name not in annual:
            raise KeyError(f"the model's annual results have no variable {name!r}")
        da = annual[name]
        if "year" in da.dims:
            da = da.transpose("year", ...)
        variables[name] = (tuple(da.dims), da.values)
    coords = {str(name): annual[name].values for name in annual.coords}
    return encode_arrays(annual["year"].values, variables, coords, outputs)


def encode_arrays(years, variables: dict, coords: dict, outputs) -> bytes:
    """The bytes :func:`encode_run` writes, from the annual outputs as plain arrays: ``variables``
    maps a name to (dims, values) with ``year`` first, ``coords`` a dimension to its labels
    (model.record.AnnualArrays). The real model's workers encode from these, without building the
    run's xarray datasets; the files are the same, byte for byte (tests/test_sweep.py)."""
    arrays = {"year": np.asarray(years, dtype=np.int64)}
    for name in outputs:
        if name not in variables:
            raise KeyError(f"the model's annual results have no variable {name!r}")
        dims, values = variables[name]
        if "year" not in dims:
            raise ValueError(f"variable {name!r} has no 'year' dimension (dims {tuple(dims)})")
        if dims[0] != "year":
            raise ValueError(f"variable {name!r}: expected 'year' first, got dims {tuple(dims)}")
        arrays[f"v__{name}"] = np.asarray(values, dtype=np.float64)
        extra = tuple(str(d) for d in dims[1:])
        arrays[f"d__{name}"] = np.array(extra, dtype=str)
        for axis, dim in enumerate(extra, start=1):
            labels = coords[dim] if dim in coords else np.arange(np.shape(values)[axis])
            arrays[f"c__{dim}"] = np.asarray(labels)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


class DamagedRunFile(ExperimentError):
    """A run file that is not what this sweep wrote (truncated, overwritten, tampered with)."""


def decode_run(path: Path, outputs=None) -> RunData:
    """The arrays of one run file; anything else (random bytes, a pickle, other variables than
    ``outputs``) is refused in one line naming the file, never half-read."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            names = [k[3:] for k in npz.files if k.startswith("v__")]
            run = RunData(
                years=npz["year"],
                values={n: npz[f"v__{n}"] for n in names},
                dims={n: tuple(str(d) for d in npz[f"d__{n}"]) for n in names},
                coords={k[3:]: npz[k] for k in npz.files if k.startswith("c__")},
            )
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        if disk_full(exc):
            raise
        raise _damaged(path, f"an unreadable file ({type(exc).__name__})") from None
    if run.years.ndim != 1 or run.years.dtype.kind != "i":
        raise _damaged(path, "no integer years")
    if outputs is not None and sorted(run.values) != sorted(outputs):
        raise _damaged(path, f"variables {sorted(run.values)}")
    for name, values in run.values.items():
        if values.dtype.kind != "f" or values.ndim != 1 + len(run.dims[name]) or len(values) != len(run.years):
            raise _damaged(path, f"variable {name!r} of shape {values.shape}")
    return run


def _damaged(path: Path, got: str) -> DamagedRunFile:
    return DamagedRunFile(
        f"{path}: expected a run file written by this sweep; got {got}: delete it and --resume computes that run again"
    )


def check_run_files(out_dir: Path, experiment: Experiment) -> None:
    """Read every finished run of a sweep being resumed, before anything is computed, so that a
    damaged file is found now rather than after hours of new runs, when the results are combined."""
    years = None
    for run_index in sorted(finished_runs(out_dir)):
        path = run_path(out_dir, run_index)
        run = decode_run(path, experiment.outputs)
        if years is not None and not np.array_equal(run.years, years):
            raise _damaged(path, f"years {run.years.tolist()}, not the other runs' {years.tolist()}")
        years = run.years


def write_atomically(path: Path, data: bytes | memoryview | str, *, durable: bool = False) -> None:
    """Write under a temporary name, then rename: readers see the old file or the whole new one.

    ``durable`` adds an fsync, which survives power loss too; run files skip it (a killed process
    loses nothing the kernel already has, and 2,000 fsyncs would dominate a sweep of small runs).
    """
    with atomic_path(path) as temp:
        text = isinstance(data, str)
        with open(temp, "w" if text else "wb", **({"encoding": "utf-8"} if text else {})) as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary sibling to write; it becomes ``path`` only if the block finishes, and is removed
    if it does not (a full disk, an interrupt), so no partial file is left under any name."""
    temp = temporary_path(path)
    try:
        yield temp
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def temporary_path(path: Path) -> Path:
    """A temporary sibling for writers that need a file name (HDF5) before the final rename."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}{_TEMP_SUFFIX}")


def disk_full(error: BaseException) -> bool:
    """Whether a write failed because the disk (or the user's quota) is full.

    Plain writes set errno; HDF5 reports it inside its own message, as an OSError or RuntimeError
    without an errno, sometimes as the cause of another error.
    """
    while error is not None:
        if getattr(error, "errno", None) in _DISK_FULL or any(os.strerror(c) in str(error) for c in _DISK_FULL):
            return True
        error = error.__cause__ or error.__context__
    return False


def finished_runs(out_dir: Path) -> set[int]:
    return _indices(out_dir, _RUN_NAME)


def failed_runs(out_dir: Path) -> set[int]:
    """Runs recorded as failed and not since computed successfully (a resume retries them)."""
    return _indices(out_dir, _FAILED_NAME) - finished_runs(out_dir)


def _indices(out_dir: Path, pattern: re.Pattern) -> set[int]:
    runs = Path(out_dir) / RUNS_DIR
    if not runs.is_dir():
        return set()
    return {int(m.group(1)) for entry in os.scandir(runs) if (m := pattern.match(entry.name))}


def remove_partial_files(out_dir: Path) -> int:
    """Delete temporary files a killed sweep left behind; they are never read."""
    removed = 0
    for folder in (Path(out_dir), Path(out_dir) / RUNS_DIR):
        if folder.is_dir():
            for entry in os.scandir(folder):
                if entry.name.startswith(".") and entry.name.endswith(_TEMP_SUFFIX):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def check_out_dir(out_dir: Path, experiment: Experiment, resume: bool) -> None:
    """Refuse, before anything is written, a folder that would mix results of different experiments."""
    out_dir = Path(out_dir)
    too_long = next((part for part in out_dir.parts if len(os.fsencode(part)) > NAME_MAX), None)
    if too_long is not None:
        raise ExperimentError(
            f"--out {_short(out_dir)}: expected folder names of at most {NAME_MAX} bytes; got one "
            f"of {len(os.fsencode(too_long))}"
        )
    if not out_dir.exists():
        ancestor = next(p for p in (out_dir.absolute(), *out_dir.absolute().parents) if p.exists())
        if not (ancestor.is_dir() and os.access(ancestor, os.W_OK | os.X_OK)):
            raise ExperimentError(
                f"--out {out_dir}: expected a folder you may create; {ancestor} is not a writable folder"
            )
        return
    if not out_dir.is_dir():
        raise ExperimentError(f"--out {out_dir}: expected a folder, got a file")
    manifest = out_dir / MANIFEST
    if manifest.is_file():
        if not resume:
            raise ExperimentError(
                f"--out {out_dir}: holds a sweep already; pass --resume to continue it or choose another --out"
            )
        try:
            recorded = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ExperimentError(f"--resume: {manifest} is unreadable; choose another --out") from None
        if recorded.get("fingerprint") != experiment.fingerprint():
            raise ExperimentError(
                f"--resume: {out_dir} was made by a different experiment ({recorded.get('name')!r}, "
                f"fingerprint {str(recorded.get('fingerprint'))[:12]}, now {experiment.fingerprint()[:12]}: "
                "inputs, design, seeds, scale, horizon, outputs, base scenario or the model's code differ); "
                "choose another --out"
            )
    elif any(out_dir.iterdir()):
        raise ExperimentError(f"--out {out_dir}: expected a new or empty folder, got one with other files")


def _short(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 80 else text[:60] + "..." + text[-10:]


def prepare_out_dir(out_dir: Path, experiment: Experiment) -> None:
    """Create the folder and its experiment record; if that fails (a full disk), remove what was made."""
    out_dir = Path(out_dir)
    created = [p for p in (out_dir / RUNS_DIR, *(out_dir / RUNS_DIR).absolute().parents) if not p.exists()]
    (out_dir / RUNS_DIR).mkdir(parents=True, exist_ok=True)
    remove_partial_files(out_dir)
    # The folder is about to change (a --resume): its manifest.json, written when a session finishes,
    # no longer describes it, and an unfinished sweep has none.
    (out_dir / FILES_MANIFEST).unlink(missing_ok=True)
    if (out_dir / MANIFEST).is_file():
        return
    try:
        write_atomically(out_dir / EXPERIMENT_COPY, experiment.source_text, durable=True)
        write_atomically(out_dir / MANIFEST, json.dumps(experiment.describe(), indent=2) + "\n", durable=True)
    except BaseException:
        if created:
            (out_dir / EXPERIMENT_COPY).unlink(missing_ok=True)
        for folder in created:  # deepest first; only folders this call made, and only when empty
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
