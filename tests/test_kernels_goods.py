"""The goods market kernels, against hand-computed cases."""

import numpy as np

from model.markets import goods


def test_external_demand_scales_with_world_price_when_prices_match():
    real = np.array([[100.0, 50.0]])
    out = goods.external_demand(real, np.zeros((1, 2)), np.array([1.1, 1.1]), np.array([1.1, 1.1]), 2.0, np.zeros(2))
    np.testing.assert_allclose(out, [[110.0, 55.0]])


def test_external_demand_falls_with_a_dearer_price_and_a_shock():
    # relative price 1.2, elasticity 2: nominal factor 1.2**(1-2) = 1/1.2; shock -10%
    out = goods.external_demand(
        np.array([[120.0]]), np.array([[-0.1]]), np.array([1.2]), np.array([1.0]), 2.0, np.zeros(1)
    )
    np.testing.assert_allclose(out, [[120.0 * 0.9 / 1.2]])


def test_a_subsidy_lowers_the_effective_price():
    base = goods.external_demand(
        np.array([[100.0]]), np.zeros((1, 1)), np.array([1.0]), np.array([1.0]), 3.0, np.zeros(1)
    )
    subsidised = goods.external_demand(
        np.array([[100.0]]), np.zeros((1, 1)), np.array([1.0]), np.array([1.0]), 3.0, np.array([0.1])
    )
    np.testing.assert_allclose(subsidised, base * 0.9**-2)


def test_local_demand_splits_spending_after_imports():
    spending = np.array([100.0, 50.0])
    imports = np.array([0.5, 0.0])
    mix = np.array([[0.6, 0.4], [0.0, 1.0]])
    np.testing.assert_allclose(goods.local_demand(spending, imports, mix), [30.0, 20.0 + 50.0])


def test_intermediate_demand_is_coefficients_times_output():
    coeff = np.array([[0.1, 0.2], [0.0, 0.3]])
    np.testing.assert_allclose(goods.intermediate_demand(coeff, np.array([10.0, 20.0])), [5.0, 6.0])


def test_allocate_sales_shares_demand_and_caps_at_availability():
    cluster = np.array([0, 0, 1])
    share = np.array([1.0, 3.0, 2.0])
    weight = np.array([1.0, 1.0, 2.0])
    available = np.array([100.0, 20.0, 100.0])
    sales, fill = goods.allocate_sales(np.array([40.0, 60.0]), cluster, share, available, weight, 2)
    # cluster 0: first round 10 and 30 -> second capped at 20; the unmet 10 goes to the first firm,
    # which has 90 to spare. Cluster 1: weighted share 2*2 -> each row 60*2/4 = 30.
    np.testing.assert_allclose(sales, [20.0, 20.0, 30.0])
    np.testing.assert_allclose(fill, [1.0, 1.0])


def test_allocate_sales_leaves_unmet_demand_when_the_cluster_runs_out():
    sales, fill = goods.allocate_sales(
        np.array([100.0]), np.array([0, 0]), np.array([1.0, 1.0]), np.array([30.0, 10.0]), np.array([1.0, 1.0]), 1
    )
    np.testing.assert_allclose(sales, [30.0, 10.0])
    np.testing.assert_allclose(fill, [0.4])


def test_sales_never_exceed_the_goods_available():
    """Demand half as large again as all the goods: every firm sells out, and not one unit of
    rounding more (first + (available - first) rounds above available for some firms; found as a
    negative stock in a total lockdown)."""
    rng = np.random.default_rng(0)
    n = 2000
    cluster = rng.integers(0, 3, n)
    available = rng.random(n)
    share = rng.random(n)
    demand = 1.5 * np.bincount(cluster, weights=available, minlength=3)
    sales, fill = goods.allocate_sales(demand, cluster, share, available, np.ones(n), 3)
    assert (sales <= available).all() and (available - sales >= 0).all()
    assert (fill <= 1.0).all()


def test_levers_raise_external_orders_where_they_apply():
    """Shanghai access raises Shanghai's orders, Taiwan cooperation the orders abroad (issue 12:
    chain-leader support no longer multiplies outside demand; it acts on local sourcing)."""
    orders = np.ones((4, 2))
    out = goods.external_orders_with_levers(orders, 0, 3, 0.2, 0.1, np.array([0.0, 2.0]))
    np.testing.assert_allclose(out, [[1.2, 1.2], [1.0, 1.0], [1.0, 1.0], [1.0, 1.2]])
    assert (orders == 1.0).all()  # a new array


def test_order_shares_drop_exited_firms():
    shares = goods.order_shares(np.array([1.0, 2.0, 1.0]), np.array([True, True, False]))
    np.testing.assert_allclose(shares, [1.0, 2.0, 0.0])


def test_excess_demand_relative_to_output():
    np.testing.assert_allclose(goods.excess_demand(np.array([120.0, 5.0]), np.array([100.0, 0.0])), [0.2, 0.0])
