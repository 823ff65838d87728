"""Check that .ci/lowest.txt pins exactly the lower bounds pyproject.toml declares.

.ci/run installs .ci/lowest.txt into .venv-lowest and runs the fast tests there, so a lower bound
in pyproject.toml is one the code has been tested with only while the two agree. Every runtime
dependency and the test runner's own (pytest, hypothesis) must have a ">=" bound and a pin equal
to it; a pin may also name a package a dependency's extra brings in (dask[distributed] ->
distributed), at the same version. Standard library only: runs with any Python >= 3.11.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST_TOOLS = ("pytest", "hypothesis")  # of the [test] extra: what the fast tests need to run at all
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*?)\s*(?:;.*)?$")
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)\s*(?:#.*)?$")


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version: str) -> tuple:
    """Release numbers to compare, trailing zeros dropped (PEP 440: 3.3 == 3.3.0)."""
    parts = [int(p) if p.isdigit() else p for p in re.split(r"[.+-]", version)]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def bounds(requirement: str) -> tuple[str, list[str], str | None, str | None]:
    """(name, extras, lower bound of ">=", upper bound of "<") of a requirement string."""
    match = REQUIREMENT.match(requirement)
    if match is None:
        raise SystemExit(f"check_versions: cannot read the requirement {requirement!r}")
    name, extras, specifiers = match.groups()
    lower = upper = None
    for spec in filter(None, (s.strip() for s in specifiers.split(","))):
        if spec.startswith(">="):
            lower = spec[2:].strip()
        elif spec.startswith("<") and not spec.startswith("<="):
            upper = spec[1:].strip()
    return normal(name), [normal(e) for e in (extras or "").split(",") if e.strip()], lower, upper


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    wanted += [r for r in project["optional-dependencies"]["test"] if bounds(r)[0] in TEST_TOOLS]
    pins: dict[str, str] = {}
    for number, line in enumerate((ROOT / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line)
        if match is None:
            raise SystemExit(f"check_versions: .ci/lowest.txt line {number}: expected NAME==VERSION; got {line!r}")
        pins[normal(match.group(1))] = match.group(2)
    problems, accounted = [], set()
    for requirement in wanted:
        name, extras, lower, upper = bounds(requirement)
        accounted.add(name)
        if lower is None:
            problems.append(f"{requirement!r} in pyproject.toml has no '>=' lower bound")
        elif pins.get(name) is None:
            problems.append(f"{name} has no pin in .ci/lowest.txt (pyproject.toml: >={lower})")
        elif version_key(pins[name]) != version_key(lower):
            problems.append(f"{name}: pyproject.toml says >={lower}, .ci/lowest.txt pins {pins[name]}")
        elif upper is not None and version_key(pins[name]) >= version_key(upper):
            problems.append(f"{name}: .ci/lowest.txt pins {pins[name]}, not below pyproject.toml's <{upper}")
        for extra in extras:  # dask[distributed]: distributed at dask's own version
            if extra in pins:
                accounted.add(extra)
                if lower is not None and version_key(pins[extra]) != version_key(lower):
                    problems.append(f"{extra} (extra of {name}): .ci/lowest.txt pins {pins[extra]}, not {lower}")
    problems += [
        f"{name}=={pins[name]} in .ci/lowest.txt is no dependency in pyproject.toml"
        for name in sorted(set(pins) - accounted)
    ]
    for problem in problems:
        print(f"check_versions: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_versions: the {len(pins)} pins of .ci/lowest.txt are pyproject.toml's lower bounds")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
