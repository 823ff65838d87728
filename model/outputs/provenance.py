"""Provenance: what a results folder records so that `kunshan reproduce` repeats it exactly.

The scenario text with every parameter value, root seed, versions, a digest of the model's code and
data, and RESULTS_FORMAT, stored in the netCDF attributes and as `scenario.toml`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from importlib import metadata

import numpy as np
import xarray as xr

import model
from model.config import to_toml
from model.digest import code_digest
from model.scenario import Scenario

# Version of the layout of a results folder (files, dimensions, attributes). Bump it when a change
# would make an older folder read wrongly; open_results refuses folders of another version.
# 2: the industries' statistics count above-scale firms (cluster_output_above_scale);
# 3: manifest.json, CF global attributes, counts and fractions in units "1"
RESULTS_FORMAT = 3


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def provenance(scenario: Scenario) -> dict:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "unknown"

    from model.targets import scenario_targets, targets_text

    return {
        "scenario_name": scenario.name,
        "scenario": scenario.source_text,
        "root_seed": scenario.root_seed,
        "targets": targets_text(scenario_targets(scenario)),
        "parameters": _toml_parameters(scenario),
        "results_format": RESULTS_FORMAT,
        "kunshan_version": model.__version__,
        "code_digest": code_digest(),
        "created_utc": utc_now(),
        "numpy_version": np.__version__,
        "mesa_version": version("mesa"),
        "xarray_version": xr.__version__,
        "h5netcdf_version": version("h5netcdf"),
    }


def reproducible_scenario(scenario: Scenario) -> Scenario:
    """The scenario with every parameter written out, calibrated ones included.

    The scenario text alone names only what differs from the defaults, and the defaults move when
    `kunshan calibrate` rewrites calibrated.toml; with every value written out, running this
    scenario repeats the run whatever the calibration is by then.
    """
    from model.params import default_parameters
    from model.uncertainty import installed_parameter_uncertainty

    full = default_parameters().with_overrides(scenario.parameters).as_dict()
    # the covariance the runs drew their parameters from, pinned like the parameters
    uncertainty = scenario.parameter_uncertainty or installed_parameter_uncertainty()
    pinned = dataclasses.replace(scenario, parameters=full, parameter_uncertainty=uncertainty)
    return dataclasses.replace(pinned, source_text=to_toml(pinned))


def _toml_parameters(scenario: Scenario) -> str:
    text = reproducible_scenario(scenario).source_text
    return text[text.index("[parameters]") :].split("\n\n")[0] + "\n"
