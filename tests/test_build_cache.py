"""Built economies reused within a process (model.init.cache): the same outputs as building afresh,
a hit only when the build would read the same parameter values, and no run sees another's changes."""

import dataclasses

import numpy as np
import pytest

from model.init.cache import BUILT, BuildCache, ReadParameters
from model.model import KunshanModel
from model.params import Parameters
from model.scenario import Scenario

SCALE = 0.01
SHORT = dataclasses.replace(Scenario(), horizon="2022-03")


def outputs(model: KunshanModel) -> dict[str, np.ndarray]:
    model.run()
    annual, monthly = model.datasets()
    return {f"{kind}.{k}": v.values for kind, ds in (("a", annual), ("m", monthly)) for k, v in ds.variables.items()}


def assert_same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


@pytest.fixture(autouse=True)
def empty_cache():
    BUILT.clear()
    yield
    BUILT.clear()


def test_a_second_run_of_the_seed_starts_from_a_copy_and_gives_the_same_outputs():
    first = outputs(KunshanModel(SHORT, scale=SCALE, rng=3))
    assert (BUILT.hits, BUILT.misses) == (0, 1)
    second = outputs(KunshanModel(SHORT, scale=SCALE, rng=3))
    assert (BUILT.hits, BUILT.misses) == (1, 1)
    assert_same(first, second)
    BUILT.clear()
    fresh = outputs(KunshanModel(SHORT, scale=SCALE, rng=3))
    assert BUILT.misses == 1
    assert_same(first, fresh)


def test_another_seed_or_scale_builds_afresh():
    KunshanModel(SHORT, scale=SCALE, rng=3)
    KunshanModel(SHORT, scale=SCALE, rng=4)
    KunshanModel(SHORT, scale=0.012, rng=3)
    assert (BUILT.hits, BUILT.misses) == (0, 3)


def test_only_the_parameters_the_build_reads_decide_a_hit():
    KunshanModel(SHORT, scale=SCALE, rng=3)
    read = next(iter(BUILT._read.values()))[0]
    behavioural = "replicator_speed"  # read by the month's actions, never by the build
    assert behavioural not in read
    KunshanModel(SHORT, scale=SCALE, rng=3, **{behavioural: 0.5})
    assert BUILT.hits == 1
    built_from = read[0]
    moved = KunshanModel(SHORT, scale=SCALE, rng=3).parameters.values[built_from] * 1.01
    hits = BUILT.hits
    model = KunshanModel(SHORT, scale=SCALE, rng=3, **{built_from: moved})
    assert BUILT.hits == hits  # a miss: the build reads it
    BUILT.clear()
    assert_same(outputs(model), outputs(KunshanModel(SHORT, scale=SCALE, rng=3, **{built_from: moved})))


def test_the_build_notes_every_parameter_read_as_an_attribute():
    """Parameters holds its values as plain attributes too (fast reads in the kernels); the build's
    ReadParameters must not, or no read would be noted and every parameter vector would hit."""
    from model.init.cache import ReadParameters
    from model.params import default_parameters

    params = default_parameters()
    assert "vat_rate" in vars(params) and params.vat_rate == params.values["vat_rate"]
    reading = ReadParameters(params.values)
    assert reading.vat_rate == params.vat_rate and reading.read == {"vat_rate"}


def test_a_run_never_changes_the_kept_economy():
    model = KunshanModel(SHORT, scale=SCALE, rng=3)
    model.state.households.deposits[:] = -1.0
    again = KunshanModel(SHORT, scale=SCALE, rng=3)
    assert (again.state.households.deposits[: again.state.households.n] >= 0).any()
    assert not isinstance(getattr(again.state, "parameters", None), ReadParameters)


def test_large_economies_are_not_kept():
    cache = BuildCache(max_bytes=1000)
    model = KunshanModel(SHORT, scale=SCALE, rng=3)
    state = cache.get_or_build("k", Parameters(dict(model.parameters.values)), lambda p: model.state)
    assert state is model.state and not cache._kept


def test_sweeps_with_common_random_numbers_hand_out_runs_seed_by_seed():
    from types import SimpleNamespace

    from model.sweep.engine import submission_order

    paired = SimpleNamespace(common_random_numbers=True, seeds=3)
    order = list(submission_order(12, paired))  # 4 points x 3 seeds, runs numbered point-major
    assert sorted(order) == list(range(12))
    assert order[:4] == [0, 3, 6, 9]  # seed 0 at every point first
    assert list(submission_order(12, SimpleNamespace(common_random_numbers=False, seeds=3))) == list(range(12))


def test_an_ensembles_worker_keeps_no_economy_and_a_kept_one_still_serves():
    """model.runner starts each ensemble worker with _keep_no_economies: its seeds are distinct, so
    nothing it built could be reused. Economies kept before still serve; clear() keeps again."""
    from model.runner import _keep_no_economies

    kept = outputs(KunshanModel(SHORT, scale=SCALE, rng=3))
    _keep_no_economies()
    lean = outputs(KunshanModel(SHORT, scale=SCALE, rng=4))
    assert len(BUILT._kept) == 1 and (BUILT.hits, BUILT.misses) == (0, 2)
    assert_same(outputs(KunshanModel(SHORT, scale=SCALE, rng=3)), kept)
    assert BUILT.hits == 1
    BUILT.clear()
    assert_same(outputs(KunshanModel(SHORT, scale=SCALE, rng=4)), lean)
    assert len(BUILT._kept) == 1
