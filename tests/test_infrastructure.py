"""One of each piece of infrastructure: every part of the model that needs it uses the same one."""

from model import outputs, targets
from model.sweep import combine, figures


def test_one_loader_of_targets_serves_results_and_sweeps():
    assert outputs.load_targets is targets.load_targets
    assert combine.load_targets is targets.load_targets
    assert figures.targets_by_id is targets.targets_by_id


def test_targets_carry_both_labels_and_judge_outcomes():
    loaded = targets.targets_by_id()
    gdp = next(t for t in loaded.values() if t.comparison == ">=")
    assert gdp.label_zh and gdp.label_en and isinstance(gdp.year, int)
    assert list(gdp.met([gdp.value, gdp.value - 1, float("nan")])) == [True, False, False]


def test_one_code_digest_for_results_and_sweeps():
    from model.digest import code_digest
    from model.sweep import experiment

    assert outputs.code_digest is code_digest
    assert not hasattr(experiment, "model_code_digest")
    assert len(code_digest()) == 64
