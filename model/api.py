"""The model from Python: the few calls a notebook or script needs, documented in docs/python.md.

``import model`` stays light (the ``kunshan`` command imports it for its version); these names are
loaded on first use through ``model.__getattr__``. Every call checks its arguments as the command
line does (one-line :class:`model.config.ConfigError`), by the same code: the scenario schema for
seeds and scale, ``check_memory`` for what fits.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import xarray as xr

from model import config
from model.config import PACKAGED, ConfigError, with_overrides
from model.model import KunshanModel
from model.outputs import open_results
from model.run import seed_sequence
from model.scenario import Scenario

__all__ = ["KunshanModel", "load_scenario", "new_model", "open_results", "run", "shipped_scenarios"]

SOURCE = "python"  # what error messages name as the origin of an argument
FREQUENCIES = ("annual", "monthly")


def shipped_scenarios() -> dict[str, str]:
    """Name -> description of every scenario shipped with the package."""
    found = {}
    for entry in sorted(resources.files(PACKAGED).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            scenario = _shipped(entry.name[: -len(".toml")])
            found[scenario.name] = scenario.description
    return found


def _shipped(name: str) -> Scenario:
    resource = resources.files(PACKAGED).joinpath(f"{name}.toml")
    return config.scenario_from_text(resource.read_text(encoding="utf-8"), f"<package>/{name}.toml")


def load_scenario(scenario: str | Path | Scenario = "baseline") -> Scenario:
    """A scenario from a shipped scenario's name ("baseline", "industrial_push", ...), a path to a
    scenario file, or a Scenario (checked against the scenario schema, as a file would be). A
    file wins over a shipped name when both exist: a file in the working folder is what a user
    means by a bare name that is one."""
    if isinstance(scenario, Scenario):  # made or changed in Python: checked as its file would be
        origin = f"{SOURCE} scenario '{scenario.name}'"
        return config.scenario_from_text(config.to_toml(scenario), origin)
    if not isinstance(scenario, (str, Path)):
        raise ConfigError(
            SOURCE, "scenario", "a shipped scenario's name, a scenario file or a Scenario", type(scenario).__name__
        )
    return config.named_or_file(scenario, SOURCE, "scenario")


def _check_workers(workers) -> int:
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)) or workers < 1:
        raise ConfigError(SOURCE, "workers", "an integer >= 1", workers)
    return int(workers)


def run(
    scenario: str | Path | Scenario = "baseline",
    seeds: int | list[int] | None = None,
    scale: float | None = None,
    workers: int = 1,
    frequency: str = "annual",
    progress: bool | None = False,
) -> xr.Dataset:
    """Run a scenario over seeds; the annual (or monthly) results, stacked over ``seed``.

    The dataset is what ``kunshan run`` writes as annual.nc (monthly.nc): every variable with
    ``units`` and ``long_name``, and the provenance in its attributes (scenario text, root seed,
    every parameter value as run, versions, code digest), so ``kunshan reproduce``'s checks and
    ``model.load_scenario`` of ``ds.attrs["scenario"]`` work on it too. ``seeds``: a count (seeds
    0..n-1) or a list; ``scale``: agents per real firm and household, in (0, 1]; both default to
    the scenario's. Same scenario and seeds, same numbers, whatever ``workers`` is.
    """
    from model.outputs.netcdf import labelled
    from model.outputs.provenance import provenance  # the one definition of what a run records
    from model.runner import check_memory, run_scenario
    from model.variables import ANNUAL, MONTHLY

    if frequency not in FREQUENCIES:
        raise ConfigError(SOURCE, "frequency", "one of " + ", ".join(FREQUENCIES), frequency)
    workers = _check_workers(workers)
    chosen = with_overrides(load_scenario(scenario), source=SOURCE, seeds=seeds, scale=scale)
    check_memory(chosen, workers, source=SOURCE)
    annual, monthly = run_scenario(chosen, workers=workers, progress=progress)
    if frequency == "annual":
        return labelled(annual, ANNUAL, provenance(chosen))
    return labelled(monthly, MONTHLY, provenance(chosen))


def new_model(
    scenario: str | Path | Scenario = "baseline", seed: int = 0, scale: float | None = None, **kwargs
) -> KunshanModel:
    """A KunshanModel at its first month, to step one month at a time as Mesa models are
    (``m.step()``, ``m.run()``, ``m.datasets()``): the same economy and draws as seed ``seed`` of
    :func:`run` on the same scenario and scale. ``kwargs`` go to KunshanModel (e.g. ``horizon``)."""
    chosen = load_scenario(scenario)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ConfigError(SOURCE, "seed", "an integer >= 0", seed)
    if scale is not None:
        chosen = with_overrides(chosen, source=SOURCE, scale=scale)
    return KunshanModel(chosen, rng=np.random.default_rng(seed_sequence(chosen, int(seed))), **kwargs)
