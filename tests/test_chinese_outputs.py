"""`--lang zh|en`: Chinese reports, figures and console tables; the CJK font; CSVs with a byte-order
mark for Excel; results.xlsx."""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pytest
import xarray as xr
from test_optimise import TINY as OPTIMISE_TINY

from model.cli import main
from model.outputs import console, figures, fonts, labels, spreadsheet, targets
from model.outputs.manifest import read_manifest
from model.targets import load_targets
from model.variables import ANNUAL

TINY = 'extends = "baseline"\nname = "tiny_zh"\nhorizon = "2022-12"\nseeds = 2\nscale = 0.005\n'


def _render(fig) -> None:
    """Draw to PNG with every "Glyph ... missing from font(s)" warning turned into an error."""
    import io

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        fig.savefig(io.BytesIO(), format="png")


def test_without_the_cjk_font_chinese_falls_back_to_boxes():
    """The check below can fail: DejaVu Sans alone warns for a Chinese glyph."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig = Figure()
        fig.suptitle("昆山")
        with pytest.raises(UserWarning, match="missing"):
            _render(fig)


def test_every_chinese_label_renders_with_the_shipped_font():
    from matplotlib.figure import Figure

    texts = [t.label_zh for t in load_targets()] + [labels.word(k, "zh") for k in labels.WORDS]
    texts += [labels.variable_label(v, "zh") for v in ANNUAL] + [
        labels.unit_label(u, "zh") for u in ("yi_yuan", "yuan")
    ]
    with fonts.figure_fonts():
        assert fonts.cjk_family() == "Noto Sans SC"
        fig = Figure(figsize=(8, 40))
        for i, text in enumerate(texts):
            fig.text(0.01, 1 - (i + 1) / (len(texts) + 1), text + " -1,234 (2025) ≥")
        _render(fig)


def test_chinese_figures_of_a_run_render_without_fallback():
    years = np.arange(2021, 2026)
    annual = xr.Dataset(
        {t.id: (("seed", "year"), np.linspace(1, 2, 10).reshape(2, 5)) for t in load_targets()},
        coords={"seed": [0, 1], "year": years},
    )
    with fonts.figure_fonts():
        for fig in (figures.targets_figure([("a", annual)], lang="zh"), figures.incomes_figure(annual, "zh")):
            _render(fig)
        fig = figures.targets_figure([("a", annual)], lang="zh")
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles[0] == load_targets()[0].label_zh


def test_console_table_in_chinese_is_aligned_by_display_width():
    rows = [
        {
            "id": t.id,
            "label_zh": t.label_zh,
            "year": t.year,
            "target": t.value,
            "comparison": t.comparison,
            "mean": 1.0,
            "p05": 0.5,
            "p95": 1.5,
            "prob_met": 0.5,
        }
        for t in load_targets()
    ]
    zh = console.summary_lines(rows, "zh")
    assert "达标概率" in zh[0] and load_targets()[0].label_zh in zh[1]
    assert len({labels.width(line) for line in zh[1:]}) == 1  # every row ends in the same column
    en = console.summary_lines(rows)
    assert en[0].startswith("target") and en[1].startswith(load_targets()[0].id)


def test_an_unknown_language_is_refused_in_one_line(capsys):
    assert main(["run", "baseline", "--lang", "fr"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_write_csv_starts_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "t.csv"
    targets.write_csv(path, ("id", "label_zh"), [{"id": "gdp", "label_zh": "地区生产总值"}])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "地区生产总值".encode() in raw
    with path.open(encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh)) == {"id": "gdp", "label_zh": "地区生产总值"}


def test_trajectory_rows_give_the_seed_distribution():
    annual = xr.Dataset(
        {
            "gdp": (("seed", "year"), np.array([[1.0, 2.0], [3.0, 6.0]])),
            "cluster_output": (("seed", "year", "cluster"), np.ones((2, 2, 1))),
        },
        coords={"seed": [0, 1], "year": [2021, 2022], "cluster": ["x"]},
    )
    annual["gdp"].attrs["units"] = "yi_yuan"
    rows = spreadsheet.trajectory_rows(annual, ["gdp", "cluster_output", "absent"])
    assert [(r["variable"], r["year"]) for r in rows] == [("gdp", 2021), ("gdp", 2022)]
    assert rows[1]["mean"] == 4.0 and rows[1]["p50"] == 4.0 and rows[1]["p05"] == pytest.approx(2.2)
    assert rows[0]["label_zh"] == "地区生产总值" and rows[0]["unit"] == "yi yuan"


@pytest.fixture(scope="module")
def zh_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("zh")
    (root / "tiny.toml").write_text(TINY, encoding="utf-8")
    assert main(["run", str(root / "tiny.toml"), "--lang", "zh", "--out", str(root / "out")]) == 0
    return root / "out"


def test_a_chinese_run_writes_a_chinese_report(zh_run, capsys):
    page = (zh_run / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "昆山情景" in page and "达标概率" in page
    assert "各行按达标概率" in page  # the shading note, in Chinese
    assert "<th>目标值</th>" in page.replace(' lang="zh"', "") and ">亿元</td>" in page  # goal column, units
    assert "结果分布的来源" in page and "参数不确定性占比" in page  # the spread's table too


def test_results_xlsx_holds_targets_and_trajectories_and_is_in_the_manifest(zh_run):
    from openpyxl import load_workbook

    book = load_workbook(zh_run / "results.xlsx", read_only=True)
    assert book.sheetnames == ["targets", "trajectories"]
    sheet = list(book["targets"].values)
    assert sheet[0] == targets.TARGET_COLUMNS and len(sheet) == 1 + len(load_targets())
    with (zh_run / "targets.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    gdp_csv = next(r for r in rows if r["id"] == "gdp")
    gdp_xlsx = next(r for r in sheet[1:] if r[0] == "gdp")
    assert gdp_xlsx[1] == "地区生产总值" or gdp_xlsx[1] == gdp_csv["label_zh"]
    assert gdp_xlsx[7] == pytest.approx(float(gdp_csv["mean"]), rel=1e-9)
    trajectories = list(book["trajectories"].values)
    assert trajectories[0] == spreadsheet.TRAJECTORY_COLUMNS
    gdp = [r for r in trajectories[1:] if r[0] == "gdp"]
    assert [r[4] for r in gdp] == [2021, 2022]
    with xr.open_dataset(zh_run / "annual.nc", engine="h5netcdf") as annual:
        assert gdp[1][5] == pytest.approx(float(annual["gdp"].sel(year=2022).mean()), rel=1e-12)
    assert {r[0] for r in trajectories[1:]} >= {t.id for t in load_targets()} - {"above_scale_industrial_output_growth"}
    assert "results.xlsx" in read_manifest(zh_run)
    assert (zh_run / "targets.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_kunshan_list_targets_in_chinese(capsys):
    assert main(["list", "targets", "--lang", "zh"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert [line.split()[0] for line in lines] == [t.id for t in load_targets()]
    assert all(line.endswith(t.label_zh) for line, t in zip(lines, load_targets()))


# --- `--lang zh` for validate, sweep, discover and backtest: every figure drawn without a missing
# glyph (matplotlib warns "Glyph ... missing from font(s)" for each box it draws), every CSV with a
# byte-order mark, the console in Chinese.

BOM = b"\xef\xbb\xbf"


def _without_tofu(argv: list[str]) -> None:
    """Run `kunshan ARGV` and fail on any missing-glyph warning its figures raise."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(argv) == 0
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]


def _csvs_have_a_bom(folder, expected: set[str]) -> None:
    found = {p.name for p in folder.rglob("*.csv")}
    assert found >= expected
    for path in folder.rglob("*.csv"):
        assert path.read_bytes().startswith(BOM), path


def test_validate_in_chinese(tmp_path, monkeypatch, capsys):
    import dataclasses

    from model.calibration import moments, validate

    short = dataclasses.replace(moments.base_scenario(), horizon="2023-12")
    monkeypatch.setattr(validate, "calibrated_baseline", lambda: short)
    out = tmp_path / "validation"
    args = ["validate", "--seeds", "2", "--scale", "0.004", "--micro-seeds", "1", "--workers", "1", "--out", str(out)]
    _without_tofu([*args, "--lang", "zh"])
    printed = capsys.readouterr().out
    assert "验证结果 ->" in printed and "项检验中" in printed and "地区生产总值 2021年(观测值" in printed
    header = printed.splitlines()[1]
    assert header.startswith("检验") and header.endswith("通过")
    _csvs_have_a_bom(out, {"validation.csv", "targets.csv"})
    with (out / "validation.csv").open(encoding="utf-8-sig", newline="") as fh:
        checks = [r["check"] for r in csv.DictReader(fh)]
    assert checks[0].startswith("gdp 2021 (obs ")  # the CSV keeps the checks' English names (their ids)
    assert {p.name for p in out.glob("*.png")} == {"forecast.png", "stylized_facts.png", "checks.png"}


def test_check_lines_in_chinese_align_by_display_width():
    from model.calibration.validate import band_check, check_lines

    checks = [
        band_check("gdp 2021 (obs 1)", 1.0, 0.5, 1.5, "地区生产总值 2021年(观测值 1)"),
        band_check("x", 2.0, None, 1.0),
    ]
    zh = check_lines(checks, "zh")
    assert zh[1].startswith("地区生产总值") and zh[1].endswith("是") and zh[2].endswith("否")
    assert labels.width(zh[1]) == labels.width(zh[2])
    assert check_lines(checks)[1].startswith("gdp 2021 (obs 1) ") and check_lines(checks)[2].endswith("NO")


SWEEP_ZH = """
name = "{name}"
base = "baseline"
design = "{design}"
seeds = {seeds}
root_seed = 7
scale = 0.01
horizon = "2025-12"
outputs = ["gdp", "disposable_income_per_capita", "urban_rural_income_ratio"]
"""
SWEEP_INPUTS = """
[[input]]
vary = "policy.cluster_subsidy"
target = "all"
start = "2023-01"
{first}

[[input]]
vary = "parameters.export_demand_growth"
range = [0.0, 0.1]
"""
SWEEP_DESIGNS = {  # design -> (experiment, the figure it draws)
    "grid": (
        SWEEP_ZH.format(name="grid_zh", design="grid", seeds=2) + SWEEP_INPUTS.format(first="levels = [0.0, 0.1]"),
        "probability_of_targets.png",
    ),
    "sobol": (
        SWEEP_ZH.format(name="sobol_zh", design="sobol", seeds=1)
        + "samples = 8\nbootstrap = 50\n"
        + SWEEP_INPUTS.format(first="range = [0.0, 0.1]"),
        "sobol_indices.png",
    ),
    "single": (SWEEP_ZH.format(name="single_zh", design="grid", seeds=8), "outcome_distributions.png"),
}


def _sweep_zh(root, design: str):
    text, _ = SWEEP_DESIGNS[design]
    (root / f"{design}.toml").write_text(text, encoding="utf-8")
    out = root / design
    argv = ["sweep", str(root / f"{design}.toml"), "--out", str(out), "--workers", "1"]
    _without_tofu([*argv, "--run-function", "sweep_fake:simulate", "--lang", "zh"])
    return out


@pytest.fixture(scope="module")
def grid_sweep_zh(tmp_path_factory):
    return _sweep_zh(tmp_path_factory.mktemp("sweep_zh"), "grid")


@pytest.mark.parametrize("design", ["grid", "sobol", "single"])
def test_sweep_in_chinese(design, grid_sweep_zh, tmp_path, capsys):
    out = grid_sweep_zh if design == "grid" else _sweep_zh(tmp_path, design)
    printed = capsys.readouterr().out
    if design != "grid":  # the module fixture's console was read by an earlier test
        assert "次运行(新算" in printed
    assert (out / "figures" / SWEEP_DESIGNS[design][1]).stat().st_size > 10_000
    _csvs_have_a_bom(out, {"summary.csv"} | ({"sobol.csv"} if design == "sobol" else set()))


def test_sweep_figure_titles_take_the_chinese_labels():
    from model.sweep.figures import _title
    from model.targets import targets_by_id

    gdp = targets_by_id()["gdp"]
    assert _title(gdp, "zh").startswith(gdp.label_zh + "(") and _title(gdp).startswith(gdp.label_en + " (")


def test_discover_in_chinese(grid_sweep_zh, tmp_path, capsys):
    out = tmp_path / "discover"
    capsys.readouterr()
    _without_tofu(["discover", str(grid_sweep_zh), "--target", "gdp", "--out", str(out), "--lang", "zh"])
    printed = capsys.readouterr().out
    assert printed.startswith("地区生产总值 2022年") and "区域:覆盖率" in printed
    page = (out / "report.html").read_text(encoding="utf-8")
    assert (
        '<html lang="zh-CN">' in page
        and "情景发现" in page
        and "剥离轨迹" in page
        and "<th>输入</th>" in page.replace(' lang="zh"', "")
    )
    _csvs_have_a_bom(out, {"box.csv", "trajectory.csv", "feature_scores.csv"})
    assert {p.name for p in (out / "figures").glob("*.png")} == {"peeling_trajectory.png", "box_limits.png"}


def test_backtest_in_chinese(tmp_path, capsys):
    out = tmp_path / "backtest"
    _without_tofu(
        ["backtest", "--origins", "2021", "--seeds", "2", "--scale", "0.005", "--out", str(out), "--lang", "zh"]
    )
    printed = capsys.readouterr().out
    assert (
        printed.startswith("回测:预测起点 2021")
        and "| 指标 | 预测步长 | 方法 |" in printed
        and "地区生产总值" in printed
    )
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 回测") and "## 评分" in readme
    _csvs_have_a_bom(out, {"backtest.csv", "scores.csv"})
    assert (out / "backtest.png").stat().st_size > 10_000


# test_optimise's tiny problem, renamed and with a budget cap (the cap's line is translated too)
OPTIMISE_ZH = (
    OPTIMISE_TINY.replace('name = "tiny"', 'name = "tiny_zh"').format(probability=0.5, seeds=2, evaluations=3, file="")
    + "\n[objective]\nbudget_cap = 120.0\n"
)


def test_optimise_in_chinese(tmp_path, capsys):
    (tmp_path / "tiny.toml").write_text(OPTIMISE_ZH, encoding="utf-8")
    out = tmp_path / "out"
    _without_tofu(["optimise", str(tmp_path / "tiny.toml"), "--out", str(out), "--lang", "zh"])
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("tiny_zh:3 个组合 × 2 个随机种子") and "预算上限 120.0 亿元" in printed[1]
    assert printed[-2] in ("组合:", "最佳结果:") and "每年占地区生产总值的比例" in printed[-1]
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 政策搜索:tiny_zh") and "## 搜索方法" in readme and "| 目标值 |" in readme
    assert "# Written by kunshan optimise" in (out / "solution.toml").read_text(encoding="utf-8")  # stays English
    _csvs_have_a_bom(out, {"pareto.csv", "evaluations.csv", "verification.csv"})
    assert (out / "figures" / "cost_vs_probability.png").stat().st_size > 10_000
