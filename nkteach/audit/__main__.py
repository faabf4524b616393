"""``python -m nkteach.audit [ROOT] [--report FILE.md] [--write-times]`` (the same as
``nkteach audit``; the command itself is :mod:`nkteach.cli.audit`)."""

import sys

from nkteach.cli.audit import main

sys.exit(main())
