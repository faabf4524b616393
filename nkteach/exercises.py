"""Self-checking exercises with instant feedback: correct / also defensible / not yet.

Four kinds, each returning an :class:`Exercise` (an ipywidgets ``VBox``)::

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
After three wrong attempts the student may reveal the answer unless the build said
``--no-reveal``.

Public contract: ``get(ex_id).check(answer)`` checks an answer of an exercise shown in this
kernel; the Check button takes the same path. Every check calls
``nkteach.progress.record(ex_id=, kind=, outcome=, answer=, attempt=)`` when that module exists.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable, Sequence

from . import sealing
from .data import on_clear
from .sealing import answer_texts, seal_notebook, seal_source  # noqa: F401  (public re-exports)
from .validation import InvalidArgumentError, UnknownNameError

__all__ = ["multiple_choice",  # noqa: F822  (Exercise: module __getattr__, built lazily) "classify", "numeric", "ordering", "written", "get", "Result",
           "Exercise", "Written", "seal_source", "seal_notebook", "answer_texts", "parse_number",
           "LEVEL_CHOICES", "CORRECT", "ALSO", "NOT_YET", "NO_ANSWER", "reset_state",
           "UnknownItemError", "UnknownExerciseError", "ExerciseDefinitionError", "WRITTEN_TAG",
           "REVEAL_AFTER"]

CORRECT, ALSO, NOT_YET, NO_ANSWER = "correct", "also defensible", "not yet", "no answer"
# Text + symbol so the verdict never depends on colour (accessibility rule of the house style).
_ICON = {CORRECT: "✔", ALSO: "◐", NOT_YET: "✘", NO_ANSWER: "…"}
_HEAD = {CORRECT: "Correct.", ALSO: "Also defensible.", NOT_YET: "Not yet.",
         NO_ANSWER: "Not answered."}
_COLOUR = {CORRECT: "#009E73", ALSO: "#0072B2", NOT_YET: "#D55E00", NO_ANSWER: "#000000"}
REVEAL_AFTER = 3          # wrong attempts before the student may reveal the answer

# classify: label shown → canonical level code
LEVEL_CHOICES = {"elite": "Elite", "nation": "Nation/society",
                 "international": "International", "linkage": "Linkage"}

# The Markdown cell after a written task holds the student's answer: tagged with WRITTEN_TAG
# and metadata {"nkteach": {"written": ex_id}} (made by the lesson template and new-lesson).
WRITTEN_TAG = "written-answer"
_FORM_JS = Path(__file__).resolve().parent / "templates" / "exercise_form.js"


class UnknownItemError(UnknownNameError):
    """An item id that is not in the statements dataset (the message lists the known ids)."""


class UnknownExerciseError(UnknownNameError):
    """``get(ex_id)`` for an exercise not shown in this kernel (the message lists those shown)."""


class ExerciseDefinitionError(InvalidArgumentError):
    """An inconsistent exercise (answer not among the options, bad tolerance …): for the author."""


@dataclass(frozen=True)
class Result:
    """Outcome of a check: ``status`` is one of correct / also defensible / not yet / no answer;
    ``message`` is plain text (icon + verdict + explanation or hint)."""

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


# ---------------------------------------------------------------- answers

_norm_text = sealing.normalise
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
            raise ValueError(f"expected a number such as 49.34 or 49,34, got {text!r}")
        x = float(s)
    if not math.isfinite(x):
        raise ValueError(f"expected a finite number, got {text!r}")
    return x


def _empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0
    return False


# ---------------------------------------------------------------- registry and state

# (ex_id, fingerprint) → {"value": Any, "result": Result | None, "attempts": int, "wrong": int}
_STATE: dict[tuple, dict] = {}
_SHOWN: dict[str, Any] = {}           # ex_id → the exercise shown last in this kernel
_FINGERPRINT: dict[str, str] = {}     # ex_id → fingerprint of the exercise shown under it


def reset_state() -> None:
    """Forget every remembered answer and shown exercise (e.g. to restart a notebook)."""
    _STATE.clear()
    _SHOWN.clear()
    _FINGERPRINT.clear()


def get(ex_id: str):
    """The exercise shown under ``ex_id`` in this kernel (a classify item: its id or "classify:ID")."""
    for key in (ex_id, f"classify:{ex_id}"):
        if isinstance(key, str) and key in _SHOWN:
            return _SHOWN[key]
    shown = sorted(_SHOWN)
    raise UnknownExerciseError(f"no exercise {ex_id!r} has been shown in this kernel; run its cell "
                               f"first. Shown: {', '.join(map(repr, shown)) or 'none'}")


@functools.lru_cache(maxsize=1)
def _progress_record():
    # importlib (not `from . import`) consults sys.modules, so a test can stand in for the store.
    import importlib

    return getattr(importlib.import_module(".progress", __package__), "record", None)


def _record(ex_id: str, kind: str, outcome: str, answer: Any, attempt: int) -> None:
    rec = _progress_record()
    if rec is None:
        return
    try:
        rec(ex_id=ex_id, kind=kind, outcome=outcome, answer=answer, attempt=attempt)
    except Exception:   # a failing store must never break feedback  # noqa: BLE001
        pass


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


# ---------------------------------------------------------------- pure checker

@dataclass
class _Spec:
    """Everything needed to check one exercise, independent of the widgets."""

    ex_id: str
    question: str
    kind: str                                  # choice / numeric / ordering
    func: str                                  # constructor name: multiple_choice, numeric …
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
        return self.answer is None

    @property
    def can_reveal(self) -> bool:
        return "reveal_key" in self.seal

    @property
    def fingerprint(self) -> str:
        text = json.dumps([self.func, self.question, self.options, self.seal["right"]], ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    def _validate(self, value):
        """(clean value, None) or (None, message) when there is no usable answer."""
        if _empty(value):
            return None, {"choice": "Choose an answer first.", "numeric": "Type a number first.",
                          "ordering": "Give every event a position."}[self.kind]
        if self.kind == "choice":
            if _norm_text(value) not in {_norm_text(o) for o in self.options}:
                raise InvalidArgumentError(f"{value!r} is not an option of exercise {self.ex_id!r}; "
                                           f"allowed: {', '.join(map(repr, self.options))}")
            return value, None
        if self.kind == "numeric":
            try:
                return parse_number(value, self.unit), None
            except ValueError as e:
                raise InvalidArgumentError(f"exercise {self.ex_id!r}: {e}") from None
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
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise InvalidArgumentError(f"exercise {self.ex_id!r} expects a list of the items in order "
                                       f"({'; '.join(self.options)}), got {value!r:.80}")
        value = list(value)
        if sorted(map(_norm_text, value)) != sorted(map(_norm_text, self.options)):
            raise InvalidArgumentError(f"exercise {self.ex_id!r} expects an order of exactly these "
                                       f"items: {'; '.join(self.options)}; got {value!r}")
        return value, None

    def _key_texts(self, value) -> list[str]:
        if self.kind == "numeric":
            return sealing.numeric_candidates(value, self.tolerance)
        if self.kind == "ordering":
            return [sealing.ordering_key(value)]
        return [_norm_text(value)]

    def check(self, value) -> Result:
        """Pure check: the verdict and the text shown (explanation only when right)."""
        value, problem = self._validate(value)
        if problem:
            return Result(NO_ANSWER, f"{_ICON[NO_ANSWER]} {_HEAD[NO_ANSWER]} {problem}")
        slot, payload = sealing.open_seal(self.seal, self.ex_id, self._key_texts(value))
        if slot in ("right", "also"):
            status = CORRECT if slot == "right" else ALSO
            return Result(status, f"{_ICON[status]} {_HEAD[status]} {payload['text']}".strip())
        parts = [f"{_ICON[NOT_YET]} {_HEAD[NOT_YET]}"]
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
        """"Answer: … explanation" when the build allows revealing, else None."""
        got = sealing.reveal_seal(self.seal, self.ex_id)
        return None if got is None else f"Answer: {got['answer']}. {got['text']}".strip()

    # -- kernel-free HTML form (static site, exported notebooks)
    def form_html(self) -> str:
        e = html.escape
        uid = f"nk-{uuid.uuid4().hex[:10]}"
        if self.kind == "choice":
            radios = "".join(
                f'<div><input type="radio" name="{uid}-a" id="{uid}-{i}" value="{e(o)}">'
                f'<label for="{uid}-{i}">{e(o)}</label></div>' for i, o in enumerate(self.options))
            control = f"<fieldset><legend>{e(self.question)}</legend>{radios}</fieldset>"
        elif self.kind == "numeric":
            unit = f" ({e(self.unit)})" if self.unit else ""
            control = (f"<p>{e(self.question)}</p><label for=\"{uid}-n\">Your answer{unit}</label> "
                       f'<input type="text" id="{uid}-n" inputmode="decimal" autocomplete="off">')
        else:
            n = len(self.options)
            sels = "".join(
                f'<div><label for="{uid}-{i}">{e(o)}</label> <select id="{uid}-{i}" data-item="{e(o)}">'
                '<option value="">–</option>'
                + "".join(f'<option value="{p}">{p}</option>' for p in range(1, n + 1))
                + "</select></div>" for i, o in enumerate(self.options))
            control = (f"<fieldset><legend>{e(self.question)}</legend>"
                       f"<p><i>Give each event a position (1 = earliest).</i></p>{sels}</fieldset>")
        seal_json = json.dumps(self.seal, ensure_ascii=True).replace("<", "\\u003c")
        hint = f' data-hint="{e(self.hint)}"' if self.hint else ""
        return (f'<div class="nkteach-exercise" id="{uid}" data-ex-id="{e(self.ex_id)}" '
                f'data-unit="{e(self.unit)}"{hint} role="group" aria-label="Exercise {e(self.ex_id)}">'
                f"<form>{control}"
                '<p><button type="submit">Check</button> '
                '<button type="button" class="nk-reveal" hidden>Show the answer</button></p>'
                '<div class="nk-feedback" role="status" aria-live="polite"></div></form>'
                f'<script type="application/json" class="nk-seal">{seal_json}</script>'
                f"<script>{_form_js()}(document.getElementById({json.dumps(uid)}));</script></div>")


@functools.lru_cache(maxsize=1)
def _form_js() -> str:
    return _FORM_JS.read_text(encoding="utf-8").strip().rstrip(";")


# ---------------------------------------------------------------- widgets (lazy)

@functools.lru_cache(maxsize=1)
def _classes() -> dict:
    import ipywidgets as w

    class Exercise(w.VBox):
        """A question, answer controls, a Check button and a live feedback line."""

        def __init__(self, spec: _Spec | None, control, *, read: Callable[[], Any],
                     write: Callable[[Any], None], header: str | None = None,
                     parts: Sequence[Exercise] = ()):
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
            self.warning = w.HTML("")
            if spec is not None:
                self.reveal_button = w.Button(
                    description="Show the answer", layout=w.Layout(display="none"),
                    tooltip=f"After {REVEAL_AFTER} tries: show the answer and why")
                self.reveal_button.on_click(lambda _b: self._reveal())
                kids = [self.warning, *kids, self.button, self.feedback, self.reveal_button]
                self._key = (spec.ex_id, spec.fingerprint)
                self._register()
            super().__init__(kids)
            if spec is not None:
                self._restore()

        # -- registry
        def _register(self) -> None:
            old = _FINGERPRINT.get(self.ex_id)
            if old is not None and old != self.spec.fingerprint:
                self.warning.value = (
                    '<div role="alert">⚠ <b>Duplicate exercise id.</b> Another exercise shown in this '
                    f"kernel also uses the id {html.escape(repr(self.ex_id))} (a copied cell?). Each "
                    "exercise keeps its own answers and feedback, but ids must be unique in a lesson: "
                    "give this one a new id.</div>")
            _FINGERPRINT[self.ex_id] = self.spec.fingerprint
            _SHOWN[self.ex_id] = self

        @property
        def state(self) -> dict:
            return _STATE.setdefault(self._key, {"value": None, "result": None, "attempts": 0, "wrong": 0})

        # -- public API
        def check(self, answer) -> Result:
            """Check ``answer`` (an option, a number or text, or a list of items in order),
            record the attempt, and return the feedback (explanation only when right)."""
            if self.spec is None:
                return _group_check(self.parts, answer)
            res = self.spec.check(answer)
            st = self.state
            if res.status != NO_ANSWER:
                st["attempts"] += 1
                st["wrong"] += res.status == NOT_YET
            st["result"] = res
            _record(self.ex_id, self.spec.func, res.status, _jsonable(answer), st["attempts"])
            return res

        def reveal(self) -> str | None:
            """The answer and explanation after ``REVEAL_AFTER`` wrong attempts (None before, or
            when the student copy was built with ``--no-reveal``)."""
            if self.spec is None or self.state["wrong"] < REVEAL_AFTER:
                return None
            return self.spec.reveal()

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
            self.state["value"] = self._read()
            return res

        def _show(self, res: Result) -> None:
            self.result = res
            self.feedback.value = (
                f'<div role="status" aria-live="polite" style="border-left:4px solid '
                f'{_COLOUR[res.status]};padding-left:6px">{html.escape(res.message)}</div>')
            can = (res.status == NOT_YET and self.state["wrong"] >= REVEAL_AFTER and self.spec.can_reveal)
            self.reveal_button.layout.display = "" if can else "none"

        def _reveal(self) -> None:
            text = self.reveal()
            if text:
                self.feedback.value += f"<div>ℹ {html.escape(text)}</div>"
            self.reveal_button.layout.display = "none"

        def _restore(self) -> None:
            st = _STATE.get(self._key)
            if not st:
                return
            try:
                if st.get("value") is not None:
                    self._write(st["value"])
            except Exception:  # noqa: BLE001  options changed since last run: start fresh
                _STATE.pop(self._key, None)
                return
            if st.get("result") is not None:
                self._show(st["result"])

        def _remember(self, _change=None) -> None:
            self.state["value"] = self._read()

        # -- kernel-free fallback: JupyterLab shows the widget view (it outranks text/html);
        # a static page or an exported notebook shows the HTML form instead.
        def form_html(self) -> str:
            if self.spec is None:
                head = self.question_html.value
                return head + "".join(p.form_html() for p in self.parts)
            return self.spec.form_html()

        def _repr_mimebundle_(self, **kwargs):
            bundle = super()._repr_mimebundle_(**kwargs)
            data, meta = bundle if isinstance(bundle, tuple) else (bundle, None)
            data = dict(data or {})
            data["text/html"] = self.form_html()
            return (data, meta) if meta is not None else data

    return {"Exercise": Exercise, "w": w}


def __getattr__(name):
    if name == "Exercise":
        return _classes()["Exercise"]
    raise AttributeError(f"module 'nkteach.exercises' has no attribute {name!r}")


def _group_check(parts, answers) -> Result:
    if not isinstance(answers, dict):
        raise InvalidArgumentError("a multi-item exercise is checked with a dict {item_id: answer}; "
                                   f"item ids: {', '.join(str(p.ex_id) for p in parts)}")
    by_id = {p.ex_id: p for p in parts}
    for k in answers:
        if k not in by_id and _item_key(k) not in by_id:
            raise UnknownItemError(f"unknown item {k!r}; items here: "
                                   f"{', '.join(p.ex_id.split(':', 1)[-1] for p in parts)}")
    given = {(k if k in by_id else _item_key(k)): v for k, v in answers.items()}
    results = {p.ex_id.split(":", 1)[-1]: (p.check(given[p.ex_id]) if p.ex_id in given
                                           else Result(NO_ANSWER, f"{_ICON[NO_ANSWER]} {_HEAD[NO_ANSWER]}"))
               for p in parts}
    return _summarise(results)


def _summarise(results: dict) -> Result:
    answered = {k: r for k, r in results.items() if r.status != NO_ANSWER}
    if not answered:
        return Result(NO_ANSWER, f"{_ICON[NO_ANSWER]} {_HEAD[NO_ANSWER]} Answer at least one item.",
                      details=results)
    n = len(results)
    ok = sum(r.status in (CORRECT, ALSO) for r in results.values())
    if any(r.status == NOT_YET for r in results.values()):
        status = NOT_YET
    elif len(answered) < n:
        status = NO_ANSWER
    else:
        status = CORRECT if all(r.status == CORRECT for r in results.values()) else ALSO
    return Result(status, f"{_ICON[status]} {ok} of {n} answered correctly or defensibly"
                  + (f" ({n - len(answered)} not answered)." if len(answered) < n else "."),
                  details=results)


# ---------------------------------------------------------------- construction checks

def _bad(ex_id, msg: str) -> ExerciseDefinitionError:
    return ExerciseDefinitionError(f"exercise {ex_id!r}: {msg}")


def _check_id(ex_id) -> str:
    if not isinstance(ex_id, str) or not ex_id.strip():
        raise ExerciseDefinitionError(f"ex_id must be a non-empty string (it keys saved answers), "
                                      f"got {ex_id!r}")
    return ex_id


def _aslist(x) -> list:
    return [] if x is None else [x] if isinstance(x, str) else list(x)


def _options(ex_id, options, what: str) -> list[str]:
    if isinstance(options, (str, bytes)) or options is None or not hasattr(options, "__iter__"):
        raise _bad(ex_id, f"{what} must be a list of strings, got {options!r}")
    options = [str(o) for o in options]
    if len(options) < 2 or len(set(map(_norm_text, options))) != len(options):
        raise _bad(ex_id, f"needs at least two distinct {what}, got {options!r}")
    return options


def _check_text_kw(ex_id, **kw) -> None:
    for k, v in kw.items():
        if v is not None and not isinstance(v, str):
            raise _bad(ex_id, f"{k}= must be a string, got {v!r}")


def _hints(ex_id, hint, options, answer, also) -> tuple[str, dict | None]:
    """(general hint, per-option hints) after checking the author's hint= value."""
    if hint is None or isinstance(hint, str):
        return hint or "", None
    if not isinstance(hint, dict):
        raise _bad(ex_id, f"hint= must be a string or a dict option → hint, got {hint!r}")
    normed = {_norm_text(o) for o in options}
    right = {_norm_text(a) for a in [answer, *also] if a is not None}
    for opt in hint:
        if _norm_text(opt) not in normed:
            raise _bad(ex_id, f"hint= names {opt!r}, which is not an option; options: "
                       f"{', '.join(map(repr, options))}")
        if _norm_text(opt) in right:
            raise _bad(ex_id, f"hint= gives a hint for {opt!r}, an accepted answer; hints are for "
                       "wrong options")
    return "", {str(k): str(v) for k, v in hint.items()}


def _need_answer(ex_id, answer, seal) -> None:
    if answer is None and seal is None:
        raise _bad(ex_id, "needs answer= (instructor copy) or seal= (student copy)")


def _spec(ex_id, question, func, *, answer, seal, reveal_ok=True, **values) -> dict:
    """The seal: the given one (student copy) or one made now from the answer (instructor)."""
    if seal is not None:
        return sealing.check_seal(seal, ex_id)
    return sealing.seal_kwargs(ex_id, func, {"answer": answer, **values}, reveal=reveal_ok)


# ---------------------------------------------------------------- public constructors

def multiple_choice(ex_id: str, question: str, options: Sequence[str], *, answer=None, also=None,
                    why: str = "", citation: str = "", hint=None, level: str | None = None,
                    seal: dict | None = None, description: str = "Answer", _reveal: bool = True,
                    _func: str = "multiple_choice"):
    """One-answer question with RadioButtons. ``also``: option(s) that are also defensible;
    ``hint``: shown after a wrong answer (a string, or a dict wrong option → hint)."""
    _check_id(ex_id)
    _check_text_kw(ex_id, question=question, why=why, citation=citation)
    _need_answer(ex_id, answer, seal)
    options = _options(ex_id, options, "options")
    normed = {_norm_text(o) for o in options}
    also = _aslist(also)
    for a in ([answer] if answer is not None else []) + also:
        if _norm_text(a) not in normed:
            raise _bad(ex_id, f"answer {a!r} is not among the options {', '.join(map(repr, options))}")
    if answer is not None and _norm_text(answer) in {_norm_text(a) for a in also}:
        raise _bad(ex_id, f"also= repeats the answer {answer!r}; list only other defensible options")
    general, per_option = _hints(ex_id, hint, options, answer, also)
    seal = _spec(ex_id, question, "multiple_choice", answer=answer, seal=seal, reveal_ok=_reveal,
                 also=also, why=why, citation=citation, hint=per_option)
    spec = _Spec(ex_id, question, "choice", _func, seal, options=options, answer=answer,
                 hint=general, citation=citation, level=level)
    w = _classes()["w"]
    radio = w.RadioButtons(options=options, value=None, description=description,
                           layout=w.Layout(width="max-content"))
    ex = _classes()["Exercise"](spec, radio, read=lambda: radio.value,
                                write=lambda v: setattr(radio, "value", v))
    radio.observe(ex._remember, names="value")
    return ex


def numeric(ex_id: str, question: str, *, answer: float | None = None, tolerance: float = 0.05,
            unit: str = "", why: str = "", citation: str = "", hint: str | None = None,
            seal: dict | None = None, level: str | None = None, description: str = "Your answer"):
    """A number to type in; correct when within ``tolerance`` (absolute) of ``answer``.

    Students may type a decimal comma ("49,34"), spaces, the unit or a ``%`` sign."""
    _check_id(ex_id)
    _check_text_kw(ex_id, question=question, why=why, citation=citation, unit=unit)
    _need_answer(ex_id, answer, seal)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) \
            or not math.isfinite(tolerance) or tolerance < 0:
        raise _bad(ex_id, f"tolerance must be a finite number ≥ 0, got {tolerance!r}")
    if answer is not None and (isinstance(answer, bool) or not isinstance(answer, (int, float))
                               or not math.isfinite(answer)):
        raise _bad(ex_id, f"answer must be a finite number, got {answer!r}")
    if hint is not None and not isinstance(hint, str):
        raise _bad(ex_id, f"hint= of a numeric exercise must be a string, got {hint!r}")
    seal = _spec(ex_id, question, "numeric", answer=answer, seal=seal, why=why, citation=citation,
                 tolerance=float(tolerance), unit=unit)
    if abs(float(seal.get("tolerance", tolerance)) - float(tolerance)) > 1e-12:
        raise _bad(ex_id, "tolerance= differs from the tolerance the seal was made with; rebuild")
    spec = _Spec(ex_id, question, "numeric", "numeric", seal, answer=answer, hint=hint or "",
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
             why: str = "", citation: str = "", hint: str | None = None, seal: dict | None = None,
             level: str | None = None):
    """Put ``items`` in order: one position Dropdown per item (keyboard usable, no dragging).

    ``answer`` lists the items in the right order; show ``items`` in a scrambled order."""
    _check_id(ex_id)
    _check_text_kw(ex_id, question=question, why=why, citation=citation)
    _need_answer(ex_id, answer, seal)
    items = _options(ex_id, items, "items")
    if answer is not None:
        if isinstance(answer, str):
            raise _bad(ex_id, f"answer must list the items in order, not a string: {answer!r}")
        answer = [str(a) for a in answer]
        if sorted(map(_norm_text, answer)) != sorted(map(_norm_text, items)):
            raise _bad(ex_id, f"answer must list exactly the items {'; '.join(items)}; got {answer!r}")
    if hint is not None and not isinstance(hint, str):
        raise _bad(ex_id, f"hint= of an ordering exercise must be a string, got {hint!r}")
    seal = _spec(ex_id, question, "ordering", answer=answer, seal=seal, why=why, citation=citation)
    if len(seal.get("positions", [])) != len(items):
        raise _bad(ex_id, f"the seal has {len(seal.get('positions', []))} positions for {len(items)} "
                   "items (was the question edited after sealing? rebuild the student copy)")
    spec = _Spec(ex_id, question, "ordering", "ordering", seal, options=items, answer=answer,
                 hint=hint or "", citation=citation, level=level)
    w = _classes()["w"]
    choices = [("–", None)] + [(str(i), i) for i in range(1, len(items) + 1)]
    drops = [w.Dropdown(options=choices, value=None, description=it,
                        style={"description_width": "initial"},
                        layout=w.Layout(width="max-content"), tooltip=f"Position of: {it}")
             for it in items]
    hint_w = w.HTML("<i>Give each event a position (1 = earliest).</i>")

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

    ex = _classes()["Exercise"](spec, w.VBox([hint_w, *drops]), read=read, write=write)
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
    raise InvalidArgumentError(f"unrecognised level {text!r}; expected one of "
                               f"{', '.join(LEVEL_CHOICES.values())}")


def _item_key(item_id) -> str:
    return f"classify:{item_id}"


@functools.lru_cache(maxsize=1)
def _statements() -> dict[str, dict]:
    from .data import load

    return {str(r["item_id"]): r for r in load("statements", as_frame=False)}


def clear_cache() -> None:
    """Forget the cached statements table (also run by ``nkteach.data.clear_cache()``)."""
    _statements.cache_clear()


on_clear(clear_cache)


def _lesson_items(rows: dict, lesson) -> list[str]:
    first = next(iter(rows.values()), {})
    col = next((c for c in ("lesson", "lessons") if c in first), None)
    if col is None:
        raise InvalidArgumentError("the statements dataset has no 'lesson' column, so lesson= cannot "
                         "select items; pass item_ids instead")
    want = str(lesson).upper().lstrip("L")
    out = [k for k, r in rows.items()
           if want in [s.strip().upper().lstrip("L") for s in str(r.get(col) or "").split(";")]]
    if not out:
        raise InvalidArgumentError(f"no statements tagged for lesson {lesson!r}")
    return out


def classify(item_ids=None, *, lesson=None, n: int | None = None, sealed: bool = False,
             reveal: bool = True):
    """Classify statements of the ``statements`` dataset by level (the classification rule is in
    data/curated/README.md; the items are the nkteach exercise bank).

    ``item_ids``: ids (or one id) such as "C08" or "K1"; ``lesson``: every item tagged for a
    lesson (1–8); neither: all "classify" items; ``n``: at most the first n. ``sealed=True`` (set
    by the student build) checks through seals made in the kernel, so the cell holds no answer;
    ``reveal=False`` (``student-build --no-reveal``) never offers to show the answer."""
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
            raise InvalidArgumentError(f"n must be a positive integer, got {n!r}")
        ids = ids[:n]
    if not ids:
        raise InvalidArgumentError("no statements selected")
    labels = list(LEVEL_CHOICES.values())
    to_label = LEVEL_CHOICES   # level code → label shown
    parts = []
    for i in ids:
        r = rows[i]
        main, also = _level_code(r["level"]), _level_code(r.get("also_defensible"))
        if main is None:
            raise InvalidArgumentError(f"statement {i} has no level in the dataset")
        ex_id = _item_key(i)
        why = r.get("justification") or ""
        also = also if also and also != main else None
        # the dataset's notes on the second answer / the linkage path help the student
        if also and r.get("also_note"):
            why = f"{why} Also defensible: {to_label[also]} ({r['also_note']}).".strip()
        if r.get("linkage_answer"):
            why = f"{why} Model linkage: {r['linkage_answer']}.".strip()
        kw = dict(citation=r.get("citation") or "")
        if sealed:   # same feedback, checked through a seal made here (no answer= in the cell)
            kw["seal"] = sealing.seal_kwargs(ex_id, "multiple_choice", dict(
                answer=to_label[main], also=[to_label[also]] if also else None, why=why,
                citation=kw["citation"]), reveal=reveal)
        else:
            kw.update(answer=to_label[main], also=[to_label[also]] if also else None, why=why,
                      _reveal=reveal)
        parts.append(multiple_choice(ex_id, f"{i}. {r['statement']}", labels,
                                     description="Level", _func="classify", **kw))
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
        raise InvalidArgumentError(f"written task {ex_id!r} needs a non-empty prompt, got {prompt!r}")
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
        raise InvalidArgumentError(f"written task {ex_id!r}: min_words must be a whole number >= 1, "
                         f"got {min_words!r}")
    if isinstance(rubric, str):
        raise InvalidArgumentError(f"written task {ex_id!r}: rubric must be a list of criteria, not a string")
    return Written(ex_id, prompt, min_words, list(rubric or []), model_answer, citation)




from .progress import progress  # noqa: E402,F401  (re-export: ex.progress() shows the checklist)
