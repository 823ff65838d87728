"""Scenario files in layers: ``extends`` resolved (the file's own folder, then the shipped
scenarios), the chain merged into one :class:`~model.scenario.Scenario` with the run's start at
its origin, and the ways to name a scenario (a shipped name, a file, TOML text)."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import Any

from model.config.errors import ConfigError, closest
from model.config.files import _read, observed_file, parse_toml, targets_file
from model.config.origins import _warn_ignored, check_origin, default_origin_of
from model.config.render import to_toml
from model.config.schema import _Layer, check_document
from model.scenario import Policy, Scenario, Shock

PACKAGED = "model.scenarios"


def _packaged(name: str):
    return resources.files(PACKAGED).joinpath(f"{name}.toml")


def _find_parent(name: str, child, file) -> Any:
    """`extends = name`: a sibling of the child file first, else a shipped scenario."""
    if isinstance(child, Path):
        sibling = child.parent / f"{name}.toml"
        if sibling.is_file():
            return sibling
    shipped = _packaged(name)
    if shipped.is_file():
        return shipped
    available = sorted(p.name[:-5] for p in resources.files(PACKAGED).iterdir() if p.name.endswith(".toml"))
    raise ConfigError(
        file,
        "extends",
        "the name of a scenario in the same folder or shipped: " + ", ".join(available),
        name,
        closest(name, available),
    )


def _identity(source) -> str:
    return str(Path(str(source)).resolve()) if isinstance(source, Path) else f"<package>/{source.name}"


def _layers(source, seen: tuple[str, ...] = ()) -> list[_Layer]:
    """The file and its ancestors, oldest first."""
    layer = check_document(_read(source), source)
    name = layer.values.get("extends")
    if name is None:
        return [layer]
    parent = _find_parent(name, source, source)
    chain = (*seen, _identity(source))
    if _identity(parent) in chain:
        raise ConfigError(
            source,
            "extends",
            "a chain of scenarios without a cycle",
            " -> ".join(Path(s).stem for s in (*chain, _identity(parent))),
        )
    return _layers(parent, chain) + [layer]


def _clip(item: dict, start: str, horizon: str) -> dict | None:
    """An inherited item fitted into a shorter run; None when none of it falls inside."""
    if "path" in item:  # an exchange-rate path is by year and simply outlasts the run
        return item
    a, b = item.get("start", start), item.get("end", horizon)
    if b < start or a > horizon:
        return None
    clipped = dict(item)
    if "start" in item:
        clipped["start"] = max(a, start)
    if "end" in item:
        clipped["end"] = min(b, horizon)
    return clipped


def merge(layers: list[_Layer], default_name: str) -> Scenario:
    """One Scenario from a chain of checked files, checking what only the whole chain can tell."""
    values: dict = {}
    origin: dict = {}
    for layer in layers:
        for key, value in layer.values.items():
            values[key], origin[key] = value, layer.file
    child = layers[-1]
    defaults = Scenario()
    observed = _observed_of(values, origin)
    start = _run_start(values, origin, observed, child.file)
    horizon = values.get("horizon", defaults.horizon)
    if horizon <= start:
        raise ConfigError(origin.get("horizon", child.file), "horizon", f"a month after start {start}", horizon)
    ignored: list[str] = []

    def items(kind: str) -> list[dict]:
        out = []
        for layer in layers:
            for key, item in getattr(layer, kind):
                if item.get("start", start) < start:
                    ignored.append(f"{Path(layer.file).name} {key} (from {item['start']})")
                    continue
                if layer is child:
                    for edge in ("start", "end"):
                        if edge in item and not start <= item[edge] <= horizon:
                            raise ConfigError(
                                layer.file, f"{key}.{edge}", f"a month within the run, {start} to {horizon}", item[edge]
                            )
                    out.append(item)
                elif (fitted := _clip(item, start, horizon)) is not None:
                    out.append(fitted)
        return out

    parameters = {k: v for layer in layers for k, v in layer.parameters.items()}
    scenario = Scenario(
        name=child.values.get("name", default_name),
        description=child.values.get("description", ""),
        start=start,
        horizon=horizon,
        seeds=values.get("seeds", defaults.seeds),
        root_seed=values.get("root_seed", defaults.root_seed),
        scale=values.get("scale", defaults.scale),
        parameters=parameters,
        policies=tuple(
            Policy(p["lever"], p["target"], p.get("start"), p.get("end"), p["size"]) for p in items("policies")
        ),
        shocks=tuple(Shock(**s) for s in items("shocks")),
        observed=observed,
        origin_given="origin" in values or "start" in values,
        targets=_targets_of(values, origin),
        uncertainty=values.get("uncertainty", defaults.uncertainty),
        parameter_uncertainty=values.get("parameter_uncertainty"),
    )
    _warn_ignored(ignored, start)
    return dataclasses.replace(scenario, source_text=to_toml(scenario))


def _run_start(values: dict, origin: dict, observed: str | None, file) -> str:
    """The run's first month: the January after the `origin` key's year, or the `start` key, or
    the January after the data's default origin; the origin checked against the data."""
    if "origin" in values:
        year, key, where = values["origin"], "origin", origin["origin"]
        if "start" in values and values["start"] != f"{year + 1}-01":
            raise ConfigError(
                where, "origin", f"the year before start {values['start']} (or set only one of origin and start)", year
            )
    elif "start" in values:
        year, key, where = int(values["start"][:4]) - 1, "start", origin["start"]
    else:
        year, key, where = default_origin_of(observed), "origin", file
    check_origin(year, observed, where, key)
    return f"{year + 1}-01"


def _observed_of(values: dict, origin: dict) -> str | None:
    """The `observed` key, resolved against the folder of the file that set it."""
    if "observed" not in values:
        return None
    file = origin["observed"]
    folder = Path(file).parent if not file.startswith("<") and Path(file).exists() else None
    return observed_file(values["observed"], folder, file)


def _targets_of(values: dict, origin: dict) -> str | None:
    """The `targets` key, resolved against the folder of the file that set it."""
    if "targets" not in values:
        return None
    file = origin["targets"]
    recorded = Path(values["targets"])
    if not file.endswith(".toml") and recorded.is_absolute() and not recorded.exists():
        # The scenario text a results folder records (annual.nc): the set itself is in the folder's
        # `targets` attribute, so compare, validate and open_results need not find the file again.
        return str(recorded)
    folder = Path(file).parent if not file.startswith("<") and Path(file).exists() else None
    return targets_file(values["targets"], folder, file)


def shipped_names() -> list[str]:
    """The names of the scenarios shipped with the package (model/scenarios/*.toml)."""
    return sorted(p.name[: -len(".toml")] for p in resources.files(PACKAGED).iterdir() if p.name.endswith(".toml"))


def named_or_file(scenario: str | Path, source: str = "command line", key: str = "SCENARIO") -> Scenario:
    """A scenario from a shipped scenario's name ("baseline", "industrial_push", ...) or a file path.
    A file wins over a shipped name when both exist: a file in the working folder is what a user
    means by a bare name that is one. An unknown name is one line listing the shipped names."""
    path = Path(scenario)
    if path.is_file() or path.suffix == ".toml" or len(path.parts) > 1:
        return load_scenario(path)
    names = shipped_names()
    if str(scenario) not in names:
        raise ConfigError(
            source,
            key,
            "a scenario file or the name of a shipped scenario: " + ", ".join(names),
            str(scenario),
            closest(scenario, names),
        )
    return scenario_from_text(_packaged(str(scenario)).read_text(encoding="utf-8"), f"<package>/{scenario}.toml")


def load_scenario(path: str | Path | None = None) -> Scenario:
    """The scenario of a file, or the shipped baseline when no file is given."""
    if path is None:
        return merge(_layers(_packaged("baseline")), "baseline")
    path = Path(path)
    return merge(_layers(path), path.stem)


def scenario_from_text(text: str, file: str = "<text>") -> Scenario:
    """A scenario from TOML text (e.g. the provenance of an earlier run); `extends` looks only at shipped files."""
    layer = check_document(parse_toml(text, file), file)
    parent = layer.values.get("extends")
    chain = _layers(_find_parent(parent, None, file)) if parent else []
    return merge(chain + [layer], "scenario")
