"""The views of the firm rows that Firms keeps (live rows, sum lanes) stay equal to views built afresh
through exits, entry and the yearly compaction."""

import copy

import numpy as np


def _fresh(firms):
    """The same firms with no views kept: built anew on first use."""
    other = copy.deepcopy(firms)
    other._live = other._lanes = None
    return other


def _assert_views_as_fresh(firms):
    kept, fresh = firms.live(), _fresh(firms).live()
    assert kept.n == fresh.n
    np.testing.assert_array_equal(kept.cluster, fresh.cluster)
    np.testing.assert_array_equal(kept.weight, fresh.weight)
    for a, b in zip(firms.lanes(), _fresh(firms).lanes()):
        np.testing.assert_array_equal(a, b)


def test_views_follow_exits_entry_and_compaction(fresh_initial):
    f = fresh_initial.state.firms
    f.lanes()
    before = f.live()
    f.close(np.array([0, 5]), "deposits")
    assert f.live() is before and before.weight[0] == 0.0 and not f.alive[0] and f.deposits[5] == 0.0
    _assert_views_as_fresh(f)

    rows = f.reserve(3)
    f.cluster[rows], f.village[rows], f.ownership[rows] = [1, 2, 3], [-1, 4, 7], [0, 1, 2]
    f.weight[rows], f.alive[rows] = 2.0, True
    f.opened(rows)
    assert f.live().n == f.n
    _assert_views_as_fresh(f)

    f.compact()
    assert f._live is None and f._lanes is None
    _assert_views_as_fresh(f)


def test_rows_reserved_without_notice_rebuild_the_views(fresh_initial):
    f = fresh_initial.state.firms
    f.live()
    rows = f.reserve(2)
    f.alive[rows], f.weight[rows] = True, 1.0
    assert f.live().n == f.n
    _assert_views_as_fresh(f)
