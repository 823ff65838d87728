"""Two facts behind docs/performance.md's section on blocks of rows (issue 18, fifth sitting):

1. A chain of elementwise NumPy operations over a million rows, done a block of rows at a time,
   takes less time than over the whole arrays (its intermediates stay in cache), with the same bits.
2. NumPy's sum of a contiguous float64 array is reproduced bit for bit from the sums of blocks of
   it, if the blocks are the leaves of NumPy's pairwise summation (halves, the first of
   ``floor(k/2) - floor(k/2) mod 8`` elements) and the block sums are added as the halves are.
   So a fused kernel, in NumPy blocks or compiled, can keep the model's totals to the bit.

    python experiments/pairwise_blocks.py            # both, about 10 s
    python experiments/pairwise_blocks.py --lengths 200

Only a measurement: nothing in the model uses it (the blocked actions, on branch perf-blocks, did
not make a whole run faster).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

ROWS = 1_000_000


def leaves(rows: int, most: int) -> list[slice]:
    """The pieces NumPy's pairwise summation halves ``rows`` elements into, of at most ``most``."""
    pieces: list[slice] = []

    def cut(start: int, count: int) -> None:
        if count <= most:
            pieces.append(slice(start, start + count))
            return
        half = count // 2
        half -= half % 8
        cut(start, half)
        cut(start + half, count - half)

    if rows:
        cut(0, rows)
    return pieces


def added_as_halves(piece_sums: list[np.float64], rows: int, most: int) -> np.float64:
    """The pieces' sums added in the order of the halving (0.0 if no rows)."""
    sums = iter(piece_sums)

    def add(count: int) -> np.float64:
        if count <= most:
            return next(sums)
        half = count // 2
        half -= half % 8
        left = add(half)
        return left + add(count - half)

    return add(rows) if rows else np.float64(0.0)


def check_sums(lengths: int, rng: np.random.Generator) -> tuple[int, int]:
    """(cases, cases whose blocked total differs from ``sum()``): random lengths up to 3 million and
    the edges, values spread over many orders of magnitude, leaves of three sizes."""
    sizes = [1, 7, 8, 9, 128, 129, 65_536, 65_537, 131_072, 1_032_301, 2_150_769]
    sizes += [int(n) for n in rng.integers(1, 3_000_000, lengths)]
    cases = differing = 0
    for rows in sizes:
        values = rng.standard_normal(rows) * np.exp(5.0 * rng.standard_normal(rows))
        whole = values.sum()
        for most in (65_536, 4_096, 1_000):
            pieces = leaves(rows, most)
            cases += 1
            differing += added_as_halves([values[p].sum() for p in pieces], rows, most) != whole
    return cases, differing


def chain(a, b, c, d, e, f, group, table, out) -> None:
    """Twelve elementwise operations, as an action's chain over households might make them."""
    t = table.take(group)
    t *= a
    u = table.take(group)
    u *= b
    np.add(t, u, out=out)
    out += c
    out += d
    out -= e * 0.3
    out *= f


def time_chain(repeat: int, rng: np.random.Generator) -> dict[str, float]:
    """Median milliseconds of :func:`chain` over a million rows, whole and in blocks of rows."""
    a, b, c, d, e, f = (rng.random(ROWS) for _ in range(6))
    group = rng.integers(0, 4, ROWS).astype(np.intp)
    table = np.array([1.0, 2.0, 3.0, 4.0])
    out = np.empty(ROWS)

    def blocked(rows: int) -> None:
        for start in range(0, ROWS, rows):
            s = slice(start, start + rows)
            chain(a[s], b[s], c[s], d[s], e[s], f[s], group[s], table, out[s])

    ways = {"whole": lambda: chain(a, b, c, d, e, f, group, table, out)}
    ways |= {f"blocks of {rows:,}": (lambda rows=rows: blocked(rows)) for rows in (16_384, 65_536, 262_144)}
    medians = {}
    results = {}
    for name, way in ways.items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            way()
            times.append(time.perf_counter() - started)
        medians[name] = 1e3 * statistics.median(times)
        results[name] = out.copy()
    same = all(np.array_equal(results["whole"], r) for r in results.values())
    return medians | {"same bits": same}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lengths", type=int, default=60, help="random array lengths to check the sums on")
    ap.add_argument("--repeat", type=int, default=15, help="timed calls of the chain per way")
    args = ap.parse_args()
    rng = np.random.default_rng(20261203)
    timing = time_chain(args.repeat, rng)
    print(f"A chain of 12 operations over {ROWS:,} rows, median of {args.repeat} calls:")
    for name, value in timing.items():
        print(f"  {name}: {value:.2f} ms" if isinstance(value, float) else f"  {name}: {value}")
    cases, differing = check_sums(args.lengths, rng)
    print(f"Blocked sums against ndarray.sum(): {cases - differing} of {cases} cases bit-identical")


if __name__ == "__main__":
    main()
