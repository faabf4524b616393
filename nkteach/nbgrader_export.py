"""Old path of :mod:`nkteach.editions.nbgrader` (the nbgrader export); kept as an alias."""
import sys

from .editions import nbgrader as _m

sys.modules[__name__] = _m
