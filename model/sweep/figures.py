"""Figures of a finished sweep (PNG), drawn from its files, never from memory.

matplotlib's object API (``Figure``, no pyplot): no global state and no backend switch, so drawing
a sweep's figures from a notebook leaves the notebook's backend alone.

Which figures a sweep gets follows from its design: a two-input grid shows where the targets are
likely met over the two inputs; a Sobol design shows which inputs drive each target; a single
point (baseline uncertainty) shows the spread of outcomes around each target.

Their words are those of model/data/labels.toml in the language asked for (``lang``: `kunshan sweep
--lang en|zh`), drawn with model.outputs.fonts.figure_fonts so that Chinese glyphs render.
"""

from __future__ import annotations

import csv
import math
import textwrap
from pathlib import Path

import numpy as np

from model.outputs.labels import DEFAULT_LANG, target_label, unit_label, word
from model.sweep import store
from model.sweep.analysis import SOBOL_FILE, read_sobol_table
from model.sweep.combine import SUMMARY_FILE, SWEEP_FILE, summary_targets
from model.sweep.experiment import Experiment
from model.targets import Target, targets_by_id

FIGURES_DIR = "figures"


def draw_figures(out_dir: str | Path, experiment: Experiment, lang: str = DEFAULT_LANG) -> list[Path]:
    from model.outputs.fonts import figure_fonts

    with figure_fonts():
        return _draw_figures(Path(out_dir), experiment, lang)


def _draw_figures(out_dir: Path, experiment: Experiment, lang: str) -> list[Path]:
    (out_dir / FIGURES_DIR).mkdir(exist_ok=True)
    rows = _read_summary(out_dir / SUMMARY_FILE)
    drawn = []
    if experiment.design == "grid" and len(experiment.inputs) == 2 and len(rows) > 1:
        drawn.append(probability_heatmaps(rows, experiment, out_dir / FIGURES_DIR / "probability_of_targets.png", lang))
    if experiment.design == "sobol" and (out_dir / SOBOL_FILE).is_file():
        drawn.append(
            sobol_bars(
                read_sobol_table(out_dir / SOBOL_FILE), experiment, out_dir / FIGURES_DIR / "sobol_indices.png", lang
            )
        )
    if len(rows) == 1:
        drawn.append(
            outcome_histograms(
                out_dir / SWEEP_FILE, experiment, out_dir / FIGURES_DIR / "outcome_distributions.png", lang
            )
        )
    return drawn


def probability_heatmaps(rows: list[dict], experiment: Experiment, path: Path, lang: str = DEFAULT_LANG) -> Path:
    """One panel per target: probability of meeting it at each combination of the two inputs."""
    x_name, y_name = experiment.input_names
    xs = sorted({float(r[x_name]) for r in rows})
    ys = sorted({float(r[y_name]) for r in rows})
    targets = [t for t in targets_by_id().values() if f"{t.id}_probability" in rows[0]]
    fig, axes = _panels(len(targets), width=4.2, height=3.6)
    for ax, target in zip(axes, targets):
        grid = np.full((len(ys), len(xs)), np.nan)
        for r in rows:
            grid[ys.index(float(r[y_name])), xs.index(float(r[x_name]))] = float(r[f"{target.id}_probability"])
        image = ax.imshow(grid, origin="lower", vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
        for (i, j), p in np.ndenumerate(grid):
            ax.text(j, i, f"{p:.2f}", ha="center", va="center", fontsize=7)
        ax.set_xticks(range(len(xs)), [f"{x:g}" for x in xs], fontsize=7)
        ax.set_yticks(range(len(ys)), [f"{y:g}" for y in ys], fontsize=7)
        ax.set_xlabel(x_name, fontsize=8)
        ax.set_ylabel(y_name, fontsize=8)
        ax.set_title(_title(target, lang), fontsize=8)
    fig.colorbar(image, ax=list(axes), shrink=0.6, label=word("probability of meeting the target", lang))
    fig.suptitle(word("sweep_probability_title", lang).format(name=experiment.name, seeds=experiment.seeds))
    return _save(fig, path)


def sobol_bars(table: list[dict], experiment: Experiment, path: Path, lang: str = DEFAULT_LANG) -> Path:
    """One panel per target: first-order and total indices with their confidence intervals."""
    by_target: dict[str, list[dict]] = {}
    for row in table:
        by_target.setdefault(row["target"], []).append(row)
    targets = targets_by_id()
    fig, axes = _panels(len(by_target), width=4.6, height=0.35 * len(experiment.inputs) + 1.6)
    for ax, (target_id, rows) in zip(axes, by_target.items()):
        names = [r["input"] for r in rows]
        y = np.arange(len(names))
        for offset, key, label in ((-0.2, "S1", word("first order", lang)), (0.2, "ST", word("total", lang))):
            values = np.array([r[key] for r in rows])
            conf = np.where(np.isnan(values), 0.0, np.nan_to_num(np.array([r[f"{key}_conf"] for r in rows])))
            ax.barh(
                y + offset,
                np.nan_to_num(values),
                height=0.4,
                xerr=conf,
                label=label,
                capsize=2,
                error_kw={"elinewidth": 0.8},
            )
        for i, row in enumerate(rows):
            if "not estimable" in row.get("note", ""):
                ax.text(
                    0.02, i, word("not estimable (more samples needed)", lang), va="center", fontsize=6, color="dimgray"
                )
        ax.set_yticks(y, names, fontsize=7)
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.5)
        ax.set_title(_title(targets[target_id], lang) if target_id in targets else target_id, fontsize=8)
        if all(math.isnan(r["S1"]) for r in rows):
            ax.text(0.5, 0.5, word("outcome does not vary", lang), transform=ax.transAxes, ha="center", fontsize=8)
    axes[0].legend(fontsize=7, loc="lower right")
    conf = table[0]["confidence"] if table else experiment.confidence
    fig.suptitle(word("sobol_title", lang).format(name=experiment.name, conf=conf))
    return _save(fig, path)


def outcome_histograms(sweep_nc: Path, experiment: Experiment, path: Path, lang: str = DEFAULT_LANG) -> Path:
    """One panel per target: the distribution of the outcome over seeds, with the target line."""
    import h5netcdf

    with h5netcdf.File(sweep_nc, "r") as nc:
        years = np.asarray(nc.variables["year"][:])
        targets = [t for t in summary_targets(experiment, years) if nc.variables[t.id].ndim == 3]
        outcomes = {
            t.id: np.asarray(nc.variables[t.id][0, :, int(np.flatnonzero(years == t.year)[0])]) for t in targets
        }
    fig, axes = _panels(len(targets), width=4.2, height=3.2)
    for ax, target in zip(axes, targets):
        values = outcomes[target.id][np.isfinite(outcomes[target.id])]
        counts = values.size and np.all(values == np.round(values)) and np.ptp(values) <= 60
        bins = np.arange(values.min() - 0.5, values.max() + 1.5) if counts else min(30, max(5, len(values) // 5))
        ax.hist(values, bins=bins, color="steelblue", alpha=0.8)
        ax.axvline(
            target.value, color="crimson", linestyle="--", label=word("target_line", lang).format(value=target.value)
        )
        share = float(np.mean(target.met(outcomes[target.id]))) if values.size else float("nan")
        ax.set_title(f"{_title(target, lang)}\n{word('p_meet', lang).format(share=share)}", fontsize=8)
        ax.set_xlabel(target.unit if lang == "en" else unit_label(target.unit, lang), fontsize=7)
        ax.locator_params(axis="x", nbins=5)
        ax.legend(fontsize=7)
    fig.suptitle(word("outcomes_title", lang).format(name=experiment.name, seeds=experiment.seeds))
    return _save(fig, path)


def _title(target: Target, lang: str = DEFAULT_LANG) -> str:
    """A panel's title: the target's label, year and goal, wrapped to the panel's width (a Chinese
    character is about twice as wide as a Latin one; textwrap counts characters)."""
    text = word("sweep_target_title", lang).format(
        label=target_label(target, lang), year=target.year, comparison=target.comparison, value=target.value
    )
    return textwrap.fill(text, 48 if lang == "en" else 32)


def _panels(n: int, width: float, height: float):
    from matplotlib.figure import Figure

    cols = min(4, max(1, n))
    rows = max(1, math.ceil(n / cols))
    fig = Figure(figsize=(width * cols, height * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[: max(n, 1)]


def _save(fig, path: Path) -> Path:
    with store.atomic_path(path) as temp:
        fig.savefig(temp, format="png", dpi=110)
    return path


def _read_summary(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:  # written with a byte-order mark (Excel)
        return list(csv.DictReader(fh))
