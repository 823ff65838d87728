"""Public capital: built by public investment, wearing out, reaching firms with a lag and raising
their productivity with an output elasticity. Pure functions.

The calibrated trend of productivity already holds what the ordinary budget's public capital does
(it grew along with the economy in the years the trend was fitted on); what moves productivity
beyond it is public capital built beyond the ordinary rule (programmes) or not built (cuts under
the debt limit). So the model keeps two stocks: the one built, K, and the one the ordinary rule
alone would have built, K°; productivity follows their ratio."""

from __future__ import annotations

from math import log


def accumulate(stock: float, investment_real: float, depreciation: float) -> float:
    """The stock after a month: K' = K (1 - δ/12) + I / P_I."""
    return stock * (1.0 - depreciation / 12.0) + investment_real


def steady_stock(monthly_investment_real: float, depreciation: float, growth: float) -> float:
    """The stock on a path where investment grows at ``growth`` a year: K = 12 I / (δ + g)."""
    return 12.0 * monthly_investment_real / max(depreciation + growth, 1e-6)


def productivity_growth(
    elasticity: float, built_before: float, built_after: float, ordinary_before: float, ordinary_after: float
) -> float:
    """Monthly growth of firms' productivity from public capital beyond the ordinary path, both
    stocks as they reach firms (smoothed over the lag):

        g_A = θ [log(K̃'/K̃) - log(K̃°'/K̃°)]"""
    if min(built_before, built_after, ordinary_before, ordinary_after) <= 0:
        return 0.0
    return elasticity * (log(built_after / built_before) - log(ordinary_after / ordinary_before))
