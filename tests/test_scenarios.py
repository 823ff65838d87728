"""Each shipped scenario moves its outcomes the way its story says, against the baseline.

Runs share root_seed and seeds with the baseline, so the random draws are common to both and the
difference of means is the policy's effect, not noise (common random numbers). At scale 0.005 the
whole file takes about 15 s, so it is not marked slow.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import xarray as xr

from model.config import load_scenario
from model.runner import run_scenario

REPO = Path(__file__).resolve().parents[1]
SEEDS = (0, 1, 2)
SCALE = 0.005
YEAR = 2025

# scenario, outcome, direction of the story (+1 raises, -1 lowers)
STORIES = [
    ("industrial_push", "electronic_information_output", +1),
    ("common_prosperity", "urban_rural_income_ratio", -1),
    ("common_prosperity", "rural_disposable_income_per_capita", +1),
    ("stress_electronics", "exports", -1),
    ("opening_up", "fdi_utilised", +1),
    ("regional_integration", "gdp", +1),
]


@cache
def annual(name: str) -> xr.Dataset:
    scenario = load_scenario(REPO / "scenarios" / f"{name}.toml")
    result, _ = run_scenario(scenario, seeds=SEEDS, scale=SCALE)
    return result


@pytest.mark.parametrize("name, outcome, direction", STORIES, ids=[f"{s}-{o}" for s, o, _ in STORIES])
def test_scenario_moves_outcome_as_its_story_says(name, outcome, direction):
    effect = float((annual(name)[outcome] - annual("baseline")[outcome]).sel(year=YEAR).mean("seed"))
    assert direction * effect > 0, f"{name}: {outcome} in {YEAR} changed by {effect:+.4g}, expected sign {direction:+d}"
