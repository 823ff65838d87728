"""The per-purpose random streams: a seed fixes them, and a month's draws of one purpose do not
depend on how many draws anything took before (what keeps scenarios on common random numbers)."""

from pathlib import Path

import numpy as np

from model.config import load_scenario
from model.runner import run_scenario
from model.streams import PURPOSES, RandomStreams

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def test_a_month_starts_at_the_same_draws_whatever_came_before():
    a, b = RandomStreams(np.random.SeedSequence(5)), RandomStreams(np.random.SeedSequence(5))
    a.start_month(0)
    b.start_month(0)
    a.separations.random(1000)  # one run takes more draws in month 0 than the other
    b.separations.random(3)
    a.start_month(1)
    b.start_month(1)
    for purpose in PURPOSES:
        np.testing.assert_array_equal(getattr(a, purpose).random(4), getattr(b, purpose).random(4))


def test_purposes_and_months_draw_different_numbers():
    streams = RandomStreams(np.random.SeedSequence(5))
    streams.start_month(0)
    first = {purpose: getattr(streams, purpose).random(3).tolist() for purpose in PURPOSES}
    assert len({tuple(v) for v in first.values()}) == len(PURPOSES)
    streams.start_month(1)
    assert streams.environment.random(3).tolist() != first["environment"]
    streams.start_month(0)
    assert streams.environment.random(3).tolist() == first["environment"]


def test_streams_come_from_the_seed_and_from_a_generator_alike():
    seed = np.random.SeedSequence(20221122, spawn_key=(3,))
    a, b = RandomStreams(seed), RandomStreams(np.random.default_rng(seed))
    other = RandomStreams(np.random.SeedSequence(20221122, spawn_key=(4,)))
    for streams in (a, b, other):
        streams.start_month(7)
    assert a.matching.random() == b.matching.random() != other.matching.random()


def test_a_policy_is_compared_on_common_shocks():
    """The reason for the streams: with the same seeds, a scenario's difference from the baseline
    varies far less across seeds than the baseline itself (10 seeds at scale 0.005: the spread of
    the paired difference was a sixth of the baseline's; with one generator it was as large; on
    2 December, 157 against 1001 yi yuan)."""
    seeds, outcome = tuple(range(6)), "electronic_information_output"
    runs = {
        name: run_scenario(load_scenario(SCENARIOS / f"{name}.toml"), seeds=seeds, scale=0.005)[0][outcome]
        .sel(year=2025)
        .values
        for name in ("baseline", "industrial_push")
    }
    difference = runs["industrial_push"] - runs["baseline"]
    # The push raises the pillar on average; at this tiny scale a single seed can still go either
    # way (a major project arriving in one run and not the other moves 100 yi yuan), since the
    # calibration on history (issue 15) widened the parameter draws: 4 of 6 seeds rose, the mean 16.
    assert difference.mean() > 0
    assert difference.std(ddof=1) < 0.4 * runs["baseline"].std(ddof=1)


def test_the_economy_does_not_depend_on_what_mesa_draws(monkeypatch):
    """The end-2021 economy and the month's streams come from the run's SeedSequence, not from the
    generator Mesa keeps: a Mesa version that draws more (or less) on construction changes nothing."""
    import mesa

    from model.model import KunshanModel
    from model.scenario import Scenario

    def run():
        model = KunshanModel(
            Scenario(horizon="2022-02"), scale=0.003, rng=np.random.default_rng(np.random.SeedSequence(4))
        )
        model.run()
        return model.state.firms, model.datasets()[1]

    firms, monthly = run()
    original = mesa.Model.__init__

    def drawing_more(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.rng.random(1000)

    monkeypatch.setattr(mesa.Model, "__init__", drawing_more)
    other_firms, other_monthly = run()
    assert firms.n == other_firms.n
    np.testing.assert_array_equal(firms.productivity[: firms.n], other_firms.productivity[: firms.n])
    np.testing.assert_array_equal(monthly["gdp_production"].values, other_monthly["gdp_production"].values)
