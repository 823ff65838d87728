"""Typed reads of an experiment file's keys, and the one-line error every bad sweep input ends in.

Separate from the experiment's own reading (model.sweep.experiment, model.sweep.inputs) because
the checks know nothing of sweeps: a key, the expectation and what was found, in one line naming
the file; both the experiment's keys and its [[input]] tables are read through them.
"""

from __future__ import annotations

import math

from model.config import MAX_SEED, ConfigError
from model.months import is_month


class ExperimentError(ConfigError):
    """Bad sweep input (experiment file, options, output folder), as one line: file, key, expectation.

    A ConfigError, so that whatever catches bad scenario input catches this too; it carries a
    ready message because not every sweep error is about one key of one file.
    """

    def __init__(self, message: str):
        Exception.__init__(self, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def _count(n: int) -> str:
    return "2**63 - 1" if n == MAX_SEED else f"{n:,}"


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class Checker:
    """Typed reads of TOML keys that fail with one line naming file, key and expectation."""

    def __init__(self, where: str):
        self.where = where

    def fail(self, key: str, expected: str, got) -> None:
        raise ExperimentError(f"{self.where}: key '{key}': expected {expected}; got {got!r}")

    def _get(self, raw, key, default, at):
        return (raw[key], at or key) if key in raw else (default, None)

    def string(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and not (isinstance(value, str) and value.strip()):
            self.fail(at, "a non-empty string", value)
        return value

    def choice(self, raw, key, choices, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and value not in choices:
            self.fail(at, f"one of {list(choices)}", value)
        return value

    def integer(self, raw, key, default, at=None, high=None):
        return self._bounded_int(raw, key, default, at, 0, high)

    def positive_int(self, raw, key, default, at=None, high=None):
        return self._bounded_int(raw, key, default, at, 1, high)

    def _bounded_int(self, raw, key, default, at, low, high):
        value, at = self._get(raw, key, default, at)
        if at and (
            not isinstance(value, int) or isinstance(value, bool) or value < low or (high is not None and value > high)
        ):
            bounds = (
                f"an integer from {low} to {_count(high)}"
                if high is not None
                else ("a positive integer" if low == 1 else "a non-negative integer")
            )
            self.fail(at, bounds, value)
        return value

    def positive_float(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and (not is_number(value) or value <= 0):
            self.fail(at, "a positive number", value)
        return float(value) if value is not None else None

    def boolean(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and not isinstance(value, bool):
            self.fail(at, "true or false", value)
        return value

    def year_month(self, raw, key, default, at=None):
        value, at = self._get(raw, key, default, at)
        if at and not is_month(value):
            self.fail(at, '"YYYY-MM"', value)
        return value
