"""Old import path of the lesson items: now :mod:`nkteach.lessonfile.items`. Kept as a thin
alias (with the underscore names nkteach.nbgrader_export still imports, until it uses the public
ones: ``_calls`` → ``lessonfile.calls``, ``_source`` → ``lessonfile.cell_source``,
``_ipython_safe`` → ``lessonfile.ipython_safe``, ``_classify_ids`` → ``lessonfile.call_classify_ids``)."""
from __future__ import annotations

from .lessonfile.items import *  # noqa: F403
from .lessonfile.items import __all__  # noqa: F401
from .lessonfile.items import call_classify_ids as _classify_ids  # noqa: F401
from .lessonfile.reader import NotALessonError, read_notebook  # noqa: F401
from .lessonfile.reader import cell_source as _source  # noqa: F401
from .lessonfile.source import calls as _calls, ipython_safe as _ipython_safe  # noqa: F401
