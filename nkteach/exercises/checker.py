"""The pure checker: verdicts from seals, with no widget in sight (no ipywidgets import).

A :class:`Spec` is everything needed to check one exercise; :meth:`Spec.check` gives a
:class:`Result` (an outcome from :mod:`nkteach.outcomes` and the text shown). The kernel view
(:mod:`.view`), the kernel-free form (:mod:`.form`) and the gradebook's re-grading
(:func:`check_call`) all check through here.
"""
from __future__ import annotations

import hashlib
import importlib
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .. import sealing
from ..lessonfile.kinds import KINDS, kind as _kind
from ..lessonfile.statements import UnknownItemError  # noqa: F401  (old imports read it here)
from ..outcomes import ALSO, CORRECT, HEADINGS, ICONS, NO_ANSWER, NOT_YET, RIGHT
from ..validation import InvalidArgumentError, UnknownNameError, check_int, unknown_name

__all__ = ["Result", "Spec", "parse_number", "check_call", "check_call_result", "summarise",
           "UnknownExerciseError", "ExerciseDefinitionError", "kind_module",
           "verdict", "empty", "answer_text"]


class UnknownExerciseError(UnknownNameError):
    """``get(ex_id)`` for an exercise not shown in this kernel (the message lists those shown)."""


class ExerciseDefinitionError(InvalidArgumentError):
    """An inconsistent exercise (answer not among the options, bad tolerance …): for the author."""


def verdict(status: str, text: str = "") -> str:
    """The plain-text line of a verdict: icon + heading (+ text); never colour alone."""
    return f"{ICONS[status]} {HEADINGS[status]} {text}".strip()


@dataclass(frozen=True)
class Result:
    """Outcome of a check: ``status`` is one of correct / also defensible / not yet / no answer;
    ``message`` is plain text (icon + verdict + explanation or hint)."""

    status: str
    message: str
    details: dict = field(default_factory=dict)   # per item for multi-item exercises

    @property
    def correct(self) -> bool:
        """True only for the ``correct`` status (not for ``also defensible``)."""
        return self.status == CORRECT

    @property
    def icon(self) -> str:
        """The icon of the status."""
        return ICONS[self.status]

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- answers

_norm = sealing.normalise
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_number(text: Any, unit: str = "") -> float:
    """A student's number: ``"49,34"``, ``" 49.34 % "``, ``"19 years"`` → float.

    Rule (the HTML form applies the same): NFKC; strip; drop a trailing ``unit`` or ``%``;
    drop spaces, ``_`` and apostrophes; one comma and no point → decimal comma, otherwise
    commas are thousands separators. Raises ValueError for anything else."""
    if isinstance(text, bool):
        raise ValueError(f"expected a number, got {text!r}")
    if isinstance(text, (int, float)):
        x = float(text)
    else:
        s = unicodedata.normalize("NFKC", str(text)).strip()
        for suf in (unit, "%"):
            if suf and s.lower().endswith(suf.lower()):
                s = s[: len(s) - len(suf)].strip()
        s = re.sub(r"[ _'’]", "", s)
        s = s.replace(",", ".") if s.count(",") == 1 and "." not in s else s.replace(",", "")
        if not _NUMBER.fullmatch(s):
            raise ValueError(f"expected a number such as 49.34 or 49,34, got {text!r:.80}")
        x = float(s)
    if not math.isfinite(x):
        raise ValueError(f"expected a finite number, got {text!r}")
    return x


def empty(value) -> bool:
    """True for "nothing answered": None, blank text, an empty collection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0
    return False


def _position(ex_id: str, item: str, p, n: int) -> int | None:
    """A position of an ordering answer: a whole number 1..n (digits as text are accepted)."""
    if p in (None, "", "–"):
        return None
    if isinstance(p, str) and p.strip().isdigit():
        p = int(p.strip())
    try:
        return check_int(f"the position of {item!r}", p, lo=1, hi=n)
    except InvalidArgumentError as e:
        raise InvalidArgumentError(f"exercise {ex_id!r}: {e}") from None


@dataclass
class Spec:
    """Everything needed to check one exercise, independent of the widgets."""

    ex_id: str
    question: str
    kind: str                                  # seal key type: choice / numeric / ordering
    func: str                                  # kind name in KINDS: multiple_choice, numeric …
    seal: dict
    options: list = field(default_factory=list)
    answer: Any = None                         # instructor copy only
    hint: str = ""                             # general hint, shown after any wrong answer
    citation: str = ""
    tolerance: float = 0.0
    unit: str = ""
    level: str | None = None

    @property
    def sealed(self) -> bool:
        """True when the spec holds no answer (a student copy: the seal decides)."""
        return self.answer is None

    @property
    def can_reveal(self) -> bool:
        """True when the seal ships its reveal key ("after-tries" copies)."""
        return "reveal_key" in self.seal

    @property
    def fingerprint(self) -> str:
        """A short hash of the kind, question, options and seal: tells copied cells with the same id apart."""
        text = json.dumps([self.func, self.question, self.options, self.seal["right"]], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def _validate(self, value):
        """(clean value, None) or (None, message) when there is no usable answer."""
        if empty(value):
            return None, KINDS[self.func].empty
        if self.kind == "choice":
            if _norm(value) not in {_norm(o) for o in self.options}:
                raise unknown_name("answer", value, self.options, error=InvalidArgumentError,
                                   what=f"the options of exercise {self.ex_id!r}")
            return value, None
        if self.kind == "numeric":
            try:
                return parse_number(value, self.unit), None
            except ValueError as e:
                raise InvalidArgumentError(f"exercise {self.ex_id!r}: {e}") from None
        return self._validate_order(value)

    def _validate_order(self, value):
        n = len(self.options)
        if isinstance(value, dict):     # item → position (1-based), as the Dropdowns give it
            unknown = [k for k in value if _norm(k) not in {_norm(o) for o in self.options}]
            if unknown:
                raise unknown_name("item", unknown[0], self.options, error=InvalidArgumentError,
                                   what=f"the items of exercise {self.ex_id!r}")
            given = {_norm(k): v for k, v in value.items()}
            pos = {o: _position(self.ex_id, o, given.get(_norm(o)), n) for o in self.options}
            missing = [o for o, p in pos.items() if p is None]
            if missing:
                return None, f"Give every event a position (missing: {'; '.join(missing)})."
            dup = sorted({p for p in pos.values() if list(pos.values()).count(p) > 1})
            if dup:
                return None, (f"Use each position 1–{n} once (used more than once: "
                              f"{', '.join(map(str, dup))}).")
            value = [o for o, _ in sorted(pos.items(), key=lambda kv: kv[1])]
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise InvalidArgumentError(f"exercise {self.ex_id!r} expects a list of the items in order "
                                       f"({'; '.join(self.options)}), got {value!r:.80}")
        value = list(value)
        if sorted(map(_norm, value)) != sorted(map(_norm, self.options)):
            raise InvalidArgumentError(f"exercise {self.ex_id!r} expects an order of exactly these "
                                       f"items: {'; '.join(self.options)}; got {value!r:.200}")
        return value, None

    def _key_texts(self, value) -> list[str]:
        if self.kind == "numeric":
            return sealing.numeric_candidates(value, self.tolerance)
        if self.kind == "ordering":
            return [sealing.ordering_key(value)]
        return [_norm(value)]

    def check(self, value) -> Result:
        """Pure check: the verdict and the text shown (explanation only when right)."""
        value, problem = self._validate(value)
        if problem:
            return Result(NO_ANSWER, verdict(NO_ANSWER, problem))
        slot, payload = sealing.open_seal(self.seal, self.ex_id, self._key_texts(value))
        if slot in ("right", "also"):
            status = CORRECT if slot == "right" else ALSO
            return Result(status, verdict(status, payload["text"]))
        parts = [verdict(NOT_YET)]
        if slot == "hint":
            parts.append(f"Hint: {payload['text']}")
        elif self.hint:
            parts.append(f"Hint: {self.hint}")
        if self.kind == "ordering":
            hits = sum(sealing.position_tag(self.ex_id, i, x) == t
                       for i, (x, t) in enumerate(zip(value, self.seal["positions"])))
            parts.append(f"In the right place: {hits} of {len(self.options)}.")
        elif self.kind == "numeric" and slot != "hint" and not self.hint:
            parts.append(f"{value:g} is not within the accepted range (± {self.tolerance:g}).")
        # the citation is public (it stays in the student copy) and says where to look
        see = f" — see {self.citation}." if self.citation and len(parts) == 1 else "."
        parts.append("Try again" + see)
        return Result(NOT_YET, " ".join(parts))

    def reveal(self) -> str | None:
        """"Answer: … explanation" when the seal ships its reveal key, else None."""
        got = sealing.reveal_seal(self.seal, self.ex_id)
        return None if got is None else answer_text(got)

    def release(self, code: str) -> dict | None:
        """The release payload (answer, explanation) if ``code`` opens this seal, else None."""
        return sealing.open_release(self.seal, self.ex_id, code)


def answer_text(payload: dict) -> str:
    """"Answer: … explanation" from a reveal or release payload."""
    return f"Answer: {payload.get('answer', '')}. {payload.get('text', '')}".strip()


def summarise(results: dict) -> Result:
    """One verdict for a group of items (classify): counts, and the worst outcome that matters."""
    answered = {k: r for k, r in results.items() if r.status != NO_ANSWER}
    if not answered:
        return Result(NO_ANSWER, verdict(NO_ANSWER, "Answer at least one item."), details=results)
    n = len(results)
    ok = sum(r.status in RIGHT for r in results.values())
    if any(r.status == NOT_YET for r in results.values()):
        status = NOT_YET
    elif len(answered) < n:
        status = NO_ANSWER
    else:
        status = CORRECT if all(r.status == CORRECT for r in results.values()) else ALSO
    return Result(status, f"{ICONS[status]} {ok} of {n} answered correctly or defensibly"
                  + (f" ({n - len(answered)} not answered)." if len(answered) < n else "."),
                  details=results)


# ---------------------------------------------------------------- re-grading (gradebook)

def kind_module(name: str):
    """The module of kind ``name`` (``nkteach.exercises.kinds.<module>``)."""
    return importlib.import_module(f"{__package__}.kinds.{_kind(name).module}")


def check_call_result(kind_or_func_name: str, kwargs: dict, answer) -> Result:
    """Check ``answer`` against an exercise given as the literal keyword arguments of the
    instructor's call (``question``, ``options``/``items``, ``answer``, ``also``, ``tolerance``,
    ``why`` …; positional arguments by their names, as :func:`nkteach.lessonfile.exercise_specs`
    gives them). Pure: no widget, no kernel state, nothing recorded. An answer the exercise
    would refuse (not an option, not a number, other items) is "not yet"."""
    k = _kind(kind_or_func_name)
    if not k.checked:
        raise InvalidArgumentError(f"{k.name} tasks are not checked automatically (count the words "
                                   "with nkteach.lessonfile.word_count)")
    if not isinstance(kwargs, dict):
        raise InvalidArgumentError(f"kwargs must be a dict of the call's keyword arguments, got "
                                   f"{type(kwargs).__name__}")
    spec = kind_module(k.name).spec_from_kwargs(dict(kwargs))
    try:
        return spec.check(answer)
    except (InvalidArgumentError, TypeError) as e:
        return Result(NOT_YET, verdict(NOT_YET, f"({e})"))


def check_call(kind_or_func_name: str, kwargs: dict, answer) -> str:
    """The outcome (a word of :mod:`nkteach.outcomes`) of :func:`check_call_result`."""
    return check_call_result(kind_or_func_name, kwargs, answer).status
