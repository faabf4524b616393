"""Old import path of :mod:`nkteach.classroom.gradebook` (the same module object)."""
import sys as _sys

from nkteach.classroom import gradebook as _m

_sys.modules[__name__] = _m
