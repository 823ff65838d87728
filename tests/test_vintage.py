"""No look-ahead: a forecast made at the end of its origin year uses only rows of years up to it.

Every row after the origin is perturbed (and rows of new indicators are added after it); the derived
quantities of the initial state, and a small run, must come out identical. A user's observed-data
file (--observed, scenario key `observed`) is read, checked line by line, and actually used.
"""

from __future__ import annotations

import csv
import dataclasses
import io

import numpy as np
import pytest

from model.cli import main
from model.config import ConfigError, load_scenario, scenario_from_text, with_overrides
from model.data import derive
from model.data.observed import (
    COLUMNS,
    LookAhead,
    Vintage,
    load_vintage,
    observations,
    read_observations,
    shipped_vintage,
)
from model.run import simulate
from model.scenario import Scenario

ORIGIN = 2021


def _csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r.indicator, r.year, repr(r.value), r.unit, r.grade, r.source])
    return out.getvalue()


def _perturbed_after(origin: int):
    """Every row after the origin scaled by 1.37, and later rows of indicators absent before."""
    rows = [dataclasses.replace(r, value=r.value * 1.37) if r.year > origin else r for r in observations()]
    known_later = {r.indicator for r in observations() if r.year == origin + 1}
    latest = {r.indicator: r for r in sorted(observations(), key=lambda r: r.year) if r.year <= origin}
    later = [
        dataclasses.replace(r, year=origin + 1, value=r.value * 0.5)
        for name, r in latest.items()
        if name not in known_later
    ]
    return tuple(rows + later)


def _derived(v: Vintage) -> dict:
    t = derive.initial_targets(v)
    out = {f.name: getattr(t, f.name) for f in dataclasses.fields(t)}
    out.update(
        broad=derive.broad_strategic_core_weight(v),
        survey=derive.urban_weight_in_income_survey(v),
        run_rate=derive.run_rate_at_year_end(v),
    )
    return out


def test_a_vintage_refuses_rows_after_its_origin():
    v = shipped_vintage(ORIGIN)
    assert max(r.year for r in v.rows) == ORIGIN
    with pytest.raises(LookAhead):
        v.value("gdp", ORIGIN + 1)
    assert v.value("gdp", ORIGIN) == 4748.06


def test_rows_after_the_origin_change_no_derived_quantity():
    perturbed = _perturbed_after(ORIGIN)
    assert any(r.year > ORIGIN for r in perturbed) and len(perturbed) > len(observations())
    shipped, other = _derived(shipped_vintage(ORIGIN)), _derived(Vintage.of(perturbed, ORIGIN, "perturbed"))
    assert shipped.keys() == other.keys()
    for name in shipped:
        np.testing.assert_array_equal(other[name], shipped[name], err_msg=name)


def test_rows_up_to_the_origin_do_change_them():
    """The check above is not empty: a 2021 row moves the derived state."""
    rows = tuple(
        dataclasses.replace(r, value=r.value * 1.1) if (r.indicator, r.year) == ("gdp_secondary", ORIGIN) else r
        for r in observations()
    )
    assert not np.array_equal(
        derive.initial_targets(Vintage.of(rows, ORIGIN, "changed")).cluster_output,
        derive.initial_targets(shipped_vintage(ORIGIN)).cluster_output,
    )


@pytest.fixture(scope="module")
def perturbed_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("vintage") / "perturbed.csv"
    path.write_text(_csv(_perturbed_after(ORIGIN)), encoding="utf-8")
    return path


def test_a_small_run_is_identical_whatever_the_rows_after_the_origin(perturbed_file):
    small = Scenario(horizon="2022-06", scale=0.02)
    shipped = simulate(small, seed=0)
    other = simulate(dataclasses.replace(small, observed=str(perturbed_file)), seed=0)
    for name in shipped.annual.data_vars:
        np.testing.assert_array_equal(other.annual[name].values, shipped.annual[name].values, err_msg=name)
    for name in shipped.monthly.data_vars:
        np.testing.assert_array_equal(other.monthly[name].values, shipped.monthly[name].values, err_msg=name)


def test_an_observed_file_reaches_the_initial_state(tmp_path):
    row = ("disposable_income_per_capita", ORIGIN)
    rows = tuple(dataclasses.replace(r, value=70000.0) if (r.indicator, r.year) == row else r for r in observations())
    path = tmp_path / "newer.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    assert load_vintage(path).value(*row) == 70000.0
    scenario = with_overrides(Scenario(horizon="2022-02", scale=0.005), observed=str(path))
    annual = simulate(scenario, seed=0).annual
    assert annual["disposable_income_per_capita"].sel(year=ORIGIN).item() == pytest.approx(70000.0, rel=1e-6)


def test_the_scenario_key_resolves_against_its_file_and_round_trips(tmp_path, perturbed_file):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "mine.csv").write_text(perturbed_file.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "s.toml").write_text('extends = "baseline"\nobserved = "data/mine.csv"\n', encoding="utf-8")
    scenario = load_scenario(tmp_path / "s.toml")
    assert scenario.observed == str((tmp_path / "data" / "mine.csv").resolve())
    assert scenario_from_text(scenario.source_text).observed == scenario.observed
    assert load_scenario().observed is None


BAD = {
    "header": ("indicator,year,value\ngdp,2021,1\n", "line 1"),
    "value": ("indicator,year,value,unit,grade,source\ngdp,2021,lots,yi_yuan,B,x\n", "'value'"),
    "year": ("indicator,year,value,unit,grade,source\ngdp,21,1,yi_yuan,B,x\n", "'year'"),
    "grade": ("indicator,year,value,unit,grade,source\ngdp,2021,1,yi_yuan,Z,x\n", "'grade'"),
    "fields": ("indicator,year,value,unit,grade,source\ngdp,2021,1,yi_yuan,B,x,y\n", "line 2"),
    "twice": ("indicator,year,value,unit,grade,source\ngdp,2021,1,yi_yuan,B,x\ngdp,2021,2,yi_yuan,B,y\n", "line 3"),
    "nan": ("indicator,year,value,unit,grade,source\ngdp,2021,nan,yi_yuan,B,x\n", "finite"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_observed_file_is_one_line_and_exit_2(case, tmp_path, capsys):
    text, says = BAD[case]
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", "--observed", str(path), "--out", str(out), "--seeds", "1", "--scale", "0.005"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.csv" in err and says in err, err
    assert not out.exists()


def test_a_missing_observed_file_is_one_line(tmp_path, capsys):
    assert main(["run", "--observed", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--observed" in err and "none.csv" in err, err
    with pytest.raises(ConfigError):
        with_overrides(Scenario(), observed=str(tmp_path / "none.csv"))


def test_the_shipped_file_reads_back_through_the_user_reader():
    from importlib import resources

    with resources.as_file(resources.files("model.data").joinpath("observed_kunshan.csv")) as path:
        assert read_observations(path) == observations()
    assert not [
        r
        for r in observations()
        if r.year >= 2023
        and r.indicator not in ("above_scale_industrial_enterprises", "enterprises_revenue_ge_1_yi", "new_enterprises")
    ]
