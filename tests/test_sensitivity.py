"""The Sobol estimators recover known indices, independently of the model and of the sweep engine."""

import numpy as np
import pytest

from model.sweep.sensitivity import sobol_indices, sobol_sample

# Ishigami function with a = 7, b = 0.1 on [-pi, pi]^3; analytic indices (Ishigami & Homma 1990).
ISHIGAMI_FIRST = np.array([0.3139, 0.4424, 0.0])
ISHIGAMI_TOTAL = np.array([0.5576, 0.4424, 0.2437])
NAMES = ("x1", "x2", "x3")
BOUNDS = [(-np.pi, np.pi)] * 3


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


@pytest.mark.parametrize("seed", [0, 1])
def test_ishigami_indices_lie_within_the_estimators_confidence_intervals(seed):
    design = sobol_sample(NAMES, BOUNDS, 4096, seed=seed)
    assert design.shape == (4096 * (3 + 2), 3)
    indices = sobol_indices(NAMES, BOUNDS, ishigami(design), confidence=0.95, resamples=500, seed=seed)

    assert np.all(np.abs(indices.first - ISHIGAMI_FIRST) <= indices.first_conf)
    assert np.all(np.abs(indices.total - ISHIGAMI_TOTAL) <= indices.total_conf)
    # The intervals are informative, not wide enough to contain anything.
    assert np.all(indices.first_conf < 0.05) and np.all(indices.total_conf < 0.05)


def test_sample_is_reproducible_from_its_seed():
    a = sobol_sample(NAMES, BOUNDS, 64, seed=3)
    b = sobol_sample(NAMES, BOUNDS, 64, seed=3)
    assert np.array_equal(a, b)


def test_an_outcome_that_never_varies_has_undefined_indices_not_noise():
    design = sobol_sample(NAMES, BOUNDS, 64, seed=0)
    indices = sobol_indices(NAMES, BOUNDS, np.full(len(design), 3.0))
    assert np.all(np.isnan(indices.first)) and np.all(np.isnan(indices.total))
