"""What a finished sweep leaves behind: the combined data, the summary, Sobol indices, figures.

Kept out of the engine so that the engine's tests can stop after the runs, and so that a
finished folder can be re-finished (new figures) without computing anything.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.sweep.analysis import sobol_table
from model.sweep.combine import combine_runs
from model.sweep.experiment import Experiment


def finish_sweep(
    out_dir: str | Path, experiment: Experiment, points: np.ndarray, *, figures: bool = True, lang: str = "en"
) -> list[Path]:
    """Combine the runs, add the Sobol table of a Sobol design and, unless ``figures`` is false,
    draw the figures in ``lang`` (en or zh)."""
    files = list(combine_runs(out_dir, experiment, points))
    if experiment.design == "sobol":
        files.append(sobol_table(out_dir, experiment))
    if figures:
        from model.sweep.figures import draw_figures

        files += draw_figures(out_dir, experiment, lang)
    return files


def finish_without_figures(out_dir: str | Path, experiment: Experiment, points: np.ndarray) -> list[Path]:
    return finish_sweep(out_dir, experiment, points, figures=False)
