"""The array kernels against the per-agent reference (model.reference), step by step.

Both paths start from one copied state and from two generators in the same state; after every
month they must hold the same economy, field by field, to 1e-9 relative (sums run in a different
order, so bit-for-bit equality is not expected), and their generators must be in the same state
(every draw taken the same way). The runs are short and small so that random events of every kind
(arrivals, departures, settling, births, entries, exits) happen while the file stays fast.
"""

from __future__ import annotations

import copy

import mesa
import numpy as np
import pytest

from model.model import KunshanModel
from model.reference import ReferenceFirm, ReferenceHousehold, ReferencePerson, state_differences, to_agents, to_state
from model.scenario import Policy, Scenario, Shock
from model.state import URBAN_MIGRANT
from model.step import one_step
from model.streams import PURPOSES, RandomStreams

SCALE = 0.002  # about 2,000 households, 4,300 persons and 1,650 firm agents
MONTHS = 6
RTOL = 1e-9

POLICY_SCENARIO = Scenario(
    horizon="2022-06",
    policies=(
        Policy("cluster_subsidy", "all", None, None, 0.1),
        Policy("rd_subsidy", "electronics_core", None, None, 0.5),
        Policy("chain_leader_support", "all", None, None, 0.3),
        Policy("fdi_attraction", "new_energy", None, None, 2.0),
        Policy("taiwan_cooperation", "all", None, None, 1.0),
        Policy("shanghai_integration", None, None, None, 0.2),
        Policy("rural_transfer", "rural_households", None, None, 5000.0),
        Policy("rural_transfer", "migrant_households", None, None, 3000.0),
        Policy("village_collective_support", None, None, None, 500.0),
        Policy("public_services", None, None, None, 0.02),
        Policy("public_investment", None, None, None, 0.02),
        Policy("talent_attraction", None, None, None, 1.0),
        Policy("rural_training", None, None, None, 3000.0),
        Policy("wage_policy", None, "2022-05", None, -1.0),  # a wage freeze from May
    ),
    shocks=(
        Shock("lockdown", start="2022-03", end="2022-04", size=0.3),
        Shock("export_demand", market="world", cluster="electronics_core", size=-0.15),
        Shock("relocation", cluster="equipment_core", size=0.1),
        Shock("price", cluster="services", size=0.05),
        Shock("foreign_entry_stop", start="2022-05", size=-1.0),
    ),
)


def run_both(scenario: Scenario, seed: int, months: int = MONTHS, outside=None):
    """Yield (month, kernel state, reference as a state, kernel generator, reference generator).
    ``outside``: (each market's growth deviation, producer-inflation deviation) set on the state
    before the copies, as KunshanModel.step sets a run's exogenous draws."""
    model = KunshanModel(scenario, scale=SCALE, rng=np.random.SeedSequence(seed))
    if outside is not None:
        model.state.economy.market_growth_deviation = np.asarray(outside[0], dtype=float)
        model.state.economy.producer_inflation_deviation = float(outside[1])
    kernels = copy.deepcopy(model.state)
    reference = to_agents(model.state)
    draws = np.random.SeedSequence([seed, 1])
    rng_kernels, rng_reference = RandomStreams(draws), RandomStreams(draws)
    for month in range(months):
        policy = model.schedule.at(month)
        one_step(kernels, model.parameters, policy, rng_kernels)
        reference.one_step(model.parameters, policy, rng_reference)
        kernels.economy.month = reference.economy.month = month + 1  # as KunshanModel.step does
        yield month, kernels, to_state(reference), rng_kernels, rng_reference


def positions(streams: RandomStreams) -> list[dict]:
    """Where each purpose's stream stands: equal when both sides took the same draws."""
    return [getattr(streams, purpose).bit_generator.state for purpose in PURPOSES]


def assert_same(kernels, reference, month: int) -> None:
    differences = state_differences(kernels, reference)
    worst = sorted(((v, k) for k, v in differences.items() if not v <= RTOL), reverse=True)
    assert not worst, f"month {month}: kernels and reference differ in {worst[:8]}"


def test_round_trip_is_exact():
    model = KunshanModel(Scenario(horizon="2022-06"), scale=SCALE, rng=np.random.SeedSequence(3))
    reference = to_agents(model.state)
    assert isinstance(reference, mesa.Model)
    assert all(isinstance(a, ReferenceFirm) for a in reference.firms)
    assert all(isinstance(a, ReferenceHousehold) for a in reference.households)
    assert all(isinstance(a, ReferencePerson) for a in reference.persons)
    assert len(reference.firms) == model.state.firms.n and len(reference.persons) == model.state.persons.n
    differences = state_differences(model.state, to_state(reference))
    assert max(differences.values()) == 0.0


def test_comparison_sees_a_small_difference():
    """Guard against a vacuous comparison: a change far below any economic size still shows."""
    model = KunshanModel(Scenario(horizon="2022-06"), scale=SCALE, rng=np.random.SeedSequence(3))
    reference = to_agents(model.state)
    largest = max(reference.firms, key=lambda f: abs(f.deposits))
    largest.deposits *= 1.0 + 1e-7
    reference.persons[9].employer_cluster = 3 if reference.persons[9].employer_cluster != 3 else 4
    differences = state_differences(model.state, to_state(reference))
    assert 5e-8 < differences["firms.deposits"] < 2e-7
    assert differences["persons.employer_cluster"] == float("inf")
    assert differences["firms.wage"] == 0.0


@pytest.mark.parametrize("seed", [7, 11])
def test_baseline_months_match(seed):
    start = None
    for month, kernels, reference, rng_kernels, rng_reference in run_both(Scenario(horizon="2022-06"), seed):
        start = start or (kernels.households.n, kernels.persons.n, kernels.firms.n)
        assert positions(rng_kernels) == positions(rng_reference)
        assert_same(kernels, reference, month)
    # Every kind of random event happened along the way, so its per-agent rules were compared.
    hs, f = kernels.households, kernels.firms
    assert hs.n > start[0] and kernels.persons.n > start[1] and f.n > start[2]  # arrivals, births, entries
    assert (~hs.alive[: hs.n]).any() and (~f.alive[: f.n]).any()  # departures and exits
    assert kernels.flows.fdi >= 0.0 and kernels.flows.migrant_arrivals > 0.0


def test_policies_and_shocks_match():
    groups = None
    for month, kernels, reference, rng_kernels, rng_reference in run_both(POLICY_SCENARIO, 5):
        assert positions(rng_kernels) == positions(rng_reference)
        assert_same(kernels, reference, month)
        groups = groups if groups is not None else kernels.households.group[: kernels.households.n].copy()
    assert kernels.flows.production_subsidies > 0.0 and kernels.flows.rd_grants > 0.0
    settled = (groups % 2 == 1) & (kernels.households.group[: len(groups)] % 2 == 0)
    assert settled.any() or (groups == URBAN_MIGRANT).sum() == 0


def test_the_drawn_world_outside_matches():
    """Each market's deviation from the demand trend and a producer-price deviation (what a run with
    uncertainty = "full" draws) move both paths alike, and they do move them."""
    outside = ([0.05, -0.03, 0.02, -0.08], 0.04)
    last = None
    for month, kernels, reference, rng_kernels, rng_reference in run_both(Scenario(horizon="2022-06"), 7, 3, outside):
        assert positions(rng_kernels) == positions(rng_reference)
        assert_same(kernels, reference, month)
        last = kernels
    plain = None
    for _, kernels, *_ in run_both(Scenario(horizon="2022-06"), 7, 3):
        plain = kernels
    ratio = last.economy.external_demand.sum(axis=1) / plain.economy.external_demand.sum(axis=1)
    assert ratio[0] > ratio[1] and ratio[3] < ratio[2]
    assert (last.economy.world_price > plain.economy.world_price).all()
