"""Running a sweep's runs on a local process pool or a dask cluster, through one code path.

Both backends are ``concurrent.futures`` executors. The parent submits batches of runs (a few runs
of one seed, :func:`submission_batches`) in a bounded window (a few per worker) so that neither
the futures nor their results ever add up to the whole sweep, writes each run's result to its own
file as its batch arrives, and can stop at any point: the files written so far are exactly the runs
that ``--resume`` will not compute again. A run's result depends only on
its scenario and its seed stream, never on which worker ran it or when, so results are identical
for any worker count or backend.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, InvalidStateError, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from model.digest import code_digest as package_code_digest
from model.sweep import budget, store
from model.sweep.design import design_points, run_location, run_seed
from model.sweep.experiment import Experiment, ExperimentError

WINDOW_PER_WORKER = 4  # batches in flight per worker
# Most runs of one seed a worker gets at once. A worker that meets the seed again in a later batch
# still finds its economy kept (model.init.cache), so a few suffice; more would leave a worker idle
# longer at the end of a sweep of slow runs.
BATCH_RUNS = 4


class SweepError(RuntimeError):
    """A run failed; the runs finished before it are kept and ``--resume`` continues from them."""


@dataclass
class SweepReport:
    out_dir: Path
    runs_total: int
    runs_computed: int
    runs_reused: int
    seconds: float
    runs_failed: int = 0
    files: list[Path] = field(default_factory=list)


def execute_run(run_function, scenario, seed, scale, outputs) -> tuple[bytes, float]:
    """Worker side of one run: simulate, keep only the requested outputs, return them encoded.

    The real model (``run_function`` None) hands over its annual outputs as plain arrays
    (model.run.simulate_annual), so the worker builds no xarray dataset it would only read a few
    variables of; the encoded bytes are those of ``encode_run(simulate(...).annual)``."""
    started = time.perf_counter()
    if run_function is None:
        from model.run import simulate_annual

        annual = simulate_annual(scenario, seed, scale, outputs)  # what it does not keep may go unmeasured
        encoded = store.encode_arrays(annual.years, annual.variables, annual.coords, outputs)
    else:
        encoded = store.encode_run(run_function(scenario, seed, scale).annual, outputs)
    return encoded, time.perf_counter() - started


def execute_batch(run_function, runs, outputs, keep_going: bool, keep_economies: bool = True) -> list[tuple]:
    """Worker side of a batch: the runs ``(run_index, scenario, seed, scale)`` one after the other,
    each as :func:`execute_run`. Returns ``(run_index, encoded, seconds)`` for a run that finished
    and ``(run_index, None, error)`` for one that raised; unless ``keep_going``, a failure ends the
    batch (the sweep stops at it), and the runs before it are still returned to be kept.
    ``keep_economies=False`` (a sweep whose runs never share a seed) keeps no built economy for
    later runs (model.init.cache.BuildCache.keep_new): none could start from it.

    Why batches: the runs of one batch share a seed (see :func:`submission_batches`), so the worker
    builds their economy once and copies it for the others (model.init.cache). Handed out one run at
    a time, two workers each took one point of every seed and neither ever met a seed again: every
    run built its economy."""
    from model.init.cache import BUILT

    BUILT.keep_new = keep_economies
    results = []
    for run_index, scenario, seed, scale in runs:
        try:
            encoded, seconds = execute_run(run_function, scenario, seed, scale, outputs)
        except Exception as exc:  # recorded or raised by the parent, as a run's own exception was
            results.append((run_index, None, _picklable(exc)))
            if not keep_going:
                break
        else:
            results.append((run_index, encoded, seconds))
    return results


def _picklable(exc: Exception) -> Exception:
    """``exc``, or where it cannot travel back to the parent, a RuntimeError with its type and
    message: the batch's finished runs travel with it and must not be lost to it."""
    try:
        pickle.dumps(exc)
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


@contextmanager
def open_executor(workers: int = 1, scheduler: str | None = None):
    """(executor, how many runs it can compute at once): a local process pool or a dask cluster.

    Local workers are spawned, not forked, so each starts like a dask worker does: from a clean
    interpreter that imports the model itself, with no state inherited from the parent.
    """
    if scheduler:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExperimentError("--scheduler: needs the 'distributed' package, which is not installed") from None
        local_workers = _local_cluster_size(scheduler)
        cluster = None
        try:
            if local_workers is not None:
                cluster = LocalCluster(
                    n_workers=local_workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=40,
                )
                client = Client(cluster)
            else:
                client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError, ValueError) as exc:
            if cluster is not None:
                cluster.close()
            raise ExperimentError(
                f"--scheduler: cannot connect to {scheduler!r}: {' '.join(str(exc).split())}"
            ) from None
        try:
            check_worker_code(client, scheduler)
            capacity = max(1, sum(client.nthreads().values()))
            yield client.get_executor(pure=False), capacity
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        yield executor, workers
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM, a failed run): end the runs in progress now rather than wait for
        # them; the parent writes every file, so a killed worker leaves nothing half-written.
        _ignore_cancelled_future_race()
        _terminate_workers(executor)
        raise
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _local_cluster_size(scheduler: str) -> int | None:
    """N of ``local[:N]`` (default: the CPUs available), or None for a scheduler's address."""
    name, _, count = scheduler.partition(":")
    if name != "local":
        return None
    if not count:
        return available_cpus()
    if not (count.isdigit() and 1 <= int(count) <= 1024):
        raise ExperimentError(
            f"--scheduler: expected local or local:N with N from 1 to 1024, or an address such "
            f"as tcp://10.0.0.5:8786; got {scheduler!r}"
        )
    return int(count)


def check_worker_code(client, scheduler: str, expected: str | None = None) -> None:
    """Refuse a cluster whose workers run other code than this client (another version of the
    package, or none): their runs would not be this model's, and nothing would say so."""
    expected = package_code_digest() if expected is None else expected
    try:
        digests = client.run(package_code_digest)
    except Exception as exc:  # a worker that cannot even import the package
        raise SweepError(
            f"--scheduler {scheduler}: the workers cannot run this package's code "
            f"({' '.join(f'{type(exc).__name__}: {exc}'.split())}); install it on every worker"
        ) from None
    if not digests:
        raise SweepError(f"--scheduler {scheduler}: the scheduler has no workers; start some (docs/sweeps.md)")
    other = sorted(worker for worker, digest in digests.items() if digest != expected)
    if other:
        raise SweepError(
            f"--scheduler {scheduler}: {len(other)} of {len(digests)} workers run other model code "
            f"than this client (first: {other[0]}, digest {str(digests[other[0]])[:12]}, here "
            f"{expected[:12]}); install this version of the package on every worker"
        )


def _ignore_cancelled_future_race() -> None:
    """Python 3.11's ProcessPoolExecutor, when its workers die while the stopping sweep cancels their
    queued runs, sets an exception on a cancelled future in its management thread, which raises
    InvalidStateError there (Python 3.12 catches it in ``terminate_broken``). Its traceback on stderr
    would break the stopped sweep's one-line message, so that one error is let pass; the sweep is
    stopping, and every other thread error is reported as before."""
    if sys.version_info >= (3, 12):
        return
    previous = threading.excepthook

    def hook(args) -> None:
        if not isinstance(args.exc_value, InvalidStateError):
            previous(args)

    threading.excepthook = hook


def _terminate_workers(executor: ProcessPoolExecutor) -> None:
    if hasattr(executor, "terminate_workers"):  # Python >= 3.14
        executor.terminate_workers()
        return
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


def run_sweep(
    experiment: Experiment,
    out_dir: str | Path,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    run_function=None,
    progress: bool | None = None,
    finish=None,
    keep_going: bool = False,
    confirmed: bool = False,
) -> SweepReport:
    """Compute the runs not yet in ``out_dir``, then ``finish(out_dir, experiment, points)``.

    ``run_function`` is ``simulate``-compatible and must be importable by the workers (a
    module-level function); ``None`` means the real ``model.run.simulate``. ``finish`` combines
    the runs and draws the figures; the CLI passes :func:`model.sweep.finish.finish_sweep`.
    A run that raises stops the sweep, unless ``keep_going``: then it is recorded as failed (its
    outputs NaN) and the sweep goes on, since one diverging corner of a design should not cost
    the rest; a resume retries failed runs. Before anything starts, the sweep's time, memory and
    disk are estimated (:mod:`model.sweep.budget`): what the machine cannot hold is refused, and
    what would run longer than half a day needs ``confirmed``.
    """
    out_dir = Path(out_dir)
    if not isinstance(workers, int) or workers < 1:
        raise ExperimentError(f"--workers: expected a positive integer; got {workers!r}")
    store.check_out_dir(out_dir, experiment, resume)
    if resume:
        store.check_run_files(out_dir, experiment)
    total = budget.n_points(experiment) * experiment.seeds
    done = {i for i in store.finished_runs(out_dir) if i < total}
    if scheduler is None:  # a cluster's size is known once connected
        budget.check_budget(
            experiment,
            out_dir,
            pending_runs=total - len(done),
            local_workers=workers,
            parallel=min(workers, available_cpus()),
            confirmed=confirmed,
        )
    started = time.perf_counter()
    with open_executor(workers, scheduler) as (executor, capacity):
        if scheduler is not None:
            budget.check_budget(
                experiment,
                out_dir,
                pending_runs=total - len(done),
                local_workers=0,
                parallel=capacity,
                confirmed=confirmed,
            )
        points = design_points(experiment)
        store.prepare_out_dir(out_dir, experiment)
        pending = submission_batches(total, experiment, done)
        n_pending = total - len(done)
        with open(out_dir / store.LOG, "a", encoding="utf-8", buffering=1) as log:
            log.write(f"session pid={os.getpid()} runs={total} finished={len(done)} pending={n_pending}\n")
            _compute(
                executor,
                WINDOW_PER_WORKER * capacity,
                pending,
                experiment,
                points,
                out_dir,
                log,
                run_function,
                total,
                len(done),
                sys.stderr.isatty() if progress is None else progress,
                keep_going,
            )
    report = SweepReport(
        out_dir,
        total,
        n_pending,
        total - n_pending,
        time.perf_counter() - started,
        runs_failed=len(store.failed_runs(out_dir)),
    )
    if finish is not None:
        report.files = list(finish(out_dir, experiment, points))
    from model.outputs.manifest import write_manifest  # here: workers importing this module need none of it

    write_manifest(out_dir, "sweep")  # as for a run's folder: `kunshan verify` tells what changed since
    return report


def submission_order(total: int, experiment) -> Iterator[int]:
    """The order runs are handed to workers: by index (point-major), or, with common random numbers,
    seed by seed across the points, so a worker meets a seed's economy again while it still keeps it
    (model.init.cache) and builds it once instead of once a point. Results are stored by run index,
    so the order changes nothing in sweep.nc."""
    if not experiment.common_random_numbers:
        yield from range(total)
        return
    seeds = experiment.seeds
    for seed in range(seeds):
        yield from range(seed, total, seeds)


def submission_batches(total: int, experiment, done=frozenset(), most: int | None = None) -> Iterator[list[int]]:
    """The runs of :func:`submission_order` not ``done``, in batches a worker computes one after the
    other: with common random numbers, up to ``most`` (:data:`BATCH_RUNS`) consecutive runs of one
    seed (one economy, built once by the worker that gets them); otherwise one run a batch. Lazily:
    a sweep may have millions of runs."""
    most = BATCH_RUNS if most is None else most
    paired = experiment.common_random_numbers
    batch: list[int] = []
    for run_index in submission_order(total, experiment):
        if run_index in done:
            continue
        if batch and (
            not paired
            or len(batch) >= most
            or run_location(run_index, experiment.seeds)[1] != run_location(batch[0], experiment.seeds)[1]
        ):
            yield batch
            batch = []
        batch.append(run_index)
    if batch:
        yield batch


def available_cpus() -> int:
    """CPUs this process may use: more local workers than these add no speed."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _compute(
    executor, window, pending, experiment, points, out_dir, log, run_function, total, initial, show_progress, keep_going
) -> None:
    """Hands the ``pending`` batches to the executor, ``window`` in flight at a time, and writes each
    run's result to its own file as its batch comes back."""
    from tqdm import tqdm

    queue = iter(pending)
    in_flight: dict = {}

    def submit_next() -> None:
        batch = next(queue, None)
        if batch is None:
            return
        runs = [
            (
                run_index,
                experiment.scenario_at(points[run_location(run_index, experiment.seeds)[0]]),
                run_seed(experiment, run_index),
                experiment.scale,
            )
            for run_index in batch
        ]
        future = executor.submit(
            execute_batch, run_function, runs, experiment.outputs, keep_going, experiment.common_random_numbers
        )
        in_flight[future] = batch

    def keep(run_index: int, encoded, outcome) -> None:
        if encoded is None:
            point, seed = run_location(run_index, experiment.seeds)
            error = " ".join(f"{type(outcome).__name__}: {outcome}".split())
            if not keep_going:
                raise SweepError(
                    f"run {run_index} (point {point}, seed {seed}) failed: {error}; "
                    "finished runs are kept (--resume; --keep-going records failures "
                    "and goes on)"
                ) from outcome
            store.write_atomically(store.failure_path(out_dir, run_index), error + "\n")
            log.write(f"run {run_index} failed {error}\n")
        else:
            store.write_atomically(store.run_path(out_dir, run_index), encoded)
            store.failure_path(out_dir, run_index).unlink(missing_ok=True)
            log.write(f"run {run_index} done {outcome:.3f}s\n")

    with tqdm(
        total=total, initial=initial, unit="run", disable=not show_progress, dynamic_ncols=True, smoothing=0.05
    ) as bar:
        try:
            for _ in range(window):
                submit_next()
            while in_flight:
                finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=lambda f: in_flight[f][0]):
                    batch = in_flight.pop(future)
                    try:
                        results = future.result()
                    except Exception as exc:  # the batch never ran to its end in a worker
                        error = " ".join(f"{type(exc).__name__}: {exc}".split())
                        if isinstance(exc, BrokenExecutor):  # the pool is gone: nothing more can run
                            runs = ", ".join(map(str, batch))
                            raise SweepError(
                                f"a worker process died during run{'s' * (len(batch) > 1)} {runs} (out of memory?): "
                                f"{error}; finished runs are kept (--resume)"
                            ) from exc
                        results = [(run_index, None, exc) for run_index in batch]
                    for run_index, encoded, outcome in results:
                        keep(run_index, encoded, outcome)
                        bar.update(1)
                    submit_next()
        except BaseException:
            for future in in_flight:
                future.cancel()
            raise
