"""`kunshan run NAME` (a shipped scenario by name) and a user's own target set (`--targets FILE`,
the scenario key `targets`): run, report and validate judge the run by it."""

from __future__ import annotations

import csv
import dataclasses

import pytest
import xarray as xr

from model import api, config, outputs
from model.cli import main
from model.config import ConfigError, load_scenario, named_or_file
from model.targets import load_targets, parse_targets, read_targets, recorded_targets, targets_text

PLAN_2030 = """
[[target]]
id = "gdp"
label_zh = "地区生产总值"
label_en = "Gross regional product"
year = 2022
value = 4900
unit = "yi_yuan"
comparison = ">="

[[target]]
id = "urban_rural_income_ratio"
label_en = "Urban-rural income ratio 2030"
year = 2030
value = 1.7
unit = "ratio"
comparison = "<="
"""
TINY = 'extends = "baseline"\nname = "tiny_plan"\nhorizon = "2022-12"\nseeds = 2\nscale = 0.005\n'


def test_a_shipped_name_is_the_shipped_file():
    by_name = named_or_file("industrial_push")
    assert by_name.name == "industrial_push"
    assert by_name == api.load_scenario("industrial_push")
    assert named_or_file("baseline").source_text == load_scenario().source_text


def test_unknown_name_lists_the_shipped_names(capsys):
    assert main(["run", "industrial_psh"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    for name in config.shipped_names():
        assert name in err
    assert "did you mean 'industrial_push'" in err


def test_a_file_still_works_and_wins_over_a_name(tmp_path, monkeypatch):
    (tmp_path / "baseline").write_text(TINY, encoding="utf-8")  # a file in the working folder named like one
    monkeypatch.chdir(tmp_path)
    assert named_or_file("baseline").name == "tiny_plan"


def test_the_article_targets_round_trip_through_the_recorded_text():
    again = parse_targets(targets_text(load_targets()), "<text>")
    assert again == load_targets()


@pytest.mark.parametrize(
    "text, key",
    [
        ('[[target]]\nid = "gdpp"\nyear = 2030\nvalue = 1\ncomparison = ">="\n', "target[1].id"),
        ('[[target]]\nid = "gdp"\nyear = 2040\nvalue = 1\ncomparison = ">="\n', "target[1].year"),
        ('[[target]]\nid = "gdp"\nyear = 2030\nvalue = "a lot"\ncomparison = ">="\n', "target[1].value"),
        ('[[target]]\nid = "gdp"\nyear = 2030\nvalue = 1\ncomparison = ">"\n', "target[1].comparison"),
        ('[[target]]\nid = "gdp"\nyear = 2030\ncomparison = ">="\n', "target[1].value"),
        ('[[target]]\nid = "gdp"\nyear = 2030\nvalue = 1\ncomparison = ">="\nlabel = "x"\n', "target[1].label"),
        ('[[target]]\nid = "cluster_output"\nyear = 2030\nvalue = 1\ncomparison = ">="\n', "target[1].id"),
    ],
)
def test_a_bad_target_set_is_one_line_naming_file_and_key(tmp_path, capsys, text, key):
    bad = tmp_path / "plan.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_targets(bad)
    assert err.value.key == key and str(bad) in str(err.value)
    assert main(["run", "baseline", "--targets", str(bad)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and len(out.err.strip().splitlines()) == 1 and key in out.err


def test_the_scenario_key_resolves_against_the_scenario_file(tmp_path):
    (tmp_path / "plan.toml").write_text(PLAN_2030, encoding="utf-8")
    (tmp_path / "s.toml").write_text(TINY + 'targets = "plan.toml"\n', encoding="utf-8")
    scenario = load_scenario(tmp_path / "s.toml")
    assert scenario.targets == str((tmp_path / "plan.toml").resolve())
    assert 'targets = "' in scenario.source_text
    assert config.scenario_from_text(scenario.source_text) == dataclasses.replace(scenario)


def test_run_judges_by_the_users_targets(tmp_path):
    (tmp_path / "plan.toml").write_text(PLAN_2030, encoding="utf-8")
    (tmp_path / "tiny.toml").write_text(TINY, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "tiny.toml"), "--targets", str(tmp_path / "plan.toml"), "--out", str(out)]) == 0
    with open(out / "targets.csv", newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["id"], r["year"]) for r in rows] == [("gdp", "2022"), ("urban_rural_income_ratio", "2030")]
    assert rows[0]["label_zh"] == "地区生产总值" and float(rows[0]["prob_met"]) >= 0.5  # GDP 2022 about 4,975
    assert rows[1]["mean"] == ""  # the run stops in 2022: not measured, never "met"
    with open(out / "uncertainty.csv", newline="", encoding="utf-8-sig") as fh:  # the spread of the same set
        assert [r["id"] for r in csv.DictReader(fh)] == ["gdp"]  # (2030 is beyond the run)
    with xr.open_dataset(out / "annual.nc", engine="h5netcdf") as annual:
        assert recorded_targets(annual) == read_targets(tmp_path / "plan.toml")
    assert "地区生产总值" in (out / "report.html").read_text(encoding="utf-8")
    # scenario.toml names the set, so running it again judges by it too
    assert load_scenario(out / "scenario.toml").targets == str((tmp_path / "plan.toml").resolve())
    # the folder records the set itself: it still opens (compare, validate) when the file is gone
    (tmp_path / "plan.toml").unlink()
    assert recorded_targets(outputs.open_run(out)) == parse_targets(PLAN_2030, "<plan>")
    with pytest.raises(ConfigError, match="targets"):  # but running its scenario.toml again needs the file
        load_scenario(out / "scenario.toml")
