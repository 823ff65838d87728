"""Every figure the initial state needs that the data do not give directly, derived in one place.

Each function takes the :class:`~model.data.observed.Vintage` of the forecast origin (the end of the
year the economy is built at; 2021 for the model today) and reads only rows of years up to that
origin: a row of a later year cannot reach the initial state. Each names its inputs (rows of
``observed_kunshan.csv``) and its assumption; a figure missing for the origin year is carried by a
labelled assumption, listed in ``docs/DATA.md``. When a better figure is found, replace the
derivation here and nothing else changes.
Units follow the data: yi yuan (1e8 CNY), wan persons (1e4), yuan per person.

The derivations are in one package, a module a topic: industry (above-scale output, the clusters,
the firm register; model.data.derive.industry), the economy as a whole (GDP by sector, levels grown
with GDP, trade, the run rate, the exchange rate; .economy), the population and its incomes
(.people), and the initial targets that assemble them, with the origins they can be built at
(.targets). Every name is importable from model.data.derive, as when it was one module.
"""

from model.data.derive.economy import (
    GDP_PARTS,
    RUN_RATE,
    exchange_rate_at_origin,
    exports_imports,
    gdp_by_sector,
    grown_with_gdp,
    run_rate_at_year_end,
)
from model.data.derive.industry import (
    ABOVE_SCALE_FIRMS,
    BELOW_SCALE_SHARE_OF_INDUSTRY,
    CHAIN_LEADERS_WITHOUT_DATA,
    ELECTRONIC_SHARE_OF_PILLARS,
    ENTERPRISES,
    FIRMS_GE_1_YI,
    FIRMS_GE_1000_YI_AMONG_LEADERS,
    PILLAR_SHARE_ABOVE_BOUND,
    PILLAR_SHARE_LOWER_BOUND_WITHOUT_DATA,
    PIONEER_SHARE,
    STRATEGIC_SHARE,
    above_scale_cluster_output,
    above_scale_growth_at_origin,
    above_scale_industrial_output,
    above_scale_output_by_cluster,
    broad_strategic_core_weight,
    cluster_output,
    firm_tiers,
    named_industry_output,
    origin_lower_bound,
    pillar_outputs,
    strategic_emerging_share_at_origin,
)
from model.data.derive.people import (
    CENSUS_YEAR,
    HOUSEHOLD_SIZE,
    PARTICIPATION,
    PROPERTY_SHARE_OF_DISPOSABLE_INCOME,
    RETIREE_SHARE_REGISTERED,
    RURAL_MIGRANT_SHARE,
    UNEMPLOYMENT_2021,
    WAGE_SHARE_OF_DISPOSABLE_INCOME,
    registered_population,
    resident_population,
    urban_rural_income,
    urban_weight_in_income_survey,
    village_collective_income,
)
from model.data.derive.targets import (
    ORIGIN_LEVELS,
    InitialTargets,
    buildable_origins,
    default_origin,
    initial_targets,
    origin_figures,
)

__all__ = [
    "ABOVE_SCALE_FIRMS",
    "BELOW_SCALE_SHARE_OF_INDUSTRY",
    "CENSUS_YEAR",
    "CHAIN_LEADERS_WITHOUT_DATA",
    "ELECTRONIC_SHARE_OF_PILLARS",
    "ENTERPRISES",
    "FIRMS_GE_1000_YI_AMONG_LEADERS",
    "FIRMS_GE_1_YI",
    "GDP_PARTS",
    "HOUSEHOLD_SIZE",
    "InitialTargets",
    "ORIGIN_LEVELS",
    "PARTICIPATION",
    "PILLAR_SHARE_ABOVE_BOUND",
    "PILLAR_SHARE_LOWER_BOUND_WITHOUT_DATA",
    "PIONEER_SHARE",
    "PROPERTY_SHARE_OF_DISPOSABLE_INCOME",
    "RETIREE_SHARE_REGISTERED",
    "RUN_RATE",
    "RURAL_MIGRANT_SHARE",
    "STRATEGIC_SHARE",
    "UNEMPLOYMENT_2021",
    "WAGE_SHARE_OF_DISPOSABLE_INCOME",
    "above_scale_cluster_output",
    "above_scale_growth_at_origin",
    "above_scale_industrial_output",
    "above_scale_output_by_cluster",
    "broad_strategic_core_weight",
    "strategic_emerging_share_at_origin",
    "buildable_origins",
    "cluster_output",
    "default_origin",
    "exchange_rate_at_origin",
    "exports_imports",
    "firm_tiers",
    "gdp_by_sector",
    "grown_with_gdp",
    "initial_targets",
    "named_industry_output",
    "origin_figures",
    "origin_lower_bound",
    "pillar_outputs",
    "registered_population",
    "resident_population",
    "run_rate_at_year_end",
    "urban_rural_income",
    "urban_weight_in_income_survey",
    "village_collective_income",
]
