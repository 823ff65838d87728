"""The README's pictures: the dashboard, and a report in Chinese, both in Debian's headless chromium.

    python experiments/readme_images.py [--out docs/img]

Writes ``dashboard.png`` (``kunshan dashboard`` with its default settings, once its charts are drawn)
and ``report_zh.png`` (the whole ``report.html`` of a small baseline run with ``--lang zh``, made in a
temporary folder and removed again) into ``--out`` (default ``docs/img``, which git ignores: the
pictures are made on each machine, never committed). Each file is written atomically. Needs the
``test`` extra (selenium, and the dashboard's) and ``bash .ci/install-browser``; a missing browser or
a bad ``--out`` is one line and exit status 2, nothing written; a failure on the way is one line
and exit status 1. The browser code is model/browser.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from model.browser import BrowserMissing, WaitTimeout, dashboard_screenshot, headless_chromium, report_screenshot

# The report's run: small enough for a minute on a loaded laptop; its P(met) are shares of 4 seeds.
REPORT_SEEDS = 4
REPORT_SCALE = 0.005


def chinese_report(folder: Path) -> Path:
    """`kunshan run --lang zh` at a small scale into `folder`; the path of its report.html."""
    results = folder / "baseline_zh"
    command = [sys.executable, "-m", "model", "run", "baseline", "--lang", "zh", "--out", str(results)]
    command += ["--seeds", str(REPORT_SEEDS), "--scale", str(REPORT_SCALE)]
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[1:])} failed (exit {done.returncode}): {done.stderr.strip()}")
    return results / "report.html"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img"), help="folder for the PNGs (default docs/img)")
    args = parser.parse_args(argv)
    if args.out.exists() and not args.out.is_dir():
        print(f"readme_images: --out {args.out}: expected a folder, found a file", file=sys.stderr)
        return 2
    try:
        with headless_chromium(width=200, height=200):  # is the browser there, before a minute of work?
            pass
    except BrowserMissing as err:
        print(f"readme_images: {err}", file=sys.stderr)
        return 2
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        print(f"readme_images: --out {args.out}: cannot create the folder ({err.strerror})", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="kunshan-readme-") as tmp:
            print(f"running the baseline in Chinese ({REPORT_SEEDS} seeds at scale {REPORT_SCALE}) ...", flush=True)
            report = chinese_report(Path(tmp))
            print(f"wrote {report_screenshot(report, args.out / 'report_zh.png')}", flush=True)
        print("starting the dashboard and waiting for its charts ...", flush=True)
        print(f"wrote {dashboard_screenshot(args.out / 'dashboard.png')}")
    except (RuntimeError, WaitTimeout) as err:  # a failed run, a page that never came, a missing glyph
        print(f"readme_images: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
