"""The HTML report: one self-contained file, nothing fetched from anywhere."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from model.outputs.console import plain_number

_STYLE = """body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td.t,th{text-align:left}
.met{background:#d9f2d9}.mixed{background:#fff3cd}.missed{background:#f8d7da}img{max-width:100%}
pre{background:#f6f6f6;padding:1em;font-size:12px}dl{font-size:13px}dt{font-weight:bold}"""


def _format(value) -> str:
    if isinstance(value, (float, np.floating, int, np.integer)) and not isinstance(value, bool):
        return "–" if np.isnan(float(value)) else plain_number(value)
    return html.escape(str(value))


def table(rows: list[dict], columns: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        share = row.get("prob_met", row.get("prob_met_scenario", np.nan))
        css = "" if np.isnan(share) else "met" if share >= 0.9 else "missed" if share <= 0.1 else "mixed"
        cells = "".join(f'<td class="{"t" if isinstance(row[c], str) else ""}">{_format(row[c])}</td>'
                        for c in columns)
        body.append(f'<tr class="{css}">{cells}</tr>')
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def section(title: str, content: str) -> str:
    return f"<h2>{html.escape(title)}</h2>\n{content}\n"


def figures_html(pngs: dict[str, bytes]) -> str:
    return section("Figures", "".join(
        f'<h3>{html.escape(name.replace("_", " "))}</h3><img alt="{html.escape(name)}" '
        f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">' for name, png in pngs.items()))


def write_html(path: Path, title: str, subtitle: str, provenance: dict, body: str) -> None:
    facts = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>"
                    for k, v in provenance.items() if k != "scenario")
    path.write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>"
        f"<dl>{facts}</dl>{body}</body></html>\n", encoding="utf-8")
