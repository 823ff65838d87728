"""Running a scenario over many seeds, in one process or many, with the same result either way.

Each seed is an independent simulation whose random stream depends only on (root_seed, seed), so
the work splits over processes without changing a single number; results are gathered back in seed
order. Worker processes are started with "spawn" on every platform so that a run behaves the same on
Linux, macOS and Windows and never inherits a forked copy of open files or threads.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed

import xarray as xr

from model.config import check_arguments
from model.scenario import Scenario


# Measured peak resident memory of one process running one seed (Linux, numpy 2, 2022 to 2035):
# 110 MB for the interpreter and libraries, plus 400 MB per unit of scale for the agents
# (2.15 million persons, 1 million households, 156,000 firms at scale 1.0; the populations barely
# grow by 2035). The estimate adds a quarter for what a machine or a longer run may add.
PROCESS_BASE_BYTES = 110e6
BYTES_PER_SCALE = 400e6
MARGIN = 1.25


def memory_estimate(scale: float, processes: int = 1) -> float:
    """Bytes a run needs at its peak: each process holds one seed's economy at a time; with a pool
    the parent waits on its workers and holds only the interpreter and the results."""
    one = PROCESS_BASE_BYTES + BYTES_PER_SCALE * scale
    total = one * processes + (PROCESS_BASE_BYTES if processes > 1 else 0.0)
    return MARGIN * total


def available_memory() -> float | None:
    """Bytes the machine can give a new process without swapping (MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024.0
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(scenario: Scenario, workers: int = 1, source: str = "command line") -> None:
    """Refuse, before anything is allocated, a run that would not fit in memory: better one line now
    than the kernel's out-of-memory killer an hour in, leaving nothing behind but a dead process."""
    from model.config import ConfigError

    processes = max(1, min(workers, len(scenario.seeds)))
    need, free = memory_estimate(scenario.scale, processes), available_memory()
    if free is not None and need > free:
        fits = max(0.0, (free / MARGIN / processes - PROCESS_BASE_BYTES * (1 + (processes > 1) / processes))
                   / BYTES_PER_SCALE)
        raise ConfigError(source, "--scale", f"a run that fits in memory: scale {scenario.scale:g} with {processes} "
                          f"process(es) needs about {need / 1e9:.1f} GB, {free / 1e9:.1f} GB is available "
                          f"(try --scale {max(fits, 0.001):.2g} or fewer --workers)")


def _simulate_one(scenario: Scenario, seed: int, scale: float) -> tuple[xr.Dataset, xr.Dataset]:
    """Module-level so that spawned workers can import it by name."""
    from model.run import simulate

    result = simulate(scenario, seed, scale)
    return result.annual, result.monthly


def _progress_bar(progress: bool | None, total: int, label: str):
    """tqdm only where someone watches: a terminal, unless asked for explicitly."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="run", file=sys.stderr)


def _stack(parts: Sequence[xr.Dataset], seeds: Sequence[int]) -> xr.Dataset:
    stacked = xr.concat(parts, dim="seed", combine_attrs="override")
    stacked = stacked.assign_coords(seed=("seed", list(seeds)))
    stacked["seed"].attrs.update(long_name="Seed: spawn key of the run's random stream under root_seed", units="1")
    return stacked


def _seed_list(scenario: Scenario, seeds: int | Iterable[int] | None) -> list[int]:
    if seeds is None:
        return list(scenario.seeds)
    if isinstance(seeds, Iterable) and not isinstance(seeds, (str, bytes)):
        seeds = list(seeds)
    return list(check_arguments("run_scenario()", seeds=seeds)["seeds"])


def run_scenario(scenario: Scenario, seeds: int | Iterable[int] | None = None, scale: float | None = None,
                 workers: int = 1, progress: bool | None = None) -> tuple[xr.Dataset, xr.Dataset]:
    """(annual, monthly) of every seed, stacked over a new leading `seed` dimension.

    seeds: a count (seeds 0..n-1), a list of distinct seeds, or None for the scenario's own; scale:
    None for the scenario's own. progress: None shows a bar only when stderr is a terminal. Bad
    arguments raise model.config.ConfigError (a ValueError) before anything runs.
    """
    checked = check_arguments("run_scenario()", scenario, scale=scale, workers=workers)
    seed_list = _seed_list(scenario, seeds)
    scale = scenario.scale if scale is None else checked["scale"]
    bar = _progress_bar(progress, len(seed_list), scenario.name)
    results: dict[int, tuple[xr.Dataset, xr.Dataset]] = {}
    try:
        if workers <= 1 or len(seed_list) == 1:
            for i, seed in enumerate(seed_list):
                results[i] = _simulate_one(scenario, seed, scale)
                bar and bar.update(1)
        else:
            context = multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(max_workers=min(workers, len(seed_list)), mp_context=context)
            try:
                futures = {pool.submit(_simulate_one, scenario, seed, scale): i for i, seed in enumerate(seed_list)}
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    bar and bar.update(1)
            finally:  # on an error or Ctrl-C, drop the queued seeds instead of finishing them
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if bar is not None:
            bar.close()
    ordered = [results[i] for i in range(len(seed_list))]
    return (_stack([a for a, _ in ordered], seed_list), _stack([m for _, m in ordered], seed_list))
