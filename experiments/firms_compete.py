"""Measured figures of issue 13 (firms that compete and grow), from the shipped baseline.

    python experiments/firms_compete.py [--seeds 5] [--scale 0.02]

Prints the tier counts of 2021, 2022 and 2025 with the pipeline of major projects on and off, and
the paired effects (same seeds, common random numbers) of 100% R&D co-funding of a cluster and of
a wage rise, as the tests of tests/test_firms_compete.py assert them."""

from __future__ import annotations

import argparse
import dataclasses

import numpy as np
from scipy import stats

import model
from model.clusters import cluster_table
from model.scenario import Policy

TABLE = cluster_table()
# The years the tests read (tests/test_firms_compete.py): later, paired runs drift apart through
# lumpy events (a major project landing in one run and not the other) that blur the price channel.
RD_YEAR = 2024
WAGE_YEAR = 2023


def runs(scenario, seeds: int, scale: float, policies=(), parameters=None):
    chosen = dataclasses.replace(
        scenario, policies=scenario.policies + tuple(policies), parameters={**scenario.parameters, **(parameters or {})}
    )
    return model.run(chosen, seeds=seeds, scale=scale)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=0.02)
    args = parser.parse_args()
    baseline = model.load_scenario("baseline")
    base = runs(baseline, args.seeds, args.scale)
    off = runs(baseline, args.seeds, args.scale, parameters={"project_rate_per_year": 0.0})
    print(
        f"baseline, {args.seeds} seeds, scale {args.scale}: firms by tier (>=1000 / 100-1000 / 10-100 yi), mean [min-max]"
    )
    for label, a in (("pipeline on", base), ("pipeline off", off)):
        for year in (2021, 2022, 2025):
            t = a["firms_by_tier"].sel(year=year).values[:, :3]
            cells = ", ".join(f"{m:.1f} [{lo:.0f}-{hi:.0f}]" for m, lo, hi in zip(t.mean(0), t.min(0), t.max(0)))
            print(f"  {label:12s} {year}: {cells}")
    print(
        f"  projects started a year 2022-25: {float(base['projects_started'].sel(year=slice(2022, 2025)).mean()):.1f}; "
        f"project investment a year: {float(base['project_investment'].sel(year=slice(2022, 2025)).mean()):.0f} yi; "
        f"operating 2025: {float(base['projects_operating'].sel(year=2025).mean()):.1f}; "
        f"firms relocated a year: {float(base['firms_relocated'].sel(year=slice(2022, 2025)).mean()):.0f}"
    )
    print(
        f"  real GDP growth 2022: {float(base['gdp_real_growth'].sel(year=2022).mean()):.4f}; GDP 2022: "
        f"{float(base['gdp'].sel(year=2022).mean()):.0f} yi"
    )

    still = {"relocation_cost_sensitivity": 0.0}  # the price channel alone, as in the tests
    base_still = runs(baseline, args.seeds, args.scale, parameters=still)
    last = dict(year=RD_YEAR)
    for cluster in ("equipment_core", "new_energy"):
        i = TABLE.ids.index(cluster)
        funded = runs(baseline, args.seeds, args.scale, [Policy("rd_subsidy", cluster, None, None, 1.0)], still)
        p0, p1 = base_still["cluster_price"].sel(**last)[:, i], funded["cluster_price"].sel(**last)[:, i]
        a0, a1 = base_still["cluster_productivity"].sel(**last)[:, i], funded["cluster_productivity"].sel(**last)[:, i]
        y0 = base_still["cluster_output"].sel(**last) / base_still["cluster_price"].sel(**last)
        y1 = funded["cluster_output"].sel(**last) / funded["cluster_price"].sel(**last)
        share = np.log((y1[:, i] / y1.sum("cluster")) / (y0[:, i] / y0.sum("cluster"))).values
        dp, da = np.log(p1 / p0).values, np.log(a1 / a0).values
        print(
            f"R&D co-funding 100% of {cluster}, {RD_YEAR}, paired: log price {np.median(dp):+.4f} (median; {np.sum(dp < 0)}/{len(dp)} seeds lower), "
            f"log productivity {np.median(da):+.4f}, log real output share {np.median(share):+.4f} ({np.sum(share > 0)}/{len(share)} higher)"
        )
    dear = runs(baseline, args.seeds, args.scale, [Policy("wage_policy", None, None, None, 0.1)], still)
    industry = TABLE.is_industry
    last = dict(year=WAGE_YEAR)
    rise = np.log(dear["cluster_price"].sel(**last) / base_still["cluster_price"].sel(**last)).values[:, industry]
    x0 = (base_still["cluster_outside_sales"] / base_still["cluster_price"]).sel(**last).values[:, industry]
    x1 = (dear["cluster_outside_sales"] / dear["cluster_price"]).sel(**last).values[:, industry]
    dshare = np.log((x1 / x1.sum(1, keepdims=True)) / (x0 / x0.sum(1, keepdims=True)))
    slope = stats.theilslopes(dshare.ravel(), rise.ravel())
    print(
        f"wage growth +10 pp a year, {WAGE_YEAR}, paired: industrial price indices +{rise.mean():.3f} in log (range "
        f"{rise.mean(0).min():+.3f} to {rise.mean(0).max():+.3f} across clusters); Theil-Sen slope of the change of "
        f"the real outside-sales share on the price rise, pooled over seeds and clusters: {slope.slope:.2f} "
        f"[{slope.low_slope:.2f}, {slope.high_slope:.2f}]"
    )


if __name__ == "__main__":
    main()
