"""Faster forms of the year end give what the plain forms give, bit for bit (model.actions.year_end,
model.actions.demography, model.markets.labour)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from model.agents import demography
from model.arrays import largest
from model.markets import labour
from model.markets.labour import _shifted
from model.state import UNEMPLOYED


def _job_ladder_over_all_rows(employer_cluster, skill, eligible, pay_per_skill, mean_skill, slots, requirement):
    """The ladder as it was written before it gathered the eligible rows: masks over every row."""
    out = employer_cluster.copy()
    free = eligible & (employer_cluster != UNEMPLOYED)
    origin_pay = np.concatenate([[np.inf], pay_per_skill]).take(_shifted(employer_cluster))
    for c in np.argsort(-pay_per_skill, kind="stable"):
        k = int(slots[c])
        if k <= 0:
            continue
        candidates = np.flatnonzero(free & (origin_pay < pay_per_skill[c]) & (skill >= requirement * mean_skill[c]))
        if len(candidates) == 0:
            continue
        if len(candidates) > k:
            candidates = candidates[largest(skill[candidates], k)]
        out[candidates] = c
        free[candidates] = False
    return out


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 400),
    clusters=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    coarse_skill=st.booleans(),  # few distinct skills: many ties at the cut
)
def test_job_ladder_over_eligible_rows_moves_whom_the_plain_form_moves(rows, clusters, seed, coarse_skill):
    rng = np.random.default_rng(seed)
    employer = rng.integers(-1, clusters, rows).astype(np.int16)
    employer[employer < 0] = UNEMPLOYED
    skill = rng.integers(1, 4, rows).astype(float) if coarse_skill else rng.lognormal(0.0, 0.5, rows)
    eligible = rng.random(rows) < 0.8
    pay = rng.integers(1, 4, clusters).astype(float)  # tied pay too: the stable order decides
    mean = rng.uniform(0.5, 1.5, clusters)
    slots = rng.integers(0, max(rows // 4, 1) + 1, clusters).astype(float)
    args = (employer, skill, eligible, pay, mean, slots, 0.9)
    assert labour.job_ladder(*args).tobytes() == _job_ladder_over_all_rows(*args).tobytes()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(1900.0, 2100.0), st.integers(0, 1)), min_size=1, max_size=50))
def test_no_one_retires_before_the_earliest_retirement_age(people):
    """age_retire_and_die computes the statutory age only for those at or past the earliest: no rule
    may give anyone a lower one."""
    birth_year = np.array([b for b, _ in people])
    sex = np.array([x for _, x in people], np.int8)
    assert (demography.retirement_age(birth_year, sex) >= demography.EARLIEST_RETIREMENT_AGE).all()
