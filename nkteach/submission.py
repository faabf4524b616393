"""Old import path of :mod:`nkteach.classroom.submission` (the same module object)."""
import sys as _sys

from nkteach.classroom import submission as _m

_sys.modules[__name__] = _m
