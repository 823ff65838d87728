"""Which inputs matter most for a target: regional sensitivity analysis (Spear and Hornberger 1980).

For each input, the Kolmogorov-Smirnov distance between its values in the runs that miss the
target and in the runs that meet it: 0 when the input is spread alike in both (it does not decide
the outcome), 1 when its range separates them completely. The p-value is the two-sample test's;
the score needs no model fit, and reads the same for levers, parameters and shock sizes.
"""

from __future__ import annotations

import numpy as np


def ks_scores(x: np.ndarray, missed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(KS distance, p-value) per input; NaN when every run misses or every run meets."""
    from scipy.stats import ks_2samp

    x, missed = np.asarray(x, float), np.asarray(missed, bool)
    k = x.shape[1]
    if missed.all() or not missed.any():
        return np.full(k, np.nan), np.full(k, np.nan)
    stats, pvalues = np.empty(k), np.empty(k)
    for j in range(k):
        test = ks_2samp(x[missed, j], x[~missed, j])
        stats[j], pvalues[j] = test.statistic, test.pvalue
    return stats, pvalues
