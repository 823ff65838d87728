"""The target table and the comparison for a terminal."""

from __future__ import annotations

import numpy as np


def summary_lines(rows: list[dict]) -> list[str]:
    """The target table for a terminal: one screen, English ids (terminals vary in CJK support)."""
    lines = [f"{'target':<40} {'year':>4} {'goal':>12} {'mean':>12} {'p05-p95':>25} {'P(met)':>6}"]
    for r in rows:
        goal = f"{r['comparison']} {r['target']:g}"
        spread = f"{plain_number(r['p05'])}-{plain_number(r['p95'])}"
        prob = "n/a" if np.isnan(r["prob_met"]) else f"{r['prob_met']:.0%}"
        lines.append(f"{r['id'][:40]:<40} {r['year']:>4} {goal:>12} {plain_number(r['mean']):>12} {spread:>25} {prob:>6}")
    return lines


def comparison_lines(rows: list[dict]) -> list[str]:
    lines = [f"{'target':<40} {'scenario':<22} {'diff mean':>12} {'diff p05..p95':>27} {'method':>11}"]
    for r in rows:
        spread = f"{plain_number(r['diff_p05'])}..{plain_number(r['diff_p95'])}"
        lines.append(f"{r['id'][:40]:<40} {r['scenario'][:22]:<22} {plain_number(r['diff_mean']):>12} "
                     f"{spread:>27} {r['method']:>11}")
    return lines


def pairing_lines(rows: list[dict]) -> list[str]:
    """How each scenario was compared with the reference (paired by seed or independent) and why."""
    seen = dict.fromkeys((r["scenario"], r["reference"], r["pairing"]) for r in rows)
    return [f"{scenario} against {reference}: {pairing}" for scenario, reference, pairing in seen]


def plain_number(value: float) -> str:
    value = float(value)
    if np.isnan(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
