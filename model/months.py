"""Months as scenario and experiment files write them, "YYYY-MM": the one reader of that form."""

from __future__ import annotations

import re

_YEAR_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def is_month(value) -> bool:
    """Whether ``value`` is a string "YYYY-MM" with a month 01-12, and nothing around it."""
    return isinstance(value, str) and _YEAR_MONTH.fullmatch(value) is not None


def month_number(value: str) -> int:
    """Months since January of year 0: consecutive months have consecutive numbers."""
    match = _YEAR_MONTH.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f'expected a month "YYYY-MM", got {value!r}')
    return int(match[1]) * 12 + int(match[2]) - 1


def months_between(start: str, end: str) -> int:
    """Months from ``start`` to ``end``: 0 for the same month, negative when ``end`` comes first."""
    return month_number(end) - month_number(start)
