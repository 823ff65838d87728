"""The year's income distribution measured on the record's thread (large economies) gives what the
measure in line gives, bit for bit, and nothing reads the record before it is settled
(model.record.annual.BACKGROUND_HOUSEHOLDS)."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import model.record.annual as annual_record


def _run(factory, background: bool, monkeypatch):
    monkeypatch.setattr(annual_record, "BACKGROUND_HOUSEHOLDS", 0 if background else 10**12)
    model = factory(horizon="2023-12")
    model.run()
    return model


def test_background_and_in_line_measures_are_the_same_bits(small_model_factory, monkeypatch):
    in_line = _run(small_model_factory, False, monkeypatch)
    background = _run(small_model_factory, True, monkeypatch)
    assert len(background.recorder._years._pending) == 3  # measured on the thread, not yet read
    a, b = in_line.recorder.annual, background.recorder.annual
    assert background.recorder._years._pending == []  # settled on reading
    assert len(a["income_gini"]) == 3  # the initial year and two years of the run
    assert np.array(a["income_gini"]).tobytes() == np.array(b["income_gini"]).tobytes()
    assert np.array(a["income_lorenz"]).tobytes() == np.array(b["income_lorenz"]).tobytes()
    assert not np.isnan(np.array(b["income_lorenz"])).any()
    ds_a, ds_b = in_line.datasets()[0], background.datasets()[0]
    for name in ("income_gini", "income_lorenz"):
        assert ds_a[name].values.tobytes() == ds_b[name].values.tobytes()


def test_a_model_copied_or_pickled_mid_run_carries_the_settled_values(small_model_factory, monkeypatch):
    monkeypatch.setattr(annual_record, "BACKGROUND_HOUSEHOLDS", 0)
    model = small_model_factory(horizon="2023-12")
    for _ in range(12):  # December's year end leaves a measure on the thread
        model.step()
    copied = copy.deepcopy(model.recorder)
    pickled = pickle.loads(pickle.dumps(model.recorder))
    for other in (copied, pickled):
        assert other._years._pending == []
        assert not np.isnan(other.annual["income_gini"]).any()
        assert other.annual["income_gini"] == model.recorder.annual["income_gini"]


def test_an_error_on_the_record_thread_is_raised_when_the_record_is_read(small_model_factory, monkeypatch):
    def broken(per_capita, weights):
        raise FloatingPointError("measured on the thread")

    monkeypatch.setattr(annual_record, "BACKGROUND_HOUSEHOLDS", 0)
    monkeypatch.setattr(annual_record, "_distribution", broken)
    model = small_model_factory()
    with pytest.raises(FloatingPointError, match="measured on the thread"):
        model.datasets()  # reads the record
