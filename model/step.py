"""One month of Kunshan's economy. Each line is a named action, in economic order."""

from __future__ import annotations

from model import actions as act
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State
from model.streams import RandomStreams


def one_step(s: State, p: Parameters, policy: MonthPolicy, draws: RandomStreams) -> None:
    draws.start_month(s.economy.month)                    # each purpose's draws for this month
    act.update_external_environment(s, p, policy, draws)  # world prices, outside demand, relocation
    act.form_expectations(s, p)                           # firms expect this month's sales
    act.plan_production(s, p, policy)                     # planned output and labour demand
    act.clear_labour_market(s, p, policy, draws)          # layoffs, matching, migration, firm employment
    act.produce(s, p, policy)                             # output from labour and capital; lockdown losses
    act.sell(s, p, policy)                                # demand meets supply; buyers pay; imports and exports
    act.pay_wages_and_production_taxes(s, p, policy)      # wages, taxes on production, subsidies, village rents
    act.distribute_profits(s, p)                          # interest, corporate tax, dividends home and abroad
    act.pay_household_incomes(s, p, policy)               # net wages, property income, pensions, transfers, payouts
    act.consume_and_save(s, p)                            # next month's consumption orders; saving
    act.plan_public_spending(s, p, policy)                # next month's public consumption and investment
    act.invest_and_innovate(s, p, policy, draws)          # capital, R&D, productivity jumps, spillovers
    act.enter_and_exit(s, p, policy, draws)               # start-ups, foreign entry (FDI), exits
    act.set_prices_and_wages(s, p, policy)                # prices follow demand; pay scales follow the market
    act.age_and_accumulate(s)                             # calendar-year sums for the annual accounts
