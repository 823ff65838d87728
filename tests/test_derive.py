"""Every derivation of model/data/derive.py against a hand computation from the data rows.

The expected numbers are written out from the CSV values (see docs/DATA.md), not recomputed with the
functions under test, so a changed formula or a changed data row shows up here.
"""

from __future__ import annotations

import numpy as np
import pytest

from model.clusters import cluster_table
from model.data import derive

REL = 1e-9


def test_above_scale_output_2022_is_midpoint_of_two_bounds():
    lower = 6000 / 0.555  # strategic output >= 6000 over its 55.5% share
    upper = (6015.46 + 2896.41) / 0.80  # pillars over their > 80% share (2021)
    assert lower == pytest.approx(10810.8108108, rel=1e-9)
    assert upper == pytest.approx(11139.8375, rel=1e-12)
    assert derive.above_scale_industrial_output_2022() == pytest.approx(0.5 * (lower + upper), rel=REL)
    assert derive.above_scale_industrial_output_2022() == pytest.approx(10975.3241554, rel=1e-9)


def test_cluster_output_2022_by_cluster():
    out = derive.cluster_output_2022()
    # S1: each of the six between 100 and 1000 yi (the article's "6 clusters above 100 yi")
    for cid, level in {"new_display": 820.0, "new_intelligent_manufacturing": 760.0, "new_medical": 330.0,
                       "new_energy": 540.0, "new_materials": 620.0, "new_digital": 480.0}.items():
        assert out[cid] == pytest.approx(level, rel=REL)
        assert 100.0 < level < 1000.0
    # S2
    assert (out["advanced_computing"], out["life_health"], out["metaverse"]) == (60.0, 40.0, 20.0)
    # pillar cores: reported pillar less its strategic and pioneer members
    assert out["electronics_core"] == pytest.approx(6015.46 - (820 + 480 + 60 + 20), rel=REL)  # 4635.46
    assert out["equipment_core"] == pytest.approx(2896.41 - (760 + 540), rel=REL)  # 1596.41
    # other manufacturing closes the gap to the above-scale total: pillars + medical + materials + life
    assert out["other_manufacturing"] == pytest.approx(10975.3241554 - (6015.46 + 2896.41 + 330 + 620 + 40), rel=1e-8)
    industry = [c for c, s in zip(cluster_table().ids, cluster_table().sector) if s == "industry"]
    assert sum(out[c] for c in industry) == pytest.approx(derive.above_scale_industrial_output_2022(), rel=REL)
    assert set(out) == set(industry)


def test_broad_strategic_weight_gives_the_official_share():
    w = derive.broad_strategic_core_weight()
    broad = 3550.0 + 120.0 + w * (4635.46 + 1596.41)
    assert broad == pytest.approx(0.555 * 10975.3241554, rel=1e-9)
    assert 0.0 < w < 1.0


def test_industrial_growth_2022_by_reporting_pillar():
    g = derive.industrial_growth_2022()
    for cid in ("electronics_core", "new_display", "new_digital", "advanced_computing", "metaverse"):
        assert g[cid] == 0.074  # electronic_information_output_growth 2022
    for cid in ("equipment_core", "new_intelligent_manufacturing", "new_energy"):
        assert g[cid] == 0.020  # equipment_manufacturing_output_growth 2022
    for cid in ("new_medical", "new_materials", "life_health", "other_manufacturing"):
        assert g[cid] == 0.07  # S3: the article's above-scale growth aim


def test_cluster_output_2021():
    t = cluster_table()
    above = dict(zip(t.ids, derive.above_scale_cluster_output_2021()))
    assert above["electronics_core"] == pytest.approx(4635.46 / 1.074, rel=REL)
    assert above["equipment_core"] == pytest.approx(1596.41 / 1.02, rel=REL)
    assert above["new_medical"] == pytest.approx(330.0 / 1.07, rel=REL)
    assert above["services"] == 0.0 and above["construction"] == 0.0
    # B1: the firms below the threshold add 4% of gross industrial output on top
    out = dict(zip(t.ids, derive.cluster_output_2021()))
    assert out["electronics_core"] == pytest.approx(4635.46 / 1.074 / 0.96, rel=REL)
    assert out["new_medical"] == pytest.approx(330.0 / 1.07 / 0.96, rel=REL)
    # the derived 2021 above-scale total clears the reported "above 1 trillion yuan"
    assert sum(above.values()) == pytest.approx(10369.07, rel=1e-5)
    assert out["agriculture"] == pytest.approx(31.18 / 0.60, rel=REL)  # primary VA over VA ratio
    assert out["services"] == pytest.approx(2254.14 / 0.55, rel=REL)  # tertiary VA over VA ratio
    industry_va = sum(out[c] * v for c, v, s in zip(t.ids, t.va_ratio, t.sector) if s == "industry")
    assert out["construction"] == pytest.approx((2462.74 - industry_va) / 0.30, rel=REL)
    # value added adds up to 2021 GDP (31.18 + 2462.74 + 2254.14 = 4748.06)
    assert float(np.sum(derive.cluster_output_2021() * t.va_ratio)) == pytest.approx(4748.06, rel=1e-12)


def test_resident_population_2021_p1():
    cagr = (209.25 / 165.87) ** 0.2 - 1.0
    assert cagr == pytest.approx(0.047562, abs=1e-6)
    assert derive.resident_population_2021() == pytest.approx(209.25 * (1 + cagr / 2) ** (14 / 12), rel=REL)
    assert derive.resident_population_2021() == pytest.approx(215.067, abs=5e-3)


def test_income_survey_urban_weight_and_2021_split():
    w = (62238 - 38320) / (71519 - 38320)
    assert derive.urban_weight_in_income_survey() == pytest.approx(w, rel=REL)
    assert w == pytest.approx(0.720443, abs=1e-6)
    urban, rural = derive.urban_rural_income_2021()
    assert rural == pytest.approx(67871 / (1.87 * w + 1 - w), rel=REL)  # about 41721
    assert urban / rural == pytest.approx(1.87, rel=1e-12)
    assert w * urban + (1 - w) * rural == pytest.approx(67871, rel=1e-12)


def test_village_collective_income_2021_v1():
    assert derive.village_collective_income_2021() == pytest.approx(819 * 4748.06 / 3080.01, rel=REL)  # 1262.5


def test_exports_imports_2021_split_as_2020():
    exports, imports = derive.exports_imports_2021()
    share = 573.82 / 868.40
    assert exports == pytest.approx(1066 * share, rel=REL)  # 704.4
    assert imports == pytest.approx(1066 * (1 - share), rel=REL)
    assert exports + imports == pytest.approx(1066, rel=1e-12)


def test_initial_targets_f1_f2_and_levels():
    t = derive.initial_targets()
    assert t.gdp == 4748.06 and t.registered_population == 114.33
    assert t.urban_share == 0.7896
    assert t.villages == 168
    assert t.public_budget_revenue == 466.9
    assert (t.firms_ge_1000_yi, t.firms_100_to_1000_yi) == (1, 12)
    assert t.firms_ge_1_yi == 951  # F1: round(1057 * 0.9)
    assert t.above_scale_firms == round(2765 * 0.9)  # F1: 2488.5 -> 2488 (round half to even)
    assert t.enterprises == 155730  # F2: 15573 / 0.10
    assert t.all_income == 67871
    assert t.cluster_output == pytest.approx(derive.cluster_output_2021(), rel=1e-12)


def test_population_shares_p2():
    assert derive.RURAL_MIGRANT_SHARE == 0.10
    assert derive.HOUSEHOLD_SIZE == {"registered": 2.6, "migrant": 1.7}
    assert derive.WAGE_SHARE_OF_DISPOSABLE_INCOME + derive.PROPERTY_SHARE_OF_DISPOSABLE_INCOME < 1.0
