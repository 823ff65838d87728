"""Sweep engine: experiment files, designs, seeding, worker-count independence, kill/resume, CLI.

The engine tests use the stand-in model (``tests/sweep_fake.py``) so that they test the engine, not
the economics; one test at the end wires the real ``model.run.simulate`` at a tiny scale.
"""

import csv
import errno
import functools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import sweep_fake

from model.sweep import store
from model.sweep.cli import main as sweep_main
from model.sweep.combine import SUMMARY_FILE, SWEEP_FILE
from model.sweep.design import design_points, run_seed
from model.sweep.engine import SweepError, run_sweep
from model.sweep.experiment import ExperimentError, load_experiment
from model.sweep.finish import finish_sweep, finish_without_figures
from model.targets import targets_by_id

REPO = Path(__file__).resolve().parents[1]
SMALL_GRID = """
name = "small_grid"
base = "baseline"
design = "grid"
seeds = 3
root_seed = 7
scale = 0.01
horizon = "2025-12"
outputs = ["gdp", "disposable_income_per_capita", "urban_rural_income_ratio", "cluster_output"]

[[input]]
vary = "policy.cluster_subsidy"
target = "all"
start = "2023-01"
levels = [0.0, 0.1]

[[input]]
vary = "parameters.export_demand_growth"
range = [0.0, 0.1]
"""
SMALL_GRID_POINTS, SMALL_GRID_SEEDS = 2 * 5, 3


def write(tmp_path: Path, text: str, name: str = "experiment.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def sweep_data(out_dir: Path) -> dict[str, np.ndarray]:
    import h5netcdf

    with h5netcdf.File(out_dir / SWEEP_FILE, "r") as nc:
        return {name: np.asarray(var[...]) for name, var in nc.variables.items()}


def assert_same_data(a: Path, b: Path) -> None:
    data_a, data_b = sweep_data(a), sweep_data(b)
    assert data_a.keys() == data_b.keys()
    for name in data_a:
        assert np.array_equal(data_a[name], data_b[name], equal_nan=data_a[name].dtype.kind == "f"), name
    assert (a / SUMMARY_FILE).read_text() == (b / SUMMARY_FILE).read_text()


# --- experiment files -------------------------------------------------------------------------


def test_shipped_experiments_are_valid_and_have_the_promised_shape():
    grid = load_experiment(REPO / "experiments" / "policy_grid.toml")
    assert [i.kind for i in grid.inputs] == ["policy", "policy"]
    assert len(design_points(grid)) == 25 and grid.seeds == 10

    sobol = load_experiment(REPO / "experiments" / "sobol_targets.toml")
    assert sobol.design == "sobol" and len(sobol.inputs) >= 8
    assert {t.id for t in targets_by_id().values() if t.year == 2025} <= set(sobol.outputs)

    baseline = load_experiment(REPO / "experiments" / "baseline_uncertainty.toml")
    assert design_points(baseline).shape == (1, 0) and baseline.seeds == 200


@pytest.mark.parametrize(
    "bad, key",
    [
        ('design = "factorial"', "design"),
        ("seeds = 0", "seeds"),
        ('colour = "red"', "colour"),
        ('outputs = ["no_such_variable"]', "outputs"),
        ('horizon = "2025-13"', "horizon"),
    ],
)
def test_a_bad_top_level_key_is_one_line_naming_file_key_and_expectation(tmp_path, bad, key):
    bad_key = bad.split(" =")[0]
    kept = [line for line in SMALL_GRID.splitlines() if not line.startswith(f"{bad_key} =")]
    path = write(tmp_path, bad + "\n" + "\n".join(kept))
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message and key in message and "expected" in message


@pytest.mark.parametrize(
    "replace, insert, key",
    [
        ('vary = "parameters.export_demand_growth"', 'vary = "parameters.no_such_parameter"', "input[2].vary"),
        ("range = [0.0, 0.1]", "range = [0.0, 9.0]", "input[2]"),  # beyond the parameter's allowed range
        ('target = "all"', 'target = "no_such_cluster"', "input[1].target"),
        ("range = [0.0, 0.1]", "range = [0.0, 0.1]\nlevels = [1.0]", "input[2]"),
    ],
)
def test_a_bad_input_is_one_line_naming_the_input(tmp_path, replace, insert, key):
    path = write(tmp_path, SMALL_GRID.replace(replace, insert))
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    assert str(info.value).startswith(f"{path}: key '{key}'")


def test_a_policy_input_replaces_the_base_scenarios_lever_so_the_coordinate_is_its_whole_size(tmp_path):
    experiment = load_experiment(write(tmp_path, SMALL_GRID))
    scenario = experiment.scenario_at([0.1, 0.05])
    twice = experiment.inputs[0].apply(scenario, 0.2)
    subsidies = [p for p in twice.policies if p.lever == "cluster_subsidy"]
    assert [p.size for p in subsidies] == [0.2]
    assert scenario.parameters["export_demand_growth"] == 0.05 and scenario.horizon == "2025-12"


TWO_WINDOWS = """
name = "two_windows"
base = "base.toml"
seeds = 1
horizon = "2023-12"

[[input]]
vary = "policy.public_investment"
start = "2023-01"
end = "2023-06"
levels = [0.01]
name = "investment_first_half"

[[input]]
vary = "policy.public_investment"
start = "2023-07"
end = "2023-12"
levels = [0.03]
name = "investment_second_half"
"""
BASE_WITH_INVESTMENT = """
extends = "baseline"
horizon = "2023-12"

[[policies]]
lever = "public_investment"
start = "2022-06"
size = 0.02
"""


def _monthly_path(scenario, lever):
    from model.policy import PolicySchedule

    return PolicySchedule(scenario.policies, scenario.shocks, scenario.start, scenario.n_months).economy[lever]


def test_two_inputs_on_one_lever_with_different_windows_both_apply(tmp_path):
    """Each input replaces the lever only over its own window: the base policy outside it stays,
    and a second input on the same lever does not erase the first."""
    write(tmp_path, BASE_WITH_INVESTMENT, "base.toml")
    experiment = load_experiment(write(tmp_path, TWO_WINDOWS))
    path = _monthly_path(experiment.scenario_at([0.01, 0.03]), "public_investment")
    months_2022, first_half, second_half = path[:12], path[12:18], path[18:24]
    assert list(months_2022) == [0.0] * 5 + [0.02] * 7  # the base policy, untouched before the inputs
    assert list(first_half) == [0.01] * 6 and list(second_half) == [0.03] * 6


@pytest.mark.parametrize(
    "replace, insert, key, fragment",
    [
        ('end = "2023-06"', 'end = "2023-07"', "input[2].start", "overlaps input[1]"),
        (
            'start = "2023-07"\nend = "2023-12"',
            'start = "2024-01"',
            "input[2].start",
            "within the run, 2022-01 to 2023-12",
        ),
        ('end = "2023-12"', 'end = "2024-03"', "input[2].end", "within the run, 2022-01 to 2023-12"),
        ('horizon = "2023-12"', 'horizon = "2037-12"', "horizon", "2035-12"),
        ('horizon = "2023-12"', 'horizon = "2021-12"', "horizon", "a month from 2022-01"),
        ('horizon = "2023-12"', 'horizon = "2022-01"', "horizon", "after start 2022-01"),
    ],
)
def test_an_input_window_outside_the_run_or_overlapping_another_is_refused(tmp_path, replace, insert, key, fragment):
    write(tmp_path, BASE_WITH_INVESTMENT.replace('horizon = "2023-12"\n', ""), "base.toml")
    path = write(tmp_path, TWO_WINDOWS.replace(replace, insert, 1))
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    message = str(info.value)
    assert message.startswith(f"{path}: key '{key}'") and fragment in message and "\n" not in message


# --- designs and seeds ------------------------------------------------------------------------


def test_designs_cover_their_ranges_and_are_reproducible(tmp_path):
    for design, extra in (("random", "samples = 16"), ("lhs", "samples = 16"), ("sobol", "samples = 8")):
        text = SMALL_GRID.replace('design = "grid"', f'design = "{design}"\n{extra}')
        text = text.replace("levels = [0.0, 0.1]", "range = [0.0, 0.1]")
        experiment = load_experiment(write(tmp_path, text, f"{design}.toml"))
        points = design_points(experiment)
        assert np.array_equal(points, design_points(experiment))
        assert points.min() >= 0.0 and points.max() <= 0.1
        assert len(points) == (8 * 4 if design == "sobol" else 16)
    lhs_points = design_points(load_experiment(tmp_path / "lhs.toml"))
    strata = np.floor(lhs_points / 0.1 * 16).astype(int)
    assert all(sorted(np.minimum(s, 15)) == list(range(16)) for s in strata.T)  # one point per stratum


def test_each_runs_stream_is_the_roots_spawned_child():
    experiment = load_experiment(REPO / "experiments" / "policy_grid.toml")
    experiment = experiment.__class__(**{**experiment.__dict__, "common_random_numbers": False})
    n_runs = 250
    children = np.random.SeedSequence(experiment.root_seed).spawn(n_runs)
    for run_index in (0, 1, 137, 249):
        assert np.array_equal(run_seed(experiment, run_index).generate_state(4), children[run_index].generate_state(4))


# --- the engine -------------------------------------------------------------------------------


def test_same_data_with_one_and_two_workers_and_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    experiment = load_experiment(write(tmp_path, SMALL_GRID))
    one = run_sweep(
        experiment, tmp_path / "one", workers=1, run_function=sweep_fake.simulate, finish=finish_without_figures
    )
    assert one.runs_computed == SMALL_GRID_POINTS * SMALL_GRID_SEEDS
    run_sweep(experiment, tmp_path / "two", workers=2, run_function=sweep_fake.simulate, finish=finish_without_figures)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster:
        run_sweep(
            experiment,
            tmp_path / "dask",
            scheduler=cluster.scheduler_address,
            run_function=sweep_fake.simulate,
            finish=finish_without_figures,
        )
    assert_same_data(tmp_path / "one", tmp_path / "two")
    assert_same_data(tmp_path / "one", tmp_path / "dask")

    data = sweep_data(tmp_path / "one")
    assert data["gdp"].shape == (SMALL_GRID_POINTS, SMALL_GRID_SEEDS, 5)
    assert data["cluster_output"].shape[:3] == (SMALL_GRID_POINTS, SMALL_GRID_SEEDS, 5)
    assert np.isfinite(data["gdp"]).all()
    assert len(np.unique(data["gdp"][:, :, -1])) == SMALL_GRID_POINTS * SMALL_GRID_SEEDS  # every run its own


def test_scheduler_local_runs_a_dask_cluster_here_and_workers_must_run_the_clients_code(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    from model.sweep.engine import check_worker_code

    experiment_file = write(tmp_path, SMALL_GRID.replace("seeds = 3", "seeds = 1"))
    args = ["--no-figures", "--run-function", "sweep_fake:simulate"]
    assert sweep_main([str(experiment_file), "--out", str(tmp_path / "local"), "--scheduler", "local:2", *args]) == 0
    assert sweep_main([str(experiment_file), "--out", str(tmp_path / "pool"), "--workers", "1", *args]) == 0
    assert_same_data(tmp_path / "local", tmp_path / "pool")
    capsys.readouterr()
    for bad in ("local:0", "local:two"):
        assert sweep_main([str(experiment_file), "--out", str(tmp_path / "bad"), "--scheduler", bad, *args]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "local:N" in err and not (tmp_path / "bad").exists()

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None, silence_logs=40
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        check_worker_code(client, cluster.scheduler_address)  # the same code: accepted
        with pytest.raises(SweepError, match=r"2 of 2 workers run other model code .* here 000000000000"):
            check_worker_code(client, cluster.scheduler_address, expected="0" * 64)


def test_sweep_nc_reads_with_inputs_as_point_coordinates_and_summary_matches_it(tmp_path):
    import xarray as xr

    experiment = load_experiment(write(tmp_path, SMALL_GRID))
    run_sweep(experiment, tmp_path / "out", workers=2, run_function=sweep_fake.simulate, finish=finish_sweep)
    with xr.open_dataset(tmp_path / "out" / SWEEP_FILE, engine="h5netcdf") as ds:
        assert set(ds["gdp"].coords) >= {"point", "seed", "year", "cluster_subsidy", "export_demand_growth"}
        assert ds["cluster_output"].dims == ("point", "seed", "year", "cluster")
        income = ds["disposable_income_per_capita"].sel(year=2025).values
    with open(tmp_path / "out" / SUMMARY_FILE, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    target = targets_by_id()["disposable_income_per_capita"]
    assert len(rows) == SMALL_GRID_POINTS
    assert list(rows[0])[:3] == ["point", "cluster_subsidy", "export_demand_growth"]
    for point, row in enumerate(rows):
        assert float(row["disposable_income_per_capita_mean"]) == pytest.approx(income[point].mean(), rel=1e-12)
        assert float(row["disposable_income_per_capita_probability"]) == np.mean(income[point] >= target.value)
    assert (tmp_path / "out" / "figures" / "probability_of_targets.png").stat().st_size > 10_000


def test_sobol_design_writes_indices_for_every_target_and_their_figure(tmp_path):
    text = (
        SMALL_GRID.replace('design = "grid"', 'design = "sobol"\nsamples = 8\nbootstrap = 50')
        .replace("levels = [0.0, 0.1]", "range = [0.0, 0.1]")
        .replace("seeds = 3", "seeds = 1")
    )
    experiment = load_experiment(write(tmp_path, text))
    report = run_sweep(experiment, tmp_path / "out", workers=1, run_function=sweep_fake.simulate, finish=finish_sweep)
    assert report.runs_total == 8 * 4
    with open(tmp_path / "out" / "sobol.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    scalar_targets = {"gdp", "disposable_income_per_capita", "urban_rural_income_ratio"}
    assert {(r["target"], r["input"]) for r in rows} == {
        (t, i) for t in scalar_targets for i in ("cluster_subsidy", "export_demand_growth")
    }
    for row in rows:  # indices are variance shares: in [0, 1], or NaN with a note saying why
        for key in ("S1", "ST"):
            value = float(row[key])
            assert 0 <= value <= 1 or (np.isnan(value) and "not estimable" in row["note"]), row
    assert (tmp_path / "out" / "figures" / "sobol_indices.png").is_file()


def test_a_failed_run_stops_the_sweep_and_keeps_the_finished_runs(tmp_path):
    experiment = load_experiment(write(tmp_path, SMALL_GRID))
    with pytest.raises(SweepError, match="failed"):
        run_sweep(experiment, tmp_path / "out", workers=1, run_function=sweep_fake.failing_simulate)
    finished = store.finished_runs(tmp_path / "out")
    assert finished and len(finished) < SMALL_GRID_POINTS * SMALL_GRID_SEEDS
    assert not (tmp_path / "out" / SWEEP_FILE).exists()


def test_keep_going_records_failed_runs_as_nan_and_a_resume_retries_only_them(tmp_path):
    experiment = load_experiment(write(tmp_path, SMALL_GRID))
    out = tmp_path / "out"
    report = run_sweep(
        experiment,
        out,
        workers=2,
        run_function=sweep_fake.failing_simulate,
        keep_going=True,
        finish=finish_without_figures,
    )
    failing_points = [4, 9]  # export_demand_growth at 0.1, for both subsidy levels
    assert report.runs_failed == len(failing_points) * SMALL_GRID_SEEDS
    gdp = sweep_data(out)["gdp"]
    assert np.isnan(gdp[failing_points]).all() and np.isfinite(np.delete(gdp, failing_points, axis=0)).all()
    with open(out / SUMMARY_FILE, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["runs_failed"]) for r in rows] == [SMALL_GRID_SEEDS * (p in failing_points) for p in range(10)]

    before = {i: os.stat(store.run_path(out, i)).st_mtime_ns for i in store.finished_runs(out)}
    report = run_sweep(
        experiment, out, workers=1, run_function=sweep_fake.simulate, resume=True, finish=finish_without_figures
    )
    assert report.runs_computed == len(failing_points) * SMALL_GRID_SEEDS and report.runs_failed == 0
    assert all(os.stat(store.run_path(out, i)).st_mtime_ns == t for i, t in before.items())
    run_sweep(
        experiment, tmp_path / "clean", workers=1, run_function=sweep_fake.simulate, finish=finish_without_figures
    )
    assert_same_data(out, tmp_path / "clean")


def _fake_sweep_args(experiment_file, out: Path) -> list[str]:
    """The arguments of a sweep of ``experiment_file`` into ``out`` on one worker with the fake run
    function and no figures."""
    return [
        str(experiment_file),
        "--out",
        str(out),
        "--workers",
        "1",
        "--no-figures",
        "--run-function",
        "sweep_fake:simulate",
    ]


def _slow_sweep(entry: list[str], experiment_file: Path, out: Path) -> tuple[dict, list[str]]:
    """The environment and command of a sweep in a new process on 2 workers, with the slow fake
    run function (its last item) so that a test can stop it half-way."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])}
    command = [sys.executable, *entry, str(experiment_file), "--out", str(out), "--workers", "2", "--no-figures"]
    return env, command + ["--run-function", "sweep_fake:slow_simulate"]


def _wait_for_runs(process: subprocess.Popen, out: Path, runs: int) -> None:
    """Until ``runs`` runs are finished, the process ends or a minute passes."""
    deadline = time.monotonic() + 60
    while len(store.finished_runs(out)) < runs and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)


def test_a_sweep_killed_half_way_resumes_computing_only_the_missing_runs(tmp_path):
    """SIGKILL the whole sweep (parent and workers) mid-way, plant a half-written file, resume."""
    experiment_file = write(tmp_path, SMALL_GRID.replace("seeds = 3", "seeds = 4"))
    total = SMALL_GRID_POINTS * 4
    out = tmp_path / "killed"
    env, command = _slow_sweep(["-m", "model.sweep"], experiment_file, out)
    process = subprocess.Popen(
        command, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _wait_for_runs(process, out, 8)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    before = {i: os.stat(store.run_path(out, i)) for i in store.finished_runs(out)}
    assert 8 <= len(before) < total
    half_written = out / store.RUNS_DIR / f".{store.run_path(out, total - 1).name}.99999.tmp"
    half_written.write_bytes(b"PK\x03\x04 truncated")  # what a kill during a write would leave

    resumed = subprocess.run(
        command[:-1] + ["sweep_fake:simulate", "--resume"], env=env, capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    assert not half_written.exists()
    for i, stat in before.items():  # finished runs were neither recomputed nor rewritten
        now = os.stat(store.run_path(out, i))
        assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    last_session = (out / store.LOG).read_text().split("session ")[-1].splitlines()
    computed = [int(line.split()[1]) for line in last_session if line.startswith("run ")]
    assert sorted(computed) == sorted(set(range(total)) - set(before))

    experiment = load_experiment(experiment_file)
    run_sweep(
        experiment,
        tmp_path / "uninterrupted",
        workers=1,
        run_function=sweep_fake.simulate,
        finish=finish_without_figures,
    )
    assert_same_data(out, tmp_path / "uninterrupted")


@pytest.mark.parametrize("entry", [["-m", "model", "sweep"], ["-m", "model.sweep"]])
def test_sigterm_stops_a_sweep_with_status_143_keeping_only_whole_runs(tmp_path, entry):
    """SIGTERM (what kill, batch schedulers and containers send) is 128 + 15, as README promises."""
    experiment_file = write(tmp_path, SMALL_GRID)
    out = tmp_path / "out"
    env, command = _slow_sweep(entry, experiment_file, out)
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_runs(process, out, 2)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "terminated" in err and "--resume" in err and len(err.strip().splitlines()) == 1, err
    assert not list(out.rglob("*.tmp")) and not (out / SWEEP_FILE).exists()
    for run_index in store.finished_runs(out):  # every file left is a whole run
        assert store.decode_run(store.run_path(out, run_index)).values["gdp"].shape == (5,)


class _FillingDisk:
    """``open`` for the sweep's writer, on a disk that has ``room`` bytes left once the file named
    ``full_at`` is written: a write beyond it is cut short with ENOSPC, as a real full disk does
    (part of the data lands, then the error)."""

    def __init__(self, full_at: str, room: int):
        self.full_at, self.room = full_at, None
        self.room_then = room

    def __call__(self, path, mode="r", **kwargs):
        fh = open(path, mode, **kwargs)
        if self.full_at in Path(path).name and self.room is None:
            self.room = self.room_then
        if "w" not in mode or self.room is None:
            return fh
        disk, write = self, fh.write

        def limited(data):
            size = len(data.encode() if isinstance(data, str) else bytes(data))
            if size > disk.room:
                write(data[: disk.room])
                disk.room = 0
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            disk.room -= size
            return write(data)

        fh.write = limited
        return fh


@pytest.mark.parametrize(
    "full_at, when",
    [
        ("experiment.toml", "writing the experiment record"),
        ("run_0000005", "writing a run"),
        ("sweep.nc", "writing sweep.nc"),
    ],
)
def test_a_full_disk_is_one_line_exit_1_and_leaves_no_partial_file(tmp_path, monkeypatch, capsys, full_at, when):
    import model.sweep.store

    disk = _FillingDisk(full_at, room=100)
    monkeypatch.setattr(model.sweep.store, "open", disk, raising=False)
    out = tmp_path / "results" / "sweep"
    code = sweep_main(_fake_sweep_args(write(tmp_path, SMALL_GRID), out))
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, (when, err)
    assert "the disk is full" in err and str(out) in err
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert not (out / SWEEP_FILE).exists() and not (out / SUMMARY_FILE).exists()
    if when == "writing the experiment record":
        assert sorted(p.name for p in tmp_path.iterdir()) == ["experiment.toml"]  # no folder left behind
    else:
        finished = store.finished_runs(out)
        assert (0 < len(finished) < SMALL_GRID_POINTS * SMALL_GRID_SEEDS) == (when == "writing a run")
        for run_index in finished:
            assert store.decode_run(store.run_path(out, run_index)).values["gdp"].shape == (5,)


def _npz_bytes(**arrays) -> bytes:
    import io

    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


DAMAGED_RUNS = {  # how a finished run file is spoiled -> what the refusal says it found
    "random_bytes": (lambda: np.random.default_rng(5).bytes(4000), "an unreadable file"),
    "truncated": (None, "an unreadable file"),
    "a_pickle": (
        lambda: _npz_bytes(year=np.array([2021]), v__gdp=np.array([object()], dtype=object)),
        "an unreadable file",
    ),
    "other_variables": (
        lambda: _npz_bytes(year=np.arange(2021, 2026), v__gdp=np.ones(5), d__gdp=np.array([], dtype=str)),
        "variables ['gdp']",
    ),
}


@pytest.mark.parametrize("case", sorted(DAMAGED_RUNS))
def test_resume_refuses_a_damaged_run_file_in_one_line_before_computing(tmp_path, capsys, case):
    experiment_file = write(tmp_path, SMALL_GRID.replace("seeds = 3", "seeds = 1"))
    out = tmp_path / "out"
    args = _fake_sweep_args(experiment_file, out)
    assert sweep_main(args) == 0
    (out / SWEEP_FILE).unlink()
    store.run_path(out, 9).unlink()  # one run still to compute
    damaged = store.run_path(out, 4)
    spoil, fragment = DAMAGED_RUNS[case]
    damaged.write_bytes(spoil() if spoil else damaged.read_bytes()[:300])
    capsys.readouterr()
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}

    assert sweep_main([*args, "--resume"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert str(damaged) in err and fragment in err and "delete it" in err
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()} == before

    damaged.unlink()  # as the message says: the resume then computes that run again
    assert sweep_main([*args, "--resume"]) == 0
    assert store.finished_runs(out) == set(range(SMALL_GRID_POINTS))


def test_the_budget_counts_a_design_without_building_it(tmp_path):
    from model.sweep import budget

    for design, extra, points in (("grid", "", 10), ("random", "samples = 7", 7), ("sobol", "samples = 8", 32)):
        text = SMALL_GRID.replace('design = "grid"', f'design = "{design}"\n{extra}')
        if design == "sobol":
            text = text.replace("levels = [0.0, 0.1]", "range = [0.0, 0.1]")
        experiment = load_experiment(write(tmp_path, text, f"{design}.toml"))
        assert budget.n_points(experiment) == len(design_points(experiment)) == points


def test_a_sweep_beyond_half_a_day_needs_yes_and_what_cannot_fit_is_refused_without_suggesting_itself(tmp_path):
    from model.runner import memory_estimate
    from model.sweep import budget

    experiment = load_experiment(
        write(tmp_path, SMALL_GRID.replace("seeds = 3", "seeds = 20000").replace("scale = 0.01", "scale = 0.3"))
    )
    plenty = {"free_memory": 64e9, "free_disk": 1e12}
    check = functools.partial(budget.check_budget, experiment, tmp_path, pending_runs=10 * 20000)
    with pytest.raises(ExperimentError, match=r"200,000 runs of scale 0.3 .* would take about \d+ days .* --yes"):
        check(parallel=2, local_workers=2, **plenty)
    estimate = check(parallel=2, local_workers=2, confirmed=True, **plenty)
    assert estimate.seconds > budget.LONG_SWEEP_SECONDS

    room_for_two = memory_estimate(0.3, 2) + estimate.parent_bytes + 1e6
    with pytest.raises(ExperimentError) as info:
        check(parallel=2, local_workers=4, confirmed=True, free_memory=room_for_two, free_disk=1e12)
    assert "try --workers 2" in str(info.value) and "4 worker(s)" in str(info.value)
    with pytest.raises(ExperimentError) as info:
        check(parallel=1, local_workers=1, confirmed=True, free_memory=room_for_two / 3, free_disk=1e12)
    assert "--workers" not in str(info.value) and "smaller --scale" in str(info.value)
    with pytest.raises(ExperimentError, match=r"^--out .*: a disk with room for the sweep"):
        check(parallel=2, local_workers=2, confirmed=True, free_memory=64e9, free_disk=1e6)


def test_library_code_leaves_matplotlibs_backend_and_pyplot_alone():
    """Switching the backend from library code changes a notebook's; pyplot keeps global figures."""
    offenders = [
        f"{p.relative_to(REPO)}:{n}"
        for p in sorted((REPO / "model").rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if "matplotlib.use(" in line or "matplotlib.pyplot" in line
    ]
    assert offenders == []
    assert not (REPO / "model" / "sweep" / "fake.py").exists()  # test doubles live under tests/


# --- command line -----------------------------------------------------------------------------


def test_bad_input_on_the_command_line_is_one_line_exit_2_and_nothing_written(tmp_path, capsys):
    bad = write(tmp_path, SMALL_GRID.replace('design = "grid"', 'design = "factorial"'))
    out = tmp_path / "out"
    assert sweep_main([str(bad), "--out", str(out), "--run-function", "sweep_fake:simulate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "design" in err and "expected" in err
    assert not out.exists()

    good = write(tmp_path, SMALL_GRID, "good.toml")
    for args in (["--workers", "0"], ["--seeds", "0"], ["--scale", "-1"], ["--run-function", "nowhere:nothing"]):
        assert sweep_main([str(good), "--out", str(out), *args]) == 2
        assert capsys.readouterr().err.count("\n") == 1
        assert not out.exists()


def test_resume_refuses_a_folder_made_by_another_experiment_and_a_rerun_refuses_to_overwrite(tmp_path, capsys):
    out = tmp_path / "out"
    first = write(tmp_path, SMALL_GRID.replace("seeds = 3", "seeds = 1"), "first.toml")
    args = ["--out", str(out), "--workers", "1", "--no-figures", "--run-function", "sweep_fake:simulate"]
    assert sweep_main([str(first), *args]) == 0
    capsys.readouterr()
    manifest = (out / store.MANIFEST).read_text()

    other = write(tmp_path, SMALL_GRID.replace("seeds = 3", "seeds = 2"), "other.toml")
    assert sweep_main([str(other), *args, "--resume"]) == 2
    assert "different experiment" in capsys.readouterr().err
    assert sweep_main([str(first), *args]) == 2
    assert "--resume" in capsys.readouterr().err
    assert (out / store.MANIFEST).read_text() == manifest

    assert sweep_main([str(first), *args, "--resume"]) == 0  # a finished sweep resumes to the same files
    assert json.loads(manifest)["fingerprint"] == load_experiment(first).fingerprint()


# --- the real model ---------------------------------------------------------------------------


@pytest.mark.skipif(not (REPO / "model" / "run.py").is_file(), reason="model/run.py (simulate) not there yet")
def test_the_real_model_runs_through_the_sweep_at_a_tiny_scale(tmp_path):
    text = """
    name = "real_tiny"
    base = "baseline"
    design = "grid"
    seeds = 2
    root_seed = 11
    scale = 0.002
    horizon = "2022-12"

    [[input]]
    vary = "parameters.export_demand_growth"
    levels = [0.0, 0.1]
    """
    experiment = load_experiment(write(tmp_path, text))
    report = run_sweep(experiment, tmp_path / "out", workers=2, run_function=None, finish=finish_without_figures)
    assert report.runs_computed == 4
    data = sweep_data(tmp_path / "out")
    assert data["gdp"].shape == (2, 2, 2)  # points x seeds x years 2021-2022
    assert np.isfinite(data["gdp"]).all() and (data["gdp"] > 0).all()
    assert np.isfinite(data["trade_total"]).all()


@pytest.mark.skipif(not (REPO / "model" / "run.py").is_file(), reason="model/run.py (simulate) not there yet")
def test_workers_encode_the_same_bytes_from_annual_arrays_as_from_the_dataset():
    """The real model's workers encode from model.run.simulate_annual, not from simulate's dataset:
    every annual variable with years gives the same run file, byte for byte, and the variables
    without years are refused alike."""
    from model.run import simulate, simulate_annual
    from model.scenario import Scenario

    scenario = Scenario(horizon="2022-12")
    annual = simulate(scenario, seed=1, scale=0.002).annual
    arrays = simulate_annual(scenario, seed=1, scale=0.002)
    yearly = [name for name in annual.data_vars if "year" in annual[name].dims]
    assert sorted(arrays.variables) == sorted(annual.data_vars)
    assert store.encode_arrays(arrays.years, arrays.variables, arrays.coords, yearly) == store.encode_run(
        annual, yearly
    )
    for name in yearly[:3] + ["income_lorenz", "cluster_output", "firms_by_tier", "population_by_age"]:  # one at a time
        encoded = store.encode_arrays(arrays.years, arrays.variables, arrays.coords, [name])
        assert encoded == store.encode_run(annual, [name])
    with pytest.raises(ValueError, match="no 'year' dimension"):
        store.encode_arrays(arrays.years, arrays.variables, arrays.coords, ["parameter_draw"])
    with pytest.raises(ValueError, match="no 'year' dimension"):
        store.encode_run(annual, ["parameter_draw"])


def test_a_finished_sweep_lists_every_file_in_its_manifest_and_verify_checks_it(tmp_path, monkeypatch, capsys):
    """As a run's folder: manifest.json with every file's SHA-256, written when the sweep finishes
    (a resume removes it until the sweep is whole again); `kunshan verify` names a changed file,
    and commands that read run folders refuse a sweep's in one line."""
    import hashlib

    from model.cli import main

    experiment = write(tmp_path, SMALL_GRID.replace("seeds = 3", "seeds = 1"))
    out = tmp_path / "out"
    args = ["sweep", *_fake_sweep_args(experiment, out)]
    assert main(args) == 0
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert files["kind"] == "sweep"
    assert files["files"] == {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in out.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    assert {SWEEP_FILE, SUMMARY_FILE, "experiment.json", "runs/run_0000000.npz"} <= set(files["files"])
    capsys.readouterr()
    assert main(["verify", str(out)]) == 0 and "intact" in capsys.readouterr().out

    assert main(["compare", str(out), str(out), "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert "a sweep's folder" in err and len(err.strip().splitlines()) == 1 and not (tmp_path / "c").exists()

    data = bytearray((out / SWEEP_FILE).read_bytes())
    data[-100] ^= 1
    (out / SWEEP_FILE).write_bytes(bytes(data))
    assert main(["verify", str(out)]) == 1
    assert f"{SWEEP_FILE} has changed since kunshan wrote it" in capsys.readouterr().err

    store.prepare_out_dir(out, load_experiment(experiment))  # what a --resume does first
    assert not (out / "manifest.json").exists()
    assert main([*args, "--resume"]) == 0
    assert main(["verify", str(out)]) == 0
