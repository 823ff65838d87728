"""README's outlook table and uncertainty shares, from a results folder of `kunshan run`.

    kunshan run --seeds 20 --workers 2 --out results/outlook
    python experiments/readme_outlook.py results/outlook

Prints the Markdown rows of README's "What the calibrated baseline says" table (mean, 5-95% over
the runs, P(met)) and each target's split of variance into seed, parameter and exogenous shares
(``uncertainty.csv``), so the numbers in README are made by a command anyone can rerun.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

# README's wording of each target (the targets' own labels are longer).
LABELS = {
    "electronic_information_output": "electronic information output 2025 (yi yuan, above-scale firms)",
    "high_end_equipment_output": "high-end equipment output 2025 (above-scale firms)",
    "firms_revenue_ge_1000_yi": "firms at 1000 yi or more, 2025",
    "firms_revenue_100_to_1000_yi": "firms at 100-1000 yi, 2025",
    "firms_revenue_10_to_100_yi": "firms at 10-100 yi, 2025",
    "strategic_industries_at_1000_yi": "strategic industries (of the six) at 1000 yi, 2025",
    "disposable_income_per_capita": "per-capita disposable income 2025 (yuan)",
    "rural_disposable_income_per_capita": "rural per-capita disposable income 2025",
    "urban_rural_income_ratio": "urban-rural income ratio 2025",
    "village_collective_income_avg": "village collective income 2025 (wan yuan)",
    "gdp": "GDP 2022 (yi yuan)",
    "above_scale_industrial_output_growth": "above-scale industrial output growth 2022",
    "trade_total": "imports and exports 2022 (yi USD)",
}


def number(value: float, unit: str) -> str:
    if unit == "fraction":
        return f"{100 * value:.1f}%"
    if unit == "ratio":
        return f"{value:.2f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"


def rows(folder: Path) -> list[str]:
    with open(folder / "targets.csv", encoding="utf-8-sig", newline="") as fh:
        targets = list(csv.DictReader(fh))
    out = ["| target | goal | mean | 5-95% over runs | P(met) |", "| --- | --- | ---: | ---: | ---: |"]
    for t in targets:
        unit = t["unit"]
        goal = f"{t['comparison']} {number(float(t['target']), unit)}"
        band = f"{number(float(t['p05']), unit)}-{number(float(t['p95']), unit)}"
        label = LABELS.get(t["id"], f"{t['label_en']} {t['year']}")
        out.append(
            f"| {label} | {goal} | {number(float(t['mean']), unit)} | {band} | {100 * float(t['prob_met']):.0f}% |"
        )
    return out


def shares(folder: Path) -> list[str]:
    with open(folder / "uncertainty.csv", encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    out = ["| target | runs | seed | parameters | exogenous |", "| --- | ---: | ---: | ---: | ---: |"]
    for t in table:
        cells = [t[k] for k in ("share_seed", "share_parameters", "share_exogenous")]
        shown = [f"{100 * float(c):.0f}%" if c else "-" for c in cells]
        out.append(f"| {t['id']} {t['year']} | {t['runs']} | {' | '.join(shown)} |")
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not (Path(args[0]) / "targets.csv").is_file():
        print("usage: python experiments/readme_outlook.py RESULTS_FOLDER (written by kunshan run)", file=sys.stderr)
        return 2
    folder = Path(args[0])
    print("\n".join(rows(folder)))
    print()
    print("\n".join(shares(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
