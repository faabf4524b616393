"""The exercise-kind registry: what each kind of exercise is, in one table (like charts.CHARTS).

Sealing (which keywords are answers, which key type), the lesson items (which calls ask what,
which expand into one item per statement), the lesson checker, the classroom loop, the nbgrader
export and the kernel-free form (:func:`form_table`, as JSON) all read :data:`KINDS`.

Adding a kind: one :class:`Kind` entry here and the kind's own module
``nkteach/exercises/kinds/<module>.py`` (its constructor, and ``spec(...)`` for checking).
This module imports only nkteach.validation (ground floor), so every layer may read it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..validation import check_choice

__all__ = ["Kind", "KINDS", "CHECKED_KINDS", "EXERCISE_FUNCS", "SEAL_TYPES", "kind", "form_table"]

SEAL_TYPES = ("choice", "numeric", "ordering")   # how an answer becomes a key (docs/sealing.md)


@dataclass(frozen=True)
class Kind:
    """One exercise kind.

    Attributes
    ----------
    name
        The constructor's name (``ex.<name>(...)``) and the key in :data:`KINDS`.
    module
        Its module under ``nkteach.exercises.kinds``.
    seal
        Key type of its seal (one of :data:`SEAL_TYPES`), or None when nothing is auto-checked.
    asked
        Positional parameters after ``ex_id``: what the student is asked (lesson version hash).
    asked_kw
        Keywords that also change what is asked.
    question
        The parameter holding the question text (``question``, ``prompt``).
    answers
        Keywords that are answers: the student build turns them into ``seal={...}`` (a ``hint``
        counts only in its per-option dict form).
    seal_values
        Keywords read (as literals) to make the seal.
    sealed_defaults
        Defaults the student build writes out because the seal was made with them.
    released
        Keywords the student copy loses that go into the release blob (written: model_answer).
    per_statement
        True when one call shows one item per statement of the ``statements`` dataset
        (classify): it takes no ``ex_id``; its seals are made in the kernel from the package data.
    empty
        What the form says when nothing is answered yet.
    """

    name: str
    module: str
    seal: str | None
    asked: tuple[str, ...]
    asked_kw: tuple[str, ...] = ()
    question: str = "question"
    answers: tuple[str, ...] = ("answer", "also", "why", "hint")
    seal_values: tuple[str, ...] = ("answer", "also", "why", "citation", "hint")
    sealed_defaults: dict = field(default_factory=dict)
    released: tuple[str, ...] = ()
    per_statement: bool = False
    empty: str = ""

    @property
    def positional(self) -> tuple[str, ...]:
        """The names of its positional parameters, ``ex_id`` first when it takes one."""
        return self.asked if self.per_statement else ("ex_id", *self.asked)

    @property
    def checked(self) -> bool:
        """True for auto-checked kinds (they have a seal and an outcome)."""
        return self.seal is not None


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("multiple_choice", "choice", "choice", ("question", "options"), ("question", "options"),
         empty="Choose an answer first."),
    Kind("numeric", "numeric", "numeric", ("question",), ("question",),
         seal_values=("answer", "also", "why", "citation", "hint", "tolerance", "unit"),
         sealed_defaults={"tolerance": 0.05}, empty="Type a number first."),
    Kind("ordering", "ordering", "ordering", ("question", "items"), ("question", "items"),
         empty="Give every event a position."),
    Kind("classify", "classify", "choice", ("item_ids",), ("item_ids", "lesson", "n"),
         question="item_ids", answers=(), seal_values=(), per_statement=True,
         empty="Choose an answer first."),
    Kind("written", "written", None, ("prompt",), ("prompt", "min_words"), question="prompt",
         answers=(), seal_values=(), released=("model_answer",)),
)}

CHECKED_KINDS = tuple(n for n, k in KINDS.items() if k.checked)
EXERCISE_FUNCS = frozenset(KINDS)


def kind(name: str) -> Kind:
    """The :class:`Kind` named ``name`` (a constructor name); a clear error for any other."""
    return KINDS[check_choice("kind", name, list(KINDS))]


def form_table() -> dict:
    """What the kernel-free form needs of each seal type (JSON-able): its empty-answer text."""
    out: dict = {}
    for k in KINDS.values():
        if k.seal and k.seal not in out:
            out[k.seal] = {"empty": k.empty}
    return out
