"""`kunshan verify` and `kunshan export`: reading a results folder without running the model."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np
import xarray as xr

TIDY_COLUMNS = ("variable", "units", "seed", "year", "dimension", "coordinate", "value")


def verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder",
        type=Path,
        metavar="DIR",
        help="a folder written by kunshan (run, compare, reproduce, validate, sweep)",
    )


def verify_command(args: argparse.Namespace) -> int:
    """Exit 0 when every file the manifest lists is as written, 1 (one line naming the file) when
    one is not; a folder without a readable manifest is bad input (2)."""
    from model.outputs.manifest import mismatch

    found = mismatch(args.folder)
    if found is not None:
        print(f"kunshan: {args.folder}: {found}", file=sys.stderr)
        return 1
    print(f"{args.folder}: intact (every file its manifest lists matches)")
    return 0


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="DIR", help="a results folder written by 'kunshan run'")
    parser.add_argument(
        "--tidy",
        action="store_true",
        help="one row per variable, seed, year and coordinate (the default and, for now, only layout)",
    )
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="CSV file to write (default <DIR>_annual_tidy.csv beside DIR)"
    )


def export_command(args: argparse.Namespace) -> int:
    from model import outputs
    from model.config import ConfigError
    from model.writable import check_output_path

    annual = outputs.open_run(args.folder)
    out = args.out or args.folder.with_name(args.folder.name + "_annual_tidy.csv")
    check_output_path(out, "--out", kind="file")  # as for `kunshan run`: /proc, '', '.', names too long
    _check_csv_destination(out, ConfigError)
    with outputs.atomic_file(out) as tmp:
        rows = write_tidy(tmp, annual)
    print(f"{args.folder}: {rows} rows (variable, seed, year, coordinate) -> {out}")
    return 0


def _check_csv_destination(out: Path, ConfigError) -> None:
    """Replace only a file this command wrote before (its header says so), never anything else."""
    if out.name in ("", ".", "..") or (out.exists() and not out.is_file()):
        raise ConfigError("command line", "--out", "a path for a CSV file", str(out))
    if out.exists():
        with out.open("r", encoding="utf-8-sig", errors="replace") as fh:
            if fh.readline().rstrip("\r\n") != ",".join(TIDY_COLUMNS):
                raise ConfigError(
                    "command line",
                    "--out",
                    "a new file or an earlier tidy export (it is replaced); this file is something else",
                    str(out),
                )
    if not out.absolute().parent.is_dir():
        raise ConfigError("command line", "--out", "a file in an existing folder", str(out))


def write_tidy(path: Path, annual: xr.Dataset) -> int:
    """annual.nc as a long table. `annual.to_dataframe()` would take the product of every
    dimension (seed x year x cluster x tier x lorenz_point) and repeat each scalar variable once per
    cluster, tier and Lorenz point; here each variable has only its own rows."""
    count = 0
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # a byte-order mark, for Excel
        writer = csv.writer(fh)
        writer.writerow(TIDY_COLUMNS)
        for name in sorted(annual.data_vars):
            var = annual[name]
            units = var.attrs.get("units", "")
            extra = [d for d in var.dims if d not in ("seed", "year")]
            data = var.transpose(*[d for d in ("seed", "year") if d in var.dims], *extra)
            for index in np.ndindex(data.shape):
                labels = dict(zip(data.dims, index, strict=True))
                coordinate = ";".join(str(annual[d].values[labels[d]]) for d in extra)
                seed = annual["seed"].values[labels["seed"]] if "seed" in labels else ""
                year = annual["year"].values[labels["year"]] if "year" in labels else ""
                value = float(data.values[index])
                writer.writerow(
                    (
                        name,
                        units,
                        seed,
                        year,
                        ";".join(extra),
                        coordinate,
                        "" if np.isnan(value) else format(value, ".17g"),
                    )
                )
                count += 1
    return count
