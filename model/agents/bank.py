"""The bank: its balance sheet, its capital ratio, and credit rationing when capital binds.

Assets are loans (firms' and households' negative balances, the county's net debt) and the net
clearing position with banks outside Kunshan (payments to the rest of the world and to higher
levels leave through it); liabilities are the deposits of Kunshan's agents and equity. Equity
moves with the interest margin and loan losses. Pure functions."""

from __future__ import annotations


def clearing_position(equity: float, deposits: float, loans: float) -> float:
    """The bank's net claims on banks outside Kunshan: what deposits and equity fund beyond local
    loans (negative: it borrows there). The balance sheet: loans + N = deposits + equity.

        N = E + Dep - L"""
    return equity + deposits - loans


def risk_weighted_loans(private_loans: float, government_debt: float, government_weight: float) -> float:
    """Risk-weighted assets: private loans at full weight, the county's net debt at its weight.

    RWA = L_p + w_g max(D, 0)"""
    return private_loans + government_weight * max(government_debt, 0.0)


def capital_ratio(equity: float, risk_weighted: float) -> float:
    """Equity over risk-weighted loans (inf without loans).

    k = E / RWA"""
    return equity / risk_weighted if risk_weighted > 0 else float("inf")


def credit_supply(equity: float, requirement: float, risk_weighted: float, firm_loans: float) -> float:
    """Share of firms' usual credit limit the bank grants: 1 while its capital ratio meets the
    requirement; below it, firms' credit shrinks by the shortfall of lending capacity (0 when equity
    is gone), so indebted firms stop ordering capital goods.

        ρ = 1 if E / κ >= RWA, else clip(1 - (RWA - E/κ) / L_f, 0, 1)"""
    capacity = max(equity, 0.0) / requirement
    if capacity >= risk_weighted:
        return 1.0
    if firm_loans <= 0:
        return 0.0
    return min(max(1.0 - (risk_weighted - capacity) / firm_loans, 0.0), 1.0)
