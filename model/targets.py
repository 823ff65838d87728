"""The article's numeric targets (``model/data/targets.toml``): the one reader of that file and of a
user's own target set in the same format (``--targets FILE``, the scenario key ``targets``).

Results tables, figures and sweep summaries all judge outcomes against these; reading the package
copy means an installed package finds them wherever it runs. A user's set (for example the next
five-year plan's 2030 targets) is checked key by key: each id must be a yearly output of
``model/variables.py`` without other dimensions, so that a run can measure it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class Target:
    id: str  # the annual output variable that measures it (model/variables.py)
    label_zh: str
    label_en: str
    year: int
    value: float
    unit: str
    comparison: str  # ">=": the outcome must reach the value; "<=": it must not exceed it

    def met(self, values) -> np.ndarray:
        """Whether each outcome meets the target; a missing outcome (NaN) never does."""
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            return values >= self.value if self.comparison == ">=" else values <= self.value


@lru_cache(maxsize=1)
def load_targets() -> tuple[Target, ...]:
    with resources.files("model.data").joinpath("targets.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    return tuple(
        Target(
            t["id"],
            t.get("label_zh", t["id"]),
            t.get("label_en", t["id"]),
            int(t["year"]),
            float(t["value"]),
            t.get("unit", ""),
            t["comparison"],
        )
        for t in raw["target"]
    )


def targets_by_id() -> dict[str, Target]:
    return {t.id: t for t in load_targets()}


TARGET_FORMAT = "a target set in the format of model/data/targets.toml"
_TARGET_KEYS = ("id", "label_zh", "label_en", "year", "value", "unit", "comparison", "note")
FIRST_YEAR, LAST_YEAR = 2021, 2035  # the initial state and the last month a scenario may run to


def parse_targets(text: str, file) -> tuple[Target, ...]:
    """A target set from TOML text, every key checked: one :class:`~model.config.ConfigError` line
    naming the file, the key (``target[n].key``, n counting the ``[[target]]`` blocks from 1) and
    what was expected."""
    from model.config import ConfigError, closest, parse_toml
    from model.variables import ANNUAL

    raw = parse_toml(text, file)
    extra = [k for k in raw if k != "target"]
    if extra:
        raise ConfigError(
            file, extra[0], "only [[target]] tables in " + TARGET_FORMAT, hint=closest(extra[0], ["target"])
        )
    tables = raw.get("target")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(file, "target", "one or more [[target]] tables (" + TARGET_FORMAT + ")")
    measurable = [name for name, var in ANNUAL.items() if not var.dims]
    found, seen = [], set()
    for n, t in enumerate(tables, start=1):
        where = f"target[{n}]."
        for key in t:
            if key not in _TARGET_KEYS:
                raise ConfigError(
                    file, where + key, "one of " + ", ".join(_TARGET_KEYS), hint=closest(key, _TARGET_KEYS)
                )
        for key in ("id", "year", "value", "comparison"):
            if key not in t:
                raise ConfigError(file, where + key, "a value (required)")
        if t["id"] not in measurable:
            raise ConfigError(
                file,
                where + "id",
                "a yearly output of the model (kunshan list targets, model/variables.py)",
                t["id"],
                closest(t["id"], measurable),
            )
        year = t["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ConfigError(file, where + "year", f"an integer year {FIRST_YEAR} to {LAST_YEAR}", year)
        value = t["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise ConfigError(file, where + "value", "a finite number", value)
        if t["comparison"] not in (">=", "<="):
            raise ConfigError(
                file, where + "comparison", "'>=' (reach the value) or '<=' (not exceed it)", t["comparison"]
            )
        for key in ("label_zh", "label_en", "unit", "note"):
            if key in t and not isinstance(t[key], str):
                raise ConfigError(file, where + key, "a string", t[key])
        if (t["id"], year) in seen:
            raise ConfigError(file, where + "id", f"one target per id and year; {t['id']} {year} is given twice")
        seen.add((t["id"], year))
        found.append(
            Target(
                t["id"],
                t.get("label_zh", t["id"]),
                t.get("label_en", t["id"]),
                int(year),
                float(value),
                t.get("unit", ""),
                t["comparison"],
            )
        )
    return tuple(found)


def read_targets(path, file=None) -> tuple[Target, ...]:
    """A user's target set from a file (``--targets FILE``); ``file`` names it in errors."""
    from pathlib import Path

    from model.config import read_text

    path = Path(path)
    return parse_targets(read_text(path, "target set (" + TARGET_FORMAT + ")", file), file or path)


def targets_text(targets: tuple[Target, ...]) -> str:
    """A target set as TOML in the format of targets.toml: what a results folder records."""
    from model.config import toml_table

    blocks = []
    for t in targets:
        blocks.append(
            "\n".join(
                [
                    "[[target]]",
                    *toml_table(
                        {
                            "id": t.id,
                            "label_zh": t.label_zh,
                            "label_en": t.label_en,
                            "year": t.year,
                            "value": t.value,
                            "unit": t.unit,
                            "comparison": t.comparison,
                        }
                    ),
                ]
            )
        )
    return "\n\n".join(blocks) + "\n"


def scenario_targets(scenario=None) -> tuple[Target, ...]:
    """The targets a run is judged against: the scenario's own set (key ``targets``, ``--targets``)
    or the article's."""
    path = getattr(scenario, "targets", None)
    return load_targets() if path is None else read_targets(path)


def recorded_targets(ds) -> tuple[Target, ...]:
    """The target set a results folder was judged against (its ``targets`` attribute), or the article's
    for folders written before runs recorded it."""
    text = getattr(ds, "attrs", {}).get("targets")
    return load_targets() if not text else parse_targets(str(text), "results attribute 'targets'")
