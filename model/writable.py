"""Where a command may write, checked before any work, so that a bad ``--out`` costs a second and
not the hour of simulation after which the first write would fail.

Results are written to a hidden sibling of the destination and renamed into place (see
model.outputs.atomic_folder), so a destination needs a name of its own, room in that name for the
sibling's suffix, and a folder above it in which this process can really create something:
permission bits say nothing about /proc or a read-only mount, so the check creates and removes an
empty folder there.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from model.config import ConfigError

# The longest suffix a write adds to the destination's name: ".partial-" or ".old-", a dot in
# front and eight hex digits.
SIBLING_SUFFIX = 18
FALLBACK_NAME_MAX = 255
PATH_MAX = 4096  # Linux's; os does not export it


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):
        return FALLBACK_NAME_MAX


def _refuse(key: str, expected: str, path) -> ConfigError:
    return ConfigError("command line", key, expected, str(path))


def _nearest_existing(path: Path, key: str, text: str) -> Path:
    for candidate in (path, *path.parents):
        try:
            info = candidate.stat()
        except OSError as err:
            # a long name is judged by the caller; a file used as a folder is found further up
            if err.errno in (errno.ENOENT, errno.ENAMETOOLONG, errno.ENOTDIR):
                continue
            raise _refuse(key, f"a path that can be created ({err.strerror or err})", text) from None
        if candidate != path and not stat.S_ISDIR(info.st_mode):
            raise _refuse(key, f"a path inside folders; {candidate} is a file", text)
        return candidate
    raise _refuse(key, "a path on an existing file system", text)


def _can_create_in(folder: Path) -> str | None:
    """None if this process can create a folder in ``folder``, else why not."""
    try:
        probe = tempfile.mkdtemp(prefix=".kunshan-write-check-", dir=folder)
    except OSError as err:
        return os.strerror(err.errno) if err.errno else str(err)
    os.rmdir(probe)
    return None


def check_output_path(path: str | Path, key: str = "--out", kind: str = "folder") -> Path:
    """``path`` (as given) if a ``kind`` ("folder" or "file") can be written there; else
    ConfigError naming ``key``. Nothing is left behind by the check. Whether an existing folder
    may be replaced is model.outputs.check_destination's question."""
    text = str(path)
    if not text.strip():
        raise _refuse(key, f"a {kind} name", text)
    target = Path(os.path.abspath(text))  # "a/.." is "." here, as the file system will take it
    here = Path.cwd()
    if target == here or target in here.parents:
        raise _refuse(key, f"a new {kind} or an earlier result, not the current folder or one containing it", text)
    if len(os.fsencode(target)) >= PATH_MAX - SIBLING_SUFFIX:
        raise _refuse(key, "a shorter path", f"{text[:40]}... ({len(text)} characters)")
    existing = _nearest_existing(target, key, text)
    name_max = _name_max(existing)
    new_parts = target.relative_to(existing).parts if existing != target else (target.name,)
    for index, part in enumerate(new_parts):
        limit = name_max - (SIBLING_SUFFIX if index == len(new_parts) - 1 else 0)
        if len(os.fsencode(part)) > limit:
            raise _refuse(
                key,
                f"names of at most {limit} bytes (the file system's limit, less room for a temporary name)",
                f"{part[:40]}... ({len(part)} characters)",
            )
    if existing == target:
        info = target.stat()
        if kind == "folder" and not stat.S_ISDIR(info.st_mode):
            raise _refuse(key, "a folder path; this is a file", text)
        if kind == "file" and not stat.S_ISREG(info.st_mode):
            what = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise _refuse(key, f"a file path; this is {what}", text)
        existing = target.parent
    why = _can_create_in(existing)
    if why is not None:
        raise _refuse(key, f"a {kind} you may write; cannot create anything in {existing}: {why}", text)
    return Path(path)
