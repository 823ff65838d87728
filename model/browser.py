"""Debian's headless chromium through selenium: pages of the model in a real browser, and pictures of them.

Used by the dashboard's browser test (tests/test_dashboard.py), by the README's pictures
(experiments/readme_images.py) and by experiments/dashboard_screenshot.py, so that the browser is
started, waited on and photographed one way. Only Debian's ``chromium`` and ``chromedriver``
(``bash .ci/install-browser``) are used: selenium is never asked to fetch a browser of its own, and the
flags below keep chromium from calling out, so that everything works without internet access.

Chinese text in a page is drawn with a system font, and a fresh machine may have none with Chinese
glyphs (each character then shows as an empty box, "tofu"). Chromium finds fonts through fontconfig,
so the browser is started with a fontconfig file that adds the folder of Noto Sans SC from the
package ``pylopdf-fonts-zh-cn`` (the font the figures use, model/outputs/fonts.py) to the system's
fonts: the page itself is shown as any browser would show it. ``missing_glyphs`` tells whether every
Chinese character of a page has a glyph.

selenium is an optional dependency (the ``test`` extra); it is imported only when a browser starts.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from model.outputs.atomic import atomic_file

INSTALL = "bash .ci/install-browser (as root), or install Debian's chromium and chromium-driver"

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

IMAGES_LOADED = "return document.readyState === 'complete' && [...document.images].every(i => i.complete);"
TARGETS_TABLE = ".kunshan-targets-table"  # the dashboard's table of targets (model/dashboard/app.py)


class BrowserMissing(RuntimeError):
    """selenium, chromium or chromedriver is not installed."""


class WaitTimeout(AssertionError):
    """What was waited for did not happen in time (an AssertionError, so that a test fails with it)."""


def chromium_and_driver() -> tuple[str, str] | None:
    """The paths of Debian's chromium and chromedriver, when both are installed."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return (chromium, driver) if chromium and driver else None


def _fontconfig_file(folder: Path, font_dirs: Sequence[Path]) -> Path:
    """A fontconfig file in `folder`: the system's configuration, plus `font_dirs`."""
    dirs = "".join(f"  <dir>{d}</dir>\n" for d in font_dirs)
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{dirs}  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def cjk_font_dirs() -> list[Path]:
    """The folder holding the shipped Noto Sans SC (a dependency of the model)."""
    from pylopdf_fonts_zh_cn import sans_path

    return [Path(sans_path()).parent]


@contextmanager
def headless_chromium(width: int = 1600, height: int = 1300, cjk_font: bool = True) -> Iterator[Any]:
    """A selenium WebDriver on headless chromium with a `width` x `height` window, quit on leaving.

    `cjk_font=False` starts it with the system's fonts only (to show what a bare machine draws).
    Raises BrowserMissing, with what to install, when selenium, chromium or chromedriver is missing."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise BrowserMissing("selenium is not installed: pip install -e '.[test]'") from None
    found = chromium_and_driver()
    if found is None:
        raise BrowserMissing(f"chromium and chromedriver are not installed: {INSTALL}")
    chromium, driver = found
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*FLAGS, f"--window-size={width},{height}"):
        options.add_argument(flag)
    with tempfile.TemporaryDirectory(prefix="kunshan-chromium-") as folder:
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(_fontconfig_file(Path(folder), cjk_font_dirs() if cjk_font else []))
        browser = webdriver.Chrome(options=options, service=Service(driver, env=env))
        try:
            yield browser
        finally:
            browser.quit()


def wait(condition: Callable[[], Any], what: str, timeout: float = 180.0, interval: float = 0.3) -> Any:
    """The first true value of `condition()` within `timeout` seconds (generous: the machine may be
    loaded); a page not there yet or a server not listening yet counts as not yet."""
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except (WebDriverException, OSError):
            value = None
        if value:
            return value
        time.sleep(interval)
    raise WaitTimeout(f"timed out waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


@contextmanager
def dashboard_server(port: int, options: Sequence[str] = (), log: Any = subprocess.DEVNULL, cwd: Path | None = None):
    """`kunshan dashboard --port PORT OPTIONS` in a child process, listening when the block starts,
    stopped when it ends. Its output goes to `log` (a file, or nowhere)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "model", "dashboard", "--port", str(port), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=cwd,
    )
    try:
        wait(lambda: server.poll() is None and listening(port), "the dashboard to listen")
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def targets_table(browser) -> str:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR, TARGETS_TABLE).text


def slider(browser, name: str):
    """The thumb of the dashboard's slider for lever or parameter `name` (its label reads `name = value`)."""
    from selenium.webdriver.common.by import By

    return browser.find_element(
        By.XPATH,
        f"//label[starts-with(normalize-space(.), '{name} =')]"
        "/ancestor::div[contains(@class, 'v-input')][1]//*[@role='slider']",
    )


def chart_digest(browser) -> str | None:
    """Type, size and FNV-1a hash of the picture the dashboard's chart <img> shows (solara serves it as
    a blob whose address changes on every render, so the bytes are compared, not the address)."""
    return browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const img = document.querySelector("div.kunshan-targets-chart img");
        if (!img || !img.src || !img.complete) { done(null); return; }
        fetch(img.src).then(r => r.blob()).then(b => b.arrayBuffer().then(buffer => {
            let hash = 2166136261;
            for (const byte of new Uint8Array(buffer)) { hash = Math.imul(hash ^ byte, 16777619) >>> 0; }
            done(`${b.type} ${buffer.byteLength} ${hash}`);
        })).catch(() => done(null));
    """)


def missing_glyphs(browser) -> str:
    """The Chinese characters of the page's text that the browser draws as the missing-glyph box.

    Each distinct Han character is drawn on a canvas in the body's font and compared with a code
    point no font has (U+10FFFD, private use): drawn the same, it has no glyph either."""
    return browser.execute_script("""
        const style = getComputedStyle(document.body);
        const canvas = document.createElement("canvas");
        canvas.width = canvas.height = 48;
        const ctx = canvas.getContext("2d");
        ctx.font = `32px ${style.fontFamily}`;
        const draw = (text) => {
            ctx.clearRect(0, 0, 48, 48);
            ctx.fillText(text, 4, 38);
            return canvas.toDataURL();
        };
        const box = draw(String.fromCodePoint(0x10FFFD));
        const han = new Set(document.body.innerText.match(/\\p{Script=Han}/gu) || []);
        return [...han].filter(ch => draw(ch) === box).join("");
    """)


def save_png(browser, out: Path, full_page: bool = False) -> Path:
    """The page as PNG in `out` (written atomically): the window, or with `full_page` the whole
    document however long (chromium's DevTools screenshot beyond the viewport)."""
    if full_page:
        width, height = browser.execute_script(
            "const e = document.documentElement; return [e.scrollWidth, e.scrollHeight];"
        )
        shot = browser.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
        png = base64.b64decode(shot["data"])
    else:
        png = browser.get_screenshot_as_png()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(out) as partial:
        partial.write_bytes(png)
    return out


def report_screenshot(html: Path, out: Path, width: int = 1400) -> Path:
    """A full-page picture of a report (report.html of a results folder) in `out`.

    Refuses (RuntimeError, nothing written) when any Chinese character would show as a box."""
    with headless_chromium(width=width, height=1000) as browser:
        browser.get(Path(html).resolve().as_uri())
        wait(lambda: browser.execute_script(IMAGES_LOADED), "the report and its figures to load")
        missing = missing_glyphs(browser)
        if missing:
            raise RuntimeError(f"{html}: no font draws these characters: {missing[:20]}")
        return save_png(browser, out, full_page=True)


def dashboard_screenshot(out: Path, maximise: Sequence[str] = (), options: Sequence[str] = ()) -> Path:
    """A picture of `kunshan dashboard OPTIONS` in `out`, once its charts are drawn, after moving the
    sliders named in `maximise` to their maximum (the keyboard's End key) one by one, each redrawn."""
    from selenium.webdriver.common.keys import Keys

    port = free_port()
    with headless_chromium(width=1600, height=1200) as browser, dashboard_server(port, options):
        browser.get(f"http://127.0.0.1:{port}/")
        chart = wait(lambda: chart_digest(browser), "the targets chart")
        table = wait(lambda: targets_table(browser), "the targets table")
        for name in maximise:
            slider(browser, name).send_keys(Keys.END)
            chart = wait(lambda old=chart: _changed(chart_digest(browser), old), f"the chart to redraw after {name}")
            table = wait(lambda old=table: _changed(targets_table(browser), old), f"the table to change after {name}")
        wait(lambda: browser.execute_script(IMAGES_LOADED), "every figure of the page to load")
        time.sleep(1.0)  # the last figure swapped in may still be painting
        return save_png(browser, out)


def _changed(now, old):
    return now if now not in (None, old) else None
