"""manifest.json: the SHA-256 of every file kunshan wrote into a folder.

It lets a reader tell a folder as written from one changed since (a hand-edited or damaged
`annual.nc` would otherwise be compared, validated or reproduced as if the model had produced it),
and it says which files kunshan wrote, so that replacing a folder never deletes a file the user
kept there.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import model
from model.config import ConfigError

MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
_CHUNK = 1 << 20


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path, kind: str) -> None:
    """List every file under `folder` (the manifest itself excepted) with its SHA-256."""
    files = {
        p.relative_to(folder).as_posix(): sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in (MANIFEST, f".{MANIFEST}.partial")
    }
    record = {
        "written_by": "kunshan",
        "manifest_format": MANIFEST_FORMAT,
        "kunshan_version": model.__version__,
        "kind": kind,
        "algorithm": "sha256",
        "files": files,
    }
    # under a temporary name first: a folder written in place (a sweep's) never shows half a manifest
    partial = folder / f".{MANIFEST}.partial"
    partial.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(partial, folder / MANIFEST)


def require_regular(path: Path, folder: Path, what: str = "a results folder written by kunshan") -> None:
    """Refuse a FIFO, device, socket or folder where a file is expected: reading a FIFO would hang.
    Symbolic links are followed (lstat would refuse a user's link to a good file)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ConfigError(folder, None, what, f"{path.relative_to(folder).as_posix()} is missing") from None
    except OSError as err:
        raise ConfigError(folder, None, what, f"{path.relative_to(folder).as_posix()}: {err.strerror}") from None
    if not stat.S_ISREG(mode):
        raise ConfigError(folder, None, what, f"{path.relative_to(folder).as_posix()} is not a regular file")


def read_manifest(folder: Path) -> dict[str, str]:
    """The files a folder's manifest lists (path -> SHA-256), or ConfigError in one line."""
    expected = f"a folder written by kunshan with its {MANIFEST}"
    path = folder / MANIFEST
    require_regular(path, folder, expected)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise ConfigError(path, None, "the JSON manifest kunshan writes", f"{type(err).__name__}: {err}") from None
    files = record.get("files") if isinstance(record, dict) else None
    if (
        not isinstance(record, dict)
        or record.get("written_by") != "kunshan"
        or not isinstance(files, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
    ):
        raise ConfigError(
            path, "files", "the JSON manifest kunshan writes (written_by, files: path -> SHA-256)", "something else"
        )
    for name in files:
        parts = Path(name).parts
        if Path(name).is_absolute() or ".." in parts or not parts:
            raise ConfigError(path, "files", "paths inside the folder", name)
    return files


def mismatch(folder: str | Path, nested: bool = True) -> str | None:
    """The first file of `folder` (and, if `nested`, of folders inside it that carry their own
    manifest) that no longer matches its manifest, described in a few words; None when all match.

    Files the manifest does not list are ignored: a user may keep notes beside the results, and
    `kunshan validate` writes its folder inside the run's. A missing or unreadable manifest, or a
    listed entry that is not a regular file, is bad input (ConfigError), not a mismatch.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(
            folder,
            None,
            f"a folder written by kunshan with its {MANIFEST}",
            "not a folder" if os.path.lexists(folder) else "no such folder",
        )
    inner = sorted(folder.rglob(f"*/{MANIFEST}")) if nested else []
    for manifest in [folder / MANIFEST, *inner]:
        here = manifest.parent
        for name, digest in read_manifest(here).items():
            path = here / name
            shown = path.relative_to(folder).as_posix()
            if not os.path.lexists(path):
                return f"{shown} is missing"
            require_regular(path, folder)
            if sha256(path) != digest:
                return f"{shown} has changed since kunshan wrote it (SHA-256 differs from {MANIFEST})"
    return None


def check_intact(folder: str | Path) -> None:
    """Refuse, in one line, a folder changed since kunshan wrote it: whatever it holds now was not
    produced by the model, and must not be compared, validated or blamed on the code. Folders inside
    it with their own manifest (a validation) are not the folder's data and are not checked here."""
    found = mismatch(folder, nested=False)
    if found is not None:
        raise ConfigError(
            folder, None, f"the folder as kunshan wrote it ({MANIFEST}; `kunshan verify` checks it)", found
        )


def foreign_files(folder: Path) -> list[str]:
    """Files in `folder` that no manifest in it lists: what replacing the folder would destroy of
    someone else's. Without a manifest at the top, every file is foreign."""
    listed: set[Path] = set()
    for manifest in folder.rglob(MANIFEST):
        try:
            listed.update(manifest.parent / name for name in read_manifest(manifest.parent))
        except ConfigError:
            continue
        listed.add(manifest)
    if not (folder / MANIFEST).is_file():
        listed = set()
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if (p.is_symlink() or not p.is_dir()) and p not in listed
    )
