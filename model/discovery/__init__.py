"""Scenario discovery over a finished sweep (`kunshan discover`): where in the space of uncertain
inputs (parameters, shock sizes, lever sizes) a target is missed.

* :mod:`~model.discovery.prim`: the Patient Rule Induction Method (Friedman and Fisher 1999), as in
  the EMA Workbench: peeling, pasting, coverage, density, the peeling trajectory;
* :mod:`~model.discovery.scores`: which inputs matter most per target (regional sensitivity: the
  Kolmogorov-Smirnov distance between an input's values in runs that miss and runs that meet);
* :mod:`~model.discovery.cli`: the command, reading sweep.nc and writing the tables and figures.
"""
