"""cluster_import_content (issue 13): inputs bought outside Kunshan per yuan of output, from the
input structure, the local suppliers' deliveries and the supplier-development programme."""

import dataclasses

import numpy as np

from model.clusters import cluster_table
from model.run import simulate
from model.scenario import Policy, Scenario

SHORT = dataclasses.replace(Scenario(), horizon="2023-12", uncertainty="seeds")
TABLE = cluster_table()


def test_import_content_is_within_the_inputs_and_falls_with_local_sourcing():
    base = simulate(SHORT, 0, 0.005).annual["cluster_import_content"]
    assert ((base >= 0.0) & (base <= (1.0 - TABLE.va_ratio)[None, :] + 1e-12)).all()
    supported = dataclasses.replace(
        SHORT, policies=(*SHORT.policies, Policy("chain_leader_support", "electronics_core", "2022-01", None, 1.0))
    )
    pushed = simulate(supported, 0, 0.005).annual["cluster_import_content"]
    e = TABLE.index("electronics_core")
    assert float(pushed.sel(year=2023)[e]) < float(base.sel(year=2023)[e]) - 0.01
    others = np.delete(np.arange(TABLE.n), e)
    np.testing.assert_allclose(pushed.sel(year=2023)[others], base.sel(year=2023)[others], atol=0.02)
