"""House-style constants of a lesson file, in one place (each was spelled in several modules).

Imports nothing, so every layer may read them.
"""
from __future__ import annotations

__all__ = ["LESSON_GLOB", "WRITTEN_TAG", "MIN_WORDS", "REVEAL_AFTER", "ASSET_SUFFIXES",
           "SOLUTION_TAGS", "CHECK_OUTPUT_MARKER"]

LESSON_GLOB = "[0-9][0-9]-*.ipynb"   # how lesson files are found in a folder
# The Markdown cell after a written task holds the student's answer: tagged WRITTEN_TAG and with
# metadata {"nkteach": {"written": ex_id}} (made by the lesson template and new-lesson).
WRITTEN_TAG = "written-answer"
MIN_WORDS = 80                       # default word minimum of a written task (written(min_words=))
REVEAL_AFTER = 3                     # wrong attempts before an "after-tries" copy offers the answer
# Files a student copy may carry besides notebooks: images that a lesson references.
ASSET_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
SOLUTION_TAGS = frozenset({"solution", "instructor"})   # cells the student build drops
CHECK_OUTPUT_MARKER = "# NBVAL_CHECK_OUTPUT"            # a code cell whose output is kept
