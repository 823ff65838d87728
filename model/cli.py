"""The `kunshan` command.

Subcommands live in one registry, :data:`COMMANDS`: a help line and two "module:function" names, one
adding the subcommand's arguments, one running it. Modules are imported only for the subcommand
being run, so `kunshan --help` stays instant and a new subcommand is one line here. This module is
the dispatcher and the options several commands share; the commands are in their own modules
(run, compare and reproduce in model.commands).

Bad input of any kind (scenario files, results folders, command-line values, a scale too large for
the machine's memory) ends the command with one line on stderr and exit status 2, before anything is
written. Input files are only parsed (TOML, netCDF), never unpickled or executed. A failure of the
machine while writing (a full disk) is one line and exit status 1. Ctrl-C and SIGTERM (what `kill`,
batch schedulers and containers send) both unwind through the same cleanup, so neither leaves a
half-written folder under a result's name; the exit status is 128 + the signal number.
"""

from __future__ import annotations

import argparse
import importlib
import signal
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import model

USAGE_ERROR = 2
WRITE_ERROR = 1


@dataclass(frozen=True)
class Command:
    help: str
    arguments: str  # "module:function(parser)"
    handler: str  # "module:function(args) -> int"


COMMANDS: dict[str, Command] = {
    "run": Command(
        "run a scenario over seeds and write a results folder",
        "model.commands:run_arguments",
        "model.commands:run_command",
    ),
    "compare": Command(
        "compare results folders of earlier runs, target by target",
        "model.commands:compare_arguments",
        "model.commands:compare_command",
    ),
    "reproduce": Command(
        "run a results folder's recorded scenario and seeds again and check the data are identical",
        "model.commands:reproduce_arguments",
        "model.commands:reproduce_command",
    ),
    "calibrate": Command(
        "fit the calibrated parameters to Kunshan's statistics (simulated moments)",
        "model.calibration.cli:calibrate_arguments",
        "model.calibration.cli:calibrate_command",
    ),
    "validate": Command(
        "check a results folder against observed figures and stylized facts",
        "model.calibration.cli:validate_arguments",
        "model.calibration.cli:validate_command",
    ),
    "sweep": Command(
        "run an experiment: many scenarios x seeds, locally or on a dask cluster",
        "model.sweep.cli:add_arguments",
        "model.sweep.cli:run",
    ),
    "backtest": Command(
        "forecast from past origins with the model and naive benchmarks, and score them",
        "model.forecast.backtest:add_arguments",
        "model.forecast.backtest:run",
    ),
    "optimise": Command(
        "search for the cheapest mix of levers meeting the targets with a required probability",
        "model.optimise.cli:add_arguments",
        "model.optimise.cli:run",
    ),
    "dashboard": Command(
        "serve a live dashboard: move levers and parameters, see the 2025 targets answer",
        "model.dashboard.cli:add_arguments",
        "model.dashboard.cli:run",
    ),
    "discover": Command(
        "scenario discovery over a finished sweep: where a target is missed (PRIM), what matters",
        "model.discovery.cli:add_arguments",
        "model.discovery.cli:run",
    ),
    "list": Command(
        "list the shipped scenarios, the levers, the parameters or the targets",
        "model.catalogue:add_arguments",
        "model.catalogue:run",
    ),
    "verify": Command(
        "check that a results folder's files are as kunshan wrote them (its manifest.json)",
        "model.outputs.commands:verify_arguments",
        "model.outputs.commands:verify_command",
    ),
    "export": Command(
        "write a results folder's annual.nc as a tidy CSV (one row per variable, seed, year, coordinate)",
        "model.outputs.commands:export_arguments",
        "model.outputs.commands:export_command",
    ),
}


def _resolve(name: str):
    module, function = name.split(":")
    return getattr(importlib.import_module(module), function)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, like every other bad input."""

    def error(self, message: str):
        self.exit(USAGE_ERROR, f"{self.prog}: error: {' '.join(message.split())}\n")


# Commands that simulate with the calibrated parameters, and so take --calibration FILE.
CALIBRATED = ("run", "sweep", "validate")


# Options that several commands take, each written once: flag -> help.
# fmt: off
FILE_OPTIONS = {
    "--calibration": "calibrated parameters to simulate with: a calibrated.toml written by 'kunshan calibrate' (default: the one installed with the package)",
    "--targets": "judge the run by this target set (the format of model/data/targets.toml, e.g. 2030 targets) instead of the article's; also the scenario key 'targets'",
}
# fmt: on


def file_argument(parser: argparse.ArgumentParser, flag: str) -> None:
    """One of the shared FILE_OPTIONS."""
    parser.add_argument(flag, type=Path, metavar="FILE", help=FILE_OPTIONS[flag])


def calibration_argument(parser: argparse.ArgumentParser) -> None:
    file_argument(parser, "--calibration")


def folders_argument(parser: argparse.ArgumentParser, name: str, nargs: str, help: str) -> None:
    """Results folders of earlier runs, as the positional argument ``name``."""
    parser.add_argument(name, nargs=nargs, type=Path, metavar="DIR", help=help)


def lang_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of the report, the figures and the console table (default en; zh: Chinese)",
    )


def targets_argument(parser: argparse.ArgumentParser) -> None:
    file_argument(parser, "--targets")


def refuse(command: str, message, status: int) -> int:
    """A command's failure: one line on stderr, the command's name first; returns the exit status."""
    print(f"{command}: {message}", file=sys.stderr)
    return status


def calibrated(scenario, path: Path | None):
    """The scenario with the parameters of calibration file ``path`` (None: unchanged, so the
    installed calibration applies); a bad file is refused in one line."""
    if path is None:
        return scenario
    from model.calibration.calibrated import read_calibration, with_calibration

    return with_calibration(scenario, read_calibration(path))


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The full parser; only the selected subcommand's module is imported to add its arguments."""
    parser = _Parser(prog="kunshan", description=model.__doc__)
    parser.add_argument("--version", action="version", version=f"kunshan {model.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, command in COMMANDS.items():
        child = sub.add_parser(name, help=command.help, description=command.help)
        if name == selected:
            _resolve(command.arguments)(child)
            if name in CALIBRATED:
                calibration_argument(child)
    return parser


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that it unwinds like Ctrl-C: every `finally` and
    cleanup handler runs (a temporary results folder is removed) instead of the process vanishing."""

    signum = signal.SIGTERM


def _raise_terminated(signum, frame):
    raise Terminated()


def _on_sigterm():
    """Install the SIGTERM handler (main thread only, as Python requires); returns the one it replaced."""
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (e.g. main() called from a worker thread)
        return None


def main(argv: list[str] | None = None) -> int:
    previous = _on_sigterm()
    try:
        return _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


_SHOW_WARNING = warnings.showwarning


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning to the user (model.config.OriginWarning): one line, no source location; other
    warnings as Python shows them."""
    from model.config import OriginWarning

    if issubclass(category, OriginWarning):
        print(f"kunshan: warning: {' '.join(str(message).split())}", file=sys.stderr)
    else:
        _SHOW_WARNING(message, category, filename, lineno, file, line)


def _main(argv: list[str] | None = None) -> int:
    from model.config import ConfigError, OriginWarning
    from model.outputs import WriteError
    from model.outputs.atomic import COMPLETED

    COMPLETED.clear()  # main() may be called more than once in a process (tests, notebooks)
    argv = sys.argv[1:] if argv is None else list(argv)
    selected = next((a for a in argv if not a.startswith("-")), None)
    try:
        args = build_parser(selected if selected in COMMANDS else None).parse_args(argv)
        if args.command is None:
            expected = f"expected a command, one of {', '.join(COMMANDS)} (see kunshan --help)"
            return refuse("kunshan: error", expected, USAGE_ERROR)
        with warnings.catch_warnings():
            warnings.simplefilter("always", OriginWarning)
            warnings.showwarning = _one_line_warning
            return _resolve(COMMANDS[args.command].handler)(args)
    except SystemExit as exit_:  # --help, --version and argparse's usage errors
        return exit_.code if isinstance(exit_.code, int) else USAGE_ERROR
    except ConfigError as err:
        return refuse("kunshan: error", err, USAGE_ERROR)
    except WriteError as err:
        return refuse("kunshan: error", " ".join(str(err).split()), WRITE_ERROR)
    except KeyboardInterrupt as stop:
        signum = getattr(stop, "signum", signal.SIGINT)
        done = f"{COMPLETED[-1]} was written whole" if COMPLETED else "nothing was written"
        print(f"kunshan: {'terminated' if signum == signal.SIGTERM else 'interrupted'}; {done}", file=sys.stderr)
        return 128 + int(signum)
