"""Labels in Chinese and English (`--lang zh|en`) for reports, figures, console tables and spreadsheets.

Three sources, one lookup each: targets carry their own labels (``label_zh``, ``label_en`` of
targets.toml or a user's target set); variables and units are in ``model/data/labels.toml``; the
words of the reports and figures themselves (titles, column heads, axis labels) are the table
:data:`WORDS` below. English is the default everywhere; a word missing in Chinese falls back to
English rather than failing.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import lru_cache
from importlib import resources

LANGS = ("en", "zh")
DEFAULT_LANG = "en"

WORDS: dict[str, dict[str, str]] = {
    # console and report columns
    "target": {"en": "target", "zh": "指标"},
    "year": {"en": "year", "zh": "年份"},
    "goal": {"en": "goal", "zh": "目标"},
    "target_value": {"en": "target", "zh": "目标值"},  # the report's column of the goal's value
    "mean": {"en": "mean", "zh": "均值"},
    "p05-p95": {"en": "p05-p95", "zh": "5%-95%"},
    "P(met)": {"en": "P(met)", "zh": "达标概率"},
    "label_zh": {"en": "label_zh", "zh": "指标(中文)"},
    "label_en": {"en": "label_en", "zh": "指标(英文)"},
    "comparison": {"en": "comparison", "zh": "比较"},
    "unit": {"en": "unit", "zh": "单位"},
    "p05": {"en": "p05", "zh": "5%分位"},
    "p50": {"en": "p50", "zh": "中位数"},
    "p95": {"en": "p95", "zh": "95%分位"},
    "prob_met": {"en": "prob_met", "zh": "达标概率"},
    "runs": {"en": "runs", "zh": "运行次数"},
    "sd": {"en": "sd", "zh": "标准差"},
    "share_seed": {"en": "share_seed", "zh": "随机性占比"},
    "share_parameters": {"en": "share_parameters", "zh": "参数不确定性占比"},
    "share_exogenous": {"en": "share_exogenous", "zh": "外部冲击占比"},
    "note": {"en": "note", "zh": "说明"},
    "Where the spread comes from (uncertainty.csv)": {
        "en": "Where the spread comes from (uncertainty.csv)",
        "zh": "结果分布的来源(uncertainty.csv)",
    },
    # report
    "Kunshan scenario": {"en": "Kunshan scenario", "zh": "昆山情景"},
    "Targets": {"en": "Targets", "zh": "目标"},
    "Figures": {"en": "Figures", "zh": "图表"},
    "Scenario (TOML, extends resolved)": {"en": "Scenario (TOML, extends resolved)", "zh": "情景设定(TOML)"},
    "Provenance": {"en": "Provenance", "zh": "来源与版本"},
    "shading": {
        "en": "Rows are shaded by P(met), the share of seeds meeting the target: green at 90% or more, "
        "red at 10% or less, yellow between.",
        "zh": "各行按达标概率(达到目标的随机种子所占比例)着色:90%及以上为绿色,10%及以下为红色,其间为黄色。",
    },
    # figures
    "target_mark": {"en": "target", "zh": "目标"},
    "clusters_title": {
        "en": "Gross output by industry cluster (mean, p05-p95 over seeds)",
        "zh": "各产业集群总产值(均值及5%-95%区间)",
    },
    "incomes_title": {"en": "Per-capita disposable income", "zh": "人均可支配收入"},
    "ratio_title": {"en": "Urban to rural income ratio", "zh": "城乡居民收入比"},
    "urban": {"en": "urban", "zh": "城镇"},
    "rural": {"en": "rural", "zh": "农村"},
    "all residents": {"en": "all residents", "zh": "全体居民"},
    "urban / rural": {"en": "urban / rural", "zh": "城镇/农村"},
    "target, ": {"en": "target, ", "zh": "目标,"},
    "tiers_title": {
        "en": "Enterprises by revenue tier (bands; stars: 2025 targets)",
        "zh": "按营收分档的企业数(星号:2025年目标)",
    },
    "enterprises": {"en": "enterprises", "zh": "企业数"},
    "lorenz_title": {
        "en": "Lorenz curve of household per-capita disposable income",
        "zh": "居民人均可支配收入洛伦兹曲线",
    },
    "share of persons, poorest first": {"en": "share of persons, poorest first", "zh": "人口累计比例(由低到高)"},
    "share of income": {"en": "share of income", "zh": "收入累计比例"},
    "equality": {"en": "equality", "zh": "绝对平等线"},
}


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


@lru_cache(maxsize=1)
def _table() -> dict:
    with resources.files("model.data").joinpath("labels.toml").open("rb") as fh:
        return tomllib.load(fh)


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
