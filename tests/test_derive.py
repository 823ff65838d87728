"""Every derivation of model/data/derive.py against a hand computation from the data rows.

The expected numbers are written out from the CSV values (see docs/DATA.md), not recomputed with the
functions under test, so a changed formula or a changed data row shows up here. The origin is 2021:
only rows of 2021 and before may enter (tests/test_vintage.py checks that no later row does).
"""

from __future__ import annotations

import numpy as np
import pytest

from model.clusters import cluster_table
from model.data import derive
from model.data.observed import Vintage, shipped_vintage

REL = 1e-9
V = shipped_vintage(2021)


def test_above_scale_output_2021_a1_is_the_reported_bound():
    grown = 9000.8 * 4748.06 / 4276.76  # 2020 level grown with nominal GDP: 9992.7
    assert grown == pytest.approx(9992.69, abs=0.005)
    assert derive.above_scale_industrial_output(V) == max(grown, 10000.0) == 10000.0


def test_pillar_outputs_2021_a2_a3():
    electronic, equipment = derive.pillar_outputs(V)
    pillars = (0.80 + 0.015) * 10000.0  # "above 80%" read as 81.5%
    assert electronic == pytest.approx(pillars * 2 / 3, rel=REL)  # 5433.3
    assert equipment == pytest.approx(pillars / 3, rel=REL)  # 2716.7


def test_above_scale_output_by_cluster_2021():
    out = derive.above_scale_output_by_cluster(V)
    # S1: each of the six between 100 and 1000 yi (the article's "6 clusters above 100 yi")
    for cid, level in {
        "new_display": 740.0,
        "new_intelligent_manufacturing": 720.0,
        "new_medical": 300.0,
        "new_energy": 510.0,
        "new_materials": 560.0,
        "new_digital": 430.0,
    }.items():
        assert out[cid] == pytest.approx(level, rel=REL)
        assert 100.0 < level < 1000.0
    # S2
    assert out["advanced_computing"] == pytest.approx(54.0) and out["life_health"] == pytest.approx(36.0)
    assert out["metaverse"] == pytest.approx(18.0)
    # pillar cores: pillar total less its strategic and pioneer members
    assert out["electronics_core"] == pytest.approx(8150 * 2 / 3 - (740 + 430 + 54 + 18), rel=REL)  # 4191.3
    assert out["equipment_core"] == pytest.approx(8150 / 3 - (720 + 510), rel=REL)  # 1486.7
    # other manufacturing closes the gap to the above-scale total: pillars + medical + materials + life
    assert out["other_manufacturing"] == pytest.approx(10000 - (8150 + 300 + 560 + 36), rel=REL)  # 954
    industry = [c for c, s in zip(cluster_table().ids, cluster_table().sector) if s == "industry"]
    assert sum(out[c] for c in industry) == pytest.approx(10000.0, rel=REL)
    assert set(out) == set(industry)


def test_broad_strategic_weight_gives_the_latest_official_share():
    w = derive.broad_strategic_core_weight(V)
    named = 740 + 720 + 300 + 510 + 560 + 430 + 54 + 36 + 18  # 3368
    cores = (8150 * 2 / 3 - 1242) + (8150 / 3 - 1230)
    assert named + w * cores == pytest.approx(0.51 * 10000, rel=1e-9)  # C1: the 2020 share, 51%
    assert w == pytest.approx((5100 - 3368) / cores, rel=1e-9)


def test_cluster_output_2021():
    t = cluster_table()
    above = dict(zip(t.ids, derive.above_scale_cluster_output(V)))
    assert above["services"] == 0.0 and above["construction"] == 0.0
    # B1: the firms below the threshold add 4% of gross industrial output on top
    out = dict(zip(t.ids, derive.cluster_output(V)))
    assert out["new_medical"] == pytest.approx(300.0 / 0.96, rel=REL)
    assert out["agriculture"] == pytest.approx(31.18 / 0.60, rel=REL)  # primary VA over VA ratio
    assert out["services"] == pytest.approx(2254.14 / 0.55, rel=REL)  # tertiary VA over VA ratio
    industry_va = sum(out[c] * v for c, v, s in zip(t.ids, t.va_ratio, t.sector) if s == "industry")
    assert out["construction"] == pytest.approx((2462.74 - industry_va) / 0.30, rel=REL)
    # value added adds up to 2021 GDP (31.18 + 2462.74 + 2254.14 = 4748.06)
    assert float(np.sum(derive.cluster_output(V) * t.va_ratio)) == pytest.approx(4748.06, rel=1e-12)


def test_resident_population_2021_p1():
    cagr = (209.25 / 165.87) ** 0.2 - 1.0
    assert cagr == pytest.approx(0.047562, abs=1e-6)
    assert derive.resident_population(V) == pytest.approx(209.25 * (1 + cagr / 2) ** (14 / 12), rel=REL)
    assert derive.resident_population(V) == pytest.approx(215.067, abs=5e-3)


def test_income_survey_urban_weight_and_2021_split():
    w = (62238 - 38320) / (71519 - 38320)
    assert derive.urban_weight_in_income_survey(V) == pytest.approx(w, rel=REL)
    assert w == pytest.approx(0.720443, abs=1e-6)
    urban, rural = derive.urban_rural_income(V)
    assert rural == pytest.approx(67871 / (1.87 * w + 1 - w), rel=REL)  # about 41721
    assert urban / rural == pytest.approx(1.87, rel=1e-12)
    assert w * urban + (1 - w) * rural == pytest.approx(67871, rel=1e-12)


def test_village_collective_income_2021_v1():
    assert derive.village_collective_income(V) == pytest.approx(819 * 4748.06 / 3080.01, rel=REL)  # 1262.5


def test_exports_imports_2021_split_as_2020():
    exports, imports = derive.exports_imports(V)
    share = 573.82 / 868.40
    assert exports == pytest.approx(1066 * share, rel=REL)  # 704.4
    assert imports == pytest.approx(1066 * (1 - share), rel=REL)
    assert exports + imports == pytest.approx(1066, rel=1e-12)


def test_firm_tiers_2021_f0_from_the_chain_leaders():
    assert derive.firm_tiers(V) == (1, 12)  # 13 chain leaders (2021), one of them above 1000 yi


def test_run_rate_r1():
    """R1 on real growth (the initial prices are the origin year's average), nominal where the data
    hold no real growth for the origin year."""
    r = np.log(1.078)  # real GDP growth 2021
    assert derive.run_rate_at_year_end(V) == pytest.approx(r * np.exp(r) / np.expm1(r), rel=REL)
    assert derive.RUN_RATE == derive.run_rate_at_year_end(V)
    rows = tuple(o for o in V.rows if o.indicator != "gdp_real_growth")
    r = np.log(4748.06 / 4276.76)
    assert derive.run_rate_at_year_end(Vintage.of(rows, 2021)) == pytest.approx(r * np.exp(r) / np.expm1(r), rel=REL)


def test_initial_targets_f1_f2_and_levels():
    t = derive.initial_targets(V)
    assert t.gdp == 4748.06 and t.registered_population == 114.33
    assert t.urban_share == 0.7896
    assert t.villages == 168
    assert t.public_budget_revenue == 466.9
    assert (t.firms_ge_1000_yi, t.firms_100_to_1000_yi) == (1, 12)
    assert t.firms_ge_1_yi == 951  # F1: round(1057 * 0.9)
    assert t.above_scale_firms == round(2765 * 0.9)  # F1: 2488.5 -> 2488 (round half to even)
    assert t.enterprises == 155730  # F2: 15573 / 0.10
    assert t.all_income == 67871
    assert t.cluster_output == pytest.approx(derive.cluster_output(V), rel=1e-12)
    assert derive.initial_targets() is t  # the default is the shipped data at 2021


def test_population_shares_p2():
    assert derive.RURAL_MIGRANT_SHARE == 0.10
    assert derive.HOUSEHOLD_SIZE == {"registered": 2.6, "migrant": 1.7}
    assert derive.WAGE_SHARE_OF_DISPOSABLE_INCOME + derive.PROPERTY_SHARE_OF_DISPOSABLE_INCOME < 1.0


def test_another_origin_names_the_row_it_lacks():
    """derive.py is written for any origin: 2022's incomes are carried by G1 (tests/test_origin.py);
    2019 lacks rows no assumption carries, and the error names them."""
    assert derive.initial_targets(shipped_vintage(2022)).all_income == pytest.approx(67871 * 5006.7 / 4748.06)
    without_real_growth = tuple(o for o in shipped_vintage(2019).rows if o.indicator != "gdp_real_growth")
    with pytest.raises(KeyError, match="'gdp' in 2018"):  # R1 falls back on nominal growth, which needs 2018
        derive.run_rate_at_year_end(Vintage.of(without_real_growth, 2019))
    with pytest.raises(KeyError, match="resident_population"):
        derive.resident_population(shipped_vintage(2019))
