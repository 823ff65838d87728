"""Run one simulation of a scenario: the entry point for the CLI, sweeps and notebooks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import xarray as xr

from model.config import check_arguments
from model.model import KunshanModel
from model.scenario import Scenario


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
    scenario = Scenario() if scenario is None else scenario
    label = None if isinstance(seed, np.random.SeedSequence) else seed
    checked = check_arguments("simulate()", scenario, seed=label, scale=scale)
    seed = seed if label is None else checked["seed"]
    scale = checked["scale"]
    model = KunshanModel(scenario, scale=scale, rng=np.random.default_rng(seed_sequence(scenario, seed)))
    model.run()
    annual, monthly = model.datasets()
    return SimResult(annual=annual, monthly=monthly, max_identity_error=model.max_identity_error)
