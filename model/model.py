"""KunshanModel: the Mesa model that owns the array populations and steps them month by month."""

from __future__ import annotations

import dataclasses

import mesa
import numpy as np

from model.accounts import identity_errors, month_accounts, public_books, public_identity_errors
from model.arrays import keep_freed_memory, matvec
from model.clusters import cluster_table
from model.data.observed import load_vintage
from model.data.processes import outside_processes
from model.init import build_state
from model.init.cache import BUILT
from model.params import SPECS, Parameters, default_parameters
from model.policy import MARKETS, PolicySchedule
from model.record import Recorder
from model.scenario import Scenario
from model.step import end_of_year, one_step
from model.streams import MESA_SPAWN_KEY, RandomStreams, child, run_seed_sequence
from model.uncertainty import (
    centre_paths,
    drawn_parameters,
    drawn_processes,
    exogenous_paths,
    installed_parameter_uncertainty,
)


class ClusterAgent(mesa.Agent):
    """An industry cluster: a coarse Mesa agent that reports on its firms (which live in arrays)."""

    def __init__(self, model: KunshanModel, index: int):
        super().__init__(model)
        self.index = index
        self.cluster_id = cluster_table().ids[index]

    @property
    def output(self) -> float:
        """Gross output of the cluster in the latest month, yuan."""
        output = self.model.state.flows.output_by_cluster
        return 0.0 if output is None else float(output[self.index])

    @property
    def firms(self) -> float:
        f = self.model.state.firms
        mine = (f.cluster[: f.n] == self.index) & f.alive[: f.n]
        return float(f.weight[: f.n][mine].sum())


class VillageAgent(mesa.Agent):
    """A village collective: a coarse Mesa agent over the village arrays."""

    def __init__(self, model: KunshanModel, index: int):
        super().__init__(model)
        self.index = index

    @property
    def income_last_year(self) -> float:
        return float(self.model.state.villages.income_last_year[self.index])


def _forget_agent_ids(model: mesa.Model) -> None:
    """Drop Mesa's class-wide reference to the model once its agents have their ids.

    Mesa before 3.5 numbers agents per model in ``Agent._ids``, a class attribute keyed by the model
    itself, so every model ever built stays in memory (mesa issue #3179, fixed by PR #3180): a sweep
    worker grew by a whole economy a run. The model creates no agent after its constructor, so the
    counter is not needed again; newer Mesa numbers agents in the model and has no ``_ids``."""
    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


class KunshanModel(mesa.Model):
    """The economy of Kunshan from January of the start year, one step a month.

    ``rng`` is the run's SeedSequence (or a Generator built from one, or a seed for one): the
    economy at the end of the origin year is drawn from a Generator built from it, and the months draw from its per-purpose
    streams (:class:`model.streams.RandomStreams`), so a seed fixes the run. Mesa's own generator
    (``self.rng``) is a separate child the model never draws from, so what a Mesa version draws on
    construction changes nothing.

    ``income_distribution=False`` leaves the annual income_gini and income_lorenz NaN, for a caller
    that keeps neither (model.run.simulate_annual with its ``outputs``); nothing else changes.
    """

    def __init__(
        self,
        scenario: Scenario | None = None,
        scale: float | None = None,
        parameters: Parameters | None = None,
        rng=None,
        check_identities: bool = True,
        horizon: str | None = None,
        income_distribution: bool = True,
        **parameter_overrides: float,
    ):
        seed = run_seed_sequence(rng)
        # Mesa gets a child of its own (it may draw from it on construction, and its versions differ
        # in what they draw); the economy and its streams come from the run's seed alone.
        super().__init__(rng=np.random.default_rng(child(seed, MESA_SPAWN_KEY)))
        keep_freed_memory()  # the step's temporaries reuse memory instead of page-faulting it afresh
        # Named kunshan_scenario, not scenario: Mesa >= 3.5's Model has a `scenario` of its own.
        self.kunshan_scenario = scenario or Scenario()
        if horizon is not None:
            self.kunshan_scenario = dataclasses.replace(self.kunshan_scenario, horizon=horizon)
        self.scale = float(scale if scale is not None else self.kunshan_scenario.scale)
        base = parameters or default_parameters().with_overrides(self.kunshan_scenario.parameters)
        self.parameters = base.with_overrides(parameter_overrides)
        # The run's own draw of what is uncertain beyond its seed (model.uncertainty): the calibrated
        # parameters around their centre, and the world outside (exchange rate, each market's
        # demand, producer prices) along processes estimated on history up to the origin.
        years = int(self.kunshan_scenario.horizon[:4]) - int(self.kunshan_scenario.start[:4]) + 1
        self.centre_parameters = self.parameters
        self.outside = outside_processes(self.kunshan_scenario.origin)
        if self.kunshan_scenario.uncertainty == "full":
            table = self.kunshan_scenario.parameter_uncertainty or installed_parameter_uncertainty()
            self.parameters = drawn_parameters(self.parameters, table, seed)
            # At its default the exchange rate's volatility is the estimate at the run's origin; a
            # value the scenario sets (or writes back: a results folder's scenario.toml holds every
            # parameter) is taken as it is. Deciding by the value, not by whether the scenario names
            # it, lets `kunshan reproduce` and a folder's scenario.toml repeat the run exactly.
            fx_default = self.centre_parameters.exchange_rate_volatility == SPECS["exchange_rate_volatility"].default
            outside = drawn_processes(self.outside, seed)  # the run's draw of the estimates themselves
            fx_sigma = outside.exchange_rate.sigma if fx_default else self.parameters.exchange_rate_volatility
            self.exogenous = exogenous_paths(fx_sigma, outside, years, seed)
        else:
            self.exogenous = centre_paths(len(MARKETS), years)
        self.check_identities = check_identities
        # Built at the end of the origin year (the year before the start) from the rows up to that year
        # of the scenario's observed data: no later row can reach the run.
        self.vintage = load_vintage(self.kunshan_scenario.observed, self.kunshan_scenario.origin)

        def build(parameters: Parameters):
            return build_state(parameters, self.scale, np.random.default_rng(seed), self.vintage)

        # A worker that meets this seed, scale and data again starts from a copy (model.init.cache).
        built_for = (seed.entropy, tuple(seed.spawn_key), seed.n_children_spawned, self.scale, self.vintage)
        self.state = BUILT.get_or_build(built_for, self.parameters, build)
        self.draws = RandomStreams(seed)
        by_market = self.state.economy.external_demand.sum(axis=1)
        self.market_weights = by_market / by_market.sum()  # each market's share of outside demand at the start
        self.state.economy.year = int(self.kunshan_scenario.start[:4])  # the calendar the outputs are labelled with
        self.schedule = PolicySchedule(
            self.kunshan_scenario.policies,
            self.kunshan_scenario.shocks,
            self.kunshan_scenario.start,
            self.kunshan_scenario.n_months,
        )
        self.recorder = Recorder(
            self.state,
            self.kunshan_scenario.start,
            self.kunshan_scenario.n_months,
            self.vintage,
            self.parameters.strategic_demand_premium,
            income_distribution,
        )
        self.clusters = [ClusterAgent(self, i) for i in range(cluster_table().n)]
        self.villages = [VillageAgent(self, i) for i in range(self.state.economy.villages)]
        _forget_agent_ids(self)
        self.month = 0
        self.max_identity_error = 0.0
        self.running = self.kunshan_scenario.n_months > 0
        # A few monthly scalars for Mesa's own tools (batch_run, DataCollector users); the full
        # outputs are the xarray datasets of :meth:`datasets`.
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "gdp": lambda m: (
                    m.recorder.monthly["gdp_production"][-1] if m.recorder.monthly["gdp_production"] else 0.0
                ),
                "unemployment_rate": lambda m: (
                    m.recorder.monthly["unemployment_rate"][-1] if m.recorder.monthly["unemployment_rate"] else 0.0
                ),
                "resident_population": lambda m: (
                    m.recorder.monthly["resident_population"][-1] if m.recorder.monthly["resident_population"] else 0.0
                ),
            }
        )

    def step(self) -> None:
        s = self.state
        policy = self.schedule.at(self.month)
        year = s.economy.year - int(self.kunshan_scenario.start[:4])
        s.flows.exchange_rate = policy.exchange_rate * self.exogenous.exchange_rate[year]
        s.economy.market_growth_deviation = self.exogenous.market_growth[year]
        s.economy.producer_inflation_deviation = float(self.exogenous.producer_inflation[year])
        books = public_books(s)
        one_step(s, self.parameters, policy, self.draws)
        accounts = month_accounts(s)
        errors = identity_errors(accounts, s.economy.money_initial) | public_identity_errors(s, books, accounts)
        self.max_identity_error = max(self.max_identity_error, *errors.values())
        if self.check_identities and max(errors.values()) > 1e-9:
            raise AssertionError(f"accounting identity broken in month {self.month}: {errors}")
        self.recorder.record_month(s, accounts, self.month)
        calendar_month = (int(self.kunshan_scenario.start[5:7]) - 1 + self.month) % 12
        if calendar_month == 11:
            self.recorder.close_year(s, s.economy.year)
            self._observe_year_end()
            end_of_year(s, self.parameters, self.draws)
        self.month += 1
        s.economy.month = self.month
        self.running = self.month < self.kunshan_scenario.n_months
        self.datacollector.collect(self)

    def _observe_year_end(self) -> None:
        """Called at the end of every calendar year after the annual record, before the economy rolls
        its year and drops the agents that left (a hook for observers such as firm snapshots)."""

    def run(self) -> None:
        while self.running:
            self.step()

    def datasets(self):
        """(annual, monthly) of the run; annual also holds the run's draw of the uncertain
        parameters (``parameter_draw``, dim ``uncertain_parameter``)."""
        annual, monthly = self.recorder.datasets()
        return annual.assign(parameter_draw=self._parameter_draw(), **self._exogenous_draw(annual)), monthly

    def annual_arrays(self):
        """The variables of the annual dataset as plain arrays (:class:`model.record.AnnualArrays`),
        the draws included, without building any xarray dataset: what a sweep's worker encodes."""
        arrays = self.recorder.annual_arrays()
        names, z = self._parameter_draw_values()
        level, inflation = self._exogenous_values(arrays.years)
        return arrays.with_variables(
            {
                "parameter_draw": (("uncertain_parameter",), z),
                "outside_demand_deviation": (("year",), level),
                "producer_inflation_deviation": (("year",), inflation),
            },
            coords={"uncertain_parameter": np.asarray(names)},
        )

    def _exogenous_values(self, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The run's outside demand deviation and producer inflation deviation by year of ``years``."""
        index = years - int(self.kunshan_scenario.start[:4])
        inside = (index >= 0) & (index < len(self.exogenous.producer_inflation))
        at = np.clip(index, 0, len(self.exogenous.producer_inflation) - 1)
        level = np.where(inside, matvec(self.exogenous.market_level[at], self.market_weights), 0.0)
        inflation = np.where(inside, self.exogenous.producer_inflation[at], 0.0)
        return level, inflation

    def _exogenous_draw(self, annual) -> dict:
        """The run's draws of the world outside by year of ``annual`` (0 in the origin year and in a
        seed-only run): ``outside_demand_deviation``, the log level of demand from outside beyond
        its trend, each market's weighted by its share of the initial outside demand, and
        ``producer_inflation_deviation``. uncertainty.csv counts both as exogenous drivers."""
        import xarray as xr

        years = annual["year"].values
        level, inflation = self._exogenous_values(years)

        def yearly(values, units: str, long_name: str):
            return xr.DataArray(
                values, dims=("year",), coords={"year": years}, attrs={"units": units, "long_name": long_name}
            )

        return {
            "outside_demand_deviation": yearly(
                level,
                "1",
                "Log level of demand from outside beyond its trend at the year's end: the markets' drawn "
                "deviations weighted by their initial shares (model.uncertainty)",
            ),
            "producer_inflation_deviation": yearly(
                inflation,
                "1/year",
                "The run's drawn deviation of producer-price inflation from producer_inflation (model.uncertainty)",
            ),
        }

    def _parameter_draw_values(self) -> tuple[list[str], np.ndarray]:
        """(names, draws): each uncertain parameter's draw in standard deviations from the centre."""
        table = (
            self.kunshan_scenario.parameter_uncertainty
            or installed_parameter_uncertainty()
            or {"names": [], "covariance": []}
        )
        names = list(table["names"])
        sd = np.sqrt(np.diag(np.asarray(table["covariance"], dtype=float).reshape(len(names), len(names))))
        drawn = np.array([self.parameters.values[n] - self.centre_parameters.values[n] for n in names])
        z = np.divide(drawn, sd, out=np.zeros(len(names)), where=sd > 0)
        return names, z

    def _parameter_draw(self):
        """Each uncertain parameter's draw in standard deviations of its sampling distribution from
        the centre, after clipping to its range; 0 in a seed-only run."""
        import xarray as xr

        names, z = self._parameter_draw_values()
        return xr.DataArray(
            z,
            dims=("uncertain_parameter",),
            coords={"uncertain_parameter": names},
            attrs={
                "units": "1",
                "long_name": "The run's draw of each uncertain parameter: standard "
                "deviations of its sampling distribution from the calibrated centre (model.uncertainty)",
            },
        )
