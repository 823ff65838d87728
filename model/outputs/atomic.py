"""Atomic results folders: complete or absent.

Everything is written into a hidden sibling folder and moved into place at the very end, so an
interrupted run never leaves a half-written folder that a later `kunshan compare` would read as if
it were whole, and an earlier result with the same name survives until the new one is complete.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from model.config import ConfigError
from model.outputs.manifest import MANIFEST, foreign_files, write_manifest

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
# Folders and files this process has moved into place, so that an interrupt afterwards (while
# comparing or printing) is not reported as "nothing was written".
COMPLETED: list[Path] = []
_NAME_MAX = 255  # bytes of one path component on Linux, macOS and Windows file systems


class WriteError(Exception):
    """Writing a results folder failed for a reason outside the user's input (a full disk): one
    line naming the folder; the partial folder is already removed."""


def check_destination(folder: str | Path, key: str = "--out", inputs: Sequence[str | Path] = ()) -> Path:
    """Refuse, before any work, a destination whose replacement would destroy what this command did
    not write: a file, a folder holding files no kunshan manifest lists, or a folder that is or
    contains one of the command's `inputs`."""
    folder = Path(folder)
    if str(folder) == "" or folder.name in ("", ".", ".."):
        raise ConfigError("command line", key, "a folder path ending in a new name (not '', '.' or '..')", str(folder))
    if len(os.fsencode(folder.name)) > _NAME_MAX:
        raise ConfigError(
            "command line", key, f"a folder name of at most {_NAME_MAX} bytes", f"{len(os.fsencode(folder.name))} bytes"
        )
    where = folder.resolve()
    for given in inputs:
        source = Path(given).resolve()
        if where == source or where in source.parents:
            raise ConfigError(
                "command line",
                key,
                f"a folder that is not and does not contain the input {given} (it would be replaced)",
                str(folder),
            )
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise ConfigError("command line", key, "a folder path; this is a file", str(folder))
        foreign = foreign_files(folder)
        if foreign:
            shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
            raise ConfigError(
                "command line",
                key,
                f"a new folder or one kunshan wrote (it is replaced; its "
                f"{MANIFEST} lists every file); this folder holds files no kunshan manifest lists: "
                f"{shown}",
                str(folder),
            )
    ancestor = next(p for p in (folder.absolute(), *folder.absolute().parents) if p.exists())
    if not (ancestor.is_dir() and os.access(ancestor, os.W_OK | os.X_OK)):
        raise ConfigError("command line", key, f"a folder you may write; {ancestor} is not writable", str(folder))
    return folder


def _disk_full(err: BaseException) -> bool:
    """HDF5 reports a full disk inside its own message, without an errno; plain writes set errno."""
    return isinstance(err, OSError) and (
        err.errno in _DISK_FULL or any(os.strerror(code) in str(err) for code in _DISK_FULL)
    )


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then act on them as usual.

    An interrupt inside h5netcdf's file set-up leaves a half-built object whose finaliser later
    prints a traceback; a netCDF write takes a second at most, so it is let finish and the
    interrupt then unwinds as always (the partial folder is removed).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(caught[0])


@contextmanager
def atomic_folder(target: str | Path, kind: str = "results") -> Iterator[Path]:
    """A temporary sibling to fill; it becomes `target`, with its manifest (what `kind` of folder,
    every file's SHA-256), only if the block finishes. Parent folders it had to create are removed
    again if it does not (when still empty): nothing is left."""
    target = Path(target)
    created = [parent for parent in target.absolute().parents if not parent.exists()]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    partial.mkdir()  # not mkdtemp: the result should get the user's usual permissions
    try:
        yield partial
        write_manifest(partial, kind)
        _swap_in(partial, target)
        COMPLETED.append(target)
    except BaseException as err:
        shutil.rmtree(partial, ignore_errors=True)
        for parent in created:  # deepest first
            try:
                parent.rmdir()
            except OSError:  # no longer empty: someone else wrote there meanwhile
                break
        if _disk_full(err):
            raise WriteError(
                f"{target}: the disk is full (no space left on device or quota exceeded); nothing was written"
            ) from None
        raise


def _swap_in(partial: Path, target: Path) -> None:
    if not target.exists():
        os.replace(partial, target)
        return
    retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.replace(target, retired)
    try:
        os.replace(partial, target)
    except BaseException:
        os.replace(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


@contextmanager
def atomic_file(target: str | Path) -> Iterator[Path]:
    """A temporary sibling file to fill; it becomes `target` only if the block finishes."""
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        yield partial
        os.replace(partial, target)
        COMPLETED.append(target)
    except BaseException as err:
        partial.unlink(missing_ok=True)
        if _disk_full(err):
            raise WriteError(
                f"{target}: the disk is full (no space left on device or quota exceeded); nothing was written"
            ) from None
        raise
