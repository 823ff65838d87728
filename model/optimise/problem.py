"""The problem file of ``kunshan optimise``: which levers may move, within what bounds, from when;
which targets must be met with what probability; the budget cap; how large a search to make.

A problem file is TOML (docs/optimise.md has the full table of keys)::

    name = "optimise_2025"
    base = "baseline"              # the scenario every candidate extends (name or file)
    horizon = "2025-12"            # optional: a shorter run (it must reach the targets' year)

    [targets]
    ids = ["rural_disposable_income_per_capita"]   # default: every target of the set's last year
    probability = 0.8              # required share of seeds meeting every chosen target
    file = "targets_2030.toml"     # optional: a target set in the format of targets.toml

    [objective]
    budget_cap = 300.0             # optional: yi yuan, the policies' total cost over the run

    [search]
    seeds = 8                      # seeds every candidate is run on (the same for all)
    scale = 0.005
    evaluations = 40               # candidate mixes evaluated, initial design included
    initial = 20                   # of which the initial design (default: half)
    design = "lhs"                 # "lhs" (Latin hypercube) or "sobol"
    verify_seeds = 16              # fresh seeds the winner is run on again

    [[levers]]
    name = "rural_transfer"
    target = "rural_households"    # a cluster id, "all" or a list of ids; a household group; or none
    low = 0.0
    high = 20000.0
    start = 2023                   # a year (from its January) or "YYYY-MM"; default: the run's start
    end = "2025-12"                # optional

Everything is checked before anything runs; bad input is one line naming the file, the key and
what was expected (:class:`model.config.ConfigError`), and the command exits with status 2.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from model.config import ConfigError, closest, parse_toml, read_text
from model.months import is_month
from model.policy import HOUSEHOLD_GROUPS, LEVERS
from model.scenario import Scenario
from model.targets import Target

TOP_KEYS = ("name", "description", "base", "horizon", "targets", "objective", "search", "levers")
TARGET_KEYS = ("ids", "probability", "file")
OBJECTIVE_KEYS = ("budget_cap",)
SEARCH_KEYS = ("seeds", "scale", "evaluations", "initial", "design", "verify_seeds", "root_seed")
LEVER_KEYS = ("name", "target", "low", "high", "start", "end")
DESIGNS = ("lhs", "sobol")
MAX_LEVERS = 20
MAX_EVALUATIONS = 10_000
MAX_SEEDS = 10_000
DEFAULT_PROBABILITY = 0.8
# Seed labels of the verification start here (or after the search's seeds, if there are more):
# fresh draws of parameters, exogenous path and chance that the search never saw.
VERIFY_SEED_START = 1000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class LeverRange:
    """One lever the search may move: its size in [low, high] from ``start`` (to ``end``)."""

    name: str
    target: tuple[str | None, ...]  # the clusters or group it applies to; (None,) for economy-wide levers
    low: float
    high: float
    start: str  # "YYYY-MM"
    end: str | None

    @property
    def label(self) -> str:
        """Column name in pareto.csv: the lever, and its target when it has one."""
        if self.target == (None,):
            return self.name
        return f"{self.name}[{'+'.join(str(t) for t in self.target)}]"

    def size(self, unit: float) -> float:
        """The lever's size at ``unit`` in [0, 1], rounded to 6 significant digits so that the size
        written into solution.toml is the size that was evaluated."""
        value = self.low + min(max(unit, 0.0), 1.0) * (self.high - self.low)
        return float(f"{value:.6g}")


@dataclass(frozen=True)
class Problem:
    name: str
    description: str
    path: Path
    text: str  # the file as read (copied into the results folder)
    base_name: str  # as the file names it: a shipped name or a path
    base: Scenario  # resolved, with the problem's horizon and root seed
    extends: str | None  # the shipped scenario's name the base is, else None (solution.toml is then whole)
    levers: tuple[LeverRange, ...]
    targets: tuple[Target, ...]
    probability: float
    budget_cap: float | None
    seeds: tuple[int, ...]
    verify_seeds: tuple[int, ...]
    scale: float
    evaluations: int
    initial: int
    design: str
    root_seed: int


class _Check:
    """Typed reads of one table's keys that fail with one line naming file, key and expectation."""

    def __init__(self, file, table: dict, prefix: str, allowed: tuple[str, ...]):
        self.file, self.table, self.prefix = file, table, prefix
        if not isinstance(table, dict):
            raise ConfigError(file, prefix.rstrip(".") or None, "a table", table)
        for key in table:
            if key not in allowed:
                raise ConfigError(file, prefix + key, "one of " + ", ".join(allowed), hint=closest(key, allowed))

    def fail(self, key: str, expected: str, got=None):
        raise ConfigError(self.file, self.prefix + key, expected, self.table.get(key) if got is None else got)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, f"an integer from {low:,} to {high:,}")
        return int(value)

    def number(self, key: str, default, low: float = -math.inf, high: float = math.inf, low_open: bool = False):
        value = self.table.get(key, default)
        if value is None:
            return None
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or value < low or value > high or (low_open and value == low):
            self.fail(key, f"a number in {'(' if low_open else '['}{low:g}, {high:g}]")
        return float(value)

    def string(self, key: str, default: str | None) -> str | None:
        value = self.table.get(key, default)
        if value is not None and not isinstance(value, str):
            self.fail(key, "a string")
        return value

    def month(self, key: str, default: str | None, first: str, last: str) -> str | None:
        """A month "YYYY-MM" or a year (its January), within [first, last]."""
        value = self.table.get(key, default)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:04d}-01"
        if not (isinstance(value, str) and is_month(value) and first <= value <= last):
            self.fail(key, f'a year or a month "YYYY-MM" within the run, {first} to {last}')
        return value


def load_problem(
    path: str | Path,
    seeds: int | None = None,
    scale: float | None = None,
    evaluations: int | None = None,
    verify_seeds: int | None = None,
) -> Problem:
    """The problem of a file, checked whole; the keyword arguments override its [search] keys
    (the command line's --seeds, --scale, --evaluations, --verify-seeds)."""
    import dataclasses

    from model.config import LAST_MONTH, check_arguments, to_toml
    from model.sweep.experiment import resolve_base_scenario
    from model.targets import load_targets, read_targets

    path = Path(path)
    text = read_text(path, "problem file (TOML, docs/optimise.md)")
    raw = parse_toml(text, path)
    top = _Check(path, raw, "", TOP_KEYS)
    name = top.string("name", path.stem)
    if not _NAME.fullmatch(name) or name.endswith(".toml"):
        top.fail("name", "a name of letters, digits, '_', '-' or '.' (it names the output folder)")
    description = top.string("description", "")
    base_name = top.string("base", "baseline")
    base = resolve_base_scenario(base_name, path.parent)
    horizon = top.month("horizon", None, base.start, LAST_MONTH)
    if horizon is not None and horizon <= base.start:
        top.fail("horizon", f"a month after the base scenario's start {base.start}")

    # targets
    tt = _Check(path, raw.get("targets", {}), "targets.", TARGET_KEYS)
    file = tt.string("file", None)
    if file is not None:
        target_file = path.parent / file
        if not target_file.is_file():
            tt.fail("file", "a target set file (the format of model/data/targets.toml), relative to the problem file")
        target_set = read_targets(target_file)
    else:
        target_set = load_targets()
    ids = tt.table.get("ids")
    if ids is None:
        last_year = max(t.year for t in target_set)
        targets = tuple(t for t in target_set if t.year == last_year)
    else:
        known = [t.id for t in target_set]
        if not (isinstance(ids, list) and ids and all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids)):
            tt.fail("ids", "a non-empty list of distinct target ids")
        for i in ids:
            if i not in known:
                raise ConfigError(
                    path, "targets.ids", "ids of the target set (kunshan list targets)", i, closest(i, known)
                )
        targets = tuple(t for t in target_set if t.id in ids)
    probability = tt.number("probability", DEFAULT_PROBABILITY, 0.0, 1.0, low_open=True)
    horizon = horizon or base.horizon
    last_needed = f"{max(t.year for t in targets)}-12"
    if horizon < last_needed:
        raise ConfigError(
            path,
            "horizon" if "horizon" in raw else "base",
            f"a run reaching the targets' last year, to {last_needed} at least",
            horizon,
        )

    # objective
    ob = _Check(path, raw.get("objective", {}), "objective.", OBJECTIVE_KEYS)
    budget_cap = ob.number("budget_cap", None, 0.0, low_open=True)

    # search
    se = _Check(path, raw.get("search", {}), "search.", SEARCH_KEYS)
    n_seeds = se.integer("seeds", 8, 1, MAX_SEEDS)
    n_evaluations = se.integer("evaluations", 40, 2, MAX_EVALUATIONS)
    n_verify = se.integer("verify_seeds", 2 * n_seeds, 1, MAX_SEEDS)
    for key, value, low, high in (
        ("seeds", seeds, 1, MAX_SEEDS),
        ("evaluations", evaluations, 2, MAX_EVALUATIONS),
        ("verify-seeds", verify_seeds, 1, MAX_SEEDS),
    ):
        if value is not None and (isinstance(value, bool) or not low <= value <= high):
            raise ConfigError("command line", "--" + key, f"an integer from {low:,} to {high:,}", value)
    n_seeds = seeds if seeds is not None else n_seeds
    n_evaluations = evaluations if evaluations is not None else n_evaluations
    n_verify = verify_seeds if verify_seeds is not None else n_verify
    n_initial = se.integer("initial", max(2, n_evaluations // 2), 2, MAX_EVALUATIONS)
    if n_initial > n_evaluations:
        se.fail("initial", f"at most the evaluations ({n_evaluations})")
    run_scale = se.number("scale", base.scale, 0.0, 1.0, low_open=True)
    if scale is not None:
        run_scale = scale
    run_scale = check_arguments(
        "command line" if scale is not None else str(path),
        scale=run_scale,
        prefix="--" if scale is not None else "search.",
    )["scale"]
    design = se.string("design", "lhs")
    if design not in DESIGNS:
        se.fail("design", "one of " + ", ".join(DESIGNS))
    root_seed = se.integer("root_seed", base.root_seed, 0, 2**63 - 1)

    # levers
    tables = raw.get("levers")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(path, "levers", "one or more [[levers]] tables (name, target, low, high, start)", tables)
    if len(tables) > MAX_LEVERS:
        raise ConfigError(path, "levers", f"at most {MAX_LEVERS} [[levers]] tables", len(tables))
    levers: list[LeverRange] = []
    for n, table in enumerate(tables, start=1):
        levers.append(_lever(path, table, f"levers[{n}].", base.start, horizon))
    seen = set()
    for n, lever in enumerate(levers, start=1):
        if lever.label in seen:
            raise ConfigError(path, f"levers[{n}].name", "each lever and target once", lever.label)
        seen.add(lever.label)

    first_verify = max(VERIFY_SEED_START, n_seeds)
    # The base as every candidate extends it: the problem's horizon and root seed, and only the base's
    # policies that start within the run (the runs' seeds and scale are the search's, given per run).
    chosen = dataclasses.replace(
        base,
        horizon=horizon,
        root_seed=root_seed,
        policies=tuple(p for p in base.policies if p.start is None or p.start <= horizon),
    )
    chosen = dataclasses.replace(chosen, source_text=to_toml(chosen))
    return Problem(
        name=name,
        description=description,
        path=path,
        text=text,
        base_name=base_name,
        base=chosen,
        extends=_shipped_name(base_name, base),
        levers=tuple(levers),
        targets=targets,
        probability=probability,
        budget_cap=budget_cap,
        seeds=tuple(range(n_seeds)),
        verify_seeds=tuple(range(first_verify, first_verify + n_verify)),
        scale=run_scale,
        evaluations=n_evaluations,
        initial=n_initial,
        design=design,
        root_seed=root_seed,
    )


def _shipped_name(name: str, base: Scenario) -> str | None:
    """``name`` when the base scenario is the shipped scenario of that name (so that solution.toml,
    wherever it is written, can say ``extends = name``); None for a scenario of the user's own."""
    from model.config import named_or_file, shipped_names

    if name not in shipped_names():
        return None
    return name if named_or_file(name).source_text == base.source_text else None


def _lever(path: Path, table: dict, where: str, start: str, horizon: str) -> LeverRange:
    from model.clusters import CLUSTER_IDS

    check = _Check(path, table, where, LEVER_KEYS)
    name = table.get("name")
    if not isinstance(name, str) or name not in LEVERS:
        raise ConfigError(
            path,
            where + "name",
            "a lever of model/policy.py (kunshan list levers)",
            "nothing" if name is None else name,
            closest(name, LEVERS) if isinstance(name, str) else None,
        )
    spec = LEVERS[name]
    target = table.get("target")
    if spec.targets == "cluster":
        allowed = ("all", *CLUSTER_IDS)
        values = ["all"] if target is None else (target if isinstance(target, list) else [target])
        if not values or len(set(map(str, values))) < len(values):
            check.fail("target", "a cluster id, 'all' or a non-empty list of distinct cluster ids")
        for v in values:
            if v not in allowed:
                raise ConfigError(
                    path, where + "target", "a cluster id or 'all' (kunshan list levers)", v, closest(v, allowed)
                )
        targets = tuple(values)
    elif spec.targets == "households":
        if target not in HOUSEHOLD_GROUPS:
            raise ConfigError(
                path,
                where + "target",
                "a household group: " + ", ".join(HOUSEHOLD_GROUPS),
                target,
                closest(target, HOUSEHOLD_GROUPS),
            )
        targets = (target,)
    else:
        if target is not None:
            check.fail(
                "target",
                f"no target: {name} applies to the whole {'economy' if spec.targets == 'economy' else 'county'}",
            )
        targets = (None,)
    if "low" not in table or "high" not in table:
        check.fail("low" if "low" not in table else "high", "this key to be set (the lever's bounds)", "nothing")
    low = check.number("low", None, spec.low, spec.high)
    high = check.number("high", None, spec.low, spec.high)
    if not high > low:
        check.fail("high", f"a number above low ({low:g})")
    first = check.month("start", start, start, horizon)
    end = check.month("end", None, first, horizon)
    return LeverRange(name=name, target=targets, low=low, high=high, start=first, end=end)
