"""`kunshan list scenarios|levers|parameters|targets`: what a scenario file may name, from the
tables the model itself reads (so the list cannot drift from what the schema accepts)."""

from __future__ import annotations

import argparse
import os
import sys

KINDS = ("scenarios", "levers", "parameters", "targets")


def rows(kind: str, lang: str = "en") -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(header, rows) of one list, every cell a string; targets labelled in ``lang`` (en or zh)."""
    if kind == "scenarios":
        from model.api import shipped_scenarios

        return ("name", "description"), list(shipped_scenarios().items())
    if kind == "levers":
        from model.policy import LEVERS

        return (
            ("lever", "acts on", "low", "high", "unit"),
            [(name, lever.targets, f"{lever.low:g}", f"{lever.high:g}", lever.unit) for name, lever in LEVERS.items()],
        )
    if kind == "parameters":
        from model.params import SPECS, default_parameters

        values = default_parameters()
        return (
            ("parameter", "value", "low", "high", "unit", "calibrated"),
            [
                (
                    name,
                    f"{getattr(values, name):.6g}",
                    f"{spec.low:g}",
                    f"{spec.high:g}",
                    spec.unit,
                    "yes" if spec.calibrated else "",
                )
                for name, spec in SPECS.items()
            ],
        )
    from model.outputs.labels import target_label
    from model.targets import load_targets

    return (
        ("target", "year", "goal", "unit", "label"),
        [(t.id, str(t.year), f"{t.comparison} {t.value:g}", t.unit, target_label(t, lang)) for t in load_targets()],
    )


def table(header: tuple[str, ...], body: list[tuple[str, ...]]) -> str:
    """Columns padded to their widest cell; the last column is left ragged."""
    widths = [max(len(row[i]) for row in (header, *body)) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
        for row in (header, *body)
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what to list")
    parser.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the targets' labels")


def run(args: argparse.Namespace) -> int:
    try:
        print(table(*rows(args.kind, args.lang)), flush=True)
    except BrokenPipeError:  # `kunshan list parameters | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is quiet
    return 0
