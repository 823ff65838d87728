"""Writing a scenario back as TOML: just the types a scenario holds, so that the text reads back to
the same Scenario (the provenance written into every output)."""

from __future__ import annotations

import dataclasses
import re

from model.scenario import Scenario


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
        return f'"{escaped}"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_key(key) -> str:
    key = str(key)
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def toml_table(fields: dict) -> list[str]:
    return [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in fields.items() if v is not None and v != {}]


def to_toml(scenario: Scenario) -> str:
    """The scenario as a self-contained TOML file (no `extends`): what exactly was simulated."""
    top = {
        f: getattr(scenario, f)
        for f in (
            "name",
            "description",
            "start",
            "horizon",
            "seeds",
            "root_seed",
            "scale",
            "observed",
            "targets",
            "uncertainty",
        )
    }
    top["seeds"] = list(top["seeds"])
    lines = toml_table(top)
    if scenario.parameter_uncertainty:
        table = scenario.parameter_uncertainty
        lines += [
            "",
            "[parameter_uncertainty]",
            *toml_table({"names": list(table["names"]), "method": table["method"]}),
            "covariance = [",
            *(f"  {_toml_value([float(v) for v in row])}," for row in table["covariance"]),
            "]",
        ]
    if scenario.parameters:
        lines += ["", "[parameters]", *toml_table(dict(sorted(scenario.parameters.items())))]
    for policy in scenario.policies:
        lines += ["", "[[policies]]", *toml_table(dataclasses.asdict(policy))]
    for shock in scenario.shocks:
        fields = dataclasses.asdict(shock)
        if shock.kind == "exchange_rate":
            fields.pop("size")
        lines += ["", "[[shocks]]", *toml_table(fields)]
    return "\n".join(lines) + "\n"
