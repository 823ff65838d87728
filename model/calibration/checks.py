"""A validation check as a row: its band test, its name in English and Chinese, and how the rows
are written (validation.csv) and shown (the terminal).

Separate from the checks themselves (model.calibration.observed_checks, model.calibration.facts)
because both kinds make and share this one row, and the figures and the command show it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.outputs.labels import DEFAULT_LANG, fit, variable_label, word


def band_check(name, value, low, high, zh: str | None = None) -> dict:
    """One row of validation.csv; ``check_zh`` is its name in Chinese for figures and the console
    (`--lang zh`), the CSV keeps the English name as the check's identifier."""
    ok = bool(np.isfinite(value) and (low is None or value >= low) and (high is None or value <= high))
    return {"check": name, "check_zh": zh or name, "value": float(value), "low": low, "high": high, "pass": ok}


def both_languages(key: str, **fields) -> tuple[str, str]:
    """A check's name from the template ``key`` of model/data/labels.toml, in English and Chinese;
    ``fields`` holds ``name`` as (English, Chinese) when the name differs by language."""
    name = fields.pop("name", None)
    en, zh = (name, name) if isinstance(name, str) or name is None else name
    return word(key, "en").format(name=en, **fields), word(key, "zh").format(name=zh, **fields)


def variable_names(name: str) -> tuple[str, str]:
    """A variable's id (the English check name) and its Chinese label."""
    return name, variable_label(name, "zh")


def check_text(check: dict, lang: str = DEFAULT_LANG) -> str:
    return check["check_zh"] if lang == "zh" else check["check"]


CSV_COLUMNS = ("check", "value", "low", "high", "pass")


def write_csv(path: Path, checks: list[dict]) -> None:
    """validation.csv, through the writer of every results CSV (UTF-8 with a byte-order mark, for
    Excel on Chinese Windows); the numbers keep six significant digits."""
    from model.outputs import write_csv as write_rows

    fmt = lambda v: "" if v is None else f"{v:.6g}"
    rows = [
        {
            "check": c["check"],
            "value": fmt(c["value"]),
            "low": fmt(c["low"]),
            "high": fmt(c["high"]),
            "pass": str(c["pass"]).lower(),
        }
        for c in checks
    ]
    write_rows(path, CSV_COLUMNS, rows)


def check_lines(checks: list[dict], lang: str = DEFAULT_LANG) -> list[str]:
    """The checks for a terminal, in ``lang``; columns by display width (a Chinese character takes two)."""
    fmt = lambda v: "" if v is None else f"{v:.4g}"
    w = lambda key: word(key, lang)
    lines = [
        f"{fit(w('check'), 78)} {fit(w('value'), 10, '>')} {fit(w('low'), 10, '>')} {fit(w('high'), 10, '>')}  {w('pass')}"
    ]
    lines += [
        f"{fit(check_text(c, lang), 78)} {c['value']:10.4g} {fmt(c['low']):>10s} {fmt(c['high']):>10s}  "
        f"{w('yes') if c['pass'] else w('NO')}"
        for c in checks
    ]
    return lines
