"""`kunshan run`, `kunshan compare` and `kunshan reproduce`: simulate a scenario into a results
folder, compare results folders target by target, and run a results folder again to check that it
comes out identical.

Separate from the dispatcher (model.cli), which holds the registry of every command and the
options they share, as every other command lives in its own module (model.calibration.cli,
model.sweep.cli, model.outputs.commands, ...); these three are the commands of single runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import model
from model.cli import calibrated, folders_argument, lang_argument, targets_argument

# --- run


def run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "scenario",
        nargs="?",
        metavar="NAME|SCENARIO.toml",
        help="a shipped scenario's name (kunshan list scenarios) or a scenario file (default: the shipped baseline)",
    )
    parser.add_argument("--seeds", type=int, metavar="N", help="number of seeds (0..N-1) instead of the scenario's")
    parser.add_argument("--scale", type=float, metavar="S", help="agents per real firm/household, in (0, 1]")
    parser.add_argument("--out", type=Path, metavar="DIR", help="results folder (default: results/<scenario name>)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="processes to use (default 1)")
    parser.add_argument(
        "--firm-snapshots",
        action="store_true",
        help="also write firms.nc: every firm of the first seed, per year (revenue, employees, "
        "cluster, ownership, alive)",
    )
    parser.add_argument(
        "--observed",
        type=Path,
        metavar="FILE",
        help="observed-data CSV in the format of model/data/observed_kunshan.csv to build the "
        "initial state from (rows after the origin year are never read)",
    )
    parser.add_argument(
        "--origin",
        type=int,
        metavar="YEAR",
        help="build the economy at the end of YEAR from the data up to YEAR and simulate from the next "
        "January (default: the scenario's origin, else the latest year in which the data hold every "
        "level the initial state reproduces: 2021 for the shipped data); also the scenario key 'origin'. "
        "Policies and shocks that start before the first simulated month are ignored with a warning",
    )
    targets_argument(parser)
    parser.add_argument(
        "--uncertainty",
        choices=("full", "seeds"),
        help="what each run draws: 'full' (the default: its own parameters from the calibration's "
        "sampling covariance, its own exogenous path and its own seed) or 'seeds' (the seed only)",
    )
    lang_argument(parser)
    parser.add_argument(
        "--yes", action="store_true", help="start even when the run is estimated to take more than an hour"
    )


# The options of `run` that replace keys of the scenario (model.config.with_overrides; None keeps).
RUN_OVERRIDES = ("seeds", "scale", "observed", "origin", "targets", "uncertainty")


def run_command(args: argparse.Namespace) -> int:
    from model import outputs
    from model.config import ConfigError, load_scenario, named_or_file, with_overrides
    from model.runner import check_resources, run_scenario
    from model.targets import scenario_targets
    from model.writable import check_output_path

    if args.workers < 1:
        raise ConfigError("command line", "--workers", "an integer >= 1", args.workers)
    chosen = load_scenario() if args.scenario is None else named_or_file(args.scenario)
    scenario = with_overrides(chosen, **{key: getattr(args, key) for key in RUN_OVERRIDES})
    scenario = calibrated(scenario, getattr(args, "calibration", None))
    out = outputs.check_destination(
        check_output_path(Path("results") / scenario.name if args.out is None else args.out)
    )
    check_resources(scenario, args.workers, args.yes)
    annual, monthly = run_scenario(scenario, workers=args.workers)
    firms = None
    if args.firm_snapshots:
        from model.snapshots import firm_snapshots

        firms = firm_snapshots(scenario, scenario.seeds[0])
    outputs.write_results(out, scenario, annual, monthly, firms=firms, lang=args.lang)
    print(
        f"{scenario.name}: {len(scenario.seeds)} seeds, scale {scenario.scale:g}, "
        f"{scenario.start} to {scenario.horizon} -> {out}"
    )
    print("\n".join(outputs.summary_lines(outputs.target_rows(annual, scenario_targets(scenario)), args.lang)))
    return 0


# --- compare


def compare_arguments(parser: argparse.ArgumentParser) -> None:
    folders_argument(parser, "runs", "+", "results folders; the first is the reference the others are compared with")
    parser.add_argument("--out", type=Path, metavar="DIR", help="default: results/compare_<a>_vs_<b>")
    lang_argument(parser)


def compare_command(args: argparse.Namespace) -> int:
    from model import outputs
    from model.config import ConfigError
    from model.writable import check_output_path

    if len(args.runs) < 2:
        raise ConfigError("command line", "DIR", "at least two results folders", len(args.runs))
    names = [p.resolve().name for p in args.runs]
    labels = names if len(set(names)) == len(names) else [str(p) for p in args.runs]
    runs = [(label, outputs.open_run(path)) for label, path in zip(labels, args.runs)]
    out = outputs.check_destination(
        check_output_path(args.out or Path("results") / ("compare_" + "_vs_".join(names))), inputs=args.runs
    )
    _, rows = outputs.write_comparison(out, runs, lang=args.lang)
    print(f"compared {', '.join(labels[1:])} against {labels[0]} -> {out}")
    print("\n".join(outputs.pairing_lines(rows)))
    print("\n".join(outputs.comparison_lines(rows)))
    return 0


# --- reproduce


def reproduce_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run", type=Path, metavar="DIR", help="a results folder written by 'kunshan run'")
    parser.add_argument("--out", type=Path, metavar="DIR", help="default: <DIR>_reproduced beside it")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="processes to use (default 1)")


def reproduce_command(args: argparse.Namespace) -> int:
    """Exit 0 when the annual and monthly data come out identical, 1 when they do not (with the
    variables that differ and, if the code changed since, that it did)."""
    import dataclasses
    import tomllib

    from model import outputs
    from model.config import ConfigError, scenario_from_text, to_toml
    from model.runner import check_memory, run_scenario
    from model.writable import check_output_path

    if args.workers < 1:
        raise ConfigError("command line", "--workers", "an integer >= 1", args.workers)
    annual, monthly = outputs.open_results(args.run)
    source = str(args.run / "annual.nc")
    scenario = scenario_from_text(annual.attrs["scenario"], source)
    # every parameter value as run (calibrated ones may have moved since), checked like a scenario file
    try:
        pinned = tomllib.loads(str(annual.attrs.get("parameters", ""))).get("parameters", {})
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(source, "parameters", "the parameter table written by 'kunshan run'", str(err)) from None
    seeds = tuple(annual["seed"].values.tolist())  # integers: open_results refuses any other seed
    run_as = scenario_from_text(
        to_toml(dataclasses.replace(scenario, parameters={**scenario.parameters, **pinned}, seeds=seeds)), source
    )
    check_memory(run_as, args.workers)
    out = outputs.check_destination(
        check_output_path(args.out or args.run.with_name(args.run.name + "_reproduced")), inputs=[args.run]
    )
    new_annual, new_monthly = run_scenario(run_as, workers=args.workers)
    written = outputs.write_results(out, run_as, new_annual, new_monthly)
    new_annual, new_monthly = outputs.open_results(written)  # compared as written, attributes included
    differ = outputs.differences("annual", annual, new_annual) + outputs.differences("monthly", monthly, new_monthly)
    same_code = annual.attrs.get("code_digest") == outputs.code_digest()
    print(f"{scenario.name}: {len(seeds)} seeds, scale {scenario.scale:g}, run again -> {out}")
    if not differ:
        print("identical: every value, coordinate and attribute of annual.nc and monthly.nc was reproduced exactly")
        return 0
    shown = ", ".join(differ[:8]) + (f" and {len(differ) - 8} more" if len(differ) > 8 else "")
    print(
        f"NOT identical: {shown} differ; "
        + (
            "the model's code and data are unchanged, so this is a bug: please report it"
            if same_code
            else f"the model changed since (recorded kunshan {annual.attrs.get('kunshan_version')}, "
            f"now {model.__version__}; code digest differs)"
        ),
        file=sys.stderr,
    )
    return 1
