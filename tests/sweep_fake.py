"""A stand-in for ``model.run.simulate``: an analytic function of the scenario plus seeded noise.

It lets the sweep engine be tested and benchmarked independently of the economic model: its
outcomes respond smoothly to every parameter and lever (so designs, summaries and Sobol indices
have something to show), are a pure function of (scenario, seed), and come in the same shape as
the real ``SimResult.annual`` (dims ``year``, and ``cluster`` for ``cluster_output``).
The ``slow`` and ``busy`` variants add wall time or fixed CPU work for the resume test and the
speed-up benchmark; a time-based spin would fake perfect speed-up on an oversubscribed machine.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass

import numpy as np
import xarray as xr

from model.params import SPECS
from model.policy import LEVERS
from model.scenario import Scenario
from model.targets import load_targets

_FIRST_YEAR = 2021


@dataclass(frozen=True)
class FakeResult:
    annual: xr.Dataset


def _coefficient(target_id: str, input_name: str) -> float:
    """Fixed effect of an input on a target; crc32, unlike hash(), is the same in every process."""
    draw = np.random.default_rng(zlib.crc32(f"{target_id}|{input_name}".encode())).normal()
    return 0.05 * draw


def _standardised_inputs(scenario: Scenario) -> dict[str, float]:
    inputs = {}
    for name, value in scenario.parameters.items():
        spec = SPECS.get(name)
        if spec is not None and spec.high > spec.low:
            inputs[f"parameters.{name}"] = (float(value) - spec.default) / (spec.high - spec.low)
    for policy in scenario.policies:
        lever = LEVERS.get(policy.lever)
        if lever is not None and lever.high > lever.low:
            key = f"policy.{policy.lever}"
            inputs[key] = inputs.get(key, 0.0) + policy.size / (lever.high - lever.low)
    return inputs


def simulate(scenario: Scenario, seed, scale: float | None = None) -> FakeResult:
    rng = np.random.default_rng(seed)
    last_year = int(scenario.horizon[:4])
    years = np.arange(_FIRST_YEAR, last_year + 1)
    elapsed = (years - _FIRST_YEAR).astype(float)
    inputs = _standardised_inputs(scenario)
    data = {}
    for target in load_targets():
        effect = sum(_coefficient(target.id, k) * v for k, v in inputs.items())
        trend = 0.05 if target.comparison == ">=" else -0.02
        shocks = np.cumsum(rng.normal(0.0, 0.02, len(years)))
        shocks[0] = 0.0
        level = target.value * 0.97 * np.exp(trend * (years - target.year) + effect * elapsed + shocks)
        data[target.id] = ("year", level)
    from model.clusters import CLUSTER_IDS

    cluster_output = 100.0 * np.exp(0.05 * elapsed[:, None] + rng.normal(0, 0.02, (len(years), len(CLUSTER_IDS))))
    data["cluster_output"] = (("year", "cluster"), cluster_output)
    annual = xr.Dataset(data, coords={"year": years, "cluster": list(CLUSTER_IDS)})
    return FakeResult(annual)


def slow_simulate(scenario: Scenario, seed, scale: float | None = None, seconds: float = 0.15) -> FakeResult:
    """Like :func:`simulate`, taking ``seconds`` of wall time: lets a test kill a sweep mid-way."""
    time.sleep(seconds)
    return simulate(scenario, seed, scale)


def busy_simulate(scenario: Scenario, seed, scale: float | None = None, work: int = 2_000_000) -> FakeResult:
    """Like :func:`simulate`, after a fixed amount of CPU work (``work`` loop iterations)."""
    total = 0
    for i in range(work):
        total += i & 7
    return simulate(scenario, seed, scale)


def failing_simulate(scenario: Scenario, seed, scale: float | None = None) -> FakeResult:
    """Like :func:`simulate`, but fails where export demand growth is at 0.1 or more: a crash mid-sweep."""
    if scenario.parameters.get("export_demand_growth", 0.0) >= 0.1:
        raise FloatingPointError("fake model diverged")
    return simulate(scenario, seed, scale)
