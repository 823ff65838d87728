"""Benchmark: wall time of the same sweep with one and with two local workers.

The sweep's point is throughput, so this measures what a user waits for: ``run_sweep`` from start
to a combined ``sweep.nc`` (worker start-up and the combine included, figures excluded). Each
configuration is timed several times, interleaved, and the median is reported, since a single
timing on a shared machine says little; a busy machine is reported, as it makes the figure moot.
The real model at a small scale is used when ``model/run.py`` exists, else the stand-in model
doing a fixed amount of CPU work per run (fixed work, not fixed time: a timed spin would report
perfect speed-up even on one core).

    python experiments/bench_sweep.py                 # real model if present, else the stand-in
    python experiments/bench_sweep.py --model fake --runs 48 --repeats 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the stand-in model is a test double

import sweep_fake as fake  # noqa: E402

from model.sweep.engine import run_sweep  # noqa: E402
from model.sweep.experiment import load_experiment  # noqa: E402
from model.sweep.finish import finish_without_figures  # noqa: E402

EXPERIMENT = """
name = "bench"
base = "baseline"
design = "grid"
seeds = {seeds}
root_seed = 1
scale = {scale}
horizon = "{horizon}"

[[input]]
vary = "parameters.export_demand_growth"
levels = [0.02, 0.06]
"""


def time_sweep(experiment, workers: int, run_function) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        run_sweep(
            experiment,
            Path(folder) / "out",
            workers=workers,
            run_function=run_function,
            progress=False,
            finish=finish_without_figures,
        )
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("auto", "real", "fake"), default="auto")
    parser.add_argument("--runs", type=int, default=80, help="runs per sweep (2 points x runs/2 seeds)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", type=float, default=0.02, help="model scale for the real model")
    parser.add_argument("--horizon", default="2025-12", help="horizon for the real model")
    parser.add_argument("--work", type=int, default=10_000_000, help="stand-in model: loop iterations per run")
    args = parser.parse_args()

    use_real = args.model == "real" or (args.model == "auto" and (REPO / "model" / "run.py").is_file())
    run_function = None if use_real else _FixedWork(args.work)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.toml"
        path.write_text(
            EXPERIMENT.format(
                seeds=max(1, args.runs // 2), scale=args.scale, horizon=args.horizon if use_real else "2025-12"
            )
        )
        experiment = load_experiment(path)
    label = (
        f"real model, scale {args.scale}, horizon {args.horizon}"
        if use_real
        else f"stand-in model, {args.work:,} loop iterations a run"
    )
    print(f"bench_sweep: {experiment.seeds * 2} runs ({label}), {args.repeats} repeats, median wall time")

    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"  warning: load average {load:.1f} before starting: other processes compete for the cores")
    time_sweep(experiment, 1, run_function)  # warm the file cache and imports once, untimed
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.repeats):  # interleaved, so a burst of outside load hits both alike
        for workers in (1, 2):
            times[workers].append(time_sweep(experiment, workers, run_function))
    medians = {w: statistics.median(t) for w, t in times.items()}
    for workers, median in medians.items():
        print(f"  workers={workers}: median {median:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times[workers])})")
    print(f"  load average at the end: {os.getloadavg()[0]:.1f}")
    speedup = medians[1] / medians[2]
    print(f"  speed-up with 2 workers: {speedup:.2f}x  (required: >= 1.70x)")
    return 0 if speedup >= 1.7 else 1


class _FixedWork:
    """Picklable by reference through its module-level function: busy_simulate with a set amount of work."""

    def __init__(self, work: int):
        self.work = work

    def __call__(self, scenario, seed, scale=None):
        return fake.busy_simulate(scenario, seed, scale, work=self.work)


if __name__ == "__main__":
    sys.exit(main())
