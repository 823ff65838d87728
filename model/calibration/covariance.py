"""How well the calibration knows its parameters: the sampling covariance the ensembles draw from.

Asymptotic covariance of the simulated-moments estimator (Lee and Ingram 1991; Gourieroux and
Monfort 1996, ch. 2), with the moments' tolerances taken as their standard errors (so the weight
W = diag(1 / tol^2) is the inverse of their covariance and the sandwich collapses):

    Sigma = (1 + 1/S) (J' W J + P)^-1

* J = d m(theta) / d theta, the Jacobian of the simulated moments at the estimate, by central
  differences on the fit's common random numbers (one-sided at a bound);
* S, the seeds each evaluation simulates (the simulation adds 1/S of the data's variance);
* P = diag(12 / (high - low)^2), the precision of a uniform distribution over each quantity's range,
  a weak prior: a parameter the moments do not identify (a column of J near zero) keeps the spread
  of its range instead of an infinite variance, and one they identify is barely moved by it.

Why this and not a bootstrap of the moments: most moments are single observations of one year (there
is nothing to resample), and a bootstrap would refit the model hundreds of times; the tolerances
already state how far each figure may be off. What it leaves out: the model's own misspecification,
which no covariance of this kind measures; the backtest (docs/backtest.md) is the check on that.
"""

from __future__ import annotations

import numpy as np

from model.calibration.moments import Moment
from model.params import SPECS

METHOD = (
    "asymptotic covariance of the simulated-moments estimator, (1 + 1/S) (J'WJ + P)^-1: J by central "
    "differences on the fit's common random numbers, W = diag(1/tolerance^2), P = diag(12/range^2) "
    "(model/calibration/covariance.py)"
)


def difference_steps(theta: dict[str, float], bounds: dict[str, tuple[float, float]]) -> dict[str, float]:
    """h_i = 5% of the quantity's range: large enough that the discrete events of a finite economy do
    not make the difference noise, small against the range the fit searches."""
    return {name: 0.05 * (bounds[name][1] - bounds[name][0]) for name in theta}


def jacobian(
    simulate, theta: dict[str, float], moments: tuple[Moment, ...], bounds: dict[str, tuple[float, float]]
) -> np.ndarray:
    """J[k, i] = (m_k(theta + h_i e_i) - m_k(theta - h_i e_i)) / (theta_i^+ - theta_i^-), each side
    clipped to the range. ``simulate(theta)`` gives the simulated moments by name. A published floor
    the estimate clears (moments.Moment.binds) tells nothing about small moves: its row is zero."""
    names = list(theta)
    steps = difference_steps(theta, bounds)
    at = simulate(theta)
    binding = [m.binds(at[m.name]) for m in moments]
    out = np.zeros((len(moments), len(names)))
    for i, name in enumerate(names):
        low, high = bounds[name]
        up = dict(theta, **{name: min(theta[name] + steps[name], high)})
        down = dict(theta, **{name: max(theta[name] - steps[name], low)})
        width = up[name] - down[name]
        if width <= 0:
            continue
        m_up, m_down = simulate(up), simulate(down)
        out[:, i] = [(m_up[m.name] - m_down[m.name]) / width if b else 0.0 for m, b in zip(moments, binding)]
    return out


def parameter_covariance(
    jac: np.ndarray, moments: tuple[Moment, ...], names: list[str], bounds: dict[str, tuple[float, float]], seeds: int
) -> np.ndarray:
    """(1 + 1/S) (J' W J + P)^-1 over ``names`` (the columns of ``jac``)."""
    weight = np.diag([m.weight for m in moments])
    prior = np.diag([12.0 / (bounds[n][1] - bounds[n][0]) ** 2 for n in names])
    information = jac.T @ weight @ jac + prior
    covariance = (1.0 + 1.0 / seeds) * np.linalg.inv(information)
    return 0.5 * (covariance + covariance.T)


def uncertainty_table(covariance: np.ndarray, names: list[str]) -> dict:
    """The calibration file's ``[uncertainty]``: the block of the model's parameters (the marginal
    distribution of a sub-vector of a normal is its block of the covariance). Calibrated sizes of the
    2022 shocks are history, not forecast inputs, and are left out."""
    keep = [i for i, n in enumerate(names) if n in SPECS]
    block = covariance[np.ix_(keep, keep)]
    return {
        "names": [names[i] for i in keep],
        "method": METHOD,
        "covariance": [[float(v) for v in row] for row in block],
    }
