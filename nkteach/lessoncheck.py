"""Old import path of the house-style lesson checker: now :mod:`nkteach.lessonfile.check`
(the same module object, so tests can set its switches). The checker learns the explorer names
from the widgets registry through :mod:`nkteach.lessonfile.explorers` when the widgets are
imported; it never imports them itself."""
import sys as _sys

from .lessonfile import check as _check

_sys.modules[__name__] = _check
