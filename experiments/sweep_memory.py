"""Benchmark: the parent's memory during a sweep of 2,000 small runs, combine and figures included.

The sweep engine promises that the parent never holds all runs: it keeps a bounded window of
futures and streams the combine through a preallocated netCDF file. This reports the parent's peak
resident set size as the kernel counts it (``ru_maxrss``, this process only: the workers are
separate processes), so a regression that accumulates results shows up as growth with the number
of runs (try ``--runs 8000``).

    python experiments/sweep_memory.py                      # stand-in model, 2,000 runs, 2 workers
    python experiments/sweep_memory.py --model real --scale 0.002 --horizon 2022-12
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the stand-in model is a test double

import sweep_fake as fake  # noqa: E402

from model.sweep.engine import run_sweep  # noqa: E402
from model.sweep.experiment import load_experiment  # noqa: E402
from model.sweep.finish import finish_sweep  # noqa: E402

LIMIT_MB = 300
EXPERIMENT = """
name = "memory"
base = "baseline"
design = "lhs"
samples = {points}
seeds = {seeds}
root_seed = 3
scale = {scale}
horizon = "{horizon}"

[[input]]
vary = "parameters.export_demand_growth"
range = [0.0, 0.1]

[[input]]
vary = "policy.rural_transfer"
target = "rural_households"
range = [0.0, 20000.0]
"""


def current_rss() -> int:
    """Resident set size now, in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("fake", "real"), default="fake")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seeds", type=int, default=4, help="seeds per point (points = runs / seeds)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", type=float, default=0.002)
    parser.add_argument("--horizon", default="2025-12")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.toml"
        path.write_text(
            EXPERIMENT.format(points=args.runs // args.seeds, seeds=args.seeds, scale=args.scale, horizon=args.horizon)
        )
        experiment = load_experiment(path)
        run_function = None if args.model == "real" else fake.simulate
        before = current_rss()
        report = run_sweep(
            experiment,
            Path(folder) / "out",
            workers=args.workers,
            run_function=run_function,
            progress=False,
            finish=finish_sweep,
        )
        size = (Path(folder) / "out" / "sweep.nc").stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes
    print(
        f"sweep_memory: {report.runs_total} runs ({args.model} model, {args.workers} workers) in "
        f"{report.seconds:.1f} s; sweep.nc {size / 1e6:.1f} MB"
    )
    print(f"  parent RSS before the sweep: {before / 2**20:.0f} MB")
    print(f"  parent peak RSS (ru_maxrss): {peak / 2**20:.0f} MB  (limit {LIMIT_MB} MB)")
    return 0 if peak < LIMIT_MB * 2**20 else 1


if __name__ == "__main__":
    sys.exit(main())
