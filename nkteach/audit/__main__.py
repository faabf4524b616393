"""``python -m nkteach.audit [ROOT] [--report FILE.md] [--write-times]``."""

import sys

from .cli import main

sys.exit(main())
