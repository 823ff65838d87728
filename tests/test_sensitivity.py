"""The Sobol estimators recover known indices, independently of the model and of the sweep engine."""

import numpy as np
import pytest

from model.sweep.sensitivity import MIN_SOBOL_SAMPLES, bounded_index, sobol_indices, sobol_sample

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


@pytest.mark.parametrize(
    "estimate, half_width, reported, note",
    [
        (0.3, 0.1, 0.3, ""),
        (1.05, 0.1, 1.0, "clipped to 1"),
        (-0.05, 0.1, 0.0, "clipped to 0"),
        (2.48, 1e-15, None, "not estimable"),  # what samples = 1 reported
        (-0.4, 0.2, None, "not estimable"),
    ],
)
def test_an_index_is_never_reported_outside_what_its_interval_supports(estimate, half_width, reported, note):
    value, said = bounded_index("S1", estimate, half_width)
    assert (np.isnan(value) if reported is None else value == reported) and note in said
    assert bool(said) == bool(note)


@pytest.mark.parametrize("seed", range(5))
def test_indices_of_the_smallest_allowed_design_lie_in_the_unit_interval_or_are_nan(seed):
    design = sobol_sample(NAMES, BOUNDS, MIN_SOBOL_SAMPLES, seed=seed)
    indices = sobol_indices(NAMES, BOUNDS, ishigami(design), resamples=200, seed=seed)
    for values in (indices.first, indices.total):
        finite = values[np.isfinite(values)]
        assert np.all((finite >= 0) & (finite <= 1))
    assert len(indices.notes) == 3
