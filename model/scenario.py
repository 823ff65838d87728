"""What a scenario is, once read and validated (see :mod:`model.config` for reading TOML files)."""

from __future__ import annotations

from dataclasses import dataclass, field

from model.months import months_between


@dataclass(frozen=True)
class Policy:
    lever: str
    target: str | None  # cluster id, "all", a household group, or None for economy-wide levers
    start: str | None  # "YYYY-MM"; None = from the start
    end: str | None  # "YYYY-MM"; None = to the horizon
    size: float


@dataclass(frozen=True)
class Shock:
    kind: str
    market: str | None = None
    cluster: str | None = None
    start: str | None = None
    end: str | None = None
    size: float = 0.0
    path: dict = field(default_factory=dict)  # exchange_rate: {year: CNY per USD}


@dataclass(frozen=True)
class Scenario:
    name: str = "baseline"
    description: str = ""
    start: str = "2022-01"
    horizon: str = "2025-12"
    seeds: tuple[int, ...] = tuple(range(10))
    root_seed: int = 20221122
    scale: float = 0.02
    parameters: dict = field(default_factory=dict)
    policies: tuple[Policy, ...] = ()
    shocks: tuple[Shock, ...] = ()
    observed: str | None = None  # observed-data CSV the initial state is built from; None = the shipped one
    # Whether the origin (start) was named (a file's `origin` or `start`, --origin) rather than the
    # observed data's default: --observed then moves only a default origin. Not written to TOML.
    origin_given: bool = field(default=True, compare=False)
    targets: str | None = None  # a target set in the format of targets.toml to judge the run by; None = the article's
    # "full": each run draws its parameters and exogenous path (model.uncertainty); "seeds": the seed only
    uncertainty: str = "full"
    # The parameters' sampling covariance the runs draw from ({names, covariance, method}, as in a
    # calibration file's [uncertainty]); None: the installed calibration's.
    parameter_uncertainty: dict | None = None
    source_text: str = ""  # the scenario as TOML, after `extends` is resolved: provenance

    @property
    def origin(self) -> int:
        """The year at whose end the economy is built: the year before the first simulated January
        (the scenario key `origin` and --origin set ``start`` to that January)."""
        return int(self.start[:4]) - 1

    @property
    def n_months(self) -> int:
        return months_between(self.start, self.horizon) + 1
