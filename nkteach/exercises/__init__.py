"""Self-checking exercises with instant feedback: correct / also defensible / not yet.

The kinds (the registry :data:`nkteach.lessonfile.KINDS`), each returning an :class:`Exercise`
(an ipywidgets ``VBox``)::

    multiple_choice("l1-lens", "Which lens goes with the elite level?",
                    ["realism", "liberalism", "constructivism"],
                    answer="constructivism", why="...", citation="002 §II.A",
                    hint={"realism": "Realism looks at the distribution of power ..."})
    classify([1, 2, 3])                       # items of the `statements` dataset
    numeric("l4-poll", "Share choosing war (%)?", answer=49.34, tolerance=0.05, unit="%")
    ordering("l2-order", "Put in order", ["Kelbajar taken", "Shusha taken"],
             answer=["Shusha taken", "Kelbajar taken"])

and :func:`written` for written tasks (answered in the tagged Markdown cell that follows).

Every exercise checks answers through its *seal* (:mod:`nkteach.sealing`): the explanation is
encrypted under a key derived from the right answer, so the instructor copy (which builds the
seal when the cell runs) and the student copy (whose cell carries only ``seal={...}``, written
by the student build) give the same feedback, and the kernel-free HTML form shipped beside the
widget opens the same seal in the browser. A right answer shows the explanation; a wrong one
shows the author's ``hint=`` (a string, or a dict wrong option → hint), never the explanation.
How a student sees an answer depends on how the copy was built (docs/sealing.md): with the
release code the instructor gives (:func:`unlock`), after three wrong tries (an "after-tries"
copy, whose file carries the answers), or never.

Package layout: :mod:`.checker` (pure checks, :func:`~.checker.check_call` for re-grading),
:mod:`.view` (ipywidgets), :mod:`.form` (kernel-free HTML form), :mod:`.state` (this kernel's
answers), :mod:`.release` (:func:`unlock`) and :mod:`.kinds` (one module per kind).

Public contract: ``get(ex_id).check(answer)`` checks an answer of an exercise shown in this
kernel; the Check button takes the same path. Every check calls
``nkteach.classroom.progress.record(ex_id=, kind=, outcome=, answer=, attempt=)`` (the progress store).
"""
from __future__ import annotations

import importlib

from ..lessonfile.kinds import KINDS
from ..lessonfile.statements import LEVEL_CHOICES, UnknownItemError
# private names other modules imported from here (nbgrader_export, tests), until they use the
# public ones in nkteach.lessonfile (statements, level_code)
from ..lessonfile.statements import clear_cache, level_code as _level_code, statements as _statements  # noqa: F401
from ..lessonfile.style import REVEAL_AFTER, WRITTEN_TAG
from ..outcomes import ALSO, CORRECT, NO_ANSWER, NOT_YET
from ..sealing import answer_texts, seal_notebook, seal_source
from .checker import (ExerciseDefinitionError, Result, Spec, UnknownExerciseError, check_call,
                      check_call_result, parse_number)
from .kinds.written import Written
from .release import Released, ReleaseCodeError, unlock
from . import state  # noqa: F401  (nkteach.exercises.state: the kernel's answers; tests reset it)
from .state import get, reset_state, shown

__all__ = ["get", "Result", "Exercise", "Written", "seal_source", "seal_notebook",  # noqa: F822
           "answer_texts", "parse_number", "LEVEL_CHOICES", "CORRECT", "ALSO", "NOT_YET", "NO_ANSWER",
           "reset_state", "UnknownItemError", "UnknownExerciseError", "ExerciseDefinitionError",
           "WRITTEN_TAG", "REVEAL_AFTER", "unlock", "Released", "ReleaseCodeError", "check_call",
           "check_call_result", "Spec", "shown", "clear_cache", "progress"]

# The constructors, one per kind of the registry: ex.multiple_choice, ex.numeric, ex.ordering,
# ex.classify, ex.written … (a new kind appears here without editing this file).
for _k in KINDS.values():
    globals()[_k.name] = getattr(importlib.import_module(f"{__name__}.kinds.{_k.module}"), _k.name)
    if _k.name not in __all__:
        __all__.append(_k.name)
del _k


def __getattr__(name):
    # the widget class and the progress panel are imported on first use, so the pure checker
    # (nkteach.exercises.checker) can be imported without ipywidgets
    if name == "Exercise":
        from .view import Exercise

        return Exercise
    if name == "progress":     # ex.progress(): the lesson's checklist and hand-in button (L7 widgets)
        from ..widgets.progress import progress

        return progress
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
