"""The `kunshan` command.

Subcommands live in one registry, :data:`COMMANDS`: a help line and two "module:function" names, one
adding the subcommand's arguments, one running it. Modules are imported only for the subcommand
being run, so `kunshan --help` stays instant and a new subcommand is one line here.

Bad input of any kind (scenario files, results folders, command-line values) ends the command with
one line on stderr and exit status 2, before anything is written. Input files are only parsed (TOML,
netCDF), never unpickled or executed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path

import model

USAGE_ERROR = 2


@dataclass(frozen=True)
class Command:
    help: str
    arguments: str  # "module:function(parser)"
    handler: str  # "module:function(args) -> int"


COMMANDS: dict[str, Command] = {
    "run": Command("run a scenario over seeds and write a results folder",
                   "model.cli:run_arguments", "model.cli:run_command"),
    "compare": Command("compare results folders of earlier runs, target by target",
                       "model.cli:compare_arguments", "model.cli:compare_command"),
    "calibrate": Command("fit the calibrated parameters to Kunshan's statistics (simulated moments)",
                         "model.calibration.cli:calibrate_arguments", "model.calibration.cli:calibrate_command"),
    "validate": Command("check a results folder against observed figures and stylized facts",
                        "model.calibration.cli:validate_arguments", "model.calibration.cli:validate_command"),
    "sweep": Command("run an experiment: many scenarios x seeds, locally or on a dask cluster",
                     "model.sweep.cli:add_arguments", "model.sweep.cli:run"),
}


def _resolve(name: str):
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, like every other bad input."""

    def error(self, message: str):
        self.exit(USAGE_ERROR, f"{self.prog}: error: {' '.join(message.split())}\n")


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The full parser; only the selected subcommand's module is imported to add its arguments."""
    parser = _Parser(prog="kunshan", description=model.__doc__)
    parser.add_argument("--version", action="version", version=f"kunshan {model.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, command in COMMANDS.items():
        child = sub.add_parser(name, help=command.help, description=command.help)
        if name == selected:
            _resolve(command.arguments)(child)
    return parser


def main(argv: list[str] | None = None) -> int:
    from model.config import ConfigError

    argv = sys.argv[1:] if argv is None else list(argv)
    selected = next((a for a in argv if not a.startswith("-")), None)
    try:
        args = build_parser(selected if selected in COMMANDS else None).parse_args(argv)
        if args.command is None:
            print(f"kunshan: error: expected a command, one of {', '.join(COMMANDS)} (see kunshan --help)",
                  file=sys.stderr)
            return USAGE_ERROR
        return _resolve(COMMANDS[args.command].handler)(args)
    except SystemExit as exit_:  # --help, --version and argparse's usage errors
        return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
    except ConfigError as err:
        print(f"kunshan: error: {err}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("kunshan: interrupted; nothing was written", file=sys.stderr)
        return 130


# --- run

def run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", type=Path, metavar="SCENARIO.toml",
                        help="scenario file (default: the shipped baseline)")
    parser.add_argument("--seeds", type=int, metavar="N", help="number of seeds (0..N-1) instead of the scenario's")
    parser.add_argument("--scale", type=float, metavar="S", help="agents per real firm/household, in (0, 1]")
    parser.add_argument("--out", type=Path, metavar="DIR", help="results folder (default: results/<scenario name>)")
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="processes to use (default 1)")
    parser.add_argument("--firm-snapshots", action="store_true",
                        help="also write firms.nc: every firm of the first seed, per year (revenue, employees, "
                             "cluster, ownership, alive)")


def run_command(args: argparse.Namespace) -> int:
    from model import outputs
    from model.config import ConfigError, load_scenario, with_overrides
    from model.runner import run_scenario

    if args.workers < 1:
        raise ConfigError("command line", "--workers", "an integer >= 1", args.workers)
    scenario = with_overrides(load_scenario(args.scenario), seeds=args.seeds, scale=args.scale)
    out = outputs.check_destination(args.out or Path("results") / scenario.name)
    annual, monthly = run_scenario(scenario, workers=args.workers)
    firms = None
    if args.firm_snapshots:
        from model.snapshots import firm_snapshots
        firms = firm_snapshots(scenario, scenario.seeds[0])
    outputs.write_results(out, scenario, annual, monthly, firms=firms)
    print(f"{scenario.name}: {len(scenario.seeds)} seeds, scale {scenario.scale:g}, "
          f"{scenario.start} to {scenario.horizon} -> {out}")
    print("\n".join(outputs.summary_lines(outputs.target_rows(annual))))
    return 0


# --- compare

def compare_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("runs", nargs="+", type=Path, metavar="DIR",
                        help="results folders; the first is the reference the others are compared with")
    parser.add_argument("--out", type=Path, metavar="DIR", help="default: results/compare_<a>_vs_<b>")


def compare_command(args: argparse.Namespace) -> int:
    from model import outputs
    from model.config import ConfigError

    if len(args.runs) < 2:
        raise ConfigError("command line", "DIR", "at least two results folders", len(args.runs))
    names = [p.resolve().name for p in args.runs]
    labels = names if len(set(names)) == len(names) else [str(p) for p in args.runs]
    runs = [(label, outputs.open_run(path)) for label, path in zip(labels, args.runs)]
    out = outputs.check_destination(args.out or Path("results") / ("compare_" + "_vs_".join(names)))
    if any(out.resolve() == p.resolve() for p in args.runs):
        raise ConfigError("command line", "--out", "a folder other than the runs being compared", str(out))
    _, rows = outputs.write_comparison(out, runs)
    print(f"compared {', '.join(labels[1:])} against {labels[0]} -> {out}")
    print("\n".join(outputs.comparison_lines(rows)))
    return 0
