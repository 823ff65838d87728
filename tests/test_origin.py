"""The forecast origin (--origin YEAR, scenario key `origin`): the economy is built at the end of any
year the data allow, from the rows up to that year only, and the run starts the next January.

No look-ahead: at each buildable origin every later row is perturbed (and later rows of indicators
absent before are added); the derived state and a small run come out bit for bit identical. The
assumptions that carry figures the origin year does not publish (G1-G3, A4, F4; docs/DATA.md) are
checked against hand computations from the data rows.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from test_vintage import _csv, _perturbed_after  # the same rows a forecaster could not know

from model.cli import main
from model.config import ConfigError, OriginWarning, load_scenario, scenario_from_text, with_overrides
from model.data import derive
from model.data.observed import Vintage, observations
from model.run import simulate
from model.scenario import Scenario

REL = 1e-12
ORIGINS = (2020, 2021, 2022)


def _derived(v: Vintage) -> dict:
    t = derive.origin_figures(v)
    out = {f.name: getattr(t, f.name) for f in dataclasses.fields(t)}
    out.update(
        broad=derive.broad_strategic_core_weight(v),
        survey=derive.urban_weight_in_income_survey(v),
        growth=derive.above_scale_growth_at_origin(v),
    )
    return out


def test_the_shipped_data_allow_origins_2020_to_2022_and_default_to_2021():
    assert derive.buildable_origins(observations()) == list(ORIGINS)
    # 2022 has GDP, but not incomes, trade, budget revenue or registered population: they would rest
    # on G1/G2/C1, so the default is the latest year that publishes them all.
    assert derive.default_origin(observations()) == 2021
    assert load_scenario().start == "2022-01" and load_scenario().origin == 2021


@pytest.mark.parametrize("origin", ORIGINS)
def test_rows_after_the_origin_change_no_derived_quantity(origin):
    shipped = _derived(Vintage.of(observations(), origin))
    other = _derived(Vintage.of(_perturbed_after(origin), origin, "perturbed"))
    for name in shipped:
        np.testing.assert_array_equal(other[name], shipped[name], err_msg=name)


def test_the_origin_moves_the_derived_state():
    """Not an empty check: each origin is built from its own year's rows."""
    gdp = {o: derive.initial_targets(Vintage.of(observations(), o)).gdp for o in ORIGINS}
    assert gdp == {2020: 4276.76, 2021: 4748.06, 2022: 5006.7}


def test_g1_levels_not_published_for_the_origin_grow_with_nominal_gdp():
    v = Vintage.of(observations(), 2022)
    t = derive.initial_targets(v)
    g = 5006.7 / 4748.06
    assert t.all_income == pytest.approx(67871 * g, rel=REL)
    assert t.public_budget_revenue == pytest.approx(466.9 * g, rel=REL)
    assert t.exports_usd + t.imports_usd == pytest.approx(1066 * g, rel=REL)
    # C1: the ratio of 2021 holds; G2: registered population at its 2016-2021 rate for a year
    assert t.urban_income / t.rural_income == pytest.approx(1.87, rel=REL)
    assert t.registered_population == pytest.approx(114.33 * (114.33 / 82.35) ** (1 / 5), rel=REL)
    # observed 2022 rows are used as they are: GDP by sector, the pillars, the firm tiers
    assert derive.pillar_outputs(v) == (
        v.at_origin("electronic_information_output"),
        v.at_origin("equipment_manufacturing_output"),
    )
    assert derive.gdp_by_sector(v) == {"gdp_primary": 31.0, "gdp_secondary": 2614.4, "gdp_tertiary": 2361.3}
    assert t.exchange_rate == 6.73 and t.origin == 2022


def test_g3_a4_f4_carry_the_2020_origin():
    v = Vintage.of(observations(), 2020)
    parts = derive.gdp_by_sector(v)
    total_2019 = 30.34 + 2072.49 + 1942.23
    assert parts["gdp_secondary"] == pytest.approx(4276.76 * 2072.49 / total_2019, rel=REL)
    assert sum(parts.values()) == pytest.approx(4276.76, rel=REL)
    electronic, equipment = derive.pillar_outputs(v)  # A4: 80% + A2, A1 level 9000.8 (published for 2020)
    assert electronic + equipment == pytest.approx((0.80 + 0.015) * 9000.8, rel=REL)
    assert derive.firm_tiers(v) == (1, 12)  # F4
    assert derive.above_scale_growth_at_origin(v) == pytest.approx(
        next(r.value for r in observations() if (r.indicator, r.year) == ("above_scale_industrial_output_growth", 2020))
    )
    t = derive.initial_targets(v)
    assert t.exchange_rate == 6.90 and t.run_rate == pytest.approx(derive.run_rate_at_year_end(v), rel=REL)


@pytest.fixture(scope="module")
def perturbed_2020(tmp_path_factory):
    path = tmp_path_factory.mktemp("origin") / "perturbed_after_2020.csv"
    path.write_text(_csv(_perturbed_after(2020)), encoding="utf-8")
    return path


def _small(origin: int, **changes) -> Scenario:
    return Scenario(start=f"{origin + 1}-01", horizon=f"{origin + 1}-06", scale=0.005, uncertainty="seeds", **changes)


def test_a_run_from_2020_is_identical_whatever_the_rows_after_2020(perturbed_2020):
    """Every row of 2021 and 2022 (and a 2021 row of every indicator) changed: nothing moves."""
    shipped = simulate(_small(2020), seed=1)
    other = simulate(_small(2020, observed=str(perturbed_2020)), seed=1)
    for ds, ds2 in ((shipped.annual, other.annual), (shipped.monthly, other.monthly)):
        for name in ds.data_vars:
            np.testing.assert_array_equal(ds2[name].values, ds[name].values, err_msg=name)


@pytest.mark.parametrize("origin", (2020, 2022))
def test_the_first_year_of_a_run_is_its_origin_and_reproduces_it(origin):
    annual = simulate(_small(origin), seed=0).annual
    assert int(annual["year"].values[0]) == origin
    v = Vintage.of(observations(), origin)
    t = derive.initial_targets(v)
    assert annual["gdp"].sel(year=origin).item() == pytest.approx(t.gdp, rel=1e-6)
    assert annual["gdp_real_growth"].sel(year=origin).item() == v.at_origin("gdp_real_growth")
    assert annual["disposable_income_per_capita"].sel(year=origin).item() == pytest.approx(t.all_income, rel=1e-6)
    assert annual["exchange_rate"].sel(year=origin).item() == t.exchange_rate


def test_the_origin_key_sets_the_start_and_round_trips(tmp_path):
    (tmp_path / "s.toml").write_text('extends = "baseline"\norigin = 2020\n', encoding="utf-8")
    scenario = load_scenario(tmp_path / "s.toml")
    assert scenario.start == "2021-01" and scenario.origin == 2020 and len(scenario.shocks) == 3
    assert scenario_from_text(scenario.source_text).start == "2021-01"


def test_origin_and_start_must_agree(tmp_path):
    (tmp_path / "s.toml").write_text('origin = 2020\nstart = "2022-01"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="origin"):
        load_scenario(tmp_path / "s.toml")


def test_a_policy_before_the_origin_is_ignored_with_a_warning(tmp_path):
    (tmp_path / "s.toml").write_text(
        'extends = "baseline"\norigin = 2022\n\n[[policies]]\nlever = "public_services"\nstart = "2022-06"\n'
        'size = 0.01\n\n[[policies]]\nlever = "public_investment"\nstart = "2023-06"\nsize = 0.01\n',
        encoding="utf-8",
    )
    with pytest.warns(OriginWarning, match="ignored 4 policies and shocks") as caught:
        scenario = load_scenario(tmp_path / "s.toml")
    assert len(caught) == 1 and "policies[1] (from 2022-06)" in str(caught[0].message)
    assert scenario.shocks == () and [p.lever for p in scenario.policies] == ["public_investment"]


def test_origin_on_the_command_line_warns_in_one_line_and_runs(tmp_path, capsys):
    out = tmp_path / "o22"
    assert main(["run", "--origin", "2022", "--seeds", "1", "--scale", "0.005", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kunshan: warning: ignored 3 policies and shocks"), err
    import xarray as xr

    with xr.open_dataset(out / "annual.nc") as annual:
        assert int(annual["year"].values[0]) == 2022


@pytest.mark.parametrize("year", ["2019", "2023", "1850"])
def test_an_origin_the_data_do_not_allow_is_one_line_and_exit_2(year, tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", "--origin", year, "--seeds", "1", "--scale", "0.005", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--origin" in err and year in err, err
    assert not out.exists()


def test_observed_data_move_a_default_origin_but_not_a_named_one(tmp_path):
    """A user's file that publishes every level for 2022 starts the baseline from 2022."""
    later = [
        dataclasses.replace(r, year=2022, value=r.value * 1.05)
        for r in observations()
        if r.year == 2021
        and r.indicator in derive.ORIGIN_LEVELS
        and (r.indicator, 2022) not in {(o.indicator, o.year) for o in observations()}
    ]
    path = tmp_path / "newer.csv"
    path.write_text(_csv(observations() + tuple(later)), encoding="utf-8")
    with pytest.warns(OriginWarning):
        moved = with_overrides(load_scenario(), observed=str(path))
    assert moved.origin == 2022 and moved.shocks == ()
    assert with_overrides(load_scenario(), observed=str(path), origin=2021).origin == 2021
    (tmp_path / "s.toml").write_text('extends = "baseline"\norigin = 2021\n', encoding="utf-8")
    assert with_overrides(load_scenario(tmp_path / "s.toml"), observed=str(path)).origin == 2021


def test_the_shipped_default_origin_is_model_origin():
    from model.data.observed import MODEL_ORIGIN

    assert derive.default_origin(observations()) == MODEL_ORIGIN
