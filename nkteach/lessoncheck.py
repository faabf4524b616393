"""Old import path of the house-style lesson checker: now :mod:`nkteach.lessonfile.check`.

This alias is the same module object (tests set its switches), and it gives the checker the
explorer names of the widgets registry (the lesson-file layer cannot import widgets itself)."""
from __future__ import annotations

import sys

from .lessonfile import check as _check
from .widgets._registry import all_names as _explorer_names

_check.set_explorer_names(_explorer_names())
sys.modules[__name__] = _check
