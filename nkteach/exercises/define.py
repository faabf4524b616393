"""Checks of an exercise's definition (for the author), shared by the kind modules. Pure."""
from __future__ import annotations

from typing import Any

from .. import sealing
from ..validation import InvalidArgumentError, check_text
from .checker import ExerciseDefinitionError

__all__ = ["bad", "check_id", "check_question", "check_texts", "options", "hints", "need_answer",
           "make_seal", "aslist", "REVEAL_SWITCH"]

_norm = sealing.normalise
# The kernel's reveal switch of a seal it makes itself (instructor copies, classify items):
REVEAL_SWITCH = {True: "after-tries", False: "never"}


def bad(ex_id, msg: str) -> ExerciseDefinitionError:
    """An error for the author naming the exercise."""
    return ExerciseDefinitionError(f"exercise {ex_id!r}: {msg}")


def check_id(ex_id) -> str:
    """A non-empty string id (it keys saved answers)."""
    if not isinstance(ex_id, str) or not ex_id.strip():
        raise ExerciseDefinitionError(f"ex_id must be a non-empty string (it keys saved answers), "
                                      f"got {ex_id!r}")
    return ex_id


def check_question(ex_id, arg: str, value) -> str:
    """The question or prompt text: a non-empty string."""
    try:
        return check_text(arg, value)
    except InvalidArgumentError as e:
        raise bad(ex_id, str(e)) from None


def check_texts(ex_id, **kw) -> None:
    """Optional text keywords (why=, citation=, unit= …): a string or None."""
    for k, v in kw.items():
        if v is not None and not isinstance(v, str):
            raise bad(ex_id, f"{k}= must be a string, got {v!r:.80} ({type(v).__name__})")


def aslist(x) -> list:
    """None → [], one string → [it], else a list."""
    return [] if x is None else [x] if isinstance(x, str) else list(x)


def options(ex_id, values, what: str) -> list[str]:
    """At least two distinct options (or items) as strings."""
    if isinstance(values, (str, bytes)) or values is None or not hasattr(values, "__iter__") \
            or isinstance(values, dict):
        raise bad(ex_id, f"{what} must be a list of strings, got {values!r:.80}")
    values = [str(o) for o in values]
    if len(values) < 2 or len(set(map(_norm, values))) != len(values):
        raise bad(ex_id, f"needs at least two distinct {what}, got {values!r:.200}")
    return values


def hints(ex_id, hint, opts, answer, also) -> tuple[str, dict | None]:
    """(general hint, per-option hints) after checking the author's hint= value."""
    if hint is None or isinstance(hint, str):
        return hint or "", None
    if not isinstance(hint, dict):
        raise bad(ex_id, f"hint= must be a string or a dict option → hint, got {hint!r:.80}")
    normed = {_norm(o) for o in opts}
    right = {_norm(a) for a in [answer, *also] if a is not None}
    for opt in hint:
        if _norm(opt) not in normed:
            raise bad(ex_id, f"hint= names {opt!r}, which is not an option; options: "
                      f"{', '.join(map(repr, opts))}")
        if _norm(opt) in right:
            raise bad(ex_id, f"hint= gives a hint for {opt!r}, an accepted answer; hints are for "
                      "wrong options")
    return "", {str(k): str(v) for k, v in hint.items()}


def need_answer(ex_id, answer, seal) -> None:
    """An exercise needs its answer (instructor copy) or its seal (student copy)."""
    if answer is None and seal is None:
        raise bad(ex_id, "needs answer= (instructor copy) or seal= (student copy)")


def make_seal(ex_id, func: str, *, answer, seal, reveal: bool = True, **values: Any) -> dict:
    """The seal: the given one (student copy) or one made now from the answer (instructor)."""
    if seal is not None:
        return sealing.check_seal(seal, ex_id)
    return sealing.seal_kwargs(ex_id, func, {"answer": answer, **values}, reveal=REVEAL_SWITCH[bool(reveal)])
