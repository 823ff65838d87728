"""Industrial land-transfer revenue of the baseline in 2022 (issue 12), seeds 0-2 at scale 0.02, and
the same runs with land given away (`industrial_land_price` 0):
`python experiments/land_revenue.py` (a few seconds a run)."""

import dataclasses

from model.api import load_scenario
from model.run import simulate

base = dataclasses.replace(load_scenario("baseline"), horizon="2022-12", scale=0.02, uncertainty="seeds")
for price in (None, 0.0):
    scenario = (
        base
        if price is None
        else dataclasses.replace(base, parameters={**base.parameters, "industrial_land_price": price})
    )
    for seed in range(3):
        y = simulate(scenario, seed).annual.sel(year=2022)
        print(
            "price" if price is None else "price 0",
            "seed",
            seed,
            *(
                f"{k} {float(y[k]):.2f}"
                for k in ("land_transfer_revenue", "public_revenue", "public_spending", "government_debt", "gdp")
            ),
        )
