"""Old import path of :mod:`nkteach.classroom.submission` (the same module object)."""
import sys

from nkteach.classroom import submission as _m

sys.modules[__name__] = _m
