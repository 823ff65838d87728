"""Major projects under construction at the origin: the pipeline in its steady state.

Projects arrive at the pipeline's rate and each invests for ``project_gestation_months`` (G) in
equal tranches (model.actions.projects). An economy built with no project under way would fill its
pipeline over the first G months of every run, a spurious investment boom of the size of the whole
pipeline (about 300 yi yuan a year at the defaults, 2 points of 2022's growth). So the origin holds
the projects that started in the G - 1 months before it, at the same rate, each part-built:

    a ~ U{1, ..., G - 1} tranches ordered by December,  tranche T = S / G,
    installed capital (a - 1) T,  December's tranche on order,  left to invest (G - a) T,

with S the project's investment (:func:`model.actions.projects.project_rows`). December's tranches
are part of the origin's investment, so the outside demand solved for the origin's output leaves
room for them (model.init.levels.solve_outside_demand); each project already sells the ramping share
of its installed capacity that it would have reached (model.agents.firm_dynamics.project_ramp).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.actions.projects import project_rows
from model.agents import firm_dynamics as dynamics
from model.params import Parameters
from model.state import TAIWAN, State


@dataclass(frozen=True)
class Pipeline:
    """The projects under construction at the origin."""

    rows: dict[str, np.ndarray]  # project_rows: cluster, owner, productivity, village, investment S
    ordered: np.ndarray  # tranches ordered so far, December's the last (1 .. G - 1)
    gestation: int  # G, months

    @property
    def tranche(self) -> np.ndarray:
        """T = S / G, yuan a month: what each orders every month while it builds."""
        return self.rows["project_pending"] / self.gestation

    @property
    def december_orders(self) -> float:
        """December's tranches (real firms, one row each), bought as capital goods in January."""
        return float(self.tranche.sum())


def draw_pipeline(
    rng: np.random.Generator, params: Parameters, output_by_cluster: np.ndarray, table, villages: int
) -> Pipeline:
    """The projects that started in the G - 1 months before the origin: in each cluster a Poisson
    number at G - 1 months of the pipeline's monthly rate at the origin's output (no lever, foreign
    entry open), each of a uniform age, then what each is (:func:`project_rows`)."""
    gestation = max(round(params.project_gestation_months), 1)
    nc = table.n
    rate = dynamics.project_rate(
        params.project_rate_per_year,
        output_by_cluster,
        table.is_industry,
        np.zeros(nc),
        table.foreign_share,
        np.ones(nc),
    )
    counts = rng.poisson(rate * (gestation - 1))
    cluster = np.repeat(np.arange(nc, dtype=np.int16), counts)
    ordered = rng.integers(1, max(gestation, 2), len(cluster))
    foreign = dynamics.project_foreign_probability(table.foreign_share, np.ones(nc))
    rows = project_rows(rng, params, cluster, np.ones(nc), foreign, villages)
    return Pipeline(rows, ordered, gestation)


def open_pipeline(s: State, params: Parameters, pipeline: Pipeline, table, origin: int) -> None:
    """The pipeline's rows join the firms part-built (capital installed, December's tranche on order
    and financed, the rest to invest; ``age`` the months since the first tranche; no revenue in the
    origin's record, whose outputs are the data's, like a project that started in the run), paying
    their cluster's mean wage, with the market access ``_build`` of
    model.actions.projects would have given them: expected sales the ramping share of installed
    capacity, and a demand share in line with it."""
    f, e = s.firms, s.economy
    if len(pipeline.ordered) == 0:
        return
    n, c, w = f.live()
    cluster, tranche, ordered = pipeline.rows["cluster"], pipeline.tranche, pipeline.ordered
    wage = np.bincount(c, weights=w * f.wage[:n], minlength=table.n) / np.bincount(c, weights=w, minlength=table.n)
    share_total = np.bincount(c, weights=w * f.demand_share[:n], minlength=table.n)
    capital = (ordered - 1) * tranche
    months_left = pipeline.gestation - ordered
    # money so far: every tranche ordered was financed as it was ordered (foreign projects by FDI,
    # domestic ones by their owners' equity and, for project_credit_share, bank credit, which is a
    # negative deposit once spent), and all but December's were paid for
    foreign = pipeline.rows["ownership"] >= TAIWAN
    financed = np.where(foreign, 1.0, 1.0 - params.project_credit_share) * ordered * tranche
    ramp = dynamics.project_ramp(months_left.astype(float), pipeline.gestation, params.entrant_ramp_up)
    expected = dynamics.entrant_expected_sales(capital * e.price[cluster], table.capital_output[cluster], ramp)
    f.open(
        len(ordered),
        **{**pipeline.rows, "project_pending": months_left * tranche},
        weight=1.0,
        wage=wage[cluster],
        price=e.price[cluster],
        entry_year=origin - ordered // 12,  # it started the month before its first tranche
        is_project=True,
        project_months=months_left,
        capital=capital,
        investment_order=tranche,
        deposits=financed - capital,
        age=ordered,
        expected_sales=expected,
        demand_share=dynamics.entrant_demand_share(expected, e.last_demand[cluster], share_total[cluster]),
    )
