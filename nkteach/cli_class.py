"""Old import path of the classroom commands: the module :mod:`nkteach.cli.classroom` itself."""
import sys as _sys

from .cli import classroom as _m

_sys.modules[__name__] = _m
