"""Old path of :mod:`nkteach.editions.nbgrader` (the nbgrader export); kept as an alias."""
import sys as _sys

from .editions import nbgrader as _m

_sys.modules[__name__] = _m
