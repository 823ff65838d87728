"""PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999; Bryant and Lempert 2010), in
the form of the EMA Workbench's ``prim``: one box of the input space in which the cases of interest
(runs that miss a target) are concentrated.

Given inputs ``x`` (runs x inputs) and ``y`` (1 for a case of interest, else 0):

* coverage of a box = cases in the box / all cases; density = cases in the box / runs in the box;
  mass = runs in the box / all runs;
* **peeling**: from the box holding every run, repeatedly remove the slice (the lowest or highest
  ``peel_alpha`` share of the runs still in the box, along one input) whose removal gains most
  density per share of runs removed (the EMA Workbench's default "lenient1" objective), while the
  box keeps at least ``mass_min`` of the runs and the density rises: the sequence of boxes is the
  peeling trajectory, trading coverage for density;
* **pasting**: the chosen box is then widened again, one ``paste_alpha`` slice at a time, wherever
  that raises its density (peeling is greedy and may have cut too much);
* a restricted limit's significance: the one-sided binomial p-value of the box's density against
  the density of the box without that limit (the Workbench's "quasi p-value").

Inputs with few levels (a grid) are peeled a level at a time: a slice never cuts through runs with
the same value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Box:
    low: np.ndarray  # per input, the lowest value inside
    high: np.ndarray
    coverage: float
    density: float
    mass: float
    n: int  # runs inside
    cases: int  # cases of interest inside
    step: int = 0
    pasted: bool = False
    restricted: list[int] = field(default_factory=list)  # inputs whose limits are narrower than the data's


@dataclass
class PrimResult:
    names: list[str]
    trajectory: list[Box]  # peeling steps 0..k, then the pasted box last when pasting changed it
    chosen: Box
    full_low: np.ndarray
    full_high: np.ndarray
    total_cases: int
    total_runs: int


def inside(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    return np.all((x >= low) & (x <= high), axis=1)


def _box(x, y, low, high, total_cases, full_low, full_high, step=0, pasted=False) -> Box:
    mask = inside(x, low, high)
    n, cases = int(mask.sum()), int(y[mask].sum())
    restricted = [j for j in range(x.shape[1]) if low[j] > full_low[j] or high[j] < full_high[j]]
    return Box(
        low.copy(),
        high.copy(),
        cases / total_cases if total_cases else np.nan,
        cases / n if n else np.nan,
        n / len(y),
        n,
        cases,
        step,
        pasted,
        restricted,
    )


def _peels(x, mask, low, high, alpha):
    """Candidate boxes one slice smaller: (input, new low, new high) for the lower and upper slice."""
    for j in range(x.shape[1]):
        values = x[mask, j]
        if values.size == 0 or values.min() == values.max():
            continue
        cut = np.quantile(values, alpha, method="lower")
        above = values[values > cut]  # at least one whole level goes
        if above.size:
            yield j, above.min(), high[j]
        cut = np.quantile(values, 1 - alpha, method="higher")
        below = values[values < cut]
        if below.size:
            yield j, low[j], below.max()


def peel(x: np.ndarray, y: np.ndarray, peel_alpha: float = 0.05, mass_min: float = 0.05) -> list[Box]:
    """The peeling trajectory, from the whole data's box."""
    full_low, full_high = x.min(axis=0), x.max(axis=0)
    total = int(y.sum())
    low, high = full_low.copy(), full_high.copy()
    trajectory = [_box(x, y, low, high, total, full_low, full_high)]
    while True:
        mask = inside(x, low, high)
        n_old, mean_old = mask.sum(), y[mask].mean()
        best, best_gain = None, 0.0
        for j, lo, hi in _peels(x, mask, low, high, peel_alpha):
            new = mask & (x[:, j] >= lo) & (x[:, j] <= hi)
            n_new = new.sum()
            if n_new == 0 or n_new / len(y) < mass_min:
                continue
            gain = (y[new].mean() - mean_old) / ((n_old - n_new) / len(y))  # "lenient1"
            if gain > best_gain:
                best, best_gain = (j, lo, hi), gain
        if best is None:
            return trajectory
        j, low[j], high[j] = best[0], best[1], best[2]
        trajectory.append(_box(x, y, low, high, total, full_low, full_high, step=len(trajectory)))


def paste(x: np.ndarray, y: np.ndarray, box: Box, full_low, full_high, paste_alpha: float = 0.05) -> Box:
    """Widen the box a slice at a time wherever that raises its density."""
    total = int(y.sum())
    low, high = box.low.copy(), box.high.copy()
    while True:
        mask = inside(x, low, high)
        density = y[mask].mean()
        best, best_density = None, density
        n_slice = max(1, int(round(paste_alpha * mask.sum())))
        for j in range(x.shape[1]):
            others = np.ones(len(y), bool)
            for k in range(x.shape[1]):
                if k != j:
                    others &= (x[:, k] >= low[k]) & (x[:, k] <= high[k])
            below = np.sort(x[others & (x[:, j] < low[j]), j])[::-1]
            above = np.sort(x[others & (x[:, j] > high[j]), j])
            for side, values in (("low", below), ("high", above)):
                if not values.size:
                    continue
                edge = values[min(n_slice, values.size) - 1]
                lo, hi = (edge, high[j]) if side == "low" else (low[j], edge)
                new = others & (x[:, j] >= lo) & (x[:, j] <= hi)
                if y[new].mean() > best_density:
                    best, best_density = (j, lo, hi), y[new].mean()
        if best is None:
            return _box(x, y, low, high, total, full_low, full_high, step=box.step, pasted=True)
        j, low[j], high[j] = best[0], best[1], best[2]


def choose(trajectory: list[Box], threshold: float) -> Box:
    """The box of widest coverage among those at least ``threshold`` dense; else the densest."""
    dense = [b for b in trajectory if b.density >= threshold]
    if dense:
        return max(dense, key=lambda b: (b.coverage, b.density))
    return max(trajectory, key=lambda b: (b.density, b.coverage))


def prim(
    x: np.ndarray,
    y: np.ndarray,
    names: list[str],
    threshold: float = 0.8,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> PrimResult:
    """Peel, choose a box on the trajectory, paste it."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.ndim != 2 or len(x) != len(y) or not len(y):
        raise ValueError("x must be runs x inputs and y one value per run")
    full_low, full_high = x.min(axis=0), x.max(axis=0)
    trajectory = peel(x, y, peel_alpha, mass_min)
    chosen = choose(trajectory, threshold)
    pasted = paste(x, y, chosen, full_low, full_high, paste_alpha)
    if not (np.array_equal(pasted.low, chosen.low) and np.array_equal(pasted.high, chosen.high)):
        trajectory.append(pasted)
        chosen = pasted
    return PrimResult(list(names), trajectory, chosen, full_low, full_high, int(y.sum()), len(y))


def quasi_p_values(x: np.ndarray, y: np.ndarray, result: PrimResult) -> dict[int, float]:
    """Per restricted input: P(density this high | the box without that limit), one-sided binomial."""
    from scipy.stats import binomtest

    box = result.chosen
    out = {}
    for j in box.restricted:
        low, high = box.low.copy(), box.high.copy()
        low[j], high[j] = result.full_low[j], result.full_high[j]
        relaxed = inside(x, low, high)
        p = float(np.mean(y[relaxed])) if relaxed.any() else 0.0
        out[j] = float(binomtest(box.cases, box.n, p, alternative="greater").pvalue) if box.n and 0 < p < 1 else 1.0
    return out
