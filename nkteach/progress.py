"""Old import path of the progress store and panel (kept so lessons and notebooks keep working).

The store is :mod:`nkteach.classroom.progress`; the panel and *Hand in* button are
:mod:`nkteach.widgets.progress`. Patch attributes on those modules, not on this alias.
"""
from nkteach.classroom.progress import *  # noqa: F401,F403
from nkteach.classroom.progress import (  # noqa: F401  (names tests and lessons use)
    ENV_DATA_DIR,
    SAVE_WARNING,
    STORE_NAME,
    current_notebook,
    data_dir,
    find_notebook,
    format_text,
    lesson_progress,
    record,
    records,
    store_path,
)
from nkteach.classroom.progress import __all__ as _store_all
from nkteach.outcomes import ICONS, NOT_ATTEMPTED, OUTCOMES  # noqa: F401  (the store's old names)
from nkteach.widgets.progress import ProgressPanel, progress  # noqa: F401

__all__ = [*_store_all, "OUTCOMES", "ProgressPanel", "progress"]
