"""The netCDF files of a results folder: written with units and provenance, read back only through
:func:`open_results`, which refuses anything it did not write whole, in this format, in one line."""

from __future__ import annotations

from pathlib import Path

import xarray as xr

import model
from model.config import ConfigError
from model.outputs.atomic import signals_deferred
from model.outputs.provenance import RESULTS_FORMAT


def to_netcdf(ds: xr.Dataset, path: Path) -> None:
    with signals_deferred():
        ds.to_netcdf(path, engine="h5netcdf")


def labelled(ds: xr.Dataset, table: dict, provenance: dict) -> xr.Dataset:
    """Every variable carries units and long_name, even one the model forgot to label."""
    ds = ds.copy()
    for name, var in ds.data_vars.items():
        known = table.get(name)
        var.attrs.setdefault("units", known.unit if known else "1")
        var.attrs.setdefault("long_name", known.long_name if known else name.replace("_", " "))
    ds.attrs = {**ds.attrs, **provenance}
    return ds


def open_results(folder: str | Path) -> tuple[xr.Dataset, xr.Dataset]:
    """(annual, monthly) of an earlier run, read fully into memory, or ConfigError in one line.

    The one door through which results folders come back in (compare, validate, reproduce): a
    missing or truncated file, a folder of another format version or one missing its provenance
    is refused here rather than read as if it were whole. netCDF only: nothing is executed or
    unpickled.
    """
    folder = Path(folder)
    expected = f"a results folder written by 'kunshan run' (format {RESULTS_FORMAT})"
    if not folder.is_dir():
        raise ConfigError(folder, None, expected, "no such folder")
    data = []
    for name, dims in (("annual.nc", ("seed", "year")), ("monthly.nc", ("seed", "time"))):
        path = folder / name
        if not path.is_file():
            raise ConfigError(folder, None, expected, f"{name} is missing")
        try:
            with xr.open_dataset(path, engine="h5netcdf") as ds:
                ds = ds.load()
        except Exception as err:  # any failure to read means the file is not what we wrote
            raise ConfigError(path, None, "a complete netCDF file written by 'kunshan run'",
                              f"{type(err).__name__}: {err}") from None
        found = ds.attrs.get("results_format")
        if found is None or str(found) != str(RESULTS_FORMAT):
            written = ds.attrs.get("kunshan_version", "an older version")
            raise ConfigError(path, "results_format", f"results format {RESULTS_FORMAT} (kunshan {model.__version__}); "
                              f"this folder was written by kunshan {written}: run its scenario.toml again",
                              "none" if found is None else found)
        missing = [d for d in dims if d not in ds.dims] + [k for k in ("scenario", "root_seed") if k not in ds.attrs]
        if missing:
            raise ConfigError(path, None, expected, f"no {', '.join(missing)}")
        data.append(ds)
    return data[0], data[1]


def open_run(folder: str | Path) -> xr.Dataset:
    """The annual results of an earlier run (see open_results for the checks)."""
    return open_results(folder)[0]
