"""Small array helpers shared by the kernels.

Sums use NumPy's pairwise summation rather than BLAS (``np.dot``, ``@``): BLAS results can depend on
the CPU kernel and thread count, which would break bit-for-bit reproducibility across machines, and
on some OpenBLAS builds a dot product of a long vector is orders of magnitude slower.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

import numpy as np

_allocator_tuned = False
_add_reduce = np.add.reduce


def keep_freed_memory() -> None:
    """Ask glibc's allocator to keep freed memory for reuse instead of handing it back to the
    system after every step: a month allocates and frees many temporaries of a few hundred
    kilobytes (arrays over persons and households), and by default glibc maps large ones afresh
    and trims the heap, so each step pays page faults on memory it had a moment ago (costly in
    virtual machines). Nothing the model computes changes; elsewhere than glibc this does nothing.

    It also stops NumPy from asking the kernel for transparent huge pages on every array of 4 MB or
    more (unless ``NUMPY_MADVISE_HUGEPAGE`` says otherwise): where the kernel then compacts memory
    to find them (THP defrag "madvise", as on the development VM), the first touch of each new array
    waits for it. Building the economy at scale 1.0 spent 0.8 s of system time so (1.4-2.0 s
    in all); without it, 0.17 s (0.81-0.84 s), and the months took as long either way
    (6.8-7.8 against 7.0-7.6 s, four alternated runs each).

    Called when a KunshanModel is built (not at import), so only processes that simulate are tuned.
    """
    global _allocator_tuned
    if _allocator_tuned:
        return
    _allocator_tuned = True
    if "NUMPY_MADVISE_HUGEPAGE" not in os.environ:
        multiarray = getattr(getattr(np, "_core", None), "multiarray", None)  # NumPy's own switch (private)
        if hasattr(multiarray, "_set_madvise_hugepage"):
            multiarray._set_madvise_hugepage(False)
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)  # blocks up to 32 MB come from the heap
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024)  # and the heap keeps up to 512 MB free (11.5 -> 10.9 s at scale 1)


LANES = 8


def lanes(index: np.ndarray, shift: int = 0, first_row: int = 0) -> np.ndarray:
    """A sum index for :func:`sum_by`: ``(index + shift) * LANES + row % LANES`` (a shift of 1
    puts -1, "none", in bin 0; rows are numbered from ``first_row``, to extend an index).

    Why: most firms are in one cluster (services) and off village land, so a plain bincount adds
    run after run of rows into the same total, each add waiting for the one before; spreading
    consecutive rows over eight partial totals lets the adds overlap (about twice as fast).
    Cache the result: it only changes when the rows do."""
    spread = index.astype(np.intp)
    if shift:
        spread += shift
    spread *= LANES
    spread += np.arange(first_row, first_row + len(index)) & (LANES - 1)  # row % LANES (a power of two)
    return spread


def sum_by(spread: np.ndarray, weights: np.ndarray, n_bins: int) -> np.ndarray:
    """Sums of ``weights`` by bin, from a :func:`lanes` index (the eight partial totals added)."""
    # np.add.reduce is what ndarray.sum calls, without its Python wrapper (thousands of calls a run)
    return _add_reduce(np.bincount(spread, weights=weights, minlength=n_bins * LANES).reshape(n_bins, LANES), axis=1)


def settled(x: float) -> float:
    """``x`` to 12 significant digits: a rate computed from sums whose order differs between the
    array kernels and the per-agent reference (last-bit differences) is settled before it decides a
    discrete draw, so that a binomial count cannot flip on rounding noise (it did: a departure
    probability 0.04545454545454544 against 0.045454545454545456 drew 101 households against 102)."""
    return float(f"{x:.12g}")


def bernoulli_rows(rng: np.random.Generator, n: int, probability: float) -> np.ndarray:
    """Rows 0..n-1, each kept independently with ``probability``, ascending.

    A binomial number of rows chosen without replacement has the law of one uniform draw per row
    compared with the probability, but costs draws only for the rows kept: a month's separations,
    departures and innovations touch one or a few rows in a hundred."""
    if probability <= 0.0 or n == 0:
        return np.empty(0, dtype=np.intp)
    rows = rng.choice(n, size=rng.binomial(n, min(probability, 1.0)), replace=False, shuffle=False)
    return ascending(rows, n)


DENSE_ROWS = 100  # rows of n per row kept, above which sorting the kept rows beats marking them


def ascending(rows: np.ndarray, n: int) -> np.ndarray:
    """Distinct rows of 0..n-1 in ascending order, as ``np.sort`` gives them (``rows`` itself,
    sorted in place, where sorting is the cheaper way).

    Why: where more than one row in :data:`DENSE_ROWS` is kept, marking the rows in a mask of n
    and reading it back is linear and beats the sort (on the development VM, two million persons
    and 64,000 separations: 1.4 ms against 3.2 ms; 20,000 of them: 0.5 against 0.8 ms); with
    fewer rows, sorting them is cheaper than the mask (200 of 20,000: 1 against 5 us)."""
    if len(rows) * DENSE_ROWS < n:
        rows.sort()
        return rows
    mark = np.zeros(n, dtype=bool)
    mark[rows] = True
    return np.flatnonzero(mark)


def sparse_draws(rng: np.random.Generator, n: int, highest: float) -> tuple[np.ndarray, np.ndarray]:
    """Uniform draws for rows 0..n-1 against per-row probabilities none above ``highest``, made
    only where one can fall below its probability: candidate rows kept with ``highest``
    (:func:`bernoulli_rows`) and a uniform below ``highest`` for each. A row whose probability is
    p then succeeds with chance highest * p / highest = p, independently: the law of a uniform
    per row. Returns the candidate rows (ascending) and their draws; every other row's draw is
    "never"."""
    rows = bernoulli_rows(rng, n, highest)
    draws = rng.random(len(rows))
    draws *= highest
    return rows, draws


def largest(values: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest values, the earliest among equal ones: the same set as the first
    ``k`` of ``np.argsort(-values, kind="stable")``, in ascending position order.

    Why: a selection by partition is linear, where a full sort of a million candidates costs a
    hundred milliseconds; the ties are broken as the stable sort breaks them, so results do not move.

        {i : v_i > v_(k)} ∪ the first k - #{v_i > v_(k)} of {i : v_i = v_(k)}   (v_(k) the k-th largest)
    """
    if k <= 0:
        return np.zeros(0, np.intp)
    if k >= len(values):
        return np.arange(len(values))
    kth = np.partition(values, len(values) - k)[len(values) - k]
    above = values > kth
    tied = np.flatnonzero(values == kth)[: k - np.count_nonzero(above)]
    above[tied] = True
    return np.flatnonzero(above)


def wsum(weights: np.ndarray, values: np.ndarray) -> float:
    """Weighted sum, deterministic on every machine."""
    return float(_add_reduce(weights * values, axis=None))  # ndarray.sum's pairwise add.reduce, without its wrapper


def pairwise_sum(values) -> float:
    """The sum of a short sequence of Python floats, added in the order NumPy's ``add.reduce`` adds
    a contiguous float64 array (eight partial sums in blocks of up to 128, halves above that), so
    ``pairwise_sum(a.tolist()) == a.sum()`` bit for bit (tests/test_arrays.py). For loops over a
    handful of values, where making an array to sum costs more than the sum; NumPy's reduction
    splits arrays longer than its buffer (8,192 elements) otherwise, so keep it to short lists."""
    n = len(values)
    if n < 8:
        total = 0.0
        for v in values:
            total += v
        return total
    if n <= 128:
        r = list(values[:8])
        stop = n - n % 8
        for i in range(8, stop, 8):
            for j in range(8):
                r[j] += values[i + j]
        total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for i in range(stop, n):
            total += values[i]
        return total
    half = n // 2
    half -= half % 8
    return pairwise_sum(values[:half]) + pairwise_sum(values[half:])


def matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Matrix times vector without BLAS (small matrices only)."""
    return np.sum(matrix * vector[None, :], axis=1)


def smooth(previous, latest, weight: float):
    """Exponential smoothing: w · latest + (1 - w) · previous (arrays or plain floats)."""
    out = weight * latest
    out += (1.0 - weight) * previous
    return out
