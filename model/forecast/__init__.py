"""Forecasts that can be checked: naive benchmarks, scores, and the backtest that compares the model
with them at every origin the data allow.

``benchmarks``: random walk with drift, AR(1) on growth and last year's growth, each from the data
of one vintage; ``scores``: RMSE, MAE, 90% coverage and the Diebold-Mariano test; ``backtest``: the
``kunshan backtest`` command.
"""
