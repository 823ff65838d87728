"""The same scenario and seed give bit-identical output; large firms do not depend on scale."""

import numpy as np
import xarray as xr

from model.model import KunshanModel
from model.run import simulate
from model.scenario import Scenario


def test_same_seed_same_arrays():
    scenario = Scenario(horizon="2022-06")
    a = simulate(scenario, seed=3, scale=0.005)
    b = simulate(scenario, seed=3, scale=0.005)
    xr.testing.assert_identical(a.annual, b.annual)
    xr.testing.assert_identical(a.monthly, b.monthly)


def test_same_seed_same_state():
    models = [
        KunshanModel(Scenario(horizon="2022-04"), scale=0.005, rng=np.random.default_rng(np.random.SeedSequence(9)))
        for _ in range(2)
    ]
    for m in models:
        m.run()
    f0, f1 = models[0].state.firms, models[1].state.firms
    assert f0.n == f1.n
    for name in ("productivity", "demand_share", "capital", "employees", "deposits", "sales"):
        np.testing.assert_array_equal(getattr(f0, name)[: f0.n], getattr(f1, name)[: f1.n])
    np.testing.assert_array_equal(models[0].state.persons.employer_cluster, models[1].state.persons.employer_cluster)


def test_different_seeds_differ():
    scenario = Scenario(horizon="2022-03")
    a = simulate(scenario, seed=1, scale=0.005).monthly["gdp_production"].values
    b = simulate(scenario, seed=2, scale=0.005).monthly["gdp_production"].values
    assert not np.array_equal(a, b)


def test_large_firms_are_one_to_one_at_every_scale():
    for scale in (0.002, 0.02):
        f = KunshanModel(Scenario(horizon="2022-01"), scale=scale, rng=np.random.default_rng(5)).state.firms
        large = f.revenue_last_year[: f.n] >= 1e8
        assert np.all(f.weight[: f.n][large] == 1.0)
    # the draw of large firms uses the same random numbers whatever the scale
    revenues = []
    for scale in (0.002, 0.02):
        f = KunshanModel(Scenario(horizon="2022-01"), scale=scale, rng=np.random.default_rng(5)).state.firms
        revenues.append(np.sort(f.revenue_last_year[: f.n][f.revenue_last_year[: f.n] >= 100e8]))
    np.testing.assert_array_equal(revenues[0], revenues[1])
