"""The labour market kernels, against hand-computed cases."""

import numpy as np

from model.markets import labour
from model.state import UNEMPLOYED


def test_employment_by_cluster_ignores_the_unemployed():
    ec = np.array([0, 1, 1, UNEMPLOYED, 2], dtype=np.int16)
    np.testing.assert_allclose(labour.employment_by_cluster(ec, 10.0, 3), [10.0, 20.0, 10.0])


def test_separation_probability_combines_layoffs_and_quits():
    p = labour.separation_probability(np.array([100.0, 100.0]), np.array([80.0, 120.0]), 0.1)
    np.testing.assert_allclose(p, [1 - 0.8 * 0.9, 0.1])


def test_separations_never_touch_the_unemployed():
    ec = np.array([0, UNEMPLOYED, 1], dtype=np.int16)
    rows = np.array([0, 1, 2])
    leave = labour.separations(ec, np.array([1.0, 0.0]), rows, np.array([0.5, 0.0, 0.5]))
    assert leave.tolist() == [0]


def test_separation_draws_give_each_worker_its_cluster_probability():
    """Sparse draws, thinned by cluster: each cluster loses its probability's share of workers,
    and the unemployed none (a fixed seed; bands of four standard errors)."""
    rng = np.random.default_rng(7)
    n = 400_000
    ec = rng.integers(-1, 3, n).astype(np.int16)
    probability = np.array([0.01, 0.04, 0.25])
    rows, draws = labour.separation_draws(n, float(probability.max()), rng)
    assert (np.diff(rows) > 0).all() and (draws < probability.max()).all()
    leavers = labour.separations(ec, probability, rows, draws)
    for cluster, p in enumerate(probability):
        workers = int((ec == cluster).sum())
        share = (ec[leavers] == cluster).sum() / workers
        assert abs(share - p) < 4 * np.sqrt(p * (1 - p) / workers)
    assert (ec[leavers] != UNEMPLOYED).all()


def test_separation_draws_cover_everyone_when_a_cluster_lays_off_all():
    rng = np.random.default_rng(1)
    rows, draws = labour.separation_draws(1000, 1.0, rng)
    assert rows.tolist() == list(range(1000))
    ec = np.zeros(1000, dtype=np.int16)
    assert len(labour.separations(ec, np.array([1.0]), rows, draws)) == 1000
    assert len(labour.separation_draws(1000, 0.0, rng)[0]) == 0


def test_hires_are_bounded_by_both_sides():
    assert labour.hires(100.0, np.array([50.0, 50.0]), 0.6) == min(100.0, 100.0, 0.6 * 100.0)
    assert labour.hires(4.0, np.array([1000.0]), 1.0) == 4.0
    assert labour.hires(0.0, np.array([10.0]), 1.0) == 0.0


def test_assign_clusters_follows_vacancies():
    out = labour.assign_clusters(
        0.5, np.array([1.0, 3.0]), np.array([0.1, 0.9, 0.2, 0.3]), np.array([0.2, 0.2, 0.3, 0.9])
    )
    # hired: draws below 0.5 (1st, 3rd, 4th); cluster: cumulative shares [0.25, 1.0]
    assert out.tolist() == [0, UNEMPLOYED, 1, 1]


def test_ration_employment_matches_person_side_counts():
    n = labour.ration_employment(
        np.array([10.0, 30.0, 5.0]), np.array([0, 0, 1]), np.array([1.0, 1.0, 2.0]), np.array([20.0, 5.0]), 2
    )
    np.testing.assert_allclose(n, [5.0, 15.0, 2.5])


def test_distribute_wages_pays_out_the_whole_bill_by_skill():
    ec = np.array([0, 0, 1, UNEMPLOYED], dtype=np.int16)
    skill = np.array([1.0, 3.0, 2.0, 5.0])
    wages = labour.distribute_wages(np.array([400.0, 100.0]), ec, skill, 10.0, 2)
    np.testing.assert_allclose(wages, [10.0, 30.0, 10.0, 0.0])
    assert abs(wages.sum() * 10.0 - 500.0) < 1e-9


def test_vacancy_rate_and_migrants_wanted():
    np.testing.assert_allclose(labour.vacancy_rate(np.array([10.0, 5.0]), np.array([100.0, 0.0])), [0.1, 0.0])
    np.testing.assert_allclose(labour.migrants_wanted(0.25, 1.0, np.array([10.0, 0.0])), [5.0, 0.0])
