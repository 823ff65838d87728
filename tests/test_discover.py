"""`kunshan discover`: PRIM finds a planted box of misses; feature scores rank the inputs that decide
a target; the command reads a real sweep folder (of the fast stand-in model) and writes its tables."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import sweep_fake
import xarray as xr

from model.cli import main
from model.discovery.prim import inside, prim, quasi_p_values
from model.discovery.scores import ks_scores
from model.outputs.manifest import read_manifest
from model.sweep.engine import run_sweep
from model.sweep.experiment import load_experiment
from model.sweep.finish import finish_without_figures

SWEEP = """
name = "small_lhs"
base = "baseline"
design = "lhs"
samples = 24
seeds = 2
root_seed = 7
scale = 0.01
horizon = "2022-12"
outputs = ["gdp", "trade_total"]

[[input]]
vary = "parameters.export_demand_growth"
range = [0.0, 0.1]

[[input]]
vary = "policy.cluster_subsidy"
target = "all"
start = "2022-02"
range = [0.0, 0.1]
"""


def _planted(n=2000, noise=0.05, seed=1):
    """Misses where a > 0.7 and b < 0.4, c irrelevant; a share ``noise`` of outcomes flipped."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, 3))
    y = (x[:, 0] > 0.7) & (x[:, 1] < 0.4)
    return x, np.where(rng.uniform(size=n) < noise, ~y, y).astype(float)


def test_prim_finds_the_planted_box_and_leaves_the_irrelevant_input_alone():
    x, y = _planted()
    result = prim(x, y, ["a", "b", "c"])
    box = result.chosen
    assert box.restricted == [0, 1]
    assert box.low[0] == pytest.approx(0.7, abs=0.05) and box.high[1] == pytest.approx(0.4, abs=0.06)
    assert box.density >= 0.8 and box.coverage >= 0.6
    # coverage, density and mass are what they say, counted afresh
    mask = inside(x, box.low, box.high)
    assert box.density == pytest.approx(y[mask].mean()) and box.coverage == pytest.approx(y[mask].sum() / y.sum())
    assert box.mass == pytest.approx(mask.mean())
    # peeling trades coverage for density: coverage never rises along the trajectory (pasting aside)
    peeled = [b for b in result.trajectory if not b.pasted]
    assert all(b.coverage <= a.coverage + 1e-12 for a, b in zip(peeled, peeled[1:]))
    assert peeled[-1].density > peeled[0].density == pytest.approx(y.mean())
    qp = quasi_p_values(x, y, result)
    assert set(qp) == {0, 1} and max(qp.values()) < 1e-6


def test_pasting_widens_the_box_only_where_density_rises():
    from model.discovery.prim import choose, paste, peel

    x, y = _planted(n=600, noise=0.1, seed=3)
    trajectory = peel(x, y, peel_alpha=0.2)  # coarse peels overshoot; pasting may win some back
    chosen = choose(trajectory, 0.8)
    pasted = paste(x, y, chosen, x.min(axis=0), x.max(axis=0))
    assert pasted.density >= chosen.density and pasted.n >= chosen.n
    assert np.all(pasted.low <= chosen.low) and np.all(pasted.high >= chosen.high)


def test_grid_inputs_are_peeled_a_level_at_a_time():
    rng = np.random.default_rng(0)
    levels = np.repeat([0.0, 0.1, 0.2, 0.3], 50)
    x = np.column_stack([levels, rng.uniform(size=levels.size)])
    y = (levels >= 0.2).astype(float)
    box = prim(x, y, ["lever", "noise"]).chosen
    assert (box.low[0], box.high[0], box.density, box.coverage) == (0.2, 0.3, 1.0, 1.0)
    assert box.restricted == [0]


def test_ks_scores_rank_the_deciding_input_first():
    x, y = _planted()
    stats, pvalues = ks_scores(x, y.astype(bool))
    assert stats[0] > stats[1] > stats[2] and stats[2] < 0.1 and pvalues[0] < 1e-10
    assert np.isnan(ks_scores(x, np.ones(len(y), bool))[0]).all()  # every run misses: nothing to tell apart


def _write_planted_sweep(folder, n_points=400, seeds=2):
    """A sweep.nc in the layout of `kunshan sweep`, with misses of the GDP target planted in a box."""
    rng = np.random.default_rng(5)
    a, b, c = rng.uniform(size=(3, n_points))
    bad = (a > 0.6) & (b < 0.5)
    gdp = np.where(bad[:, None, None], 4500.0, 5500.0) + rng.normal(0, 10, (n_points, seeds, 2))
    ds = xr.Dataset(
        {
            "gdp": (("point", "seed", "year"), gdp),
            "lever_a": ("point", a),
            "param_b": ("point", b),
            "shock_c": ("point", c),
        },
        coords={"point": np.arange(n_points), "seed": np.arange(seeds), "year": [2021, 2022]},
        attrs={"experiment": "planted"},
    )
    folder.mkdir()
    ds.to_netcdf(folder / "sweep.nc", engine="h5netcdf")


def test_discover_finds_the_planted_box_through_the_command(tmp_path, capsys):
    _write_planted_sweep(tmp_path / "sweep")
    out = tmp_path / "disc"
    assert main(["discover", str(tmp_path / "sweep"), "--target", "gdp", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "lever_a" in printed and "param_b" in printed and "shock_c" not in printed
    with (out / "box.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["input"]: r for r in csv.DictReader(fh)}
    assert rows["lever_a"]["restricted"] == "yes" and float(rows["lever_a"]["low"]) == pytest.approx(0.6, abs=0.03)
    assert rows["param_b"]["restricted"] == "yes" and float(rows["param_b"]["high"]) == pytest.approx(0.5, abs=0.03)
    assert rows["shock_c"]["restricted"] == ""
    # the widest box at least 80% dense (the default --threshold): here nearly pure and nearly complete
    assert float(rows["lever_a"]["density"]) >= 0.9 and float(rows["lever_a"]["coverage"]) >= 0.9
    with (out / "feature_scores.csv").open(encoding="utf-8-sig", newline="") as fh:
        scores = {r["input"]: float(r["ks"]) for r in csv.DictReader(fh) if r["target"] == "gdp"}
    assert scores["lever_a"] > scores["shock_c"] and scores["param_b"] > scores["shock_c"]
    assert set(read_manifest(out)) >= {
        "box.csv",
        "trajectory.csv",
        "feature_scores.csv",
        "report.html",
        "figures/peeling_trajectory.png",
        "figures/box_limits.png",
    }
    assert (out / "figures" / "peeling_trajectory.png").stat().st_size > 10_000


def test_discover_reads_a_sweep_of_the_stand_in_model(tmp_path, capsys):
    experiment = load_experiment(_write(tmp_path / "experiment.toml", SWEEP))
    run_sweep(
        experiment,
        tmp_path / "sweep",
        workers=1,
        run_function=sweep_fake.simulate,
        finish=finish_without_figures,
        progress=False,
    )
    plan = _write(tmp_path / "plan.toml", '[[target]]\nid = "gdp"\nyear = 2022\nvalue = 4860\ncomparison = ">="\n')
    out = tmp_path / "disc"
    assert (
        main(["discover", str(tmp_path / "sweep"), "--target", "gdp", "--targets", str(plan), "--out", str(out)]) == 0
    )
    with (out / "trajectory.csv").open(encoding="utf-8-sig", newline="") as fh:
        steps = list(csv.DictReader(fh))
    with xr.open_dataset(tmp_path / "sweep" / "sweep.nc", engine="h5netcdf") as ds:
        gdp = ds["gdp"].sel(year=2022).values
    assert float(steps[0]["density"]) == pytest.approx(np.mean(gdp < 4860))  # the whole sweep's share of misses
    with (out / "feature_scores.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert {r["input"] for r in csv.DictReader(fh)} == {"export_demand_growth", "cluster_subsidy"}


@pytest.mark.parametrize(
    "args, key",
    [
        (["--target", "gdpp"], "--target"),
        (["--target", "disposable_income_per_capita"], "--target"),  # not among the sweep's outputs
        (["--target", "gdp", "--threshold", "1.5"], "--threshold"),
    ],
)
def test_bad_input_is_one_line_and_nothing_written(tmp_path, capsys, args, key):
    _write_planted_sweep(tmp_path / "sweep", n_points=20)
    assert main(["discover", str(tmp_path / "sweep"), *args, "--out", str(tmp_path / "disc")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and key in err and not (tmp_path / "disc").exists()
    assert main(["discover", str(tmp_path), "--target", "gdp"]) == 2  # no sweep.nc
    assert "is the sweep finished" in capsys.readouterr().err


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_trajectory_as_the_ema_workbench_when_it_is_installed():
    """A cross-check with the reference implementation (not a dependency: skipped without it). On
    this data both peel 49 boxes to the same last box and choose the same box at density 0.8."""
    ema_prim = pytest.importorskip("ema_workbench.analysis.prim")
    import pandas as pd

    x, y = _planted()
    box = ema_prim.Prim(
        pd.DataFrame(x, columns=["a", "b", "c"]),
        y.astype(bool),
        threshold=0.8,
        peel_alpha=0.05,
        paste_alpha=0.05,
        mass_min=0.05,
    ).find_box()
    theirs = box.peeling_trajectory
    ours = prim(x, y, ["a", "b", "c"])
    peeled = [b for b in ours.trajectory if not b.pasted]
    assert len(peeled) == len(theirs)
    for column in ("coverage", "density", "mass"):
        assert getattr(peeled[-1], column) == pytest.approx(theirs[column].iloc[-1], abs=1e-9)
    widest = theirs[theirs.density >= 0.8].coverage.idxmax()
    assert ours.chosen.coverage == pytest.approx(theirs.coverage[widest])
    assert ours.chosen.density == pytest.approx(theirs.density[widest])
