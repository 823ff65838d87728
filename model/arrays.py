"""Small array helpers shared by the kernels.

Sums use NumPy's pairwise summation rather than BLAS (``np.dot``, ``@``): BLAS results can depend on
the CPU kernel and thread count, which would break bit-for-bit reproducibility across machines, and
on some OpenBLAS builds a dot product of a long vector is orders of magnitude slower.
"""

from __future__ import annotations

import numpy as np


def wsum(weights: np.ndarray, values: np.ndarray) -> float:
    """Weighted sum, deterministic on every machine."""
    return float((weights * values).sum())  # ndarray.sum: the same pairwise add.reduce, less call overhead


def matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Matrix times vector without BLAS (small matrices only)."""
    return np.sum(matrix * vector[None, :], axis=1)
