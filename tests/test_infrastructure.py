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


def test_one_reader_of_months_refuses_a_trailing_newline(tmp_path):
    """The sweep's own pattern ended in '$', which also matches before a final newline."""
    import pytest

    from model.months import is_month, month_number, months_between
    from model.sweep.experiment import ExperimentError, load_experiment

    assert is_month("2022-01") and not is_month("2022-01\n") and not is_month("2022-13")
    assert months_between("2021-12", "2022-01") == 1 == month_number("2022-01") - month_number("2021-12")
    path = tmp_path / "newline.toml"
    path.write_text(
        'name = "x"\ndesign = "grid"\nhorizon = "2025-12\\n"\n'
        '[[input]]\nvary = "policy.cluster_subsidy"\ntarget = "all"\nlevels = [0.0, 0.1]\n',
        encoding="utf-8",
    )
    with pytest.raises(ExperimentError, match="horizon"):
        load_experiment(path)
