"""The one error of bad user input, :class:`ConfigError`, and what the checks raise before it
(:class:`_Bad`: the caller adds the file and key).

ConfigError is what every command turns into one line on stderr and exit status 2; it pickles by
value so that an error raised in a worker process reaches the parent whole."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any


class _Nothing:
    """ "No value given" for ConfigError; pickled by name so that it survives a worker process."""

    def __reduce__(self):
        return "_NOTHING"


_NOTHING = _Nothing()


class ConfigError(ValueError):
    """Bad user input, said in one line: which file, which key, what was expected, what was found."""

    def __init__(self, file: str | Path, key: str | None, expected: str, got: Any = _NOTHING, hint: str | None = None):
        self.file, self.key, self.expected, self.got, self.hint = str(file), key, expected, got, hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: key '{self.key}'" if self.key else self.file
        text = f"{where}: expected {self.expected}"
        if self.got is not _NOTHING:
            text += f"; got {self.got!r}"
        if self.hint:
            text += f" (did you mean '{self.hint}'?)"
        return " ".join(text.split())  # one line whatever the input held

    def __reduce__(self):
        """Errors raised in a worker process (`--workers N`) are pickled back to the parent."""
        return _rebuild_error, (type(self), self.__dict__.copy())


def _rebuild_error(cls: type, fields: dict) -> ConfigError:
    error = cls.__new__(cls)
    error.__dict__.update(fields)
    Exception.__init__(error, str(error))
    return error


class _Bad(Exception):
    """A value check failed; the caller knows the file and key and turns this into ConfigError."""

    def __init__(self, expected: str, hint: str | None = None):
        self.expected, self.hint = expected, hint


def closest(word: Any, choices) -> str | None:
    found = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return found[0] if found else None
