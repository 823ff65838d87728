"""model.outputs and model.config import their names on first use (model/lazy.py): a command that
only needs an error type or a scenario reader starts without xarray and pandas (`kunshan --version`
0.73 -> 0.08 s, docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import model.config
import model.outputs

PROBE = """
import sys
import model.config, model.outputs
names = (model.outputs.WriteError, model.config.ConfigError, model.config.load_scenario)
print(sorted(m for m in ("xarray", "pandas", "matplotlib") if m in sys.modules))
"""


def test_the_error_types_and_the_scenario_reader_come_without_xarray_pandas_or_matplotlib():
    found = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


@pytest.mark.parametrize("package", [model.config, model.outputs])
def test_every_public_name_resolves_and_an_unknown_one_raises(package):
    for name in package.__all__:
        assert getattr(package, name) is not None
    assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        package.no_such_name  # noqa: B018
