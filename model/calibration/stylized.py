"""Statistics of the stylized facts a credible firm-and-household model must reproduce.

All estimators accept weights because the synthetic populations are sampled: a small firm or a
household row stands for ``weight`` real ones. A weighted estimator is the estimator applied to the
population in which each row is repeated ``weight`` times, without materialising it.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special, stats


def _weights(x: np.ndarray, w: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    w = np.ones_like(x) if w is None else np.asarray(w, dtype=float)
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    return x[ok], w[ok]


def hill_exponent(x: np.ndarray, weights: np.ndarray | None = None, top: float = 0.05) -> float:
    """Hill (maximum-likelihood Pareto) tail exponent on the top ``top`` share of the population.

    With the top group G (weight W) and the threshold u the largest value outside it, the estimate
    is W / sum_G w ln(x/u): the Hill estimator k / sum ln(x_i / x_(k+1)) on the expanded sample.
    A row straddling the cut counts only with the part of its weight inside the top share, so a
    heavily weighted small-firm row cannot swing the estimate.
    """
    x, w = _weights(x, weights)
    x, w = x[x > 0], w[x > 0]
    if len(x) < 3:
        return math.nan
    order = np.argsort(x)[::-1]
    x, w = x[order], w[order]
    target = top * w.sum()
    cum = np.cumsum(w)
    k = int(np.searchsorted(cum, target, side="left"))  # row where the top share is reached
    if k + 1 >= len(x):
        return math.nan
    inside = w[: k + 1].copy()
    inside[k] = target - (cum[k - 1] if k > 0 else 0.0)
    u = x[k + 1]
    logs = np.log(x[: k + 1] / u)
    denominator = float(np.sum(inside * logs))
    return float(inside.sum() / denominator) if denominator > 0 else math.nan


def subbotin_fit(x: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    """Weighted maximum-likelihood fit of the Subbotin (exponential power) density

        f(x) = b / (2 a Gamma(1/b)) exp(-|(x - m) / a|^b),

    the family in which firm growth rates are studied (Bottazzi and Secchi 2006): b = 2 is the
    normal, b = 1 the Laplace ("tent"). A tent-shaped growth distribution has b near 1.
    """
    x, w = _weights(x, weights)
    if len(x) < 10:
        return {"b": math.nan, "a": math.nan, "m": math.nan}
    w = w / w.sum()
    m0 = float(np.sum(w * x))
    a0 = float(np.sqrt(np.sum(w * (x - m0) ** 2))) or 1e-3

    def nll(theta):
        log_b, m, log_a = theta
        b, a = math.exp(log_b), math.exp(log_a)
        z = np.abs((x - m) / a)
        logpdf = math.log(b) - math.log(2.0 * a) - special.gammaln(1.0 / b) - z**b
        return -float(np.sum(w * logpdf))

    best = None
    for b0 in (0.7, 1.0, 1.5, 2.0):
        res = optimize.minimize(
            nll,
            [math.log(b0), float(np.median(x)), math.log(a0)],
            method="Nelder-Mead",
            options={"xatol": 1e-5, "fatol": 1e-9, "maxiter": 4000},
        )
        if best is None or res.fun < best.fun:
            best = res
    log_b, m, log_a = best.x
    return {"b": math.exp(log_b), "a": math.exp(log_a), "m": float(m)}


def lognormal_body(x: np.ndarray, weights: np.ndarray | None = None, body: tuple[float, float] = (0.05, 0.90)) -> dict:
    """Lognormal fit of the body of an income distribution and how well it fits.

    mu and sigma are the weighted median and the weighted interquartile range of log income over
    1.349 (robust to the Pareto top, which would inflate a moment estimate); the fit statistic is
    the largest gap between the weighted empirical CDF and the fitted one over the body quantiles.
    """
    x, w = _weights(x, weights)
    x, w = x[x > 0], w[x > 0]
    order = np.argsort(x)
    y, w = np.log(x[order]), w[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    q = lambda p: float(np.interp(p, cdf, y))
    mu, sigma = q(0.5), (q(0.75) - q(0.25)) / 1.349
    inside = (cdf >= body[0]) & (cdf <= body[1])
    gap = float(np.max(np.abs(cdf[inside] - stats.norm.cdf(y[inside], mu, sigma)))) if inside.any() else math.nan
    return {"mu": mu, "sigma": sigma, "ks_body": gap}


def okun_correlation(output_growth: np.ndarray, unemployment_change: np.ndarray) -> float:
    """Correlation of output growth with the change in the unemployment rate (Okun: negative)."""
    g, u = np.asarray(output_growth, float).ravel(), np.asarray(unemployment_change, float).ravel()
    ok = np.isfinite(g) & np.isfinite(u)
    if ok.sum() < 3 or np.std(g[ok]) == 0 or np.std(u[ok]) == 0:
        return math.nan
    return float(np.corrcoef(g[ok], u[ok])[0, 1])


def okun_slope(output_growth: np.ndarray, unemployment_change: np.ndarray) -> float:
    """OLS slope of the unemployment change on output growth (Okun's coefficient, about -0.3 to -0.5
    in advanced economies, smaller in China where migrants leave rather than stay unemployed)."""
    g, u = np.asarray(output_growth, float).ravel(), np.asarray(unemployment_change, float).ravel()
    ok = np.isfinite(g) & np.isfinite(u)
    if ok.sum() < 3 or np.var(g[ok]) == 0:
        return math.nan
    return float(np.polyfit(g[ok], u[ok], 1)[0])
