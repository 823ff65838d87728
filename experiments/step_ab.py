"""Side-by-side timing of the monthly step in two checkouts of the repository (say main and a branch).

On a shared virtual machine the host's speed drifts over minutes, so two versions timed one after
the other can differ by more than any change between them. This alternates fresh processes of the
two checkouts (A, B, A, B, ...), each timing ``--passes`` passes of three months at about 100,000
agents (after three untimed passes), and reports the median over processes of each process's
median, and their ratio.

    git worktree add /tmp/before HEAD~3
    python experiments/step_ab.py /tmp/before . --runs 7
    python experiments/step_ab.py /tmp/before . --runs 3 --whole-run 1.0   # whole runs, outputs compared

``--whole-run SCALE`` times instead a whole baseline run at that scale (building the economy, 48
months and the year ends, as a user waits for it) and fingerprints its outputs (SHA-256 of every
variable of annual.nc and monthly.nc), so the same line shows the gain and that the outputs are
bit-identical.

Each checkout is imported from its own folder; a checkout older than the per-purpose random
streams (model/streams.py) is given a single generator, as its step then expected.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

SCALE = 0.02959195499915074  # households + persons + firms come to 99,949 (experiments/benchmark.py)


def child(repo: str, passes: int, warmup: int = 3) -> dict:
    import copy
    import inspect
    import time

    sys.path.insert(0, repo)
    import numpy as np

    from model.model import KunshanModel
    from model.run import seed_sequence
    from model.scenario import Scenario
    from model.step import one_step

    scenario = Scenario()
    model = KunshanModel(scenario, scale=SCALE, rng=np.random.default_rng(seed_sequence(scenario, 0)))
    start = copy.deepcopy(model.state)
    policies = [model.schedule.at(month) for month in range(3)]
    streams = "draws" in inspect.signature(one_step).parameters

    def draws():
        seed = np.random.SeedSequence(20221122)
        if streams:
            from model.streams import RandomStreams

            return RandomStreams(seed)
        return np.random.Generator(np.random.PCG64(seed))

    times = []
    for _ in range(warmup + passes):
        state, rng = copy.deepcopy(start), draws()
        t = time.perf_counter()
        for month, policy in enumerate(policies):
            one_step(state, model.parameters, policy, rng)
            state.economy.month = month + 1
        times.append((time.perf_counter() - t) / len(policies))
    times = times[warmup:]
    return {"repo": repo, "ms_per_step": 1000 * statistics.median(times), "min_ms": 1000 * min(times)}


def whole_run(repo: str, scale: float) -> dict:
    """Wall time of a whole baseline run at ``scale`` and the SHA-256 of its outputs' values."""
    import hashlib
    import time

    sys.path.insert(0, repo)
    import numpy as np

    from model.model import KunshanModel
    from model.run import seed_sequence
    from model.scenario import Scenario

    scenario = Scenario()
    started = time.perf_counter()
    model = KunshanModel(scenario, scale=scale, rng=np.random.default_rng(seed_sequence(scenario, 0)))
    model.run()
    wall = time.perf_counter() - started
    variables = {}
    for kind, dataset in zip(("annual", "monthly"), model.datasets()):
        for name in sorted(dataset.variables):
            values = np.ascontiguousarray(dataset[name].values).tobytes()
            variables[f"{kind}.{name}"] = hashlib.sha256(values).hexdigest()
    digest = hashlib.sha256(json.dumps(variables, sort_keys=True).encode()).hexdigest()
    return {
        "repo": repo,
        "ms_per_step": 1000 * wall,
        "min_ms": 1000 * wall,
        "outputs": digest,
        "variables": variables,
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a", help="checkout A (the reference of the ratio)")
    ap.add_argument("b", help="checkout B")
    ap.add_argument("--runs", type=int, default=5, help="fresh processes per checkout, alternated")
    ap.add_argument("--passes", type=int, default=21, help="timed passes of three months per process")
    ap.add_argument(
        "--whole-run",
        type=float,
        metavar="SCALE",
        help="time whole baseline runs at this scale (build, 48 months, year ends) and compare their outputs",
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        result = whole_run(args.child, args.whole_run) if args.whole_run else child(args.child, args.passes)
        print(json.dumps(result))
        return
    unit = "ms a run" if args.whole_run else "ms a step"
    digests: dict[str, set] = {}
    variables: dict[str, dict] = {}
    repos = [str(Path(args.a).resolve()), str(Path(args.b).resolve())]
    results = {repo: [] for repo in repos}
    for run in range(args.runs):
        for repo in repos:
            command = [sys.executable, __file__, "x", "y", "--child", repo, "--passes", str(args.passes)]
            if args.whole_run:
                command += ["--whole-run", str(args.whole_run)]
            out = subprocess.run(
                command,
                check=True,
                capture_output=True,
                text=True,
                cwd=repo,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            results[repo].append(result["ms_per_step"])
            digests.setdefault(repo, set()).add(result.get("outputs"))
            variables[repo] = result.get("variables", {})
            print(
                f"run {run + 1}/{args.runs}  {repo}: {result['ms_per_step']:.3f} {unit} "
                f"(fastest pass {result['min_ms']:.3f})",
                file=sys.stderr,
                flush=True,
            )
    medians = {repo: statistics.median(values) for repo, values in results.items()}
    for repo in repos:
        print(
            f"{repo}: median {medians[repo]:.3f} {unit} over {args.runs} processes "
            f"({', '.join(f'{v:.2f}' for v in results[repo])})"
        )
    print(f"B / A = {medians[repos[1]] / medians[repos[0]]:.3f}")
    identical, differing = None, None
    if args.whole_run:
        identical = len(digests[repos[0]] | digests[repos[1]]) == 1
        a, b = variables[repos[0]], variables[repos[1]]
        differing = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
        print(
            f"outputs {'bit-identical' if identical else 'differ'} ({len(a)} variables of annual.nc and monthly.nc"
            + (f"; differing: {', '.join(differing)})" if differing else ")")
        )
    print(
        json.dumps(
            {
                "a": repos[0],
                "b": repos[1],
                "ms_per_step": medians,
                "runs": results,
                "ratio_b_over_a": medians[repos[1]] / medians[repos[0]],
                "whole_run_scale": args.whole_run,
                "outputs_identical": identical,
                "variables_differing": differing if args.whole_run else None,
            }
        )
    )


if __name__ == "__main__":
    main()
