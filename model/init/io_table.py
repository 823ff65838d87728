"""Who buys from whom inside Kunshan: local input coefficients and the cluster mixes of final buyers.

Assumptions (no input-output table of Kunshan is published): a manufacturing cluster buys 40% of
its local inputs from its own cluster, 15% from new materials, 10% from electronic components and
35% from services; construction buys materials and services; services buy mostly services. Final
buyers' mixes below. The shares of inputs bought locally are in clusters.toml.
"""

from __future__ import annotations

import numpy as np

from model.clusters import ClusterTable


def _vector(table: ClusterTable, shares: dict[str, float]) -> np.ndarray:
    v = np.zeros(table.n)
    for cid, s in shares.items():
        v[table.index(cid)] += s
    return v / v.sum()


def local_input_coefficients(table: ClusterTable) -> np.ndarray:
    """(supplier, buyer): yuan of local inputs from the supplier per yuan of the buyer's output."""
    coeff = np.zeros((table.n, table.n))
    for b, sector in enumerate(table.sector):
        if sector == "industry":
            mix = {table.ids[b]: 0.40, "new_materials": 0.15, "electronics_core": 0.10, "services": 0.35}
        elif sector == "construction":
            mix = {"new_materials": 0.35, "other_manufacturing": 0.25, "services": 0.40}
        elif sector == "agriculture":
            mix = {"agriculture": 0.4, "services": 0.6}
        else:
            mix = {"services": 0.85, "new_digital": 0.10, "electronics_core": 0.05}
        coeff[:, b] = _vector(table, mix) * (1.0 - table.va_ratio[b]) * table.local_input_share[b]
    return coeff


# Final buyers: household consumption, public consumption, capital goods, R&D, public investment.
FINAL_BUYERS = ("households", "government", "firm_investment", "rd", "public_investment")
# Share of each final buyer's spending that goes to suppliers outside Kunshan (assumption; the
# household share is the parameter import_share_final_demand).
FINAL_IMPORT_SHARE = {"government": 0.10, "firm_investment": 0.35, "rd": 0.20, "public_investment": 0.05}


def final_mixes(table: ClusterTable) -> np.ndarray:
    """(buyer, cluster) shares of each final buyer's local purchases."""
    return np.vstack(
        [
            _vector(
                table,
                {
                    "services": 0.66,
                    "agriculture": 0.06,
                    "other_manufacturing": 0.10,
                    "new_digital": 0.04,
                    "electronics_core": 0.04,
                    "new_medical": 0.04,
                    "new_energy": 0.04,
                    "life_health": 0.02,
                },
            ),
            _vector(table, {"services": 1.0}),
            _vector(
                table,
                {
                    "construction": 0.45,
                    "equipment_core": 0.20,
                    "new_intelligent_manufacturing": 0.20,
                    "new_digital": 0.15,
                },
            ),
            _vector(table, {"services": 0.70, "new_digital": 0.28, "advanced_computing": 0.02}),
            _vector(table, {"construction": 0.90, "services": 0.10}),
        ]
    )
