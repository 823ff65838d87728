"""Labels in Chinese and English (`--lang zh|en`) for reports, figures, console tables and spreadsheets.

Two sources, one lookup each: targets carry their own labels (``label_zh``, ``label_en`` of
targets.toml or a user's target set); variables, units and the words of the reports and figures
themselves (titles, column heads, axis labels: :data:`WORDS`) are the tables of
``model/data/labels.toml``. English is the default everywhere; a word missing in Chinese falls back to
English rather than failing.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources

LANGS = ("en", "zh")
DEFAULT_LANG = "en"


@lru_cache(maxsize=1)
def _table() -> dict:
    with resources.files("model.data").joinpath("labels.toml").open("rb") as fh:
        return tomllib.load(fh)


WORDS: dict[str, dict[str, str]] = _table()["words"]


def check_lang(lang: str, source: str = "command line", key: str = "--lang") -> str:
    from model.config import ConfigError

    if lang not in LANGS:
        raise ConfigError(source, key, "one of " + ", ".join(LANGS), lang)
    return lang


def word(key: str, lang: str = DEFAULT_LANG) -> str:
    entry = WORDS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["en"]


def variable_label(name: str, lang: str = DEFAULT_LANG) -> str:
    """A variable's label: the table's, else its long name (en) or its id."""
    entry = _table()["variables"].get(name)
    if entry is not None:
        return entry.get(lang) or entry["en"]
    if lang == "en":
        from model.variables import ANNUAL

        return ANNUAL[name].long_name if name in ANNUAL else name
    return name


def unit_label(unit: str, lang: str = DEFAULT_LANG) -> str:
    entry = _table()["units"].get(unit)
    return unit if entry is None else entry.get(lang, unit)


def target_label(target, lang: str = DEFAULT_LANG) -> str:
    """A target's label in the language; a target without one shows its other label."""
    zh, en = target.label_zh, target.label_en
    return (zh if zh and zh != target.id else en) if lang == "zh" else en


def width(text: str) -> int:
    """Columns a string takes on a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, columns: int, align: str = "<") -> str:
    """``text`` cut to ``columns`` terminal columns and padded to exactly that many."""
    out = ""
    for c in text:
        if width(out + c) > columns:
            break
        out += c
    pad = " " * (columns - width(out))
    return out + pad if align == "<" else pad + out
