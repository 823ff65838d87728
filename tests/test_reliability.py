"""Reliability at the edges: bad results folders, too little memory, signals, a full disk, and
provenance good enough to repeat a run bit for bit.

Every refusal must be one line on stderr, exit status 2 (bad input) or 1 (the machine failed),
no traceback, and nothing written: a planning tool that half-answers is worse than one that
says no.
"""

from __future__ import annotations

import errno
import os
import pickle
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import model
from model import outputs, runner
from model.cli import main
from model.config import ConfigError, load_scenario

REPO = Path(__file__).resolve().parents[1]
TINY = 'extends = "baseline"\nname = "tiny"\nhorizon = "2022-12"\nseeds = 2\nscale = 0.003\n'


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("reliability")
    (root / "tiny.toml").write_text(TINY, encoding="utf-8")
    assert main(["run", str(root / "tiny.toml"), "--out", str(root / "tiny")]) == 0
    return root / "tiny"


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _one_line_refusal(capsys, code: int, status: int = 2) -> str:
    err = capsys.readouterr().err
    assert code == status, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


# --- results folders that are not whole: every command that reads one refuses it the same way

def _rewrite(src: Path, dst: Path, change) -> None:
    with xr.open_dataset(src, engine="h5netcdf") as ds:
        ds = change(ds.load())
    ds.to_netcdf(dst, engine="h5netcdf")


def _truncate(path: Path, keep: float) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


class _Payload:
    """A pickle that would leave a marker file behind if anything ever unpickled an input."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "executed"))


BAD_FOLDERS = {  # name -> (how to spoil a copy of a good folder, text the message must contain)
    "missing_folder": (lambda d: __import__("shutil").rmtree(d), "no such folder"),
    "file_not_folder": (lambda d: (__import__("shutil").rmtree(d), d.write_text("x")), "no such folder"),
    "empty_folder": (lambda d: [p.unlink() for p in d.glob("*.nc")], "annual.nc is missing"),
    "monthly_missing": (lambda d: (d / "monthly.nc").unlink(), "monthly.nc is missing"),
    "annual_truncated_half": (lambda d: _truncate(d / "annual.nc", 0.5), "a complete netCDF file"),
    "annual_truncated_to_header": (lambda d: _truncate(d / "annual.nc", 0.02), "a complete netCDF file"),
    "annual_empty": (lambda d: _truncate(d / "annual.nc", 0.0), "a complete netCDF file"),
    "monthly_truncated": (lambda d: _truncate(d / "monthly.nc", 0.6), "monthly.nc"),
    "annual_is_a_pickle": (lambda d: (d / "annual.nc").write_bytes(pickle.dumps(_Payload(d.parent / "EXECUTED"))),
                           "a complete netCDF file"),
    "other_format_version": (lambda d: _rewrite(d / "annual.nc", d / "annual.nc.new", lambda ds: ds.assign_attrs(
        results_format=outputs.RESULTS_FORMAT + 1)) or (d / "annual.nc.new").replace(d / "annual.nc"),
        "key 'results_format'"),
    "no_format_version": (lambda d: _rewrite(d / "monthly.nc", d / "m.new", lambda ds: ds.drop_attrs())
                          or (d / "m.new").replace(d / "monthly.nc"), "got 'none'"),
    "no_provenance": (lambda d: _rewrite(d / "annual.nc", d / "a.new", lambda ds: ds.assign_attrs(scenario=None) and
                                         ds.drop_attrs().assign_attrs(results_format=outputs.RESULTS_FORMAT))
                      or (d / "a.new").replace(d / "annual.nc"), "no scenario, root_seed"),
}
COMMANDS = {
    "compare": lambda good, bad: ["compare", str(good), str(bad)],
    "reproduce": lambda good, bad: ["reproduce", str(bad)],
    "validate": lambda good, bad: ["validate", str(bad)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(BAD_FOLDERS))
def test_bad_results_folder_is_refused_in_one_line(command, case, tiny_run, tmp_path, monkeypatch, capsys):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(tiny_run, bad)
    spoil, fragment = BAD_FOLDERS[case]
    spoil(bad)
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    err = _one_line_refusal(capsys, main(COMMANDS[command](tiny_run, bad)))
    assert fragment in err and "bad" in err
    assert _tree(tmp_path) == before  # nothing written, not even results/
    assert not (tmp_path / "EXECUTED").exists()


def test_open_results_reads_back_what_run_wrote(tiny_run):
    annual, monthly = outputs.open_results(tiny_run)
    assert annual.attrs["results_format"] == outputs.RESULTS_FORMAT
    assert annual.sizes["seed"] == monthly.sizes["seed"] == 2
    assert outputs.open_run(tiny_run).identical(annual)


def test_reproduce_bad_command_lines(tiny_run, capsys):
    _one_line_refusal(capsys, main(["reproduce", str(tiny_run), "--workers", "0"]))
    _one_line_refusal(capsys, main(["reproduce", str(tiny_run), "--out", str(tiny_run)]))
    _one_line_refusal(capsys, main(["reproduce"]))


# --- memory: refused before anything is allocated

def test_memory_estimate_is_about_half_a_gigabyte_at_full_scale():
    one = runner.memory_estimate(1.0)
    assert 0.45e9 <= one <= 0.8e9
    assert runner.memory_estimate(0.02) < 0.2e9
    assert runner.memory_estimate(1.0, processes=2) > 1.9 * one
    assert runner.available_memory() is None or runner.available_memory() > 0


def test_scale_beyond_free_memory_is_refused_before_building(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "available_memory", lambda: 0.3e9)

    def never(*args, **kwargs):
        raise AssertionError("the economy was built although it cannot fit")

    monkeypatch.setattr("model.model.build_state", never)
    monkeypatch.chdir(tmp_path)
    err = _one_line_refusal(capsys, main(["run", "--scale", "1.0", "--seeds", "1"]))
    assert "key '--scale'" in err and "needs about 0.6 GB" in err and "0.3 GB is available" in err
    assert not any(tmp_path.iterdir())
    err = _one_line_refusal(capsys, main(["run", "--scale", "0.2", "--seeds", "4", "--workers", "4"]))
    assert "4 process(es)" in err and "fewer --workers" in err


def test_memory_check_passes_when_it_fits_or_cannot_know(monkeypatch):
    scenario = load_scenario()
    monkeypatch.setattr(runner, "available_memory", lambda: 64e9)
    runner.check_memory(scenario, workers=8)
    monkeypatch.setattr(runner, "available_memory", lambda: None)
    runner.check_memory(scenario, workers=8)


def test_available_memory_reads_meminfo():
    meminfo = Path("/proc/meminfo")
    if not meminfo.is_file():
        pytest.skip("no /proc/meminfo")
    kb = int(re.search(r"MemAvailable:\s+(\d+) kB", meminfo.read_text()).group(1))
    assert runner.available_memory() == pytest.approx(kb * 1024, rel=0.2)


# --- inputs are parsed, never executed

FORBIDDEN = re.compile(r"pickle\.loads?\(|\beval\(|\bexec\(|allow_pickle\s*=\s*True|yaml\.(unsafe_)?load\(|"
                       r"marshal\.loads?\(|shelve\.open\(|__import__\(|runpy\.")


def test_no_input_is_ever_unpickled_or_executed():
    offenders = [f"{p.relative_to(REPO)}:{n}" for p in sorted((REPO / "model").rglob("*.py"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
                 if FORBIDDEN.search(line.split("#")[0])]
    assert offenders == []


def test_config_errors_survive_a_worker_process():
    """A refusal raised in a `--workers` process is pickled back to the parent, still one line."""
    from model.init import InfeasibleParameters

    for error in (ConfigError("a.toml", "scale", "a number", 2.0, "scale"), ConfigError("b.toml", None, "x"),
                  InfeasibleParameters("local buyers would demand too much", ("vat_rate",))):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)


def test_infeasible_parameters_are_one_line_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "impossible.toml"
    path.write_text('extends = "baseline"\nscale = 0.003\nseeds = 1\nhorizon = "2022-02"\n[parameters]\n'
                    'import_share_final_demand = 0.3\nconsumption_propensity_income = 0.85\n'
                    'consumption_propensity_wealth = 0.1\n', encoding="utf-8")
    err = _one_line_refusal(capsys, main(["run", str(path), "--out", str(tmp_path / "out")]))
    assert "end-2021 economy" in err and "consumption_propensity_income" in err
    assert not (tmp_path / "out").exists()


def test_a_budget_without_taxes_is_refused(tmp_path, capsys):
    """Found with KUNSHAN_PROPERTY_EXAMPLES=1500: with every tax rate at 0 the local tax share that
    matches 2021's revenue was 1/0, and the first month failed on NaN probabilities."""
    path = tmp_path / "untaxed.toml"
    path.write_text('extends = "baseline"\nscale = 0.003\nseeds = 1\nhorizon = "2022-02"\n[parameters]\n'
                    'vat_rate = 0.0\npersonal_tax_rate = 0.0\ncorporate_tax_rate = 0.0\n', encoding="utf-8")
    err = _one_line_refusal(capsys, main(["run", str(path), "--out", str(tmp_path / "out")]))
    assert "no tax raises anything" in err and "vat_rate" in err and "corporate_tax_rate" in err
    assert not (tmp_path / "out").exists()


# --- crash safety

def test_disk_full_is_one_line_and_leaves_nothing(tiny_run, tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "tiny.toml"
    scenario.write_text(TINY, encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs, "_write_csv", full)
    err = _one_line_refusal(capsys, main(["run", str(scenario), "--seeds", "1", "--out", str(tmp_path / "out")]),
                            status=1)
    assert "out: the disk is full" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]

    def hdf5_full(*args, **kwargs):  # how h5py reports it: the reason in the text, no errno
        raise OSError("Can't write data (file write failed: time = now, errno = 28, "
                      "error message = 'No space left on device')")

    monkeypatch.undo()
    monkeypatch.setattr(outputs, "_save_figures", hdf5_full)
    _one_line_refusal(capsys, main(["compare", str(tiny_run), str(tiny_run), "--out", str(tmp_path / "c")]), status=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]


@pytest.mark.filterwarnings("ignore:No artists with labels")
def test_other_write_errors_are_not_mistaken_for_a_full_disk(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(outputs, "_write_csv", broken)
    with pytest.raises(OSError, match="Input/output"):
        outputs.write_comparison(tmp_path / "c", [("a", xr.Dataset()), ("b", xr.Dataset())])
    assert not any(tmp_path.iterdir())


def test_an_interrupted_write_removes_the_folders_it_made(tmp_path):
    """Nested output folders that did not exist are gone again after a failed write; a parent
    that existed before stays."""
    with pytest.raises(KeyboardInterrupt):
        with outputs.atomic_folder(tmp_path / "results" / "sweeps" / "run") as partial:
            (partial / "annual.nc").write_bytes(b"half")
            raise KeyboardInterrupt
    assert not any(tmp_path.iterdir())
    (tmp_path / "kept").mkdir()
    with pytest.raises(KeyboardInterrupt):
        with outputs.atomic_folder(tmp_path / "kept" / "new" / "run"):
            raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["kept"] and not any((tmp_path / "kept").iterdir())


def _spawn(args: list[str], cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "model", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


@pytest.mark.slow
def test_sigterm_while_writing_leaves_the_old_result_whole(tiny_run, tmp_path):
    """SIGTERM (kill, a scheduler, a container stop) in the middle of writing: the folder being
    replaced keeps its old content and no partial folder is left under any name."""
    import shutil

    out = tmp_path / "result"
    shutil.copytree(tiny_run, out)
    before = {name: (out / name).read_bytes() for name in ("annual.nc", "monthly.nc", "targets.csv")}
    # big enough that writing (netCDF, then rendering five figures) takes a second or more
    (tmp_path / "big.toml").write_text('extends = "baseline"\nname = "big"\nhorizon = "2023-12"\nseeds = 3\n'
                                       'scale = 0.01\n', encoding="utf-8")
    proc = _spawn(["run", "big.toml", "--out", "result"], tmp_path)
    try:
        started = _wait_for(lambda: any(tmp_path.glob(".result.partial-*/annual.nc")), timeout=120)
        assert started, proc.communicate()[1]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "terminated; nothing was written" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.toml", "result"]
    assert {name: (out / name).read_bytes() for name in before} == before


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used (Linux /proc; elsewhere, wall time is all there is)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("inf")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
def test_sigterm_while_simulating_writes_nothing(tmp_path):
    # long enough (two runs to 2035 at scale 0.4, about half a minute) to be still simulating at 4 s
    (tmp_path / "long.toml").write_text('extends = "baseline"\nname = "long"\nhorizon = "2035-12"\nseeds = 2\n'
                                        'scale = 0.4\n', encoding="utf-8")
    proc = _spawn(["run", "long.toml"], tmp_path)
    try:
        # past the imports (about 1.5 s of CPU) and into the simulation, however loaded the machine
        assert _wait_for(lambda: _cpu_seconds(proc.pid) > 4.0, timeout=120), proc.communicate()[1]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.toml"]


# --- provenance and reproduction

def test_every_output_records_its_provenance(tiny_run):
    annual, monthly = outputs.open_results(tiny_run)
    for ds in (annual, monthly):
        assert ds.attrs["scenario"] == load_scenario(tiny_run.parent / "tiny.toml").source_text
        assert ds.attrs["root_seed"] == load_scenario().root_seed
        assert ds.attrs["kunshan_version"] == model.__version__
        assert ds.attrs["numpy_version"] == np.__version__ and ds.attrs["xarray_version"] == xr.__version__
        assert re.fullmatch(r"\d+\.\d+.*", ds.attrs["mesa_version"])
        assert ds.attrs["code_digest"] == outputs.code_digest() and len(ds.attrs["code_digest"]) == 64
        assert "[parameters]" in ds.attrs["parameters"] and "vat_rate = " in ds.attrs["parameters"]
    assert (tiny_run / "scenario.toml").is_file()


def _same_data(a: xr.Dataset, b: xr.Dataset) -> None:
    xr.testing.assert_equal(a.drop_attrs(), b.drop_attrs())  # every value bit for bit; attrs hold the time


def test_reproduce_repeats_the_run_exactly(tiny_run, tmp_path, capsys):
    assert main(["reproduce", str(tiny_run), "--out", str(tmp_path / "again")]) == 0
    assert "identical" in capsys.readouterr().out
    for name in ("annual", "monthly"):
        with xr.open_dataset(tiny_run / f"{name}.nc") as old, xr.open_dataset(tmp_path / "again" / f"{name}.nc") as new:
            _same_data(old.load(), new.load())


def test_scenario_toml_in_the_folder_runs_the_same_after_a_recalibration(tiny_run, tmp_path, monkeypatch):
    """The folder's scenario.toml pins every parameter: moving the calibrated defaults (as
    `kunshan calibrate` does) does not change what it runs."""
    from model import params

    shifted = params.default_parameters().with_overrides({"wage_growth_trend": 0.07, "export_demand_growth": 0.01})
    monkeypatch.setattr("model.model.default_parameters", lambda *a, **k: shifted)
    assert main(["run", str(tiny_run / "scenario.toml"), "--out", str(tmp_path / "rerun")]) == 0
    with xr.open_dataset(tiny_run / "annual.nc") as old, xr.open_dataset(tmp_path / "rerun" / "annual.nc") as new:
        _same_data(old.load(), new.load())


def test_reproduce_reports_data_that_differ(tiny_run, tmp_path, capsys):
    import shutil

    tampered = tmp_path / "tampered"
    shutil.copytree(tiny_run, tampered)
    _rewrite(tiny_run / "annual.nc", tampered / "annual.nc", lambda ds: ds.assign(gdp=ds["gdp"] * 1.000001))
    assert main(["reproduce", str(tampered)]) == 1
    err = capsys.readouterr().err
    assert "NOT identical: annual.gdp differ" in err and "this is a bug" in err


# --- sweeps: hostile experiment files, each refused in one line before anything runs or is written

SWEEP_OK = 'base = "baseline"\nseeds = 2\nscale = 0.003\nhorizon = "2022-12"\n'
SWEEP_INPUT = '[[input]]\nvary = "policy.public_investment"\nlevels = [0.0, 0.01]\n'
SWEEP_HOSTILE = {  # name -> (experiment file text, text the message must contain)
    "name_climbs_out": ('name = "../../../x"\n' + SWEEP_OK, "key 'name'"),
    "name_is_absolute": ('name = "/{tmp}/x"\n' + SWEEP_OK, "key 'name'"),
    "name_300_characters": (f'name = "{"n" * 300}"\n' + SWEEP_OK, "at most 100 characters"),
    "seeds_10_to_the_12": (SWEEP_OK.replace("seeds = 2", f"seeds = {10**12}"), "key 'seeds'"),
    "root_seed_2_to_the_70": (SWEEP_OK + f"root_seed = {2**70}\n", "key 'root_seed'"),
    "root_seed_2_to_the_64": (SWEEP_OK + f"root_seed = {2**64}\n", "2**63 - 1"),
    "arrays_nested_1000_deep": (SWEEP_OK + "outputs = " + "[" * 1000 + "]" * 1000 + "\n", "nested too deeply"),
    "bootstrap_10_to_the_12": (SWEEP_OK + f"bootstrap = {10**12}\n", "key 'bootstrap'"),
    "horizon_2037": (SWEEP_OK.replace("2022-12", "2037-12"), "key 'horizon'"),
    "input_after_the_horizon": (SWEEP_OK + SWEEP_INPUT + 'start = "2023-01"\n', "key 'input[1].start'"),
    "not_utf8": (b"name = \"\xff\xfe\"\n", "UTF-8"),
    "sobol_samples_1": (SWEEP_OK + 'design = "sobol"\nsamples = 1\n' + SWEEP_INPUT.replace("levels = [0.0, 0.01]",
                        "range = [0.0, 0.01]") + SWEEP_INPUT.replace("public_investment", "public_services").replace(
                        "levels = [0.0, 0.01]", "range = [0.0, 0.01]"), "at least 8"),
    # 2**24 base samples (over 10^7): about 67 million points; refused for memory, disk or time
    "sobol_10_to_the_7_samples": (SWEEP_OK + 'design = "sobol"\nsamples = 16777216\n' + SWEEP_INPUT.replace(
        "levels = [0.0, 0.01]", "range = [0.0, 0.01]") + SWEEP_INPUT.replace("public_investment", "public_services")
        .replace("levels = [0.0, 0.01]", "range = [0.0, 0.01]"), "134,217,728 runs of scale 0.003"),
}


def _sweep_refusal(capsys, tmp_path, monkeypatch, text, status=2) -> str:
    """Run `kunshan sweep` on an experiment file, deep inside tmp_path; tmp_path must be unchanged."""
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    experiment = work / "experiment.toml"
    if isinstance(text, bytes):
        experiment.write_bytes(text)
    else:
        experiment.write_text(text.replace("/{tmp}", str(tmp_path)), encoding="utf-8")
    monkeypatch.chdir(work)
    before = _tree(tmp_path)
    err = _one_line_refusal(capsys, main(["sweep", "experiment.toml", "--workers", "1"]), status=status)
    assert _tree(tmp_path) == before  # nothing written, not even results/
    return err


@pytest.mark.parametrize("case", sorted(SWEEP_HOSTILE))
def test_hostile_experiment_file_is_refused_in_one_line(case, tmp_path, monkeypatch, capsys):
    text, fragment = SWEEP_HOSTILE[case]
    err = _sweep_refusal(capsys, tmp_path, monkeypatch, text)
    assert fragment in err


def test_an_experiment_file_that_is_a_fifo_is_refused_without_hanging(tmp_path, monkeypatch, capsys):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    monkeypatch.chdir(tmp_path)
    err = _one_line_refusal(capsys, main(["sweep", str(fifo)]))
    assert "not a regular file" in err and sorted(p.name for p in tmp_path.iterdir()) == ["fifo.toml"]


def test_a_huge_sweep_is_refused_even_with_yes_and_never_told_to_try_its_own_size(tmp_path, monkeypatch, capsys):
    text, _ = SWEEP_HOSTILE["sobol_10_to_the_7_samples"]
    (tmp_path / "huge.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    err = _one_line_refusal(capsys, main(["sweep", "huge.toml", "--yes", "--workers", "2"]))
    assert "16777216" not in err and "--workers 2" not in err and "--scale 0.003" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.toml"]


@pytest.mark.parametrize("out, fragment", [("o" * 300, "at most 255 bytes"), ("/dev/null", "expected a folder"),
                                           ("experiment.toml/x", "not a writable folder")])
def test_a_sweep_out_folder_that_cannot_be_one_is_refused_in_one_line(tmp_path, monkeypatch, capsys, out, fragment):
    (tmp_path / "experiment.toml").write_text(SWEEP_OK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    err = _one_line_refusal(capsys, main(["sweep", "experiment.toml", "--out", out, "--workers", "1"]))
    assert fragment in err and sorted(p.name for p in tmp_path.iterdir()) == ["experiment.toml"]
