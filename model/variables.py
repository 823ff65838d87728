"""Every output variable: name, unit, long name, dimensions.

Units follow the CF conventions for what is dimensionless: counts, fractions and ratios are "1"
(the long name says what is counted); amounts keep the article's units (yi_yuan, wan_persons, ...).

One table, used to build the datasets, to label the figures and to check outputs. Names that equal
a target id of ``targets.toml`` are the target's indicator.
"""

from __future__ import annotations

from dataclasses import dataclass

TIERS: tuple[str, ...] = ("ge_1000_yi", "100_to_1000_yi", "10_to_100_yi", "1_to_10_yi", "0.2_to_1_yi")
TIER_LOWER_YI = (1000.0, 100.0, 10.0, 1.0, 0.2)
HOUSEHOLD_GROUP_DIM = ("urban_registered", "urban_migrant", "rural_registered", "rural_migrant")
AGE_GROUPS: tuple[str, ...] = ("0_14", "15_29", "30_44", "45_59", "60_74", "75_plus")
AGE_GROUP_LOWER = (0.0, 15.0, 30.0, 45.0, 60.0, 75.0)


@dataclass(frozen=True)
class Var:
    unit: str
    long_name: str
    dims: tuple[str, ...] = ()  # besides year/time


# fmt: off
ANNUAL: dict[str, Var] = {
    # --- the targets of targets.toml, by their ids
    "electronic_information_output": Var("yi_yuan", "Electronic information industry output, above-scale firms (gross, current prices)"),
    "high_end_equipment_output": Var("yi_yuan", "High-end equipment manufacturing output, above-scale firms (gross, current prices)"),
    "firms_revenue_ge_1000_yi": Var("1", "Enterprises with annual revenue of 1000 yi yuan or more"),
    "firms_revenue_100_to_1000_yi": Var("1", "Enterprises with annual revenue of 100 to 1000 yi yuan"),
    "firms_revenue_10_to_100_yi": Var("1", "Enterprises with annual revenue of 10 to 100 yi yuan"),
    "strategic_industries_at_1000_yi": Var("1", "Strategic emerging industries (of six) with output of 1000 yi yuan or more"),
    "disposable_income_per_capita": Var("yuan", "Per-capita disposable income, all residents"),
    "rural_disposable_income_per_capita": Var("yuan", "Per-capita disposable income, rural residents"),
    "urban_rural_income_ratio": Var("1", "Urban to rural per-capita disposable income ratio"),
    "village_collective_income_avg": Var("wan_yuan", "Average disposable income of a village collective"),
    "gdp": Var("yi_yuan", "Gross regional product (current prices)"),
    "above_scale_industrial_output_growth": Var("1", "Growth of above-scale industrial output (current prices)"),
    "trade_total": Var("yi_usd", "Total imports and exports (international)"),
    # --- accounts
    "gdp_production": Var("yi_yuan", "GDP by production: gross output minus intermediate consumption"),
    "gdp_income": Var("yi_yuan", "GDP by income: wages, taxes on production net of subsidies, gross operating surplus"),
    "gdp_expenditure": Var("yi_yuan", "GDP by expenditure: consumption, investment, inventories, exports minus imports"),
    "gdp_real_growth": Var("1", "Real GDP growth over the previous year"),
    "gdp_deflator": Var("index_2021_1", "GDP deflator (2021 = 1)"),
    "household_consumption": Var("yi_yuan", "Household final consumption"),
    "government_consumption": Var("yi_yuan", "Government final consumption"),
    "investment": Var("yi_yuan", "Gross fixed capital formation (private, public and R&D)"),
    "inventory_change": Var("yi_yuan", "Change in inventories"),
    "wages": Var("yi_yuan", "Compensation of employees"),
    # --- industry
    "cluster_output": Var("yi_yuan", "Gross output by industry cluster (all firms)", ("cluster",)),
    "cluster_output_above_scale": Var("yi_yuan", "Gross output of the above-scale industrial firms (annual revenue of 0.2 yi yuan or more) by cluster; 0 outside industry", ("cluster",)),
    "cluster_employment": Var("1", "Employment by industry cluster", ("cluster",)),
    "firms_by_tier": Var("1", "Enterprises by annual revenue tier (bands)", ("tier",)),
    "firms_revenue_ge_100_yi": Var("1", "Enterprises with annual revenue of 100 yi yuan or more (cumulative)"),
    "firms_revenue_ge_10_yi": Var("1", "Enterprises with annual revenue of 10 yi yuan or more (cumulative)"),
    "firms_revenue_ge_1_yi": Var("1", "Enterprises with annual revenue of 1 yi yuan or more"),
    "above_scale_firms": Var("1", "Above-scale enterprises (annual revenue of 0.2 yi yuan or more)"),
    "firms_alive": Var("1", "Enterprises alive at the end of the year"),
    "above_scale_industrial_output": Var("yi_yuan", "Output of above-scale industrial enterprises"),
    "strategic_emerging_output": Var("yi_yuan", "Output of strategic emerging industries, national classification (the six, the pioneers and part of the pillar cores), above-scale firms"),
    "rd_spending_share_of_gdp": Var("1", "R&D spending as a share of GDP"),
    # --- competition (cost-based prices, December of each year)
    "cluster_outside_sales": Var("yi_yuan", "Sales to buyers outside Kunshan (Shanghai, Suzhou, rest of China, abroad) by cluster; 0 for the initial year", ("cluster",)),
    "firms_relocated": Var("1", "Firms that moved their capacity out of Kunshan in the year (their price above competitors' elsewhere)"),
    "project_investment": Var("yi_yuan", "Investment of major projects under construction (tranches ordered in the year)"),
    "projects_started": Var("1", "Major investment projects started in the year"),
    "projects_operating": Var("1", "Major projects built and operating at the end of the year"),
    "cluster_rd_spending": Var("yi_yuan", "R&D spending of the cluster's firms, own and publicly co-funded (the initial year: the December 2021 run rate)", ("cluster",)),
    "cluster_import_content": Var("1", "Intermediate inputs the cluster's firms bought outside Kunshan (rest of China and abroad), per yuan of its gross output: its inputs less what local suppliers delivered (model.markets.goods.imported_inputs; the initial year at its input structure with every local order met)", ("cluster",)),
    "cluster_productivity": Var("1", "Market-share-weighted mean total factor productivity of the cluster's firms, December (2021 frontier = 1)", ("cluster",)),
    "cluster_price": Var("index_2021_1", "Producer price index by cluster: market-share-weighted mean of its firms' prices, December (2021 = 1)", ("cluster",)),
    "cluster_unit_cost": Var("index_2021_1", "Market-share-weighted mean unit cost of the cluster's firms per yuan of output at 2021 prices, December", ("cluster",)),
    "cluster_markup": Var("1", "Markup on unit cost by cluster, December", ("cluster",)),
    # --- households
    "urban_disposable_income_per_capita": Var("yuan", "Per-capita disposable income, urban residents"),
    "income_gini": Var("1", "Gini coefficient of household per-capita disposable income (person-weighted)"),
    "resident_population": Var("wan_persons", "Resident population at year end"),
    "registered_population": Var("wan_persons", "Registered (hukou) population at year end"),
    "employment": Var("wan_persons", "Employed residents at year end"),
    "unemployment_rate": Var("1", "Unemployment rate at year end"),
    "population_by_age": Var("wan_persons", "Resident population at year end by age group (arrivals of the year counted at 15-29 or 0-14 until their age is drawn at the year's end)", ("age_group",)),
    "births": Var("wan_persons", "Births in the year (into registered households)"),
    "deaths": Var("wan_persons", "Deaths at the turn into the year (Gompertz hazard by age)"),
    "retirements": Var("wan_persons", "Members of the labour force reaching the statutory retirement age at the turn into the year"),
    "migrant_arrivals": Var("wan_persons", "Migrant workers arriving in the year (0 in the initial year)"),
    "migrant_departures": Var("wan_persons", "Persons of migrant households leaving in the year (0 in the initial year)"),
    "rural_wage_income_per_capita": Var("yuan", "Gross wage income per rural resident (the survey's wage income component)"),
    "property_income_per_capita": Var("yuan", "Property income per resident: dividends, deposit interest and village collective payouts (0 in the initial year)"),
    "survey_urban_weight": Var("1", "Urban weight of the all-resident income per capita: the survey's 2020 weight moved with the simulated urban population share"),
    "rent_paid": Var("yi_yuan", "Rent paid by migrant households in the year (0 in the initial year)"),
    "rent_received": Var("yi_yuan", "Rent received by registered households from migrant tenants in the year (all landlords are local: equal to rent_paid)"),
    "imputed_rent": Var("yi_yuan", "Net imputed rent of the dwellings registered households own, in the year: part of the survey's disposable (property) income, in kind (0 in the initial year)"),
    "remittances_out": Var("yi_yuan", "Remittances sent out of Kunshan by migrant households in the year (0 in the initial year)"),
    "housing_wealth": Var("yi_yuan", "Value of the dwellings registered households own at year end (moves with rents)"),
    "reclassified_persons": Var("wan_persons", "Residents of villages absorbed by the town (村改居) at the turn into the year, now counted as urban: a change of statistical composition"),
    "wage_growth": Var("1", "Growth of the average monthly wage per employee over the previous year (0 in the initial year)"),
    # --- villages, government, rest of world
    "village_collective_income_total": Var("yi_yuan", "Total income of village collectives"),
    "public_budget_revenue": Var("yi_yuan", "General public budget revenue kept locally"),
    "exports": Var("yi_usd", "Exports abroad"),
    "imports": Var("yi_usd", "Imports from abroad"),
    "exchange_rate": Var("cny_per_usd", "Exchange rate, CNY per USD (the scenario's path times the run's draw, model.uncertainty)"),
    "external_demand_shock": Var("1", "Cumulative common log shock to demand from outside Kunshan since the start (the run's exogenous demand path)"),
    "fdi_utilised": Var("yi_usd", "Utilised foreign direct investment"),
    "profit_outflow": Var("yi_yuan", "Dividends paid to foreign owners"),
    # --- the public sector (model.agents.public_sector): budget, bank, public capital, programmes
    "policy_cost": Var("yi_yuan", "Budget cost of each policy lever's programme (0 where the lever is off; wage_policy's cost falls on firms)", ("lever",)),
    "public_revenue": Var("yi_yuan", "County budget revenue: taxes kept, social contributions, state asset income, transfers from higher levels, land-transfer revenue"),
    "public_spending": Var("yi_yuan", "County budget spending: purchases, public investment (site preparation of land sold included), pensions, transfers, subsidies, grants, land compensation to villages and net interest"),
    "government_debt": Var("yi_yuan", "County net debt at year end (negative: net deposits); changes by public_spending - public_revenue"),
    "government_interest": Var("yi_yuan", "Net interest the county budget paid to the bank"),
    "transfers_from_higher_levels": Var("yi_yuan", "Transfers from the central, provincial and Suzhou budgets"),
    "taxes_to_higher_levels": Var("yi_yuan", "Central, provincial and Suzhou shares of the taxes collected in Kunshan"),
    "land_transfer_revenue": Var("yi_yuan", "Land-transfer revenue of the government-fund budget: industrial land-use rights sold to new plants (entrants and major projects); residential land not modelled"),
    "debt_limit_cuts": Var("yi_yuan", "Discretionary spending cut because net debt passed its limit"),
    "public_capital": Var("yi_yuan_2021", "Public capital stock at year end, 2021 prices"),
    "bank_equity": Var("yi_yuan", "The bank's equity at year end"),
    "bank_loans": Var("yi_yuan", "The bank's loans to firms, households, villages and the county at year end"),
    "bank_capital_ratio": Var("1", "The bank's equity over risk-weighted loans at year end (capped at 10 where it has almost no loans)"),
    "village_assets": Var("yi_yuan", "Standard factory floor space villages built since the start, at cost, net of depreciation, year end"),
}
# fmt: on

# fmt: off
MONTHLY: dict[str, Var] = {
    "gdp_production": Var("yi_yuan", "GDP by production in the month"),
    "gdp_income": Var("yi_yuan", "GDP by income in the month"),
    "gdp_expenditure": Var("yi_yuan", "GDP by expenditure in the month"),
    "gdp_real": Var("yi_yuan_2021", "Real GDP in the month, 2021 prices"),
    "price_index": Var("index_2021_1", "GDP deflator of the month"),
    "cluster_output": Var("yi_yuan", "Gross output by cluster in the month", ("cluster",)),
    "exports": Var("yi_usd", "Exports abroad in the month"),
    "imports": Var("yi_usd", "Imports from abroad in the month"),
    "employment": Var("wan_persons", "Employed residents"),
    "unemployment_rate": Var("1", "Unemployment rate"),
    "resident_population": Var("wan_persons", "Resident population"),
    "average_wage": Var("yuan", "Average monthly wage per employee"),
    "household_disposable_income": Var("yi_yuan", "Household disposable income in the month"),
    "money_total": Var("yi_yuan", "Sum of all sectors' net money (conserved)"),
    "firms_alive": Var("1", "Enterprises alive"),
    "policy_cost": Var("yi_yuan", "Budget cost of each policy lever's programme in the month", ("lever",)),
    "public_revenue": Var("yi_yuan", "County budget revenue in the month"),
    "public_spending": Var("yi_yuan", "County budget spending in the month, net interest included"),
    "government_debt": Var("yi_yuan", "County net debt at the end of the month (changes by public_spending - public_revenue)"),
    "government_interest": Var("yi_yuan", "Net interest the county budget paid to the bank in the month"),
    "transfers_from_higher_levels": Var("yi_yuan", "Transfers from the central, provincial and Suzhou budgets in the month"),
    "land_transfer_revenue": Var("yi_yuan", "Land-transfer revenue of the government-fund budget in the month: industrial land-use rights sold to new plants"),
    "public_capital": Var("yi_yuan_2021", "Public capital stock at the end of the month, 2021 prices"),
    "bank_equity": Var("yi_yuan", "The bank's equity at the end of the month"),
    "bank_loans": Var("yi_yuan", "The bank's loans at the end of the month"),
    "village_assets": Var("yi_yuan", "Villages' standard factory floor space built since the start, end of the month"),
    "bank_capital_ratio": Var("1", "The bank's equity over risk-weighted loans (capped at 10)"),
    "credit_supply": Var("1", "Share of firms' usual credit limit the bank grants (1: its capital does not bind)"),
}
# fmt: on
