"""Budget, debt, bank and the cost and effect of a few levers at scale 0.02, seed 0 of the baseline
(issue 12): `python experiments/public_sector_figures.py` (about a minute per case)."""

import dataclasses

from model.api import load_scenario
from model.run import simulate
from model.scenario import Policy

base = load_scenario("baseline")
cases = {
    "base": (),
    "public_investment_0.02": (Policy("public_investment", None, None, None, 0.02),),
    "village_support_500": (Policy("village_collective_support", None, None, None, 500.0),),
    "shanghai_0.2_from_2023": (Policy("shanghai_integration", None, "2023-01", None, 0.2),),
}
for label, pols in cases.items():
    sc = dataclasses.replace(base, policies=base.policies + pols, scale=0.02)
    a = simulate(sc, 0).annual
    y = a.sel(year=2025)
    cost = float(a.policy_cost.isel(year=slice(1, None)).sum())
    print(
        label,
        "cost_2022_25",
        round(cost, 1),
        "gdp2022",
        round(float(a.gdp.sel(year=2022)), 1),
        "gdp2025",
        round(float(y.gdp), 1),
        "village_inc2025",
        round(float(y.village_collective_income_avg), 1),
        "revenue2025",
        round(float(y.public_revenue), 1),
        "spending2025",
        round(float(y.public_spending), 1),
        "debt",
        a.government_debt.values.round(1).tolist(),
        "bank_equity",
        a.bank_equity.values.round(0).tolist(),
        "bank_loans2025",
        round(float(y.bank_loans), 1),
        "cap_ratio2025",
        round(float(y.bank_capital_ratio), 2),
        "pubK2025",
        round(float(y.public_capital), 0),
        flush=True,
    )
