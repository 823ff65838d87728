"""Observed statistics of Kunshan (a package copy of ``shared/data/observed_kunshan.csv``), and the
vintage a forecast may see.

A forecast made at the end of its **origin** year knows only the rows of years up to the origin. A
:class:`Vintage` is that view: reading a row of a later year raises :class:`LookAhead`, so a
derivation cannot peek by accident, and a test that perturbs every later row checks that none does.

Users with newer statistics pass their own CSV in the same format (``--observed FILE``, scenario key
``observed``); :func:`read_observations` checks it and names the first bad line.
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

COLUMNS = ("indicator", "year", "value", "unit", "grade", "source")
GRADES = ("A", "B", "C")  # official; media quoting official; repost
FIRST_YEAR, LAST_YEAR = 1978, 2100  # a year outside is a typo, not a statistic
# The default origin of the shipped data (model.data.derive.default_origin): the model is built at
# the end of 2021 and runs from January 2022 unless --origin or the scenario key `origin` says otherwise.
MODEL_ORIGIN = 2021


@dataclass(frozen=True)
class Observation:
    indicator: str
    year: int
    value: float
    unit: str
    grade: str
    source: str


class LookAhead(KeyError):
    """A row after the vintage's origin was asked for: what a forecast at the origin could not know."""


class BadObservedFile(ValueError):
    """An observed-data CSV that cannot be used: the line, the column (None for the whole line), what
    was expected and what was found."""

    def __init__(self, line: int, column: str | None, expected: str, got: object):
        self.line, self.column, self.expected, self.got = line, column, f"{expected} (line {line})", got
        super().__init__(f"{column or 'line'}: expected {self.expected}; got {got!r}")


def _parse(text: str) -> tuple[Observation, ...]:
    """Rows of an observed-data CSV, checked: the header, each field, and no (indicator, year) twice."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise BadObservedFile(1, None, "the header " + ",".join(COLUMNS), ",".join(header or []))
    rows, seen = [], {}
    for line, fields in enumerate(reader, start=2):
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != len(COLUMNS):
            raise BadObservedFile(
                line,
                None,
                f"{len(COLUMNS)} comma-separated fields ({','.join(COLUMNS)}; quote a source that holds a comma)",
                len(fields),
            )
        indicator, year, value, unit, grade, source = (f.strip() for f in fields)
        if not indicator:
            raise BadObservedFile(line, "indicator", "a name", indicator)
        if not (year.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR):
            raise BadObservedFile(line, "year", f"a year from {FIRST_YEAR} to {LAST_YEAR}", year)
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise BadObservedFile(line, "value", "a finite number", value)
        if grade not in GRADES:
            raise BadObservedFile(line, "grade", "one of " + ", ".join(GRADES), grade)
        key = (indicator, int(year))
        if key in seen:
            raise BadObservedFile(
                line,
                None,
                f"one row per indicator and year ({indicator} {year} is also on line {seen[key]})",
                ",".join(fields),
            )
        seen[key] = line
        rows.append(Observation(indicator, int(year), number, unit, grade, source))
    return tuple(rows)


def read_observations(path: str | Path) -> tuple[Observation, ...]:
    """The rows of a user's observed-data CSV; BadObservedFile (or OSError) when it cannot be used."""
    with open(path, encoding="utf-8-sig", newline="") as fh:  # a BOM (Excel) or none
        return _parse(fh.read())


@lru_cache(maxsize=1)
def observations() -> tuple[Observation, ...]:
    """The shipped rows."""
    return _parse(resources.files("model.data").joinpath("observed_kunshan.csv").read_text(encoding="utf-8"))


def observed(indicator: str, year: int) -> float:
    """A shipped value, any year (for validation and calibration, which compare with later years);
    KeyError names what is missing, so a derivation never guesses silently."""
    for o in observations():
        if o.indicator == indicator and o.year == year:
            return o.value
    raise KeyError(f"no observation of {indicator!r} in {year}")


@dataclass(frozen=True)
class Vintage:
    """The observed rows a forecast made at the end of ``origin`` may use: those of years <= origin.

    Later rows are dropped on construction, so nothing built from a Vintage can depend on them;
    asking for one raises LookAhead rather than KeyError, to tell a peek from a gap.
    """

    rows: tuple[Observation, ...]
    origin: int
    source: str = "shipped"

    @classmethod
    def of(cls, rows: tuple[Observation, ...], origin: int, source: str = "shipped") -> Vintage:
        return cls(tuple(r for r in rows if r.year <= origin), int(origin), source)

    def value(self, indicator: str, year: int) -> float:
        if year > self.origin:
            raise LookAhead(f"{indicator!r} in {year} is after the origin {self.origin}")
        for o in self.rows:
            if o.indicator == indicator and o.year == year:
                return o.value
        raise KeyError(f"no observation of {indicator!r} in {year} in the {self.source} data")

    def at_origin(self, indicator: str) -> float:
        """The origin year's value; KeyError names the missing row (no assumption carries it)."""
        return self.value(indicator, self.origin)

    def latest(self, indicator: str) -> tuple[int, float]:
        """(year, value) of the latest row at or before the origin.

        Assumption C1 (docs/DATA.md): a share or ratio not published for the origin year holds at its
        latest published value. Only derivations that name C1 use this.
        """
        found = [(o.year, o.value) for o in self.rows if o.indicator == indicator]
        if not found:
            raise KeyError(f"no observation of {indicator!r} up to {self.origin} in the {self.source} data")
        return max(found)

    def series(self, indicator: str) -> dict[int, float]:
        """Every value of an indicator at or before the origin, by year (gaps stay gaps)."""
        return dict(sorted((o.year, o.value) for o in self.rows if o.indicator == indicator))


def shipped_vintage(origin: int = MODEL_ORIGIN) -> Vintage:
    return Vintage.of(observations(), origin)


def load_vintage(path: str | Path | None, origin: int = MODEL_ORIGIN) -> Vintage:
    """The vintage at ``origin`` of a user's observed-data file, or of the shipped data (no path)."""
    if not path:
        return shipped_vintage(origin)
    return Vintage.of(read_observations(path), origin, source=str(path))


# A vintage in force for code that derives figures without being handed one (see in_vintage);
# model.init.build_state and the recorder take the run's vintage explicitly.
_ACTIVE: contextvars.ContextVar[Vintage | None] = contextvars.ContextVar("active_vintage", default=None)


def active_vintage() -> Vintage:
    """The vintage set by in_vintage, else the shipped data at the model's origin."""
    return _ACTIVE.get() or shipped_vintage()


@contextlib.contextmanager
def in_vintage(vintage: Vintage) -> Iterator[Vintage]:
    token = _ACTIVE.set(vintage)
    try:
        yield vintage
    finally:
        _ACTIVE.reset(token)
