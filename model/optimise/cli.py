"""`kunshan optimise PROBLEM.toml`: the cheapest mix of levers that meets the chosen targets with the
required probability, its cost-versus-probability front, and the winner checked on fresh seeds."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "problem",
        type=Path,
        metavar="PROBLEM.toml",
        help="the problem: levers and bounds, targets and probability, budget cap, search size "
        "(docs/optimise.md; experiments/optimise_2025.toml)",
    )
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="processes to use (default 1)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="results folder (default: results/<problem name>)")
    parser.add_argument("--seeds", type=int, metavar="N", help="seeds every mix is run on (default: the file's)")
    parser.add_argument("--scale", type=float, metavar="S", help="agents per real firm/household (default: the file's)")
    parser.add_argument("--evaluations", type=int, metavar="N", help="mixes to evaluate (default: the file's)")
    parser.add_argument(
        "--verify-seeds", type=int, metavar="N", help="fresh seeds the winner is run on again (default: the file's)"
    )
    parser.add_argument(
        "--yes", action="store_true", help="start even when the search is estimated to take more than an hour"
    )
    from model.cli import lang_argument

    lang_argument(parser)


def run(args: argparse.Namespace) -> int:
    from model import outputs
    from model.config import ConfigError
    from model.optimise import report
    from model.optimise.evaluate import Evaluator
    from model.optimise.problem import load_problem
    from model.optimise.search import search
    from model.runner import check_memory_of, check_time, time_estimate
    from model.writable import check_output_path

    if args.workers < 1:
        raise ConfigError("command line", "--workers", "an integer >= 1", args.workers)
    problem = load_problem(
        args.problem, seeds=args.seeds, scale=args.scale, evaluations=args.evaluations, verify_seeds=args.verify_seeds
    )
    out = outputs.check_destination(
        check_output_path(Path("results") / problem.name if args.out is None else args.out), inputs=[args.problem]
    )
    months = problem.base.n_months
    runs = problem.evaluations * len(problem.seeds) + len(problem.verify_seeds)
    check_memory_of(problem.scale, args.workers, 0, months)
    check_time(
        time_estimate(problem.scale, months, runs, args.workers),
        f"{problem.evaluations} mixes x {len(problem.seeds)} seeds + {len(problem.verify_seeds)} verification "
        f"runs at scale {problem.scale:g}, {problem.base.start} to {problem.base.horizon}, on {args.workers} "
        "process(es)",
        args.yes,
    )

    def log(line: str) -> None:
        print(f"kunshan optimise: {line}", file=sys.stderr, flush=True)

    began = time.perf_counter()
    with Evaluator(problem, args.workers) as evaluator:
        result = search(problem, evaluator, log)
        best = result.evaluations[result.best]
        result.verification = evaluator.evaluate([best.unit], seeds=problem.verify_seeds)[0]
        runs_done = evaluator.runs
    seconds = time.perf_counter() - began
    with outputs.atomic_folder(out, kind="optimise") as partial:
        report.write(partial, problem, result, seconds, runs_done, args.lang)
    from model.outputs.labels import word

    print(
        word("opt_done", args.lang).format(
            name=problem.name,
            n=len(result.evaluations),
            seeds=len(problem.seeds),
            scale=problem.scale,
            verify=len(problem.verify_seeds),
            minutes=seconds / 60,
            out=out,
        )
    )
    print("\n".join(report.statement(problem, result, args.lang)))
    print(word("the mix:" if result.feasible(problem) else "best found:", args.lang))
    print("\n".join("  " + line[2:] for line in report.lever_lines(problem, best, args.lang)))
    return 0
