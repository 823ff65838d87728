"""Reliability at the edges: bad results folders, too little memory, signals, a full disk, and
provenance good enough to repeat a run bit for bit.

Every refusal must be one line on stderr, exit status 2 (bad input) or 1 (the machine failed),
no traceback, and nothing written: a planning tool that half-answers is worse than one that
says no.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import pickle
import re
import signal
import subprocess
import sys
import time
import tomllib
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import model
from model import outputs, runner
from model.cli import main
from model.config import ConfigError, load_scenario, scenario_from_text
from model.run import simulate
from model.runner import run_scenario
from model.scenario import Scenario

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
    "file_not_folder": (lambda d: (__import__("shutil").rmtree(d), d.write_text("x")), "not a folder"),
    "fifo_not_folder": (lambda d: (__import__("shutil").rmtree(d), os.mkfifo(d)), "not a folder"),
    "empty_folder": (lambda d: [p.unlink() for p in d.glob("*.nc")], "annual.nc is missing"),
    "monthly_missing": (lambda d: (d / "monthly.nc").unlink(), "monthly.nc is missing"),
    "annual_truncated_half": (lambda d: _truncate(d / "annual.nc", 0.5), "a complete netCDF file"),
    "annual_truncated_to_header": (lambda d: _truncate(d / "annual.nc", 0.02), "a complete netCDF file"),
    "annual_empty": (lambda d: _truncate(d / "annual.nc", 0.0), "a complete netCDF file"),
    "monthly_truncated": (lambda d: _truncate(d / "monthly.nc", 0.6), "monthly.nc"),
    "annual_is_a_pickle": (
        lambda d: (d / "annual.nc").write_bytes(pickle.dumps(_Payload(d.parent / "EXECUTED"))),
        "a complete netCDF file",
    ),
    "other_format_version": (
        lambda d: (
            _rewrite(
                d / "annual.nc",
                d / "annual.nc.new",
                lambda ds: ds.assign_attrs(results_format=outputs.RESULTS_FORMAT + 1),
            )
            or (d / "annual.nc.new").replace(d / "annual.nc")
        ),
        "key 'results_format'",
    ),
    "no_format_version": (
        lambda d: (
            _rewrite(d / "monthly.nc", d / "m.new", lambda ds: ds.drop_attrs())
            or (d / "m.new").replace(d / "monthly.nc")
        ),
        "got 'none'",
    ),
    "no_provenance": (
        lambda d: (
            _rewrite(
                d / "annual.nc",
                d / "a.new",
                lambda ds: (
                    ds.assign_attrs(scenario=None)
                    and ds.drop_attrs().assign_attrs(results_format=outputs.RESULTS_FORMAT)
                ),
            )
            or (d / "a.new").replace(d / "annual.nc")
        ),
        "no scenario, root_seed",
    ),
}


def _resign(folder: Path) -> None:
    """A fresh manifest for a crafted folder: a manifest is a record, not a signature, so the
    checks of the data themselves must hold even when it matches."""
    from model.outputs.manifest import write_manifest

    write_manifest(folder, "run")


def _crafted(name: str, change):
    """Rewrite one file of the folder and its manifest: content checks, not the manifest, must catch it."""

    def spoil(d: Path) -> None:
        _rewrite(d / name, d / f"{name}.new", change)
        (d / f"{name}.new").replace(d / name)
        _resign(d)

    return spoil


def _fifo(name: str):
    def spoil(d: Path) -> None:
        (d / name).unlink()
        os.mkfifo(d / name)

    return spoil


BAD_FOLDERS.update(
    {  # issue 17: tampered, crafted and non-regular inputs
        "tampered_gdp_1e30": (
            lambda d: (
                _rewrite(d / "annual.nc", d / "a.new", lambda ds: ds.assign(gdp=ds["gdp"] * 0 + 1e30))
                or (d / "a.new").replace(d / "annual.nc")
            ),
            "annual.nc has changed since kunshan wrote it",
        ),
        "tampered_report": (
            lambda d: (d / "targets.csv").write_text("id\n", encoding="utf-8"),
            "targets.csv has changed since kunshan wrote it",
        ),
        "manifest_missing": (lambda d: (d / "manifest.json").unlink(), "manifest.json is missing"),
        "manifest_not_json": (lambda d: (d / "manifest.json").write_text("{", encoding="utf-8"), "the JSON manifest"),
        "manifest_escapes_folder": (
            lambda d: (d / "manifest.json").write_text(
                '{"written_by": "kunshan", "files": {"../../etc/passwd": "0"}}', encoding="utf-8"
            ),
            "paths inside the folder",
        ),
        "listed_file_missing": (lambda d: (d / "scenario.toml").unlink(), "scenario.toml is missing"),
        "annual_is_a_fifo": (_fifo("annual.nc"), "annual.nc is not a regular file"),
        "manifest_is_a_fifo": (_fifo("manifest.json"), "manifest.json is not a regular file"),
        "listed_file_is_a_fifo": (_fifo("targets.csv"), "targets.csv is not a regular file"),
        "strings_for_numbers": (_crafted("annual.nc", lambda ds: ds.assign(gdp=ds["gdp"].astype(str))), "key 'gdp'"),
        "duplicate_seeds": (_crafted("annual.nc", lambda ds: ds.assign_coords(seed=[0, 0])), "key 'seed'"),
        "fractional_seeds": (_crafted("annual.nc", lambda ds: ds.assign_coords(seed=[0.7, 1.0])), "key 'seed'"),
        "negative_seeds": (_crafted("annual.nc", lambda ds: ds.assign_coords(seed=[-1, 1])), "key 'seed'"),
        "missing_year": (_crafted("annual.nc", lambda ds: ds.rename({"year": "yr"})), "no year"),
        "years_backwards": (
            _crafted("annual.nc", lambda ds: ds.assign_coords(year=ds["year"].values[::-1])),
            "key 'year'",
        ),
        "monthly_other_seeds": (_crafted("monthly.nc", lambda ds: ds.assign_coords(seed=[5, 6])), "key 'seed'"),
        "scenario_not_toml": (_crafted("annual.nc", lambda ds: ds.assign_attrs(scenario="x = [")), "valid TOML"),
        "root_seed_text": (_crafted("annual.nc", lambda ds: ds.assign_attrs(root_seed="7")), "key 'root_seed'"),
    }
)
# fmt: off
COMMANDS = {
    "compare": lambda good, bad: ["compare", str(good), str(bad)],
    "reproduce": lambda good, bad: ["reproduce", str(bad)],
    "validate": lambda good, bad: ["validate", str(bad)],
}
# fmt: on


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(BAD_FOLDERS))
def test_bad_results_folder_is_refused_in_one_line(command, case, tiny_run, tmp_path, monkeypatch, capsys):
    import shutil

    bad = tmp_path / "bad"
    shutil.copytree(tiny_run, bad)
    spoil, fragment = BAD_FOLDERS[case]
    spoil(bad)
    monkeypatch.chdir(tmp_path)
    before, good = _tree(tmp_path), _contents(tiny_run)
    with _no_hang():
        err = _one_line_refusal(capsys, main(COMMANDS[command](tiny_run, bad)))
    assert fragment in err and "bad" in err
    assert _tree(tmp_path) == before  # nothing written, not even results/
    assert _contents(tiny_run) == good  # no earlier input damaged
    assert not (tmp_path / "EXECUTED").exists()


def _contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@contextmanager
def _no_hang(seconds: int = 120):
    """Fail, instead of waiting for ever, where a FIFO given as input would block a read."""

    def stop(signum, frame):
        raise TimeoutError("blocked reading an input")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


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

FORBIDDEN = re.compile(
    r"pickle\.loads?\(|\beval\(|\bexec\(|allow_pickle\s*=\s*True|yaml\.(unsafe_)?load\(|"
    r"marshal\.loads?\(|shelve\.open\(|__import__\(|runpy\."
)


def test_no_input_is_ever_unpickled_or_executed():
    offenders = [
        f"{p.relative_to(REPO)}:{n}"
        for p in sorted((REPO / "model").rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if FORBIDDEN.search(line.split("#")[0])
    ]
    assert offenders == []


def test_config_errors_survive_a_worker_process():
    """A refusal raised in a `--workers` process is pickled back to the parent, still one line."""
    from model.init import InfeasibleParameters

    for error in (
        ConfigError("a.toml", "scale", "a number", 2.0, "scale"),
        ConfigError("b.toml", None, "x"),
        InfeasibleParameters("local buyers would demand too much", ("vat_rate",)),
    ):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error)


def test_infeasible_parameters_are_one_line_not_a_traceback(tmp_path, capsys):
    path = tmp_path / "impossible.toml"
    path.write_text(
        'extends = "baseline"\nscale = 0.003\nseeds = 1\nhorizon = "2022-02"\n[parameters]\n'
        "import_share_final_demand = 0.3\nconsumption_propensity_income = 0.85\n"
        "consumption_propensity_wealth = 0.1\n",
        encoding="utf-8",
    )
    err = _one_line_refusal(capsys, main(["run", str(path), "--out", str(tmp_path / "out")]))
    assert "end-2021 economy" in err and "consumption_propensity_income" in err
    assert not (tmp_path / "out").exists()


def test_a_budget_without_taxes_is_refused(tmp_path, capsys):
    """Found with KUNSHAN_PROPERTY_EXAMPLES=1500: with every tax rate at 0 the local tax share that
    matches 2021's revenue was 1/0, and the first month failed on NaN probabilities."""
    path = tmp_path / "untaxed.toml"
    path.write_text(
        'extends = "baseline"\nscale = 0.003\nseeds = 1\nhorizon = "2022-02"\n[parameters]\n'
        "vat_rate = 0.0\npersonal_tax_rate = 0.0\ncorporate_tax_rate = 0.0\n",
        encoding="utf-8",
    )
    err = _one_line_refusal(capsys, main(["run", str(path), "--out", str(tmp_path / "out")]))
    assert "no tax raises anything" in err and "vat_rate" in err and "corporate_tax_rate" in err
    assert not (tmp_path / "out").exists()


# --- crash safety


def test_disk_full_is_one_line_and_leaves_nothing(tiny_run, tmp_path, monkeypatch, capsys):
    scenario = tmp_path / "tiny.toml"
    scenario.write_text(TINY, encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs.targets, "write_csv", full)
    err = _one_line_refusal(
        capsys, main(["run", str(scenario), "--seeds", "1", "--out", str(tmp_path / "out")]), status=1
    )
    assert "out: the disk is full" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]

    def hdf5_full(*args, **kwargs):  # how h5py reports it: the reason in the text, no errno
        raise OSError(
            "Can't write data (file write failed: time = now, errno = 28, error message = 'No space left on device')"
        )

    monkeypatch.undo()
    monkeypatch.setattr(outputs.figures, "save_figures", hdf5_full)
    _one_line_refusal(capsys, main(["compare", str(tiny_run), str(tiny_run), "--out", str(tmp_path / "c")]), status=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.toml"]


@pytest.mark.filterwarnings("ignore:No artists with labels")
def test_other_write_errors_are_not_mistaken_for_a_full_disk(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(outputs.targets, "write_csv", broken)
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
    return subprocess.Popen(
        [sys.executable, "-m", "model", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


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
    (tmp_path / "big.toml").write_text(
        'extends = "baseline"\nname = "big"\nhorizon = "2023-12"\nseeds = 3\nscale = 0.01\n', encoding="utf-8"
    )
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
    (tmp_path / "long.toml").write_text(
        'extends = "baseline"\nname = "long"\nhorizon = "2035-12"\nseeds = 2\nscale = 0.4\n', encoding="utf-8"
    )
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

    shifted = params.default_parameters().with_overrides(
        {"natural_unemployment_rate": 0.07, "export_demand_growth": 0.01}
    )
    monkeypatch.setattr("model.model.default_parameters", lambda *a, **k: shifted)
    assert main(["run", str(tiny_run / "scenario.toml"), "--out", str(tmp_path / "rerun")]) == 0
    with xr.open_dataset(tiny_run / "annual.nc") as old, xr.open_dataset(tmp_path / "rerun" / "annual.nc") as new:
        _same_data(old.load(), new.load())


def test_reproduce_does_not_blame_the_code_for_a_tampered_folder(tiny_run, tmp_path, capsys):
    """A folder changed after it was written is refused in one line, before any run (issue 17, 5)."""
    import shutil

    tampered = tmp_path / "tampered"
    shutil.copytree(tiny_run, tampered)
    _rewrite(tiny_run / "annual.nc", tampered / "annual.nc", lambda ds: ds.assign(gdp=ds["gdp"] * 1.000001))
    err = _one_line_refusal(capsys, main(["reproduce", str(tampered)]))
    assert "annual.nc has changed since kunshan wrote it" in err and "bug" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tampered"]


@pytest.mark.parametrize(
    "change, differs",
    [
        (lambda ds: ds.assign_coords(year=ds["year"].values + 3), "annual.year"),
        (lambda ds: ds.assign(gdp=ds["gdp"] * 1.000001), "annual.gdp"),
        (lambda ds: ds.assign(gdp=ds["gdp"].assign_attrs(units="yuan")), "annual.gdp"),
        (lambda ds: ds.assign_attrs(scenario_name="renamed"), "annual attribute scenario_name"),
    ],
)
def test_reproduce_compares_coordinates_and_attributes(change, differs, tiny_run, tmp_path, capsys):
    """Values alone are not the run: years shifted by three, or other units, are no reproduction
    (issue 17, 4). The manifest is rewritten so that the comparison itself is what is tested."""
    import shutil

    crafted = tmp_path / "crafted"
    shutil.copytree(tiny_run, crafted)
    _crafted("annual.nc", change)(crafted)
    assert main(["reproduce", str(crafted), "--out", str(tmp_path / "again")]) == 1
    err = capsys.readouterr().err
    assert "NOT identical" in err and differs in err


# --- hostile inputs (issue 17): each is refused in one line, exit status 2, before anything is
# simulated; nothing is written and no earlier input or result changes


def _scenario_file(text: str):
    return lambda root: (root / "s.toml").write_text('extends = "baseline"\n' + text, encoding="utf-8")


def _calibration_file(text: str):
    return lambda root: (root / "c.toml").write_text(text, encoding="utf-8")


def _fifo(root: Path, name: str = "s.toml") -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(root / name)


def _nested(depth: int):
    return lambda root: (root / "s.toml").write_text(f"seeds = {'[' * depth}{']' * depth}\n", encoding="utf-8")


HOSTILE = {  # name -> (files it makes in a fresh folder, command line, text the one line must hold)
    "start_after_the_initial_state": (
        _scenario_file('start = "2024-01"\n'),
        ["run", "s.toml"],
        "s.toml: key 'start': expected an origin year at whose end the shipped data allow",
    ),
    "arrays_nested_1000_deep": (_nested(1000), ["run", "s.toml"], "s.toml: expected TOML without arrays"),
    "a_trillion_seeds": (
        _scenario_file("seeds = 1_000_000_000_000\n"),
        ["run", "s.toml"],
        "key 'seeds': expected a count of seeds",
    ),
    "root_seed_2_to_the_70": (
        _scenario_file(f"root_seed = {2**70}\n"),
        ["run", "s.toml"],
        "key 'root_seed': expected an integer from 0 to 2**63 - 1",
    ),
    "seed_2_to_the_64": (_scenario_file(f"seeds = [0, {2**64}]\n"), ["run", "s.toml"], "key 'seeds'"),
    "seed_2_to_the_63": (_scenario_file(f"seeds = [{2**63}]\n"), ["run", "s.toml"], "key 'seeds'"),
    "scenario_is_a_fifo": (_fifo, ["run", "s.toml"], "s.toml: expected a readable UTF-8 scenario file; got 'not"),
    "scenario_is_a_folder": (lambda root: (root / "s.toml").mkdir(), ["run", "s.toml"], "got 'a folder'"),
    "tiny_scale": (lambda root: None, ["run", "--scale", "0.00001"], "key '--scale': expected a scale of at least"),
    "out_under_proc": (
        lambda root: None if Path("/proc/self").is_dir() else pytest.skip("no /proc"),
        ["run", "--out", "/proc/kunshan"],
        "cannot create anything in /proc",
    ),
    "out_empty": (lambda root: None, ["run", "--out", ""], "not the current folder"),
    "out_dot": (lambda root: None, ["run", "--out", "."], "not the current folder"),
    "out_parent": (lambda root: None, ["run", "--out", "earlier/../.."], "not the current folder or one containing"),
    "out_300_characters": (lambda root: None, ["run", "--out", "r" * 300], "names of at most"),
    "out_inside_a_file": (
        lambda root: None,
        ["run", "--out", "earlier/annual.nc/run"],
        "earlier/annual.nc is a file; got 'earlier/annual.nc/run'",
    ),
    "out_is_the_null_device": (lambda root: None, ["run", "--out", os.devnull], "a folder path; this is a file"),
    "run_for_hours": (lambda root: None, ["run", "--seeds", "2000", "--scale", "1"], "key '--yes'"),
    "run_calibration_is_a_scenario": (
        _scenario_file(""),
        ["run", "--calibration", "s.toml"],
        "s.toml: key 'parameters': expected a calibration file",
    ),
    "run_calibration_out_of_range": (
        _calibration_file("[parameters]\nvat_rate = 0.9\n"),
        ["run", "--calibration", "c.toml"],
        "c.toml: key 'parameters.vat_rate'",
    ),
    "run_calibration_is_a_fifo": (
        lambda root: _fifo(root, "c.toml"),
        ["run", "--calibration", "c.toml"],
        "c.toml: expected a readable UTF-8 calibration file",
    ),
    "validate_calibration_with_a_folder": (
        _calibration_file("[parameters]\n"),
        ["validate", "earlier", "--calibration", "c.toml"],
        "key '--calibration': expected no results folder DIR",
    ),
    "validate_tiny_scale": (lambda root: None, ["validate", "--scale", "0.0001"], "key '--scale': expected a scale"),
    "calibrate_negative_seed": (lambda root: None, ["calibrate", "--seed", "-1"], "key '--seed'"),
    "calibrate_out_is_a_folder": (
        lambda root: None,
        ["calibrate", "--out", "earlier"],
        "key '--out': expected a file path; this is a folder",
    ),
    "calibrate_out_over_another_file": (
        lambda root: None,
        ["calibrate", "--out", "earlier/annual.nc"],
        "this file is something else",
    ),
    "calibrate_out_in_a_missing_place": (
        lambda root: None,
        ["calibrate", "--out", "earlier/annual.nc/c.toml"],
        "earlier/annual.nc is a file",
    ),
    "calibrate_date_with_a_newline": (lambda root: None, ["calibrate", "--date", 'x"\ny'], "key '--date'"),
    "calibrate_tiny_scale": (lambda root: None, ["calibrate", "--scale", "0.0001"], "key '--scale'"),
    "calibrate_for_days": (lambda root: None, ["calibrate", "--maxiter", "100000", "--workers", "1"], "key '--yes'"),
}

# Every command that writes a folder checks its --out as `run` does (model/writable.py), before any work.
_EXPERIMENT = 'base = "baseline"\nseeds = 1\nscale = 0.003\nhorizon = "2022-12"\n'
_WRITERS = {  # command -> (files it needs, its command line without --out)
    "compare": (lambda root: None, ["compare", "earlier", "earlier"]),
    "reproduce": (lambda root: None, ["reproduce", "earlier"]),
    "validate": (lambda root: None, ["validate", "earlier"]),
    "sweep": (
        lambda root: (root / "e.toml").write_text(_EXPERIMENT, encoding="utf-8"),
        ["sweep", "e.toml", "--workers", "1"],
    ),
    "backtest": (lambda root: None, ["backtest", "--seeds", "1", "--scale", "0.003"]),
}
_BAD_OUTS = {  # name -> (--out, text the one line must hold)
    "out_under_proc": ("/proc/kunshan", "cannot create anything in /proc"),
    "out_empty": ("", "not the current folder"),
    "out_dot": (".", "not the current folder"),
    "out_parent": ("earlier/../..", "not the current folder or one containing"),
    "out_300_characters": ("r" * 300, "names of at most"),
    "out_inside_a_file": ("earlier/annual.nc/x", "earlier/annual.nc is a file; got 'earlier/annual.nc/x'"),
    "out_is_the_null_device": (os.devnull, "a folder path; this is a file"),
}
for _command, (_make, _argv) in _WRITERS.items():
    for _case, (_out, _fragment) in _BAD_OUTS.items():
        if _case == "out_under_proc" and not Path("/proc/self").is_dir():
            continue
        HOSTILE[f"{_command}_{_case}"] = (_make, [*_argv, "--out", _out], _fragment)
HOSTILE.update(
    {  # `export` writes a file: the same checks for a file
        "export_out_under_proc": (
            lambda root: None,
            ["export", "earlier", "--out", "/proc/x.csv"],
            "cannot create anything in /proc",
        ),
        "export_out_300_characters": (
            lambda root: None,
            ["export", "earlier", "--out", "x" * 300 + ".csv"],
            "names of at most",
        ),
        "export_out_dot": (lambda root: None, ["export", "earlier", "--out", "."], "not the current folder"),
    }
)
HOSTILE.update(
    {  # time and scale are checked before validate's and sweep's own runs, as for `run`
        "validate_for_hours": (
            lambda root: None,
            ["validate", "--micro-seeds", "2000", "--scale", "1", "--seeds", "2", "--workers", "1"],
            "key '--yes'",
        ),
        "validate_a_folder_for_hours": (
            lambda root: None,
            ["validate", "earlier", "--micro-seeds", "1000000", "--workers", "1"],
            "key '--yes'",
        ),
        "sweep_tiny_scale": (
            _WRITERS["sweep"][0],
            ["sweep", "e.toml", "--workers", "1", "--scale", "0.0001"],
            "--scale: expected a scale of at least 0.001",
        ),
        "sweep_file_tiny_scale": (
            lambda root: (root / "e.toml").write_text(_EXPERIMENT.replace("0.003", "0.0005"), encoding="utf-8"),
            ["sweep", "e.toml", "--workers", "1"],
            "key 'scale': expected a scale of at least",
        ),
    }
)
HOSTILE["sweep_out_contains_the_experiment"] = (
    lambda root: (root / "x").mkdir() or (root / "x" / "e.toml").write_text(_EXPERIMENT, encoding="utf-8"),
    ["sweep", "x/e.toml", "--workers", "1", "--out", "x"],
    "--out x: expected a new or empty folder",
)


def _contents(folder: Path) -> dict[str, bytes | str]:
    """Every path under the folder with the bytes of its regular files (a FIFO is not read)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else ("dir" if p.is_dir() else "other")
        for p in sorted(folder.rglob("*"))
    }


def _hung(signum, frame):
    raise TimeoutError("the command hung on its input")


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_refused_in_one_line_before_anything_runs(case, tiny_run, tmp_path, monkeypatch, capsys):
    import shutil

    make, argv, fragment = HOSTILE[case]
    shutil.copytree(tiny_run, tmp_path / "earlier")  # an earlier result that must survive
    make(tmp_path)
    monkeypatch.chdir(tmp_path)

    def never(*args, **kwargs):
        raise AssertionError("a simulation started although the input is bad")

    monkeypatch.setattr("model.model.build_state", never)
    monkeypatch.setattr("model.calibration.msm.calibrate", never)
    before = _contents(tmp_path)
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(60)
    try:
        err = _one_line_refusal(capsys, main(argv))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert fragment in err
    assert _contents(tmp_path) == before


API_MISUSE = {  # name -> (call, text the ValueError must hold)
    "simulate_scale_nan": (lambda: simulate(Scenario(horizon="2022-02"), 0, float("nan")), "key 'scale'"),
    "simulate_fractional_seed": (lambda: simulate(Scenario(horizon="2022-02"), 0.7, 0.003), "key 'seed'"),
    "simulate_negative_seed": (lambda: simulate(Scenario(horizon="2022-02"), -1, 0.003), "key 'seed'"),
    "simulate_tiny_scale": (lambda: simulate(Scenario(horizon="2022-02"), 0, 1e-6), "a scale of at least"),
    "simulate_hand_built_late_start": (lambda: simulate(Scenario(start="2024-01"), 0, 0.003), "scenario.start"),
    "simulate_not_a_scenario": (lambda: simulate("baseline.toml"), "key 'scenario'"),
    "run_scenario_duplicate_seeds": (
        lambda: run_scenario(Scenario(horizon="2022-02"), seeds=[1, 1], scale=0.003),
        "key 'seeds'",
    ),
    "run_scenario_float_seeds": (
        lambda: run_scenario(Scenario(horizon="2022-02"), seeds=[0.5], scale=0.003),
        "key 'seeds'",
    ),
    "run_scenario_no_seeds": (lambda: run_scenario(Scenario(horizon="2022-02"), seeds=[], scale=0.003), "key 'seeds'"),
    "run_scenario_scale_above_one": (
        lambda: run_scenario(Scenario(horizon="2022-02"), seeds=1, scale=2.0),
        "key 'scale'",
    ),
    "run_scenario_zero_workers": (
        lambda: run_scenario(Scenario(horizon="2022-02"), seeds=1, workers=0),
        "key 'workers'",
    ),
    "scenario_from_bytes": (lambda: scenario_from_text(b'name = "x"'), "expected TOML text (a str)"),
    "scenario_from_nested_text": (lambda: scenario_from_text("x = " + "[" * 1000 + "]" * 1000), "nested hundreds deep"),
}


@pytest.mark.parametrize("case", sorted(API_MISUSE))
def test_python_api_checks_its_arguments_like_the_command_line(case, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("a simulation started although an argument is bad")

    monkeypatch.setattr("model.model.build_state", never)
    call, fragment = API_MISUSE[case]
    with pytest.raises(ValueError, match=re.escape(fragment)) as refused:
        call()
    assert "\n" not in str(refused.value)


def test_python_api_takes_numpy_integers_as_seeds():
    from model.config import check_arguments

    checked = check_arguments("run_scenario()", seeds=list(np.arange(3)), seed=np.int64(4), scale=np.float32(0.5))
    assert checked["seeds"] == (0, 1, 2) and type(checked["seeds"][0]) is int and checked["seed"] == 4


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
    "not_utf8": (b'name = "\xff\xfe"\n', "UTF-8"),
    "sobol_samples_1": (
        SWEEP_OK
        + 'design = "sobol"\nsamples = 1\n'
        + SWEEP_INPUT.replace("levels = [0.0, 0.01]", "range = [0.0, 0.01]")
        + SWEEP_INPUT.replace("public_investment", "public_services").replace(
            "levels = [0.0, 0.01]", "range = [0.0, 0.01]"
        ),
        "at least 8",
    ),
    # 2**24 base samples (over 10^7): about 67 million points; refused for memory, disk or time
    "sobol_10_to_the_7_samples": (
        SWEEP_OK
        + 'design = "sobol"\nsamples = 16777216\n'
        + SWEEP_INPUT.replace("levels = [0.0, 0.01]", "range = [0.0, 0.01]")
        + SWEEP_INPUT.replace("public_investment", "public_services").replace(
            "levels = [0.0, 0.01]", "range = [0.0, 0.01]"
        ),
        "134,217,728 runs of scale 0.003",
    ),
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


# --- calibration files: written where the user works, used only when asked for


@pytest.mark.slow
def test_calibrate_writes_in_the_current_folder_and_run_uses_it_when_asked(tmp_path, monkeypatch, capsys):
    from importlib import resources

    installed = resources.files("model.data").joinpath("calibrated.toml")
    before = installed.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert (
        main(
            [
                "calibrate",
                "--seeds",
                "2",
                "--scale",
                "0.004",
                "--maxiter",
                "1",
                "--workers",
                "1",
                "--date",
                "2030-01-02",
            ]
        )
        == 0
    )
    assert installed.read_bytes() == before  # the installed package is never rewritten
    written = tmp_path / "calibrated.toml"
    assert "--calibration calibrated.toml" in capsys.readouterr().out
    assert tomllib.loads(written.read_text())["date"] == "2030-01-02"
    again = main(["calibrate", "--seeds", "2", "--scale", "0.004", "--maxiter", "1", "--workers", "1"])
    assert again == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["calibrated.toml"]  # replaced, no leftovers


def test_run_with_a_calibration_file_records_its_parameters_under_the_scenarios_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.toml").write_text(
        "[parameters]\nnatural_unemployment_rate = 0.071\nexport_demand_growth = 0.05\n", encoding="utf-8"
    )
    (tmp_path / "s.toml").write_text(TINY + "[parameters]\nexport_demand_growth = 0.01\n", encoding="utf-8")
    assert main(["run", "s.toml", "--seeds", "1", "--calibration", "c.toml", "--out", "out"]) == 0
    pinned = tomllib.loads(outputs.open_run(tmp_path / "out").attrs["parameters"])["parameters"]
    assert pinned["natural_unemployment_rate"] == 0.071 and pinned["export_demand_growth"] == 0.01
    assert "natural_unemployment_rate = 0.071" in (tmp_path / "out" / "scenario.toml").read_text()


def test_validate_and_sweep_run_with_the_calibration_file(tmp_path, monkeypatch):
    """The file reaches the scenario each command simulates (the runs themselves are stopped)."""
    from model.calibration import validate
    from model.sweep import engine

    (tmp_path / "c.toml").write_text(
        "[parameters]\nnatural_unemployment_rate = 0.071\n[scenario]\nlockdown_size = 0.3\n", encoding="utf-8"
    )
    seen = {}

    class Stop(Exception):
        pass

    def capture(name):
        def stop(*args, **kwargs):
            seen[name] = kwargs.get("scenario") or args[0].base_scenario
            raise Stop

        return stop

    monkeypatch.setattr(validate, "validate", capture("validate"))
    monkeypatch.setattr(engine, "run_sweep", capture("sweep"))
    with pytest.raises(Stop):
        main(["validate", "--calibration", str(tmp_path / "c.toml")])
    with pytest.raises(Stop):
        main(["sweep", str(REPO / "experiments" / "policy_grid.toml"), "--calibration", str(tmp_path / "c.toml")])
    assert seen["validate"].parameters["natural_unemployment_rate"] == 0.071
    assert {s.size for s in seen["validate"].shocks if s.kind == "lockdown"} == {0.3}
    assert seen["sweep"].parameters["natural_unemployment_rate"] == 0.071


# --- what a run costs, estimated before it starts


def test_memory_estimate_counts_the_results_of_every_seed(monkeypatch, capsys):
    one_seed = runner.memory_estimate(0.02, 1, seeds=1, months=168)
    assert runner.memory_estimate(0.02, 1, seeds=100_000, months=168) > 10e9 > one_seed
    monkeypatch.setattr(runner, "available_memory", lambda: 4e9)
    many = Scenario(seeds=tuple(range(100_000)), horizon="2035-12", scale=0.02)
    with pytest.raises(ConfigError, match="fewer seeds") as refused:
        runner.check_memory(many)
    assert "--scale" not in str(refused.value).split("try")[1]  # no scale makes 100,000 seeds fit
    runner.check_memory(dataclasses.replace(many, seeds=(0,)))


@pytest.mark.parametrize("free_gb", [0.2, 0.3, 0.5, 0.9, 2.0, 7.0])
@pytest.mark.parametrize("processes", [1, 2, 8])
def test_a_memory_refusal_suggests_only_a_smaller_scale_that_fits(free_gb, processes, monkeypatch):
    from model.config import MIN_SCALE

    monkeypatch.setattr(runner, "available_memory", lambda: free_gb * 1e9)
    for scale in (0.001, 0.0011, 0.01, 0.05, 0.1, 0.3, 0.5, 1.0):
        try:
            runner.check_memory_of(scale, processes, seeds=10, months=48)
        except ConfigError as refused:
            suggested = re.search(r"--scale ([0-9.e-]+)", str(refused))
            if suggested:
                fits = float(suggested.group(1))
                assert MIN_SCALE <= fits < scale
                assert runner.memory_estimate(fits, processes, 10, 48) <= free_gb * 1e9
        else:
            assert runner.memory_estimate(scale, processes, 10, 48) <= free_gb * 1e9


def test_time_estimate_follows_the_measured_figures_and_the_cpus(monkeypatch):
    # docs/performance.md (2 December, session 3's final code): 0.255 s at scale 0.02 and 11.2 s at
    # 1.0 for 48 months (build included)
    assert runner.seconds_per_seed(0.02, 48) == pytest.approx(0.255, rel=0.35)
    assert runner.seconds_per_seed(1.0, 48) == pytest.approx(11.2, rel=0.15)
    monkeypatch.setattr(runner, "usable_cpus", lambda: 2)
    two = runner.time_estimate(0.5, 168, runs=60, processes=2)
    assert runner.time_estimate(0.5, 168, runs=60, processes=60) == pytest.approx(two)  # 60 workers share 2 CPUs
    assert runner.time_estimate(0.5, 168, runs=60, processes=1) > 1.9 * two - runner.WORKER_START_SECONDS * 2


def test_a_long_run_needs_yes_and_says_how_long(capsys):
    with pytest.raises(ConfigError, match=r"key '--yes'.*about 2\.0 h"):
        runner.check_time(7200.0, "1,000 run(s)", yes=False)
    runner.check_time(7200.0, "1,000 run(s)", yes=True)
    assert capsys.readouterr().err == "kunshan: 1,000 run(s): about 2.0 h (estimate)\n"
    runner.check_time(5.0, "a short run", yes=False)
    assert capsys.readouterr().err == ""  # not at a terminal, a short run says nothing


def test_a_huge_sweep_is_refused_even_with_yes_and_never_told_to_try_its_own_size(tmp_path, monkeypatch, capsys):
    text, _ = SWEEP_HOSTILE["sobol_10_to_the_7_samples"]
    (tmp_path / "huge.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    err = _one_line_refusal(capsys, main(["sweep", "huge.toml", "--yes", "--workers", "2"]))
    assert "16777216" not in err and "--workers 2" not in err and "--scale 0.003" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.toml"]


# --- hostile command lines: each refused in one line, exit 2, nothing written, no input damaged.
# Each case gets a folder P holding the tiny run as P/v and the scenario as P/tiny.toml, and runs in P.


def _with(setup, argv):
    def prepare(P: Path) -> list[str]:
        setup(P)
        return argv(P)

    return prepare


def _crafted_copy(name: str, change):
    def setup(P: Path) -> None:
        import shutil

        shutil.copytree(P / "v", P / name)
        _crafted("annual.nc", change)(P / name)

    return setup


HOSTILE_COMMAND_LINES = {  # name -> (argv for P, text the one line must contain)
    # --out at or above the current folder P: model/writable.py refuses it first, as for `run`
    "reproduce_out_dot": (lambda P: ["reproduce", "v", "--out", "."], "not the current folder"),
    "reproduce_out_is_parent": (lambda P: ["reproduce", str(P / "v"), "--out", str(P)], "or one containing it"),
    "reproduce_out_is_input": (lambda P: ["reproduce", "v", "--out", "v"], "does not contain the input"),
    "compare_out_is_parent": (lambda P: ["compare", "v", "v", "--out", str(P)], "or one containing it"),
    "compare_out_is_grandparent": (lambda P: ["compare", "v", "v", "--out", str(P.parent)], "or one containing it"),
    "compare_out_contains_an_input": (
        _with(
            lambda P: __import__("shutil").copytree(P / "v", P / "sub" / "v"),
            lambda P: ["compare", "sub/v", "v", "--out", "sub"],
        ),
        "does not contain the input sub/v",
    ),
    "compare_out_is_second_input": (
        _with(lambda P: __import__("shutil").copytree(P / "v", P / "w"), lambda P: ["compare", "v", "w", "--out", "w"]),
        "does not contain",
    ),
    "run_onto_results_with_user_file": (
        _with(lambda P: (P / "v" / "notes.txt").write_text("mine"), lambda P: ["run", "tiny.toml", "--out", "v"]),
        "files no kunshan manifest lists: notes.txt",
    ),
    "run_onto_user_folder": (
        _with(
            lambda P: (P / "kept").mkdir() or (P / "kept" / "a.csv").write_text("1"),
            lambda P: ["run", "tiny.toml", "--out", "kept"],
        ),
        "manifest lists: a.csv",
    ),
    "run_onto_folder_without_manifest": (
        _with(
            lambda P: (P / "old").mkdir() or [(P / "old" / n).write_text("x") for n in ("report.html", "annual.nc")],
            lambda P: ["run", "tiny.toml", "--out", "old"],
        ),
        "manifest lists: annual.nc, report.html",
    ),
    "run_onto_a_file": (
        _with(lambda P: (P / "f").write_text("x"), lambda P: ["run", "tiny.toml", "--out", "f"]),
        "this is a file",
    ),
    "run_out_empty": (lambda P: ["run", "tiny.toml", "--out", ""], "not the current folder"),
    "run_out_dot": (lambda P: ["run", "tiny.toml", "--out", "."], "not the current folder"),
    "run_out_300_characters": (lambda P: ["run", "tiny.toml", "--out", "x" * 300], "the file system's limit"),
    "validate_out_is_a_file": (
        _with(lambda P: (P / "f").write_text("x"), lambda P: ["validate", "v", "--out", "f"]),
        "this is a file",
    ),
    "validate_out_is_input": (lambda P: ["validate", "v", "--out", "v"], "does not contain the input"),
    "validate_workers_0": (lambda P: ["validate", "v", "--workers", "0"], "key '--workers'"),
    "validate_workers_negative": (lambda P: ["validate", "v", "--workers", "-1"], "key '--workers'"),
    "validate_run_starting_2024": (
        _with(
            _crafted_copy("late", lambda ds: ds.assign_coords(year=ds["year"].values + 2)),
            lambda P: ["validate", "late"],
        ),
        "got 'years 2023-2024'",
    ),
    "validate_run_ending_mid_2022": (
        _with(_crafted_copy("mid", lambda ds: ds.isel(year=[0])), lambda P: ["validate", "mid"]),
        "got 'years 2021-2021'",
    ),
    "export_over_a_user_file": (
        _with(lambda P: (P / "mine.csv").write_text("a,b\n"), lambda P: ["export", "v", "--tidy", "--out", "mine.csv"]),
        "something else",
    ),
    "export_tampered": (
        _with(lambda P: (P / "v" / "annual.nc").write_bytes(b"x"), lambda P: ["export", "v"]),
        "annual.nc",
    ),
    "verify_a_fifo": (_with(lambda P: os.mkfifo(P / "fifo"), lambda P: ["verify", "fifo"]), "not a folder"),
    "verify_without_manifest": (
        _with(lambda P: (P / "v" / "manifest.json").unlink(), lambda P: ["verify", "v"]),
        "manifest.json is missing",
    ),
    "verify_manifest_is_a_fifo": (
        _with(
            lambda P: (P / "v" / "manifest.json").unlink() or os.mkfifo(P / "v" / "manifest.json"),
            lambda P: ["verify", "v"],
        ),
        "manifest.json is not a regular file",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_COMMAND_LINES))
def test_hostile_command_line_is_refused_in_one_line(case, tiny_run, tmp_path, monkeypatch, capsys):
    import shutil

    P = tmp_path / "P"
    P.mkdir()
    shutil.copytree(tiny_run, P / "v")
    (P / "tiny.toml").write_text(TINY, encoding="utf-8")
    prepare, fragment = HOSTILE_COMMAND_LINES[case]
    argv = prepare(P)
    monkeypatch.chdir(P)
    before = {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}
    with _no_hang():
        err = _one_line_refusal(capsys, main(argv))
    assert fragment in err
    after = {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}
    assert after == before  # nothing written, nothing removed, no input changed


# --- manifest.json and `kunshan verify`


def _listed(folder: Path) -> dict[str, str]:
    import hashlib
    import json

    files = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert files == {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    return files


def test_every_folder_lists_every_file_it_wrote(tiny_run, tmp_path, capsys):
    assert {"annual.nc", "monthly.nc", "targets.csv", "report.html", "scenario.toml", "figures/targets.png"} <= set(
        _listed(tiny_run)
    )
    assert main(["compare", str(tiny_run), str(tiny_run), "--out", str(tmp_path / "c")]) == 0
    assert "tiny: paired by seed (common random numbers" in capsys.readouterr().out
    assert {"compare.csv", "report.html"} <= set(_listed(tmp_path / "c"))
    assert main(["verify", str(tmp_path / "c")]) == 0
    assert "intact" in capsys.readouterr().out


def test_verify_names_the_file_that_changed(tiny_run, tmp_path, capsys):
    import shutil

    folder = tmp_path / "v"
    shutil.copytree(tiny_run, folder)
    assert main(["verify", str(folder)]) == 0
    (folder / "notes.txt").write_text("a user's own file is not the folder's business")
    assert main(["verify", str(folder)]) == 0
    capsys.readouterr()
    data = bytearray((folder / "figures" / "lorenz.png").read_bytes())
    data[-20] ^= 1
    (folder / "figures" / "lorenz.png").write_bytes(bytes(data))
    err = _one_line_refusal(capsys, main(["verify", str(folder)]), status=1)
    assert "figures/lorenz.png has changed since kunshan wrote it" in err


def test_run_replaces_a_folder_holding_its_validation(tiny_run, tmp_path, monkeypatch):
    """A folder inside a result with its own manifest (what validate writes by default) is kunshan's too."""
    import shutil

    from model.outputs.manifest import foreign_files

    folder = tmp_path / "v"
    shutil.copytree(tiny_run, folder)
    with outputs.atomic_folder(folder / "validation", kind="validation") as tmp:
        (tmp / "validation.csv").write_text("check\n")
    assert foreign_files(folder) == []
    assert outputs.check_destination(folder) == folder
    (folder / "validation" / "mine.txt").write_text("x")
    assert foreign_files(folder) == ["validation/mine.txt"]


# --- validate: atomic, --strict


def _quick_validation(monkeypatch):
    """validate without its firm- and household-level runs: the folder logic is what is tested."""
    from model.calibration import validate

    monkeypatch.setattr(validate, "micro_runs", lambda *args: [])
    monkeypatch.setattr(
        validate, "stylized_checks", lambda micro, annual: ([validate.band_check("x", 1.0, 2.0, None)], {})
    )
    monkeypatch.setattr(
        "model.calibration.figures.write_all", lambda folder, *args: (folder / "f.png").write_bytes(b"p")
    )


def test_validate_strict_fails_when_a_check_fails(tiny_run, tmp_path, monkeypatch, capsys):
    _quick_validation(monkeypatch)
    assert main(["validate", str(tiny_run), "--out", str(tmp_path / "val")]) == 0
    assert main(["validate", str(tiny_run), "--out", str(tmp_path / "val"), "--strict"]) == 1
    assert "checks pass" in capsys.readouterr().out
    assert set(_listed(tmp_path / "val")) == {"validation.csv", "targets.csv", "f.png"}


@pytest.mark.parametrize(
    "failure, status, message",
    [
        (KeyboardInterrupt, 130, "interrupted; nothing was written"),
        (OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), 1, "the disk is full"),
    ],
)
def test_validate_leaves_no_partial_folder(failure, status, message, tiny_run, tmp_path, monkeypatch, capsys):
    """An interrupt or a full disk while validate writes: no folder, and the message is true."""
    import shutil

    from model.calibration import validate

    _quick_validation(monkeypatch)
    run = tmp_path / "v"
    shutil.copytree(tiny_run, run)
    before = _contents(run)

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(validate, "write_csv", fail)
    err = _one_line_refusal(capsys, main(["validate", str(run)]), status=status)
    assert message in err
    assert _contents(run) == before and sorted(p.name for p in tmp_path.iterdir()) == ["v"]


# --- NetCDF conventions and the tidy export


def test_netcdf_follows_cf_conventions(tmp_path):
    (tmp_path / "tiny.toml").write_text(TINY, encoding="utf-8")
    assert (
        main(["run", str(tmp_path / "tiny.toml"), "--seeds", "1", "--firm-snapshots", "--out", str(tmp_path / "r")])
        == 0
    )
    for name in ("annual.nc", "monthly.nc", "firms.nc"):
        with xr.open_dataset(tmp_path / "r" / name, engine="h5netcdf", mask_and_scale=False) as ds:
            assert ds.attrs["Conventions"] == "CF-1.10" and ds.attrs["title"].startswith("Kunshan scenario tiny")
            assert "kunshan" in ds.attrs["history"] and ds.attrs["created_utc"] in ds.attrs["history"]
            counts = [
                v
                for v in (
                    "firms_alive",
                    "above_scale_firms",
                    "unemployment_rate",
                    "urban_rural_income_ratio",
                    "firms_by_tier",
                    "employees",
                    "weight",
                )
                if v in ds
            ]
            assert counts and all(ds[v].attrs["units"] == "1" for v in counts)
    import h5py

    with xr.open_dataset(tmp_path / "r" / "firms.nc", engine="h5netcdf", mask_and_scale=False) as firms:
        for name in ("cluster", "ownership"):
            var = firms[name]
            assert len(var.attrs["flag_values"]) == len(var.attrs["flag_meanings"].split())
            assert var.attrs["_FillValue"] == -1 and var.dtype.kind == "i"
    with h5py.File(tmp_path / "r" / "firms.nc") as raw:
        assert raw["revenue"].compression == "gzip"


def test_tidy_export_has_one_row_per_value(tiny_run, tmp_path, capsys):
    import csv

    out = tmp_path / "tidy.csv"
    assert main(["export", str(tiny_run), "--tidy", "--out", str(out)]) == 0
    annual = outputs.open_run(tiny_run)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(var.size for var in annual.data_vars.values())  # no product of dimensions
    gdp = {(r["seed"], r["year"]): float(r["value"]) for r in rows if r["variable"] == "gdp"}
    assert gdp[("1", "2022")] == float(annual["gdp"].sel(seed=1, year=2022))
    electronics = next(r for r in rows if r["variable"] == "cluster_output" and r["coordinate"] == "electronics_core")
    assert electronics["dimension"] == "cluster" and electronics["units"] == "yi_yuan"
    assert main(["export", str(tiny_run), "--out", str(out)]) == 0  # an earlier export is replaced
    assert not list(tmp_path.glob(".*"))


def test_an_interrupt_after_writing_does_not_say_nothing_was_written(tiny_run, tmp_path, monkeypatch, capsys):
    """Stopped while comparing what it wrote, reproduce must not deny the folder it left."""

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs, "differences", interrupt)
    assert main(["reproduce", str(tiny_run), "--out", str(tmp_path / "again")]) == 130
    err = capsys.readouterr().err
    assert "again was written whole" in err and "nothing was written" not in err
    assert (tmp_path / "again" / "manifest.json").is_file()


def test_an_edited_validation_inside_a_run_does_not_block_the_run(tiny_run, tmp_path, capsys):
    import shutil

    folder = tmp_path / "v"
    shutil.copytree(tiny_run, folder)
    with outputs.atomic_folder(folder / "validation", kind="validation") as tmp:
        (tmp / "validation.csv").write_text("check\n")
    (folder / "validation" / "validation.csv").write_text("edited\n")
    outputs.open_results(folder)  # the run's own files are intact
    assert main(["verify", str(folder)]) == 1  # verify checks the folders inside too
    assert "validation/validation.csv has changed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "out, fragment",
    [
        ("o" * 300, "names of at most"),
        ("/dev/null", "this is a file"),
        ("experiment.toml/x", "experiment.toml is a file"),
    ],
)
def test_a_sweep_out_folder_that_cannot_be_one_is_refused_in_one_line(tmp_path, monkeypatch, capsys, out, fragment):
    (tmp_path / "experiment.toml").write_text(SWEEP_OK, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    err = _one_line_refusal(capsys, main(["sweep", "experiment.toml", "--out", out, "--workers", "1"]))
    assert fragment in err and sorted(p.name for p in tmp_path.iterdir()) == ["experiment.toml"]


def test_the_model_leaves_mesas_own_attributes_alone():
    """Mesa 3.5's Model has a `scenario` of its own; KunshanModel keeps its scenario under another
    name, so that it works with every Mesa 3 from 3.3 (pyproject.toml) to the newest."""
    from model.model import KunshanModel

    chosen = Scenario(horizon="2022-02", scale=0.003)
    m = KunshanModel(chosen, rng=0)
    assert m.kunshan_scenario is chosen and "scenario" not in vars(m)
    m.step()
    assert m.month == 1
