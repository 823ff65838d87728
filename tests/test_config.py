"""Scenario files: every kind of bad input is caught before a run, in one line naming file and key."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from model.cli import main
from model.config import ConfigError, load_scenario, scenario_from_text, with_overrides

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p.stem for p in (REPO / "scenarios").glob("*.toml"))
POLICY = '[[policies]]\nlever = "fdi_attraction"\ntarget = "all"\nstart = "2023-01"\nsize = 1.0\n'

# (file content, key the message must name, text the message must contain)
MALFORMED = {
    "unknown_key": ('horizn = "2025-12"\n', "horizn", "did you mean 'horizon'"),
    "wrong_type_scale": ('scale = "big"\n', "scale", "a number in (0.0, 1.0]"),
    "negative_scale": ("scale = -0.1\n", "scale", "got -0.1"),
    "horizon_past_2035": ('horizon = "2036-01"\n', "horizon", "2035-12"),
    "horizon_before_start": ('horizon = "2022-01"\n', "horizon", "after start 2022-01"),
    "bad_month": ('start = "2023-13"\n', "start", "YYYY-MM"),
    "start_not_january": ('start = "2022-05"\n', "start", "a January"),
    "date_not_string": ("start = 2023-01-01\n", "start", "YYYY-MM"),
    "zero_seeds": ("seeds = 0\n", "seeds", "integer from 1 to 100,000"),
    "duplicate_seeds": ("seeds = [1, 2, 2]\n", "seeds", "distinct"),
    "bool_root_seed": ("root_seed = true\n", "root_seed", "an integer from 0 to 2**63 - 1"),
    "path_in_name": ('name = "../evil"\n', "name", "no path"),
    "unknown_parameter": ("[parameters]\nvat_rat = 0.1\n", "parameters.vat_rat", "did you mean 'vat_rate'"),
    "parameter_out_of_range": ("[parameters]\nvat_rate = 0.9\n", "parameters.vat_rate", "[0.0, 0.3]"),
    "unknown_lever": (
        POLICY.replace("fdi_attraction", "fdi_atraction"),
        "policies[1].lever",
        "did you mean 'fdi_attraction'",
    ),
    "unknown_cluster": (
        POLICY.replace('"all"', '"electronic_core"'),
        "policies[1].target",
        "did you mean 'electronics_core'",
    ),
    "lever_size_out_of_range": (POLICY.replace("1.0", "9.0"), "policies[1].size", "[0.0, 5.0]"),
    "end_before_start": (POLICY + 'end = "2022-06"\n', "policies[1].end", "not before start 2023-01"),
    "policy_after_horizon": (POLICY.replace("2023-01", "2027-01"), "policies[1].start", "within the run"),
    "misspelt_lever_key": (POLICY.replace("lever =", "levr ="), "policies[1].levr", "did you mean 'lever'"),
    "lever_not_string": (
        POLICY.replace('"fdi_attraction"', '["fdi_attraction"]'),
        "policies[1].lever",
        "one of cluster_subsidy",
    ),
    "duplicate_targets": (
        POLICY.replace('"all"', '["new_display", "new_display"]'),
        "policies[1].target",
        "distinct cluster ids",
    ),
    "missing_size": (POLICY.replace("size = 1.0\n", ""), "policies[1].size", "required"),
    "target_on_economy_lever": (
        '[[policies]]\nlever = "public_services"\ntarget = "all"\nsize = 0.01\n',
        "policies[1].target",
        "one of start, end, size",
    ),
    "household_lever_cluster_target": (
        '[[policies]]\nlever = "rural_transfer"\ntarget = "services"\nsize = 1.0\n',
        "policies[1].target",
        "rural_households",
    ),
    "policies_not_array": ('[policies]\nlever = "public_services"\n', "policies", "[[policies]]"),
    "unknown_shock": ('[[shocks]]\nkind = "lockdwn"\nsize = 0.1\n', "shocks[1].kind", "did you mean 'lockdown'"),
    "unknown_market": (
        '[[shocks]]\nkind = "export_demand"\nmarket = "mars"\ncluster = "all"\nsize = -0.1\n',
        "shocks[1].market",
        "shanghai",
    ),
    "cluster_on_lockdown": (
        '[[shocks]]\nkind = "lockdown"\ncluster = "all"\nsize = 0.1\n',
        "shocks[1].cluster",
        "one of start, end, size",
    ),
    "exchange_rate_bad_year": (
        '[[shocks]]\nkind = "exchange_rate"\npath = { 1999 = 7.0 }\n',
        "shocks[1].path",
        "years 2000 to 2035",
    ),
    "extends_missing": ('extends = "basline"\n', "extends", "did you mean 'baseline'"),
}


def _expect_usage_error(args: list[str], tmp_path: Path, capsys, *fragments: str) -> str:
    """Exit status 2, one line on stderr holding every fragment, no traceback, nothing written."""
    out = tmp_path / "out"
    code = main([*args, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert not out.exists()
    assert not (tmp_path / "results").exists()
    assert not list(tmp_path.glob(".out.*"))
    return err


@pytest.fixture(autouse=True)
def _work_in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_scenario_is_one_line_naming_file_and_key(case, tmp_path, capsys):
    text, key, fragment = MALFORMED[case]
    path = tmp_path / f"{case}.toml"
    path.write_text('extends = "baseline"\n' + text if case != "extends_missing" else text, encoding="utf-8")
    _expect_usage_error(["run", str(path)], tmp_path, capsys, f"{case}.toml", f"key '{key}'", fragment)


def test_malformed_toml(tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\nscale = \n', encoding="utf-8")
    _expect_usage_error(["run", str(path)], tmp_path, capsys, "broken.toml", "expected valid TOML", "line 2")


def test_missing_file(tmp_path, capsys):
    _expect_usage_error(["run", str(tmp_path / "nowhere.toml")], tmp_path, capsys, "nowhere.toml", "readable")


def test_unreadable_file(tmp_path, capsys):
    path = tmp_path / "binary.toml"
    path.write_bytes(b'name = "\xff\xfe"\n')
    _expect_usage_error(["run", str(path)], tmp_path, capsys, "binary.toml", "UTF-8")


def test_cyclic_extends(tmp_path, capsys):
    (tmp_path / "a.toml").write_text('extends = "b"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a"\n', encoding="utf-8")
    _expect_usage_error(["run", str(tmp_path / "a.toml")], tmp_path, capsys, "b.toml", "key 'extends'", "a -> b -> a")


def test_error_in_parent_names_the_parent(tmp_path, capsys):
    (tmp_path / "parent.toml").write_text('extends = "baseline"\nscael = 0.1\n', encoding="utf-8")
    (tmp_path / "child.toml").write_text('extends = "parent"\n', encoding="utf-8")
    _expect_usage_error(
        ["run", str(tmp_path / "child.toml")], tmp_path, capsys, "parent.toml", "key 'scael'", "did you mean 'scale'"
    )


@pytest.mark.parametrize(
    "args, key",
    [
        (["--seeds", "0"], "--seeds"),
        (["--scale", "2"], "--scale"),
        (["--scale", "-0.5"], "--scale"),
        (["--scale", "abc"], "--scale"),
        (["--workers", "0"], "--workers"),
        (["--seeds", "many"], "--seeds"),
    ],
)
def test_bad_numbers_on_command_line(args, key, tmp_path, capsys):
    _expect_usage_error(["run", *args], tmp_path, capsys, key)


def test_out_folder_with_other_files_is_refused(tmp_path, capsys):
    precious = tmp_path / "out"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    assert main(["run", "--scale", "0.005", "--seeds", "1", "--out", str(precious)]) == 2
    err = capsys.readouterr().err
    assert "key '--out'" in err and len(err.strip().splitlines()) == 1
    assert (precious / "thesis.tex").read_text() == "years of work"


def test_compare_needs_results_folders(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    _expect_usage_error(
        ["compare", str(tmp_path / "empty"), str(tmp_path / "missing")],
        tmp_path,
        capsys,
        "empty",
        "annual.nc is missing",
    )
    _expect_usage_error(["compare", str(tmp_path / "empty")], tmp_path, capsys, "at least two")


def test_bad_netcdf_in_results_folder(tmp_path, capsys):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "annual.nc").write_bytes(b"\x80\x04not netcdf, and never unpickled")
    _expect_usage_error(["compare", str(tmp_path / "a"), str(tmp_path / "b")], tmp_path, capsys, "annual.nc", "netCDF")


def test_unknown_subcommand_and_no_subcommand(capsys):
    assert main(["frobnicate"]) == 2
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 2


# --- what a valid file becomes


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load_and_round_trip(name):
    scenario = load_scenario(REPO / "scenarios" / f"{name}.toml")
    assert scenario.name == name
    assert scenario_from_text(scenario.source_text) == scenario
    baseline = load_scenario()
    if name != "baseline":  # every story keeps the baseline's seeds and the 2022 lockdowns
        assert scenario.seeds == baseline.seeds and scenario.root_seed == baseline.root_seed
        assert all(shock in scenario.shocks for shock in baseline.shocks)
        assert scenario.policies or len(scenario.shocks) > len(baseline.shocks)


def test_embedded_baseline_defaults():
    baseline = load_scenario()
    assert (baseline.name, len(baseline.seeds), baseline.scale) == ("baseline", 10, 0.02)
    assert {s.kind for s in baseline.shocks} == {"lockdown", "export_demand", "price_level"}
    assert any(s.market == "shanghai" for s in baseline.shocks)


def test_shipped_scenarios_have_one_copy():
    """scenarios/ is a link to the package's folder: what people edit is what the package ships."""
    packaged = Path(str(resources.files("model.scenarios")))
    assert (REPO / "scenarios").resolve() == (REPO / "model" / "scenarios").resolve() == packaged.resolve()
    assert SHIPPED and all((packaged / f"{name}.toml").is_file() for name in SHIPPED)


def test_child_shortens_run_and_inherited_shocks_are_clipped(tmp_path):
    path = tmp_path / "short.toml"
    path.write_text('extends = "baseline"\nhorizon = "2022-04"\n', encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.name == "short"
    lockdown = next(s for s in scenario.shocks if s.kind == "lockdown")
    assert (lockdown.start, lockdown.end) == ("2022-04", "2022-04")
    later = tmp_path / "later.toml"
    later.write_text('extends = "baseline"\nhorizon = "2022-03"\n', encoding="utf-8")
    assert not any(s.kind == "lockdown" for s in load_scenario(later).shocks)  # the April lockdowns fall outside
    assert scenario_from_text(scenario.source_text) == scenario


def test_sibling_scenario_wins_over_shipped_and_lists_expand(tmp_path):
    shutil.copy(REPO / "scenarios" / "baseline.toml", tmp_path / "baseline.toml")
    with (tmp_path / "baseline.toml").open("a") as fh:
        fh.write("\n[parameters]\nvat_rate = 0.12\n")
    (tmp_path / "child.toml").write_text(
        'extends = "baseline"\n[parameters]\ncorporate_tax_rate = 0.2\n'
        + POLICY.replace('"all"', '["new_display", "new_medical"]'),
        encoding="utf-8",
    )
    scenario = load_scenario(tmp_path / "child.toml")
    assert scenario.parameters == {"vat_rate": 0.12, "corporate_tax_rate": 0.2}
    assert [p.target for p in scenario.policies] == ["new_display", "new_medical"]


def test_overrides_are_checked_and_recorded():
    scenario = with_overrides(load_scenario(), seeds=3, scale=0.01)
    assert scenario.seeds == (0, 1, 2) and "scale = 0.01" in scenario.source_text
    with pytest.raises(ConfigError, match="key '--scale'"):
        with_overrides(scenario, scale=0.0)
