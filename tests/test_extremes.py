"""The shipped extreme scenarios (scenarios/extremes/) run to their end with every invariant kept.

Light versions run the files at a tiny scale and one seed, each against the baseline with the
same seed (common random numbers), so each also checks that the extreme does what it says. The
full-scale run to 2035 is `heavy`: it takes about a minute and half a gigabyte, and `.ci/run`
runs it (deselect with `-m "not heavy"` for a quick local pass).
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import pytest

from invariants import check_run, run_model
from model.config import load_scenario

EXTREMES = Path(__file__).resolve().parents[1] / "scenarios" / "extremes"
SCALE = 0.003
SEED = 4


def _light(name: str):
    """The file's scenario, run to its own horizon at a tiny scale, its invariants checked."""
    scenario = load_scenario(EXTREMES / f"{name}.toml")
    started = time.perf_counter()
    m, annual, monthly = run_model(scenario, SEED, SCALE)
    check_run(m, annual, monthly)
    print(f"{name}: {scenario.start} to {scenario.horizon} at scale {SCALE} in {time.perf_counter() - started:.1f} s")
    return m, annual, monthly


@pytest.fixture(scope="module")
def baseline():
    return run_model(load_scenario(), SEED, SCALE)


def test_every_shipped_extreme_is_tested():
    shipped = {p.stem for p in EXTREMES.glob("*.toml")}
    tested = {
        "world_demand_halved",
        "no_foreign_entry",
        "wage_freeze",
        "every_lever_at_maximum",
        "horizon_2035_full_scale",
    }
    assert shipped == tested


def test_world_demand_halved(baseline):
    _, annual, _ = _light("world_demand_halved")
    base = baseline[1]
    for name in ("exports", "gdp", "electronic_information_output"):
        assert float(annual[name].sel(year=2025)) < 0.8 * float(base[name].sel(year=2025)), name
    assert float(annual["gdp"].sel(year=2022)) == pytest.approx(float(base["gdp"].sel(year=2022)), rel=1e-12)


def test_no_foreign_entry(baseline):
    """No foreign entrant and no new foreign project from 2022: the only FDI left is the remaining
    tranches of the foreign projects already under construction at the origin (model.init.projects),
    built by mid-2023 (gestation 18 months), so none at all from 2024."""
    m, annual, _ = _light("no_foreign_entry")
    stopped, base = annual["fdi_utilised"], baseline[1]["fdi_utilised"]
    assert (stopped.sel(year=slice(2024, None)).values == 0.0).all()
    assert (stopped.sel(year=slice(2022, 2023)).values < base.sel(year=slice(2022, 2023)).values).all()
    assert (base.sel(year=slice(2022, None)).values > 0.0).all()


def test_wage_freeze():
    scenario = load_scenario(EXTREMES / "wage_freeze.toml")
    before = run_model(dataclasses.replace(scenario, horizon="2022-01"), SEED, SCALE)[0].state.economy.base_wage
    m, _, monthly = _light("wage_freeze")
    # one pay-scale movement in January 2022, under the freeze already: none at all
    np.testing.assert_array_equal(m.state.economy.base_wage, before)
    assert monthly["average_wage"].values[-1] < 1.1 * monthly["average_wage"].values[0]


def test_every_lever_at_maximum(baseline):
    _, annual, _ = _light("every_lever_at_maximum")
    base = baseline[1]
    for name in ("fdi_utilised", "rural_disposable_income_per_capita", "village_collective_income_avg"):
        assert float(annual[name].sel(year=2025)) > float(base[name].sel(year=2025)), name


def test_horizon_2035_at_small_scale():
    _, annual, monthly = _light("horizon_2035_full_scale")
    assert annual["year"].values.tolist() == list(range(2021, 2036))
    assert monthly.sizes["time"] == 14 * 12


@pytest.mark.heavy
def test_horizon_2035_at_full_scale():
    scenario = load_scenario(EXTREMES / "horizon_2035_full_scale.toml")
    assert scenario.scale == 1.0 and scenario.horizon == "2035-12"
    started = time.perf_counter()
    m, annual, monthly = run_model(scenario, scenario.seeds[0])
    check_run(m, annual, monthly)
    print(f"horizon_2035_full_scale: 168 months at scale 1.0 in {time.perf_counter() - started:.0f} s")
    assert annual["year"].values.tolist() == list(range(2021, 2036))
    assert m.state.persons.n > 1_000_000  # the full population, not a sample
