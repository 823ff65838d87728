"""Firm snapshots: one row per firm and year (revenue, employees, cluster, ownership, alive, weight, price,
productivity, entry year, project).

The annual dataset only keeps aggregates, but the stylized facts of firm dynamics (the size
distribution's tail, the tent shape of growth rates) need the same firm followed from one year to
the next. Firm rows are compacted once a year (dead firms dropped, the rest shifted up), so a row
index is not an identity. This recorder keeps its own stable id per row and replays the compaction
on it, which needs no change to :class:`model.state.Firms`:

* it must be called once at the end of every calendar year, after December's accounts and before
  the economy rolls its year and compacts its rows (``KunshanModel._observe_year_end``):
  ``revenue_year`` then holds the year just closed;
* new firms are only ever appended (``Population.reserve``), so rows beyond the ones it knows are
  entrants and get fresh ids;
* compaction keeps exactly the rows with ``alive`` set, in order, so ``ids[alive]`` is the new map.

``FirmSnapshots(model)`` at construction records the initial (2021) state, whose year is held in
``revenue_last_year``. :class:`SnapshotModel` records every year end by overriding the hook, for
calibration and validation.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from model.clusters import cluster_table
from model.model import KunshanModel
from model.state import OWNERSHIP

YI = 1e8
FIELDS = (
    "revenue",
    "employees",
    "cluster",
    "ownership",
    "alive",
    "weight",
    "price",
    "productivity",
    "entry_year",
    "is_project",
)


class FirmSnapshots:
    """Per-firm yearly records with ids that survive compaction."""

    def __init__(self, model: KunshanModel | None = None, first_year: int | None = None):
        self._ids = np.zeros(0, dtype=np.int64)
        self._next_id = 0
        self.rows: dict[int, dict[str, np.ndarray]] = {}
        if model is not None:
            year = first_year if first_year is not None else int(model.kunshan_scenario.start[:4]) - 1
            self.record(model, year, compact=False)

    def _assign_ids(self, n: int) -> None:
        known = len(self._ids)
        if n > known:
            fresh = np.arange(self._next_id, self._next_id + n - known, dtype=np.int64)
            self._ids = np.concatenate([self._ids, fresh])
            self._next_id += n - known

    def record(self, model: KunshanModel, year: int, compact: bool = True) -> None:
        """Record the year just closed, then replay the compaction that follows on the id map.

        ``compact=False`` for the initial state (no compaction follows it; its year's revenue is
        last year's)."""
        f = model.state.firms
        n = f.n
        self._assign_ids(n)
        revenue = f.revenue_year if compact else f.revenue_last_year
        self.rows[int(year)] = {
            "id": self._ids[:n].copy(),
            "revenue": revenue[:n] / YI,
            "employees": f.employees[:n].copy(),
            "cluster": f.cluster[:n].astype(np.int16),
            "ownership": f.ownership[:n].astype(np.int8),
            "alive": f.alive[:n].copy(),
            "weight": f.weight[:n].copy(),
            "price": f.price[:n].copy(),
            "productivity": f.productivity[:n].copy(),
            "entry_year": f.entry_year[:n].astype(np.int16),
            "is_project": f.is_project[:n].astype(np.int8),
        }
        if compact:
            self._ids = self._ids[:n][f.alive[:n]]

    @property
    def years(self) -> list[int]:
        return sorted(self.rows)

    def year(self, year: int) -> dict[str, np.ndarray]:
        return self.rows[int(year)]

    def growth(self, year: int, min_revenue_yi: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Log revenue growth from ``year - 1`` to ``year`` of firms alive at both year ends with
        revenue above the floor in both, with their weights: the input of the Subbotin fit.

        Entrants of ``year - 1`` are left out (their first revenue covers part of a year, so their
        "growth" is mostly the calendar): a firm counts only if it was also alive at the end of
        ``year - 2``, or ``year - 1`` is the initial state."""
        a, b = self.rows[year - 1], self.rows[year]
        ok_a = a["alive"] & (a["revenue"] > min_revenue_yi)
        if (year - 2) in self.rows:
            before = self.rows[year - 2]
            ok_a &= np.isin(a["id"], before["id"][before["alive"]])
        ok_b = b["alive"] & (b["revenue"] > min_revenue_yi)
        _, ia, ib = np.intersect1d(a["id"][ok_a], b["id"][ok_b], assume_unique=True, return_indices=True)
        return np.log(b["revenue"][ok_b][ib] / a["revenue"][ok_a][ia]), b["weight"][ok_b][ib]

    def dataset(self) -> xr.Dataset:
        """Dense (year, firm) arrays: a firm absent in a year has NaN revenue and alive = 0."""
        years = self.years
        ids = np.unique(np.concatenate([self.rows[y]["id"] for y in years])) if years else np.zeros(0, np.int64)
        position = {int(i): k for k, i in enumerate(ids)}
        shape = (len(years), len(ids))
        revenue = np.full(shape, np.nan)
        employees = np.full(shape, np.nan)
        alive = np.zeros(shape, dtype=np.int8)
        weight = np.full(len(ids), np.nan)
        cluster = np.full(len(ids), -1, dtype=np.int16)
        ownership = np.full(len(ids), -1, dtype=np.int8)
        price = np.full(shape, np.nan)
        productivity = np.full(shape, np.nan)
        entry_year = np.full(len(ids), -1, dtype=np.int16)
        is_project = np.zeros(len(ids), dtype=np.int8)
        for t, y in enumerate(years):
            r = self.rows[y]
            cols = np.fromiter((position[int(i)] for i in r["id"]), dtype=np.int64, count=len(r["id"]))
            revenue[t, cols] = r["revenue"]
            employees[t, cols] = r["employees"]
            alive[t, cols] = r["alive"]
            weight[cols] = r["weight"]
            cluster[cols] = r["cluster"]
            ownership[cols] = r["ownership"]
            price[t, cols] = r["price"]
            productivity[t, cols] = r["productivity"]
            entry_year[cols] = r["entry_year"]
            is_project[cols] = r["is_project"]
        ds = xr.Dataset(
            {
                "revenue": (("year", "firm"), revenue, {"units": "yi_yuan", "long_name": "Annual revenue (sales)"}),
                "employees": (("year", "firm"), employees, {"units": "1", "long_name": "Employees in December"}),
                "alive": (("year", "firm"), alive, {"units": "1", "long_name": "Alive at the end of the year"}),
                "weight": (("firm",), weight, {"units": "1", "long_name": "Real firms the row stands for"}),
                "cluster": (("firm",), cluster, _flags("Cluster index", cluster_table().ids, cluster.dtype)),
                "ownership": (("firm",), ownership, _flags("Ownership", OWNERSHIP, ownership.dtype)),
                "price": (
                    ("year", "firm"),
                    price,
                    {
                        "units": "index_2021_1",
                        "long_name": "The firm's price in December (its markup on unit cost, reached gradually)",
                    },
                ),
                "productivity": (
                    ("year", "firm"),
                    productivity,
                    {"units": "1", "long_name": "Total factor productivity in December (2021 cluster frontier = 1)"},
                ),
                "entry_year": (
                    ("firm",),
                    entry_year,
                    {"units": "year", "long_name": "Year the firm entered (founding year for the firms of 2021)"},
                ),
                "is_project": (
                    ("firm",),
                    is_project,
                    {"units": "1", "long_name": "1 if the firm entered as a major investment project"},
                ),
            },
            coords={"year": years, "firm": ids},
        )
        for name in ("cluster", "ownership"):
            ds[name].encoding["_FillValue"] = ds[name].dtype.type(NO_FLAG)  # CF: -1 is "no value"
        ds["firm"].attrs.update(long_name="Stable firm id within the run (survives yearly compaction)")
        return ds


NO_FLAG = -1  # a code column's value where a firm has none


def _flags(long_name: str, meanings, dtype) -> dict:
    """CF flag attributes of a code column: value k means meanings[k]."""
    return {
        "units": "1",
        "long_name": long_name,
        "flag_values": np.arange(len(meanings), dtype=dtype),
        "flag_meanings": " ".join(meanings),
    }


class SnapshotModel(KunshanModel):
    """KunshanModel that keeps firm snapshots (the hook above, by subclassing)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.snapshots = FirmSnapshots(self)

    def _observe_year_end(self) -> None:
        self.snapshots.record(self, self.state.economy.year)


def firm_snapshots(scenario, seed: int, scale: float | None = None) -> xr.Dataset:
    """Every firm of one run of the scenario, per year: the run is the same as simulate()'s for
    this seed (same seed sequence), with snapshots taken at each year end."""
    from model.run import seed_sequence

    model = SnapshotModel(scenario, scale=scale, rng=np.random.default_rng(seed_sequence(scenario, seed)))
    model.run()
    ds = model.snapshots.dataset()
    ds.attrs.update(seed=int(seed), scenario_name=scenario.name)
    return ds
