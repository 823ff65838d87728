"""Checks of single values of a scenario file: each returns the converted value or raises
:class:`_Bad` with what was expected, and the ranges they hold values to (months, origin years,
seeds, scale)."""

from __future__ import annotations

import math
import numbers
import re

import numpy as np

from model.config.errors import _Bad, closest
from model.months import is_month
from model.uncertainty import check_parameter_uncertainty

FIRST_MONTH = "2022-01"  # the first month of a run from the default origin (end of 2021, shipped data)
LAST_MONTH = "2035-12"
# The earliest month a scenario may name: before any origin the model can be built at from plausible
# data (the shipped data allow 2020-2022; a user's file may go back further).
EARLIEST_MONTH = "2000-01"
# Seeds are written as netCDF int64 coordinates and attributes; a larger one cannot be stored
# exactly (it turns into a float, or the write fails after every simulation has run).
MAX_SEED = 2**63 - 1
# More seeds than this is a sweep's job; the cap keeps `seeds = 10**12` from exhausting memory
# just by listing them. Whether a smaller count fits the machine is model.runner's estimate.
MAX_SEEDS = 100_000
# Below a thousandth of Kunshan (about 1,000 households and 2,000 persons for 13 clusters and 168
# villages) some clusters have no worker and the end-2021 economy cannot be built (it failed at
# 0.00001 with NaN pay scales), and what can be built is mostly sampling noise.
MIN_SCALE = 0.001


def _string(value):
    if not isinstance(value, str):
        raise _Bad("a string")
    return value


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _name(value):
    """Names become folder names under results/, so nothing that could climb out of it."""
    if not isinstance(value, str) or not _NAME.fullmatch(value) or value.endswith(".toml"):
        raise _Bad("a scenario name of letters, digits, '_', '-' or '.' (no path, no .toml)")
    return value


def _month(value):
    if not is_month(value):
        raise _Bad('a month as a string "YYYY-MM"')
    if not EARLIEST_MONTH <= value <= LAST_MONTH:
        raise _Bad(f"a month from {EARLIEST_MONTH} to {LAST_MONTH}")
    return value


def _start_month(value):
    """A run starts in the January after its origin: the economy is built as it stood at the end of
    the year before ``start`` (the origin), from the data up to that year.

    Whether the data allow that origin is checked with the data (check_origin), once the scenario's
    observed file is known.
    """
    value = _month(value)
    if not value.endswith("-01"):
        raise _Bad('a January, "YYYY-01" (the economy starts from the end of the year before, its origin)')
    return value


def _origin_year(value):
    """`origin = YEAR`: the run starts from the end of YEAR (its first month is the next January)."""
    low, high = int(EARLIEST_MONTH[:4]), int(LAST_MONTH[:4]) - 1
    if not _is_int(value) or not low <= value <= high:
        raise _Bad(f"a year from {low} to {high} (the run starts from the end of it)")
    return int(value)


def _number(low: float = -math.inf, high: float = math.inf, low_open: bool = False):
    left = "(" if low_open else "["

    def check(value):
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not is_number or value < low or (low_open and value == low) or value > high:
            raise _Bad(f"a number in {left}{low}, {high}]")
        return float(value)

    return check


def _is_int(value) -> bool:
    """An integer (NumPy's too), not a bool and not a float that happens to be whole (0.7 is not seed 0)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _integer(low: int = 0, high: int | None = None):
    def check(value):
        if not _is_int(value) or value < low or (high is not None and value > high):
            raise _Bad(f"an integer >= {low}" if high is None else f"an integer from {low} to {high}")
        return value

    return check


def _seed(value):
    if not _is_int(value) or not 0 <= value <= MAX_SEED:
        raise _Bad("an integer from 0 to 2**63 - 1")
    return int(value)


def _seeds(value):
    expected = (
        f"a count of seeds (integer from 1 to {MAX_SEEDS:,}) or a list of at most {MAX_SEEDS:,} "
        "distinct integers from 0 to 2**63 - 1"
    )
    if _is_int(value) and 1 <= value <= MAX_SEEDS:
        return tuple(range(value))
    if (
        isinstance(value, (list, tuple))
        and 0 < len(value) <= MAX_SEEDS
        and all(_is_int(v) and 0 <= v <= MAX_SEED for v in value)
        and len(set(value)) == len(value)
    ):
        return tuple(int(v) for v in value)
    raise _Bad(expected)


def _scale(value):
    """Agents per real firm and household: a share of Kunshan, from MIN_SCALE to all of it."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and math.isfinite(value)
    if not is_number or not 0.0 < value <= 1.0:
        raise _Bad("a number in (0.0, 1.0]")
    if value < MIN_SCALE:
        raise _Bad(
            f"a scale of at least {MIN_SCALE} (about 1,000 households: below it some clusters have no "
            "worker and no end-2021 economy can be built)"
        )
    return float(value)


def _one_of(choices, extra: tuple[str, ...] = ()):
    allowed = tuple(extra) + tuple(choices)

    def check(value):
        if value not in allowed:
            raise _Bad("one of " + ", ".join(allowed), closest(value, allowed))
        return value

    return check


def _parameter_uncertainty(value):
    checked, expected = check_parameter_uncertainty(value)
    if checked is None:
        raise _Bad(expected)
    return checked


def _one_or_many(choices, extra: tuple[str, ...] = ()):
    """A cluster id, "all", or a list of ids: a list becomes one policy or shock per id."""
    one = _one_of(choices, extra)

    def check(value):
        if not isinstance(value, list):
            return (one(value),)
        if not value or len(set(map(str, value))) < len(value):
            raise _Bad("a non-empty list of distinct cluster ids")
        return tuple(one(v) for v in value)

    return check


def _year_path(value):
    low, high = int(EARLIEST_MONTH[:4]), int(LAST_MONTH[:4])
    expected = f"a table of year = CNY per USD, years {low} to {high}, rates in (0, 50]"
    if not isinstance(value, dict) or not value:
        raise _Bad(expected)
    path = {}
    for year, rate in value.items():
        if not (re.fullmatch(r"\d{4}", year) and low <= int(year) <= high):
            raise _Bad(expected)
        path[int(year)] = _number(0.0, 50.0, low_open=True)(rate)
    return dict(sorted(path.items()))
