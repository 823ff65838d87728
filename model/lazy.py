"""A package's public names imported from their modules on first use (PEP 562).

A command that needs one name of a package (say ``model.outputs.WriteError``) should not pay for
the heavy modules behind its other names (xarray and pandas behind the netCDF helpers): `kunshan
--version` went from 0.73 to 0.08 s when the packages stopped importing every module eagerly.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_names(
    package: str, modules: dict[str, tuple[str, ...]]
) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``, whose public names are those
    of ``modules`` (module -> its names): a name is imported from its module when first used, then
    kept in the package."""
    homes = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(homes))

    return __getattr__, __dir__, sorted(homes)
