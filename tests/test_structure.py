"""Design rules: the step has no Python loop over agents; the model is a Mesa model."""

import ast
import pathlib

import mesa
import numpy as np

import model
from model.model import KunshanModel

PACKAGE = pathlib.Path(model.__file__).parent
HOT_LOOP = ["step.py", "actions", "accounts.py", "agents", "markets"]


def _files():
    for entry in HOT_LOOP:
        path = PACKAGE / entry
        yield from (sorted(path.glob("*.py")) if path.is_dir() else [path])


CLUSTER_LOOP = "# loop over clusters, not agents"  # a sequential rule over a dozen clusters, vectorised within


def test_step_has_no_python_loops():
    offenders = []
    for path in _files():
        text = path.read_text()
        lines = text.splitlines()
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, (ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                if isinstance(node, ast.For) and lines[node.lineno - 1].rstrip().endswith(CLUSTER_LOOP):
                    continue
                offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders, f"loops in the hot path: {offenders}"


def test_kunshan_model_is_a_mesa_model_with_coarse_agents():
    m = KunshanModel(horizon="2022-02", scale=0.005, rng=np.random.default_rng(1))
    assert isinstance(m, mesa.Model)
    assert len(m.clusters) == 15 and len(m.villages) == 168
    m.step()
    assert m.clusters[0].output > 0
    assert m.clusters[0].firms > 0


def test_runs_under_mesa_batch_run():
    results = mesa.batch_run(
        KunshanModel,
        parameters={"scale": [0.004], "horizon": ["2022-02"], "rng": [3], "export_demand_growth": [0.03, 0.12]},
        iterations=1,
        max_steps=5,
        display_progress=False,
    )
    assert len(results) == 2
    assert {r["export_demand_growth"] for r in results} == {0.03, 0.12}
    assert all(r["gdp"] > 0 for r in results)


def _imported_modules(path: pathlib.Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_reference_calls_none_of_the_actions_it_checks():
    for path in sorted((PACKAGE / "reference").glob("*.py")):
        assert not {m for m in _imported_modules(path) if m.startswith("model.actions")}, path.name


def test_actions_take_no_constants_from_initialisation():
    for path in sorted((PACKAGE / "actions").glob("*.py")):
        assert not {m for m in _imported_modules(path) if m.startswith("model.init")}, path.name
