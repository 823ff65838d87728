"""The schema of a scenario file: one table of keys for the file, one for a policy by its lever's
kind, one per shock kind, and the check of one file against it (:func:`check_document`), before
any other file (a parent named by ``extends``) is read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from model.clusters import CLUSTER_IDS
from model.config.errors import ConfigError, _Bad, closest
from model.config.values import (
    _month,
    _name,
    _number,
    _one_of,
    _one_or_many,
    _origin_year,
    _parameter_uncertainty,
    _scale,
    _seed,
    _seeds,
    _start_month,
    _string,
    _year_path,
)
from model.params import SPECS
from model.policy import HOUSEHOLD_GROUPS, LEVERS, MARKETS, SHOCK_KINDS, SHOCK_SIZES
from model.uncertainty import MODES as UNCERTAINTY_MODES


@dataclass(frozen=True)
class Key:
    check: Callable[[Any], Any]
    required: bool = False


TOP: dict[str, Key] = {
    "name": Key(_name),
    "description": Key(_string),
    "extends": Key(_name),
    "start": Key(_start_month),
    "origin": Key(_origin_year),  # the year the economy is built at the end of; sets start to the next January
    "horizon": Key(_month),
    "seeds": Key(_seeds),
    "root_seed": Key(_seed),
    "scale": Key(_scale),
    "observed": Key(_string),  # a CSV path, relative to the file that names it; read in observed_file
    "targets": Key(_string),  # a target set (targets.toml format), relative to the file; read in targets_file
    "uncertainty": Key(_one_of(UNCERTAINTY_MODES)),  # what each run of an ensemble draws (model.uncertainty)
    "parameter_uncertainty": Key(_parameter_uncertainty),  # a calibration's [uncertainty], when not the installed one
    # tables, checked on their own below
    "parameters": Key(lambda value: value),
    "policies": Key(lambda value: value),
    "shocks": Key(lambda value: value),
}
_TABLES = ("parameters", "policies", "shocks")

_WINDOW = {"start": Key(_month), "end": Key(_month)}
_CLUSTER = Key(_one_or_many(CLUSTER_IDS, ("all",)), required=True)
_TARGET_BY_LEVER_KIND = {
    "cluster": {"target": _CLUSTER},
    "households": {"target": Key(_one_of(HOUSEHOLD_GROUPS), required=True)},
    "villages": {},
    "economy": {},
}


def _size(kind: str) -> Key:
    """Shock sizes: the range of what each kind can mean (model.policy.SHOCK_SIZES)."""
    return Key(_number(*SHOCK_SIZES[kind]), required=True)


SHOCK_KEYS: dict[str, dict[str, Key]] = {
    "export_demand": {
        "market": Key(_one_of(MARKETS, ("all",)), required=True),
        "cluster": _CLUSTER,
        **_WINDOW,
        "size": _size("export_demand"),
    },
    "lockdown": {**_WINDOW, "size": _size("lockdown")},
    "relocation": {"cluster": _CLUSTER, **_WINDOW, "size": _size("relocation")},
    "foreign_entry_stop": {**_WINDOW, "size": _size("foreign_entry_stop")},
    "exchange_rate": {"path": Key(_year_path, required=True)},
    "price": {"cluster": _CLUSTER, **_WINDOW, "size": _size("price")},
    "price_level": {"cluster": _CLUSTER, **_WINDOW, "size": _size("price_level")},
}


def _policy_keys(lever: str) -> dict[str, Key]:
    spec = LEVERS[lever]
    return {**_TARGET_BY_LEVER_KIND[spec.targets], **_WINDOW, "size": Key(_number(spec.low, spec.high), required=True)}


def _check_table(table: dict, keys: dict[str, Key], file, prefix: str) -> dict:
    out = {}
    for key, value in table.items():
        if key not in keys:
            raise ConfigError(file, prefix + key, "one of " + ", ".join(keys), hint=closest(key, keys))
        try:
            out[key] = keys[key].check(value)
        except _Bad as bad:
            raise ConfigError(file, prefix + key, bad.expected, value, bad.hint) from None
    for key, spec in keys.items():
        if spec.required and key not in table:
            raise ConfigError(file, prefix + key, "this key to be set (it is required)")
    return out


def _array_of_tables(value, file, key):
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(file, key, f"an array of tables, written [[{key}]]", value)
    return value


def _selector(table: dict, file, prefix: str, key: str, choices: dict) -> str:
    """The key that decides which other keys are allowed (a policy's lever, a shock's kind)."""
    if key not in table:
        typo = closest(key, table)
        if typo:
            raise ConfigError(file, prefix + typo, "a known key", hint=key)
        raise ConfigError(file, prefix + key, "this key to be set (it is required)")
    value = table[key]
    if not isinstance(value, str) or value not in choices:
        raise ConfigError(file, prefix + key, "one of " + ", ".join(choices), value, closest(value, choices))
    return value


def _policy(table: dict, file, where: str) -> list[dict]:
    lever = _selector(table, file, where, "lever", LEVERS)
    rest = _check_table({k: v for k, v in table.items() if k != "lever"}, _policy_keys(lever), file, where)
    _check_window(rest, file, where)
    targets = rest.pop("target", (None,))
    targets = targets if isinstance(targets, tuple) else (targets,)
    return [{"lever": lever, "target": t, **rest} for t in targets]


def _shock(table: dict, file, where: str) -> list[dict]:
    kind = _selector(table, file, where, "kind", SHOCK_KINDS)
    rest = _check_table({k: v for k, v in table.items() if k != "kind"}, SHOCK_KEYS[kind], file, where)
    _check_window(rest, file, where)
    clusters = rest.pop("cluster", (None,))
    return [{"kind": kind, "cluster": c, **rest} for c in clusters]


def _check_window(item: dict, file, where: str) -> None:
    if "start" in item and "end" in item and item["end"] < item["start"]:
        raise ConfigError(file, where + "end", f"a month not before start {item['start']}", item["end"])


def check_numbers(table, file, section: str, specs: dict, unknown: str) -> dict[str, float]:
    """A table ``[section]`` of name = number: every name one of ``specs`` (else ``unknown`` is what
    was expected), every number within its spec's low and high, and in its unit if it has one."""
    if not isinstance(table, dict):
        raise ConfigError(file, section, f"a table, written [{section}]", table)
    out = {}
    for name, value in table.items():
        if name not in specs:
            raise ConfigError(file, f"{section}.{name}", unknown, hint=closest(name, specs))
        spec = specs[name]
        try:
            out[name] = _number(spec.low, spec.high)(value)
        except _Bad as bad:
            unit = getattr(spec, "unit", None)
            raise ConfigError(file, f"{section}.{name}", bad.expected + (f" ({unit})" if unit else ""), value) from None
    return out


def check_parameters(table, file) -> dict[str, float]:
    """A ``[parameters]`` table: SPECS entries, each in its range."""
    return check_numbers(table, file, "parameters", SPECS, "a parameter of model/params.py")


@dataclass(frozen=True)
class _Layer:
    """One file's checked content; policies and shocks are (key, item) so later errors name their origin."""

    file: str
    values: dict
    parameters: dict
    policies: list
    shocks: list


def check_document(doc: dict, file) -> _Layer:
    """Everything that can be checked within one file, before any other file is read."""
    file = str(file)
    values = {k: v for k, v in _check_table(doc, TOP, file, "").items() if k not in _TABLES}
    parameters = check_parameters(doc.get("parameters", {}), file)
    policies, shocks = [], []
    for n, table in enumerate(_array_of_tables(doc.get("policies", []), file, "policies"), start=1):
        policies += [(f"policies[{n}]", p) for p in _policy(table, file, f"policies[{n}].")]
    for n, table in enumerate(_array_of_tables(doc.get("shocks", []), file, "shocks"), start=1):
        shocks += [(f"shocks[{n}]", s) for s in _shock(table, file, f"shocks[{n}].")]
    return _Layer(file, values, parameters, policies, shocks)
