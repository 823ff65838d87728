"""Where a run starts: the origin years the observed data allow building the economy at, the
default one, and the policies and shocks a run ignores because they start before its first month."""

from __future__ import annotations

import dataclasses
import functools
import warnings

from model.config.errors import ConfigError
from model.scenario import Scenario


class OriginWarning(UserWarning):
    """Policies or shocks of a scenario that start before the run's first month were ignored."""


@functools.lru_cache(maxsize=16)
def _origins_of(observed: str | None) -> tuple[tuple[int, ...], int]:
    """(the years the initial state can be built at, the default origin) of an observed-data file
    (None: the shipped data)."""
    from model.data.derive import buildable_origins, default_origin
    from model.data.observed import observations, read_observations

    rows = observations() if observed is None else read_observations(observed)
    years = tuple(buildable_origins(rows))
    return years, (default_origin(rows) if years else 0)


def default_origin_of(observed: str | None) -> int:
    """The origin a run starts from when neither its scenario nor the command line names one: the
    latest year the data allow in which every level the initial state reproduces is observed
    (model.data.derive.default_origin; 2021 for the shipped data)."""
    years, default = _origins_of(observed)
    if not years:
        raise ConfigError(
            observed or "model/data/observed_kunshan.csv",
            None,
            "observed data from which the initial state can be built at the end of some year (docs/DATA.md)",
        )
    return default


def check_origin(year: int, observed: str | None, file, key: str) -> int:
    """The origin if the data allow building the economy at its end; else one line listing the years
    they do allow."""
    years, _ = _origins_of(observed)
    if year not in years:
        data = "the shipped data" if observed is None else observed
        allowed = ", ".join(map(str, years)) or "none"
        raise ConfigError(
            file,
            key,
            f"an origin year at whose end {data} allow building the economy ({allowed}); a start in the January after one",
            year,
        )
    return year


def _warn_ignored(ignored: list[str], start: str) -> None:
    """Policies and shocks that start before the run's first month are ignored, with one warning:
    what they did up to the origin is in the observed data the economy is built from, and a level
    shock continued past the origin would count twice. (README: "Origin".)"""
    if ignored:
        warnings.warn(
            OriginWarning(
                f"ignored {len(ignored)} policies and shocks that start before the run's first month {start} "
                f"(the origin {int(start[:4]) - 1} is built from observed data that hold their effect): "
                + ", ".join(ignored)
            ),
            stacklevel=3,
        )


def _from_start(scenario: Scenario) -> Scenario:
    """The scenario's policies and shocks that start before its first month, ignored with a warning."""
    start = scenario.start
    early = lambda item: item.start is not None and item.start < start  # noqa: E731
    ignored = [
        f"{kind}[{n}] (from {item.start})"
        for kind in ("policies", "shocks")
        for n, item in enumerate(getattr(scenario, kind), start=1)
        if early(item)
    ]
    _warn_ignored(ignored, start)
    return dataclasses.replace(
        scenario,
        policies=tuple(p for p in scenario.policies if not early(p)),
        shocks=tuple(s for s in scenario.shocks if not early(s)),
    )
