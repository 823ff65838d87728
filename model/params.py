"""Behavioural parameters of the model, with the range each may take in a scenario.

Every parameter has one home: this table. (The local tax share and the village rent rate are not
here: they are solved at initialisation so that 2021's budget revenue and village income come out
exactly; see model/init.) Values marked ``calibrated`` are overwritten by
``model/data/calibrated.toml`` (written by ``kunshan calibrate``); the rest are assumptions with
their reason beside them. Rates are per year unless the name says ``monthly``.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Spec:
    default: float
    low: float
    high: float
    unit: str
    doc: str
    calibrated: bool = False
    source: str = "assumption"  # where the default comes from (a dataset, a study, or an assumption)


# name -> Spec. Ranges are what a scenario may set; the property-based tests draw from them.
# Some bounds are set by the start, not by behaviour: the end-2021 economy is solved to reproduce
# the observed 2021 levels, and beyond them (one parameter moved alone, at any scale and seed
# tried, with a margin) it cannot be: local buyers would want more than 2021 output
# (import_share_final_demand, consumption_propensity_*, capital_adjustment_monthly,
# depreciation_rate), or incomes could not be met (dividend_payout, deposit_interest_rate,
# pension_per_retiree_yuan, rural_transfer_per_person_yuan). Combinations near several such
# bounds can still be infeasible; the model then refuses them in one line
# (model.init.InfeasibleParameters) before anything runs.
# fmt: off
SPECS: dict[str, Spec] = {
    # --- expectations and production
    "expectation_smoothing": Spec(0.3, 0.0, 1.0, "1", "weight of the latest month in adaptive demand expectations"),
    "inventory_target_months": Spec(0.5, 0.0, 3.0, "months", "finished-goods stock firms aim to hold, in months of sales"),
    "inventory_adjustment_monthly": Spec(0.5, 0.0, 1.0, "1/month", "share of the inventory gap closed by planned output each month"),
    "capacity_utilisation_target": Spec(0.85, 0.5, 1.0, "1", "utilisation at which firms plan capacity"),
    "demand_growth_expectation_weight": Spec(0.1, 0.0, 1.0, "1", "weight of the latest month's demand growth in firms' expected growth of their cluster's demand"),
    "max_expected_growth_monthly": Spec(0.02, 0.0, 0.1, "1/month", "bound on firms' expected monthly growth of cluster demand, either way"),
    # --- firm dynamics (growth, selection, innovation)
    "demand_share_volatility": Spec(0.035, 0.0, 0.2, "1/sqrt(month)", "std. dev. of a firm's monthly log change in its share of cluster demand (Gibrat shocks)", True),
    "replicator_speed": Spec(0.1, 0.0, 1.0, "1/month", "speed of the replicator dynamics of market shares within a cluster: monthly log share change per unit of competitiveness above the cluster's share-weighted mean", source="assumption; the replicator form and a speed of order one per period are those of the K+S model (Dosi, Fagiolo and Roventini 2010, JEDC 34(9); Dosi et al. 2013, JEDC 37(8)), here per month"),
    "competitiveness_price_elasticity": Spec(2.0, 0.0, 5.0, "1", "weight of the log relative price in a firm's competitiveness (a 1% dearer firm is 2% less competitive)", source="assumption within Armington elasticities of 2-4; K+S weight the normalised price in competitiveness the same way (Dosi et al. 2010)"),
    "competitiveness_quality_weight": Spec(1.0, 0.0, 5.0, "1", "weight of quality (R&D stock per yuan of a year's sales, bounded) in a firm's competitiveness"),
    "innovation_probability": Spec(0.01, 0.0, 0.2, "1/month", "chance of a productivity jump per month for a firm at its cluster's 2021 R&D per worker (1 - exp(-ζ RD/N) as in K+S, ζ set by this chance)", True),
    "imitation_probability": Spec(0.01, 0.0, 0.2, "1/month", "chance of a successful imitation per month for a firm at its cluster's 2021 R&D per worker (rises with R&D per worker as innovation does)"),
    "imitation_catch_up": Spec(0.2, 0.0, 1.0, "1", "share of the gap to Shanghai's frontier a successful imitation closes"),
    "shanghai_frontier_gap": Spec(0.1, 0.0, 0.5, "1", "log productivity lead of Shanghai's frontier over Kunshan's cluster frontier, the target of imitation; the Shanghai integration lever widens it by its size (1 + integration)"),
    "innovation_jump_mean": Spec(0.06, 0.0, 0.5, "1", "mean relative size of a productivity jump (exponential)"),
    "agglomeration_elasticity": Spec(0.04, 0.0, 0.3, "1", "elasticity of productivity growth to the cluster's output growth (agglomeration spillover)"),
    "trend_productivity_growth": Spec(0.02, -0.05, 0.1, "1/year", "frontier productivity growth absent R&D, all clusters", True),
    "depreciation_rate": Spec(0.05, 0.0, 0.15, "1/year", "depreciation of fixed capital"),
    "capital_adjustment_monthly": Spec(0.04, 0.0, 0.15, "1/month", "share of the capital gap closed by investment each month"),
    "credit_limit_of_capital": Spec(0.6, 0.0, 3.0, "1", "firms stop ordering capital goods when their debt passes this share of their capital's value"),
    "rd_depreciation_rate": Spec(0.15, 0.0, 0.5, "1/year", "depreciation of the R&D stock", source="the conventional 15% of R&D capital stock studies (Griliches)"),
    "shanghai_tech_spillover": Spec(0.02, 0.0, 0.1, "1/year", "extra frontier productivity growth a year per unit of the Shanghai integration lever"),
    "agglomeration_output_smoothing": Spec(0.1, 0.0, 1.0, "1", "weight of the latest month in the clusters' smoothed real output, whose growth drives agglomeration"),
    "insolvency_of_capital": Spec(0.9, 0.0, 5.0, "1", "a firm exits when its debt passes this share of its capital's value plus insolvency_sales_months of sales"),
    "insolvency_sales_months": Spec(6.0, 0.0, 24.0, "months", "months of sales added to the debt a firm may carry before it exits"),
    "dividend_payout": Spec(0.5, 0.15, 1.0, "1", "share of after-tax profit paid out each month"),
    "loss_exit_margin": Spec(0.1, 0.0, 1.0, "1", "a firm at least two years old exits when its after-tax profit, smoothed over about a year, falls below minus this share of its output (sustained losses)"),
    "profit_margin_smoothing": Spec(0.083, 0.01, 1.0, "1", "weight of the latest month in a firm's smoothed profit margin (1/12: about a year)"),
    "relocation_cost_sensitivity": Spec(0.5, 0.0, 5.0, "1/year", "yearly chance that an industrial firm moves its capacity out of Kunshan per unit of log gap between its price (its markup on unit cost) and competitors' price elsewhere", source="assumption, to be calibrated on relocations (industrial relocation to central China and South-East Asia since the 2010s)"),
    "entry_profit_sensitivity": Spec(10.0, 0.0, 50.0, "1", "relative change of domestic start-ups into a cluster per unit change of its expected profit margin (1 - unit cost / price) since 2021"),
    "exit_hazard_small": Spec(0.07, 0.0, 0.5, "1/year", "background exit rate of firms below 1 yi yuan revenue"),
    "domestic_entry_per_year": Spec(15573.0, 0.0, 60000.0, "firms/year", "domestic start-ups a year (2024 statistical bulletin: 15,573 new enterprises)"),
    "foreign_entry_per_year": Spec(120.0, 0.0, 2000.0, "firms/year", "foreign-invested entrants a year (assumption; scaled so utilised FDI is near its 2020 level)"),
    "entrant_capital_yi": Spec(0.02, 0.001, 1.0, "yi yuan", "median capital of a domestic start-up"),
    "foreign_entrant_capital_yi": Spec(0.5, 0.01, 20.0, "yi yuan", "median capital of a foreign-invested entrant"),
    "startup_capital_dispersion": Spec(0.8, 0.0, 2.0, "1", "log std. dev. of a domestic start-up's capital"),
    "foreign_entrant_capital_dispersion": Spec(1.0, 0.0, 2.0, "1", "log std. dev. of a foreign-invested entrant's capital"),
    "entrant_liquidity_of_capital": Spec(0.25, 0.0, 1.0, "1", "deposits an entrant starts with, as a share of its capital (paid in by its owners)"),
    "project_rate_per_year": Spec(20.0, 0.0, 200.0, "projects/year", "major investment projects (重大项目) of project_size_min_yi or more started a year in Kunshan's industrial clusters (0 switches the pipeline off)", source="assumption, to be calibrated on the arrival of new 100-yi firms (Kunshan lists dozens of major industrial projects a year)"),
    "project_size_min_yi": Spec(5.0, 0.5, 50.0, "yi yuan", "smallest investment of a major project (Pareto lower bound)"),
    "project_size_max_yi": Spec(300.0, 50.0, 2000.0, "yi yuan", "largest investment of a major project (the Pareto is truncated there: without a bound one draw in a few hundred is a plant of thousands of yi yuan, more than a tenth of Kunshan's GDP)", source="assumption: the largest single industrial investments in Kunshan, display-panel and semiconductor fabs, are of the order of 100-300 yi yuan"),
    "project_size_tail": Spec(1.2, 0.6, 3.0, "1", "Pareto exponent of project investment (smaller: longer tail)", source="assumption near Axtell's firm-size exponent 1.06 (Science 2001)"),
    "project_gestation_months": Spec(18.0, 1.0, 60.0, "months", "months over which a project's capital is invested, in equal tranches; it ramps up to its capacity meanwhile"),
    "project_orders_brought": Spec(0.5, 0.0, 1.0, "1", "share of a major project's ramping sales that are new orders from outside Kunshan (the investor's customers follow the plant: abroad for a foreign project, the rest of China for a domestic one); the rest it wins from its cluster's existing demand"),
    "project_credit_share": Spec(0.4, 0.0, 0.8, "1", "share of a domestic project's investment financed by bank credit (the rest by its owners' equity; foreign projects by FDI)"),
    "project_productivity_premium": Spec(0.1, 0.0, 0.5, "1", "log productivity of a project's new plant above its cluster's frontier (embodied in new equipment)"),
    "entrant_ramp_up": Spec(0.5, 0.05, 1.0, "1", "share of what its capital can produce that an entrant first expects to sell"),
    # --- external demand
    "export_demand_growth": Spec(0.075, -0.3, 0.3, "1/year", "trend nominal growth of demand from outside Kunshan for its products", True),
    "export_demand_volatility": Spec(0.03, 0.0, 0.3, "1/sqrt(year)", "std. dev. of the common random walk in external demand", True),
    "exchange_rate_volatility": Spec(0.0466, 0.0, 0.15, "1/sqrt(year)", "std. dev. of the annual log change of the CNY/USD rate around the scenario's path (model.uncertainty; drawn only with uncertainty = \"full\"); a run whose scenario does not set it uses the estimate at its own origin", source="PBoC central parity, annual averages 2015-2021 (model/data/markets_history.csv): AR(1) of the log changes at the default origin 2021, rho 0 (bounded), sigma 0.0466 (model.data.processes; docs/DATA.md)"),
    "export_price_elasticity": Spec(2.0, 0.0, 5.0, "1", "price elasticity of external demand (Armington elasticities are 2-4)"),
    "services_export_weight": Spec(0.1, 0.0, 1.0, "1", "tradability of services abroad relative to manufacturing at the same foreign-invested share: a cluster's share of outside sales that goes abroad is lambda x foreign share x tradability (1 industry, this for services, 0 construction and agriculture), lambda solved from 2021 customs exports (model.init.levels.export_shares, assumption M2)", source="assumption: services are a small part of Kunshan's customs trade, which is goods; services exports (software, logistics, design) are a few per cent of China's services output (docs/DATA.md, M2)"),
    "import_share_final_demand": Spec(0.45, 0.3, 1.0, "1", "share of local final demand met by goods from outside Kunshan"),
    "local_demand_weight_nontradable": Spec(0.0, 0.0, 1.0, "1", "weight of the local economy in the growth of the outside demand for services and construction: their outside demand grows as local demand^w x outside trend^(1 - w) (issue 13, mechanism 6); 0 (the default) keeps the outside trend until the calibration is redone with it: at 1, recalibrated, the baseline's 2022 falls out of validate's bands (docs/ODD.md 7.1)", source="assumption: services and construction are bought where they are made (Kunshan's residual outside demand for them is visitors, commuters and builders' contracts that follow the local economy)"),
    "strategic_demand_premium": Spec(0.05, 0.0, 0.10, "1/year", "faster trend growth of the outside demand for the products of the six strategic emerging industries and the X pioneers than for the rest (model.clusters.ClusterTable.is_emerging); it also carries the latest published strategic-emerging share forward to the origin when the origin's own is not published (model.data.derive.strategic_emerging_share_at_origin)", source="China's high-technology manufacturing value added grew 5.1 points a year faster than all industry above scale, mean of 2015-2022, 2.9-8.6 points in single years (NBS statistical communiques; docs/DATA.md, P1). Not fitted: Kunshan's two published shares (51% in 2020, 55.5% in 2022) are of two classifications, and the rise between them is more than this premium can make: 54.1% in 2022 at 0.3 a year, from 51% at the end of 2020 (history scenario, 4 seeds at scale 0.02)"),
    "export_demand_cluster_shock_ratio": Spec(0.5, 0.0, 2.0, "1", "size of a cluster's own monthly shock to outside demand relative to the common one"),
    "taiwan_export_order_share": Spec(0.1, 0.0, 1.0, "1", "share of the export orders abroad linked to Taiwan, which the Taiwan cooperation lever raises"),
    # --- prices and wages
    "producer_inflation": Spec(0.02, -0.1, 0.2, "1/year", "trend producer-price inflation of traded goods (exogenous path; the 2022 path is in the baseline)"),
    "markup_response": Spec(0.05, 0.0, 1.0, "1", "log change of a cluster's markup factor (1 + markup) per unit of excess demand (demand beyond output, bounded by excess_demand_bound)", source="assumption; K+S let markups follow market shares (Dosi et al. 2010): here they follow the cluster's excess demand"),
    "price_adjustment_monthly": Spec(0.25, 0.01, 1.0, "1/month", "share of the log gap between a firm's price and its cost-based price (markup on unit cost) closed each month", source="assumption (half the gap closed in about 2.4 months)"),
    "wage_vacancy_sensitivity": Spec(0.05, 0.0, 0.5, "1/month", "monthly wage response to the vacancy rate of the cluster"),
    "natural_unemployment_rate": Spec(0.025, 0.0, 0.15, "1", "unemployment rate at which the labour market puts no pressure on wage growth (wage Phillips curve)", source="assumption: near the model's own baseline unemployment (1.8-3.2% a year, 2022-2025) and Jiangsu's registered urban unemployment rate of about 3% (Jiangsu statistical bulletins, 2019-2021)"),
    "wage_phillips_slope": Spec(1.0, 0.0, 5.0, "1", "fall of yearly wage growth per unit of unemployment above its natural rate (and rise below it)", source="assumption within the slopes of wage Phillips curves estimated for China and OECD economies (0.3-1.5); not yet estimated on Kunshan's history"),
    "wage_productivity_elasticity": Spec(1.0, 0.0, 1.5, "1", "share of the cluster's productivity-frontier growth passed into pay-scale growth"),
    "downward_wage_rigidity": Spec(0.28, 0.0, 1.0, "1", "share of a nominal pay cut that does not happen (downward nominal rigidity)", source="Dickens et al. (2007), J. Econ. Perspectives 21(2):195-214, International Wage Flexibility Project: 28% of workers facing a cut are subject to downward nominal rigidity"),
    "excess_demand_bound": Spec(0.2, 0.0, 1.0, "1", "excess demand (share of output) beyond which prices respond no more"),
    # --- labour market and population
    "labour_shedding_monthly": Spec(0.2, 0.0, 1.0, "1/month", "share of surplus workers a firm lets go each month (labour hoarding)"),
    "quit_rate_monthly": Spec(0.015, 0.0, 0.2, "1/month", "voluntary job separations a month"),
    "matching_efficiency": Spec(0.6, 0.0, 1.0, "1", "scale of the Cobb-Douglas matching function"),
    "migration_response": Spec(0.25, 0.0, 1.0, "1/month", "share of unfilled vacancies met by newly arriving migrant workers a month"),
    "outside_wage_growth": Spec(0.06, -0.1, 0.2, "1/year", "nominal wage growth of the other destinations migrants compare Kunshan with", source="assumption near the growth of average wages of urban units in China, 2016-2021 (NBS), about 6-9% a year"),
    "migration_wage_elasticity": Spec(1.0, 0.0, 5.0, "1", "elasticity of migrant arrivals (and, inversely, departures) to Kunshan's pay relative to other destinations'"),
    "migration_amenity_effect": Spec(0.05, 0.0, 0.5, "1 per 1% of GDP", "relative rise of migrant arrivals (and fall of departures) per 1% of GDP of extra public services (amenity)"),
    "migrant_departure_rate": Spec(0.05, 0.0, 0.2, "1/month", "monthly departure rate of unemployed migrant workers"),
    "birth_rate": Spec(0.00565, 0.0, 0.03, "1/year", "births a year per resident, born into registered households", source="Jiangsu resident birth rate 2021, 5.65 per mille (Jiangsu Provincial Bureau of Statistics, 2021 population bulletin; model/data/demography.csv)"),
    "mortality_level": Spec(4.1e-5, 0.0, 1e-3, "1/year", "Gompertz level A of the death hazard A exp(B age)", source="assumption: with mortality_slope, a life expectancy at birth of about 79 years, near Jiangsu's (model/data/demography.csv)"),
    "mortality_slope": Spec(0.09, 0.0, 0.15, "1/year of age", "Gompertz slope B of the death hazard (mortality doubles every ln 2 / B years)", source="the 0.08-0.10 typical of modern human mortality (Gompertz law)"),
    "school_skill_return": Spec(0.02, 0.0, 0.2, "1 per 1% of GDP", "relative rise of school leavers' earning power per 1% of GDP of extra public services (education) in the year they leave"),
    "hukou_conversion_rate": Spec(0.03, 0.0, 0.3, "1/year", "migrant households settled each year as registered residents (assumption; 2021 saw +7.1% registered after a hukou reform)"),
    "migrant_dependant_probability": Spec(0.3, 0.0, 1.0, "1", "chance that an arriving migrant worker brings a dependant"),
    "rural_migrant_share_of_arrivals": Spec(0.1, 0.0, 1.0, "1", "share of arriving migrant households that settle in a village"),
    "migrant_savings_months": Spec(2.0, 0.0, 24.0, "months", "savings an arriving migrant brings, in months of its cluster's average pay"),
    "migrant_expected_income_of_wage": Spec(0.7, 0.0, 2.0, "1", "an arriving migrant household's first expected monthly income, as a share of its cluster's average pay"),
    # --- households
    # --- skills and the job ladder (rural earnings converge through these, not a fitted trend)
    "training_skill_return": Spec(0.05, 0.0, 0.3, "1 per 10,000 yuan", "relative rise of a rural worker's earning power per 10,000 yuan of training received (rural_training lever)", source="assumption within the 5-10% wage gains found for short vocational training of rural workers in China (e.g. evaluations of the Sunshine Project training programme)"),
    "job_ladder_share": Spec(0.25, 0.0, 1.0, "1/year", "share of a better-paying cluster's unfilled vacancies at the end of the year filled by workers moving up from worse-paying clusters"),
    "job_ladder_skill_requirement": Spec(0.9, 0.0, 3.0, "1", "earning power a worker needs to move up, relative to the mean of the workers of the cluster it moves to"),
    "village_reclassification_rate": Spec(0.0, 0.0, 0.2, "1/year", "share of the villages not yet reclassified whose residents become urban each year as urban expansion absorbs them (村改居); 0 by default: the shipped data give no pace, a scenario sets it"),
    # --- housing, rent and remittances
    "migrant_rent_yuan_month": Spec(400.0, 0.0, 3000.0, "yuan/person/month", "rent a migrant pays a month in 2021, to registered landlords (assumption: a room of 600-1,000 yuan shared by about two persons)"),
    "rural_landlord_weight": Spec(2.0, 0.0, 20.0, "1", "rooms let per member of a rural registered household relative to an urban registered one (rural households let their self-built houses)"),
    "rent_migrant_elasticity": Spec(1.0, 0.0, 5.0, "1", "yearly rent growth beyond tenants' pay growth per unit of growth of migrants beyond new rental supply"),
    "rental_supply_growth": Spec(0.02, 0.0, 0.2, "1/year", "growth of the dwellings let to migrants (new supply)"),
    "remittance_share": Spec(0.2, 0.0, 0.6, "1", "share of migrant households' net wages sent to families outside Kunshan (deducted from disposable income, as the survey does with transfers paid)", source="assumption near the remittance shares of migrant workers' income in China's surveys (about a fifth)"),
    "imputed_rent_rate": Spec(0.005, 0.0, 0.03, "1/year", "net imputed rent of an owner-occupied dwelling per yuan of its market value, counted in the household survey's disposable income (property income); no money changes hands",
                              source="assumption on the NBS household survey's method: the net rent of owner-occupied housing (自有住房折算净租金) is the dwelling's construction cost times a depreciation rate of about 2% (urban) to 3% (rural); construction cost is taken as a fifth of Kunshan's market value (docs/DATA.md)"),
    "housing_value_per_registered_person_yuan": Spec(600000.0, 0.0, 5e6, "yuan", "value of the dwelling space a registered resident owns in 2021 (assumption: about 40 m2 at about 15,000 yuan/m2); it moves with rents (constant price-to-rent ratio)"),
    "consumption_propensity_income": Spec(0.62, 0.2, 0.85, "1", "share of disposable income consumed"),
    "income_expectation_smoothing": Spec(0.3, 0.0, 1.0, "1", "weight of the latest month in a household's expected income"),
    "consumption_propensity_wealth": Spec(0.02, 0.0, 0.1, "1/year", "share of deposits consumed a year"),
    "deposit_interest_rate": Spec(0.02, 0.0, 0.04, "1/year", "interest paid on household deposits by the banking sector"),
    "personal_tax_rate": Spec(0.06, 0.0, 0.5, "1", "average personal income tax on wages"),
    "social_contribution_rate": Spec(0.105, 0.0, 0.3, "1", "employee social-insurance contribution on wages"),
    "pension_per_retiree_yuan": Spec(30000.0, 0.0, 150000.0, "yuan/year", "average pension of a registered retiree"),
    "rural_transfer_per_person_yuan": Spec(2000.0, 0.0, 25000.0, "yuan/year", "public transfers to each rural resident (subsidies, minimum living allowance)"),
    # --- government
    "vat_rate": Spec(0.10, 0.0, 0.3, "1", "taxes on production as a share of value added"),
    "corporate_tax_rate": Spec(0.15, 0.0, 0.5, "1", "effective tax on operating profit"),
    "government_spending_ratio": Spec(1.0, 0.5, 1.5, "1", "public spending as a multiple of smoothed local revenue"),
    "public_investment_share": Spec(0.25, 0.0, 0.8, "1", "share of public spending that is investment"),
    "revenue_smoothing": Spec(0.1, 0.0, 1.0, "1", "weight of the latest month in the smoothed revenue the budget plans spending on"),
    "loan_spread": Spec(0.02, 0.0, 0.1, "1/year", "interest on firms' bank credit above the deposit rate"),
    # --- village collectives
    "village_payout_share": Spec(0.4, 0.0, 1.0, "1", "share of a collective's income paid out to member households"),
    "village_investment_of_retained": Spec(0.5, 0.0, 1.0, "1", "share of the income villages kept this month that they invest next month (standard factories)"),
    "village_dividend_share": Spec(0.08, 0.0, 0.2, "1", "share of a village-land private firm's dividends owed to the village collective"),
    # --- public sector (issue 12): tax sharing, higher-level transfers, debt, bank, public capital
    "central_share_vat": Spec(0.5, 0.0, 1.0, "1", "share of domestic VAT that goes to the central budget",
                              source="State Council Guofa [2016] No. 26: VAT shared 50:50 between central and local budgets after the 2016 business-tax-to-VAT reform"),
    "central_share_corporate_tax": Spec(0.6, 0.0, 1.0, "1", "share of corporate income tax that goes to the central budget",
                                        source="State Council Guofa [2001] No. 37 (income-tax sharing reform): 60% central from 2003"),
    "central_share_personal_tax": Spec(0.6, 0.0, 1.0, "1", "share of personal income tax that goes to the central budget",
                                       source="State Council Guofa [2001] No. 37 (income-tax sharing reform): 60% central from 2003"),
    "higher_level_transfer_of_remitted": Spec(0.1, 0.0, 0.5, "1", "transfers from higher levels (tax rebates, earmarked and general transfers) as a share of the taxes Kunshan's firms and residents send to higher levels in the month",
                                              source="assumption: Kunshan, a net contributor, gets back a small part of what it remits (tax rebates 税收返还 and earmarked transfers)"),
    "government_debt_rate": Spec(0.03, 0.0, 0.08, "1/year", "interest on the county's net debt (paid to the bank)",
                                 source="local government bond yields, about 3% in 2021-2022 (ChinaBond)"),
    "debt_limit_of_gdp": Spec(0.2, 0.0, 1.0, "1", "debt limit: net debt at most this share of annual GDP; above it discretionary spending is cut in the stated order",
                              source="assumption: quota debt limits (债务限额) of Jiangsu counties are of the order of 10-30% of GDP"),
    "bank_capital_requirement": Spec(0.105, 0.08, 0.3, "1", "minimum ratio of bank equity to risk-weighted loans; above it credit is rationed",
                                     source="CBRC Capital Rules for Commercial Banks (2012, Basel III): 8% minimum plus 2.5% conservation buffer"),
    "bank_equity_of_deposits": Spec(0.08, 0.02, 0.2, "1", "the bank's equity at the start, as a share of the deposits of Kunshan's agents",
                                    source="CBIRC: owners' equity of China's banking institutions was about 8.3% of their assets at end-2021"),
    "interbank_rate": Spec(0.025, 0.0, 0.06, "1/year", "interest the bank earns on its net claims on banks outside Kunshan (its deposits and equity not lent locally)",
                           source="one-year Shibor, 2.4-2.9% in 2021-2022"),
    "risk_weight_government": Spec(0.2, 0.0, 1.0, "1", "risk weight of loans to the county government (local government bonds)",
                                   source="CBRC Capital Rules (2012): 20% for claims on local governments' general bonds"),
    "public_capital_elasticity": Spec(0.083, 0.0, 0.2, "1", "output elasticity of public capital: firms' productivity rises by this elasticity times the log growth of public capital above its trend",
                                      source="Bom and Ligthart (2014), meta-analysis of 68 studies: mean 0.083, core infrastructure 0.12"),
    "public_capital_depreciation": Spec(0.04, 0.01, 0.1, "1/year", "depreciation of public capital (roads, rail, parks)",
                                        source="assumption, in the range of infrastructure service lives of 25-50 years"),
    "public_capital_lag_months": Spec(12.0, 1.0, 60.0, "months", "mean lag with which new public capital reaches firms' productivity (time to build)",
                                      source="assumption: Kunshan's projects take one to three years"),
    # --- programmes: what each lever costs per unit of its size, and the size of its channel
    "subsidy_price_pass_through": Spec(1.0, 0.0, 1.0, "1", "share of the production subsidy passed on into the unit cost the firms price on (the rest stays as cash with the firm)"),
    "supplier_development_effect": Spec(0.3, 0.0, 1.0, "1", "relative rise of a cluster's local input coefficients (local sourcing of its buyers' inputs) per unit of the chain-leader support lever",
                                        source="assumption; kept at the size of the former supplier pull (0.3)"),
    "supplier_programme_cost_of_leader_sales": Spec(0.02, 0.0, 0.1, "1", "supplier-development spending per unit of the chain-leader lever, as a share of the cluster's chain leaders' sales"),
    "investment_promotion_cost_yi": Spec(0.5, 0.0, 5.0, "yi yuan/year", "investment-promotion spending (offices, events, incentives) per unit of the FDI or Taiwan lever per targeted cluster"),
    "fdi_promotion_effect": Spec(1.0, 0.0, 2.0, "1", "relative rise of foreign-invested entry per unit of the FDI attraction lever"),
    "taiwan_entry_effect": Spec(1.0, 0.0, 2.0, "1", "relative rise of Taiwan-invested entry per unit of the Taiwan cooperation lever (its export orders: taiwan_export_order_share)"),
    "shanghai_integration_cost_of_gdp": Spec(0.02, 0.0, 0.1, "1", "transport and platform public investment per unit of the Shanghai integration lever, as a share of GDP"),
    "shanghai_market_access_effect": Spec(1.0, 0.0, 2.0, "1", "relative rise of Shanghai's orders per unit of the Shanghai integration lever (lower distance cost)"),
    "talent_attraction_effect": Spec(1.0, 0.0, 2.0, "1", "relative rise of migrants' arrivals per unit of the talent attraction lever"),
    "talent_subsidy_per_arrival_yuan": Spec(20000.0, 0.0, 100000.0, "yuan", "housing and settling subsidies (talent apartments, hukou services) per arriving migrant worker per unit of the talent lever"),
    "village_floor_rent_yield": Spec(0.06, 0.0, 0.15, "1/year", "rent a year per yuan of standard factory floor space villages built, when firms occupy it",
                                     source="assumption: rental yields of industrial property in the Yangtze delta are 5-7%"),
    "village_asset_depreciation": Spec(0.04, 0.0, 0.15, "1/year", "depreciation of villages' standard factory floor space"),
    # --- industrial land: land-transfer revenue of the government-fund budget (model.agents.land)
    "industrial_land_price": Spec(600.0, 0.0, 1500.0, "yuan/m2", "price of industrial land-use rights (50-year grant) a new plant pays the county (0: land is given away)",
                                  source="assumption within the Ministry of Land and Resources' monitoring (industrial land in its main monitored cities 623 yuan/m2 in 2010Q3) and national minimum prices (840 yuan/m2 at the top grade, Shanghai's suburbs); docs/DATA.md"),
    "industrial_land_per_wan_yuan": Spec(1.33, 0.0, 4.0, "m2/wan_yuan", "land a new industrial plant needs per wan yuan of its capital (1.33: an investment intensity of 500 wan yuan a mu)",
                                         source="assumption: investment intensities of new industrial projects in Suzhou's development zones of several hundred wan yuan a mu (docs/DATA.md)"),
    "land_development_cost_share": Spec(0.8, 0.0, 1.5, "1", "share of land-transfer revenue the fund budget spends on the land's requisition and preparation (above 1: industrial land sold below its cost)",
                                        source="assumption: cost items (compensation, demolition, land development) take most of China's land-transfer revenue; docs/DATA.md"),
    "fdi_land_discount": Spec(0.0, 0.0, 1.0, "1", "share of the industrial land price waived for foreign-invested buyers per unit of the FDI attraction lever of their cluster (at most all of it); the forgone revenue is in the lever's policy_cost. A form of the lever's incentive, not a second channel: its entry effect stays fdi_promotion_effect",
                              source="policy choice (0: the lever buys promotion only); land-price concessions are a common investment incentive of Chinese development zones"),
    "land_compensation_share_of_cost": Spec(0.7, 0.0, 1.0, "1", "share of the land's cost paid as compensation to the village collectives (the rest: site preparation bought from builders as public investment)",
                                            source="assumption: compensation and demolition are the largest cost item of land-transfer spending"),
    "village_investment_of_compensation": Spec(0.8, 0.0, 1.0, "1", "share of the land-requisition compensation a village collective receives that it invests the next month in standard factory floor space (its rent is village income)",
                                               source="assumption: Kunshan's collectives turned compensation into standard factories and shops let to firms (the 'Kunshan model' of the collective economy; 富民合作社); docs/DATA.md"),
}
# fmt: on

CALIBRATED_FILE = "calibrated.toml"


def _calibrated_values() -> dict[str, float]:
    """The installed calibration's parameters, parsed once per version of the file.

    Every model reads them when it is built (a sweep worker builds hundreds); parsing the TOML took
    about 1 ms a build. The cache is keyed by the file's modification time and size, so a
    calibration written during the process (``kunshan calibrate``, a test) is read afresh."""
    path = resources.files("model.data").joinpath(CALIBRATED_FILE)
    try:
        stat = os.stat(path)
    except (OSError, TypeError):  # no such file, or a resource that is not a file on disk
        if not path.is_file():
            return {}
        return _parse_calibrated(path)
    return dict(_parsed_calibration(str(path), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=4)
def _parsed_calibration(path: str, mtime_ns: int, size: int) -> dict[str, float]:
    return _parse_calibrated(Path(path))


def _parse_calibrated(path) -> dict[str, float]:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {k: float(v) for k, v in data.get("parameters", {}).items() if k in SPECS}


@dataclass(frozen=True)
class Parameters:
    """All behavioural parameters, as plain floats. Build with :func:`default_parameters`."""

    values: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Each value also as a plain attribute: the kernels read a few hundred parameters a month,
        # and an instance attribute is found without calling __getattr__ (a Python frame and a
        # dict lookup each). __getattr__ stays for names missing from ``values``.
        for name, value in self.values.items():
            if name.isidentifier() and name not in _FIELDS:
                object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> float:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def with_overrides(self, overrides: dict[str, float]) -> Parameters:
        unknown = set(overrides) - set(SPECS)
        if unknown:
            raise KeyError(f"unknown parameter(s): {sorted(unknown)}")
        return dataclasses.replace(self, values={**self.values, **{k: float(v) for k, v in overrides.items()}})

    def as_dict(self) -> dict[str, float]:
        return dict(self.values)


_FIELDS = frozenset(f.name for f in dataclasses.fields(Parameters))


def default_parameters(use_calibration: bool = True) -> Parameters:
    values = {name: spec.default for name, spec in SPECS.items()}
    if use_calibration:
        values.update(_calibrated_values())
    return Parameters(values)
