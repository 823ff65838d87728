"""Structural constants: units, definitions, and the shape of Kunshan's population and firms, each
with its source. They are not behaviour (behavioural parameters, which scenarios, sweeps and the
calibration may move, are in model.params); initialisation and the actions both read them here.
"""

from __future__ import annotations

import numpy as np

YI = 1e8  # yuan in one yi (亿), the unit of the plan's targets
WAN = 1e4  # yuan in one wan (万), the unit of village collective income

# Definitions of firm size by last year's revenue, yuan a year.
SMALL_FIRM_REVENUE = 1 * YI  # below it: sampled at the run's scale and subject to the background exit hazard
CHAIN_LEADER_REVENUE = 100 * YI  # the plan's "100 yi" tier: chain-leader ("链主") firms that policy supports

# Firms (model.init.firms draws the end-2021 register with these; entrants follow them).
# Taiwan-invested firms among foreign-invested ones: about 50% of industrial output (2020)
TAIWAN_SHARE_OF_FOREIGN = 0.65
PRODUCTIVITY_DISPERSION = 0.3  # log std. dev. of firm productivity within a cluster (assumption)

# Persons (model.init.population; arriving migrants alike).
SKILL_DISPERSION = 0.45  # log std. dev. of earning power (lognormal body of wages; assumption)
# Relative earning power by household group (URBAN_REGISTERED, URBAN_MIGRANT, RURAL_REGISTERED,
# RURAL_MIGRANT) before calibration: migrant workers earn less than registered urban residents;
# the rural level is solved at initialisation to match the income survey.
GROUP_SKILL = np.array([1.25, 0.80, 1.0, 0.75])
