"""One candidate mix of levers: its scenario, its runs, and what the search needs of them.

A candidate is a point ``u`` of the unit cube, one coordinate per lever of the problem; lever ``i``
has size ``low_i + u_i (high_i - low_i)``. Its scenario is the problem's base scenario with one
policy per lever (and per cluster of the lever's target). Every candidate is run on the same seed
labels, so each meets the same parameter draws, exogenous paths and chance events (common random
numbers, model.uncertainty): differences between candidates are the levers' doing, not luck.

Each run is reduced where it ran to the targets' values in their years and the policies' budget
cost (``policy_cost`` summed over the simulated years and the levers, yi yuan): a few numbers a
run cross the process boundary instead of its datasets.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass

import numpy as np

from model.optimise.problem import Problem
from model.scenario import Policy, Scenario
from model.targets import Target


@dataclass(frozen=True)
class Evaluation:
    """A candidate's outcome over its seeds."""

    unit: tuple[float, ...]  # the point in the unit cube
    sizes: tuple[float, ...]  # the levers' sizes
    values: np.ndarray  # (seeds, targets): each target's outcome in its year
    cost: np.ndarray  # (seeds,): the policies' budget cost over the run, yi yuan
    cost_by_lever: np.ndarray  # (levers of model.policy.LEVERS,): seed mean, yi yuan

    def met(self, targets: Sequence[Target]) -> np.ndarray:
        """(seeds, targets) booleans: whether each seed meets each target."""
        return np.column_stack([t.met(self.values[:, j]) for j, t in enumerate(targets)])

    def p_met(self, targets: Sequence[Target]) -> np.ndarray:
        """P(met) of each target: the share of seeds meeting it."""
        return self.met(targets).mean(axis=0)

    def p_all(self, targets: Sequence[Target]) -> float:
        """P(all met): the share of seeds meeting every target at once."""
        return float(self.met(targets).all(axis=1).mean())

    def shortfall(self, targets: Sequence[Target]) -> float:
        """How far the outcomes fall short of the targets, relative to each target and capped at 1,
        averaged over seeds and targets (0 when every seed meets every target; a missing outcome
        counts 1). It tells apart candidates that all meet no seed's targets."""
        gaps = []
        for j, t in enumerate(targets):
            x = self.values[:, j]
            gap = (t.value - x) if t.comparison == ">=" else (x - t.value)
            rel = np.where(np.isfinite(gap), np.clip(gap / max(abs(t.value), 1e-12), 0.0, 1.0), 1.0)
            gaps.append(rel)
        return float(np.mean(gaps))

    @property
    def mean_cost(self) -> float:
        return float(np.mean(self.cost))


def candidate_policies(problem: Problem, unit: Sequence[float]) -> tuple[tuple[float, ...], tuple[Policy, ...]]:
    """(the levers' sizes, their policies) at point ``unit``; a lever at size 0 is left out (no
    programme, no cost)."""
    sizes = tuple(lever.size(u) for lever, u in zip(problem.levers, unit))
    policies = []
    for lever, size in zip(problem.levers, sizes):
        if size == 0.0:
            continue
        for target in lever.target:
            policies.append(Policy(lever.name, target, lever.start, lever.end, size))
    return sizes, tuple(policies)


def candidate_scenario(problem: Problem, unit: Sequence[float], name: str | None = None) -> Scenario:
    """The base scenario with the candidate's policies added."""
    from model.config import to_toml

    _, policies = candidate_policies(problem, unit)
    scenario = dataclasses.replace(
        problem.base, name=name or f"{problem.name}_candidate", policies=problem.base.policies + policies
    )
    return dataclasses.replace(scenario, source_text=to_toml(scenario))


def measure(scenario: Scenario, seed: int, scale: float, targets: tuple[tuple[str, int], ...]):
    """One run, reduced: (each target's value in its year, the policies' cost by lever summed over
    the simulated years). Module-level so that spawned workers import it by name."""
    from model.run import simulate

    annual = simulate(scenario, seed, scale).annual
    years = annual["year"].values
    values = np.array(
        [float(annual[name].sel(year=year)) if name in annual and year in years else np.nan for name, year in targets]
    )
    cost = np.asarray(annual["policy_cost"].isel(year=slice(1, None)).sum(dim="year").values, dtype=float)
    return values, cost


class Evaluator:
    """Runs candidates' seeds, in this process or on a pool of spawned processes kept for the whole
    search (one pool start, not one per candidate). Use as a context manager."""

    def __init__(self, problem: Problem, workers: int = 1):
        self.problem, self.workers = problem, workers
        self.pool = None
        self.runs = 0

    def __enter__(self):
        if self.workers > 1:
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        return False

    def evaluate(self, units: Sequence[Sequence[float]], seeds: Sequence[int] | None = None) -> list[Evaluation]:
        """Every candidate of ``units`` on ``seeds`` (default: the search's), as one batch of runs."""
        problem = self.problem
        seeds = list(problem.seeds if seeds is None else seeds)
        keys = tuple((t.id, t.year) for t in problem.targets)
        scenarios = [candidate_scenario(problem, u) for u in units]
        jobs = [(i, k, s) for i, s in enumerate(scenarios) for k in range(len(seeds))]
        done: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        if self.pool is None:
            for i, k, s in jobs:
                done[i, k] = measure(s, seeds[k], problem.scale, keys)
        else:
            futures = {self.pool.submit(measure, s, seeds[k], problem.scale, keys): (i, k) for i, k, s in jobs}
            for future in as_completed(futures):
                done[futures[future]] = future.result()
        self.runs += len(jobs)
        out = []
        for i, unit in enumerate(units):
            values = np.array([done[i, k][0] for k in range(len(seeds))])
            costs = np.array([done[i, k][1] for k in range(len(seeds))])
            sizes, _ = candidate_policies(problem, unit)
            out.append(
                Evaluation(
                    unit=tuple(float(u) for u in unit),
                    sizes=sizes,
                    values=values,
                    cost=costs.sum(axis=1),
                    cost_by_lever=costs.mean(axis=0),
                )
            )
        return out
