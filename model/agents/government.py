"""The public budget: taxes kept locally, and next month's spending."""

from __future__ import annotations


def split_tax(amount: float, local_share: float) -> tuple[float, float]:
    """Taxes collected in Kunshan: the part its budget keeps, and the part sent to higher levels.

    local = θ T,   higher = (1 - θ) T"""
    return local_share * amount, (1.0 - local_share) * amount


def spending_budget(smoothed_revenue: float, ratio: float, committed: float) -> float:
    """What is left for purchases after pensions, transfers and subsidies, from smoothed revenue.

    B = max(r R̄ - commitments, 0)"""
    return max(ratio * smoothed_revenue - committed, 0.0)


def public_orders(
    budget: float, investment_share: float, services_lever: float, investment_lever: float, gdp_month: float
) -> tuple[float, float]:
    """Next month's public consumption and investment: the budget split by the investment share,
    plus spending the policy levers add as shares of this month's GDP (financed by borrowing).

        G = (1 - ι) B + g_s Y,   I_g = ι B + g_i Y"""
    consumption = (1.0 - investment_share) * budget + services_lever * gdp_month
    investment = investment_share * budget + investment_lever * gdp_month
    return consumption, investment
