"""Services and construction serve mostly local buyers (issue 13, mechanism 6): what they sell
outside Kunshan follows the local economy, not the outside trend."""

from __future__ import annotations

import numpy as np

from model.agents.rest_of_world import outside_or_local_growth
from model.clusters import cluster_table
from model.model import KunshanModel
from model.scenario import Scenario
from model.uncertainty import centre_paths

TABLE = cluster_table()
LOCAL = TABLE.serves_locally


def test_only_services_and_construction_serve_locally():
    assert {TABLE.ids[i] for i in np.flatnonzero(LOCAL)} == {"services", "construction"}


def test_the_factor_blends_local_growth_and_the_outside_trend():
    outside = np.full((4, TABLE.n), 1.01)
    last, before = np.full(TABLE.n, 110.0), np.full(TABLE.n, 100.0)
    full = outside_or_local_growth(outside, last, before, LOCAL, 1.0)
    np.testing.assert_allclose(full[:, LOCAL], 1.1)
    np.testing.assert_array_equal(full[:, ~LOCAL], outside[:, ~LOCAL])
    np.testing.assert_array_equal(outside_or_local_growth(outside, last, before, LOCAL, 0.0), outside)
    half = outside_or_local_growth(outside, last, before, LOCAL, 0.5)
    np.testing.assert_allclose(half[:, LOCAL], np.sqrt(1.1 * 1.01))
    # no local demand recorded: no growth from it
    empty = outside_or_local_growth(outside, np.zeros(TABLE.n), before, LOCAL, 1.0)
    np.testing.assert_array_equal(empty[:, LOCAL], 1.0)


def _months(weight: float, months: int = 8):
    model = KunshanModel(
        Scenario(horizon="2022-12", uncertainty="seeds"),
        scale=0.005,
        rng=np.random.SeedSequence(4),
        local_demand_weight_nontradable=weight,
    )
    e = model.state.economy
    ratio0 = e.external_demand.sum(axis=0) / e.local_demand_last
    rows = []
    for _ in range(months):
        model.step()
        rows.append((e.external_demand.sum(axis=0) / e.local_demand_before, e.external_demand.sum(axis=0).copy()))
    return ratio0, rows


def test_their_outside_demand_is_a_fixed_multiple_of_last_months_local_demand():
    ratio0, rows = _months(1.0)
    for ratio, _ in rows:
        np.testing.assert_allclose(ratio[LOCAL], ratio0[LOCAL], rtol=1e-12)
    # the tradable clusters' does not follow local demand
    assert np.ptp([ratio[~LOCAL] / ratio0[~LOCAL] for ratio, _ in rows], axis=0).max() > 1e-3


def test_with_no_weight_on_the_local_economy_the_fixed_multiple_breaks():
    ratio0, rows = _months(0.0, 4)
    drift = np.array([ratio[LOCAL] / ratio0[LOCAL] for ratio, _ in rows])
    assert np.abs(drift - 1.0).max() > 1e-3  # the outside trend and its shocks, not local demand


def test_a_seed_only_run_draws_no_outside_path():
    paths = centre_paths(4, 3)
    assert not paths.market_level.any() and not paths.producer_inflation.any()
    np.testing.assert_array_equal(paths.exchange_rate, 1.0)
