"""`kunshan discover SWEEP_DIR --target ID [--out DIR]`: PRIM and feature scores over a finished sweep.

Reads ``SWEEP_DIR/sweep.nc`` (written by `kunshan sweep`): the inputs the sweep varied (one value per
point: parameters, lever sizes, shock sizes) and each output by point, seed and year. A run (a point
and a seed) *misses* the target when its value in the target's year does not meet it; runs that
failed (NaN) are left out. Writes, atomically, to ``DIR`` (default
``results/discover_<experiment>_<target>``):

* ``box.csv``: the chosen box, one row per input: its limits against the sweep's range, whether PRIM
  restricted it, and the quasi p-value of each restriction; the box's coverage, density and mass;
* ``trajectory.csv``: every box of the peeling trajectory (step, coverage, density, mass, runs,
  restricted inputs) and the pasted box last;
* ``feature_scores.csv``: per target of the sweep (every target id among its outputs, in its year)
  and input, the Kolmogorov-Smirnov distance between the input's values in missed and met runs;
* ``figures/peeling_trajectory.png`` (coverage against density, the chosen box marked) and
  ``figures/box_limits.png`` (the box's limits on each input's range);
* ``report.html`` with all of it, and ``manifest.json``.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

import numpy as np

from model.config import ConfigError

SOURCE = "command line"
BOX_COLUMNS = (
    "input",
    "low",
    "high",
    "sweep_low",
    "sweep_high",
    "restricted",
    "quasi_p_value",
    "coverage",
    "density",
    "mass",
    "runs",
    "cases",
)
TRAJECTORY_COLUMNS = ("step", "pasted", "coverage", "density", "mass", "runs", "cases", "restricted")
SCORE_COLUMNS = ("target", "year", "input", "ks", "p_value", "share_missed", "runs")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sweep", type=Path, metavar="SWEEP_DIR", help="a folder written by 'kunshan sweep'")
    parser.add_argument(
        "--target", required=True, metavar="ID", help="the target whose misses to explain (kunshan list targets)"
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="default: results/discover_<experiment>_<target>")
    parser.add_argument(
        "--targets",
        type=Path,
        metavar="FILE",
        help="a target set of your own (the format of model/data/targets.toml) instead of the article's",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=0.8,
        metavar="D",
        help="choose the widest box on the trajectory at least this dense in misses (default 0.8; "
        "the densest box when none is)",
    )
    parser.add_argument(
        "--peel-alpha",
        type=float,
        default=0.05,
        metavar="A",
        help="share of the box's runs one peel removes (default 0.05)",
    )
    parser.add_argument(
        "--mass-min",
        type=float,
        default=0.05,
        metavar="M",
        help="smallest share of all runs a box may hold (default 0.05)",
    )
    from model.cli import lang_argument

    lang_argument(parser)


def _check(condition: bool, key: str, expected: str, got) -> None:
    if not condition:
        raise ConfigError(SOURCE, key, expected, got)


def read_sweep(folder: Path):
    """The sweep's dataset and the names of its inputs, or one line saying what is wrong."""
    import xarray as xr

    from model.sweep.combine import SWEEP_FILE

    path = folder / SWEEP_FILE
    expected = f"a folder of a finished 'kunshan sweep' (with {SWEEP_FILE})"
    if not folder.is_dir():
        raise ConfigError(folder, None, expected, "not a folder")
    if not path.exists():
        raise ConfigError(folder, None, expected, f"no {SWEEP_FILE}: is the sweep finished?")
    if not path.is_file():  # a FIFO would hang the reader
        raise ConfigError(path, None, "a regular file", "not a regular file")
    try:
        ds = xr.open_dataset(path, engine="h5netcdf").load()
    except (OSError, ValueError) as err:
        raise ConfigError(path, None, "the netCDF file of a finished sweep", str(err).splitlines()[0]) from None
    inputs = [str(n) for n, v in ds.variables.items() if v.dims == ("point",) and n != "point"]
    if not inputs or "seed" not in ds.dims or "year" not in ds.dims:
        raise ConfigError(path, None, "a sweep's netCDF file (dims point, seed, year and the varied inputs)")
    return ds, inputs


def _cases(ds, target, x_points):
    """(inputs per run, missed per run) over the runs that finished, for one target."""
    values = np.asarray(ds[target.id].sel(year=target.year).transpose("point", "seed").values, float)
    runs = np.repeat(x_points, values.shape[1], axis=0)
    flat = values.ravel()
    ok = np.isfinite(flat)
    return runs[ok], ~target.met(flat[ok])


def run(args: argparse.Namespace) -> int:
    from model.discovery.prim import prim, quasi_p_values
    from model.discovery.scores import ks_scores
    from model.outputs import atomic_folder, check_destination, write_csv
    from model.outputs.fonts import figure_fonts
    from model.targets import load_targets, read_targets

    _check(0 < args.threshold <= 1, "--threshold", "a density in (0, 1]", args.threshold)
    _check(0 < args.peel_alpha < 0.5, "--peel-alpha", "a share in (0, 0.5)", args.peel_alpha)
    _check(0 < args.mass_min < 1, "--mass-min", "a share in (0, 1)", args.mass_min)
    all_targets = load_targets() if args.targets is None else read_targets(args.targets)
    ds, inputs = read_sweep(args.sweep)
    years = [int(y) for y in ds["year"].values]
    measured = [
        t
        for t in all_targets
        if t.id in ds.data_vars and t.year in years and set(ds[t.id].dims) == {"point", "seed", "year"}
    ]
    ids = sorted({t.id for t in all_targets})
    chosen = [t for t in measured if t.id == args.target]
    if not chosen:
        from model.config import closest

        have = ", ".join(f"{t.id} ({t.year})" for t in measured) or "none"
        raise ConfigError(
            SOURCE,
            "--target",
            f"a target the sweep measured in its year: {have}",
            args.target,
            closest(args.target, ids),
        )
    target = chosen[0]
    name = str(ds.attrs.get("experiment", args.sweep.name))
    out = check_destination(args.out or Path("results") / f"discover_{name}_{target.id}", inputs=[args.sweep])
    x_points = np.column_stack([np.asarray(ds[i].values, float) for i in inputs])
    x, missed = _cases(ds, target, x_points)
    if not len(x):
        raise ConfigError(args.sweep, target.id, "finished runs (every run of the sweep failed)")
    result = prim(x, missed, inputs, threshold=args.threshold, peel_alpha=args.peel_alpha, mass_min=args.mass_min)
    qp = quasi_p_values(x, missed.astype(float), result)
    box = result.chosen
    box_rows = [
        {
            "input": n,
            "low": box.low[j],
            "high": box.high[j],
            "sweep_low": result.full_low[j],
            "sweep_high": result.full_high[j],
            "restricted": "yes" if j in box.restricted else "",
            "quasi_p_value": qp.get(j, np.nan),
            "coverage": box.coverage,
            "density": box.density,
            "mass": box.mass,
            "runs": box.n,
            "cases": box.cases,
        }
        for j, n in enumerate(inputs)
    ]
    trajectory_rows = [
        {
            "step": b.step,
            "pasted": "yes" if b.pasted else "",
            "coverage": b.coverage,
            "density": b.density,
            "mass": b.mass,
            "runs": b.n,
            "cases": b.cases,
            "restricted": " ".join(inputs[j] for j in b.restricted),
        }
        for b in result.trajectory
    ]
    score_rows = []
    for t in measured:
        xt, mt = _cases(ds, t, x_points)
        stats, pvalues = ks_scores(xt, mt) if len(xt) else (np.full(len(inputs), np.nan),) * 2
        for j, n in enumerate(inputs):
            score_rows.append(
                {
                    "target": t.id,
                    "year": t.year,
                    "input": n,
                    "ks": stats[j],
                    "p_value": pvalues[j],
                    "share_missed": float(mt.mean()) if len(mt) else np.nan,
                    "runs": len(mt),
                }
            )
    with figure_fonts():
        from model.discovery.figures import limits_figure, trajectory_figure

        drawn = {
            "peeling_trajectory": trajectory_figure(result, target, args.lang),
            "box_limits": limits_figure(result, target, args.lang),
        }
        with atomic_folder(out, kind="discovery") as tmp:
            write_csv(tmp / "box.csv", BOX_COLUMNS, box_rows)
            write_csv(tmp / "trajectory.csv", TRAJECTORY_COLUMNS, trajectory_rows)
            write_csv(tmp / "feature_scores.csv", SCORE_COLUMNS, score_rows)
            from model.outputs import figures

            pngs = figures.save_figures(tmp / "figures", drawn)
            _report(tmp / "report.html", name, target, result, box_rows, trajectory_rows, score_rows, pngs, args.lang)
    from model.discovery.figures import _name
    from model.outputs.labels import word

    named = {"target": _name(target, args.lang), "year": target.year, "comparison": target.comparison}
    print(
        word("discover_done", args.lang).format(
            **named, value=target.value, cases=result.total_cases, runs=result.total_runs, out=out
        )
    )
    print("\n".join(box_lines(box_rows, args.lang)))
    return 0


def box_lines(box_rows: list[dict], lang: str = "en") -> list[str]:
    """The chosen box for a terminal, in ``lang``: its statistics, then each restricted input's limits."""
    from model.outputs.console import plain_number
    from model.outputs.labels import word

    if not box_rows:
        return []
    first = box_rows[0]
    lines = [
        word("box_line", lang).format(
            coverage=first["coverage"],
            density=first["density"],
            mass=first["mass"],
            cases=first["cases"],
            runs=first["runs"],
        )
    ]
    restricted = [r for r in box_rows if r["restricted"]]
    if not restricted:
        lines.append(word("no_input_restricted", lang))
    for r in restricted:
        sweep = word("restricted_line", lang).format(
            low=plain_number(r["sweep_low"]), high=plain_number(r["sweep_high"]), p=r["quasi_p_value"]
        )
        lines.append(f"  {r['input']:<40} {plain_number(r['low']):>10} .. {plain_number(r['high']):<10} {sweep}")
    return lines


def _report(path, name, target, result, box_rows, trajectory_rows, score_rows, pngs, lang: str = "en") -> None:
    import model
    from model.outputs import report
    from model.outputs.labels import target_label, unit_label, word
    from model.outputs.provenance import utc_now

    columns = [c for c in BOX_COLUMNS if c not in ("coverage", "density", "mass", "runs", "cases")]
    body = (
        report.section(
            word("Where the target is missed (PRIM box)", lang),
            "<p>"
            + html.escape(" ".join(box_lines(box_rows, lang)[:1]))
            + "</p>"
            + report.table(box_rows, columns, lang=lang),
        )
        + report.figures_html(
            pngs,
            {
                "peeling_trajectory": word("peeling_description", lang),
                "box_limits": word("limits_description", lang),
            },
            word("Figures", lang),
        )
        + report.section(word("Peeling trajectory", lang), report.table(trajectory_rows, TRAJECTORY_COLUMNS, lang=lang))
        + report.section(
            word("Feature scores (Kolmogorov-Smirnov distance, missed vs met runs)", lang),
            report.table(score_rows, SCORE_COLUMNS, lang=lang),
        )
    )
    report.write_html(
        path,
        word("discover_title", lang).format(label=target_label(target, lang), year=target.year),
        word("discover_subtitle", lang).format(
            name=name,
            year=target.year,
            comparison=target.comparison,
            value=target.value,
            unit=target.unit if lang == "en" else unit_label(target.unit, lang),
        ),
        {"kunshan_version": model.__version__, "created_utc": utc_now(), "sweep": name},
        body,
        lang,
    )
