"""Running a scenario over many seeds, in one process or many, with the same result either way.

Each seed is an independent simulation whose random stream depends only on (root_seed, seed), so
the work splits over processes without changing a single number; results are gathered back in seed
order. Worker processes are started with "spawn" on every platform so that a run behaves the same on
Linux, macOS and Windows and never inherits a forked copy of open files or threads.
"""

from __future__ import annotations

import math
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
# What the parent keeps of each seed until the results are written: the annual and monthly
# datasets (measured with tracemalloc: 90 kB a seed for 2022-2035, about 30 kB of xarray objects
# and 360 bytes a month), twice over while they are stacked into one dataset.
RESULT_BYTES = 30e3
RESULT_BYTES_PER_MONTH = 360.0
RESULT_COPIES = 2

# Seconds, from docs/performance.md (2-core development VM, medians of 3 fresh runs, 2 December,
# session 3's final code): building the economy takes 0.04 s at scale 0.02 and about 1.0 s at 1.0,
# a month 4.5 ms and 213 ms. Both are close to linear in scale; a spawned worker first imports the
# model (about 2 s), and writing a results folder (netCDF, CSV, spreadsheet, five figures) takes a
# few seconds.
BUILD_SECONDS = 0.02
BUILD_SECONDS_PER_SCALE = 1.0
MONTH_SECONDS = 0.0003
MONTH_SECONDS_PER_SCALE = 0.21
WORKER_START_SECONDS = 2.0
WRITE_SECONDS = 5.0
# Longer than this, a command asks for --yes: a mistyped scale or seed count should cost a second,
# not a day of the machine.
CONFIRM_SECONDS = 3600.0
# Shown before starting when at least this long (and always at a terminal).
SHOW_SECONDS = 60.0


def memory_estimate(scale: float, processes: int = 1, seeds: int = 0, months: int = 0) -> float:
    """Bytes a run needs at its peak: each process holds one seed's economy at a time; with a pool
    the parent waits on its workers and holds only the interpreter; and the parent keeps the
    results of every seed (``seeds`` of ``months`` months) until they are written."""
    one = PROCESS_BASE_BYTES + BYTES_PER_SCALE * scale
    total = one * processes + (PROCESS_BASE_BYTES if processes > 1 else 0.0)
    return MARGIN * (total + seeds * _result_bytes(months))


def _result_bytes(months: int) -> float:
    return RESULT_COPIES * (RESULT_BYTES + RESULT_BYTES_PER_MONTH * months)


def seconds_per_seed(scale: float, months: int) -> float:
    """Seconds of one process to build the economy at ``scale`` and run it ``months`` months."""
    return BUILD_SECONDS + BUILD_SECONDS_PER_SCALE * scale + months * (MONTH_SECONDS + MONTH_SECONDS_PER_SCALE * scale)


def usable_cpus() -> int:
    """CPUs this process may run on: more worker processes than these take turns, not less time."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def time_estimate(scale: float, months: int, runs: int, processes: int = 1, rounds: int | None = None) -> float:
    """Seconds for ``runs`` runs spread over ``processes`` processes, on as many of them at once as
    the machine has CPUs. ``rounds``: how many runs one CPU does one after the other (by default as
    evenly spread as possible)."""
    at_once = max(1, min(processes, usable_cpus()))
    rounds = math.ceil(runs / at_once) if rounds is None else rounds
    return rounds * seconds_per_seed(scale, months) + (WORKER_START_SECONDS if processes > 1 else 0.0)


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


def duration(seconds: float) -> str:
    """'40 s', '12 min', '3.5 h', '2.1 days': what a person plans with."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _largest_scale_that_fits(free: float, processes: int, seeds: int, months: int) -> float:
    """The largest scale whose estimate fits in ``free`` bytes, rounded down to two digits."""
    room = free / MARGIN - seeds * _result_bytes(months) - PROCESS_BASE_BYTES * (processes + (processes > 1))
    exact = room / (processes * BYTES_PER_SCALE)
    if exact <= 0:
        return 0.0
    digits = 1 - math.floor(math.log10(exact))
    return math.floor(exact * 10**digits) / 10**digits


def check_memory(scenario: Scenario, workers: int = 1, source: str = "command line") -> float:
    """Refuse, before anything is allocated, a run of every seed of the scenario that would not fit
    in memory: better one line now than the kernel's out-of-memory killer an hour in, leaving
    nothing behind but a dead process. Returns the estimate in bytes."""
    processes = max(1, min(workers, len(scenario.seeds)))
    return check_memory_of(scenario.scale, processes, len(scenario.seeds), scenario.n_months, source)


def check_memory_of(
    scale: float, processes: int, seeds: int = 0, months: int = 0, source: str = "command line"
) -> float:
    """check_memory for ``processes`` processes at ``scale`` while the parent keeps the results of
    ``seeds`` runs of ``months`` months. The refusal suggests only what would fit, never the scale
    it refused."""
    from model.config import MIN_SCALE, ConfigError

    need, free = memory_estimate(scale, processes, seeds, months), available_memory()
    if free is None or need <= free:
        return need
    ways = []
    fits = _largest_scale_that_fits(free, processes, seeds, months)
    if MIN_SCALE <= fits < scale:
        ways.append(f"--scale {fits:g}")
    if processes > 1:
        ways.append("fewer --workers")
    if seeds * _result_bytes(months) * MARGIN > free / 4:
        ways.append("fewer seeds")
    advice = f"; try {' or '.join(ways)}" if ways else "; no smaller run of this kind fits either"
    runs = f", {seeds:,} seed(s)" if seeds else ""
    raise ConfigError(
        source,
        "--scale",
        f"a run that fits in memory: scale {scale:g}{runs} on {processes} "
        f"process(es) needs about {need / 1e9:.1f} GB, {free / 1e9:.1f} GB is available{advice}",
    )


def check_time(seconds: float, what: str, yes: bool, source: str = "command line") -> None:
    """Say how long a command will take before it starts, and ask for --yes when it is long."""
    from model.config import ConfigError

    if seconds > CONFIRM_SECONDS and not yes:
        raise ConfigError(
            source,
            "--yes",
            f"--yes to start {what}, which would take about {duration(seconds)} "
            "on the machine of docs/performance.md (or a smaller --scale, fewer seeds, more --workers)",
        )
    if seconds >= SHOW_SECONDS or sys.stderr.isatty():
        print(f"kunshan: {what}: about {duration(seconds)} (estimate)", file=sys.stderr, flush=True)


def check_resources(scenario: Scenario, workers: int = 1, yes: bool = False, source: str = "command line") -> None:
    """Memory and time of a run of every seed of the scenario, checked before it starts."""
    check_memory(scenario, workers, source)
    processes = max(1, min(workers, len(scenario.seeds)))
    seconds = time_estimate(scenario.scale, scenario.n_months, len(scenario.seeds), processes) + WRITE_SECONDS
    check_time(
        seconds,
        f"{len(scenario.seeds):,} run(s) at scale {scenario.scale:g}, {scenario.start} to "
        f"{scenario.horizon}, on {processes} process(es)",
        yes,
        source,
    )


def _simulate_one(scenario: Scenario, seed: int, scale: float) -> tuple[xr.Dataset, xr.Dataset]:
    """Module-level so that spawned workers can import it by name."""
    from model.run import simulate

    result = simulate(scenario, seed, scale)
    return result.annual, result.monthly


def _keep_no_economies() -> None:
    """A worker of one ensemble meets each of its distinct seeds once: it keeps no built economy
    (model.init.cache.BuildCache.keep_new), which no later run could start from."""
    from model.init.cache import BUILT

    BUILT.keep_new = False


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


def run_scenario(
    scenario: Scenario,
    seeds: int | Iterable[int] | None = None,
    scale: float | None = None,
    workers: int = 1,
    progress: bool | None = None,
) -> tuple[xr.Dataset, xr.Dataset]:
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
            pool = ProcessPoolExecutor(
                max_workers=min(workers, len(seed_list)), mp_context=context, initializer=_keep_no_economies
            )
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
