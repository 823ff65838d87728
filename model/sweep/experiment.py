"""Experiment files: which scenario inputs a sweep varies, over what design, with how many seeds.

An experiment is read once, validated completely and frozen, so that a sweep either starts with
everything it needs or refuses before writing anything. Its fingerprint covers exactly what
determines the runs' results, so that ``--resume`` can refuse a folder made by another experiment
while a reworded description or a different bootstrap setting does not invalidate finished runs.
See ``docs/sweeps.md`` for the file format.

This module reads the file's top-level keys and freezes the experiment; the varied inputs (what
one is, how it applies, how an [[input]] table is checked) are in model.sweep.inputs, and the typed
reads of keys with their one-line errors in model.sweep.checks. ``Input`` and ``ExperimentError``
are importable from here as before.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import stat
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from model.config import FIRST_MONTH, LAST_MONTH, MAX_SEED, MAX_SEEDS, MIN_SCALE, ConfigError, load_scenario
from model.digest import code_digest
from model.scenario import Scenario
from model.sweep.checks import Checker, ExperimentError, is_number
from model.sweep.inputs import Input, check_windows, read_inputs
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
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # as a scenario's name (model/config/values.py)
MAX_NAME_LENGTH = 100
# The smallest scale a run can build (model.config.MIN_SCALE), in the words of a refusal.
_MIN_SCALE_EXPECTED = (
    f"a scale of at least {MIN_SCALE} (about 1,000 households: below it some clusters have no "
    "worker and no end-2021 economy can be built)"
)
# Seeds (MAX_SEED, MAX_SEEDS) are bounded as a scenario's are (model.config).
MAX_BOOTSTRAP = 100_000
MAX_FILE_BYTES = 1 << 20  # an experiment file is a few kilobytes


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
    check = Checker(where)
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
    elif is_number(scale) and 0 < scale <= 1:
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

    inputs = read_inputs(raw.get("input", []), check, design)
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
    check_windows(inputs, base_scenario.start, horizon, check)
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


def _read_outputs(raw: dict, check: Checker) -> tuple[str, ...]:
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
