"""Which runs a sweep makes: the design points, and the random stream of every run.

Both are pure functions of the experiment, so that any worker count, a resumed sweep and a dask
cluster compute exactly the same runs, each run from its own independent seed stream.
"""

from __future__ import annotations

import itertools

import numpy as np

from model.sweep.experiment import Experiment, Input
from model.sweep.sensitivity import sobol_sample

# Entropy word mixed into the root seed for the design's own randomness (random/lhs points), so
# that the design never shares a stream with a run (runs use spawn keys under the bare root).
_DESIGN_STREAM = 0x5EED_D351


def design_points(experiment: Experiment) -> np.ndarray:
    """Input values of every point, shape (points, inputs); a design without inputs has one point."""
    inputs = experiment.inputs
    if experiment.design == "grid":
        axes = [
            inp.levels if inp.levels is not None else tuple(np.linspace(inp.low, inp.high, experiment.grid_levels))
            for inp in inputs
        ]
        n_points = int(np.prod([len(a) for a in axes], dtype=np.int64))
        return np.array(list(itertools.product(*axes)), dtype=float).reshape(n_points, len(inputs))
    if experiment.design == "sobol":
        return sobol_sample(
            experiment.input_names,
            [(i.low, i.high) for i in inputs],
            experiment.samples,
            second_order=experiment.second_order,
            seed=experiment.root_seed,
        )
    rng = np.random.default_rng(np.random.SeedSequence([experiment.root_seed, _DESIGN_STREAM]))
    if experiment.design == "random":
        unit = rng.random((experiment.samples, len(inputs)))
    else:  # lhs
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(len(inputs), rng=rng).random(experiment.samples)
    return np.column_stack([_from_unit(inp, unit[:, j]) for j, inp in enumerate(inputs)])


def _from_unit(inp: Input, u: np.ndarray) -> np.ndarray:
    if inp.levels is None:
        return inp.low + u * (inp.high - inp.low)
    levels = np.asarray(inp.levels)
    return levels[np.minimum((u * len(levels)).astype(int), len(levels) - 1)]


def n_runs(n_points: int, seeds: int) -> int:
    return n_points * seeds


def run_location(run_index: int, seeds: int) -> tuple[int, int]:
    """(point, seed) of a run: runs are numbered point-major so a point's seeds are adjacent."""
    return divmod(run_index, seeds)


def run_seed(experiment: Experiment, run_index: int) -> np.random.SeedSequence:
    """The run's stream: ``SeedSequence(root_seed).spawn(n_runs)[run_index]``, built directly.

    With ``common_random_numbers`` every point reuses the streams of point 0 (seed i of every point
    shares stream i), which pairs the points and removes most noise from differences between them.
    """
    stream = run_location(run_index, experiment.seeds)[1] if experiment.common_random_numbers else run_index
    return np.random.SeedSequence(experiment.root_seed, spawn_key=(stream,))
