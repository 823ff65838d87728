"""The synthetic firm population of end-2021.

Firms with revenue of 1 yi yuan or more are drawn one to one at every scale, from a Pareto upper
tail whose exponent the article's tier counts fix (13 firms at 100 yi or more out of the firms above
1 yi); the top is pinned to the article's counts (1 at 1000 yi, 12 at 100-1000 yi). Smaller firms
are sampled at rate ``scale`` and carry weights so that counts and sums are unbiased. Revenues are
rescaled so that each cluster's output equals the derived 2021 level, and in industry so that the
firms above the statistical threshold (0.2 yi yuan) make up the derived above-scale output.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

import numpy as np

from model.arrays import pairwise_sum
from model.clusters import ClusterTable
from model.constants import PRODUCTIVITY_DISPERSION, TAIWAN_SHARE_OF_FOREIGN
from model.data.derive import InitialTargets
from model.params import Parameters
from model.state import OTHER_FOREIGN, PRIVATE, STATE_OWNED, TAIWAN

# Assumption F3: enterprises by sector (155,730 in all, derive.initial_targets): industry 25,000;
# construction 10,000; agriculture 2,000; services the rest. Large non-industrial firms (1 yi or
# more): 300 in services, 60 in construction (Pareto exponent 1.3, all below 100 yi).
INDUSTRIAL_ENTERPRISES = 25_000
SECTOR_ENTERPRISES = {"construction": 10_000, "agriculture": 2_000}
LARGE_NON_INDUSTRIAL = {"services": 300, "construction": 60}
LARGE_NON_INDUSTRIAL_EXPONENT = 1.3
LARGE_SHARE_CAP = 0.94  # large firms fill at most this share of a cluster's output
LARGE_FILL = 0.96  # share of that room the large industrial firms fill
TOP_FIRM_CAP_YI = 1400.0  # the largest firm's revenue is pinned below this (one stratum can draw any size)
STATE_SHARE = {"industry": 0.03, "construction": 0.10, "agriculture": 0.05, "services": 0.10}
SMALL_FIRM_CAP_YI = 0.99
ABOVE_SCALE_FLOOR_YI = 0.2 * 1.002  # above-scale stratum: 0.2 yi yuan or more (room for the last scaling)
BELOW_SCALE_CAP_YI = 0.2 * 0.995  # industrial body: below the 0.2 yi threshold


@dataclass
class FirmDraw:
    cluster: np.ndarray
    revenue: np.ndarray  # yuan a year
    weight: np.ndarray
    large: np.ndarray  # drawn one to one


def pareto_tail_exponent(n_above_1: int, n_above_100: int) -> float:
    """Exponent of N(>x) = N(>1) x^-alpha passing through the two counts."""
    return float(np.log(n_above_1 / n_above_100) / np.log(100.0))


def stratified_pareto(rng: np.random.Generator, n: int, alpha: float) -> np.ndarray:
    """n draws (yi yuan, descending) from a Pareto above 1, one per equal-probability stratum, so
    that tier counts are near their expectation in every seed."""
    u = (np.arange(n) + rng.random(n)) / n
    return np.sort(u ** (-1.0 / alpha))[::-1]


def pin_top(revenue_yi: np.ndarray, n_1000: int, n_100: int) -> np.ndarray:
    """Pin the largest firms to the article's tier counts (the draws are only stratified)."""
    r = revenue_yi.copy()
    r[:n_1000] = np.clip(r[:n_1000], 1000.0, TOP_FIRM_CAP_YI)
    r[n_1000 : n_1000 + n_100] = np.clip(r[n_1000 : n_1000 + n_100], 100.0, 990.0)
    r[n_1000 + n_100 :] = np.minimum(r[n_1000 + n_100 :], 99.0)
    return r


def choice_by_weight(rng: np.random.Generator, p) -> int:
    """``rng.choice(len(p), p=p)`` without its checks of ``p`` (a third of building a small economy
    went into them): the same algorithm, so the same draw from the same generator state,
    tests/test_initial_state.py checks it against NumPy's.

        c = min{i : F_i > u},   F = cumsum(p) / sum(p),   u ~ U[0, 1)

    ``p`` is a short sequence (one weight per cluster), summed as plain Python floats in the order
    ``np.cumsum`` adds them: building NumPy arrays of fifteen elements and the scalars read from
    them cost more than the arithmetic, once per firm drawn one to one."""
    cdf = list(accumulate(p))
    last = cdf[-1]
    return bisect_right([f / last for f in cdf], rng.random())


def assign_to_clusters(rng: np.random.Generator, sizes: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Place firms (largest first) into clusters with room left, with probability proportional to
    the room; a firm too large for any cluster goes where the most room is. Initialisation only.

    A loop over the large firms (a few hundred) with the clusters' room as a list of Python floats:
    the same IEEE operations as the array version (the room's total by NumPy's pairwise order,
    :func:`model.arrays.pairwise_sum`), so the same clusters, at a fifth of the time."""
    room = [float(r) for r in room]
    out = np.empty(len(sizes), dtype=np.int16)
    for i, x in enumerate(sizes.tolist()):
        p = [r if r >= x else 0.0 for r in room]
        if any(r >= x for r in room):
            total = pairwise_sum(p)
            c = choice_by_weight(rng, [v / total for v in p])
        else:
            c = room.index(max(room))  # the first of the largest, as np.argmax
        out[i] = c
        room[c] -= x
    return out


def _fit_stratum(
    revenue: np.ndarray,
    stratum: np.ndarray,
    cluster: np.ndarray,
    weight: np.ndarray,
    target: np.ndarray,
    low: float,
    high: float | np.ndarray,
    exact: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Scales the revenues of the rows in ``stratum`` so that each cluster's weighted sum meets
    ``target``, keeping each within [low, high] (rounds of scale-and-clip, then an exact last
    scaling where that stays within 0.1%, or everywhere with ``exact``). Returns the revenues and
    the sums reached by cluster."""
    n_clusters = len(target)

    def sums(rev):
        return np.bincount(cluster, weights=weight * rev * stratum, minlength=n_clusters)

    for _ in range(30):
        total = sums(revenue)
        factor = np.where(total > 0, target / np.where(total > 0, total, 1.0), 1.0)
        revenue = np.where(stratum, np.clip(revenue * factor[cluster], low, high), revenue)
    total = sums(revenue)
    factor = np.where(total > 0, target / np.where(total > 0, total, 1.0), 1.0)
    if not exact:
        factor = np.where(np.abs(factor - 1.0) < 1e-3, factor, 1.0)
    revenue = np.where(stratum, revenue * factor[cluster], revenue)
    return revenue, sums(revenue)


def draw_firms(rng: np.random.Generator, scale: float, targets: InitialTargets, table: ClusterTable) -> FirmDraw:
    output_yi = targets.cluster_output
    industry = table.is_industry
    # Large industrial firms, one to one.
    alpha = pareto_tail_exponent(targets.firms_ge_1_yi, targets.firms_ge_1000_yi + targets.firms_100_to_1000_yi)
    large_rev = pin_top(
        stratified_pareto(rng, targets.firms_ge_1_yi, alpha), targets.firms_ge_1000_yi, targets.firms_100_to_1000_yi
    )
    room = np.where(industry, LARGE_SHARE_CAP * output_yi, 0.0)
    # The stratified tail's sum varies with the draw: scale the firms below the top tiers so that
    # the large firms fill a fixed share of industrial output (floor 1 yi yuan keeps them large).
    n_top = targets.firms_ge_1000_yi + targets.firms_100_to_1000_yi
    below_top = large_rev[n_top:]
    wanted = LARGE_FILL * room.sum() - large_rev[:n_top].sum()
    large_rev[n_top:] = np.clip(below_top * wanted / below_top.sum(), 1.0, 99.0)
    large_cluster = assign_to_clusters(rng, large_rev, room)
    over = np.bincount(large_cluster, weights=large_rev, minlength=table.n) / np.where(room > 0, room, 1.0)
    squeeze = np.where(over > 1.0, 1.0 / np.maximum(over, 1e-12), 1.0)[large_cluster]
    rank = np.arange(len(large_rev))
    large_rev = np.where(rank >= n_top, np.maximum(large_rev * squeeze, 1.0), large_rev)
    # Large non-industrial firms.
    extra_rev, extra_cluster = [], []
    for cid, n in LARGE_NON_INDUSTRIAL.items():
        r = np.minimum(stratified_pareto(rng, n, LARGE_NON_INDUSTRIAL_EXPONENT), 95.0)
        c = table.index(cid)
        r *= min(1.0, LARGE_SHARE_CAP * 0.5 * output_yi[c] / r.sum())
        extra_rev.append(np.maximum(r, 1.0))
        extra_cluster.append(np.full(n, c, dtype=np.int16))
    large_rev = np.concatenate([large_rev, *extra_rev])
    large_cluster = np.concatenate([large_cluster, *extra_cluster])
    rank_all = np.arange(len(large_rev))  # the industrial tail first, in rank order; then the others
    large_sum = np.bincount(large_cluster, weights=large_rev, minlength=table.n)
    residual = output_yi - large_sum
    if np.any(residual <= 0):
        raise ValueError("large firms exceed a cluster's output: check LARGE_SHARE_CAP")

    # Small firms, sampled at rate `scale`.
    counts = np.zeros(table.n)
    ind_weight = np.where(industry, np.sqrt(output_yi), 0.0)
    counts += (INDUSTRIAL_ENTERPRISES - targets.firms_ge_1_yi) * ind_weight / ind_weight.sum()
    for cid, n in SECTOR_ENTERPRISES.items():
        counts[table.index(cid)] = n - LARGE_NON_INDUSTRIAL.get(cid, 0)
    rest = targets.enterprises - INDUSTRIAL_ENTERPRISES - sum(SECTOR_ENTERPRISES.values())
    counts[table.index("services")] = rest - LARGE_NON_INDUSTRIAL["services"]
    sampled = np.maximum(2, np.round(counts * scale)).astype(int)
    small_cluster = np.repeat(np.arange(table.n, dtype=np.int16), sampled)
    small_weight = np.repeat(counts / sampled, sampled)
    # Industrial small firms: a share are above scale (0.2-1 yi yuan), Pareto with exponent 0.6
    # between the structure rows; the rest a lognormal body below 0.2 yi yuan.
    mid_share = (targets.above_scale_firms - targets.firms_ge_1_yi) / (INDUSTRIAL_ENTERPRISES - targets.firms_ge_1_yi)
    k = len(small_cluster)
    is_ind = industry[small_cluster]
    mid = is_ind & (rng.random(k) < mid_share)
    u = rng.random(k)
    mid_rev = 0.2 * (1.0 - u * (1.0 - 5.0**-0.6)) ** (-1.0 / 0.6)  # Pareto(0.6) on [0.2, 1)
    body = np.exp(rng.normal(np.where(is_ind, np.log(0.01), np.log(0.005)), np.where(is_ind, 1.0, 1.4)))
    body = np.minimum(body, np.where(is_ind, 0.199, 0.95))
    small_rev = np.where(mid, mid_rev, body)
    # Fit the strata to their totals by cluster. Industry: the above-scale stratum (0.2-1 yi) makes
    # up the above-scale output with the large firms, and the body below the threshold the rest of
    # the gross output (assumption B1). Other sectors: the body makes up the rest of the cluster.
    above = targets.above_scale_output
    mid_target = np.where(industry, np.maximum(above - large_sum, 0.0), 0.0)
    # A small cluster can draw more above-scale firms than its above-scale output holds even at
    # 0.2 yi each: the smallest of them then join the body below the threshold.
    for c in np.flatnonzero(industry):
        rows = np.flatnonzero(mid & (small_cluster == c))
        rows = rows[np.argsort(-mid_rev[rows])]  # largest first
        fits = np.cumsum(small_weight[rows]) * ABOVE_SCALE_FLOOR_YI <= mid_target[c]
        mid[rows[~fits]] = False
    small_rev = np.where(mid, mid_rev, body)
    small_rev, mid_fitted = _fit_stratum(
        small_rev, mid, small_cluster, small_weight, mid_target, ABOVE_SCALE_FLOOR_YI, SMALL_FIRM_CAP_YI
    )
    # Where the above-scale stratum cannot carry its total within its bounds (few sampled rows at
    # small scales), the large firms below the pinned top of that cluster take up the difference.
    gap = mid_target - mid_fitted
    adjustable = (rank_all >= n_top) & industry[large_cluster]
    room_large = np.bincount(large_cluster, weights=large_rev * adjustable, minlength=table.n)
    stretch = np.where(
        (np.abs(gap) > 1e-9 * np.maximum(above, 1.0)) & (room_large > 0),
        (room_large + gap) / np.where(room_large > 0, room_large, 1.0),
        1.0,
    )
    large_rev = np.where(adjustable, np.clip(large_rev * stretch[large_cluster], 1.0, 99.0), large_rev)  # tiers kept
    # The body makes up what is left of each cluster's gross output: in industry the firms below
    # the threshold (B1), elsewhere all small firms.
    large_sum = np.bincount(large_cluster, weights=large_rev, minlength=table.n)
    body_target = output_yi - large_sum - mid_fitted
    body_cap = np.where(industry, BELOW_SCALE_CAP_YI, SMALL_FIRM_CAP_YI)[small_cluster]
    small_rev, _ = _fit_stratum(small_rev, ~mid, small_cluster, small_weight, body_target, 0.0, body_cap, exact=True)

    return FirmDraw(
        cluster=np.concatenate([large_cluster, small_cluster]).astype(np.int16),
        revenue=np.concatenate([large_rev, small_rev]) * 1e8,
        weight=np.concatenate([np.ones(len(large_rev)), small_weight]),
        large=np.concatenate([np.ones(len(large_rev), bool), np.zeros(k, bool)]),
    )


def draw_ownership(rng: np.random.Generator, draw: FirmDraw, table: ClusterTable) -> np.ndarray:
    """Ownership: large firms are foreign with the cluster's foreign share (Taiwan most of it);
    the largest firm is Taiwan-invested (Kunshan's notebook-computer makers); small firms are
    mostly domestic private."""
    n = len(draw.cluster)
    foreign_p = table.foreign_share[draw.cluster] * np.where(draw.large, 1.0, 0.25)
    state_p = np.array([STATE_SHARE[s] for s in table.sector])[draw.cluster]
    u = rng.random(n)
    own = np.full(n, PRIVATE, dtype=np.int8)
    foreign = u < foreign_p
    own[foreign] = np.where(rng.random(foreign.sum()) < TAIWAN_SHARE_OF_FOREIGN, TAIWAN, OTHER_FOREIGN)
    own[(u >= foreign_p) & (u < foreign_p + state_p)] = STATE_OWNED
    own[np.argmax(draw.revenue)] = TAIWAN
    return own


@dataclass
class FirmStart:
    """The firms' end-2021 figures, row by row of the register (yuan a month unless said)."""

    productivity: np.ndarray
    monthly_sales: np.ndarray
    employees: np.ndarray
    labour_per_output: np.ndarray  # by cluster
    capital: np.ndarray  # yuan at 2021 prices
    va: np.ndarray
    intermediate: np.ndarray
    depreciation: np.ndarray
    rural_firm: np.ndarray
    village: np.ndarray
    firm_pay: np.ndarray  # relative pay scale, before the wage level is solved


def start_firms(rng, params: Parameters, draw, employed_by_cluster: np.ndarray, t, table) -> FirmStart:
    """Productivity, employment in line with each cluster's employed persons, capital, value added,
    land (village) and relative pay scales of the drawn firms."""
    nc, nf = table.n, len(draw.cluster)
    productivity = np.exp(rng.normal(-0.5 * PRODUCTIVITY_DISPERSION**2, PRODUCTIVITY_DISPERSION, nf))
    monthly_sales = draw.revenue / 12.0 * t.run_rate
    raw_need = monthly_sales * 12.0 / (table.labour_productivity[draw.cluster] * 1e4) / productivity
    need_by_cluster = np.bincount(draw.cluster, weights=draw.weight * raw_need, minlength=nc)
    ratio = employed_by_cluster / need_by_cluster
    capital = draw.revenue * table.capital_output[draw.cluster]
    va = table.va_ratio[draw.cluster] * monthly_sales
    rural_firm = rng.random(nf) < table.rural_share[draw.cluster]
    village = np.where(rural_firm, rng.integers(0, t.villages, nf), -1).astype(np.int32)
    # Pay scales: clusters pay with the square root of value added per worker; within a cluster,
    # more productive firms pay more.
    va_per_worker = np.bincount(draw.cluster, weights=draw.weight * va, minlength=nc) / employed_by_cluster
    cluster_pay = np.sqrt(va_per_worker / va_per_worker.mean())
    return FirmStart(
        productivity=productivity,
        monthly_sales=monthly_sales,
        employees=raw_need * ratio[draw.cluster],
        labour_per_output=12.0 * ratio / (table.labour_productivity * 1e4),
        capital=capital,
        va=va,
        intermediate=monthly_sales - va,
        depreciation=params.depreciation_rate / 12.0 * capital,
        rural_firm=rural_firm,
        village=village,
        firm_pay=cluster_pay[draw.cluster] * productivity**0.3,
    )
