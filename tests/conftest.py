"""Shared fixtures: small economies built once per test session (they are the slow part)."""

from __future__ import annotations

import copy
import os

import numpy as np
import pytest

from model.model import KunshanModel
from model.scenario import Policy, Scenario, Shock

SMALL_SCALE = 0.005


@pytest.fixture(scope="session")
def small_model_factory():
    """Builds a fresh small model (same seed -> same economy)."""

    def make(seed: int = 1, scale: float = SMALL_SCALE, horizon: str = "2022-12", **kwargs) -> KunshanModel:
        scenario = kwargs.pop("scenario", Scenario(horizon=horizon))
        return KunshanModel(scenario, scale=scale, rng=np.random.default_rng(np.random.SeedSequence(seed)), **kwargs)

    return make


@pytest.fixture(scope="session")
def initial_model(small_model_factory):
    return small_model_factory()


@pytest.fixture()
def fresh_initial(initial_model):
    return copy.deepcopy(initial_model)


@pytest.fixture(scope="session")
def policy_scenario():
    """Every kind of lever and shock at once, for checks that must hold under any policy."""
    return POLICY_SCENARIO


POLICY_SCENARIO = Scenario(
    horizon="2023-06",
    policies=(
        Policy("cluster_subsidy", "new_display", "2022-02", "2023-06", 0.1),
        Policy("rd_subsidy", "all", "2022-03", None, 0.5),
        Policy("rural_transfer", "rural_households", "2022-01", None, 5000.0),
        Policy("village_collective_support", None, "2022-01", None, 300.0),
        Policy("public_investment", None, "2022-06", "2022-12", 0.02),
        Policy("fdi_attraction", "all", "2022-01", None, 1.0),
    ),
    shocks=(
        Shock("lockdown", start="2022-04", end="2022-05", size=0.3),
        Shock("export_demand", market="world", cluster="electronics_core", start="2022-09", size=-0.2),
        Shock("relocation", cluster="electronics_core", start="2023-01", size=0.05),
    ),
)


@pytest.fixture()
def need_chromium():
    """Debian's chromium and chromedriver with selenium (model/browser.py): skipped locally when
    missing, a failure in CI, where .ci/install-browser installs them."""
    pytest.importorskip("selenium.webdriver")
    from model.browser import INSTALL, chromium_and_driver

    if chromium_and_driver() is None:
        if os.environ.get("CI"):
            pytest.fail("chromium and chromedriver are missing: .ci/install-browser should have installed them")
        pytest.skip(f"chromium and chromedriver are not installed ({INSTALL})")


@pytest.fixture()
def chromium(need_chromium):
    """A headless chromium (with the shipped CJK font), quit after the test."""
    from model.browser import headless_chromium

    with headless_chromium() as browser:
        yield browser
