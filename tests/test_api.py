"""The Python API (model/api.py): the worked example of docs/python.md runs as written, and each
call resolves, checks and reproduces what the command line does."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import model
from model import api
from model.config import ConfigError
from model.scenario import Policy, Scenario

DOC = Path(__file__).resolve().parents[1] / "docs" / "python.md"
TINY = {"seeds": 2, "scale": 0.005}


def test_the_worked_example_of_docs_python_md_runs(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)  # the example writes results/from_python
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # the project's own documentation
    assert (tmp_path / "results" / "from_python" / "annual.nc").is_file()


def test_model_run_is_the_function_even_beside_the_module_model_run():
    import model.run as imported  # noqa: F401 - the binding the import system attempts
    from model.run import simulate  # imports the submodule model/run.py

    assert callable(simulate)
    assert model.run is api.run and model.load_scenario is api.load_scenario
    assert "run" in dir(model)


def test_load_scenario_takes_a_name_a_file_or_a_scenario(tmp_path):
    shipped = model.load_scenario("industrial_push")
    assert shipped.name == "industrial_push" and shipped.policies
    assert set(model.shipped_scenarios()) >= {"baseline", "industrial_push", "common_prosperity"}
    path = tmp_path / "mine.toml"
    path.write_text('extends = "baseline"\nscale = 0.01\n', encoding="utf-8")
    assert model.load_scenario(path).scale == 0.01 and model.load_scenario(str(path)).name == "mine"
    assert model.load_scenario(shipped) == shipped


@pytest.mark.parametrize(
    "scenario, needle",
    [
        ("basline", "did you mean 'baseline'"),
        (3, "got 'int'"),
        ("no/such/file.toml", "no/such/file.toml"),
        (dataclasses.replace(Scenario(), policies=(Policy("cluster_subsidy", "all", None, None, 5.0),)), "size"),
    ],
)
def test_bad_scenarios_are_refused_in_one_line(scenario, needle):
    with pytest.raises(ConfigError) as caught:
        model.load_scenario(scenario)
    assert needle in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "arguments, key",
    [
        ({"seeds": 0}, "seeds"),
        ({"seeds": 1.5}, "seeds"),
        ({"scale": float("nan")}, "scale"),
        ({"workers": 0}, "workers"),
        ({"workers": True}, "workers"),
        ({"frequency": "daily"}, "frequency"),
    ],
)
def test_bad_arguments_to_run_are_refused_before_running(arguments, key):
    with pytest.raises(ConfigError) as caught:
        model.run("baseline", **{"seeds": 1, "scale": 0.005, **arguments})
    assert key in str(caught.value)


def test_run_gives_what_kunshan_run_records_with_its_provenance():
    from model.runner import run_scenario

    annual = model.run("baseline", **TINY)
    scenario = model.load_scenario("baseline")
    direct, _ = run_scenario(scenario, seeds=2, scale=0.005)
    np.testing.assert_array_equal(annual["gdp"].values, direct["gdp"].values)
    assert annual["gdp"].attrs["units"] == "yi_yuan"
    for key in ("scenario", "root_seed", "parameters", "code_digest", "results_format", "kunshan_version"):
        assert key in annual.attrs
    assert "scale = 0.005" in annual.attrs["scenario"]  # what was run, not the file's default
    monthly = model.run("baseline", frequency="monthly", **TINY)
    assert "time" in monthly.dims and monthly.sizes["seed"] == 2


def test_new_model_steps_into_the_same_run_as_that_seed_of_model_run():
    stepped = model.new_model("baseline", seed=1, scale=0.005)
    assert isinstance(stepped, model.KunshanModel) and stepped.month == 0
    stepped.run()
    annual, _ = stepped.datasets()
    ran = model.run("baseline", seeds=[1], scale=0.005)
    np.testing.assert_array_equal(annual["gdp"].values, ran["gdp"].sel(seed=1).values)
    with pytest.raises(ConfigError):
        model.new_model("baseline", seed=-1)


def test_kunshan_list_names_everything_a_scenario_may_name(capsys):
    from model.cli import main
    from model.params import SPECS
    from model.policy import LEVERS
    from model.targets import load_targets

    expected = {
        "scenarios": set(model.shipped_scenarios()),
        "levers": set(LEVERS),
        "parameters": set(SPECS),
        "targets": {t.id for t in load_targets()},
    }
    for kind, names in expected.items():
        assert main(["list", kind]) == 0
        listed = {line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]}
        assert listed == names, kind
    assert main(["list", "everything"]) == 2


def test_kunshan_list_into_a_closed_pipe_is_quiet():
    reader = subprocess.Popen(
        [sys.executable, "-m", "model", "list", "parameters"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    reader.stdout.close()  # like `| head -0`: nobody reads
    _, err = reader.communicate(timeout=60)
    assert reader.returncode == 0 and b"Traceback" not in err
