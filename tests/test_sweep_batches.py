"""A sweep hands its runs out in batches (model.sweep.engine.submission_batches, execute_batch): with
common random numbers a batch is a few runs of one seed, so the worker that gets it builds their
economy once; a batch's outputs are those of its runs computed one by one, and a failure in a batch
is kept or raised as a single run's was."""

import dataclasses
import pickle
from types import SimpleNamespace

import numpy as np
import pytest

from model.init.cache import BUILT
from model.scenario import Policy, Scenario
from model.sweep.engine import execute_batch, execute_run, submission_batches

PAIRED = SimpleNamespace(common_random_numbers=True, seeds=3)  # 4 points x 3 seeds: runs 0..11, point-major
UNPAIRED = SimpleNamespace(common_random_numbers=False, seeds=3)


def test_paired_runs_are_batched_seed_by_seed_up_to_the_batch_size():
    assert list(submission_batches(12, PAIRED, most=4)) == [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]
    assert list(submission_batches(12, PAIRED, most=3)) == [[0, 3, 6], [9], [1, 4, 7], [10], [2, 5, 8], [11]]


def test_finished_runs_are_left_out_of_the_batches():
    assert list(submission_batches(12, PAIRED, done={0, 3, 10}, most=4)) == [[6, 9], [1, 4, 7], [2, 5, 8, 11]]


def test_unpaired_runs_go_one_a_batch_in_index_order():
    assert list(submission_batches(12, UNPAIRED, done={5})) == [[i] for i in range(12) if i != 5]


def test_every_run_is_handed_out_once():
    for seeds, points, most in ((1, 7, 3), (5, 1, 8), (4, 6, 2)):
        experiment = SimpleNamespace(common_random_numbers=True, seeds=seeds)
        runs = [r for batch in submission_batches(seeds * points, experiment, most=most) for r in batch]
        assert sorted(runs) == list(range(seeds * points))


SHORT = dataclasses.replace(Scenario(), horizon="2022-12")
SCALE = 0.005
OUTPUTS = ("gdp", "disposable_income_per_capita")


def _at_point(level: float) -> Scenario:
    lever = Policy("rural_transfer", "rural_households", "2022-01", None, level)
    return dataclasses.replace(SHORT, policies=(*SHORT.policies, lever))


@pytest.fixture
def empty_cache():
    BUILT.clear()
    yield
    BUILT.clear()


def test_a_batch_of_one_seed_builds_once_and_gives_each_runs_own_outputs(empty_cache):
    def seed():  # a fresh one each run, as run_seed gives them
        return np.random.SeedSequence(7, spawn_key=(0,))

    runs = [(i, _at_point(level), seed(), SCALE) for i, level in enumerate((0.0, 5000.0, 10000.0))]
    batch = execute_batch(None, runs, OUTPUTS, keep_going=False)
    assert (BUILT.hits, BUILT.misses) == (2, 1)
    assert [r[0] for r in batch] == [0, 1, 2]
    alone = []
    for _, scenario, _, scale in runs:
        BUILT.clear()  # each run built afresh, as it was when runs were handed out one by one
        alone.append(execute_run(None, scenario, seed(), scale, OUTPUTS)[0])
    assert [r[1] for r in batch] == alone
    assert alone[0] != alone[2]  # the lever moved the outputs: the copies are not one run repeated


def _fails_at_odd_seeds(scenario, seed, scale):
    if seed % 2:
        raise FloatingPointError(f"diverged at seed {seed}")
    return SimpleNamespace(annual=_fake_annual())


def _fake_annual():
    import xarray as xr

    return xr.Dataset({"gdp": ("year", np.array([1.0, 2.0]))}, coords={"year": [2021, 2022]})


def test_a_failure_ends_the_batch_unless_going_on_and_the_runs_before_it_are_kept():
    runs = [(10 + s, SHORT, s, SCALE) for s in (0, 1, 2)]
    stopped = execute_batch(_fails_at_odd_seeds, runs, ("gdp",), keep_going=False)
    assert [(r[0], r[1] is None) for r in stopped] == [(10, False), (11, True)]
    assert isinstance(stopped[1][2], FloatingPointError) and "seed 1" in str(stopped[1][2])
    going_on = execute_batch(_fails_at_odd_seeds, runs, ("gdp",), keep_going=True)
    assert [(r[0], r[1] is None) for r in going_on] == [(10, False), (11, True), (12, False)]
    assert going_on[0][1] == going_on[2][1]  # the fake's outputs, the same for every seed


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this error")


def _raises_unpicklable(scenario, seed, scale):
    raise _Unpicklable("a lock inside")


def test_an_error_that_cannot_travel_back_is_sent_as_its_type_and_message():
    [(index, encoded, error)] = execute_batch(_raises_unpicklable, [(3, SHORT, 0, SCALE)], ("gdp",), keep_going=True)
    assert (index, encoded) == (3, None)
    assert isinstance(error, RuntimeError) and str(error) == "_Unpicklable: a lock inside"
    pickle.dumps(error)


def test_a_worker_leaves_the_income_distribution_unmeasured_when_it_keeps_neither_of_its_variables():
    from model.run import simulate_annual

    full = simulate_annual(SHORT, 3, SCALE)
    lean = simulate_annual(SHORT, 3, SCALE, outputs=OUTPUTS)
    kept = simulate_annual(SHORT, 3, SCALE, outputs=("gdp", "income_gini"))
    assert full.variables.keys() == lean.variables.keys()
    distribution = {"income_gini", "income_lorenz"}
    for name, (_, values) in full.variables.items():
        if name not in distribution:
            np.testing.assert_array_equal(lean.variables[name][1], values, err_msg=name)
    for name in distribution:
        assert np.isnan(lean.variables[name][1]).all()
        assert np.isfinite(full.variables[name][1]).all()
        assert lean.variables[name][1].shape == full.variables[name][1].shape
        np.testing.assert_array_equal(kept.variables[name][1], full.variables[name][1])


def test_a_worker_whose_runs_never_share_a_seed_keeps_no_economy_and_gives_the_same_outputs(empty_cache):
    """Without common random numbers no later run can start from a kept economy: the worker keeps
    none (no deep copy, no memory), and each run's outputs are those of a worker that keeps them."""

    def runs():  # fresh seeds each time, as run_seed gives them (a SeedSequence spawns once)
        return [(i, SHORT, np.random.SeedSequence(11, spawn_key=(i,)), SCALE) for i in range(2)]

    kept = execute_batch(None, runs(), OUTPUTS, keep_going=False)
    assert len(BUILT._kept) == 2
    BUILT.clear()
    lean = execute_batch(None, runs(), OUTPUTS, keep_going=False, keep_economies=False)
    assert len(BUILT._kept) == 0 and BUILT.misses == 2
    assert [encoded for _, encoded, _ in lean] == [encoded for _, encoded, _ in kept]
    execute_batch(None, runs()[:1], OUTPUTS, keep_going=False)  # the next paired batch keeps again
    assert len(BUILT._kept) == 1
