"""The README's pictures (experiments/readme_images.py, model/browser.py): a Chinese report photographed
whole with every glyph drawn, the dashboard once its charts are there, and the command's refusals."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

from model.cli import main as kunshan

ROOT = Path(__file__).resolve().parents[1]
PNG = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")  # the IHDR chunk


def _readme_images():
    spec = importlib.util.spec_from_file_location("readme_images", ROOT / "experiments" / "readme_images.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _system_has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    return fc_list is None or bool(subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True).stdout)


def test_chinese_characters_draw_with_the_shipped_font_and_as_boxes_without_it(tmp_path, need_chromium):
    from model.browser import headless_chromium, missing_glyphs

    page = tmp_path / "page.html"
    page.write_text('<!doctype html><html lang="zh-CN"><body>昆山 GDP 目标</body></html>', encoding="utf-8")
    with headless_chromium(width=400, height=300) as browser:
        browser.get(page.as_uri())
        assert missing_glyphs(browser) == ""
    if _system_has_cjk_font():
        pytest.skip("this machine has a Chinese font of its own: the check cannot be shown failing")
    with headless_chromium(width=400, height=300, cjk_font=False) as browser:
        browser.get(page.as_uri())
        assert sorted(missing_glyphs(browser)) == sorted("昆山目标")


@pytest.mark.slow
def test_a_chinese_report_is_photographed_whole(tmp_path, need_chromium):
    from model.browser import report_screenshot

    results = tmp_path / "zh"
    assert kunshan(["run", "--seeds", "2", "--scale", "0.002", "--lang", "zh", "--out", str(results)]) == 0
    out = report_screenshot(results / "report.html", tmp_path / "img" / "report_zh.png", width=1000)
    width, height = _png_size(out)
    assert width == 1000 and height > 3000  # the whole page (tables and every figure), not the 1000-pixel window
    assert [p.name for p in out.parent.iterdir()] == ["report_zh.png"]  # no partial file left beside it


@pytest.mark.slow
def test_the_dashboard_is_photographed_after_its_sliders_move(tmp_path, need_chromium):
    pytest.importorskip("solara")
    from model.browser import dashboard_screenshot

    out = dashboard_screenshot(
        tmp_path / "dashboard.png", maximise=["cluster_subsidy"], options=["--seeds", "2", "--scale", "0.005"]
    )
    width, height = _png_size(out)
    assert width == 1600 and height > 800


def test_an_out_that_is_a_file_is_refused_in_one_line(tmp_path, capsys):
    taken = tmp_path / "img"
    taken.write_text("not a folder")
    assert _readme_images().main(["--out", str(taken)]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and str(taken) in err and err.count("\n") == 1
    assert taken.read_text() == "not a folder"


def test_without_a_browser_the_command_says_what_to_install(tmp_path, monkeypatch, capsys):
    pytest.importorskip("selenium.webdriver")
    import model.browser

    monkeypatch.setattr(model.browser, "chromium_and_driver", lambda: None)
    out = tmp_path / "img"
    assert _readme_images().main(["--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "install-browser" in err and err.count("\n") == 1
    assert not out.exists()


def test_a_failed_run_is_one_line_and_exit_1(tmp_path, monkeypatch, capsys):
    pytest.importorskip("selenium.webdriver")
    from contextlib import nullcontext

    module = _readme_images()

    def failing(folder):
        raise RuntimeError("model run baseline failed (exit 2): scenario.toml: bad key")

    monkeypatch.setattr(module, "headless_chromium", lambda **size: nullcontext())
    monkeypatch.setattr(module, "chinese_report", failing)
    assert module.main(["--out", str(tmp_path / "img")]) == 1
    err = capsys.readouterr().err
    assert "failed (exit 2)" in err and err.count("\n") == 1
    assert list((tmp_path / "img").iterdir()) == []
