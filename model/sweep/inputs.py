"""The inputs a sweep varies: what one is (a parameter or a policy lever's size, over a range or
at levels), how it applies to a scenario, and how the [[input]] tables of an experiment file are
read and checked.

Separate from the experiment (model.sweep.experiment) because an input is its own unit: the design
(model.sweep.design) draws values for it and each run applies them, and the rules of one input
(its bounds, its target, its window within the run) do not depend on the rest of the file.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from model.months import month_number
from model.params import SPECS
from model.policy import HOUSEHOLD_GROUPS, LEVERS
from model.scenario import Policy, Scenario
from model.sweep.checks import Checker, is_number

_INPUT_KEYS = {"vary", "name", "target", "start", "end", "range", "levels"}


@dataclass(frozen=True)
class Input:
    """One varied scenario input: a behavioural parameter or a policy lever's size."""

    name: str  # coordinate name in sweep.nc and column in summary.csv
    kind: str  # "parameters" or "policy"
    key: str  # the parameter's or the lever's name
    low: float
    high: float
    levels: tuple[float, ...] | None = None  # discrete levels; None = continuous range [low, high]
    target: str | None = None  # policy only
    start: str | None = None
    end: str | None = None

    @property
    def vary(self) -> str:
        return f"{self.kind}.{self.key}"

    def apply(self, scenario: Scenario, value: float) -> Scenario:
        """Scenario with this input set to ``value``.

        A policy input replaces the lever (same lever and target) over its own window only: the
        base scenario's policies are cut out of that window and kept outside it, so that the
        coordinate in the results is the lever's whole size while the input applies, not an
        increment on an unseen base, and two inputs on one lever with disjoint windows both apply.
        """
        if self.kind == "parameters":
            return dataclasses.replace(scenario, parameters={**scenario.parameters, self.key: float(value)})
        first, last = self.window(scenario.start, scenario.horizon)
        kept: list[Policy] = []
        for p in scenario.policies:
            if p.lever != self.key or p.target != self.target:
                kept.append(p)
                continue
            p_first = month_number(p.start or scenario.start)
            p_last = month_number(p.end or scenario.horizon)
            if p_first < first:  # the part before this input's window
                kept.append(dataclasses.replace(p, end=_month_text(min(p_last, first - 1))))
            if p_last > last:  # the part after it
                kept.append(dataclasses.replace(p, start=_month_text(max(p_first, last + 1))))
        policy = Policy(lever=self.key, target=self.target, start=self.start, end=self.end, size=float(value))
        return dataclasses.replace(scenario, policies=tuple(kept) + (policy,))

    def window(self, start: str, horizon: str) -> tuple[int, int]:
        """First and last month (as month numbers) a policy input applies in a run from start to horizon."""
        return month_number(self.start or start), month_number(self.end or horizon)


def read_inputs(raw_inputs, check: Checker, design: str) -> tuple[Input, ...]:
    if not isinstance(raw_inputs, list) or not all(isinstance(r, dict) for r in raw_inputs):
        check.fail("input", "an array of tables [[input]]", raw_inputs)
    inputs: list[Input] = []
    for i, row in enumerate(raw_inputs):
        at = f"input[{i + 1}]"  # counted from 1, as the author counts the [[input]] blocks
        unknown = sorted(set(row) - _INPUT_KEYS)
        if unknown:
            check.fail(f"{at}.{unknown[0]}", f"one of {sorted(_INPUT_KEYS)}", "an unknown key")
        vary = row.get("vary")
        if not isinstance(vary, str) or "." not in vary:
            check.fail(f"{at}.vary", "'parameters.NAME' or 'policy.LEVER'", vary)
        kind, key = vary.split(".", 1)
        if kind == "parameters":
            if key not in SPECS:
                check.fail(f"{at}.vary", "a parameter of model/params.py", key)
            allowed_low, allowed_high = SPECS[key].low, SPECS[key].high
            for k in ("target", "start", "end"):
                if k in row:
                    check.fail(f"{at}.{k}", "no target/start/end for a parameter", row[k])
            target = start = end = None
        elif kind == "policy":
            if key not in LEVERS:
                check.fail(f"{at}.vary", "a lever of model/policy.py", key)
            lever = LEVERS[key]
            allowed_low, allowed_high = lever.low, lever.high
            target = _policy_target(row.get("target"), lever.targets, f"{at}.target", check)
            start = check.year_month(row, "start", default=None, at=f"{at}.start")
            end = check.year_month(row, "end", default=None, at=f"{at}.end")
            if start and end and month_number(end) < month_number(start):
                check.fail(f"{at}.end", f"a month not before start {start}", end)
        else:
            check.fail(f"{at}.vary", "'parameters.NAME' or 'policy.LEVER'", vary)

        has_range, has_levels = "range" in row, "levels" in row
        if has_range == has_levels:
            check.fail(
                f"{at}", "exactly one of range = [low, high] or levels = [...]", "both" if has_range else "neither"
            )
        if has_range:
            rng = row["range"]
            if not (isinstance(rng, list) and len(rng) == 2 and all(is_number(v) for v in rng) and rng[0] < rng[1]):
                check.fail(f"{at}.range", "[low, high] with low < high", rng)
            low, high, levels = float(rng[0]), float(rng[1]), None
        else:
            lv = row["levels"]
            if not (isinstance(lv, list) and lv and all(is_number(v) for v in lv) and len(set(lv)) == len(lv)):
                check.fail(f"{at}.levels", "a non-empty list of distinct numbers", lv)
            levels = tuple(float(v) for v in lv)
            low, high = min(levels), max(levels)
            if design == "sobol":
                check.fail(f"{at}.levels", "a range = [low, high] (a Sobol design needs continuous inputs)", lv)
        if low < allowed_low or high > allowed_high:
            check.fail(f"{at}", f"values within [{allowed_low:g}, {allowed_high:g}] for {vary}", [low, high])

        default_name = key if kind == "parameters" or target in (None, "all") else f"{key}_{target}"
        name = row.get("name", default_name)
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            check.fail(f"{at}.name", "an identifier (letters, digits, _)", name)
        if name in {x.name for x in inputs} or name in ("point", "seed", "year", "run"):
            check.fail(f"{at}.name", "a name not used by another input (set name = ...)", name)
        inputs.append(
            Input(name=name, kind=kind, key=key, low=low, high=high, levels=levels, target=target, start=start, end=end)
        )
    return tuple(inputs)


def check_windows(inputs, start: str, horizon: str, check: Checker) -> None:
    """Every policy input applies within the run, and no two inputs set one lever over one month.

    A window outside the run would never apply, without a word; two overlapping inputs on the
    same lever and target would leave it ambiguous which one the coordinate measures.
    """
    seen: list[tuple[int, Input]] = []
    for i, inp in enumerate(inputs):
        if inp.kind != "policy":
            continue
        at = f"input[{i + 1}]"
        for edge in ("start", "end"):
            month = getattr(inp, edge)
            if month is not None and not start <= month <= horizon:
                check.fail(f"{at}.{edge}", f"a month within the run, {start} to {horizon}", month)
        first, last = inp.window(start, horizon)
        for j, other in seen:
            if other.key == inp.key and other.target == inp.target:
                other_first, other_last = other.window(start, horizon)
                if first <= other_last and other_first <= last:
                    check.fail(
                        f"{at}.start",
                        f"a window that overlaps input[{j + 1}] on the same lever and "
                        f"target nowhere ({inp.vary}, {other.start or start} to {other.end or horizon})",
                        f"{inp.start or start} to {inp.end or horizon}",
                    )
        seen.append((i, inp))


def _policy_target(target, lever_targets: str, at: str, check: Checker) -> str | None:
    if lever_targets == "cluster":
        from model.clusters import CLUSTER_IDS

        allowed = ("all", *CLUSTER_IDS)
        target = "all" if target is None else target
    elif lever_targets == "households":
        allowed = HOUSEHOLD_GROUPS
    else:
        if target is not None:
            check.fail(at, "no target for an economy-wide or village lever", target)
        return None
    if target not in allowed:
        check.fail(at, f"one of {list(allowed)}", target)
    return target


def _month_text(number: int) -> str:
    year, month = divmod(number, 12)
    return f"{year:04d}-{month + 1:02d}"
