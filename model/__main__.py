"""`python -m model` is the `kunshan` command, for use without installing the console script."""

from model.cli import main

raise SystemExit(main())
