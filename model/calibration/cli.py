"""`kunshan calibrate` and `kunshan validate`.

Wiring (for model/cli.py's COMMANDS registry)::

    "calibrate": Command("fit the calibrated parameters to Kunshan's statistics (simulated moments)",
                         "model.calibration.cli:calibrate_arguments", "model.calibration.cli:calibrate_command"),
    "validate": Command("check a results folder against observed figures and stylized facts",
                        "model.calibration.cli:validate_arguments", "model.calibration.cli:validate_command"),

``add_parser(subparsers)`` adds both to an argparse subparsers object and ``run(args)`` dispatches,
for callers without the registry.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
import time
from pathlib import Path

# Where `calibrate` writes by default: the folder the user works in. The copy installed with the
# package (model/data/calibrated.toml, inside site-packages after a normal install) is never
# rewritten by a command; `run`, `sweep` and `validate` take --calibration FILE.
DEFAULT_OUT = Path("calibrated.toml")


def calibrate_arguments(parser: argparse.ArgumentParser) -> None:
    from model.calibration import msm

    # fmt: off
    for flag, kind, default, metavar, text in (
        ("--seeds", int, msm.DEFAULT_SEEDS, "N", "seeds per evaluation, the same for every evaluation (default {})"),
        ("--scale", float, msm.DEFAULT_SCALE, "S", "agents per real firm/household (default {})"),
        ("--seed", int, msm.DEFAULT_ROOT_SEED, "ROOT", "root seed of the common random numbers (default {})"),
        ("--maxiter", int, msm.DEFAULT_MAX_EVALUATIONS, "K", "most objective evaluations (each runs N simulations; default {})"),
        ("--workers", int, msm.DEFAULT_WORKERS, "W", "processes (default {}; the result does not depend on it)"),
    ):
        parser.add_argument(flag, type=kind, default=default, metavar=metavar, help=text.format(default))
    # fmt: on
    parser.add_argument(
        "--out",
        type=Path,
        metavar="PATH",
        help=f"file to write (default ./{DEFAULT_OUT}; use it with --calibration, or copy it over "
        "model/data/calibrated.toml to make it the default)",
    )
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="date written into the file (default today)")
    from model.calibration.moments import HISTORY_ORIGIN, LAST_OBSERVED_YEAR

    parser.add_argument(
        "--through",
        type=int,
        metavar="YEAR",
        help=f"data vintage: fit only the observed figures of years up to YEAR, simulating the end of "
        f"{HISTORY_ORIGIN} through YEAR ({HISTORY_ORIGIN + 1}-{LAST_OBSERVED_YEAR}; default "
        f"{LAST_OBSERVED_YEAR}, every observed year). The backtest's forecasts from origin YEAR use the fit "
        f"of YEAR (model/data/calibrated_through_YEAR.toml; default ./calibrated_through_YEAR.toml); "
        f"the data up to {HISTORY_ORIGIN} leave nothing to fit, and that vintage is the SPECS defaults",
    )
    parser.add_argument(
        "--from-defaults", action="store_true", help="start from the SPECS defaults instead of msm.START"
    )
    parser.add_argument(
        "--at",
        type=Path,
        metavar="FILE",
        help="no search: take the values of calibration FILE and estimate only their sampling "
        "covariance and fit table (2 x quantities more evaluations)",
    )
    parser.add_argument(
        "--yes", action="store_true", help="start even when the fit is estimated to take more than an hour"
    )


def _check(condition: bool, key: str, expected: str, got) -> None:
    if not condition:
        from model.config import ConfigError

        raise ConfigError("command line", key, expected, got)


def _check_date(text: str | None) -> str | None:
    """--date must be a calendar date: it is the calibration's label, not free text."""
    if text is None:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    from model.config import ConfigError

    raise ConfigError("command line", "--date", "a date YYYY-MM-DD", text)


def _check_destination(out: Path) -> Path:
    """Refuse, before hours of fitting, a --out that cannot be written or is not a calibration file
    (an existing file is replaced only if `kunshan calibrate` wrote it)."""
    from model.calibration.calibrated import is_calibration_file
    from model.writable import check_output_path

    check_output_path(out, "--out", kind="file")
    _check(
        not out.exists() or is_calibration_file(out),
        "--out",
        "a new file or an earlier calibrated.toml (it is replaced); this file is something else",
        str(out),
    )
    return out


def _check_through(value: int | None) -> int:
    """--through: a year whose data leave a simulated year to fit (moments.check_through says why
    the earliest one does not); None is the last observed year."""
    from model.calibration import moments

    if value is None:
        return moments.LAST_OBSERVED_YEAR
    try:
        return moments.check_through(value)
    except moments.NoHistory as e:
        from model.config import ConfigError

        raise ConfigError(
            "command line",
            "--through",
            f"a year from {moments.HISTORY_ORIGIN + 1} to {moments.LAST_OBSERVED_YEAR} ({e})",
            value,
        ) from None


def default_out(through: int) -> Path:
    """./calibrated.toml for the default vintage, ./calibrated_through_YEAR.toml for an earlier one:
    the name of the installed file each stands for (model.calibration.calibrated.vintage_file_name)."""
    from model.calibration.calibrated import vintage_file_name

    return Path(vintage_file_name(through))


def check_calibration_cost(args: argparse.Namespace) -> None:
    """Memory and time of the fit, before it starts: evaluations x seeds runs of the baseline."""
    from model import runner
    from model.calibration import moments

    months = moments.history_scenario(through=_check_through(getattr(args, "through", None))).n_months
    processes = max(1, min(args.workers, args.seeds))
    runner.check_memory_of(args.scale, processes)  # the fit keeps a few numbers a run, not its datasets
    at_once = max(1, min(processes, runner.usable_cpus()))
    rounds = (args.maxiter + 1) * math.ceil(args.seeds / at_once)  # each evaluation waits for its seeds
    seconds = runner.time_estimate(args.scale, months, rounds * at_once, processes, rounds)
    runner.check_time(
        seconds,
        f"a fit of up to {args.maxiter + 1} evaluations x {args.seeds} seeds at scale "
        f"{args.scale:g} on {processes} process(es)",
        args.yes,
    )


def calibrate_command(args: argparse.Namespace) -> int:
    from model.calibration import msm
    from model.calibration.calibrated import write_calibration
    from model.config import MAX_SEED, MAX_SEEDS, check_arguments

    _check(
        2 <= args.seeds <= MAX_SEEDS,
        "--seeds",
        f"an integer from 2 to {MAX_SEEDS:,} (the spread moments need two)",
        args.seeds,
    )
    check_arguments("command line", prefix="--", scale=args.scale, workers=args.workers)
    _check(0 <= args.seed <= MAX_SEED, "--seed", "an integer from 0 to 2**63 - 1", args.seed)
    _check(args.maxiter >= 1, "--maxiter", "an integer >= 1", args.maxiter)
    date = _check_date(args.date)
    through = _check_through(args.through)
    out = _check_destination(default_out(through) if args.out is None else args.out)
    check_calibration_cost(args)
    command = (
        f"kunshan calibrate --seeds {args.seeds} --scale {args.scale:g} --seed {args.seed} "
        f"--maxiter {args.maxiter}" + (" --from-defaults" if args.from_defaults else "") + _through_option(through)
    )
    start = time.time()
    if args.at is not None:
        return _uncertainty_at(args, out, date, start)

    def progress(k, value, best):
        print(
            f"\r  evaluation {k:4d}  J = {value:10.3f}  best = {best:10.3f}  ({time.time() - start:5.0f} s)",
            end="",
            file=sys.stderr,
            flush=True,
        )

    result = msm.calibrate(
        seeds=args.seeds,
        scale=args.scale,
        root_seed=args.seed,
        max_evaluations=args.maxiter,
        workers=args.workers,
        progress=progress,
        from_defaults=args.from_defaults,
        through=through,
    )
    print(file=sys.stderr)
    write_calibration(out, msm.render_toml(result, date or msm.today(), command))
    print(
        f"calibrated {len(result.theta)} quantities in {result.evaluations} evaluations "
        f"({time.time() - start:.0f} s): J {result.start_objective:.2f} -> {result.objective:.2f} -> {out}"
    )
    print("\n".join(fit_lines(result.table)))
    if through != msm.LAST_OBSERVED_YEAR:
        name = default_out(through)
        print(f"the backtest's forecasts from origin {through} read it as model/data/{name} (copy it there)")
        return 0
    print(
        f"run with it: kunshan run --calibration {out} (or copy it over model/data/calibrated.toml "
        "to make it the default)"
    )
    return 0


def _through_option(through: int) -> str:
    """ " --through YEAR" in the command a file records, for a vintage other than the default (so
    the default file's text is what it was before vintages existed)."""
    from model.calibration.moments import LAST_OBSERVED_YEAR

    return "" if through == LAST_OBSERVED_YEAR else f" --through {through}"


def _uncertainty_at(args: argparse.Namespace, out: Path, date: str | None, start: float) -> int:
    """`calibrate --at FILE`: FILE's values kept, their covariance and fit table estimated anew."""
    from model.calibration import msm
    from model.calibration.calibrated import read_calibration, write_calibration

    through = _check_through(args.through)
    values = read_calibration(args.at)
    theta = {**values.parameters, **values.scenario}
    theta = {k: v for k, v in theta.items() if k in msm.fitted(through) or k in values.parameters}
    uncertainty, table = msm.uncertainty_at(
        theta, seeds=args.seeds, scale=args.scale, root_seed=args.seed, workers=args.workers, through=through
    )
    objective = sum(r["contribution"] for r in table)
    result = msm.Calibration(
        theta=theta,
        objective=objective,
        start_objective=objective,
        evaluations=0,
        table=table,
        seeds=tuple(range(args.seeds)),
        scale=args.scale,
        root_seed=args.seed,
        message=f"no search: the values of {args.at.name}",
        uncertainty=uncertainty,
        through=through,
    )
    command = (
        f"kunshan calibrate --at {args.at} --seeds {args.seeds} --scale {args.scale:g} --seed {args.seed}"
        + _through_option(through)
    )
    write_calibration(out, msm.render_toml(result, date or msm.today(), command))
    sd = ", ".join(
        f"{n} {v**0.5:.3g}"
        for n, v in zip(uncertainty["names"], (row[i] for i, row in enumerate(uncertainty["covariance"])))
    )
    print(f"covariance of {len(uncertainty['names'])} parameters at {args.at} ({time.time() - start:.0f} s) -> {out}")
    print(f"standard deviations: {sd}")
    print("\n".join(fit_lines(table)))
    return 0


def fit_lines(table: list[dict]) -> list[str]:
    lines = [f"{'moment':38s} {'observed':>11s} {'simulated':>11s} {'weight':>10s} {'contribution':>12s}"]
    for r in table:
        lines.append(
            f"{r['moment']:38s} {r['observed']:11.4f} {r['simulated']:11.4f} {r['weight']:10.4g} "
            f"{r['contribution']:12.3f}"
        )
    lines.append(f"{'total':38s} {'':11s} {'':11s} {'':10s} {sum(r['contribution'] for r in table):12.3f}")
    return lines


def validate_arguments(parser: argparse.ArgumentParser) -> None:
    from model.cli import folders_argument, lang_argument, targets_argument

    folders_argument(parser, "run", "?", "results folder of `kunshan run` (default: run the calibrated baseline here)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="default DIR/validation (or results/validation)")
    parser.add_argument("--seeds", type=int, default=10, metavar="N", help="seeds of the runs validate makes itself")
    parser.add_argument("--scale", type=float, default=0.02, metavar="S", help="scale of those runs")
    parser.add_argument(
        "--micro-seeds",
        type=int,
        default=8,
        metavar="N",
        help="seeds of the firm- and household-level runs for the stylized facts (default 8: with 4, "
        "the top-income exponent moved by about 0.1 between seed sets)",
    )
    parser.add_argument("--workers", type=int, default=2, metavar="W", help="processes (default 2)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when any check fails")
    parser.add_argument(
        "--yes", action="store_true", help="start even when validate's own runs are estimated to take more than an hour"
    )
    targets_argument(parser)
    lang_argument(parser)


def _calibrated_baseline(args: argparse.Namespace):
    """The baseline as calibrated in --calibration FILE, for the runs validate makes itself; None
    for the installed calibration. A results folder already records the parameters it ran with."""
    path = getattr(args, "calibration", None)
    if path is None:
        return None
    _check(
        args.run is None,
        "--calibration",
        "no results folder DIR: a calibration applies to the runs validate "
        "makes itself, and DIR records the parameters it ran with",
        str(path),
    )
    from model.calibration.calibrated import read_calibration, with_calibration
    from model.calibration.moments import apply_scenario_values, base_scenario

    values = read_calibration(path)
    return with_calibration(apply_scenario_values(base_scenario(), values.scenario), values)


def validate_command(args: argparse.Namespace) -> int:
    from model.calibration import validate
    from model.config import check_arguments

    _check(args.seeds >= 2, "--seeds", "an integer >= 2", args.seeds)
    _check(args.micro_seeds >= 1, "--micro-seeds", "an integer >= 1", args.micro_seeds)
    check_arguments("command line", prefix="--", scale=args.scale)
    _check(args.workers >= 1, "--workers", "an integer >= 1", args.workers)
    targets = None
    if args.targets is not None:
        from model.config import targets_file
        from model.targets import read_targets

        targets = read_targets(targets_file(str(args.targets), None, "command line", "--targets"))
    report = validate.validate(
        args.run,
        out=args.out,
        seeds=args.seeds,
        scale=args.scale,
        micro_seeds=args.micro_seeds,
        workers=args.workers,
        scenario=_calibrated_baseline(args),
        targets=targets,
        yes=args.yes,
        lang=args.lang,
    )
    from model.outputs import summary_lines
    from model.outputs.labels import word

    print(word("validation_done", args.lang).format(folder=report.folder))
    print("\n".join(validate.check_lines(report.checks, args.lang)))
    print("\n".join(summary_lines(report.targets, args.lang)))
    failed = [c for c in report.checks if not c["pass"]]
    print(word("checks_passed", args.lang).format(passed=len(report.checks) - len(failed), total=len(report.checks)))
    return 1 if args.strict and failed else 0


def add_parser(subparsers) -> None:
    calibrate_arguments(subparsers.add_parser("calibrate", help="fit the calibrated parameters (simulated moments)"))
    validate_arguments(subparsers.add_parser("validate", help="check a run against data and stylized facts"))


def run(args: argparse.Namespace) -> int:
    return {"calibrate": calibrate_command, "validate": validate_command}[args.command](args)


def main(argv: list[str] | None = None) -> int:
    """`python -m model.calibration.cli calibrate ...` until the commands are wired into `kunshan`."""
    parser = argparse.ArgumentParser(prog="kunshan")
    sub = parser.add_subparsers(dest="command", required=True)
    add_parser(sub)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
