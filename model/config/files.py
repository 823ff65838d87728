"""Reading input files: the bytes of a regular file of bounded size, its UTF-8 text, its TOML, and
the files a scenario names (an observed-data CSV, a target set), each refused in one line."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

from model.config.errors import ConfigError

MAX_INPUT_BYTES = 16 * 2**20  # a scenario is a few kilobytes; anything this big is not one


def read_input(source, what: str = "scenario file") -> bytes:
    """The bytes of an input file, refusing what is not a regular file before opening it: a FIFO
    would block the command forever waiting for a writer, a device might never end."""
    expected = f"a readable UTF-8 {what}"
    if isinstance(source, Path):
        try:
            info = source.stat()
        except OSError as err:
            raise ConfigError(source, None, expected, err.strerror or str(err)) from None
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a FIFO, socket or device)"
            raise ConfigError(source, None, expected, kind)
        if info.st_size > MAX_INPUT_BYTES:
            raise ConfigError(
                source, None, f"{expected} of at most {MAX_INPUT_BYTES // 2**20} MB", f"{info.st_size / 2**20:.0f} MB"
            )
    try:
        return source.read_bytes()
    except OSError as err:
        raise ConfigError(source, None, expected, err.strerror or str(err)) from None


def parse_toml(text: str, file) -> dict:
    """TOML text parsed, with malformed or pathologically nested text as bad input of ``file``."""
    if not isinstance(text, str):
        raise ConfigError(file, None, "TOML text (a str)", type(text).__name__)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(file, None, "valid TOML", str(err)) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(file, None, "TOML without arrays or tables nested hundreds deep") from None


def read_text(source, what: str = "scenario file", file=None) -> str:
    """The text of a UTF-8 input file (a path or packaged resource), after :func:`read_input`'s
    checks; ``file`` names it in errors when not ``source`` itself."""
    data = read_input(source, what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(file or source, None, f"a readable UTF-8 {what}", str(err)) from None


def _read(source) -> dict:
    """The parsed TOML of a scenario file; a missing, unreadable or malformed file is bad input."""
    return parse_toml(read_text(source), source)


def observed_file(value: str, relative_to: Path | None, file, key: str = "observed") -> str:
    """The resolved path of an observed-data CSV (--observed, scenario key `observed`), read and checked
    now so that a bad file is one line before anything runs."""
    from model.data.observed import BadObservedFile, read_observations

    path = Path(value) if relative_to is None else relative_to / value
    try:
        read_observations(path)
    except OSError as err:
        raise ConfigError(
            file,
            key,
            "a readable observed-data CSV (the format of model/data/observed_kunshan.csv)",
            f"{value}: {err.strerror or err}",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(file, key, "a UTF-8 observed-data CSV", value) from None
    except BadObservedFile as bad:
        raise ConfigError(path, bad.column, bad.expected, bad.got) from None
    return str(path.resolve())


def targets_file(value: str, relative_to: Path | None, file, key: str = "targets") -> str:
    """The resolved path of a user's target set (--targets, scenario key `targets`), read and checked
    now so that a bad file is one line before anything runs."""
    from model.targets import read_targets

    path = Path(value) if relative_to is None else relative_to / value
    if not path.exists():
        raise ConfigError(file, key, "an existing target set file (the format of model/data/targets.toml)", value)
    read_targets(path)
    return str(path.resolve())
