"""Old import path of the notebook reader: now :mod:`nkteach.lessonfile` (reader, front matter,
source walk). Kept as a thin alias so existing imports keep working."""
from __future__ import annotations

from .lessonfile.frontmatter import course_pages, for_instructors, front_matter
from .lessonfile.reader import (NotebookError, NotebookMissingError, cell_source, cell_tags, lesson_files,
                                read_notebook, referenced_assets)
from .lessonfile.source import notebook_calls as exercise_calls
from .lessonfile.style import ASSET_SUFFIXES, LESSON_GLOB

__all__ = ["NotebookError", "NotebookMissingError", "read_notebook", "cell_source", "cell_tags",
           "lesson_files", "exercise_calls", "referenced_assets", "course_pages", "for_instructors",
           "front_matter", "LESSON_GLOB", "ASSET_SUFFIXES"]
