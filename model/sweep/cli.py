"""``kunshan sweep``: run an experiment file on this machine or on a dask cluster.

Bad input (experiment file, options, output folder) is reported as one line on stderr with exit
status 2, before anything is written; a failed run is exit status 1 with the finished runs kept.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import importlib
import importlib.util
import signal
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_OUT_ROOT = Path("results") / "sweeps"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The subcommand's options; the ``kunshan`` registry names this as the sweep's arguments."""
    parser.add_argument("experiment", type=Path, metavar="EXPERIMENT.toml", help="experiment file (see docs/sweeps.md)")
    parser.add_argument(
        "--workers", type=int, default=None, metavar="N", help="local worker processes (default: the CPUs available)"
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="dask scheduler address, e.g. tcp://10.0.0.5:8786, or local[:N] for a dask cluster of "
        "N worker processes on this machine (instead of local processes)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"output folder (default: {DEFAULT_OUT_ROOT}/EXPERIMENT_NAME)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue a sweep in OUT, computing only the runs not yet finished"
    )
    parser.add_argument("--scale", type=float, default=None, metavar="S", help="override the experiment's model scale")
    parser.add_argument("--seeds", type=int, default=None, metavar="N", help="override the seeds per point")
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="record a run that fails (NaN outputs, error in OUT/runs/*.failed) and go on",
    )
    parser.add_argument("--no-figures", action="store_true", help="skip the figures")
    from model.cli import lang_argument

    lang_argument(parser)
    parser.add_argument(
        "--yes", action="store_true", help="start a sweep estimated to run longer than 12 hours (see docs/sweeps.md)"
    )
    # For tests and benchmarks: a simulate-compatible "module:function" in place of model.run.simulate.
    parser.add_argument("--run-function", default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from model.cli import refuse
    from model.sweep.analysis import SOBOL_FILE, not_estimable, read_sobol_table
    from model.sweep.engine import SweepError, available_cpus, run_sweep
    from model.sweep.experiment import ExperimentError, load_experiment
    from model.sweep.finish import finish_sweep, finish_without_figures
    from model.sweep.store import disk_full
    from model.writable import check_output_path

    out_dir = args.out

    try:
        if args.workers is not None and args.workers < 1:
            raise ExperimentError(f"--workers: expected a positive integer; got {args.workers}")
        if args.workers is not None and args.scheduler:
            raise ExperimentError("--workers: not used with --scheduler (the cluster's workers run the sweep)")
        experiment = load_experiment(args.experiment, seeds=args.seeds, scale=args.scale)
        if getattr(args, "calibration", None) is not None:  # kunshan sweep --calibration FILE (model/cli.py)
            from model.cli import calibrated

            experiment = dataclasses.replace(
                experiment, base_scenario=calibrated(experiment.base_scenario, args.calibration)
            )
        run_function = _resolve_run_function(args.run_function)
        out_dir = args.out if args.out is not None else DEFAULT_OUT_ROOT / experiment.name
        check_output_path(out_dir)  # as for `kunshan run`: /proc, '', '.', a file, names too long
        report = run_sweep(
            experiment,
            out_dir,
            workers=args.workers or available_cpus(),
            scheduler=args.scheduler,
            resume=args.resume,
            run_function=run_function,
            finish=finish_without_figures if args.no_figures else functools.partial(finish_sweep, lang=args.lang),
            keep_going=args.keep_going,
            confirmed=args.yes,
        )
    except ExperimentError as exc:
        return refuse("kunshan sweep", exc, EXIT_BAD_INPUT)
    except SweepError as exc:
        return refuse("kunshan sweep", exc, EXIT_FAILED)
    except (OSError, RuntimeError) as exc:
        if not disk_full(exc):
            raise
        print(
            f"kunshan sweep: {out_dir}: the disk is full (No space left on device); no partial file is "
            "left, finished runs are kept: free some space and continue with --resume",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM raised as model.cli.Terminated
        signum = int(getattr(stop, "signum", signal.SIGINT))
        print(
            f"kunshan sweep: {'terminated' if signum == signal.SIGTERM else 'interrupted'}; finished runs are "
            "kept, continue with --resume",
            file=sys.stderr,
        )
        return 128 + signum
    from model.outputs.labels import word

    print(
        word("sweep_done", args.lang).format(
            total=report.runs_total,
            computed=report.runs_computed,
            reused=report.runs_reused,
            seconds=report.seconds,
            out=report.out_dir,
        )
    )
    for path in report.files:
        print(f"  {path}")
    sobol = [path for path in report.files if Path(path).name == SOBOL_FILE]
    if sobol and (missing := not_estimable(read_sobol_table(sobol[0]))):
        print(
            f"kunshan sweep: {missing} (target, input) rows of {sobol[0]} have an index that is not estimable "
            "(its interval lies outside [0, 1]; see the note column): more samples are needed",
            file=sys.stderr,
        )
    if report.runs_failed:
        print(
            f"kunshan sweep: {report.runs_failed} runs failed and are NaN in the results (errors in "
            f"{report.out_dir}/sweep.log; --resume retries them)",
            file=sys.stderr,
        )
    return EXIT_OK


def _resolve_run_function(spec: str | None):
    """``None`` keeps the real model; otherwise import ``module:function`` (must be importable by workers)."""
    from model.sweep.experiment import ExperimentError

    if spec is None:
        if importlib.util.find_spec("model.run") is None:
            raise ExperimentError("model.run: expected the model's simulate(), which is not installed yet")
        return None
    module_name, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError):
        raise ExperimentError(f"--run-function: expected an importable module:function; got {spec!r}") from None


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry, ``python -m model.sweep``: ``kunshan sweep``, through the same parser and
    the same SIGTERM handling."""
    from model.cli import main as kunshan_main

    return kunshan_main(["sweep", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
