"""Reading scenario files: one schema, one error type, and `extends` resolved into a single Scenario.

A scenario file is TOML. Everything a user can get wrong is caught here, before any simulation
starts, and reported as one line naming the file, the key and what was expected, so that a typo
in a forty-minute run costs a second, not forty minutes. Keys of array tables are written
``policies[n]`` with ``n`` counting the ``[[policies]]`` blocks of the file from 1, as an author
counts them.

``extends = "name"`` takes the scenario ``name`` from the file's own folder, else from the shipped
scenarios (``model/scenarios/``, package data, so the baseline is found after ``pip install .``).
Merging: scalars of the child replace the parent's, ``[parameters]`` merge key by key, and the
child's policies and shocks are added to the parent's; inherited ones falling outside the child's
run window are clipped to it or dropped. The merged scenario is rendered back to TOML as
``Scenario.source_text``, the provenance written into every output; it reads back to the same
Scenario.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import numbers
import re
import stat
import tomllib
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from model.clusters import CLUSTER_IDS
from model.months import is_month
from model.params import SPECS
from model.policy import HOUSEHOLD_GROUPS, LEVERS, MARKETS, SHOCK_KINDS, SHOCK_SIZES
from model.scenario import Policy, Scenario, Shock
from model.uncertainty import MODES as UNCERTAINTY_MODES
from model.uncertainty import check_parameter_uncertainty

FIRST_MONTH = "2022-01"  # the first month of a run from the default origin (end of 2021, shipped data)
LAST_MONTH = "2035-12"
# The earliest month a scenario may name: before any origin the model can be built at from plausible
# data (the shipped data allow 2020-2022; a user's file may go back further).
EARLIEST_MONTH = "2000-01"
PACKAGED = "model.scenarios"
# Seeds are written as netCDF int64 coordinates and attributes; a larger one cannot be stored
# exactly (it turns into a float, or the write fails after every simulation has run).
MAX_SEED = 2**63 - 1
# More seeds than this is a sweep's job; the cap keeps `seeds = 10**12` from exhausting memory
# just by listing them. Whether a smaller count fits the machine is model.runner's estimate.
MAX_SEEDS = 100_000
# Below a thousandth of Kunshan (about 1,000 households and 2,000 persons for 13 clusters and 168
# villages) some clusters have no worker and the end-2021 economy cannot be built (it failed at
# 0.00001 with NaN pay scales), and what can be built is mostly sampling noise.
MIN_SCALE = 0.001


class _Nothing:
    """ "No value given" for ConfigError; pickled by name so that it survives a worker process."""

    def __reduce__(self):
        return "_NOTHING"


_NOTHING = _Nothing()


class ConfigError(ValueError):
    """Bad user input, said in one line: which file, which key, what was expected, what was found."""

    def __init__(self, file: str | Path, key: str | None, expected: str, got: Any = _NOTHING, hint: str | None = None):
        self.file, self.key, self.expected, self.got, self.hint = str(file), key, expected, got, hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: key '{self.key}'" if self.key else self.file
        text = f"{where}: expected {self.expected}"
        if self.got is not _NOTHING:
            text += f"; got {self.got!r}"
        if self.hint:
            text += f" (did you mean '{self.hint}'?)"
        return " ".join(text.split())  # one line whatever the input held

    def __reduce__(self):
        """Errors raised in a worker process (`--workers N`) are pickled back to the parent."""
        return _rebuild_error, (type(self), self.__dict__.copy())


def _rebuild_error(cls: type, fields: dict) -> ConfigError:
    error = cls.__new__(cls)
    error.__dict__.update(fields)
    Exception.__init__(error, str(error))
    return error


class _Bad(Exception):
    """A value check failed; the caller knows the file and key and turns this into ConfigError."""

    def __init__(self, expected: str, hint: str | None = None):
        self.expected, self.hint = expected, hint


def closest(word: Any, choices) -> str | None:
    found = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return found[0] if found else None


# --- value checks: each returns the converted value or raises _Bad(expected)


def _string(value):
    if not isinstance(value, str):
        raise _Bad("a string")
    return value


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _name(value):
    """Names become folder names under results/, so nothing that could climb out of it."""
    if not isinstance(value, str) or not _NAME.fullmatch(value) or value.endswith(".toml"):
        raise _Bad("a scenario name of letters, digits, '_', '-' or '.' (no path, no .toml)")
    return value


def _month(value):
    if not is_month(value):
        raise _Bad('a month as a string "YYYY-MM"')
    if not EARLIEST_MONTH <= value <= LAST_MONTH:
        raise _Bad(f"a month from {EARLIEST_MONTH} to {LAST_MONTH}")
    return value


def _start_month(value):
    """A run starts in the January after its origin: the economy is built as it stood at the end of
    the year before ``start`` (the origin), from the data up to that year.

    Whether the data allow that origin is checked with the data (check_origin), once the scenario's
    observed file is known.
    """
    value = _month(value)
    if not value.endswith("-01"):
        raise _Bad('a January, "YYYY-01" (the economy starts from the end of the year before, its origin)')
    return value


def _origin_year(value):
    """`origin = YEAR`: the run starts from the end of YEAR (its first month is the next January)."""
    low, high = int(EARLIEST_MONTH[:4]), int(LAST_MONTH[:4]) - 1
    if not _is_int(value) or not low <= value <= high:
        raise _Bad(f"a year from {low} to {high} (the run starts from the end of it)")
    return int(value)


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


def _number(low: float = -math.inf, high: float = math.inf, low_open: bool = False):
    left = "(" if low_open else "["

    def check(value):
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not is_number or value < low or (low_open and value == low) or value > high:
            raise _Bad(f"a number in {left}{low}, {high}]")
        return float(value)

    return check


def _is_int(value) -> bool:
    """An integer (NumPy's too), not a bool and not a float that happens to be whole (0.7 is not seed 0)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _integer(low: int = 0, high: int | None = None):
    def check(value):
        if not _is_int(value) or value < low or (high is not None and value > high):
            raise _Bad(f"an integer >= {low}" if high is None else f"an integer from {low} to {high}")
        return value

    return check


def _seed(value):
    if not _is_int(value) or not 0 <= value <= MAX_SEED:
        raise _Bad("an integer from 0 to 2**63 - 1")
    return int(value)


def _seeds(value):
    expected = (
        f"a count of seeds (integer from 1 to {MAX_SEEDS:,}) or a list of at most {MAX_SEEDS:,} "
        "distinct integers from 0 to 2**63 - 1"
    )
    if _is_int(value) and 1 <= value <= MAX_SEEDS:
        return tuple(range(value))
    if (
        isinstance(value, (list, tuple))
        and 0 < len(value) <= MAX_SEEDS
        and all(_is_int(v) and 0 <= v <= MAX_SEED for v in value)
        and len(set(value)) == len(value)
    ):
        return tuple(int(v) for v in value)
    raise _Bad(expected)


def _scale(value):
    """Agents per real firm and household: a share of Kunshan, from MIN_SCALE to all of it."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and math.isfinite(value)
    if not is_number or not 0.0 < value <= 1.0:
        raise _Bad("a number in (0.0, 1.0]")
    if value < MIN_SCALE:
        raise _Bad(
            f"a scale of at least {MIN_SCALE} (about 1,000 households: below it some clusters have no "
            "worker and no end-2021 economy can be built)"
        )
    return float(value)


def _one_of(choices, extra: tuple[str, ...] = ()):
    allowed = tuple(extra) + tuple(choices)

    def check(value):
        if value not in allowed:
            raise _Bad("one of " + ", ".join(allowed), closest(value, allowed))
        return value

    return check


def _parameter_uncertainty(value):
    checked, expected = check_parameter_uncertainty(value)
    if checked is None:
        raise _Bad(expected)
    return checked


def _one_or_many(choices, extra: tuple[str, ...] = ()):
    """A cluster id, "all", or a list of ids: a list becomes one policy or shock per id."""
    one = _one_of(choices, extra)

    def check(value):
        if not isinstance(value, list):
            return (one(value),)
        if not value or len(set(map(str, value))) < len(value):
            raise _Bad("a non-empty list of distinct cluster ids")
        return tuple(one(v) for v in value)

    return check


def _year_path(value):
    low, high = int(EARLIEST_MONTH[:4]), int(LAST_MONTH[:4])
    expected = f"a table of year = CNY per USD, years {low} to {high}, rates in (0, 50]"
    if not isinstance(value, dict) or not value:
        raise _Bad(expected)
    path = {}
    for year, rate in value.items():
        if not (re.fullmatch(r"\d{4}", year) and low <= int(year) <= high):
            raise _Bad(expected)
        path[int(year)] = _number(0.0, 50.0, low_open=True)(rate)
    return dict(sorted(path.items()))


# --- the schema: one table of keys for the file, one for a policy, one per shock kind


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


def check_parameters(table, file) -> dict[str, float]:
    if not isinstance(table, dict):
        raise ConfigError(file, "parameters", "a table, written [parameters]", table)
    out = {}
    for name, value in table.items():
        if name not in SPECS:
            raise ConfigError(file, f"parameters.{name}", "a parameter of model/params.py", hint=closest(name, SPECS))
        spec = SPECS[name]
        try:
            out[name] = _number(spec.low, spec.high)(value)
        except _Bad as bad:
            raise ConfigError(file, f"parameters.{name}", f"{bad.expected} ({spec.unit})", value) from None
    return out


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


# --- reading files and resolving `extends`

MAX_INPUT_BYTES = 16 * 2**20  # a scenario is a few kilobytes; anything this big is not one


def read_input(source, what: str = "scenario file") -> bytes:
    """The bytes of an input file, refusing what is not a regular file before opening it: a FIFO
    would block the command forever waiting for a writer, a device might never end."""
    expected = f"a readable UTF-8 {what}"
    if isinstance(source, Path):
        try:
            info = source.stat()
        except OSError as err:
            raise ConfigError(source, None, expected, err.strerror or str(err)) from None
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a FIFO, socket or device)"
            raise ConfigError(source, None, expected, kind)
        if info.st_size > MAX_INPUT_BYTES:
            raise ConfigError(
                source, None, f"{expected} of at most {MAX_INPUT_BYTES // 2**20} MB", f"{info.st_size / 2**20:.0f} MB"
            )
    try:
        return source.read_bytes()
    except OSError as err:
        raise ConfigError(source, None, expected, err.strerror or str(err)) from None


def parse_toml(text: str, file) -> dict:
    """TOML text parsed, with malformed or pathologically nested text as bad input of ``file``."""
    if not isinstance(text, str):
        raise ConfigError(file, None, "TOML text (a str)", type(text).__name__)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(file, None, "valid TOML", str(err)) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(file, None, "TOML without arrays or tables nested hundreds deep") from None


def _read(source) -> dict:
    """The parsed TOML of a path or packaged resource; a missing, unreadable or malformed file is bad input."""
    data = read_input(source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(source, None, "a readable UTF-8 scenario file", str(err)) from None
    return parse_toml(text, source)


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


def observed_file(value: str, relative_to: Path | None, file, key: str = "observed") -> str:
    """The resolved path of an observed-data CSV (--observed, scenario key `observed`), read and checked
    now so that a bad file is one line before anything runs."""
    from model.data.observed import BadObservedFile, read_observations

    path = Path(value) if relative_to is None else relative_to / value
    try:
        read_observations(path)
    except OSError as err:
        raise ConfigError(
            file,
            key,
            "a readable observed-data CSV (the format of model/data/observed_kunshan.csv)",
            f"{value}: {err.strerror or err}",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(file, key, "a UTF-8 observed-data CSV", value) from None
    except BadObservedFile as bad:
        raise ConfigError(path, bad.column, bad.expected, bad.got) from None
    return str(path.resolve())


def targets_file(value: str, relative_to: Path | None, file, key: str = "targets") -> str:
    """The resolved path of a user's target set (--targets, scenario key `targets`), read and checked
    now so that a bad file is one line before anything runs."""
    from model.targets import read_targets

    path = Path(value) if relative_to is None else relative_to / value
    if not path.exists():
        raise ConfigError(file, key, "an existing target set file (the format of model/data/targets.toml)", value)
    read_targets(path)
    return str(path.resolve())


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


# --- writing TOML back: just the types a scenario holds


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_key(key) -> str:
    key = str(key)
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def _toml_table(fields: dict) -> list[str]:
    return [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in fields.items() if v is not None and v != {}]


def to_toml(scenario: Scenario) -> str:
    """The scenario as a self-contained TOML file (no `extends`): what exactly was simulated."""
    top = {
        f: getattr(scenario, f)
        for f in (
            "name",
            "description",
            "start",
            "horizon",
            "seeds",
            "root_seed",
            "scale",
            "observed",
            "targets",
            "uncertainty",
        )
    }
    top["seeds"] = list(top["seeds"])
    lines = _toml_table(top)
    if scenario.parameter_uncertainty:
        table = scenario.parameter_uncertainty
        lines += [
            "",
            "[parameter_uncertainty]",
            *_toml_table({"names": list(table["names"]), "method": table["method"]}),
            "covariance = [",
            *(f"  {_toml_value([float(v) for v in row])}," for row in table["covariance"]),
            "]",
        ]
    if scenario.parameters:
        lines += ["", "[parameters]", *_toml_table(dict(sorted(scenario.parameters.items())))]
    for policy in scenario.policies:
        lines += ["", "[[policies]]", *_toml_table(dataclasses.asdict(policy))]
    for shock in scenario.shocks:
        fields = dataclasses.asdict(shock)
        if shock.kind == "exchange_rate":
            fields.pop("size")
        lines += ["", "[[shocks]]", *_toml_table(fields)]
    return "\n".join(lines) + "\n"
