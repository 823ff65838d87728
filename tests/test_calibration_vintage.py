"""Calibration by data vintage (issue 15, item 4): a fit of the data up to a year uses nothing later,
the default vintage is the fit as it was, and the backtest forecasts from each origin with the fit of
that origin's vintage.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import numpy as np
import pytest
from test_vintage import _perturbed_after  # every row after a year scaled, and later rows of new indicators

from model.calibration import moments, msm
from model.calibration.calibrated import (
    NO_UNCERTAINTY,
    calibration_of_vintage,
    read_calibration,
    vintage_file_name,
    write_calibration,
)
from model.cli import main
from model.data.observed import observations
from model.forecast.backtest import fits_note, real_time_scenario
from model.params import SPECS, default_parameters
from model.uncertainty import drawn_parameters

VINTAGE = 2021
SERIES = moments.MOMENT_SERIES


def _fake_summaries(years, seeds=3, bump=0.0, after=None):
    """Run summaries with distinct numbers by seed and year; ``bump`` added to every year after ``after``."""
    return [
        {
            "years": list(years),
            **{
                name: [
                    1.0 + 0.1 * i + 0.01 * k + 0.001 * j + (bump if after is not None and y > after else 0.0)
                    for i, y in enumerate(years)
                ]
                for j, name in enumerate(SERIES)
            },
            "hill_final": 1.0 + 0.01 * k,
        }
        for k in range(seeds)
    ]


def _installed(name: str) -> dict:
    with resources.files("model.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


# --- (a) a vintage uses nothing after its year


def test_the_moments_of_vintage_2021_ignore_every_row_after_2021():
    perturbed = _perturbed_after(VINTAGE)
    assert any(r.year > VINTAGE for r in perturbed)
    assert moments.observed_moments(VINTAGE, rows=perturbed) == moments.observed_moments(VINTAGE)
    # the check is not empty: the default vintage reads the perturbed 2022 rows
    assert moments.observed_moments(rows=perturbed) != moments.observed_moments()


def test_vintage_2021_has_no_moment_of_2022_and_windows_up_to_2021():
    m = {x.name: x for x in moments.observed_moments(VINTAGE)}
    assert not [name for name in m if name.endswith("_2022")]
    assert m["gdp_real_growth_mean"].observed == pytest.approx(np.mean([0.075, 0.061, 0.040, 0.078]))
    assert m["gdp_real_growth_mean"].source == "gdp_real_growth 2015, 2019-2021: mean"
    assert m["firm_size_tail_exponent"].simulated_as.endswith(f"{VINTAGE}, mean over seeds")


def test_the_simulated_moments_of_vintage_2021_ignore_simulated_2022():
    years = range(moments.HISTORY_ORIGIN, moments.LAST_OBSERVED_YEAR + 1)
    base, moved = _fake_summaries(years), _fake_summaries(years, bump=5.0, after=VINTAGE)
    # runs that go on past the vintage cannot measure its year-end firm sizes: that moment is NaN
    a = moments.simulated_moments(base, VINTAGE)
    b = moments.simulated_moments(moved, VINTAGE)
    assert a.keys() == b.keys() == {x.name for x in moments.observed_moments(VINTAGE)}
    np.testing.assert_array_equal(list(a.values()), list(b.values()))
    # the growth windows pool the simulated years up to the vintage only: here 2021, over seeds
    real_2021 = [s["gdp_real_growth"][1] for s in base]
    assert a["gdp_real_growth_mean"] == pytest.approx(np.mean(real_2021))
    assert a["gdp_real_growth_sd"] == pytest.approx(np.std(real_2021, ddof=1))
    short = moments.simulated_moments(_fake_summaries(range(moments.HISTORY_ORIGIN, VINTAGE + 1)), VINTAGE)
    assert short["firm_size_tail_exponent"] == pytest.approx(1.01)


def test_vintage_2021_simulates_2021_only_and_fits_no_2022_quantity():
    history = moments.history_scenario(through=VINTAGE)
    assert (history.start, history.horizon, history.origin) == ("2021-01", "2021-12", 2020)
    assert not [s for s in history.shocks if s.start is not None and s.start > "2021-12"]
    names = msm.fitted(VINTAGE)
    assert "lockdown_size" not in names and "price_level_2022" not in names
    assert {"price_level_2021", "world_demand_2021"} <= set(names)
    assert [n for n in names if n in SPECS] == [n for n in msm.FITTED if n in SPECS]
    theta = msm.start_values(history, through=VINTAGE)
    applied = moments.apply_scenario_values(history, msm.split(theta)[1])
    assert not [s for s in applied.shocks if s.start is not None and s.start > "2021-12"]
    assert {s.start for s in applied.shocks} == {moments.HISTORY_START}


@pytest.mark.parametrize("year", [2019, 2020, 2023])
def test_a_vintage_without_a_fit_is_refused(year):
    with pytest.raises(moments.NoHistory, match="SPECS defaults" if year <= 2020 else "2022"):
        moments.check_through(year)


def test_the_command_refuses_vintage_2020_in_one_line(tmp_path, capsys):
    assert main(["calibrate", "--through", "2020", "--out", str(tmp_path / "c.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--through" in err and "SPECS defaults" in err
    assert not list(tmp_path.iterdir())


def test_a_tiny_fit_of_vintage_2021_writes_its_file(tmp_path):
    c = msm.calibrate(seeds=2, scale=0.004, root_seed=7, max_evaluations=2, workers=1, through=VINTAGE)
    text = msm.render_toml(c, "2001-01-01", "kunshan calibrate --through 2021")
    path = write_calibration(tmp_path / vintage_file_name(VINTAGE), text)
    assert path.name == "calibrated_through_2021.toml"
    assert "# Data vintage: through 2021." in text.splitlines()[2]
    data = tomllib.loads(text)
    assert set(data["parameters"]) | set(data["scenario"]) == set(msm.fitted(VINTAGE))
    assert [r["moment"] for r in data["fit"]] == [m.name for m in moments.observed_moments(VINTAGE)]
    assert data["uncertainty"]["names"] == [n for n in msm.FITTED if n in SPECS]
    assert read_calibration(path).parameters == data["parameters"]


# --- (b) the backtest forecasts from each origin with the fit of its vintage


def test_each_origin_of_the_backtest_takes_the_fit_of_its_vintage():
    installed = _installed("calibrated.toml")
    through_2021 = read_calibration(resources.files("model.data").joinpath("calibrated_through_2021.toml"))
    by_origin = {o: real_time_scenario(o, 2, 0.02, None) for o in (2020, 2021, 2022)}
    # 2020: the prior; no fit exists, and nothing is drawn around the defaults
    s = by_origin[2020]
    params = default_parameters().with_overrides(s.parameters)
    assert all(params.values[n] == SPECS[n].default for n in installed["parameters"])
    assert s.parameter_uncertainty == NO_UNCERTAINTY
    assert drawn_parameters(params, s.parameter_uncertainty, np.random.SeedSequence(1)) == params
    # 2021: the fit of the data up to 2021, its parameters and its covariance
    s = by_origin[2021]
    assert s.parameters == through_2021.parameters and s.parameter_uncertainty == through_2021.uncertainty
    assert through_2021.parameters != installed["parameters"]
    # 2022: the installed calibration (figures up to 2022)
    s = by_origin[2022]
    assert s.parameters == installed["parameters"]
    assert s.parameter_uncertainty["covariance"] == installed["uncertainty"]["covariance"]
    assert calibration_of_vintage(2025) == calibration_of_vintage(2022)
    note = fits_note([2020, 2021, 2022])
    assert "from 2020, the SPECS defaults" in note and "from 2021, model/data/calibrated_through_2021.toml" in note


def test_the_installed_vintage_file_is_a_fit_of_2021_by_its_recorded_command():
    data = _installed("calibrated_through_2021.toml")
    head = resources.files("model.data").joinpath("calibrated_through_2021.toml").read_text().splitlines()[:3]
    assert head[1].startswith("# Reproduce with: kunshan calibrate ") and head[1].endswith(" --through 2021")
    assert head[2].startswith("# Data vintage: through 2021.")
    assert [r["moment"] for r in data["fit"]] == [m.name for m in moments.observed_moments(VINTAGE)]
    full = _installed("calibrated.toml")  # the vintage is fitted with the full fit's settings
    assert (data["seeds"], data["scale"], data["root_seed"]) == (full["seeds"], full["scale"], full["root_seed"])


# --- (c) the default vintage is the fit as it was


def test_the_default_vintage_has_the_moments_of_the_installed_fit():
    """calibrated.toml records every moment of the fit before vintages existed: name, observed
    value, tolerance, source; the default vintage gives them all, in the same order."""
    assert moments.observed_moments() == moments.observed_moments(moments.LAST_OBSERVED_YEAR)
    rows = _installed("calibrated.toml")["fit"]
    got = [(m.name, m.observed, m.tolerance, m.weight, m.source) for m in moments.observed_moments()]
    assert got == [(r["moment"], r["observed"], r["tolerance"], r["weight"], r["source"]) for r in rows]


def test_the_default_vintage_fits_what_it_fitted_and_writes_the_same_header():
    assert msm.fitted() == list(msm.FITTED) and msm.start_values(moments.history_scenario()) == msm.START
    assert moments.history_scenario() == moments.history_scenario(through=moments.LAST_OBSERVED_YEAR)
    years = range(moments.HISTORY_ORIGIN, moments.LAST_OBSERVED_YEAR + 1)
    fake = _fake_summaries(years)
    assert moments.simulated_moments(fake) == moments.simulated_moments(fake, moments.LAST_OBSERVED_YEAR)
    installed = resources.files("model.data").joinpath("calibrated.toml").read_text().splitlines()
    command = installed[1].removeprefix("# Reproduce with: ")
    c = msm.Calibration({}, 0.0, 0.0, 0, [], (0, 1), 0.02, 1, "")
    rendered = msm.render_toml(c, "2001-01-01", command).splitlines()
    comments = lambda lines: [line for line in lines if line.startswith("#")]
    assert comments(rendered) == comments(installed)
    from model.calibration.cli import _through_option

    assert _through_option(moments.LAST_OBSERVED_YEAR) == "" and _through_option(2021) == " --through 2021"
    assert vintage_file_name(moments.LAST_OBSERVED_YEAR) == "calibrated.toml"
    assert observations()  # the shipped data, unchanged by the tests above
