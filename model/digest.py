"""One fingerprint of the model's code and data, recorded in every results folder and sweep.

The same digest means the same model even where the version number was not bumped: `reproduce`
uses it to tell a changed model from a broken result, and a sweep refuses to resume with runs of
another model.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import model

_HASHED = (".py", ".toml", ".csv")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 over every code and data file of the package, by relative path and content."""
    root = Path(model.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix in _HASHED and "__pycache__" not in relative.parts:
            digest.update(relative.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
