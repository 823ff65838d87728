"""The search: an initial space-filling design, then a pattern search from its best point, every
candidate on the same seeds; every evaluated point kept for the cost-versus-probability front.

Objective. A candidate is *feasible* when P(all targets met) over the search's seeds reaches the
required probability and its mean budget cost is within the cap. The search minimises the
penalised objective

    cost / C + lambda_cap * max(0, cost - cap) / cap + lambda_p * (max(0, p_req - p_all) + s)

(the last term only for candidates short of p_req; s is the mean relative shortfall of the
outcomes, :meth:`Evaluation.shortfall`), with both penalty weights taken to infinity: candidates
are compared lexicographically by the key of :func:`objective_key`. Any feasible candidate beats
any infeasible one, feasible ones by cost; among infeasible ones the one within the cap, then the
one with the higher P(all met), then the one with the smaller shortfall, then the cheaper one wins.
The shortfall matters when no candidate meets every target on any seed (P(all met) = 0
everywhere): it still points the search towards the mixes that come closest.

Noise. P(all met) over n seeds moves in steps of 1/n. With common random numbers the objective is
a deterministic function of the levers for the chosen seeds, so a direct search that compares
points (and needs no gradient) works on it; what it cannot remove is the luck of the seeds
chosen, which is why the winner is run again on fresh seeds (:mod:`model.optimise.cli`).

Pattern search: from the best point, try each lever up and down by a step h in the unit cube
(h = 1/4 first); from a feasible point whose compass moves all fail, also try trading one lever
for another (one down, another up, by h or 2h); move to the best improving point, or halve h when
none improves; stop when h < 1/64 or the evaluations are spent. The trials of one poll run as one
batch, so a pool of workers runs them side by side.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from model.optimise.evaluate import Evaluation, Evaluator
from model.optimise.problem import Problem

FIRST_STEP = 0.25
LAST_STEP = 1.0 / 64.0
_DESIGN_STREAM = 0x0971_5EED  # entropy word for the design's own draws, apart from every run's stream


@dataclass
class SearchResult:
    evaluations: list[Evaluation] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)  # "initial" or "refine <step>", per evaluation
    best: int = -1  # index of the winner (feasible) or the best found (infeasible)
    verification: Evaluation | None = None  # the winner on fresh seeds

    def feasible(self, problem: Problem) -> bool:
        return self.best >= 0 and objective_key(self.evaluations[self.best], problem)[0] == 0


def objective_key(ev: Evaluation, problem: Problem) -> tuple:
    """The lexicographic objective: smaller is better (module docstring)."""
    cost, p_all = ev.mean_cost, ev.p_all(problem.targets)
    over_cap = 0.0 if problem.budget_cap is None else max(0.0, cost - problem.budget_cap)
    if p_all >= problem.probability - 1e-12 and over_cap == 0.0:
        return (0, cost)
    return (1, over_cap, -p_all, ev.shortfall(problem.targets), cost)


def initial_design(problem: Problem) -> np.ndarray:
    """(initial, levers) points of the unit cube: every lever at its low bound, every lever at its
    high bound (whether the most the bounds allow is enough), then a Latin hypercube or scrambled
    Sobol sample, drawn from the problem's root seed (same file, same design)."""
    from scipy.stats import qmc

    d = len(problem.levers)
    corners = np.array([np.zeros(d), np.ones(d)])
    n = problem.initial - 2
    if n <= 0:
        return corners[: problem.initial]
    rng = np.random.default_rng(np.random.SeedSequence([problem.root_seed, _DESIGN_STREAM]))
    if problem.design == "sobol":
        with warnings.catch_warnings():  # balance properties want a power of two; any n is still a good design
            warnings.simplefilter("ignore", UserWarning)
            sample = qmc.Sobol(d, scramble=True, rng=rng).random(n)
    else:
        sample = qmc.LatinHypercube(d, rng=rng).random(n)
    return np.vstack([corners, sample])


def pareto_front(costs: np.ndarray, probabilities: np.ndarray) -> list[int]:
    """Indices of the non-dominated points when cost is minimised and probability maximised, by
    rising cost: no other point is as cheap or cheaper with as high or higher a probability, and
    better in one of the two. Of identical points only the first is kept."""
    costs, probabilities = np.asarray(costs, dtype=float), np.asarray(probabilities, dtype=float)
    order = sorted(range(len(costs)), key=lambda i: (costs[i], -probabilities[i], i))
    front, best_p = [], -np.inf
    for i in order:
        if probabilities[i] > best_p:
            front.append(i)
            best_p = probabilities[i]
    return front


def _key_of_point(unit) -> tuple:
    return tuple(round(float(u), 9) for u in unit)


def _compass(centre: np.ndarray, step: float, feasible: bool) -> list[np.ndarray]:
    """Each lever up and down by ``step`` (down first from a feasible point: savings first)."""
    out = []
    for i in range(len(centre)):
        for sign in (-1, 1) if feasible else (1, -1):
            y = centre.copy()
            y[i] = min(1.0, max(0.0, y[i] + sign * step))
            out.append(y)
    return out


def _trades(centre: np.ndarray, step: float, feasible: bool) -> list[np.ndarray]:
    """One lever down by ``step`` and another up by ``step`` or ``2 step``, and one down by ``2
    step`` with another up by ``step``: moves along the edge of the feasible region, where a
    cheaper lever can stand in for a dearer one. Compass moves alone stall there (each single
    lever down loses the targets, each up costs more)."""
    out = []
    for i in range(len(centre)):
        for j in range(len(centre)):
            if i == j:
                continue
            for down, up in ((step, step), (step, 2 * step), (2 * step, step)):
                y = centre.copy()
                y[i], y[j] = max(0.0, y[i] - down), min(1.0, y[j] + up)
                out.append(y)
    return out


def search(problem: Problem, evaluator: Evaluator, log: Callable[[str], None] = lambda line: None) -> SearchResult:
    """Evaluate the initial design, refine by pattern search, pick the winner (or best found)."""
    result = SearchResult()
    seen: dict[tuple, int] = {}

    def run(units: list, stage: str) -> list[int]:
        units = [u for u in units if _key_of_point(u) not in seen][: problem.evaluations - len(result.evaluations)]
        fresh = []
        for u in units:  # duplicates within the batch
            if _key_of_point(u) not in {_key_of_point(f) for f in fresh}:
                fresh.append(u)
        if not fresh:
            return []
        indices = []
        for ev in evaluator.evaluate(fresh):
            seen[_key_of_point(ev.unit)] = len(result.evaluations)
            indices.append(len(result.evaluations))
            result.evaluations.append(ev)
            result.stages.append(stage)
        best = min(range(len(result.evaluations)), key=lambda i: objective_key(result.evaluations[i], problem))
        top = result.evaluations[best]
        log(
            f"{len(result.evaluations)}/{problem.evaluations} mixes evaluated ({stage}); best so far: "
            f"P(all met) {top.p_all(problem.targets):.0%}, cost {top.mean_cost:,.1f} yi yuan"
        )
        return indices

    run(list(initial_design(problem)), "initial")
    x = min(range(len(result.evaluations)), key=lambda i: objective_key(result.evaluations[i], problem))
    step = FIRST_STEP
    while step >= LAST_STEP and len(result.evaluations) < problem.evaluations:
        centre = np.array(result.evaluations[x].unit)
        feasible = objective_key(result.evaluations[x], problem)[0] == 0
        moved = False
        for poll in (_compass, _trades):
            if poll is _trades and not feasible:
                break
            trials = [y for y in poll(centre, step, feasible) if _key_of_point(y) not in seen]
            new = run(trials, f"refine, step {step:g}") if trials else []
            best = min([x, *new], key=lambda i: objective_key(result.evaluations[i], problem))
            if objective_key(result.evaluations[best], problem) < objective_key(result.evaluations[x], problem):
                x, moved = best, True
                break
        if not moved:
            step /= 2.0
    result.best = min(range(len(result.evaluations)), key=lambda i: objective_key(result.evaluations[i], problem))
    return result
