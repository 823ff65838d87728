import sys

from model.sweep.cli import main

sys.exit(main())
