"""Values given in Python or on the command line rather than in a file (seeds, scale, workers, an
origin, a scenario's top-level keys), checked by the same schema as a file's."""

from __future__ import annotations

import dataclasses
from typing import Any

from model.config.errors import ConfigError, _Bad
from model.config.files import observed_file, targets_file
from model.config.origins import _from_start, check_origin, default_origin_of
from model.config.render import to_toml
from model.config.schema import TOP, Key, _check_table
from model.config.values import _integer, _origin_year, _scale, _seed, _seeds
from model.scenario import Scenario

_API_KEYS = {"seed": Key(_seed), "seeds": Key(_seeds), "scale": Key(_scale), "workers": Key(_integer(1))}
_SCENARIO_FIELDS = ("start", "horizon", "seeds", "root_seed", "scale")


def check_arguments(caller: str, scenario: Any = None, prefix: str = "", **values) -> dict:
    """The arguments of a Python entry point (simulate, run_scenario) checked like a scenario file,
    so that a notebook gets the command line's one clear error instead of a quietly different run:
    seed=0.7 is not seed 0, scale=nan is no scale, a duplicate seed is not a second run.

    ``scenario``, when given, must be a Scenario whose run-wide fields pass the file's checks (one
    built by hand skips the schema). Values that are None mean "the scenario's own" and stay None;
    the others come back converted (NumPy integers to int, a seed count to its tuple of seeds).
    ConfigError is a ValueError. ``prefix`` goes before each key's name ("--" for options).
    """
    if scenario is not None:
        if not isinstance(scenario, Scenario):
            raise ConfigError(
                caller,
                "scenario",
                "a model.scenario.Scenario (see model.config.load_scenario)",
                type(scenario).__name__,
            )
        fields = _check_table({f: getattr(scenario, f) for f in _SCENARIO_FIELDS}, TOP, caller, "scenario.")
        if fields["horizon"] <= fields["start"]:
            raise ConfigError(caller, "scenario.horizon", f"a month after start {fields['start']}", fields["horizon"])
        check_origin(scenario.origin, scenario.observed, caller, "scenario.start")
    given = {k: v for k, v in values.items() if v is not None}
    checked = _check_table(
        {prefix + k: v for k, v in given.items()}, {prefix + k: _API_KEYS[k] for k in given}, caller, ""
    )
    return {**values, **{k: checked[prefix + k] for k in given}}


OVERRIDABLE = ("name", "description", "seeds", "root_seed", "scale", "uncertainty")  # keys no other key depends on


def with_overrides(scenario: Scenario, source: str = "command line", **changes) -> Scenario:
    """The scenario with some top-level keys replaced (e.g. --seeds, --scale, --origin), checked like
    a file.

    None means "keep"; the provenance text is rewritten so outputs record what was really run.
    ``origin`` moves the run's start to the January after it; ``observed`` without ``origin`` moves
    it to the new data's default origin unless the scenario named its own origin (or start).
    Policies and shocks that then start before the run's first month are ignored with a warning.
    """
    keys = {k: TOP[k] for k in OVERRIDABLE}
    given = {k: v for k, v in changes.items() if v is not None}
    observed = given.pop("observed", None)
    targets = given.pop("targets", None)
    year = given.pop("origin", None)
    checked = _check_table(given, keys, source, "--")
    if year is not None:
        try:
            year = _origin_year(year)
        except _Bad as bad:
            raise ConfigError(source, "--origin", bad.expected, year) from None
    if observed is not None:
        checked["observed"] = observed_file(str(observed), None, source, "--observed")
    if targets is not None:
        checked["targets"] = targets_file(str(targets), None, source, "--targets")
    data = checked.get("observed", scenario.observed)
    if year is None and observed is not None and not scenario.origin_given:
        year = default_origin_of(data)
    if year is not None:
        check_origin(year, data, source, "--origin")
        checked.update(start=f"{year + 1}-01", origin_given=True)
    elif observed is not None:
        check_origin(scenario.origin, data, source, "--observed")
    if not checked:
        return scenario
    updated = dataclasses.replace(scenario, **checked)
    if updated.horizon <= updated.start:
        raise ConfigError(
            source, "--origin", f"an origin before the horizon {updated.horizon} (or a later horizon)", year
        )
    if updated.start != scenario.start:
        updated = _from_start(updated)
    return dataclasses.replace(updated, source_text=to_toml(updated))
