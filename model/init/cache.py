"""Built economies kept for reuse within a process: a worker of a sweep or an ensemble builds the
initial economy once per seed and per value of the parameters the build reads, and every later run
that asks for the same economy starts from a copy.

Why it is valid: :func:`model.init.build_state` is a pure function of the run's seed, the scale,
the observed data in force and the parameters it reads (it draws from a generator of its own,
made from the seed, which nothing else uses). Which parameters it reads is recorded while it builds
(:class:`ReadParameters`), so a sweep over a parameter the build never reads (most behavioural
ones) still hits the cache, and one over a parameter it does read builds afresh. The copy is deep:
a run never sees another's changes, and outputs are bit-identical with and without the cache
(tests/test_build_cache.py).

What it saves: building is about a tenth of a run at the scales sweeps use (24 ms of 240 ms at
scale 0.02). Only small economies are kept (:data:`MAX_KEPT_BYTES` in all), so a full-scale run
never holds a second copy of itself.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

from model.params import Parameters
from model.state import State

MAX_KEPT_BYTES = 256 * 1024 * 1024  # all kept economies together
MAX_KEPT = 32  # economies (a worker meets a seed again within a few dozen runs, or not at all)


class ReadParameters(Parameters):
    """Parameters that note the name of every one read through attribute access (how the build
    reads them)."""

    def __init__(self, values: dict[str, float]):
        super().__init__(values)
        object.__setattr__(self, "read", set())

    def __post_init__(self) -> None:
        """No plain attributes (Parameters sets one per value): every read must go through
        __getattr__ to be noted, or a build would seem to read nothing and any parameters hit."""

    def __getattr__(self, name: str) -> float:
        value = super().__getattr__(name)
        self.__dict__["read"].add(name)
        return value


def state_bytes(state: State) -> int:
    """Bytes of the arrays of a state (its populations and the economy's tables)."""
    total = 0
    for part in vars(state).values():
        for value in vars(part).values() if hasattr(part, "__dict__") else ():
            if isinstance(value, np.ndarray):
                total += value.nbytes
    return total


class BuildCache:
    """Least recently used built economies, by (seed, scale, data) and the parameters read."""

    def __init__(self, max_bytes: int = MAX_KEPT_BYTES, max_kept: int = MAX_KEPT):
        self.max_bytes, self.max_kept = max_bytes, max_kept
        # False: keep no new economy (those kept still serve). For a worker whose runs never share a
        # seed (a sweep without common random numbers, an ensemble): a kept copy costs a deep copy
        # (0.6 ms at scale 0.02, 3.4 ms at 0.1) and memory (up to MAX_KEPT_BYTES), and no run would
        # start from it.
        self.keep_new = True
        self._kept: OrderedDict[tuple, tuple[State, int]] = OrderedDict()
        self._read: dict[Hashable, list[tuple[str, ...]]] = {}  # by base key: the name sets builds read
        self.hits = self.misses = 0

    def clear(self) -> None:
        """Forget every kept economy and the counts; keep new ones again."""
        self._kept.clear()
        self._read.clear()
        self.hits = self.misses = 0
        self.keep_new = True

    def get_or_build(self, base_key: Hashable, params: Parameters, build: Callable[[Parameters], State]) -> State:
        """A fresh copy of the economy ``build(params)`` would return, built at most once per
        ``base_key`` (seed, scale, data) and value of the parameters a build read."""
        for names in self._read.get(base_key, ()):
            key = (base_key, names, tuple(params.values.get(n) for n in names))
            if key in self._kept:
                self._kept.move_to_end(key)
                self.hits += 1
                return copy.deepcopy(self._kept[key][0])
        self.misses += 1
        reading = ReadParameters(params.values)
        state = build(reading)
        names = tuple(sorted(reading.read))
        size = state_bytes(state)
        if self.keep_new and self.max_kept > 0 and size <= self.max_bytes // 4:  # small enough to keep several
            known = self._read.setdefault(base_key, [])
            if names not in known:
                known.append(names)
            self._kept[(base_key, names, tuple(params.values.get(n) for n in names))] = (copy.deepcopy(state), size)
            self._evict()
        return state

    def _evict(self) -> None:
        while self._kept and (
            len(self._kept) > self.max_kept or sum(size for _, size in self._kept.values()) > self.max_bytes
        ):
            self._kept.popitem(last=False)


BUILT = BuildCache()  # the process's own
