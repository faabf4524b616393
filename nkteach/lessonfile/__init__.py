"""The lesson-file layer: everything nkteach knows about a lesson notebook as a file.

One module per job:

- :mod:`.style` — house-style constants (``WRITTEN_TAG``, ``LESSON_GLOB``, ``MIN_WORDS`` …);
- :mod:`.reader` — the one notebook reader (:func:`read_notebook`) and cell helpers;
- :mod:`.frontmatter` — course pages and their front matter, parsed once;
- :mod:`.kinds` — the exercise-kind registry :data:`KINDS`;
- :mod:`.source` — the one walk over lesson source (which calls are exercises, literals);
- :mod:`.statements` — the classify kind's data (the ``statements`` dataset as exercises);
- :mod:`.items` — what a lesson asks (items, written answers, version, lesson keys);
- :mod:`.check` — the house-style lesson checker (import it as ``nkteach.lessonfile.check``).

The crypto format of seals is :mod:`nkteach.sealing` (same layer; it reads the walk from here).
"""
from __future__ import annotations

from .frontmatter import course_pages, for_instructors, front_matter, page_title
from .items import (CHECKED_KINDS, Item, LessonItems, call_classify_ids, exercise_specs, heading_anchor,
                    lesson_items, lesson_key, lesson_of_id, notebook_seals, version_hash, word_count,
                    written_answers, written_cells)
from .kinds import EXERCISE_FUNCS, KINDS, Kind, form_table, kind
from .reader import (NotALessonError, NotebookError, NotebookMissingError, cell_source, cell_tags,
                     lesson_files, read_notebook, referenced_assets)
from .source import (SourceError, call_arg, call_ex_id, call_kwargs, call_values, calls, exercise_calls,
                     func_name, ipython_safe, literal, notebook_calls)
from .statements import LEVEL_CHOICES, UnknownItemError, classify_ids, statement_exercise, statements
from .style import (ASSET_SUFFIXES, CHECK_OUTPUT_MARKER, LESSON_GLOB, MIN_WORDS, REVEAL_AFTER,
                    SOLUTION_TAGS, WRITTEN_TAG)

__all__ = [
    # style
    "ASSET_SUFFIXES", "CHECK_OUTPUT_MARKER", "LESSON_GLOB", "MIN_WORDS", "REVEAL_AFTER", "SOLUTION_TAGS",
    "WRITTEN_TAG",
    # reader
    "NotALessonError", "NotebookError", "NotebookMissingError", "cell_source", "cell_tags",
    "lesson_files", "read_notebook", "referenced_assets",
    # front matter
    "course_pages", "for_instructors", "front_matter", "page_title",
    # kinds
    "EXERCISE_FUNCS", "KINDS", "Kind", "form_table", "kind",
    # source walk
    "SourceError", "call_arg", "call_ex_id", "call_kwargs", "call_values", "calls", "exercise_calls",
    "func_name", "ipython_safe", "literal", "notebook_calls",
    # statements (classify)
    "LEVEL_CHOICES", "UnknownItemError", "classify_ids", "statement_exercise", "statements",
    # items
    "CHECKED_KINDS", "Item", "LessonItems", "call_classify_ids", "exercise_specs", "heading_anchor",
    "lesson_items", "lesson_key", "lesson_of_id", "notebook_seals", "version_hash", "word_count",
    "written_answers", "written_cells",
]
