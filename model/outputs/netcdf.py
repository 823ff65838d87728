"""The netCDF files of a results folder: written with units and provenance, read back only through
:func:`open_results`, which refuses anything it did not write whole, in this format, in one line."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import xarray as xr

import model
from model.config import ConfigError
from model.outputs.atomic import signals_deferred
from model.outputs.manifest import check_intact, require_regular
from model.outputs.provenance import RESULTS_FORMAT

CONVENTIONS = "CF-1.10"
COMPRESSED = {"zlib": True, "complevel": 4, "shuffle": True}  # lossless; firms.nc is the big file
# Global attributes `kunshan reproduce` leaves out of its comparison: when and with which software a
# folder was written, and the scenario's text, which the reproduction writes with every parameter and
# seed spelled out (the values themselves are compared, as the `parameters` attribute and the data).
NOT_REPRODUCED = (
    "created_utc",
    "history",
    "kunshan_version",
    "code_digest",
    "numpy_version",
    "mesa_version",
    "xarray_version",
    "h5netcdf_version",
    "scenario",
)


def to_netcdf(ds: xr.Dataset, path: Path, encoding: dict | None = None) -> None:
    with signals_deferred():
        ds.to_netcdf(path, engine="h5netcdf", encoding=encoding)


def global_attributes(title: str, provenance: dict) -> dict:
    """CF's global attributes (Conventions, title, history) followed by the provenance."""
    history = (
        f"{provenance.get('created_utc', '')} kunshan {model.__version__}: {provenance.get('scenario_name', 'results')}"
    ).strip()
    return {"Conventions": CONVENTIONS, "title": title, "history": history, **provenance}


def labelled(ds: xr.Dataset, table: dict, attributes: dict) -> xr.Dataset:
    """Every variable carries units and long_name, even one the model forgot to label."""
    ds = ds.copy()
    for name, var in ds.data_vars.items():
        known = table.get(name)
        var.attrs.setdefault("units", known.unit if known else "1")
        var.attrs.setdefault("long_name", known.long_name if known else name.replace("_", " "))
    ds.attrs = {**ds.attrs, **attributes}
    return ds


def open_results(folder: str | Path) -> tuple[xr.Dataset, xr.Dataset]:
    """(annual, monthly) of an earlier run, read fully into memory, or ConfigError in one line.

    The one door through which results folders come back in (compare, validate, reproduce): a
    missing, truncated or non-regular file, a folder of another format version, one missing its
    provenance, holding data of the wrong kind (text for numbers, repeated or fractional seeds), or
    changed since it was written (its manifest) is refused here rather than read as if it were
    whole. netCDF and JSON only: nothing is executed or unpickled.
    """
    folder = Path(folder)
    expected = f"a results folder written by 'kunshan run' (format {RESULTS_FORMAT})"
    if not folder.is_dir():
        raise ConfigError(folder, None, expected, "not a folder" if os.path.lexists(folder) else "no such folder")
    if (folder / "experiment.json").is_file() and not os.path.lexists(folder / "annual.nc"):
        raise ConfigError(
            folder,
            None,
            expected,
            "a sweep's folder (its data are sweep.nc; `kunshan verify` checks "
            "it, and each point's runs can be repeated with `kunshan run`)",
        )
    data = []
    for name, dims in (("annual.nc", ("seed", "year")), ("monthly.nc", ("seed", "time"))):
        path = folder / name
        require_regular(path, folder, expected)
        try:
            with xr.open_dataset(path, engine="h5netcdf") as ds:
                ds = ds.load()
        except Exception as err:  # any failure to read means the file is not what we wrote
            raise ConfigError(
                path, None, "a complete netCDF file written by 'kunshan run'", f"{type(err).__name__}: {err}"
            ) from None
        found = ds.attrs.get("results_format")
        if found is None or str(found) != str(RESULTS_FORMAT):
            written = ds.attrs.get("kunshan_version", "an older version")
            raise ConfigError(
                path,
                "results_format",
                f"results format {RESULTS_FORMAT} (kunshan {model.__version__}); "
                f"this folder was written by kunshan {written}: run its scenario.toml again",
                "none" if found is None else found,
            )
        missing = [d for d in dims if d not in ds.dims] + [k for k in ("scenario", "root_seed") if k not in ds.attrs]
        if missing:
            raise ConfigError(path, None, expected, f"no {', '.join(missing)}")
        _check_content(path, ds, dims[1])
        data.append(ds)
    annual, monthly = data
    if not np.array_equal(annual["seed"].values, monthly["seed"].values):
        raise ConfigError(folder, "seed", "the same seeds in annual.nc and monthly.nc", "different seeds")
    check_intact(folder)
    return annual, monthly


def _check_content(path: Path, ds: xr.Dataset, calendar: str) -> None:
    """What later code relies on: integer seeds, each once; a calendar axis that runs forward;
    numbers where numbers belong; a scenario that is one."""
    from model.config import scenario_from_text

    seeds = ds["seed"].values
    if seeds.dtype.kind not in "iu" or (seeds < 0).any() or len(np.unique(seeds)) != len(seeds):
        raise ConfigError(
            path,
            "seed",
            "distinct non-negative integer seeds",
            f"{seeds.dtype} values {', '.join(map(str, seeds[:4].tolist()))}",
        )
    axis = ds[calendar].values
    kinds, what = ("iu", "integer years") if calendar == "year" else ("M", "dates")
    if axis.dtype.kind not in kinds or (axis.size > 1 and not (np.diff(axis) > np.zeros_like(np.diff(axis))).all()):
        raise ConfigError(
            path,
            calendar,
            f"a {calendar} coordinate of {what} in increasing order",
            f"{axis.dtype} values {', '.join(map(str, axis[:4].tolist()))}",
        )
    for name, var in ds.data_vars.items():
        if var.dtype.kind not in "biuf":
            raise ConfigError(path, name, "numbers", f"values of type {var.dtype}")
    root_seed = ds.attrs["root_seed"]
    if isinstance(root_seed, (bool, np.bool_)) or not isinstance(root_seed, (int, np.integer)):
        raise ConfigError(path, "root_seed", "an integer", root_seed)
    if not isinstance(ds.attrs["scenario"], str):
        raise ConfigError(path, "scenario", "the scenario's TOML text", type(ds.attrs["scenario"]).__name__)
    scenario_from_text(ds.attrs["scenario"], str(path))


def open_run(folder: str | Path) -> xr.Dataset:
    """The annual results of an earlier run (see open_results for the checks)."""
    return open_results(folder)[0]


def differences(label: str, old: xr.Dataset, new: xr.Dataset) -> list[str]:
    """What differs between two datasets meant to be the same run: each variable and coordinate
    (dimensions, values bit for bit with NaN equal to NaN, attributes) and the global attributes
    other than the circumstances of writing. Years shifted by three are a difference, not a match."""
    found = []
    for name in sorted(set(old.variables) | set(new.variables)):
        if name not in old.variables or name not in new.variables:
            found.append(f"{label}.{name} (in one only)")
        elif not old.variables[name].identical(new.variables[name]):
            found.append(f"{label}.{name}")
    for key in sorted((set(old.attrs) | set(new.attrs)) - set(NOT_REPRODUCED)):
        if not _same_attribute(old.attrs.get(key), new.attrs.get(key)):
            found.append(f"{label} attribute {key}")
    return found


def _same_attribute(a, b) -> bool:
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except (TypeError, ValueError):
        return a == b
