"""The target table and the comparison for a terminal."""

from __future__ import annotations

import numpy as np


def summary_lines(rows: list[dict], lang: str = "en") -> list[str]:
    """The target table for a terminal: one screen; English ids (terminals vary in CJK support), or
    with ``lang="zh"`` the Chinese labels, padded by display width (a Chinese character takes two
    columns)."""
    from model.outputs.labels import fit, word

    pw = 6 if lang == "en" else 8  # "达标概率" takes eight columns
    head = [
        fit(word("target", lang), 40),
        fit(word("year", lang), 4, ">"),
        fit(word("goal", lang), 12, ">"),
        fit(word("mean", lang), 12, ">"),
        fit(word("p05-p95", lang), 25, ">"),
        fit(word("P(met)", lang), pw, ">"),
    ]
    lines = [" ".join(head).rstrip()]
    for r in rows:
        goal = f"{r['comparison']} {r['target']:g}"
        spread = f"{plain_number(r['p05'])}-{plain_number(r['p95'])}"
        prob = "n/a" if np.isnan(r["prob_met"]) else f"{r['prob_met']:.0%}"
        name = r["label_zh"] if lang == "zh" and r.get("label_zh") else r["id"]
        lines.append(
            f"{fit(name, 40)} {r['year']:>4} {goal:>12} {plain_number(r['mean']):>12} {spread:>25} "
            f"{prob:>{pw}}".rstrip()
        )
    return lines


def comparison_lines(rows: list[dict]) -> list[str]:
    lines = [f"{'target':<40} {'scenario':<22} {'diff mean':>12} {'diff p05..p95':>27} {'method':>11}"]
    for r in rows:
        spread = f"{plain_number(r['diff_p05'])}..{plain_number(r['diff_p95'])}"
        lines.append(
            f"{r['id'][:40]:<40} {r['scenario'][:22]:<22} {plain_number(r['diff_mean']):>12} "
            f"{spread:>27} {r['method']:>11}"
        )
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
