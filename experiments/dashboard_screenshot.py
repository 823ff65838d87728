"""A screenshot of `kunshan dashboard`, taken in Debian's headless chromium (bash .ci/install-browser).

    python experiments/dashboard_screenshot.py dashboard.png [--max cluster_subsidy]

Starts the dashboard on a free local port, optionally moves sliders to their maximum (``--max``),
waits for the charts and saves the page as PNG. Needs the ``dashboard`` and ``test`` extras.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path


def wait(condition, what: str, timeout: float = 180.0):
    from selenium.common.exceptions import WebDriverException

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except (WebDriverException, OSError):
            value = None
        if value:
            return value
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument(
        "--max", action="append", default=[], metavar="LEVER", help="move this slider to its maximum first (repeatable)"
    )
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "model", "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1600,1200",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        wait(lambda: socket.create_connection(("127.0.0.1", port), timeout=1).close() or True, "the server")
        browser.get(f"http://127.0.0.1:{port}/")
        table = wait(lambda: browser.find_element(By.CSS_SELECTOR, ".kunshan-targets-table").text, "the table")
        for lever in args.max:
            browser.find_element(
                By.XPATH,
                f"//label[starts-with(normalize-space(.), '{lever} =')]"
                "/ancestor::div[contains(@class, 'v-input')][1]//*[@role='slider']",
            ).send_keys(Keys.END)
            table = wait(
                lambda old=table: (lambda now: now if now != old else None)(
                    browser.find_element(By.CSS_SELECTOR, ".kunshan-targets-table").text
                ),
                f"{lever} to take effect",
            )
        time.sleep(2)  # let the figures finish drawing
        browser.save_screenshot(str(args.out))
        print(f"wrote {args.out}")
    finally:
        browser.quit()
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
