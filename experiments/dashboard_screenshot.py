"""A screenshot of `kunshan dashboard`, taken in Debian's headless chromium (bash .ci/install-browser).

    python experiments/dashboard_screenshot.py dashboard.png [--max cluster_subsidy]

Starts the dashboard on a free local port, optionally moves sliders to their maximum (``--max``),
waits for the charts and saves the page as PNG (model/browser.py). Needs the ``dashboard`` and
``test`` extras. experiments/readme_images.py makes the README's pictures with the same code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from model.browser import BrowserMissing, dashboard_screenshot


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="PNG file to write")
    parser.add_argument(
        "--max", action="append", default=[], metavar="LEVER", help="move this slider to its maximum first (repeatable)"
    )
    args = parser.parse_args()
    try:
        dashboard_screenshot(args.out, maximise=args.max)
    except BrowserMissing as err:
        print(f"dashboard_screenshot: {err}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
