"""Outside demand by kind (issue 13, mechanism 6): each cluster sells abroad in proportion to its
foreign-invested share and tradability (assumption M2), so a world-demand shock falls on the
exporters, not on services and construction."""

import dataclasses

import numpy as np
import pytest

from model.clusters import cluster_table
from model.init.levels import InfeasibleParameters, export_propensity, export_shares
from model.policy import MARKETS
from model.run import simulate
from model.scenario import Scenario, Shock

TABLE = cluster_table()
WORLD = MARKETS.index("world")


def test_export_shares_add_up_to_customs_exports_and_follow_the_propensity():
    external = np.linspace(100.0, 800.0, TABLE.n)
    propensity = export_propensity(TABLE, 0.1)
    exports = 0.4 * external.sum()
    shares = export_shares(external, propensity, exports)
    assert np.sum(shares * external) == pytest.approx(exports, rel=1e-12)
    assert ((shares >= 0.0) & (shares <= 1.0)).all()
    by = {c: shares[TABLE.index(c)] for c in ("electronics_core", "equipment_core", "services", "construction")}
    assert by["electronics_core"] > by["equipment_core"] > by["services"] > 0.0
    assert by["construction"] == 0.0 and shares[TABLE.index("agriculture")] == 0.0


def test_exports_beyond_what_the_exporters_sell_outside_are_refused():
    external = np.full(TABLE.n, 100.0)
    with pytest.raises(InfeasibleParameters):
        export_shares(external, export_propensity(TABLE, 0.0), 0.99 * external.sum())


def test_initial_state_puts_the_exports_on_the_exporting_clusters(initial_model):
    x = initial_model.state.economy.external_demand
    abroad = x[WORLD] / x.sum(axis=0)
    e, s, c = (TABLE.index(k) for k in ("electronics_core", "services", "construction"))
    assert abroad[e] > 0.5 > 0.05 > abroad[s] and abroad[c] == 0.0


def test_a_world_demand_shock_hits_electronics_harder_than_services():
    base = dataclasses.replace(Scenario(), horizon="2022-12", uncertainty="seeds")
    shocked = dataclasses.replace(
        base, shocks=(*base.shocks, Shock("export_demand", market="world", cluster="all", start="2022-01", size=-0.3))
    )
    out = [simulate(sc, 0, 0.005).annual["cluster_output"].sel(year=2022) for sc in (base, shocked)]
    change = (out[1] / out[0] - 1.0).values
    e, s = TABLE.index("electronics_core"), TABLE.index("services")
    # services fall too, through local incomes and orders, but by well under half as much
    assert change[e] < -0.1 and change[e] < 2.0 * change[s] < 0.0
