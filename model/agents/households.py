"""Household behaviour: income from every source, personal taxes, and the consumption plan."""

from __future__ import annotations

import numpy as np


def sum_by_household(person_household: np.ndarray, values: np.ndarray, n_households: int) -> np.ndarray:
    """Persons' values summed by household: x_h = Σ_{i in h} x_i."""
    return np.bincount(person_household, weights=values, minlength=n_households)


def personal_taxes(gross_wage: np.ndarray, tax_rate: float, contribution_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Personal income tax and employee social contributions, withheld from wages.

    PIT = t W,   SC = c W"""
    return tax_rate * gross_wage, contribution_rate * gross_wage


def share_out(total: float, claims: np.ndarray, weight: float, claims_sum: float | None = None) -> np.ndarray:
    """Each household's part of a total paid to all households in proportion to its claim.

    ``weight`` is how many real households each row stands for; the parts times the weight sum to
    the total, so the payer's outflow equals the receivers' inflow. A caller sharing out several
    totals over the same claims may pass their sum.

        x_h = T e_h / (ω Σ e)   (ω real households per row)
    """
    denominator = (claims.sum() if claims_sum is None else claims_sum) * weight
    if denominator <= 0:
        return np.zeros_like(claims)
    return claims * (total / denominator)


def transfer_per_person_by_group(lever_by_target: np.ndarray) -> np.ndarray:
    """Yuan a year per person for each household group (URBAN_REGISTERED, URBAN_MIGRANT,
    RURAL_REGISTERED, RURAL_MIGRANT) from the transfer lever's targets (all, urban, rural, migrant).

        tr = (all + urban, all + urban + migrant, all + rural, all + rural + migrant)"""
    everyone, urban, rural, migrant = lever_by_target
    return np.array([everyone + urban, everyone + urban + migrant, everyone + rural, everyone + rural + migrant])


def disposable_income(
    net_wages: np.ndarray,
    dividends: np.ndarray,
    interest: np.ndarray,
    pensions: np.ndarray,
    transfers: np.ndarray,
    village_payouts: np.ndarray,
) -> np.ndarray:
    """Disposable income as the household survey counts it: wages after tax and contributions,
    property income, and transfers received.

        YD = (1 - t - c) W + Div + i D + pensions + transfers + village payouts"""
    income = net_wages + dividends  # summed left to right, in place
    income += interest
    income += pensions
    income += transfers
    income += village_payouts
    return income


def consumption_plan(
    expected_income: np.ndarray, deposits: np.ndarray, propensity_income: float, propensity_wealth: float
) -> np.ndarray:
    """Spending ordered for next month: a share of expected income plus a slice of savings, never
    more than the household has.

        C = min(max(c_y Ŷ + c_w/12 max(D, 0), 0), max(D + Ŷ, 0))   (Ŷ expected income)"""
    plan = np.maximum(deposits, 0.0)
    plan *= propensity_wealth / 12.0
    plan += propensity_income * expected_income
    np.maximum(plan, 0.0, out=plan)  # within [0, what the household has]
    limit = deposits + expected_income
    return np.minimum(plan, np.maximum(limit, 0.0, out=limit), out=plan)


def pension_per_retiree_by_group(pension_per_year: float) -> np.ndarray:
    """Monthly pension of a retiree of each household group: registered residents only.

    P_g = [g registered] · pension / 12"""
    return np.array([1.0, 0.0, 1.0, 0.0]) * pension_per_year / 12.0


def transfer_per_person_monthly(lever_by_target: np.ndarray, rural_transfer_per_year: float) -> np.ndarray:
    """Monthly transfers per person of each household group: the transfer lever's, plus the standing
    transfer to rural residents (registered or not).

        tr_g = (lever_g + [g rural] · rural transfer) / 12"""
    rural = np.array([0.0, 0.0, 1.0, 1.0]) * rural_transfer_per_year
    return (transfer_per_person_by_group(lever_by_target) + rural) / 12.0


def training_cost_monthly(yuan_per_person_year: float, trainees: float) -> float:
    """Public purchases of rural vocational training this month: the lever's yuan a year for each
    rural labour-force member, a twelfth each month.

        G_train = τ N_rural / 12"""
    return yuan_per_person_year * trainees / 12.0


def training_skill_factor(yuan_per_person: float, skill_return: float) -> float:
    """Factor on a rural worker's earning power after a year of training worth ``yuan_per_person``:

    skill' = skill (1 + r_train τ / 10,000)"""
    return 1.0 + skill_return * yuan_per_person / 10_000.0


def remittances(net_wages: np.ndarray, migrant: np.ndarray, share: float) -> np.ndarray:
    """Money migrant households send to families outside Kunshan: a share of their net wages.

    R_h = ρ [h migrant] (1 - t - c) W_h"""
    return share * net_wages * migrant


def rent_claims(size: np.ndarray, group: np.ndarray, rural_weight: float) -> np.ndarray:
    """Each household's claim on the rent migrants pay: the rooms it lets, in proportion to its
    members if registered (rural households let more: ``rural_weight`` per member); migrants let none.

        k_h = size_h [registered] (1 + (w_r - 1) [rural])"""
    per_member = np.array([1.0, 0.0, rural_weight, 0.0])  # by group: one gather instead of three passes
    return per_member.take(group) * size


def imputed_rent(size: np.ndarray, group: np.ndarray, housing_value_per_person: float, rate: float) -> np.ndarray:
    """Each household's net imputed rent this month on the dwelling it owns (registered households;
    migrants rent): income in the household survey's definition, in kind, so it moves no money.

        ι_h = (r / 12) V size_h [registered]"""
    per_member = np.array([1.0, 0.0, 1.0, 0.0]) * (rate / 12.0 * housing_value_per_person)
    return per_member.take(group) * size


MIGRANT_GROUP = np.array([False, True, False, True])  # by household group: URBAN_MIGRANT, RURAL_MIGRANT


def rent_growth(pay_growth: float, migrant_growth: float, supply_growth: float, elasticity: float) -> float:
    """Yearly growth of the rent per migrant: with tenants' pay (a constant rent-to-pay share) plus
    the pressure of migrants on the dwellings let to them: g_R = g_W + ε (g_M - g_S)."""
    return pay_growth + elasticity * (migrant_growth - supply_growth)
