"""The HTML report: one self-contained file, nothing fetched from anywhere."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from model.outputs.console import plain_number

_STYLE = """body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}td.t,th{text-align:left}
.met{background:#d9f2d9}.mixed{background:#fff3cd}.missed{background:#f8d7da}img{max-width:100%}
pre{background:#f6f6f6;padding:1em;font-size:12px}dl{font-size:13px}dt{font-weight:bold}"""


_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
SHADING = (
    "Rows are shaded by P(met), the share of seeds meeting the target: green at 90% or more, "
    "red at 10% or less, yellow between."
)


def _format(value, column: str = "") -> str:
    if isinstance(value, (float, np.floating, int, np.integer)) and not isinstance(value, bool):
        if np.isnan(float(value)):
            return "–"
        return str(int(value)) if column == "year" else plain_number(value)  # a year is no amount: 2025
    return html.escape(str(value))


def _lang(text: str) -> str:
    """A cell in Chinese says so (in an English report), for screen readers and fonts."""
    return ' lang="zh"' if _CJK.search(text) else ""


def table(rows: list[dict], columns: Sequence[str], shade_by: str | None = None, lang: str = "en") -> str:
    """A table with a header; rows shaded by P(met) only when that column is shown (`shade_by`).
    ``lang="zh"``: Chinese column heads (model/outputs/labels.py)."""
    from model.outputs.labels import unit_label, word

    if shade_by is not None and shade_by not in columns:
        raise ValueError(f"rows shaded by {shade_by}, a column the table does not show")
    heads = [word("target_value" if c == "target" else c, lang) for c in columns]  # "target" holds the goal
    head = "".join(f"<th{_lang(h)}>{html.escape(h)}</th>" for h in heads)
    body = []
    for row in rows:
        share = np.nan if shade_by is None else row[shade_by]
        css = "" if np.isnan(share) else "met" if share >= 0.9 else "missed" if share <= 0.1 else "mixed"
        shown = {c: unit_label(row[c], lang) if c == "unit" and lang != "en" else row[c] for c in columns}
        cells = "".join(
            f'<td class="{"t" if isinstance(shown[c], str) else ""}"{_lang(str(shown[c]))}>{_format(shown[c], c)}</td>'
            for c in columns
        )
        body.append(f'<tr class="{css}">{cells}</tr>')
    note = f"<p>{html.escape(word('shading', lang))}</p>" if shade_by is not None else ""
    return f"{note}<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def section(title: str, content: str) -> str:
    return f"<h2>{html.escape(title)}</h2>\n{content}\n"


def figures_html(pngs: dict[str, bytes], descriptions: dict[str, str], title: str = "Figures") -> str:
    """The figures inline, each with a text alternative saying what it shows."""
    return section(
        title,
        "".join(
            f"<h3>{html.escape(name.replace('_', ' '))}</h3>"
            f'<img alt="{html.escape(descriptions.get(name, name.replace("_", " ")), quote=True)}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">'
            for name, png in pngs.items()
        ),
    )


def write_html(path: Path, title: str, subtitle: str, provenance: dict, body: str, lang: str = "en") -> None:
    """The answer first (the body opens with the targets), the provenance last; ``lang`` is the
    page's language (``zh``: zh-CN, so that browsers pick a Simplified Chinese font)."""
    from model.outputs.labels import word

    facts = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>"
        for k, v in provenance.items()
        if k not in ("scenario", "targets")
    )
    path.write_text(
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>"
        f"{body}{section(word('Provenance', lang), f'<dl>{facts}</dl>')}</body></html>\n",
        encoding="utf-8",
    )
