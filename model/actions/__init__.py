"""The actions of a month, one module per part of the month, in the order of :mod:`model.step`.

An action gathers what it needs from the state, calls pure kernels (:mod:`model.agents`,
:mod:`model.markets`) and writes the results back. Every payment moves money from one sector's
balance to another's in the same action and is recorded in ``state.flows`` for the accounts.
Nothing here loops over firms or households.

| module | part of the month |
| --- | --- |
| environment | the world outside: prices, demand from outside, relocation |
| production | expectations, production plans, output |
| labour | layoffs, matching, migration, firm employment |
| demography | migrants arriving and leaving, settlement, births |
| goods | demand meets supply; payments; deliveries |
| incomes | wages, taxes, profits, dividends, household incomes |
| consumption | households' orders for next month |
| public | the budget's orders for next month |
| investment | investment, R&D, innovation, the frontier |
| firm_dynamics | exits and entry |
| prices | prices and pay scales |
| year_end | ageing and calendar-year sums; the yearly catch-up of rural earnings |
| common | what several actions gather alike (firm rows, sums by cluster, prices) |
"""
