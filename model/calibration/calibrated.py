"""calibrated.toml: written by `kunshan calibrate`, read back by `--calibration FILE`.

The file's ``[parameters]`` give values to parameters of model/params.py and its ``[scenario]`` the
calibrated shock sizes of the baseline (model.calibration.moments.SCENARIO_QUANTITIES); the rest
(date, objective, the ``[[fit]]`` rows) is a record of the fit. The copy installed with the package
(model/data/calibrated.toml) is what every run uses by default; `calibrate` writes a new one where
the user works, never into the installed package, and ``--calibration FILE`` runs with it.

A file is written with a real TOML writer, whatever a ``--date`` holds, read back and checked like
an input before it replaces anything, and moved into place atomically: a later run never meets a
calibration it cannot read.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w

from model.config import ConfigError, check_numbers, check_parameters, parse_toml, read_text, to_toml
from model.scenario import Scenario

HEADER = "# Calibrated parameters of the Kunshan model, written by `kunshan calibrate`; do not edit by hand."


@dataclass(frozen=True)
class CalibratedValues:
    """The values a calibration file sets: SPECS parameters and the baseline's shock sizes."""

    parameters: dict[str, float] = field(default_factory=dict)
    scenario: dict[str, float] = field(default_factory=dict)
    uncertainty: dict | None = None  # the parameters' sampling covariance (model.uncertainty)


def _scenario_values(table, file) -> dict[str, float]:
    """The ``[scenario]`` table: the baseline's calibrated shock sizes, each in its range."""
    from model.calibration.moments import SCENARIO_QUANTITIES

    return check_numbers(table, file, "scenario", SCENARIO_QUANTITIES, "one of " + ", ".join(SCENARIO_QUANTITIES))


def check_calibration(text: str, file) -> CalibratedValues:
    """The values of a calibration file's text, checked like a scenario file's."""
    data = parse_toml(text, file)
    if "parameters" not in data:
        raise ConfigError(
            file, "parameters", "a calibration file with a [parameters] table (written by `kunshan calibrate`)"
        )
    uncertainty = None
    if "uncertainty" in data:
        from model.uncertainty import check_parameter_uncertainty

        uncertainty, expected = check_parameter_uncertainty(data["uncertainty"])
        if uncertainty is None:
            raise ConfigError(file, "uncertainty", expected)
    return CalibratedValues(
        check_parameters(data["parameters"], file), _scenario_values(data.get("scenario", {}), file), uncertainty
    )


def read_calibration(path: str | Path) -> CalibratedValues:
    path = Path(path)
    return check_calibration(read_text(path, "calibration file (calibrated.toml written by `kunshan calibrate`)"), path)


def vintage_file_name(through: int) -> str:
    """The installed file of the fit of the data up to ``through``: calibrated.toml for the last
    observed year (and later), calibrated_through_YEAR.toml for an earlier vintage."""
    from model.calibration.moments import LAST_OBSERVED_YEAR
    from model.params import CALIBRATED_FILE

    return CALIBRATED_FILE if through >= LAST_OBSERVED_YEAR else f"calibrated_through_{through}.toml"


# What a vintage without a fit draws its parameters from: nothing (an empty [uncertainty], which a
# run takes as it is, instead of falling back on the installed calibration's).
NO_UNCERTAINTY = {
    "names": [],
    "covariance": [],
    "method": "none: the SPECS defaults of model/params.py, no fit (the data up to the origin leave no simulated year)",
}


def calibration_of_vintage(through: int) -> CalibratedValues:
    """The calibration a forecaster at the end of ``through`` could have had (the backtest's, for
    origin ``through``).

    * ``through`` >= the last observed year: the installed model/data/calibrated.toml;
    * HISTORY_ORIGIN < ``through`` < it: the installed calibrated_through_YEAR.toml, written by
      ``kunshan calibrate --through YEAR`` (ConfigError if it is missing);
    * ``through`` <= HISTORY_ORIGIN: no fit exists (the fit's runs start at the end of HISTORY_ORIGIN,
      so the data up to it leave no simulated year to compare; moments.check_through): the prior,
      every parameter the installed calibration sets back at its SPECS default, and no parameter
      uncertainty to draw from (NO_UNCERTAINTY).

    Read with :func:`read_calibration`, like ``--calibration FILE``; apply with :func:`with_calibration`.
    """
    from importlib import resources

    from model.calibration.moments import HISTORY_ORIGIN, calibrated_file_values
    from model.params import SPECS

    if through <= HISTORY_ORIGIN:
        installed, _ = calibrated_file_values()
        return CalibratedValues({name: SPECS[name].default for name in installed}, {}, dict(NO_UNCERTAINTY))
    name = vintage_file_name(through)
    path = resources.files("model.data").joinpath(name)
    if not path.is_file():
        raise ConfigError(
            f"model/data/{name}",
            None,
            f"the calibration of the data up to {through}: write it with `kunshan calibrate --through {through} "
            f"--out model/data/{name}` (its header gives the exact command)",
        )
    return read_calibration(Path(str(path)))


def with_calibration(scenario: Scenario, values: CalibratedValues) -> Scenario:
    """The scenario run with a calibration file's parameters in place of the installed ones.

    They go into the scenario's own ``[parameters]``, under what the scenario sets itself, and the
    file's ``[uncertainty]`` into its ``parameter_uncertainty``, so that they travel with it to worker
    processes and dask workers and are recorded in every output.
    """
    parameters = {**values.parameters, **scenario.parameters}
    uncertainty = values.uncertainty if values.uncertainty is not None else scenario.parameter_uncertainty
    if parameters == scenario.parameters and uncertainty == scenario.parameter_uncertainty:
        return scenario
    updated = dataclasses.replace(scenario, parameters=parameters, parameter_uncertainty=uncertainty)
    return dataclasses.replace(updated, source_text=to_toml(updated))


def render(data: dict, comments: list[str]) -> str:
    """The file's text: the header and ``comments`` (each kept on one line), then ``data`` as TOML."""
    lines = [HEADER, *("# " + " ".join(str(c).split()) for c in comments)]
    return "\n".join(lines) + "\n\n" + tomli_w.dumps(data)


def write_calibration(path: str | Path, text: str) -> Path:
    """Check ``text`` as a calibration file, then write it via a temporary file in the same folder
    and an atomic rename: readers never see half a file, nor one that does not read back."""
    path = Path(path)
    check_calibration(text, path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        written = Path(tmp).read_text(encoding="utf-8")
        if written != text:
            raise OSError(f"{path}: the file read back differs from what was written")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def is_calibration_file(path: Path) -> bool:
    """Whether an existing file is one `kunshan calibrate` wrote (and so may be replaced)."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.readline().rstrip("\n") == HEADER
    except (OSError, UnicodeDecodeError):
        return False
