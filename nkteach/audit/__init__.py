"""``nkteach audit``: balance and consistency of the course, measured (issue 19, items 2 and 3).

A registry of rules (:data:`RULES`, name -> function, each documented by its docstring) run over
the lessons, the course pages (``lessons/*.md``), ``README.md`` and ``site/*.md``:

- ``name-order``     contested place pairs follow the package's order rule or carry a marked reason;
- ``loaded-terms``   loaded terms are attributed wherever they appear;
- ``seeds-cited``    every lesson cites a seed (claims per party and seeds cited are counted too);
- ``links``          links to glossary entries, lesson sections and course pages resolve;
- ``lesson-lists``   readings' "Used in", lesson counts, glossary legend and syllabus match the lessons;
- ``prerequisites``  machine-readable, consistent with the first cell, respected by the syllabus;
- ``model-answers``, ``closing-cell``, ``rubrics``, ``time``: the house-style rules on each lesson
  (plain notebook functions in :mod:`nkteach.lessonfile.house`, which ``nkteach check`` runs too;
  re-exported here, and as ``nkteach.audit.house``).

``run_audit(root)`` returns an :class:`AuditResult`; :func:`summary_text` and
:func:`report_markdown` present it; :func:`write_times` writes the computed times. See
docs/audit.md.
"""

from __future__ import annotations

from ..lessonfile import house  # noqa: F401  (nkteach.audit.house, the old path of the rules)
# Importing the widgets registers the explorer names with the lesson-file layer (the time rule
# counts the explorers that draw).
from ..widgets import EXPLORERS  # noqa: F401
from ..lessonfile.house import (
    HOUSE_RULES,
    Times,
    closing_problems,
    lesson_times,
    model_answer_problems,
    rubric_problems,
    time_problems,
)
from .report import AuditResult, LessonStats, report_markdown, run_audit, summary_text
from .rules import RULES, Finding
from .texts import AuditInputError
from .writer import write_times

__all__ = [
    "RULES",
    "Finding",
    "AuditResult",
    "LessonStats",
    "AuditInputError",
    "run_audit",
    "summary_text",
    "report_markdown",
    "write_times",
    "HOUSE_RULES",
    "Times",
    "lesson_times",
    "time_problems",
    "rubric_problems",
    "closing_problems",
    "model_answer_problems",
]
