"""Firm behaviour: expectations, production plans, production, accounts, investment, innovation.

Pure functions over firm arrays (cluster-level inputs are indexed by each firm's cluster before
the call or inside with ``cluster``). Money is in yuan a month.
"""

from __future__ import annotations

import numpy as np


def expected_sales(
    last_sales: np.ndarray, expected_growth: np.ndarray, smoothing: float, previous_expectation: np.ndarray
) -> np.ndarray:
    """Adaptive expectation of this month's sales: a blend of last month's sales, grown at the
    cluster's expected growth, and the previous expectation.

        E_t = (1 + γ_c) (λ S_{t-1} + (1 - λ) E_{t-1})"""
    growth = 1.0 + expected_growth
    expected = last_sales * growth  # the naive expectation, then blended
    expected *= smoothing
    previous = (1.0 - smoothing) * previous_expectation
    previous *= growth
    expected += previous
    return expected


def plan_output(
    expected: np.ndarray, inventory: np.ndarray, target_months: float, adjustment: float, capacity: np.ndarray
) -> np.ndarray:
    """Output planned to meet expected sales and move stocks towards target, within capacity.

    Q = min(max(E + a (m E - I), 0), K̄)   (m target months, a adjustment, K̄ capacity)"""
    wanted = target_months * expected
    wanted -= inventory
    wanted *= adjustment
    wanted += expected
    np.maximum(wanted, 0.0, out=wanted)  # within [0, capacity]
    return np.minimum(wanted, capacity, out=wanted)


def capacity(
    capital: np.ndarray, capital_output: np.ndarray, price: np.ndarray, utilisation_target: float
) -> np.ndarray:
    """Most a firm can produce in a month with its capital (nominal, current prices).

    Capital is valued at 2021 prices, so nominal capacity rises with the firm's price.

        K̄ = K / (κ_c · 12 · u*) · p_c   (κ capital-output ratio a year, u* target utilisation)
    """
    return capital / capital_output / 12.0 / utilisation_target * price


def labour_demand(
    planned_output: np.ndarray,
    price: np.ndarray,
    labour_per_output: np.ndarray,
    productivity: np.ndarray,
    employees: np.ndarray,
    shedding_speed: float,
) -> np.ndarray:
    """Workers wanted: those planned output needs (real output over labour productivity); a firm
    with more workers than that sheds only part of the excess a month (labour hoarding).

        N* = Q / p · ℓ_c / A;   N^d = N - s (N - N*) if N* < N, else N*"""
    needed = planned_output / price * labour_per_output / productivity
    return np.where(needed < employees, employees - shedding_speed * (employees - needed), needed)


def produce(
    planned_output: np.ndarray,
    employees: np.ndarray,
    price: np.ndarray,
    labour_per_output: np.ndarray,
    productivity: np.ndarray,
    capacity_: np.ndarray,
    lost_share: float,
) -> np.ndarray:
    """Output: the plan, limited by the workers the firm got and by capital; a lockdown removes a
    share of it (workers stay employed and paid).

        Y = min(Q, N A p / ℓ_c, K̄) (1 - lockdown)"""
    with np.errstate(divide="ignore", invalid="ignore"):
        by_labour = np.where(labour_per_output > 0, employees * productivity / labour_per_output * price, 0.0)
    return np.minimum(np.minimum(planned_output, by_labour), capacity_) * (1.0 - lost_share)


def operating_surplus(
    output: np.ndarray, intermediate: np.ndarray, wage_bill: np.ndarray, production_tax: np.ndarray, subsidy: np.ndarray
) -> np.ndarray:
    """Gross operating surplus: value added less wages and net taxes on production.

    Π = Y - M - W - T + Sub"""
    return output - intermediate - wage_bill - production_tax + subsidy


def profit_after_tax(
    surplus: np.ndarray, rent: np.ndarray, interest: np.ndarray, depreciation: np.ndarray, tax_rate: float
) -> tuple[np.ndarray, np.ndarray]:
    """Corporate tax on profit (surplus less rent, interest and depreciation) and the profit left.

    tax = τ max(Π - R - i - δ, 0);   profit = (Π - R - i - δ) - tax"""
    taxable = surplus - rent - interest - depreciation
    tax = tax_rate * np.maximum(taxable, 0.0)
    return tax, taxable - tax


def dividends(profit: np.ndarray, payout: float, deposits: np.ndarray) -> np.ndarray:
    """Dividends paid out of positive profit, only by firms whose deposits can cover them.

    Div = min(max(d · profit, 0), max(D, 0))"""
    out = np.maximum(payout * profit, 0.0)  # within [0, max(deposits, 0)]
    return np.minimum(out, np.maximum(deposits, 0.0), out=out)


def investment_order(
    capital: np.ndarray,
    expected: np.ndarray,
    expected_growth: np.ndarray,
    capital_output: np.ndarray,
    depreciation: float,
    adjustment: float,
    price: np.ndarray,
    deposits: np.ndarray,
    credit_limit: np.ndarray,
    boost: np.ndarray,
) -> np.ndarray:
    """Capital goods ordered for delivery next month (nominal): replace wear, close part of the gap
    to the capital that expected sales need, and only while within the credit limit.

        I = p (1 + b) max(δ/12 K + a (12 κ (E/p)(1 + clip(3γ, -5%, 5%)) - K), 0),   0 when D <= -limit"""
    ahead = np.maximum(3.0 * expected_growth, -0.05)  # growth over a quarter ahead, within +-5%
    np.minimum(ahead, 0.05, out=ahead)
    ahead += 1.0
    gap = expected / price  # becomes the gap to the capital that runs at target utilisation
    gap *= ahead
    gap *= 12.0
    gap *= capital_output
    gap -= capital
    gap *= adjustment
    real_order = depreciation / 12.0 * capital
    real_order += gap
    np.maximum(real_order, 0.0, out=real_order)
    real_order *= 1.0 + boost
    real_order *= price
    return np.where(deposits > -credit_limit, real_order, 0.0)


def rd_per_worker_ratio(rd: np.ndarray, employees: np.ndarray, base: np.ndarray) -> np.ndarray:
    """A firm's R&D spending per worker against its cluster's of 2021 (0 without workers or where
    the cluster had no R&D): x = (RD / N) / (RD / N)_c,2021."""
    ok = (employees > 0) & (base > 0)
    return np.where(ok, rd / np.where(ok, employees, 1.0) / np.where(ok, base, 1.0), 0.0)


def innovation_chance(rd_ratio: np.ndarray, probability: float) -> np.ndarray:
    """Monthly chance of a success of search (innovation or imitation), rising in R&D per worker
    as in K+S, 1 - exp(-ζ x) with ζ set so that a firm at its cluster's 2021 R&D per worker has
    chance φ; at most one half:

        θ = min(1 - (1 - φ)^x, 1/2)"""
    return np.minimum(1.0 - (1.0 - probability) ** np.maximum(rd_ratio, 0.0), 0.5)


def innovate(
    productivity: np.ndarray, chance: np.ndarray, uniform: np.ndarray, exponential: np.ndarray, jump_mean: float
) -> np.ndarray:
    """Productivity after this month's innovations: a jump of exponential size (fat-tailed growth)
    where the firm's draw falls below its chance,

        A' = A (1 + μ x) if u < θ, else A;   x ~ Exp(1)"""
    return np.where(uniform < chance, productivity * (1.0 + jump_mean * exponential), productivity)


def imitate(
    productivity: np.ndarray, chance: np.ndarray, uniform: np.ndarray, target: np.ndarray, catch_up: float
) -> np.ndarray:
    """Imitation: where the draw falls below its chance, a firm below the target it can reach
    (Shanghai's frontier, model.actions.investment) closes a share of the gap,

        A' = A + c max(T - A, 0) if u < θ_im, else A"""
    gap = np.maximum(target - productivity, 0.0)
    return np.where(uniform < chance, productivity + catch_up * gap, productivity)


def competitiveness(
    price: np.ndarray, rd_stock: np.ndarray, expected_sales: np.ndarray, price_weight: float, quality_weight: float
) -> np.ndarray:
    """A firm's competitiveness: cheaper and better firms win buyers (K+S),

        E_i = -ω_p log p_i + ω_q q_i,   q_i = R_i / (R_i + 12 E_i)

    p the firm's price, q its quality: its R&D stock against a year's expected sales (in [0, 1))."""
    annual = 12.0 * np.maximum(expected_sales, 0.0)
    stock = np.maximum(rd_stock, 0.0)
    total = stock + annual
    quality = np.where(total > 0, stock / np.where(total > 0, total, 1.0), 0.0)
    return -price_weight * np.log(np.where(price > 0, price, 1.0)) + quality_weight * quality


def replicator_shares(
    share: np.ndarray,
    normal: np.ndarray,
    volatility: float,
    competitiveness_: np.ndarray,
    mean_competitiveness: np.ndarray,
    speed: float,
) -> np.ndarray:
    """Market shares within a cluster move by replicator dynamics on competitiveness, with Gibrat
    shocks (mean-preserving) on top:

        s' = s exp(χ (E_i - Ē_c) + σ ε - σ²/2),   ε ~ N(0, 1)

    Ē_c the share-weighted mean competitiveness of the firm's cluster (gathered to the firm)."""
    x = volatility * normal
    x -= 0.5 * volatility**2
    x += speed * (competitiveness_ - mean_competitiveness)
    np.exp(x, out=x)
    x *= share
    return x


def expected_demand_growth(
    previous: np.ndarray, demand: np.ndarray, last_demand: np.ndarray, weight: float, bound: float
) -> np.ndarray:
    """Firms' expected monthly growth of their cluster's demand, adaptive and bounded:

        γ' = clip((1 - w) γ + w (D / D_last - 1), -b, b)

    (D_last taken as 1 where the cluster had no demand)."""
    growth = demand / np.where(last_demand > 0, last_demand, 1.0) - 1.0
    return np.clip((1.0 - weight) * previous + weight * growth, -bound, bound)


def frontier_growth(
    trend: float,
    shanghai_spillover: float,
    shanghai_integration: float,
    elasticity: float,
    smoothed_before: np.ndarray,
    smoothed_after: np.ndarray,
) -> np.ndarray:
    """Monthly growth of each cluster's productivity frontier: the trend, spillovers from Shanghai in
    proportion to integration, and agglomeration (the elasticity times the log growth of the
    cluster's smoothed real output):

        g_A = (g + σ_S · integration) / 12 + ε log(Ȳ' / Ȳ)"""
    both = (smoothed_before > 0) & (smoothed_after > 0)  # no signal where output vanished (a total lockdown)
    ratio = np.where(both, smoothed_after / np.where(both, smoothed_before, 1.0), 1.0)
    return (trend + shanghai_spillover * shanghai_integration) / 12.0 + elasticity * np.log(ratio)


def rd_intensity(base: np.ndarray, subsidy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R&D spending per yuan of sales by cluster with the R&D subsidy, ρ = ρ₀ (1 + s); the part the
    budget pays, s ρ₀; and the intensity relative to the cluster's norm, ρ / ρ₀ (0 where ρ₀ = 0),
    which sets the chance of innovating."""
    intensity = base * (1.0 + subsidy)
    relative = intensity / np.where(base > 0, base, 1.0) * (base > 0)
    return intensity, subsidy * base, relative
