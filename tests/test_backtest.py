"""`kunshan backtest`: forecasts from each origin use only that origin's rows, are scored against
later observations, and land in a results folder written atomically."""

from __future__ import annotations

import csv
import dataclasses
import math

import pytest

from model.cli import main
from model.data.observed import observations
from model.forecast.backtest import BACKTEST_COLUMNS, SCORE_COLUMNS, backtest_rows, possible_origins, score_rows
from model.forecast.scores import diebold_mariano, error


def _forecasts_only(rows):
    return [{k: v for k, v in r.items() if k != "observed"} for r in rows]


def test_the_default_origins_are_those_the_shipped_data_allow():
    assert possible_origins(observations()) == [2015, 2019, 2020, 2021, 2022]


def test_no_forecast_from_an_origin_depends_on_a_later_row():
    origins = [2019, 2020]
    shipped = backtest_rows(observations(), origins)
    later = tuple(dataclasses.replace(r, value=r.value * 0.7) if r.year > 2020 else r for r in observations())
    assert repr(_forecasts_only(backtest_rows(later, origins))) == repr(_forecasts_only(shipped))
    # ... and the later rows are what they are scored against
    assert any(r["year"] == 2021 and math.isfinite(r["observed"]) for r in shipped)


def test_scores_and_the_dm_test_on_the_shipped_gdp():
    rows = backtest_rows(observations(), [2019, 2020, 2021])
    scores = {(s["indicator"], s["horizon"], s["method"]): s for s in score_rows(rows)}
    drift = [r for r in rows if (r["indicator"], r["horizon"], r["method"]) == ("gdp", 1, "random_walk_drift")]
    last = [r for r in rows if (r["indicator"], r["horizon"], r["method"]) == ("gdp", 1, "last_growth")]
    assert [r["origin"] for r in drift] == [r["origin"] for r in last] == [2019, 2020, 2021]
    e_drift = [error(r["forecast"], r["observed"], "level") for r in drift]
    e_last = [error(r["forecast"], r["observed"], "level") for r in last]
    s = scores[("gdp", 1, "last_growth")]
    assert s["n"] == 3 and s["rmse"] == pytest.approx(math.sqrt(sum(e * e for e in e_last) / 3), rel=1e-12)
    assert s["dm_reference"] == "random_walk_drift" and s["dm_n"] == 3
    assert s["dm_statistic"] == pytest.approx(diebold_mariano(e_last, e_drift, 1).statistic, rel=1e-12)
    assert scores[("gdp", 1, "random_walk_drift")]["dm_reference"] == ""  # the reference itself
    # 2015 is not a GDP origin here: its forecasts of 2016-2018 have no observation to be scored against
    assert all(s["n"] >= 1 for s in scores.values())


def _read(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def backtest_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("backtest") / "bt"
    assert main(["backtest", "--out", str(out), "--origins", "2020", "2021", "--seeds", "2", "--scale", "0.005"]) == 0
    return out


def test_the_command_writes_every_output(backtest_folder):
    for name in ("backtest.csv", "scores.csv", "backtest.png", "README.md"):
        assert (backtest_folder / name).stat().st_size > 100, name
    assert tuple(_read(backtest_folder / "backtest.csv")[0]) == BACKTEST_COLUMNS
    assert tuple(_read(backtest_folder / "scores.csv")[0]) == SCORE_COLUMNS
    assert not list(backtest_folder.parent.glob(".*"))  # no partial folder left


def test_the_model_forecasts_from_every_buildable_origin_and_says_so(backtest_folder):
    rows = _read(backtest_folder / "backtest.csv")
    model = [r for r in rows if r["method"] == "model"]
    assert {r["origin"] for r in model} == {"2020", "2021"}
    assert {r["year"] for r in model if r["origin"] == "2020"} == {"2021", "2022", "2023"}
    assert {r["origin"] for r in rows if r["method"] == "random_walk_drift"} == {"2020", "2021"}
    gdp = next(r for r in model if r["indicator"] == "gdp" and r["year"] == "2022" and r["origin"] == "2021")
    assert gdp["observed"] == "5006.7" and float(gdp["p05"]) <= float(gdp["forecast"]) <= float(gdp["p95"])
    # from 2020 the model is scored at horizons 1 and 2
    scored = {(r["origin"], r["horizon"]) for r in model if r["indicator"] == "gdp" and r["observed"]}
    assert scored == {("2020", "1"), ("2020", "2"), ("2021", "1")}
    scores = [s for s in _read(backtest_folder / "scores.csv") if s["method"] == "model" and s["indicator"] == "gdp"]
    assert {(s["horizon"], s["n"]) for s in scores} == {("1", "2"), ("2", "1")}
    readme = (backtest_folder / "README.md").read_text(encoding="utf-8")
    assert "origin(s) 2020, 2021" in readme
    # which fit each origin used: the data vintage of the origin (tests/test_calibration_vintage.py)
    assert "from 2020, the SPECS defaults" in readme and "from 2021, model/data/calibrated_through_2021.toml" in readme
    assert "not fully out of sample" not in readme


def test_the_model_origins_are_those_the_state_can_be_built_at():
    from model.forecast.backtest import model_origins

    assert model_origins(observations()) == [2020, 2021, 2022]
