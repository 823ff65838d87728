"""`kunshan dashboard [--port P] [--host H] [--seeds N] [--scale S]`: serve the dashboard page."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from model.config import ConfigError

MISSING = (
    "the dashboard needs the optional extra 'dashboard' (solara and Mesa's visualization): "
    "pip install -e '.[dashboard]'"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from model.dashboard.ensemble import DEFAULT_SCALE, DEFAULT_SEEDS

    parser.add_argument("--port", type=int, default=8765, metavar="P", help="port to serve on (default 8765)")
    parser.add_argument(
        "--host", default="127.0.0.1", metavar="H", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=DEFAULT_SEEDS,
        metavar="N",
        help=f"seeds run on every change (default {DEFAULT_SEEDS})",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=DEFAULT_SCALE,
        metavar="S",
        help=f"scale of those runs (default {DEFAULT_SCALE:g}; larger is slower)",
    )


def run(args: argparse.Namespace) -> int:
    from model.dashboard.ensemble import SCALE_ENV, SEEDS_ENV, dashboard_scenario, default_values

    if not 0 <= args.port <= 65535:
        raise ConfigError("command line", "--port", "a port number from 0 to 65535", args.port)
    # the same checks a scenario file's seeds and scale get, before the server starts
    dashboard_scenario(default_values(), seeds=args.seeds, scale=args.scale)
    os.environ.update(
        {
            SEEDS_ENV: str(args.seeds),
            SCALE_ENV: repr(args.scale),
            "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no calls home from a planner's machine
            "SOLARA_CHECK_HOOKS": "off",
        }
    )  # its warnings are about Mesa's code, not this one
    try:  # the page's imports, here rather than in the server, so that a missing package is one line
        importlib.import_module("model.dashboard.app")
    except ImportError as err:
        print(f"kunshan: error: {MISSING} ({err})", file=sys.stderr)
        return 2
    from solara.__main__ import cli as solara_cli

    print(f"kunshan dashboard: http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        solara_cli(
            [
                "run",
                "model.dashboard.app",
                "--host",
                args.host,
                "--port",
                str(args.port),
                "--no-open",
                "--no-check-version",
                "--production",
            ],
            standalone_mode=False,
        )
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 0
    return 0
