"""``python -m nkteach ...`` runs the instructor command line (see :mod:`nkteach.cli`)."""
import sys

from .cli import main

sys.exit(main())
