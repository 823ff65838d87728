"""Kunshan regional economic simulation: an agent-based model of firms, industry clusters,
households and village collectives, run as policy scenarios towards the 2025 targets."""

__version__ = "0.1.0"

# The Python API (model/api.py, docs/python.md), imported on first use so that `import model`
# (and with it `kunshan --help`) stays instant.
import sys as _sys
import types as _types

_API = ("KunshanModel", "load_scenario", "new_model", "open_results", "run", "shipped_scenarios")


def __getattr__(name: str):
    if name in _API:
        from model import api

        return getattr(api, name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_API])


class _Package(_types.ModuleType):
    """`model.run` is the API's function, though a submodule model/run.py exists too: importing a
    submodule binds its name on the package, and that one binding is declined here (the submodule
    stays importable as `from model.run import simulate`, through sys.modules)."""

    def __setattr__(self, name, value):
        if name == "run" and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
