"""Faster forms of the records give what the plain forms give (model.record)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.record import by_value, gini, lorenz
from model.record.measures import _AGE_GROUP_OF_YEAR
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
