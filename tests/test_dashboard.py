"""`kunshan dashboard`: what it computes, how it refuses bad settings, and the page in a real browser."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from model.cli import main
from model.config import ConfigError
from model.dashboard.ensemble import (
    POLICY_COST,
    PUBLIC_SPENDING,
    DashboardModel,
    budget_series,
    dashboard_scenario,
    default_values,
    probability_all_met,
    settings,
)

TINY = {"seeds": 2, "scale": 0.005}


@pytest.fixture(scope="module")
def baseline_model():
    return DashboardModel(**TINY)


def test_sliders_cover_every_lever_and_start_where_the_baseline_is():
    from model.params import default_parameters
    from model.policy import LEVERS

    by_name = {s.name: s for s in settings()}
    assert set(LEVERS) <= set(by_name)
    assert all(by_name[name].default == 0.0 for name in LEVERS)
    calibrated = default_parameters()
    for s in settings():
        assert s.low <= s.default <= s.high
        assert 100 <= (s.high - s.low) / s.step <= 1000
        if s.kind == "parameter":
            assert s.default == getattr(calibrated, s.name)
    # the scenario of the untouched sliders is the baseline's, with no policy added
    assert dashboard_scenario(default_values(), seeds=2).policies == dashboard_scenario({}, seeds=2).policies


def test_a_slider_back_on_its_default_means_the_exact_default():
    s = next(s for s in settings() if s.name == "export_demand_growth")
    on_grid = round(s.default / s.step) * s.step
    assert s.snap(on_grid) == s.default
    assert s.snap(s.default + 3 * s.step) == s.default + 3 * s.step


def test_levers_become_policies_from_the_chosen_january_on_their_targets():
    scenario = dashboard_scenario(
        {"cluster_subsidy": 0.1, "rural_transfer": 3000.0, "public_services": 0.01}, policy_start=2024, seeds=2
    )
    moved = ("cluster_subsidy", "rural_transfer", "public_services")
    added = {p.lever: p for p in scenario.policies if p.lever in moved}
    assert added["cluster_subsidy"].target == "all" and added["cluster_subsidy"].size == 0.1
    assert added["rural_transfer"].target == "rural_households"
    assert added["public_services"].target is None
    assert {p.start for p in added.values()} == {"2024-01"}
    assert dashboard_scenario({"export_demand_growth": 0.05}, seeds=2).parameters["export_demand_growth"] == 0.05


@pytest.mark.parametrize(
    "values, options, key",
    [
        ({"cluster_subsidy": 0.9}, {}, "size"),  # beyond the lever's range
        ({"export_demand_growth": float("nan")}, {}, "export_demand_growth"),
        ({"no_such_lever": 1.0}, {}, "no_such_lever"),
        ({"cluster_subsidy": "lots"}, {}, "cluster_subsidy"),
        ({}, {"seeds": 0}, "seeds"),
        ({}, {"seeds": 2.5}, "seeds"),
        ({}, {"scale": float("nan")}, "scale"),
        ({}, {"policy_start": 2030}, "policy_start"),
    ],
)
def test_bad_settings_are_refused_in_one_line_naming_the_key(values, options, key):
    with pytest.raises(ConfigError) as caught:
        dashboard_scenario(values, **options)
    assert key in str(caught.value) and "\n" not in str(caught.value)


def test_the_model_reports_the_ten_2025_targets_and_a_budget_by_year(baseline_model):
    m = baseline_model
    assert [r["year"] for r in m.rows] == [2025] * 10
    assert all(0.0 <= r["prob_met"] <= 1.0 for r in m.rows)
    assert 0.0 <= m.p_all_met <= min(r["prob_met"] for r in m.rows)
    frame = m.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == list(m.budget_measures)
    assert len(frame) == len(m.budget_years) == 4 and m.budget_years[0] == 2022
    # runs report policy_cost since issue 12: the panel shows the policies' cost, none in the baseline
    assert POLICY_COST in frame.columns and PUBLIC_SPENDING not in frame.columns
    assert (frame[POLICY_COST] == 0).all()
    assert not m.running


def test_moving_a_lever_changes_what_the_model_shows(baseline_model):
    pushed = DashboardModel(settings={"cluster_subsidy": 0.2}, **TINY)
    before = {r["id"]: r["mean"] for r in baseline_model.rows}
    after = {r["id"]: r["mean"] for r in pushed.rows}
    assert after["electronic_information_output"] > before["electronic_information_output"]


def test_p_all_met_is_the_share_of_seeds_meeting_every_target_at_once():
    from model.outputs import load_targets

    targets = [t for t in load_targets() if t.year == 2025]
    seeds, years = 3, [2024, 2025]
    data = {}
    for t in targets:
        good = t.value * (1.1 if t.comparison == ">=" else 0.9)
        bad = t.value * (0.9 if t.comparison == ">=" else 1.1)
        data[t.id] = (("seed", "year"), np.array([[good, good], [good, good], [good, good]]))
        if t is targets[0]:
            data[t.id] = (("seed", "year"), np.array([[good, good], [good, bad], [good, good]]))
        if t is targets[-1]:
            data[t.id] = (("seed", "year"), np.array([[good, good], [good, good], [good, bad]]))
    annual = xr.Dataset(data, coords={"seed": range(seeds), "year": years})
    assert probability_all_met(annual) == pytest.approx(1 / 3)


def test_the_budget_panel_shows_the_policies_cost_once_runs_report_it():
    years, levers = [2021, 2022, 2023], ["cluster_subsidy", "rural_transfer"]
    cost = np.ones((2, 3, 2))
    annual = xr.Dataset(
        {
            "policy_cost": (("seed", "year", "lever"), cost),
            "government_consumption": (("seed", "year"), np.ones((2, 3))),
            "public_budget_revenue": (("seed", "year"), np.ones((2, 3))),
        },
        coords={"seed": [0, 1], "year": years, "lever": levers},
    )
    series = budget_series(annual)
    assert POLICY_COST in series and PUBLIC_SPENDING not in series
    np.testing.assert_allclose(series[POLICY_COST], [2.0, 2.0])  # two levers, simulated years only


@pytest.mark.filterwarnings("ignore::UserWarning:solara.validate_hooks")  # about Mesa's code
def test_the_page_draws_every_target_with_its_probability(baseline_model):
    pytest.importorskip("solara")
    from model.dashboard.app import slider_table, target_table_html, targets_figure

    fig = targets_figure(baseline_model)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 10 and all("P(met) =" in ax.get_title() for ax in panels)
    assert target_table_html(baseline_model).count("<tr>") == 11
    table = slider_table({"policy_start": 2023, **default_values()})
    assert table["cluster_subsidy"]["label"] == "cluster_subsidy = 0" and table["cluster_subsidy"]["max"] == 0.2


@pytest.mark.parametrize(
    "argv, key", [(["--seeds", "0"], "seeds"), (["--port", "70000"], "--port"), (["--scale", "2"], "scale")]
)
def test_bad_command_line_is_one_line_and_exit_2(argv, key, capsys):
    assert main(["dashboard", *argv]) == 2
    err = capsys.readouterr().err
    assert key in err and err.count("\n") == 1


# --- the page in a real browser


@pytest.mark.slow
def test_moving_a_slider_in_the_browser_redraws_the_chart(tmp_path, chromium):
    pytest.importorskip("solara")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from model.browser import chart_digest, dashboard_server, free_port, slider, targets_table, wait

    browser, port = chromium, free_port()
    with (tmp_path / "server.log").open("w") as log:
        try:
            with dashboard_server(port, ["--seeds", "2", "--scale", "0.005"], log, tmp_path):
                browser.get(f"http://127.0.0.1:{port}/")
                first = wait(lambda: chart_digest(browser), "the targets chart")
                table = wait(lambda: targets_table(browser), "the table")
                assert first.startswith("image/png") and "P(all ten met" in table

                slider(browser, "cluster_subsidy").send_keys(Keys.END)  # the keyboard's way to the maximum

                wait(
                    lambda: browser.find_element(By.XPATH, "//label[normalize-space(.)='cluster_subsidy = 0.2']"),
                    "the slider's label to show its new value",
                )
                wait(lambda: chart_digest(browser) not in (None, first), "the chart to show another picture")
                wait(lambda: targets_table(browser) != table, "the table to change")
        except Exception:  # a failure, not a skip: the server's last words
            log.flush()
            print(Path(log.name).read_text()[-3000:])
            raise


def test_without_the_dashboard_extra_the_command_says_what_to_install(monkeypatch, capsys):
    import model.dashboard.cli as dashboard_cli

    real = dashboard_cli.importlib.import_module

    def without_solara(name, *args):
        if name == "model.dashboard.app":
            raise ImportError("No module named 'solara'")
        return real(name, *args)

    monkeypatch.setattr(dashboard_cli.importlib, "import_module", without_solara)
    assert main(["dashboard", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "pip install -e '.[dashboard]'" in err and err.count("\n") == 1
