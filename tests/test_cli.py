"""The `kunshan` command end to end, on a tiny model: what a user gets in a results folder."""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import model
from model import outputs
from model.cli import main
from model.config import load_scenario
from model.runner import run_scenario

TINY = 'extends = "baseline"\nname = "{name}"\nhorizon = "2022-12"\nseeds = 2\nscale = 0.005\n'
PUSH = '[[policies]]\nlever = "shanghai_integration"\nstart = "2022-02"\nsize = 0.5\n'
FIGURES = ("targets", "clusters", "incomes", "firm_tiers", "lorenz")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two tiny runs with the same seeds, one through a process pool, compared into the default folder."""
    root = tmp_path_factory.mktemp("cli")
    (root / "tiny_a.toml").write_text(TINY.format(name="tiny_a"), encoding="utf-8")
    (root / "tiny_b.toml").write_text(TINY.format(name="tiny_b") + PUSH, encoding="utf-8")
    assert main(["run", str(root / "tiny_a.toml"), "--out", str(root / "a")]) == 0
    assert main(["run", str(root / "tiny_b.toml"), "--out", str(root / "b"), "--workers", "2"]) == 0
    here = Path.cwd()
    os.chdir(root)
    try:
        assert main(["compare", "a", "b"]) == 0
    finally:
        os.chdir(here)
    return root


def test_run_writes_every_output(runs):
    folder = runs / "a"
    for name in outputs.RUN_FILES:
        assert (folder / name).is_file(), name
    for name in FIGURES:
        assert (folder / "figures" / f"{name}.png").stat().st_size > 1000, name
    assert not list(runs.glob(".*"))  # no temporary folders left behind


def test_annual_has_every_target_and_labels(runs):
    with xr.open_dataset(runs / "a" / "annual.nc", engine="h5netcdf") as annual:
        for target in outputs.load_targets():
            assert target.id in annual, target.id
        for name, var in annual.data_vars.items():
            assert var.attrs.get("units") and var.attrs.get("long_name"), name
        assert list(annual["seed"].values) == [0, 1]
        assert annual.attrs["scenario"] == load_scenario(runs / "tiny_a.toml").source_text
        for key in ("root_seed", "kunshan_version", "created_utc", "numpy_version", "mesa_version", "xarray_version"):
            assert key in annual.attrs, key
    with xr.open_dataset(runs / "a" / "monthly.nc", engine="h5netcdf") as monthly:
        assert all(v.attrs.get("units") and v.attrs.get("long_name") for v in monthly.data_vars.values())


def test_targets_csv_has_exact_columns_and_a_row_per_target(runs):
    with (runs / "a" / "targets.csv").open(encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert tuple(reader.fieldnames) == outputs.TARGET_COLUMNS
    assert [r["id"] for r in rows] == [t.id for t in outputs.load_targets()]
    gdp = next(r for r in rows if r["id"] == "gdp")
    assert float(gdp["p05"]) <= float(gdp["p50"]) <= float(gdp["p95"])
    assert 0.0 <= float(gdp["prob_met"]) <= 1.0
    late = next(r for r in rows if r["year"] == "2025")
    assert late["mean"] == "" and late["prob_met"] == ""  # the tiny run stops in 2022


@pytest.mark.parametrize("report", ["a/report.html", "results/compare_a_vs_b/report.html"])
def test_report_is_self_contained(runs, report):
    text = (runs / report).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(?!data:)[a-z]+:""", text, re.I)
    assert not re.search(r"https?://", text)
    assert "<img" in text and "data:image/png;base64," in text
    assert "电子信息产业规模" in text and "Electronic information industry output" in text


def test_compare_pairs_seeds(runs):
    folder = runs / "results" / "compare_a_vs_b"
    with (folder / "compare.csv").open(encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert tuple(reader.fieldnames) == outputs.COMPARE_COLUMNS
    assert len(rows) == len(outputs.load_targets())
    gdp = next(r for r in rows if r["id"] == "gdp")
    assert gdp["method"] == "paired" and gdp["n"] == "2"
    assert float(gdp["diff_p05"]) <= float(gdp["diff_mean"]) <= float(gdp["diff_p95"])
    for name in ("targets_overlay", "differences"):
        assert (folder / "figures" / f"{name}.png").is_file()


def test_compare_never_overwrites_its_inputs(runs, capsys):
    before = (runs / "a" / "annual.nc").read_bytes()
    assert main(["compare", str(runs / "a"), str(runs / "b"), "--out", str(runs / "a")]) == 2
    assert "key '--out'" in capsys.readouterr().err
    assert (runs / "a" / "annual.nc").read_bytes() == before


def test_rerun_replaces_and_interrupted_run_leaves_the_old_result(runs, monkeypatch, capsys):
    out = runs / "again"
    shutil.copytree(runs / "a", out)
    before = (out / "annual.nc").read_bytes()
    assert main(["run", str(runs / "tiny_a.toml"), "--seeds", "1", "--out", str(out)]) == 0
    replaced = (out / "annual.nc").read_bytes()
    assert replaced != before
    assert "gdp" in capsys.readouterr().out

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.figures, "save_figures", interrupt)  # after the netCDF files are written
    assert main(["run", str(runs / "tiny_a.toml"), "--seeds", "1", "--out", str(out)]) == 130
    assert (out / "annual.nc").read_bytes() == replaced
    assert not list(runs.glob(".again*"))
    assert "interrupted" in capsys.readouterr().err


def test_results_do_not_depend_on_worker_count():
    scenario = load_scenario()
    kwargs = dict(seeds=[3, 5], scale=0.005)
    short = dataclasses.replace(scenario, horizon="2022-06")
    one = run_scenario(short, workers=1, **kwargs)
    two = run_scenario(short, workers=2, **kwargs)
    for a, b in zip(one, two):
        xr.testing.assert_identical(a, b)


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"kunshan {model.__version__}"
    for args in (["--help"], ["run", "--help"], ["compare", "--help"]):
        assert main(args) == 0
        assert "usage: kunshan" in capsys.readouterr().out


def _fake_annual(seeds, root_seed, gdp, scale=0.01):
    ds = xr.Dataset(
        {"gdp": (("seed", "year"), [[v, v] for v in gdp])},
        coords={"seed": list(seeds), "year": [2021, 2022]},
        attrs={"root_seed": root_seed, "scenario": f'name = "fake"\nscale = {scale}\n'},
    )
    return ds


def test_compare_rows_pair_only_common_random_numbers():
    base = _fake_annual([0, 1, 2], 7, [4900.0, 5000.0, 5100.0])
    same_seeds = _fake_annual([1, 2, 3], 7, [5010.0, 5110.0, 9999.0])
    other_root = _fake_annual([0, 1, 2], 8, [5010.0, 5110.0, 5210.0])
    paired, independent = (
        next(r for r in outputs.compare_rows([("base", base), ("x", x)]) if r["id"] == "gdp")
        for x in (same_seeds, other_root)
    )
    assert (paired["method"], paired["n"], paired["diff_mean"]) == ("paired", 2, pytest.approx(10.0))
    assert paired["diff_p05"] == pytest.approx(10.0) and paired["diff_p95"] == pytest.approx(10.0)
    assert (independent["method"], independent["n"]) == ("independent", 9)
    assert independent["diff_p05"] < 10.0 < independent["diff_p95"]


def test_compare_pairs_only_runs_at_the_same_scale():
    """The same seed at another scale draws for another population: no paired effect (issue 17, 6)."""
    base = _fake_annual([0], 7, [5000.0], scale=0.01)
    bigger = _fake_annual([0], 7, [5300.0], scale=0.02)
    (row,) = (r for r in outputs.compare_rows([("base", base), ("big", bigger)]) if r["id"] == "gdp")
    assert (row["method"], row["n"], row["diff_mean"]) == ("independent", 1, pytest.approx(300.0))
    assert "scales differ (0.01 vs 0.02)" in row["pairing"]
    assert np.isnan(row["diff_p05"]) and np.isnan(row["diff_p95"])  # one difference is no band
    (same,) = (
        r for r in outputs.compare_rows([("base", base), ("b", _fake_annual([0], 7, [5100.0]))]) if r["id"] == "gdp"
    )
    assert same["method"] == "paired" and same["pairing"].startswith("paired by seed")
    assert outputs.pairing_lines([row]) == [f"big against base: {row['pairing']}"]


def test_compare_says_how_it_paired(runs):
    with (runs / "results" / "compare_a_vs_b" / "compare.csv").open(encoding="utf-8-sig") as fh:
        gdp = next(r for r in csv.DictReader(fh) if r["id"] == "gdp")
    assert gdp["pairing"].startswith("paired by seed") and "scale 0.005" in gdp["pairing"]


def test_report_gives_the_answer_first_and_reads_without_seeing(runs):
    """Issue 17, 16: verdict first and provenance last, years as years, table headers, alt texts,
    Chinese marked as Chinese; the comparison shades rows only by a column it shows."""
    text = (runs / "a" / "report.html").read_text(encoding="utf-8")
    assert text.index("<h2>Targets") < text.index("P(met)") < text.index("<h2>Figures") < text.index("<h2>Provenance")
    assert text.index("<h2>Provenance") < text.index("code_digest")
    assert ">2025<" in text and "2,025" not in text
    assert text.count("<thead>") == 2  # the targets, then where their spread comes from (uncertainty.csv)
    assert text.index("<h2>Targets") < text.index("<h2>Where the spread comes from") < text.index("<h2>Figures")
    alts = re.findall(r'<img alt="([^"]*)"', text)
    assert len(alts) == len(FIGURES) and all(len(alt) > 40 for alt in alts)
    chinese = re.findall(r"<td[^>]*>[^<]*[\u4e00-\u9fff][^<]*</td>", text)
    assert chinese and all('lang="zh"' in cell for cell in chinese)
    compare = (runs / "results" / "compare_a_vs_b" / "report.html").read_text(encoding="utf-8")
    head = re.search(r"<thead>(.*?)</thead>", compare).group(1)
    assert "prob_met_scenario" in head and "Rows are shaded by P(met)" in compare
    assert "paired by seed" in compare
