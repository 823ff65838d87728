"""The upper tail of firm revenue is Pareto with an exponent near Axtell's 1.06."""

import numpy as np

from model.model import KunshanModel
from model.scenario import Scenario


def hill_exponent(values: np.ndarray, weights: np.ndarray, top_share: float = 0.05) -> float:
    """Hill estimator on the top share of firms, firms weighted by how many they stand for."""
    order = np.argsort(values)[::-1]
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    k = np.searchsorted(cum, top_share * cum[-1])
    threshold = v[k]
    top = slice(0, k)
    return float(w[top].sum() / np.sum(w[top] * np.log(v[top] / threshold)))


def test_hill_estimator_recovers_a_known_exponent():
    rng = np.random.default_rng(0)
    x = (1.0 - rng.random(200_000)) ** (-1.0 / 1.2)
    assert abs(hill_exponent(x, np.ones_like(x)) - 1.2) < 0.05


def test_upper_tail_exponent_initially_and_after_a_year():
    model = KunshanModel(Scenario(horizon="2022-12"), scale=0.02, rng=np.random.default_rng(2))
    f = model.state.firms
    alpha0 = hill_exponent(f.revenue_last_year[: f.n], f.weight[: f.n])
    model.run()
    f = model.state.firms
    alive = f.alive[: f.n] & (f.revenue_last_year[: f.n] > 0)
    alpha1 = hill_exponent(f.revenue_last_year[: f.n][alive], f.weight[: f.n][alive])
    assert 0.8 <= alpha0 <= 1.4, alpha0
    assert 0.8 <= alpha1 <= 1.4, alpha1
