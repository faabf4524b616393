"""Old import path of :mod:`nkteach.classroom.gradebook` (the same module object)."""
import sys

from nkteach.classroom import gradebook as _m

sys.modules[__name__] = _m
