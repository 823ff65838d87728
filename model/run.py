"""Run one simulation of a scenario: the entry point for the CLI, sweeps and notebooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.config import check_arguments
from model.model import KunshanModel
from model.record import AnnualArrays
from model.scenario import Scenario

if TYPE_CHECKING:  # xarray is imported when the datasets are built (model.record.datasets), not to simulate
    import xarray as xr


@dataclass
class SimResult:
    annual: xr.Dataset
    monthly: xr.Dataset
    max_identity_error: float


def seed_sequence(scenario: Scenario, seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """The seed of one run: seed label ``k`` of a scenario is child ``k`` of its root seed, so runs
    are independent and the same whatever process runs them."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(scenario.root_seed, spawn_key=(int(seed),))


def simulate(
    scenario: Scenario | None = None, seed: int | np.random.SeedSequence = 0, scale: float | None = None
) -> SimResult:
    """One run of the scenario (default: the embedded baseline) with seed label ``seed`` (or a
    SeedSequence) at ``scale`` (None: the scenario's own). Arguments are checked like a scenario
    file's keys; a bad one raises model.config.ConfigError, a ValueError, before anything is built."""
    model = _run_model("simulate()", scenario, seed, scale)
    annual, monthly = model.datasets()
    return SimResult(annual=annual, monthly=monthly, max_identity_error=model.max_identity_error)


def simulate_annual(
    scenario: Scenario | None = None,
    seed: int | np.random.SeedSequence = 0,
    scale: float | None = None,
    outputs: tuple[str, ...] | None = None,
) -> AnnualArrays:
    """The run :func:`simulate` makes, its annual outputs as plain arrays (model.record.AnnualArrays:
    the values of ``simulate(...).annual``, bit for bit), without building the xarray datasets. A
    sweep's worker keeps a few annual variables of each run: the datasets cost it about a twentieth
    of a run at scale 0.02 and are never written.

    ``outputs``: the variables the caller keeps (None: all). Those it does not keep may be left
    unmeasured, NaN: today the income distribution (``income_gini``, ``income_lorenz``), whose
    yearly sort of every household is a thirtieth of a run at scale 0.02. The kept ones are the
    same bits either way."""
    distribution = outputs is None or bool({"income_gini", "income_lorenz"} & set(outputs))
    return _run_model("simulate_annual()", scenario, seed, scale, distribution).annual_arrays()


def _run_model(
    caller: str, scenario: Scenario | None, seed, scale: float | None, income_distribution: bool = True
) -> KunshanModel:
    scenario = Scenario() if scenario is None else scenario
    label = None if isinstance(seed, np.random.SeedSequence) else seed
    checked = check_arguments(caller, scenario, seed=label, scale=scale)
    seed = seed if label is None else checked["seed"]
    scale = checked["scale"]
    model = KunshanModel(
        scenario,
        scale=scale,
        rng=np.random.default_rng(seed_sequence(scenario, seed)),
        income_distribution=income_distribution,
    )
    model.run()
    return model
