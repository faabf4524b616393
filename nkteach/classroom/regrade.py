"""The one adapter between the gradebook and the exercise checker (layer L9: it reads L8).

The gradebook re-checks every answer a hand-in records, against the instructor's lessons. It
needs two things, both here and nowhere else (so the checker can move without touching the
gradebook):

- :func:`exercise_specs` — ``{ex_id: (kind name, literal keyword arguments)}`` of a lesson
  notebook's auto-checked exercise calls (:func:`nkteach.lessonfile.exercise_specs`: positional
  arguments named, a classify call expanded into one ``classify:ID`` entry per statement,
  calls whose arguments are not literals left out);
- :func:`check_answer` — the outcome (:mod:`nkteach.outcomes`) of one answer, checked by the
  same pure check the student's notebook runs (:func:`nkteach.exercises.checker.check_call`).
"""
from __future__ import annotations

from ..exercises.checker import check_call
from ..lessonfile.items import CHECKED_KINDS, exercise_specs as _lessonfile_specs

__all__ = ["CHECKED_FUNCS", "exercise_specs", "check_answer"]

#: the auto-checked kinds of the registry (multiple_choice, numeric, ordering, classify …)
CHECKED_FUNCS = CHECKED_KINDS


def exercise_specs(nb: dict) -> dict[str, tuple[str, dict]]:
    """ex_id → (kind name, literal keyword arguments) of every auto-checked exercise of the
    instructor's notebook ``nb`` that can be re-checked (:func:`nkteach.lessonfile.exercise_specs`)."""
    return _lessonfile_specs(nb)


def check_answer(func: str, kwargs: dict, answer) -> str:
    """The outcome of ``answer`` for the exercise ``func(**kwargs)``: correct, also defensible,
    not yet, or no answer (empty). An answer the exercise cannot take (not an option, not a
    number) is "not yet"."""
    return check_call(func, kwargs, answer)
