"""The period of Kunshan's economy: a month, and the end of a calendar year. Each line is a named
action, in economic order; :class:`model.model.KunshanModel` calls ``one_step`` every month and, after
December's accounts and annual records, ``end_of_year``."""

from __future__ import annotations

from model.actions.consumption import consume_and_save
from model.actions.demography import age_retire_and_die, migrate, reclassify_villages, settle_and_have_children
from model.actions.environment import update_external_environment
from model.actions.firm_dynamics import enter_and_exit
from model.actions.goods import sell
from model.actions.incomes import distribute_profits, pay_household_incomes, pay_wages_and_production_taxes
from model.actions.investment import invest_and_innovate
from model.actions.labour import clear_labour_market, employ
from model.actions.prices import set_prices_and_wages
from model.actions.production import form_expectations, plan_production, produce
from model.actions.projects import start_and_build_projects
from model.actions.public import plan_public_spending, settle_public_accounts
from model.actions.year_end import (
    age_and_accumulate,
    remove_departed,
    roll_calendar_year,
    train_and_climb,
    update_rents,
)
from model.params import Parameters
from model.policy import MonthPolicy
from model.state import State
from model.streams import RandomStreams


# fmt: off
def one_step(s: State, p: Parameters, policy: MonthPolicy, draws: RandomStreams) -> None:
    draws.start_month(s.economy.month)                # each purpose's draws for this month
    update_external_environment(s, p, policy, draws)  # world prices, outside demand, relocation
    form_expectations(s, p)                           # firms expect this month's sales
    plan_production(s, p, policy)                     # planned output and labour demand
    clear_labour_market(s, p, policy, draws)          # layoffs and quits; job seekers matched to vacancies
    migrate(s, p, policy, draws)                      # migrants arrive where labour is short; jobless ones leave
    settle_and_have_children(s, p, draws)             # migrants settle (hukou); registered households have children
    employ(s)                                         # firms employ what their cluster's market gives them
    produce(s, p, policy)                             # output from labour and capital; lockdown losses
    sell(s, p, policy)                                # demand meets supply; buyers pay; imports and exports
    pay_wages_and_production_taxes(s, p, policy)      # wages, taxes on production, subsidies, village rents
    distribute_profits(s, p)                          # interest, corporate tax, dividends home and abroad
    pay_household_incomes(s, p, policy)               # net wages, property income, pensions, transfers, payouts
    consume_and_save(s, p)                            # next month's consumption orders; saving
    plan_public_spending(s, p, policy)                # transfers, interest; next month's spending and programmes
    invest_and_innovate(s, p, policy, draws)          # capital, R&D, productivity jumps, spillovers
    enter_and_exit(s, p, policy, draws)               # start-ups, foreign entry (FDI), exits
    start_and_build_projects(s, p, policy, draws)     # major projects: tranches, ramp-up, arrivals
    settle_public_accounts(s, p)                      # the budget's and the bank's books; next month's credit
    set_prices_and_wages(s, p, policy)                # prices follow demand; pay scales follow the market
    age_and_accumulate(s)                             # calendar-year sums for the annual accounts


def end_of_year(s: State, p: Parameters, draws: RandomStreams) -> None:
    roll_calendar_year(s)             # this year's sums become last year's; the calendar moves on
    remove_departed(s)                # exited firms and departed households give up their rows
    age_retire_and_die(s, p, draws)   # ages, deaths, retirement at statutory ages, school leavers
    train_and_climb(s, p)             # training raises rural skill; workers move up the job ladder
    update_rents(s, p)                # rents follow tenants' pay and migrants against new supply
    reclassify_villages(s, p, draws)  # villages absorbed by the town: their residents count as urban
# fmt: on
