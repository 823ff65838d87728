"""The array helpers the kernels share: lane sums, sparse Bernoulli draws, top-k selection and the
pairwise sum of plain floats."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.arrays import DENSE_ROWS, LANES, ascending, bernoulli_rows, lanes, largest, pairwise_sum, sum_by


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-1, 6), min_size=0, max_size=300), st.integers(0, 2**32 - 1))
def test_lane_sums_are_the_sums_by_bin(index, seed):
    index = np.array(index, dtype=np.int16)
    values = np.random.default_rng(seed).normal(size=len(index))
    expected = np.bincount(index + 1, weights=values, minlength=8)
    np.testing.assert_allclose(sum_by(lanes(index, shift=1), values, 8), expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=0, max_size=60), st.integers(-2, 70))
def test_largest_is_the_stable_sorts_top_k(values, k):
    """The same rows as the first k of a stable sort by descending value, ties included (few distinct
    values make ties the rule here)."""
    values = np.array(values, dtype=float) / 4.0
    expected = np.sort(np.argsort(-values, kind="stable")[: max(k, 0)])
    np.testing.assert_array_equal(largest(values, k), expected)


def test_lanes_extend_row_by_row():
    index = np.array([3, 0, 3, 3, 1, 2, 3, 3, 0, 3, 2], dtype=np.int16)
    whole = lanes(index)
    assert ((whole // LANES) == index).all()
    np.testing.assert_array_equal(np.concatenate([lanes(index[:5]), lanes(index[5:], first_row=5)]), whole)


def test_bernoulli_rows_keep_each_row_with_its_chance():
    """Fixed seed; four standard errors. Each row's inclusion, and pairs of rows, are independent."""
    rng = np.random.default_rng(2)
    n, p, draws = 50, 0.3, 20_000
    hits = np.zeros(n)
    both = 0
    for _ in range(draws):
        rows = bernoulli_rows(rng, n, p)
        assert (np.diff(rows) > 0).all()
        hits[rows] += 1
        both += (0 in rows) and (1 in rows)
    se = np.sqrt(p * (1 - p) / draws)
    assert np.abs(hits / draws - p).max() < 4.5 * se
    assert abs(both / draws - p * p) < 4 * np.sqrt(p * p * (1 - p * p) / draws)
    assert len(bernoulli_rows(rng, 10, 0.0)) == 0 and bernoulli_rows(rng, 10, 1.0).tolist() == list(range(10))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 5_000), share=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1))
def test_ascending_rows_are_the_sorted_rows_whichever_way_they_are_found(n, share, seed):
    """Marked (many rows kept) or sorted (few), the same array as np.sort: values, order and dtype."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(n, size=int(share * n), replace=False, shuffle=False)
    expected = np.sort(rows)
    found = ascending(rows.copy(), n)
    assert found.dtype == expected.dtype
    assert np.array_equal(found, expected)


def test_ascending_takes_both_ways():
    rng = np.random.default_rng(1)
    n = 100 * DENSE_ROWS
    for kept in (DENSE_ROWS - 1, DENSE_ROWS, 5 * DENSE_ROWS):  # sorted; marked at the threshold; marked
        rows = rng.choice(n, size=kept, replace=False, shuffle=False)
        assert np.array_equal(ascending(rows.copy(), n), np.sort(rows))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 700), st.integers(0, 2**32 - 1))
def test_pairwise_sum_of_floats_is_numpys_sum_bit_for_bit(n, seed):
    """model.init.firms sums the clusters' room as Python floats; the draws stay NumPy's only if the
    sum is, to the last bit (values of very different sizes, and zeros, make the order matter)."""
    rng = np.random.default_rng(seed)
    values = rng.lognormal(0.0, 4.0, n) * (rng.random(n) < 0.7)
    assert pairwise_sum(values.tolist()) == values.sum()


def test_a_built_model_leaves_numpy_asking_for_no_huge_pages(initial_model, monkeypatch):
    """keep_freed_memory (called when a model is built) turns off NumPy's madvise(MADV_HUGEPAGE),
    whose synchronous compaction doubled the build at scale 1.0, unless the user's environment set it."""
    import os

    from numpy._core import multiarray

    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        pytest.skip("NUMPY_MADVISE_HUGEPAGE is set: the user's choice stands")
    previous = multiarray._set_madvise_hugepage(False)
    assert previous is False
