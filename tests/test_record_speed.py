"""Faster forms of the records give what the plain forms give (model.record)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.record import by_value, gini, lorenz
from model.record.measures import _AGE_GROUP_OF_YEAR, income_distribution
from model.variables import AGE_GROUP_LOWER


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 200.0), min_size=1, max_size=200))
def test_age_groups_by_whole_year_are_the_binary_searchs(ages):
    ages = np.array(ages)
    expected = np.searchsorted(np.array(AGE_GROUP_LOWER), ages, side="right") - 1
    got = _AGE_GROUP_OF_YEAR.take(np.minimum(ages, len(_AGE_GROUP_OF_YEAR) - 1).astype(np.intp))
    np.testing.assert_array_equal(got, expected)


def test_gini_and_lorenz_from_one_sort_are_bit_identical():
    rng = np.random.default_rng(1)
    values, weights = rng.lognormal(size=1000), rng.integers(1, 6, 1000).astype(float)
    ranked = by_value(values, weights)
    assert gini(*ranked, is_sorted=True) == gini(values, weights)
    np.testing.assert_array_equal(lorenz(*ranked, is_sorted=True), lorenz(values, weights))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 1.0, 2.5, 7.0]) | st.floats(-5.0, 1e6), st.sampled_from([0.0, 1.0, 2.0, 5.0])),
        min_size=0,
        max_size=120,
    )
)
def test_the_year_ends_gini_and_lorenz_from_shared_sums_are_the_plain_ones_bit_for_bit(pairs):
    """income_distribution (the annual record's) gives gini's and lorenz's bits, ties and edge cases
    included: no households, no weight, no income, negative incomes."""
    values = np.array([v for v, _ in pairs], dtype=float)
    weights = np.array([w for _, w in pairs], dtype=float)
    ranked = by_value(values, weights)
    with np.errstate(invalid="ignore", divide="ignore"):  # the plain Lorenz curve of no weight: 0/0
        got_gini, got_lorenz = income_distribution(*ranked)
        expected_gini, expected_lorenz = gini(*ranked, is_sorted=True), lorenz(*ranked, is_sorted=True)
    assert got_gini == expected_gini or (np.isnan(got_gini) and np.isnan(expected_gini))
    np.testing.assert_array_equal(got_lorenz, expected_lorenz)


def test_ranking_orders_ties_by_weight_whatever_the_input_order():
    """Equal incomes of households of different sizes: the ranking, and so the Gini's last bits, are
    the same for any order of the households (argsort's order of ties depends on the machine's sort)."""
    rng = np.random.default_rng(3)
    values = rng.choice([1.0, 2.0, 3.0], 5000) * 1e4 / 3.0
    weights = rng.integers(1, 6, 5000).astype(float)
    first = by_value(values, weights)
    for _ in range(3):
        order = rng.permutation(5000)
        again = by_value(values[order], weights[order])
        np.testing.assert_array_equal(again[0], first[0])
        np.testing.assert_array_equal(again[1], first[1])
    assert np.all(np.diff(first[0]) >= 0)
    ties = np.diff(first[0]) == 0
    assert np.all(np.diff(first[1])[ties] >= 0)
    assert ties.sum() > 4000


def test_the_month_record_reads_counts_that_are_still_the_months(small_model_factory, policy_scenario):
    """The monthly record takes the residents by group from plan_public_spending instead of counting
    them again: after every month of a run with every lever and shock (arrivals, departures, year
    ends), they are what a fresh count of the state gives, bit for bit."""
    model = small_model_factory(scenario=policy_scenario)
    checked = 0
    while model.running:
        model.step()
        s, hs = model.state, model.state.households
        if model.month % 12 == 0:
            continue  # after December's record the year ends and rows are compacted: January recounts
        fresh = np.bincount(hs.group[: hs.n], weights=hs.size[: hs.n], minlength=4) * s.economy.household_weight
        np.testing.assert_array_equal(s.flows.persons_by_group, fresh)
        checked += 1
    assert checked >= 15


def test_the_running_persons_by_group_is_a_fresh_count_after_every_month_and_year_end(
    small_model_factory, policy_scenario
):
    """economy.members_by_group, kept by arrivals, departures, settlement, births and the villages
    absorbed by the town (recounted at the year's deaths), is the fresh count of the state after
    every month, year ends included, bit for bit; and the events that move it all happened."""
    import dataclasses

    scenario = dataclasses.replace(
        policy_scenario, parameters={**policy_scenario.parameters, "village_reclassification_rate": 0.2}
    )
    model = small_model_factory(scenario=scenario)
    moved = {"arrivals": 0.0, "departures": 0.0, "reclassified": 0.0}
    while model.running:
        model.step()
        s, hs = model.state, model.state.households
        fresh = np.bincount(hs.group[: hs.n], weights=hs.size[: hs.n], minlength=4)
        np.testing.assert_array_equal(s.economy.members_by_group, fresh, err_msg=f"month {model.month}")
        moved["arrivals"] += s.flows.migrant_arrivals
        moved["departures"] += s.flows.migrant_departures
        moved["reclassified"] += s.economy.reclassified_at_new_year
    assert all(v > 0 for v in moved.values()), moved


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([-1.0, 0.0, 14.99, 15.0, 20.0, 64.5, 150.0, 180.0]) | st.floats(0.0, 200.0),
            st.booleans(),
            st.booleans(),
        ),
        max_size=150,
    )
)
def test_population_by_age_counts_as_the_plain_form(rows):
    """The record's count by year then group is the plain one: each living person's age group (not
    yet drawn: a worker 20 years old, a dependant 5), counted."""
    from types import SimpleNamespace

    from model.record.measures import population_by_age
    from model.state import AGE_UNKNOWN, LABOUR_FORCE

    ages = np.array([a for a, _, _ in rows], dtype=float)
    alive = np.array([x for _, x, _ in rows], dtype=bool)
    role = np.array([LABOUR_FORCE if w else LABOUR_FORCE + 1 for _, _, w in rows], dtype=np.int8)
    persons = SimpleNamespace(age=ages, alive=alive, role=role)
    age = np.where(ages == AGE_UNKNOWN, np.where(role == LABOUR_FORCE, 20.0, 5.0), ages)[alive]
    expected = np.bincount(
        np.searchsorted(np.array(AGE_GROUP_LOWER), age, side="right") - 1, minlength=len(AGE_GROUP_LOWER)
    )
    np.testing.assert_array_equal(population_by_age(persons, len(rows)), expected.astype(float))
