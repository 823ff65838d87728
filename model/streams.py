"""The run's random draws: one stream for each purpose, realigned at the start of every month.

Comparing a policy with the baseline on the same seed (common random numbers) only removes noise
if the two runs meet the same shocks. With a single generator, one extra draw anywhere (a firm
more, a migrant more, a different number of job-leavers) shifts every later draw, and the runs
soon meet unrelated shocks. So each purpose draws from its own generator, and every month each
generator restarts at a fixed place of its sequence (month k starts 2**64 k draws in): this
month's world-demand shock is the same in every scenario, and the firm in row i gets the same
demand-share shock, whatever happened elsewhere or before.

Every generator is a numpy PCG64 seeded from the run's SeedSequence (children with fixed spawn
keys), so the draws depend only on the scenario's seed, never on worker counts or call order.
"""

from __future__ import annotations

import numpy as np

PURPOSES = (
    "environment",  # world-demand and cluster shocks
    "separations",  # who leaves a job
    "matching",  # who of the job seekers is hired, and where
    "arrivals",  # migrant workers arriving and their households
    "departures",  # migrant households without work leaving
    "settlement",  # hukou settlement and births
    "innovation",  # productivity jumps
    "demand_shares",  # Gibrat shocks to firms' shares of demand
    "exits",  # the background exit hazard
    "startups",  # domestic start-ups: how many, where, how big
    "foreign_entry",  # foreign-invested entrants: how many, owner, how big
    "entrants",  # the new firms' villages and productivity
    "projects",  # major investment projects: how many, where, how big, whose
    "demography",  # ages of arrivals, deaths and school leavers' skill, at the turn of the year
)
SPAWN_KEY = 1000  # children 1000, 1001, ... of the run's seed; model.init draws from its own children
PARAMETER_SPAWN_KEY = 998  # the run's draw of the calibrated parameters (model.uncertainty)
ESTIMATE_SPAWN_KEY = 996  # the run's draw of the exogenous processes' own estimates, rho and sigma (model.uncertainty)
EXOGENOUS_SPAWN_KEY = 997  # the run's exogenous paths beyond the months' streams: exchange rate, markets, producer prices (model.uncertainty)
MESA_SPAWN_KEY = 999  # the child handed to mesa.Model for its own generator, which the model never draws from
MONTH_STRIDE = 1 << 64  # draws reserved for each month of a stream (PCG64's period is 2**128)


def run_seed_sequence(seed) -> np.random.SeedSequence:
    """The run's SeedSequence from what a caller gives as ``rng``: a SeedSequence, a Generator built
    from one (its state is not used: the run starts from the seed), or a seed for SeedSequence
    (an int, a list of ints, None for fresh entropy)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        seed_seq = getattr(seed.bit_generator, "seed_seq", None)
        if isinstance(seed_seq, np.random.SeedSequence):
            return seed_seq
        return np.random.SeedSequence(seed.integers(0, 2**63, size=4))  # a generator restored from a bare state
    return np.random.SeedSequence(seed)


def child(seed: np.random.SeedSequence, key: int) -> np.random.SeedSequence:
    """The run seed's child with spawn key ``key`` (fixed, unlike ``spawn``, which counts calls)."""
    return np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, key))


class RandomStreams:
    """A numpy Generator per purpose (attributes named as in :data:`PURPOSES`), realigned by
    :meth:`start_month`. Built from a SeedSequence, or from a Generator that has one."""

    def __init__(self, seed: np.random.SeedSequence | np.random.Generator):
        seed = run_seed_sequence(seed)
        self._starts = []
        for index, purpose in enumerate(PURPOSES):
            bit_generator = np.random.PCG64(child(seed, SPAWN_KEY + index))
            self._starts.append((bit_generator, bit_generator.state))
            setattr(self, purpose, np.random.Generator(bit_generator))

    def start_month(self, month: int) -> None:
        """Put every stream at the start of ``month``'s draws (months counted from the run's start)."""
        for bit_generator, start in self._starts:
            bit_generator.state = start
            bit_generator.advance(month * MONTH_STRIDE)
