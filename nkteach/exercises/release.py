"""``ex.unlock(code)``: the lesson's release code opens every release blob of the exercises
and written tasks shown in this kernel (answers, explanations, model answers)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import sealing
from ..lessonfile.items import lesson_of_id
from ..markup import html_text
from ..validation import InvalidArgumentError, check_text
from . import state
from .checker import answer_text

__all__ = ["unlock", "Released", "ReleaseCodeError"]


class ReleaseCodeError(InvalidArgumentError):
    """A release code that is malformed, or that opens none of the shown exercises."""


@dataclass
class Released:
    """What a release code opened: ex_id → "Answer: … explanation" (written: the model answer)."""

    lessons: list[str]
    opened: dict[str, str] = field(default_factory=dict)

    def _title(self) -> str:
        which = ", ".join(f"Lesson {k}" for k in self.lessons) or "this lesson"
        return f"🔓 {which}: {len(self.opened)} answer(s) released."

    def __str__(self) -> str:
        return "\n".join([self._title(), *(f"  {k}: {v}" for k, v in self.opened.items())])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows = "".join(f"<li><b>{html_text(k)}</b>: {html_text(v)}</li>" for k, v in self.opened.items())
        return f'<div role="status"><p>{html_text(self._title())}</p><ul>{rows}</ul></div>'


def _has_blob(obj) -> bool:
    seal = getattr(getattr(obj, "spec", None), "seal", None) or getattr(obj, "seal", None) or {}
    return isinstance(seal, dict) and "release" in seal


def _lessons(ids) -> list[str]:
    return sorted({k for k in map(lesson_of_id, ids) if k}, key=lambda k: (len(k), k))


def unlock(code: str) -> Released:
    """Open every answer of this lesson with the release code your instructor gives
    (``nkteach release-answers LESSON`` prints it): each exercise shown in this kernel shows its
    answer and explanation, each written task its model answer. Run the lesson's exercise cells
    first. A code that opens nothing raises :class:`ReleaseCodeError` saying which lesson it
    was tried on."""
    check_text("code", code)
    canon = sealing.normalise_code(code)
    if len(canon) != sealing.CODE_LENGTH or set(canon) - set(sealing.CODE_ALPHABET):
        raise ReleaseCodeError(f"code must be a release code such as 'ABCD-EFGH-JK01' ({sealing.CODE_LENGTH} "
                               f"letters and digits, dashes optional), got {code!r:.40}")
    shown = state.shown()
    carriers = {k: v for k, v in shown.items() if _has_blob(v)}
    if not carriers:
        raise ReleaseCodeError("no exercise shown in this kernel carries a released answer: run the "
                               "lesson's exercise cells first (an instructor copy, or a copy built with "
                               "--reveal after-tries or never, has nothing to unlock)")
    opened: dict[str, str] = {}
    for ex_id, obj in carriers.items():
        payload = obj.release(code)
        if payload is not None:
            obj.show_release(payload)
            opened[ex_id] = (f"Model answer: {payload.get('answer', '')}" if not hasattr(obj, "check")
                             else answer_text(payload))
    if not opened:
        lessons = _lessons(carriers)
        which = " or ".join(f"Lesson {k}" for k in lessons) or "this lesson"
        raise ReleaseCodeError(f"this code does not open {which} (tried on {len(carriers)} exercise(s)); "
                               "check the code and that it is this lesson's")
    return Released(_lessons(opened), opened)
