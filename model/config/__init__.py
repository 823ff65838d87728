"""Reading scenario files: one schema, one error type, and `extends` resolved into a single Scenario.

A scenario file is TOML. Everything a user can get wrong is caught here, before any simulation
starts, and reported as one line naming the file, the key and what was expected, so that a typo
in a forty-minute run costs a second, not forty minutes. Keys of array tables are written
``policies[n]`` with ``n`` counting the ``[[policies]]`` blocks of the file from 1, as an author
counts them.

``extends = "name"`` takes the scenario ``name`` from the file's own folder, else from the shipped
scenarios (``model/scenarios/``, package data, so the baseline is found after ``pip install .``).
Merging: scalars of the child replace the parent's, ``[parameters]`` merge key by key, and the
child's policies and shocks are added to the parent's; inherited ones falling outside the child's
run window are clipped to it or dropped. The merged scenario is rendered back to TOML as
``Scenario.source_text``, the provenance written into every output; it reads back to the same
Scenario.

One module a concept (what a scenario *is*, the dataclasses, is :mod:`model.scenario`):

- :mod:`~model.config.errors`: :class:`ConfigError`, the one-line error of bad input;
- :mod:`~model.config.values`: checks of single values, and the ranges of months, seeds and scale;
- :mod:`~model.config.schema`: the keys of a file, a policy and each shock kind, and one file checked;
- :mod:`~model.config.files`: reading input files (bytes, UTF-8 text, TOML, files a scenario names);
- :mod:`~model.config.origins`: the origins the data allow, and what starts before a run's first month;
- :mod:`~model.config.layers`: ``extends`` resolved and the chain merged; shipped names and text;
- :mod:`~model.config.overrides`: values from Python or the command line, checked by the same schema;
- :mod:`~model.config.render`: a scenario written back as TOML.

Everything a caller needs is importable from ``model.config`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model.lazy import lazy_names

if TYPE_CHECKING:  # for type checkers and readers; at run time each name is imported when first used
    from model.config.errors import ConfigError, closest
    from model.config.files import MAX_INPUT_BYTES, observed_file, parse_toml, read_input, read_text, targets_file
    from model.config.layers import PACKAGED, load_scenario, merge, named_or_file, scenario_from_text, shipped_names
    from model.config.origins import OriginWarning, check_origin, default_origin_of
    from model.config.overrides import OVERRIDABLE, check_arguments, with_overrides
    from model.config.render import to_toml, toml_table
    from model.config.schema import SHOCK_KEYS, TOP, Key, check_document, check_numbers, check_parameters
    from model.config.values import EARLIEST_MONTH, FIRST_MONTH, LAST_MONTH, MAX_SEED, MAX_SEEDS, MIN_SCALE

# Imported lazily: `kunshan --version` and every command import ConfigError from here, and the
# schema imports NumPy and the cluster table (0.1 s of start-up).
_HOMES = {
    "ConfigError": "model.config.errors",
    "closest": "model.config.errors",
    "MAX_INPUT_BYTES": "model.config.files",
    "observed_file": "model.config.files",
    "parse_toml": "model.config.files",
    "read_input": "model.config.files",
    "read_text": "model.config.files",
    "targets_file": "model.config.files",
    "PACKAGED": "model.config.layers",
    "load_scenario": "model.config.layers",
    "merge": "model.config.layers",
    "named_or_file": "model.config.layers",
    "scenario_from_text": "model.config.layers",
    "shipped_names": "model.config.layers",
    "OriginWarning": "model.config.origins",
    "check_origin": "model.config.origins",
    "default_origin_of": "model.config.origins",
    "OVERRIDABLE": "model.config.overrides",
    "check_arguments": "model.config.overrides",
    "with_overrides": "model.config.overrides",
    "to_toml": "model.config.render",
    "toml_table": "model.config.render",
    "SHOCK_KEYS": "model.config.schema",
    "TOP": "model.config.schema",
    "Key": "model.config.schema",
    "check_document": "model.config.schema",
    "check_numbers": "model.config.schema",
    "check_parameters": "model.config.schema",
    "EARLIEST_MONTH": "model.config.values",
    "FIRST_MONTH": "model.config.values",
    "LAST_MONTH": "model.config.values",
    "MAX_SEED": "model.config.values",
    "MAX_SEEDS": "model.config.values",
    "MIN_SCALE": "model.config.values",
}

__getattr__, __dir__ = lazy_names(__name__, _HOMES)  # each name imported on first use (model/lazy.py)


__all__ = [
    "EARLIEST_MONTH",
    "FIRST_MONTH",
    "LAST_MONTH",
    "MAX_INPUT_BYTES",
    "MAX_SEED",
    "MAX_SEEDS",
    "MIN_SCALE",
    "OVERRIDABLE",
    "PACKAGED",
    "SHOCK_KEYS",
    "TOP",
    "ConfigError",
    "OriginWarning",
    "Key",
    "check_arguments",
    "check_document",
    "check_numbers",
    "check_origin",
    "check_parameters",
    "closest",
    "default_origin_of",
    "load_scenario",
    "merge",
    "named_or_file",
    "observed_file",
    "parse_toml",
    "read_input",
    "read_text",
    "scenario_from_text",
    "shipped_names",
    "targets_file",
    "to_toml",
    "toml_table",
    "with_overrides",
]
