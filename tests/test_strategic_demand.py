"""Outside demand by kind of product: the strategic emerging industries and the pioneers face demand
that grows faster than the rest's (``strategic_demand_premium``, China's high-technology
manufacturing premium), and the latest published strategic-emerging share is carried to the origin
by the same premium (assumption P2)."""

import dataclasses

import numpy as np
import pytest

from model.agents import rest_of_world
from model.clusters import cluster_table
from model.data.derive import named_industry_output, strategic_emerging_share_at_origin
from model.data.derive.industry import above_scale_industrial_output
from model.data.observed import Vintage, observations
from model.run import simulate
from model.scenario import Scenario

TABLE = cluster_table()


def test_the_premium_raises_only_the_emerging_clusters_trend():
    flags = TABLE.is_emerging.astype(float)
    assert flags.sum() == 9  # the six and the three pioneers
    plain = rest_of_world.external_demand_growth(0.06, 0.02, 0.0, 0.5, 0.0, np.zeros(TABLE.n))
    faster = rest_of_world.external_demand_growth(0.06, 0.02, 0.0, 0.5, 0.0, np.zeros(TABLE.n), 0.05 * flags)
    np.testing.assert_allclose(faster[flags == 1], np.exp((0.06 + 0.05 - 0.02) / 12.0))
    np.testing.assert_array_equal(faster[flags == 0], plain[flags == 0])


def test_share_at_origin_is_the_published_one_or_carried_forward_by_the_premium():
    rows = observations()
    v2020, v2021 = Vintage.of(rows, 2020), Vintage.of(rows, 2021)
    assert strategic_emerging_share_at_origin(v2020, 0.08) == pytest.approx(0.51)  # published that year
    assert strategic_emerging_share_at_origin(v2021, 0.0) == pytest.approx(0.51)  # no premium: carried flat
    phi = sum(named_industry_output(v2021).values()) / above_scale_industrial_output(v2021)
    k = 1.08
    expected = (phi * k + 0.51 - phi) / (1.0 + phi * (k - 1.0))
    assert strategic_emerging_share_at_origin(v2021, 0.08) == pytest.approx(expected, rel=1e-12)
    assert 0.51 < expected < 0.53


def test_with_the_premium_the_emerging_clusters_outgrow_the_rest_in_paired_seeds():
    base = dataclasses.replace(Scenario(), horizon="2023-12", uncertainty="seeds")
    runs = [
        simulate(dataclasses.replace(base, parameters={"strategic_demand_premium": x}), seed, 0.005).annual
        for x in (0.0, 0.10)
        for seed in (0, 1)
    ]
    emerging = TABLE.is_emerging

    def emerging_share(a):
        out = a["cluster_output"].sel(year=2023).values
        return out[emerging].sum() / out[TABLE.is_industry].sum()

    without, with_premium = (
        np.mean([emerging_share(a) for a in runs[:2]]),
        np.mean([emerging_share(a) for a in runs[2:]]),
    )
    assert with_premium > without + 0.015  # 0.364 vs 0.339 without (two seeds, scale 0.005)
