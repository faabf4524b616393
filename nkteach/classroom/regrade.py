"""The one adapter between the gradebook and the exercise checker.

The gradebook re-checks every answer a hand-in records, against the instructor's lessons. It
needs two things, both here and nowhere else (so the checker can move without touching the
gradebook):

- :func:`exercise_specs` — ``{ex_id: (constructor name, literal keyword arguments)}`` of a
  lesson notebook's exercise calls (positional arguments named; a classify call expanded into
  one ``classify:ID`` entry per statement);
- :func:`check_answer` — the outcome (:mod:`nkteach.outcomes`) of one answer, checked by the
  same pure check the student's notebook runs, built from those literal arguments.

When ``nkteach.exercises.checker.check_call`` and ``nkteach.lessonfile.exercise_specs`` exist
(the lesson-file layer and the pure checker), both functions use them; until then they build the
instructor's exercise from the literal call and run its pure check (``exercise.spec.check``).
"""
from __future__ import annotations

import json
import warnings

from ..outcomes import NO_ANSWER, NOT_YET

__all__ = ["CHECKED_FUNCS", "exercise_specs", "check_answer"]

# constructor → names of its positional parameters (the exercise API of nkteach.exercises)
_POSITIONAL = {"multiple_choice": ("ex_id", "question", "options"), "numeric": ("ex_id", "question"),
               "ordering": ("ex_id", "question", "items"), "classify": ("item_ids",)}
CHECKED_FUNCS = tuple(_POSITIONAL)
_BUILT: dict[str, object] = {}

try:    # the lesson-file layer and the pure checker, where this build has them
    from ..exercises.checker import check_call as _check_call
    from ..lessonfile import exercise_specs as _lessonfile_specs
except ImportError:
    _check_call = _lessonfile_specs = None


def _kwargs(func: str, call) -> dict | None:
    from ..sealing import SealError, literal

    names = _POSITIONAL[func]
    try:
        kw = {names[i]: literal(a, "an argument") for i, a in enumerate(call.args[:len(names)])}
        kw.update({k.arg: literal(k.value, k.arg) for k in call.keywords if k.arg})
    except (SealError, ValueError, TypeError, ZeroDivisionError):
        return None                 # not literal: this exercise cannot be re-checked
    return kw


def _build(func: str, kwargs: dict):
    key = json.dumps([func, kwargs], sort_keys=True, default=str)
    if key not in _BUILT:
        from .. import exercises

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _BUILT[key] = getattr(exercises, func)(**kwargs)
    return _BUILT[key]


def exercise_specs(nb: dict) -> dict[str, tuple[str, dict]]:
    """ex_id → (constructor, literal kwargs) for every checkable exercise call of ``nb``
    (exercises whose arguments are not literals are left out: they cannot be re-checked)."""
    if _lessonfile_specs is not None:
        return _lessonfile_specs(nb)
    from ..notebooks import exercise_calls

    out: dict[str, tuple[str, dict]] = {}
    for _i, func, _ex_id, call in exercise_calls(nb):
        if func not in _POSITIONAL:
            continue
        kw = _kwargs(func, call)
        if kw is None:
            continue
        if func == "classify":
            try:
                group = _build(func, kw)
            except Exception:  # noqa: BLE001 (a lesson call the checker rejects: not re-checkable)
                continue
            rest = {k: v for k, v in kw.items() if k not in ("item_ids", "lesson", "n")}
            for part in getattr(group, "parts", None) or [group]:
                item = part.ex_id.split(":", 1)[1]
                out[part.ex_id] = ("classify", {"item_ids": [item], **rest})
        elif isinstance(kw.get("ex_id"), str):
            out[kw["ex_id"]] = (func, kw)
    return out


def check_answer(func: str, kwargs: dict, answer) -> str:
    """The outcome of ``answer`` for the exercise ``func(**kwargs)``: correct, also defensible,
    not yet, or no answer (empty). An answer the exercise cannot take (not an option, not a
    number) is "not yet"."""
    if _check_call is not None:
        return _check_call(func, kwargs, answer)
    ex = _build(func, kwargs)
    spec = getattr(ex, "spec", None)
    if spec is None:
        raise ValueError(f"{func} {kwargs!r:.80} is a group, not one exercise")
    try:
        return spec.check(answer).status
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError):
        return NOT_YET if answer not in (None, "", [], {}) else NO_ANSWER
