"""`kunshan optimise`: the problem file is checked in one line; the search finds the cheapest feasible
mix on a known response; its outputs are a scenario `kunshan run` accepts, a non-dominated front, and
a plain statement when the required probability is out of reach."""

from __future__ import annotations

import csv
import tomllib

import numpy as np
import pytest

from model.cli import main
from model.config import load_scenario
from model.optimise.evaluate import Evaluation, candidate_policies
from model.optimise.problem import load_problem
from model.optimise.search import objective_key, pareto_front, search

TINY = """
name = "tiny"
horizon = "2022-12"

[targets]
ids = ["gdp"]
probability = {probability}
{file}

[search]
seeds = {seeds}
scale = 0.005
evaluations = {evaluations}
initial = 2
verify_seeds = 1

[[levers]]
name = "public_investment"
low = 0.0
high = 0.03
start = 2022
"""


def _problem_file(tmp_path, probability=1.0, seeds=2, evaluations=3, file="", name="tiny.toml"):
    path = tmp_path / name
    path.write_text(TINY.format(probability=probability, seeds=seeds, evaluations=evaluations, file=file))
    return path


def _rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --- the problem file


@pytest.mark.parametrize(
    "change, key",
    [
        (('name = "public_investment"', 'name = "public_investmnt"'), "levers[1].name"),
        (("high = 0.03", "high = 0.5"), "levers[1].high"),
        (('ids = ["gdp"]', 'ids = ["gdp_growth_2025"]'), "targets.ids"),
        (("probability = 1.0", "probability = 1.5"), "targets.probability"),
        (('horizon = "2022-12"', 'horizon = "2022-06"'), "horizon"),
        (("start = 2022", "start = 2030"), "levers[1].start"),
        (("evaluations = 3", "evalutions = 3"), "search.evalutions"),
        (("low = 0.0", 'low = 0.0\ntarget = "all"'), "levers[1].target"),
    ],
)
def test_a_bad_problem_file_is_refused_in_one_line_naming_file_and_key(tmp_path, capsys, change, key):
    path = _problem_file(tmp_path)
    path.write_text(path.read_text().replace(*change))
    assert main(["optimise", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err and f"'{key}'" in err
    assert not (tmp_path / "out").exists()


def test_defaults_are_the_ten_2025_targets_at_probability_0_8(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('[[levers]]\nname = "rural_transfer"\ntarget = "rural_households"\nlow = 0.0\nhigh = 1000.0\n')
    problem = load_problem(path)
    assert len(problem.targets) == 10 and {t.year for t in problem.targets} == {2025}
    assert problem.probability == 0.8 and problem.budget_cap is None
    assert set(problem.seeds).isdisjoint(problem.verify_seeds)  # the winner is checked on seeds the search never saw


def test_the_shipped_2025_problem_reads():
    from pathlib import Path

    problem = load_problem(Path(__file__).parents[1] / "experiments" / "optimise_2025.toml")
    assert len(problem.targets) == 10 and problem.extends == "baseline"
    sizes, policies = candidate_policies(problem, [1.0] * len(problem.levers))
    assert sizes == tuple(lever.high for lever in problem.levers) and policies


# --- the search, on a known response (no simulation)


class _Known:
    """A stand-in for the model: target gdp 2022 >= 5000 is met when 200 u0 + 100 u1 covers a seed's
    gap (0, 50 or 150); the cost is 100 u0 + 20 u1. The cheapest mix meeting it on every seed:
    u1 = 1, u0 = 0.25, cost 45."""

    def __init__(self, problem):
        self.problem, self.runs = problem, 0

    def evaluate(self, units, seeds=None):
        gaps = np.array([0.0, 50.0, 150.0])
        out = []
        for u in units:
            effect = 200 * u[0] + 100 * u[1]
            values = (5000.0 - gaps + effect)[:, None]
            cost = np.full(3, 100 * u[0] + 20 * u[1])
            out.append(Evaluation(tuple(u), tuple(u), values, cost, np.zeros(13)))
            self.runs += 3
        return out


def test_the_search_finds_the_cheapest_mix_meeting_every_seed(tmp_path):
    path = tmp_path / "known.toml"
    path.write_text(
        'horizon = "2022-12"\n[targets]\nids = ["gdp"]\nprobability = 1.0\n'
        "[search]\nseeds = 3\nevaluations = 60\ninitial = 8\n"
        '[[levers]]\nname = "public_investment"\nlow = 0.0\nhigh = 0.05\n'
        '[[levers]]\nname = "public_services"\nlow = 0.0\nhigh = 0.05\n'
    )
    problem = load_problem(path)
    result = search(problem, _Known(problem))
    best = result.evaluations[result.best]
    assert result.feasible(problem) and best.p_all(problem.targets) == 1.0
    assert 45.0 <= best.mean_cost <= 50.0  # the optimum, to the search's last step
    assert best.unit[1] > 0.9  # the cheaper lever is used (almost) to the full first


def test_infeasible_mixes_rank_by_probability_then_shortfall_and_never_above_a_feasible_one(tmp_path):
    problem = load_problem(_problem_file(tmp_path, probability=0.5))

    def ev(values, cost):
        return Evaluation(
            (0.0,), (0.0,), np.array(values, dtype=float)[:, None], np.full(len(values), cost), np.zeros(13)
        )

    feasible_dear = ev([5001, 4000], 1000.0)
    closer = ev([4990, 4990], 0.0)
    farther = ev([4000, 4000], 0.0)
    assert objective_key(feasible_dear, problem) < objective_key(closer, problem) < objective_key(farther, problem)


def test_the_pareto_front_is_the_non_dominated_set():
    rng = np.random.default_rng(3)
    cost, p = rng.integers(0, 10, 200).astype(float), rng.integers(0, 5, 200) / 4
    front = pareto_front(cost, p)
    for i in range(len(cost)):
        dominated = any(
            cost[j] <= cost[i] and p[j] >= p[i] and (cost[j] < cost[i] or p[j] > p[i]) for j in range(len(cost))
        )
        assert (i in front) == (
            not dominated and i == min(j for j in range(len(cost)) if cost[j] == cost[i] and p[j] == p[i])
        )


# --- end to end, on a tiny problem (one lever, 2022 only, scale 0.005)


@pytest.mark.slow
def test_the_solution_is_a_scenario_kunshan_run_accepts_and_pareto_csv_is_non_dominated(tmp_path, capsys):
    path = _problem_file(tmp_path, probability=1.0)
    out = tmp_path / "out"
    assert main(["optimise", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for name in (
        "solution.toml",
        "pareto.csv",
        "evaluations.csv",
        "verification.csv",
        "README.md",
        "figures/cost_vs_probability.png",
        "manifest.json",
    ):
        assert (out / name).is_file(), name
    assert main(["verify", str(out)]) == 0

    scenario = load_scenario(out / "solution.toml")  # the scenario `kunshan run` would read
    evaluations = _rows(out / "evaluations.csv")
    best = min((r for r in evaluations if r["feasible"] == "1"), key=lambda r: float(r["cost"]), default=None)
    if best is None:  # no mix met gdp 2022 on both seeds: the statement says so and the best found is written
        assert "no evaluated mix" in printed
    elif float(best["public_investment"]) > 0:
        assert [(p.lever, p.size) for p in scenario.policies if p.lever == "public_investment"] == [
            ("public_investment", float(best["public_investment"]))
        ]
    assert scenario.horizon == "2022-12" and scenario.name == "tiny_solution"

    front = [(float(r["cost"]), float(r["p_all"])) for r in _rows(out / "pareto.csv")]
    assert front
    for a in front:
        assert not any(b != a and b[0] <= a[0] and b[1] >= a[1] for b in front)
    every = [(float(r["cost"]), float(r["p_all"])) for r in evaluations]
    assert all(not any(b[0] <= a[0] and b[1] >= a[1] and b != a for b in every) for a in front)


def test_an_impossible_requirement_is_stated_plainly_with_the_best_found(tmp_path, capsys):
    (tmp_path / "far.toml").write_text(
        '[[target]]\nid = "gdp"\nyear = 2022\nvalue = 1.0e9\nunit = "yi_yuan"\ncomparison = ">="\n'
    )
    path = _problem_file(tmp_path, probability=0.8, seeds=1, evaluations=2, file='file = "far.toml"')
    out = tmp_path / "out"
    assert main(["optimise", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[1].startswith("no evaluated mix within the bounds reaches P(the target met) >= 80%")
    assert "best found" in printed and "held back by: gdp" in printed
    assert "No evaluated mix" in (out / "README.md").read_text(encoding="utf-8")
    solution = (out / "solution.toml").read_text(encoding="utf-8")
    assert "no evaluated mix" in solution
    tomllib.loads(solution)
    load_scenario(out / "solution.toml")
