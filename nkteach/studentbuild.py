"""Old path of :mod:`nkteach.editions.student` (the student build); kept as an alias."""
import sys

from .editions import student as _m

sys.modules[__name__] = _m
