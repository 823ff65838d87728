"""Policy search: the cheapest mix of levers that meets chosen targets with a required probability.

``kunshan optimise PROBLEM.toml`` (docs/optimise.md). The parts:

* :mod:`~model.optimise.problem`: the problem file (levers and bounds, targets and the probability
  required, the budget cap, the search's size), read and checked in one pass;
* :mod:`~model.optimise.evaluate`: one candidate mix -> a scenario -> its runs on the search's
  seeds (common random numbers), reduced to the targets' values and the budget cost;
* :mod:`~model.optimise.search`: the initial design, the pattern search, the Pareto front of cost
  against P(all targets met), and the winner;
* :mod:`~model.optimise.report`: solution.toml, pareto.csv, evaluations.csv, the figure, README.md;
* :mod:`~model.optimise.cli`: the command.
"""
