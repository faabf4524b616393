"""Old path of :mod:`nkteach.editions.student` (the student build); kept as an alias."""
import sys as _sys

from .editions import student as _m

_sys.modules[__name__] = _m
