"""Experiment files: which scenario inputs a sweep varies, over what design, with how many seeds.

An experiment is read once, validated completely and frozen, so that a sweep either starts with
everything it needs or refuses before writing anything. Its fingerprint covers exactly what
determines the runs' results, so that ``--resume`` can refuse a folder made by another experiment
while a reworded description or a different bootstrap setting does not invalidate finished runs.
See ``docs/sweeps.md`` for the file format.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import stat
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from model.config import FIRST_MONTH, LAST_MONTH, MIN_SCALE, ConfigError, load_scenario
from model.digest import code_digest
from model.months import is_month, month_number
from model.params import SPECS
from model.policy import HOUSEHOLD_GROUPS, LEVERS
from model.scenario import Policy, Scenario
from model.sweep.sensitivity import MIN_SOBOL_SAMPLES

DESIGNS = ("grid", "random", "lhs", "sobol")
FORMAT_VERSION = 2  # bump when the run files, the seeding or how inputs apply change meaning (2: windows)
# Keys of the record that do not change any run's numbers (left out of the fingerprint).
NOT_DETERMINING = frozenset({"name", "description", "path", "base", "confidence", "bootstrap"})

_TOP_LEVEL_KEYS = {
    "name",
    "description",
    "base",
    "design",
    "seeds",
    "root_seed",
    "scale",
    "horizon",
    "outputs",
    "samples",
    "grid_levels",
    "common_random_numbers",
    "second_order",
    "confidence",
    "bootstrap",
    "input",
}
_INPUT_KEYS = {"vary", "name", "target", "start", "end", "range", "levels"}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # as a scenario's name (model/config/values.py)
MAX_NAME_LENGTH = 100
# The smallest scale a run can build (model.config.MIN_SCALE), in the words of a refusal.
_MIN_SCALE_EXPECTED = (
    f"a scale of at least {MIN_SCALE} (about 1,000 households: below it some clusters have no "
    "worker and no end-2021 economy can be built)"
)
# Seeds are stored as netCDF int64; more seeds a point than this is not a sweep a machine can run.
MAX_SEED = 2**63 - 1
MAX_SEEDS = 100_000
MAX_BOOTSTRAP = 100_000
MAX_FILE_BYTES = 1 << 20  # an experiment file is a few kilobytes


class ExperimentError(ConfigError):
    """Bad sweep input (experiment file, options, output folder), as one line: file, key, expectation.

    A ConfigError, so that whatever catches bad scenario input catches this too; it carries a
    ready message because not every sweep error is about one key of one file.
    """

    def __init__(self, message: str):
        Exception.__init__(self, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Input:
    """One varied scenario input: a behavioural parameter or a policy lever's size."""

    name: str  # coordinate name in sweep.nc and column in summary.csv
    kind: str  # "parameters" or "policy"
    key: str  # the parameter's or the lever's name
    low: float
    high: float
    levels: tuple[float, ...] | None = None  # discrete levels; None = continuous range [low, high]
    target: str | None = None  # policy only
    start: str | None = None
    end: str | None = None

    @property
    def vary(self) -> str:
        return f"{self.kind}.{self.key}"

    def apply(self, scenario: Scenario, value: float) -> Scenario:
        """Scenario with this input set to ``value``.

        A policy input replaces the lever (same lever and target) over its own window only: the
        base scenario's policies are cut out of that window and kept outside it, so that the
        coordinate in the results is the lever's whole size while the input applies, not an
        increment on an unseen base, and two inputs on one lever with disjoint windows both apply.
        """
        if self.kind == "parameters":
            return dataclasses.replace(scenario, parameters={**scenario.parameters, self.key: float(value)})
        first, last = self.window(scenario.start, scenario.horizon)
        kept: list[Policy] = []
        for p in scenario.policies:
            if p.lever != self.key or p.target != self.target:
                kept.append(p)
                continue
            p_first = month_number(p.start or scenario.start)
            p_last = month_number(p.end or scenario.horizon)
            if p_first < first:  # the part before this input's window
                kept.append(dataclasses.replace(p, end=_month_text(min(p_last, first - 1))))
            if p_last > last:  # the part after it
                kept.append(dataclasses.replace(p, start=_month_text(max(p_first, last + 1))))
        policy = Policy(lever=self.key, target=self.target, start=self.start, end=self.end, size=float(value))
        return dataclasses.replace(scenario, policies=tuple(kept) + (policy,))

    def window(self, start: str, horizon: str) -> tuple[int, int]:
        """First and last month (as month numbers) a policy input applies in a run from start to horizon."""
        return month_number(self.start or start), month_number(self.end or horizon)


@dataclass(frozen=True)
class Experiment:
    name: str
    description: str
    path: Path
    base: str
    base_scenario: Scenario
    inputs: tuple[Input, ...]
    design: str
    samples: int | None  # random/lhs: points; sobol: base sample N (points = N * (D + 2))
    grid_levels: int  # grid: levels of an input given as a range
    seeds: int  # runs per point
    root_seed: int
    scale: float
    horizon: str
    outputs: tuple[str, ...]
    common_random_numbers: bool  # same seed stream at every point (paired comparisons)
    second_order: bool  # sobol: also second-order indices (more runs)
    confidence: float  # sobol: level of the bootstrap confidence intervals
    bootstrap: int  # sobol: bootstrap resamples
    source_text: str

    def scenario_at(self, values) -> Scenario:
        scenario = dataclasses.replace(self.base_scenario, horizon=self.horizon, scale=self.scale)
        for inp, value in zip(self.inputs, values):
            scenario = inp.apply(scenario, value)
        return scenario

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)

    def fingerprint(self) -> str:
        """Hash of what determines the runs' results (not the wording, not the analysis settings)."""
        # everything that decides the runs' numbers: the description less its free text and
        # presentation settings, plus the format and the model's code
        determining = {k: v for k, v in self._record().items() if k not in NOT_DETERMINING}
        determining.update(format=FORMAT_VERSION, model_code=code_digest(), base_scenario=repr(self.base_scenario))
        return hashlib.sha256(json.dumps(determining, sort_keys=True).encode()).hexdigest()

    def describe(self) -> dict:
        """Plain-data record of the experiment, stored beside its results for provenance."""
        return {**self._record(), "fingerprint": self.fingerprint()}

    def _record(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "path": str(self.path),
            "base": self.base,
            "inputs": [dataclasses.asdict(i) for i in self.inputs],
            "design": self.design,
            "samples": self.samples,
            "grid_levels": self.grid_levels,
            "seeds": self.seeds,
            "root_seed": self.root_seed,
            "scale": self.scale,
            "horizon": self.horizon,
            "outputs": list(self.outputs),
            "common_random_numbers": self.common_random_numbers,
            "second_order": self.second_order,
            "confidence": self.confidence,
            "bootstrap": self.bootstrap,
        }


def load_experiment(
    path: str | Path, *, seeds: int | None = None, scale: float | None = None, scenario_loader=None
) -> Experiment:
    """Read and validate an experiment file; ``seeds``/``scale`` override the file (CLI options).

    ``scenario_loader(base, experiment_dir) -> Scenario`` resolves ``base``; the default uses
    :mod:`model.config`.
    """
    path = Path(path)
    where = str(path)
    text = _read_text(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ExperimentError(f"{where}: not valid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ExperimentError(
            f"{where}: expected an experiment file; got arrays or tables nested too deeply to read"
        ) from None
    check = _Checker(where)
    unknown = sorted(set(raw) - _TOP_LEVEL_KEYS)
    if unknown:
        check.fail(unknown[0], f"one of {sorted(_TOP_LEVEL_KEYS)}", "an unknown key")

    name = check.string(raw, "name", default=path.stem)
    if not (_NAME.fullmatch(name) and len(name) <= MAX_NAME_LENGTH):
        # the name becomes a folder under results/sweeps: nothing that could climb out of it
        check.fail(
            "name", f"a name of letters, digits, '_', '-' or '.' (no path), at most {MAX_NAME_LENGTH} characters", name
        )
    description = check.string(raw, "description", default="")
    base = check.string(raw, "base", default="baseline")
    design = check.choice(raw, "design", DESIGNS, default="grid")
    n_seeds = check.positive_int(raw, "seeds", default=1, high=MAX_SEEDS) if seeds is None else seeds
    if not isinstance(n_seeds, int) or isinstance(n_seeds, bool) or not 1 <= n_seeds <= MAX_SEEDS:
        raise ExperimentError(f"--seeds: expected an integer from 1 to {MAX_SEEDS:,}; got {n_seeds!r}")
    root_seed = check.integer(raw, "root_seed", default=None, high=MAX_SEED)
    if scale is None:
        run_scale = check.positive_float(raw, "scale", default=None)
        if run_scale is not None and run_scale > 1:
            check.fail("scale", "a share of the full population in (0, 1]", run_scale)
        if run_scale is not None and run_scale < MIN_SCALE:
            check.fail("scale", _MIN_SCALE_EXPECTED, run_scale)
    elif _is_number(scale) and 0 < scale <= 1:
        run_scale = float(scale)
        if run_scale < MIN_SCALE:
            raise ExperimentError(f"--scale: expected {_MIN_SCALE_EXPECTED}; got {scale!r}")
    else:
        raise ExperimentError(f"--scale: expected a number in (0, 1]; got {scale!r}")
    horizon = check.year_month(raw, "horizon", default=None)
    samples = check.positive_int(raw, "samples", default=None)
    grid_levels = check.positive_int(raw, "grid_levels", default=5)
    crn = check.boolean(raw, "common_random_numbers", default=False)
    second_order = check.boolean(raw, "second_order", default=False)
    confidence = check.positive_float(raw, "confidence", default=0.95)
    if not confidence < 1:
        check.fail("confidence", "a level in (0, 1)", confidence)
    bootstrap = check.positive_int(raw, "bootstrap", default=1000, high=MAX_BOOTSTRAP)

    inputs = _read_inputs(raw.get("input", []), check, design)
    if design in ("random", "lhs", "sobol") and samples is None:
        check.fail("samples", f"a positive integer (number of samples for design {design!r})", "nothing")
    if design == "sobol":
        if len(inputs) < 2:
            check.fail("input", "at least two inputs for a Sobol design", f"{len(inputs)}")
        if samples & (samples - 1) or samples < MIN_SOBOL_SAMPLES:
            check.fail(
                "samples",
                f"a power of two of at least {MIN_SOBOL_SAMPLES} for a Sobol design (with fewer "
                "base samples the bootstrap cannot give the indices a confidence interval)",
                samples,
            )
    if design != "grid" and not inputs:
        check.fail("input", f"at least one input for design {design!r}", "none")

    outputs = _read_outputs(raw, check)

    loader = scenario_loader or resolve_base_scenario
    try:
        base_scenario = loader(base, path.parent)
    except ExperimentError:
        raise
    except ConfigError as exc:  # the scenario file's own one-line message names its file and key
        raise ExperimentError(str(exc)) from None
    except (OSError, ValueError, KeyError) as exc:
        check.fail("base", "a readable scenario", f"{base} ({exc})")
    if horizon is None:
        horizon = base_scenario.horizon
    else:  # checked like a scenario's horizon
        if not FIRST_MONTH <= horizon <= LAST_MONTH:
            check.fail("horizon", f"a month from {FIRST_MONTH} to {LAST_MONTH}", horizon)
        if horizon <= base_scenario.start:
            check.fail("horizon", f"a month after start {base_scenario.start} of the base scenario", horizon)
    _check_windows(inputs, base_scenario.start, horizon, check)
    return Experiment(
        name=name,
        description=description,
        path=path,
        base=base,
        base_scenario=base_scenario,
        inputs=inputs,
        design=design,
        samples=samples,
        grid_levels=grid_levels,
        seeds=n_seeds,
        root_seed=base_scenario.root_seed if root_seed is None else root_seed,
        scale=float(base_scenario.scale if run_scale is None else run_scale),
        horizon=horizon,
        outputs=outputs,
        common_random_numbers=crn,
        second_order=second_order,
        confidence=confidence,
        bootstrap=bootstrap,
        source_text=text,
    )


def _read_text(path: Path) -> str:
    """The experiment file's text; anything but a readable regular UTF-8 file is refused (a FIFO
    would block forever waiting for a writer)."""
    where = str(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise ExperimentError(f"{where}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a FIFO, socket or device)"
        raise ExperimentError(f"{where}: expected an experiment file (TOML); got {kind}")
    if info.st_size > MAX_FILE_BYTES:
        raise ExperimentError(
            f"{where}: expected an experiment file of at most {MAX_FILE_BYTES >> 20} MB; "
            f"got {info.st_size / 2**20:.0f} MB"
        )
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ExperimentError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ExperimentError(f"{where}: expected an experiment file in UTF-8; got other bytes") from None


def resolve_base_scenario(base: str, experiment_dir: Path) -> Scenario:
    """A scenario given by name (the experiment's folder, then the shipped scenarios, then
    ``./scenarios``) or by a path relative to the experiment file."""
    if base.endswith(".toml") or "/" in base:
        candidates = [experiment_dir / base]
    else:
        shipped = resources.files("model.scenarios").joinpath(f"{base}.toml")
        candidates = [experiment_dir / f"{base}.toml", Path(str(shipped)), Path.cwd() / "scenarios" / f"{base}.toml"]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise ExperimentError(
            f"{experiment_dir}: key 'base': expected a scenario name or file; got {base!r} "
            f"(looked for {', '.join(str(c) for c in candidates)})"
        )
    return load_scenario(found)


def _read_inputs(raw_inputs, check: _Checker, design: str) -> tuple[Input, ...]:
    if not isinstance(raw_inputs, list) or not all(isinstance(r, dict) for r in raw_inputs):
        check.fail("input", "an array of tables [[input]]", raw_inputs)
    inputs: list[Input] = []
    for i, row in enumerate(raw_inputs):
        at = f"input[{i + 1}]"  # counted from 1, as the author counts the [[input]] blocks
        unknown = sorted(set(row) - _INPUT_KEYS)
        if unknown:
            check.fail(f"{at}.{unknown[0]}", f"one of {sorted(_INPUT_KEYS)}", "an unknown key")
        vary = row.get("vary")
        if not isinstance(vary, str) or "." not in vary:
            check.fail(f"{at}.vary", "'parameters.NAME' or 'policy.LEVER'", vary)
        kind, key = vary.split(".", 1)
        if kind == "parameters":
            if key not in SPECS:
                check.fail(f"{at}.vary", "a parameter of model/params.py", key)
            allowed_low, allowed_high = SPECS[key].low, SPECS[key].high
            for k in ("target", "start", "end"):
                if k in row:
                    check.fail(f"{at}.{k}", "no target/start/end for a parameter", row[k])
            target = start = end = None
        elif kind == "policy":
            if key not in LEVERS:
                check.fail(f"{at}.vary", "a lever of model/policy.py", key)
            lever = LEVERS[key]
            allowed_low, allowed_high = lever.low, lever.high
            target = _policy_target(row.get("target"), lever.targets, f"{at}.target", check)
            start = check.year_month(row, "start", default=None, at=f"{at}.start")
            end = check.year_month(row, "end", default=None, at=f"{at}.end")
            if start and end and month_number(end) < month_number(start):
                check.fail(f"{at}.end", f"a month not before start {start}", end)
        else:
            check.fail(f"{at}.vary", "'parameters.NAME' or 'policy.LEVER'", vary)

        has_range, has_levels = "range" in row, "levels" in row
        if has_range == has_levels:
            check.fail(
                f"{at}", "exactly one of range = [low, high] or levels = [...]", "both" if has_range else "neither"
            )
        if has_range:
            rng = row["range"]
            if not (isinstance(rng, list) and len(rng) == 2 and all(_is_number(v) for v in rng) and rng[0] < rng[1]):
                check.fail(f"{at}.range", "[low, high] with low < high", rng)
            low, high, levels = float(rng[0]), float(rng[1]), None
        else:
            lv = row["levels"]
            if not (isinstance(lv, list) and lv and all(_is_number(v) for v in lv) and len(set(lv)) == len(lv)):
                check.fail(f"{at}.levels", "a non-empty list of distinct numbers", lv)
            levels = tuple(float(v) for v in lv)
            low, high = min(levels), max(levels)
            if design == "sobol":
                check.fail(f"{at}.levels", "a range = [low, high] (a Sobol design needs continuous inputs)", lv)
        if low < allowed_low or high > allowed_high:
            check.fail(f"{at}", f"values within [{allowed_low:g}, {allowed_high:g}] for {vary}", [low, high])

        default_name = key if kind == "parameters" or target in (None, "all") else f"{key}_{target}"
        name = row.get("name", default_name)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            check.fail(f"{at}.name", "an identifier (letters, digits, _)", name)
        if name in {x.name for x in inputs} or name in ("point", "seed", "year", "run"):
            check.fail(f"{at}.name", "a name not used by another input (set name = ...)", name)
        inputs.append(
            Input(name=name, kind=kind, key=key, low=low, high=high, levels=levels, target=target, start=start, end=end)
        )
    return tuple(inputs)


def _check_windows(inputs, start: str, horizon: str, check: _Checker) -> None:
    """Every policy input applies within the run, and no two inputs set one lever over one month.

    A window outside the run would never apply, without a word; two overlapping inputs on the
    same lever and target would leave it ambiguous which one the coordinate measures.
    """
    seen: list[tuple[int, Input]] = []
    for i, inp in enumerate(inputs):
        if inp.kind != "policy":
            continue
        at = f"input[{i + 1}]"
        for edge in ("start", "end"):
            month = getattr(inp, edge)
            if month is not None and not start <= month <= horizon:
                check.fail(f"{at}.{edge}", f"a month within the run, {start} to {horizon}", month)
        first, last = inp.window(start, horizon)
        for j, other in seen:
            if other.key == inp.key and other.target == inp.target:
                other_first, other_last = other.window(start, horizon)
                if first <= other_last and other_first <= last:
                    check.fail(
                        f"{at}.start",
                        f"a window that overlaps input[{j + 1}] on the same lever and "
                        f"target nowhere ({inp.vary}, {other.start or start} to {other.end or horizon})",
                        f"{inp.start or start} to {inp.end or horizon}",
                    )
        seen.append((i, inp))


def _policy_target(target, lever_targets: str, at: str, check: _Checker) -> str | None:
    if lever_targets == "cluster":
        from model.clusters import CLUSTER_IDS

        allowed = ("all", *CLUSTER_IDS)
        target = "all" if target is None else target
    elif lever_targets == "households":
        allowed = HOUSEHOLD_GROUPS
    else:
        if target is not None:
            check.fail(at, "no target for an economy-wide or village lever", target)
        return None
    if target not in allowed:
        check.fail(at, f"one of {list(allowed)}", target)
    return target


def _read_outputs(raw: dict, check: _Checker) -> tuple[str, ...]:
    from model.targets import load_targets
    from model.variables import ANNUAL

    if "outputs" not in raw:
        return tuple(t.id for t in load_targets())
    outputs = raw["outputs"]
    if not (isinstance(outputs, list) and outputs and all(isinstance(o, str) for o in outputs)):
        check.fail("outputs", "a non-empty list of variable names", outputs)
    for o in outputs:
        if o not in ANNUAL:
            check.fail("outputs", "names of annual variables in model/variables.py", o)
    if len(set(outputs)) != len(outputs):
        check.fail("outputs", "each variable once", outputs)
    return tuple(outputs)


def _month_text(number: int) -> str:
    year, month = divmod(number, 12)
    return f"{year:04d}-{month + 1:02d}"


def _count(n: int) -> str:
    return "2**63 - 1" if n == MAX_SEED else f"{n:,}"


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    """Typed reads of TOML keys that fail with one line naming file, key and expectation."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, key: str, expected: str, got) -> None:
        raise ExperimentError(f"{self.where}: key '{key}': expected {expected}; got {got!r}")

    def _get(self, raw, key, default, at):
        return (raw[key], at or key) if key in raw else (default, None)

    def string(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and not (isinstance(value, str) and value.strip()):
            self.fail(at, "a non-empty string", value)
        return value

    def choice(self, raw, key, choices, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and value not in choices:
            self.fail(at, f"one of {list(choices)}", value)
        return value

    def integer(self, raw, key, default, at=None, high=None):
        return self._bounded_int(raw, key, default, at, 0, high)

    def positive_int(self, raw, key, default, at=None, high=None):
        return self._bounded_int(raw, key, default, at, 1, high)

    def _bounded_int(self, raw, key, default, at, low, high):
        value, at = self._get(raw, key, default, at)
        if at and (
            not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high)
        ):
            bounds = (
                f"an integer from {low} to {_count(high)}"
                if high is not None
                else ("a positive integer" if low == 1 else "a non-negative integer")
            )
            self.fail(at, bounds, value)
        return value

    def positive_float(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and (not _is_number(value) or value <= 0):
            self.fail(at, "a positive number", value)
        return float(value) if value is not None else None

    def boolean(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and not isinstance(value, bool):
            self.fail(at, "true or false", value)
        return value

    def year_month(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and not is_month(value):
            self.fail(at, '"YYYY-MM"', value)
        return value
