"""experiments/pairwise_blocks.py's claim, against the NumPy installed: the sums of the blocks of an
array cut where NumPy's pairwise summation halves it, added as the halves are, are ``sum()`` of the
whole bit for bit (docs/performance.md, issue 18's fifth sitting: why a fused kernel need not move
the model's totals). If a NumPy release changes its summation, this says so."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _pairwise_blocks():
    spec = importlib.util.spec_from_file_location("pairwise_blocks", ROOT / "experiments" / "pairwise_blocks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_leaves_cover_the_rows_in_order_and_are_short_enough():
    blocks = _pairwise_blocks()
    for rows, most in [(0, 8), (5, 8), (1_032_301, 65_536), (2_150_769, 65_536), (100_000, 1_000)]:
        pieces = blocks.leaves(rows, most)
        assert [p.start for p in pieces] == ([0] + [p.stop for p in pieces[:-1]] if pieces else [])
        assert (pieces[-1].stop if pieces else 0) == rows
        assert all(0 < p.stop - p.start <= most for p in pieces)
    assert len(blocks.leaves(1_032_301, 65_536)) == 16  # the households at scale 1.0


def test_block_sums_added_as_halves_are_the_whole_sum_bit_for_bit():
    cases, differing = _pairwise_blocks().check_sums(4, np.random.default_rng(7))
    assert cases == 3 * (11 + 4)
    assert differing == 0


def test_plain_running_total_of_blocks_is_not_the_whole_sum():
    """The control: adding the blocks' sums one after another, as a naive blocked kernel would,
    moves the last bits (so the test above is not vacuous)."""
    blocks = _pairwise_blocks()
    values = np.random.default_rng(3).standard_normal(1_032_301) * 1e6
    pieces = blocks.leaves(len(values), 65_536)
    running = np.float64(0.0)
    for p in pieces:
        running += values[p].sum()
    assert blocks.added_as_halves([values[p].sum() for p in pieces], len(values), 65_536) == values.sum()
    assert running != values.sum()
