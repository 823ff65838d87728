"""The figures of `kunshan discover`: the peeling trajectory and the chosen box's limits, with the
words of model/data/labels.toml in ``lang`` (en or zh)."""

from __future__ import annotations

import numpy as np

from model.discovery.prim import PrimResult
from model.outputs.labels import DEFAULT_LANG, target_label, word


def _name(target, lang: str) -> str:
    """The target in a title: its id in English (as ever), its label in Chinese."""
    return target.id if lang == "en" else target_label(target, lang)


def trajectory_figure(result: PrimResult, target, lang: str = DEFAULT_LANG):
    """Coverage against density for every box of the peeling trajectory, coloured by how many inputs
    the box restricts; the chosen box circled."""
    from model.outputs.figures import _figure

    fig, axes = _figure(size=(7, 5.5))
    ax = axes[0, 0]
    boxes = result.trajectory
    coverage = np.array([b.coverage for b in boxes])
    density = np.array([b.density for b in boxes])
    restricted = np.array([len(b.restricted) for b in boxes])
    ax.plot(coverage, density, color="grey", linewidth=0.8, zorder=1)
    points = ax.scatter(coverage, density, c=restricted, cmap="viridis", zorder=2)
    fig.colorbar(points, ax=ax, label=word("inputs restricted", lang))
    ax.scatter(
        [result.chosen.coverage],
        [result.chosen.density],
        s=200,
        facecolors="none",
        edgecolors="crimson",
        linewidths=2,
        zorder=3,
        label=word("chosen box", lang) + (word(" (pasted)", lang) if result.chosen.pasted else ""),
    )
    ax.set_xlabel(word("coverage (share of all misses inside the box)", lang))
    ax.set_ylabel(word("density (share of runs inside the box that miss)", lang))
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(word("peeling_title", lang).format(target=_name(target, lang), year=target.year), fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    return fig


def limits_figure(result: PrimResult, target, lang: str = DEFAULT_LANG):
    """Each input's range in the sweep (grey) and the chosen box's limits (red), on a 0-1 scale."""
    from model.outputs.figures import _figure

    names = result.names
    fig, axes = _figure(size=(8, 0.5 * len(names) + 1.5))
    ax = axes[0, 0]
    span = np.where(result.full_high > result.full_low, result.full_high - result.full_low, 1.0)
    low = (result.chosen.low - result.full_low) / span
    high = (result.chosen.high - result.full_low) / span
    for i in range(len(names)):
        ax.plot([0, 1], [i, i], color="lightgrey", linewidth=6, solid_capstyle="butt")
        colour = "crimson" if i in result.chosen.restricted else "grey"
        ax.plot([low[i], high[i]], [i, i], color=colour, linewidth=6, solid_capstyle="butt")
        ax.text(1.02, i, f"{result.chosen.low[i]:.3g} .. {result.chosen.high[i]:.3g}", va="center", fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_xlim(0, 1.3)
    ax.set_xlabel(word("share of the input's range in the sweep", lang))
    ax.set_title(word("limits_title", lang).format(target=_name(target, lang), year=target.year), fontsize=10)
    return fig
