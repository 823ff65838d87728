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

from model.lazy import lazy_names

# Imported lazily: `kunshan --version` and every command import ConfigError from here, and the
# schema imports NumPy and the cluster table (0.1 s of start-up).
_MODULES = {
    "model.config.errors": ("ConfigError", "closest"),
    "model.config.files": ("MAX_INPUT_BYTES", "observed_file", "parse_toml", "read_input", "read_text", "targets_file"),
    "model.config.layers": (
        "PACKAGED",
        "load_scenario",
        "merge",
        "named_or_file",
        "scenario_from_text",
        "shipped_names",
    ),
    "model.config.origins": ("OriginWarning", "check_origin", "default_origin_of"),
    "model.config.overrides": ("OVERRIDABLE", "check_arguments", "with_overrides"),
    "model.config.render": ("to_toml", "toml_table"),
    "model.config.schema": ("SHOCK_KEYS", "TOP", "Key", "check_document", "check_numbers", "check_parameters"),
    "model.config.values": ("EARLIEST_MONTH", "FIRST_MONTH", "LAST_MONTH", "MAX_SEED", "MAX_SEEDS", "MIN_SCALE"),
}

__getattr__, __dir__, __all__ = lazy_names(__name__, _MODULES)  # each name imported on first use
