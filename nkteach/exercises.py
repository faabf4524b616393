"""Self-checking exercises with instant feedback: correct / also defensible / not yet.

Four kinds, each returning an :class:`Exercise` (an ipywidgets ``VBox``)::

    multiple_choice("l1-lens", "Which lens goes with the elite level?",
                    ["realism", "liberalism", "constructivism"],
                    answer="constructivism", why="...", citation="002 §II.A")
    classify([1, 2, 3])                       # items of the `statements` dataset
    numeric("l4-poll", "Share choosing war (%)?", answer=49.34, tolerance=0.05, unit="%")
    ordering("l2-order", "Put in order", ["Kelbajar taken", "Shusha taken"],
             answer=["Shusha taken", "Kelbajar taken"])

Answers and explanations are keyword arguments so the student build can remove them:
:func:`seal_source` rewrites a code cell (:func:`seal_notebook` a whole notebook), replacing
``answer=``/``also=`` by salted hashes (``answer_hash=``/``also_hash=``, salt = ex_id) and
dropping ``why=``; ``classify(...)`` gets ``sealed=True``. :func:`answer_texts` lists what a
cell still reveals (empty after sealing). Answers must be literals (arithmetic allowed).
A sealed exercise still tells right from wrong but never shows the answer. The hashes only
keep answers out of sight: the option lists are small, so they are not a secret, and the
``statements`` dataset ships the classify answers anyway.

``Exercise.check(answer)`` is pure (no front end needed) and returns a :class:`Result`.
Re-running a cell restores the last answer and feedback (registry keyed by exercise id).
"""
from __future__ import annotations

import ast
import functools
import hashlib
import html
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

__all__ = ["multiple_choice", "classify", "numeric", "ordering", "Result", "Exercise",
           "seal_source", "seal_notebook", "answer_texts", "answer_hash", "LEVEL_CHOICES",
           "CORRECT", "ALSO", "NOT_YET", "NO_ANSWER", "reset_state", "UnknownItemError", "written",
           "Written", "WRITTEN_TAG"]

CORRECT, ALSO, NOT_YET, NO_ANSWER = "correct", "also defensible", "not yet", "no answer"
# Text + symbol so the verdict never depends on colour (BRIEF §9 accessibility).
_ICON = {CORRECT: "✔", ALSO: "◐", NOT_YET: "✘", NO_ANSWER: "…"}
_HEAD = {CORRECT: "Correct.", ALSO: "Also defensible.", NOT_YET: "Not yet.",
         NO_ANSWER: "Choose an answer first."}
_COLOUR = {CORRECT: "#009E73", ALSO: "#0072B2", NOT_YET: "#D55E00", NO_ANSWER: "#000000"}
_SEALED_NOTE = "The explanation is in the instructor version."

# classify: label shown → canonical level code (BRIEF §2.4)
LEVEL_CHOICES = {"elite": "Elite", "nation": "Nation/society",
                 "international": "International", "linkage": "Linkage"}

_EXERCISE_FUNCS = {"multiple_choice", "numeric", "ordering", "classify", "written"}
_SECRET_KW = ("answer", "also", "why")
# written(): what only the instructor sees; the student build removes these keywords.
_WRITTEN_SECRET_KW = ("rubric", "model_answer")
# The Markdown cell after a written task holds the student's answer: tagged with WRITTEN_TAG
# and metadata {"nkteach": {"written": ex_id}} (made by the lesson template and new-lesson).
WRITTEN_TAG = "written-answer"


class UnknownItemError(KeyError, ValueError):
    """An item id that is not in the statements dataset (the message lists the known ids)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Result:
    """Outcome of :meth:`Exercise.check`: ``status`` is one of correct / also defensible /
    not yet / no answer; ``message`` is plain text (icon + verdict + why + citation)."""

    status: str
    message: str
    details: dict = field(default_factory=dict)   # per item for multi-item exercises

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    @property
    def icon(self) -> str:
        return _ICON[self.status]

    def __str__(self) -> str:
        return self.message


# ---------------------------------------------------------------- hashing / normalising

def _norm_text(value: Any) -> str:
    s = unicodedata.normalize("NFKC", str(value)).casefold()
    return re.sub(r"\s+", " ", s).strip()


def _digest(salt: str, text: str) -> str:
    return hashlib.sha256(f"{salt}\x1f{text}".encode("utf-8")).hexdigest()[:16]


def _num_key(value: float, tolerance: float) -> list[str]:
    """Keys a numeric answer hashes to: the value quantised on a grid of tolerance/10."""
    if tolerance <= 0:
        return [repr(float(f"{float(value):.9g}"))]
    step = tolerance / 10
    return [str(round(float(value) / step))]


def answer_hash(ex_id: str, answer: Any, *, kind: str = "text", tolerance: float = 0.0):
    """The salted sha256 (salt = ``ex_id``) that :func:`seal_source` writes for ``answer``.

    ``kind``: "text" (one option), "numeric" (needs ``tolerance``) or "ordering" (a list of
    items in order → one hash per position)."""
    if kind == "numeric":
        return _digest(ex_id, _num_key(answer, tolerance)[0])
    if kind == "ordering":
        return [_digest(ex_id, f"{i}\x1f{_norm_text(x)}") for i, x in enumerate(answer)]
    if kind == "text":
        return _digest(ex_id, _norm_text(answer))
    raise ValueError(f"unknown kind {kind!r}; allowed: 'text', 'numeric', 'ordering'")


# ---------------------------------------------------------------- state registry

# ex_id → {"question": str, "value": Any, "result": Result | None}
_STATE: dict[str, dict] = {}


def reset_state() -> None:
    """Forget every remembered answer (e.g. to restart a notebook's exercises)."""
    _STATE.clear()


# ---------------------------------------------------------------- pure checkers

@dataclass
class _Spec:
    """Everything needed to check one exercise, independent of the widgets."""

    ex_id: str
    question: str
    kind: str                                  # choice / numeric / ordering
    options: list = field(default_factory=list)
    answer: Any = None
    also: list = field(default_factory=list)
    answer_hash: Any = None
    also_hash: list = field(default_factory=list)
    why: str = ""
    citation: str = ""
    tolerance: float = 0.0
    unit: str = ""
    level: str | None = None
    answer_label: Callable[[Any], str] = str   # how to print the model answer

    @property
    def sealed(self) -> bool:
        return self.answer is None

    # -- verdicts
    def _status(self, value) -> str:
        if self.kind == "numeric":
            return self._numeric_status(value)
        if self.kind == "ordering":
            return CORRECT if self._ordering_hits(value) == len(self.options) else NOT_YET
        if not self.sealed:
            if _norm_text(value) == _norm_text(self.answer):
                return CORRECT
            return ALSO if _norm_text(value) in {_norm_text(a) for a in self.also} else NOT_YET
        h = _digest(self.ex_id, _norm_text(value))
        return CORRECT if h == self.answer_hash else ALSO if h in self.also_hash else NOT_YET

    def _numeric_status(self, value) -> str:
        x = float(value)
        tol = self.tolerance
        if not self.sealed:
            return CORRECT if abs(x - float(self.answer)) <= tol + 1e-12 else NOT_YET
        if tol <= 0:
            return CORRECT if _digest(self.ex_id, _num_key(x, 0)[0]) == self.answer_hash else NOT_YET
        step = tol / 10
        lo, hi = math.floor((x - tol) / step) - 1, math.ceil((x + tol) / step) + 1
        for k in range(lo, hi + 1):
            # the stored key is round(answer/step): accept grid points within tol + step/2
            if abs(x - k * step) <= tol + step / 2 and _digest(self.ex_id, str(k)) == self.answer_hash:
                return CORRECT
        return NOT_YET

    def _ordering_hits(self, order: Sequence) -> int:
        if self.sealed:
            return sum(_digest(self.ex_id, f"{i}\x1f{_norm_text(x)}") == h
                       for i, (x, h) in enumerate(zip(order, self.answer_hash)))
        return sum(_norm_text(a) == _norm_text(b) for a, b in zip(order, self.answer))

    # -- validation of a student's answer
    def _validate(self, value):
        """Return (clean value, None) or (None, message) for unusable input."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, _HEAD[NO_ANSWER]
        if self.kind == "choice":
            if _norm_text(value) not in {_norm_text(o) for o in self.options}:
                raise ValueError(f"{value!r} is not an option of exercise {self.ex_id!r}; "
                                 f"allowed: {', '.join(map(repr, self.options))}")
            return value, None
        if self.kind == "numeric":
            if isinstance(value, bool):
                raise TypeError(f"exercise {self.ex_id!r} expects a number, got {value!r}")
            try:
                x = float(str(value).replace(",", "").replace(self.unit, "").strip()
                          if isinstance(value, str) else value)
            except (TypeError, ValueError):
                raise ValueError(f"exercise {self.ex_id!r} expects a number, got {value!r}") from None
            if not math.isfinite(x):
                raise ValueError(f"exercise {self.ex_id!r} expects a finite number, got {value!r}")
            return x, None
        # ordering: a sequence of the items, or a mapping item → position (1-based)
        if isinstance(value, dict):
            missing = [o for o in self.options if value.get(o) in (None, "", "–")]
            if missing:
                return None, f"Give every event a position (missing: {'; '.join(missing)})."
            pos = sorted(value.values())
            if pos != list(range(1, len(self.options) + 1)):
                dup = sorted({p for p in pos if pos.count(p) > 1})
                return None, (f"Use each position 1–{len(self.options)} once "
                              f"(used more than once: {', '.join(map(str, dup))}).")
            value = [k for k, _ in sorted(value.items(), key=lambda kv: kv[1])]
        value = list(value)
        if sorted(map(_norm_text, value)) != sorted(map(_norm_text, self.options)):
            raise ValueError(f"exercise {self.ex_id!r} expects an order of exactly these items: "
                             f"{'; '.join(self.options)}; got {value!r}")
        return value, None

    def check(self, value) -> Result:
        value, problem = self._validate(value)
        if problem:
            return Result(NO_ANSWER, f"{_ICON[NO_ANSWER]} {problem}")
        status = self._status(value)
        parts = [f"{_ICON[status]} {_HEAD[status]}"]
        if self.kind == "ordering" and status == NOT_YET:
            parts.append(f"In the right place: {self._ordering_hits(value)} of {len(self.options)}.")
        if self.sealed:
            parts.append(_SEALED_NOTE if status != NOT_YET else "Try again. " + _SEALED_NOTE)
        elif status == NOT_YET:
            parts.append("Try again" + (f" — see {self.citation}." if self.citation else "."))
        else:
            if status == ALSO:
                parts.append(f"The main answer is {self.answer_label(self.answer)}.")
            if self.why:
                parts.append(self.why)
            if self.citation:
                parts.append(f"Source: {self.citation}.")
        return Result(status, " ".join(p.strip() for p in parts if p))

    def model_answer(self) -> str:
        """The model answer and why, or a note that it is in the instructor version."""
        if self.sealed:
            return _SEALED_NOTE
        ans = self.answer_label(self.answer)
        if self.kind == "ordering":
            ans = " → ".join(self.answer)
        elif self.kind == "numeric":
            ans = f"{self.answer:g}{self.unit}" + (f" (± {self.tolerance:g})" if self.tolerance else "")
        also = f" Also defensible: {', '.join(map(self.answer_label, self.also))}." if self.also else ""
        cite = f" Source: {self.citation}." if self.citation else ""
        return f"Model answer: {ans}.{also} {self.why}{cite}".replace("  ", " ").strip()


# ---------------------------------------------------------------- widgets (lazy)

@functools.lru_cache(maxsize=1)
def _classes() -> dict:
    import ipywidgets as w

    class Exercise(w.VBox):
        """A question, answer controls, a Check button and a live feedback line."""

        def __init__(self, spec: _Spec | None, control, *, read: Callable[[], Any],
                     write: Callable[[Any], None], header: str | None = None,
                     parts: Sequence["Exercise"] = ()):
            self.spec, self.ex_id = spec, (spec.ex_id if spec else None)
            self._read, self._write, self.parts = read, write, list(parts)
            self.result: Result | None = None
            q = header if header is not None else (
                f"<p><b>{html.escape(spec.question)}</b></p>" if spec else "")
            self.question_html = w.HTML(q)
            about = f": {spec.question[:80]}" if spec else ""
            self.button = w.Button(description="Check", icon="check", button_style="",
                                   tooltip=f"Check your answer{about}")
            self.feedback = w.HTML("", layout=w.Layout(min_height="1.5em"))
            self.button.on_click(lambda _b: self.submit())
            kids = [self.question_html, control] if control is not None else [self.question_html]
            if spec is not None:
                kids += [self.button, self.feedback]
                self.reveal_button = w.Button(description="Show the model answer",
                                              tooltip="Reveal the model answer and why",
                                              layout=w.Layout(display="none"))
                self.reveal_button.on_click(lambda _b: self._reveal())
                kids.append(self.reveal_button)
            super().__init__(kids)
            if spec is not None:
                self._restore()

        # pure API
        def check(self, answer) -> Result:
            """Check ``answer`` (an option, number, or list of items in order)."""
            if self.spec is None:
                return _group_check(self.parts, answer)
            return self.spec.check(answer)

        @property
        def value(self):
            return self._read()

        @value.setter
        def value(self, v):
            self._write(v)

        def submit(self) -> Result:
            """Check what the controls hold and show the feedback (the Check button)."""
            if self.spec is None:
                results = {p.ex_id.split(":", 1)[-1]: p.submit() for p in self.parts}
                return _summarise(results)
            try:
                res = self.check(self._read())
            except (ValueError, TypeError) as e:  # e.g. letters typed into a number box
                res = Result(NO_ANSWER, f"{_ICON[NO_ANSWER]} {e}")
            self._show(res)
            st = _STATE.setdefault(self.ex_id, {"question": self.spec.question})
            st.update(value=self._read(), result=res)
            return res

        def _show(self, res: Result) -> None:
            self.result = res
            self.feedback.value = (
                f'<div role="status" aria-live="polite" style="border-left:4px solid '
                f'{_COLOUR[res.status]};padding-left:6px">{html.escape(res.message)}</div>')
            show_reveal = res.status == NOT_YET and not self.spec.sealed
            self.reveal_button.layout.display = "" if show_reveal else "none"

        def _reveal(self) -> None:
            self.feedback.value += f"<div>{html.escape(self.spec.model_answer())}</div>"
            self.reveal_button.layout.display = "none"

        def _restore(self) -> None:
            st = _STATE.get(self.ex_id)
            if not st or st.get("question") != self.spec.question:
                _STATE[self.ex_id] = {"question": self.spec.question}
                return
            try:
                if st.get("value") is not None:
                    self._write(st["value"])
            except Exception:  # options changed since last run: start fresh
                _STATE[self.ex_id] = {"question": self.spec.question}
                return
            if st.get("result") is not None:
                self._show(st["result"])

        def _remember(self, _change=None) -> None:
            st = _STATE.setdefault(self.ex_id, {"question": self.spec.question})
            st["value"] = self._read()

    return {"Exercise": Exercise, "w": w}


def __getattr__(name):
    if name == "Exercise":
        return _classes()["Exercise"]
    raise AttributeError(f"module 'nkteach.exercises' has no attribute {name!r}")


def _group_check(parts, answers) -> Result:
    if not isinstance(answers, dict):
        raise TypeError("a multi-item exercise is checked with a dict {item_id: answer}; "
                        f"item ids: {', '.join(str(p.ex_id) for p in parts)}")
    by_id = {p.ex_id: p for p in parts}
    for k in answers:
        if k not in by_id and _item_key(k) not in by_id:
            raise UnknownItemError(f"unknown item {k!r}; items here: "
                                   f"{', '.join(p.ex_id.split(':', 1)[-1] for p in parts)}")
    results = {}
    for k, v in answers.items():
        results[k] = by_id[k if k in by_id else _item_key(k)].check(v)
    return _summarise(results)


def _summarise(results: dict) -> Result:
    n = len(results)
    ok = sum(r.status in (CORRECT, ALSO) for r in results.values())
    status = (CORRECT if all(r.status == CORRECT for r in results.values())
              else ALSO if ok == n else NOT_YET if any(r.status == NOT_YET for r in results.values())
              else NO_ANSWER)
    return Result(status, f"{_ICON[status]} {ok} of {n} answered correctly or defensibly.",
                  details=results)


def _check_id(ex_id) -> str:
    if not isinstance(ex_id, str) or not ex_id.strip():
        raise ValueError(f"ex_id must be a non-empty string (it keys saved answers), got {ex_id!r}")
    return ex_id


def _need_answer(ex_id, answer, answer_hash_):
    if answer is None and answer_hash_ is None:
        raise ValueError(f"exercise {ex_id!r} needs answer= (instructor) or answer_hash= (student build)")


def _aslist(x) -> list:
    return [] if x is None else [x] if isinstance(x, str) else list(x)


# ---------------------------------------------------------------- public constructors

def multiple_choice(ex_id: str, question: str, options: Sequence[str], *, answer=None, also=None,
                    why: str = "", citation: str = "", level: str | None = None,
                    answer_hash: str | None = None, also_hash=None, description: str = "Answer"):
    """One-answer question with RadioButtons. ``also``: option(s) that are also defensible."""
    _check_id(ex_id)
    _need_answer(ex_id, answer, answer_hash)
    options = [str(o) for o in options]
    if len(options) < 2 or len(set(map(_norm_text, options))) != len(options):
        raise ValueError(f"exercise {ex_id!r} needs at least two distinct options, got {options!r}")
    normed = {_norm_text(o) for o in options}
    for a in ([answer] if answer is not None else []) + _aslist(also):
        if _norm_text(a) not in normed:
            raise ValueError(f"exercise {ex_id!r}: answer {a!r} is not among the options "
                             f"{', '.join(map(repr, options))}")
    if answer is None:
        hashes = {_digest(ex_id, _norm_text(o)) for o in options}
        if answer_hash not in hashes:
            raise ValueError(f"exercise {ex_id!r}: answer_hash matches none of the options "
                             "(was the question edited after sealing? re-run the student build)")
    spec = _Spec(ex_id, question, "choice", options=options, answer=answer, also=_aslist(also),
                 answer_hash=answer_hash, also_hash=_aslist(also_hash), why=why,
                 citation=citation, level=level)
    w = _classes()["w"]
    radio = w.RadioButtons(options=options, value=None, description=description,
                           layout=w.Layout(width="max-content"))
    ex = _classes()["Exercise"](spec, radio, read=lambda: radio.value,
                                write=lambda v: setattr(radio, "value", v))
    radio.observe(ex._remember, names="value")
    return ex


def numeric(ex_id: str, question: str, *, answer: float | None = None, tolerance: float = 0.05,
            unit: str = "", why: str = "", citation: str = "", answer_hash: str | None = None,
            level: str | None = None, description: str = "Your answer"):
    """A number to type in; correct when within ``tolerance`` (absolute) of ``answer``."""
    _check_id(ex_id)
    _need_answer(ex_id, answer, answer_hash)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise ValueError(f"tolerance must be a number ≥ 0, got {tolerance!r}")
    if answer is not None and (isinstance(answer, bool) or not isinstance(answer, (int, float))):
        raise TypeError(f"exercise {ex_id!r}: answer must be a number, got {answer!r}")
    spec = _Spec(ex_id, question, "numeric", answer=answer, answer_hash=answer_hash, why=why,
                 citation=citation, tolerance=float(tolerance), unit=unit, level=level)
    w = _classes()["w"]
    # Text, not FloatText: an empty box must mean "no answer yet", not 0
    box = w.Text(value="", placeholder="type a number", description=description
                 + (f" ({unit})" if unit else ""), style={"description_width": "initial"})
    ex = _classes()["Exercise"](spec, box, read=lambda: box.value,
                                write=lambda v: setattr(box, "value", "" if v is None else str(v)))
    box.observe(ex._remember, names="value")
    return ex


def ordering(ex_id: str, question: str, items: Sequence[str], *, answer: Sequence[str] | None = None,
             why: str = "", citation: str = "", answer_hash: Sequence[str] | None = None,
             level: str | None = None):
    """Put ``items`` in order: one position Dropdown per item (keyboard usable, no dragging).

    ``answer`` lists the items in the right order; show ``items`` in a scrambled order."""
    _check_id(ex_id)
    _need_answer(ex_id, answer, answer_hash)
    items = [str(i) for i in items]
    if len(items) < 2 or len(set(map(_norm_text, items))) != len(items):
        raise ValueError(f"exercise {ex_id!r} needs at least two distinct items, got {items!r}")
    if answer is not None:
        answer = [str(a) for a in answer]
        if sorted(map(_norm_text, answer)) != sorted(map(_norm_text, items)):
            raise ValueError(f"exercise {ex_id!r}: answer must list exactly the items "
                             f"{'; '.join(items)}; got {answer!r}")
    elif isinstance(answer_hash, str) or len(answer_hash) != len(items):
        raise ValueError(f"exercise {ex_id!r}: answer_hash must be a list of {len(items)} hashes")
    spec = _Spec(ex_id, question, "ordering", options=items, answer=answer,
                 answer_hash=list(answer_hash) if answer_hash is not None else None, why=why,
                 citation=citation, level=level)
    w = _classes()["w"]
    choices = [("–", None)] + [(str(i), i) for i in range(1, len(items) + 1)]
    drops = [w.Dropdown(options=choices, value=None, description=it,
                        style={"description_width": "initial"},
                        layout=w.Layout(width="max-content"), tooltip=f"Position of: {it}")
             for it in items]
    hint = w.HTML("<i>Give each event a position (1 = earliest).</i>")

    def read():
        vals = {it: d.value for it, d in zip(items, drops)}
        return vals if any(v is not None for v in vals.values()) else None

    def write(v):
        if isinstance(v, dict):
            for it, d in zip(items, drops):
                d.value = v.get(it)
        else:  # a list in order
            pos = {_norm_text(x): i + 1 for i, x in enumerate(v)}
            for it, d in zip(items, drops):
                d.value = pos[_norm_text(it)]

    ex = _classes()["Exercise"](spec, w.VBox([hint, *drops]), read=read, write=write)
    for d in drops:
        d.observe(ex._remember, names="value")
    ex.dropdowns = dict(zip(items, drops))
    return ex


# ---------------------------------------------------------------- classify (statements dataset)

_LEVEL_WORDS = {"elite": "elite", "e": "elite", "nation": "nation", "nation/society": "nation",
                "society": "nation", "n": "nation", "international": "international",
                "i": "international", "linkage": "linkage", "l": "linkage"}


def _level_code(text) -> str | None:
    """'Linkage (elite → nation)' → 'linkage'; 'Nation/society' → 'nation'; '—' → None."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    t = _norm_text(text)
    if t in ("", "—", "-", "none", "<na>"):
        return None
    head = re.split(r"[\s(;,]", t, maxsplit=1)[0]
    if head in _LEVEL_WORDS:
        return _LEVEL_WORDS[head]
    raise ValueError(f"unrecognised level {text!r}; expected one of {', '.join(LEVEL_CHOICES.values())}")


def _item_key(item_id) -> str:
    return f"classify:{item_id}"


@functools.lru_cache(maxsize=1)
def _statements() -> dict[str, dict]:
    from .data import load

    return {str(r["item_id"]): r for r in load("statements", as_frame=False)}


def _lesson_items(rows: dict, lesson) -> list[str]:
    first = next(iter(rows.values()), {})
    col = next((c for c in ("lesson", "lessons") if c in first), None)
    if col is None:
        raise ValueError("the statements dataset has no 'lesson' column, so lesson= cannot "
                         "select items; pass item_ids instead")
    want = str(lesson).upper().lstrip("L")
    out = [k for k, r in rows.items()
           if want in [s.strip().upper().lstrip("L") for s in str(r.get(col) or "").split(";")]]
    if not out:
        raise ValueError(f"no statements tagged for lesson {lesson!r}")
    return out


def classify(item_ids=None, *, lesson=None, n: int | None = None, sealed: bool = False):
    """Classify statements of the ``statements`` dataset by level (BRIEF §2.4, §10.1).

    ``item_ids``: ids (or one id) such as "C08" or "K1"; ``lesson``: every item tagged for a
    lesson (1–8); neither: all "classify" items; ``n``: at most the first n. ``sealed=True`` (set by the student build) keeps the feedback to
    correct / also defensible / not yet, without the model answer or justification."""
    rows = _statements()
    if item_ids is None:
        ids = (_lesson_items(rows, lesson) if lesson is not None
               else [k for k, r in rows.items() if r.get("kind", "classify") == "classify"])
    else:
        ids = [str(i) for i in ([item_ids] if isinstance(item_ids, (str, int)) else item_ids)]
        unknown = [i for i in ids if i not in rows]
        if unknown:
            raise UnknownItemError(f"unknown statement id(s) {', '.join(unknown)}; known ids: "
                           f"{', '.join(rows)}")
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        ids = ids[:n]
    if not ids:
        raise ValueError("no statements selected")
    labels = list(LEVEL_CHOICES.values())
    to_label = LEVEL_CHOICES   # level code → label shown
    parts = []
    for i in ids:
        r = rows[i]
        main, also = _level_code(r["level"]), _level_code(r.get("also_defensible"))
        if main is None:
            raise ValueError(f"statement {i} has no level in the dataset")
        ex_id = _item_key(i)
        kw = dict(why=r.get("justification") or "", citation=r.get("citation") or "")
        if sealed:
            kw = dict(citation=kw["citation"], answer_hash=_digest(ex_id, _norm_text(to_label[main])),
                      also_hash=[_digest(ex_id, _norm_text(to_label[also]))] if also else None)
        else:
            kw.update(answer=to_label[main], also=[to_label[also]] if also and also != main else None)
            # the dataset's notes on the second answer / the linkage path help the student
            if also and r.get("also_note"):
                kw["why"] = f"{kw['why']} Also defensible: {to_label[also]} ({r['also_note']}).".strip()
            if r.get("linkage_answer"):
                kw["why"] = f"{kw['why']} Model linkage: {r['linkage_answer']}.".strip()
        parts.append(multiple_choice(ex_id, f"{i}. {r['statement']}", labels,
                                     description="Level", **kw))
    if len(parts) == 1:
        return parts[0]
    w = _classes()["w"]
    header = ("<p><b>Classify each statement by the level at which its mechanism operates</b> "
              "(elite, nation/society, international, or a linkage between levels).</p>")
    group = _classes()["Exercise"](None, w.VBox(parts), read=lambda: None, write=lambda v: None,
                                   header=header, parts=parts)
    group.items = {p.ex_id.split(":", 1)[1]: p for p in parts}
    return group


# ---------------------------------------------------------------- written tasks

@dataclass
class Written:
    """A written task: the prompt (and, in the instructor version, rubric and model answer).

    The student answers in the Markdown cell that follows (tagged ``WRITTEN_TAG``), so the
    answer is saved with the notebook the usual Jupyter way."""

    ex_id: str
    prompt: str
    min_words: int = 80
    rubric: list = field(default_factory=list)
    model_answer: str | None = None
    citation: str = ""

    def _repr_html_(self) -> str:
        e = html.escape
        parts = [f'<div class="nkteach-written" role="group" aria-label="Written task {e(self.ex_id)}">',
                 f"<p><b>✍ Written task ({e(self.ex_id)}).</b> {e(self.prompt)}</p>",
                 f"<p>Write at least {self.min_words} words in the Markdown cell below this one "
                 "(double-click it to edit), then save the notebook.</p>"]
        if self.citation:
            parts.append(f"<p>Evidence to start from: {e(self.citation)}.</p>")
        if self.rubric or self.model_answer:
            parts.append("<details><summary>Instructor: rubric and model answer</summary><ul>")
            parts += [f"<li>{e(str(c))}</li>" for c in self.rubric]
            parts.append("</ul>")
            if self.model_answer:
                parts.append(f"<p><i>Model answer:</i> {e(self.model_answer)}</p>")
            parts.append("</details>")
        return "\n".join(parts + ["</div>"])

    def __repr__(self) -> str:
        return f"Written task {self.ex_id}: {self.prompt} (at least {self.min_words} words)"


def written(ex_id: str, prompt: str, *, min_words: int = 80, rubric: Sequence[str] | None = None,
            model_answer: str | None = None, citation: str = "") -> Written:
    """A written task. ``rubric`` (3–4 criteria with descriptors) and ``model_answer`` are
    instructor-only: the student build removes them."""
    _check_id(ex_id)
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError(f"written task {ex_id!r} needs a non-empty prompt, got {prompt!r}")
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
        raise ValueError(f"written task {ex_id!r}: min_words must be a whole number >= 1, "
                         f"got {min_words!r}")
    if isinstance(rubric, str):
        raise ValueError(f"written task {ex_id!r}: rubric must be a list of criteria, not a string")
    return Written(ex_id, prompt, min_words, list(rubric or []), model_answer, citation)


# ---------------------------------------------------------------- sealing (student build)

def _ipython_safe(src: str) -> str:
    """Turn IPython-only lines (%magic, !shell) into comments of the same length for ast."""
    return "\n".join(re.sub(r"^(\s*)[%!]", r"\1#", ln) for ln in src.split("\n"))


def _func_name(call: ast.Call) -> str | None:
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    return name if name in _EXERCISE_FUNCS else None


_BIN = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
        ast.Div: lambda a, b: a / b, ast.Pow: lambda a, b: a ** b}


def _literal(node: ast.AST, what: str):
    """literal_eval plus plain arithmetic (e.g. ``answer=677 / 1372 * 100``)."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BIN:
        return _BIN[type(node.op)](_literal(node.left, what), _literal(node.right, what))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round":
        return round(*[_literal(a, what) for a in node.args])
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise ValueError(f"cannot seal {what}: it must be a literal (a string, number or list), "
                         f"got `{ast.unparse(node)}`") from None


def _kw(call: ast.Call, name: str):
    return next((k for k in call.keywords if k.arg == name), None)


def _sealed_call(call: ast.Call, name: str) -> ast.Call | None:
    kws = {k.arg: k for k in call.keywords}
    if name == "written":
        if not any(k in kws for k in _WRITTEN_SECRET_KW):
            return None
        return ast.Call(call.func, call.args,
                        [k for k in call.keywords if k.arg not in _WRITTEN_SECRET_KW])
    if name == "classify":
        cur = kws.get("sealed")
        if cur is not None and isinstance(cur.value, ast.Constant) and cur.value.value is True:
            return None
        keep = [k for k in call.keywords if k.arg != "sealed"]
        return ast.Call(call.func, call.args, keep + [ast.keyword("sealed", ast.Constant(True))])
    if not any(k in kws for k in _SECRET_KW):
        return None
    ex_node = call.args[0] if call.args else (kws["ex_id"].value if "ex_id" in kws else None)
    if ex_node is None:
        raise ValueError(f"cannot seal {name}(...) at line {call.lineno}: no ex_id")
    ex_id = _literal(ex_node, f"the ex_id of {name}() at line {call.lineno}")
    keep = [k for k in call.keywords if k.arg not in _SECRET_KW]
    where = f"{name}({ex_id!r})"
    if "answer" in kws:
        ans = _literal(kws["answer"].value, f"answer= of {where}")
        if name == "numeric":
            tol_kw = kws.get("tolerance")
            tol = _literal(tol_kw.value, f"tolerance= of {where}") if tol_kw else 0.05
            if tol_kw is None:  # make the default explicit: the hash depends on it
                keep.append(ast.keyword("tolerance", ast.Constant(tol)))
            h = answer_hash(ex_id, ans, kind="numeric", tolerance=tol)
            keep.append(ast.keyword("answer_hash", ast.Constant(h)))
        elif name == "ordering":
            keep.append(ast.keyword("answer_hash", ast.List(
                [ast.Constant(h) for h in answer_hash(ex_id, ans, kind="ordering")], ast.Load())))
        else:
            keep.append(ast.keyword("answer_hash", ast.Constant(answer_hash(ex_id, ans))))
    if "also" in kws:
        also = _aslist(_literal(kws["also"].value, f"also= of {where}"))
        if also:
            keep.append(ast.keyword("also_hash", ast.List(
                [ast.Constant(answer_hash(ex_id, a)) for a in also], ast.Load())))
    return ast.Call(call.func, call.args, keep)


def _calls(src: str):
    tree = ast.parse(_ipython_safe(src))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _func_name(node):
            yield node


def seal_source(cell_source: str) -> str:
    """Rewrite exercise calls in a code cell for the student build.

    ``answer=``/``also=`` become ``answer_hash=``/``also_hash=`` (salted with the ex_id),
    ``why=`` is dropped and ``classify(...)`` gets ``sealed=True``; the rest of the cell
    is left byte for byte. Raises ValueError if an answer is not a literal."""
    data = cell_source.encode("utf-8")
    starts = [0]
    for ln in data.split(b"\n")[:-1]:
        starts.append(starts[-1] + len(ln) + 1)
    edits = []
    for call in _calls(cell_source):
        new = _sealed_call(call, _func_name(call))
        if new is not None:
            a = starts[call.lineno - 1] + call.col_offset
            b = starts[call.end_lineno - 1] + call.end_col_offset
            edits.append((a, b, ast.unparse(new).encode("utf-8")))
    # outermost calls only: an exercise call nested in another is rewritten with it
    edits.sort()
    kept = [e for i, e in enumerate(edits) if not any(o[0] <= e[0] and e[1] <= o[1] and o != e
                                                       for o in edits)]
    for a, b, text in sorted(kept, reverse=True):
        data = data[:a] + text + data[b:]
    return data.decode("utf-8")


def answer_texts(cell_source: str) -> list[str]:
    """Every answer/explanation text in a cell's exercise calls (values of answer=, also=,
    why=, as strings). After :func:`seal_source` this is empty; the ``why=`` strings must not
    occur anywhere in the sealed cell (answers may, as they are also options)."""
    out: list[str] = []
    for call in _calls(cell_source):
        for k in call.keywords:
            if k.arg in _SECRET_KW + _WRITTEN_SECRET_KW:
                for node in ast.walk(k.value):
                    if isinstance(node, ast.Constant) and not isinstance(node.value, bool):
                        out.append(str(node.value))
                    elif isinstance(node, ast.Name):   # a variable: report its name
                        out.append(node.id)
    return out


def seal_notebook(nb: dict) -> dict:
    """A copy of a notebook (nbformat JSON as a dict) with :func:`seal_source` applied to every
    code cell and the outputs of changed cells cleared (they may show feedback)."""
    import copy

    out = copy.deepcopy(nb)
    for cell in out.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        sealed = seal_source(src)
        if sealed != src:
            cell["source"] = sealed
            cell["outputs"], cell["execution_count"] = [], None
    return out


from .progress import progress  # noqa: E402,F401  (re-export: ex.progress() shows the checklist)
