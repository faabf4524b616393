"""The kernel view: an exercise as an ipywidgets ``VBox`` (question, controls, Check button,
live feedback). The only module of the package that imports ipywidgets."""
from __future__ import annotations

from typing import Any
from collections.abc import Callable, Sequence

import ipywidgets as w

from ..lessonfile.statements import item_key
from ..lessonfile.style import REVEAL_AFTER
from ..markup import html_text
from ..outcomes import COLOURS, ICONS, NO_ANSWER, NOT_YET
from . import state
from ..lessonfile.statements import UnknownItemError
from ..validation import unknown_name
from .checker import InvalidArgumentError, Result, Spec, answer_text, summarise, verdict
from .form import AFTER_TRIES_NOTE, form_html

__all__ = ["Exercise"]   # the kinds also import `w` (ipywidgets) from here: the one import of it


class Exercise(w.VBox):
    """A question, answer controls, a Check button and a live feedback line (one exercise), or
    a group of exercises (``parts``, e.g. a classify call with several statements)."""

    def __init__(self, spec: Spec | None, control, *, read: Callable[[], Any],
                 write: Callable[[Any], None], header: str | None = None,
                 parts: Sequence[Exercise] = ()):
        self.spec, self.ex_id = spec, (spec.ex_id if spec else None)
        self._read, self._write, self.parts = read, write, list(parts)
        self.result: Result | None = None
        q = header if header is not None else (f"<p><b>{html_text(spec.question)}</b></p>" if spec else "")
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
            if spec.sealed and spec.can_reveal:     # a student copy built with --reveal after-tries
                kids.append(w.HTML(f"<i>{html_text(AFTER_TRIES_NOTE)}</i>"))
            self._key = (spec.ex_id, spec.fingerprint)
            self._register()
        super().__init__(kids)
        if spec is not None:
            self._restore()

    # -- registry
    def _register(self) -> None:
        old = state.FINGERPRINT.get(self.ex_id)
        if old is not None and old != self.spec.fingerprint:
            self.warning.value = (
                '<div role="alert">⚠ <b>Duplicate exercise id.</b> Another exercise shown in this '
                f"kernel also uses the id {html_text(repr(self.ex_id))} (a copied cell?). Each "
                "exercise keeps its own answers and feedback, but ids must be unique in a lesson: "
                "give this one a new id.</div>")
        state.FINGERPRINT[self.ex_id] = self.spec.fingerprint
        state.SHOWN[self.ex_id] = self

    @property
    def state(self) -> dict:
        """This exercise's kernel state (attempts, last result, controls' value), shared by re-displays."""
        return state.state_of(self._key)

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
        state.record(self.ex_id, self.spec.func, res.status, state.jsonable(answer), st["attempts"])
        return res

    def reveal(self) -> str | None:
        """The answer and explanation once released (``ex.unlock(code)``), or after
        ``REVEAL_AFTER`` wrong attempts in an "after-tries" copy; else None."""
        if self.spec is None:
            return None
        if self.state.get("released"):
            return answer_text(self.state["released"])
        if self.state["wrong"] < REVEAL_AFTER:
            return None
        return self.spec.reveal()

    def release(self, code: str) -> dict | None:
        """The release payload (answer, explanation) if ``code`` opens this exercise's seal."""
        return self.spec.release(code) if self.spec is not None else None

    def show_release(self, payload: dict) -> None:
        """Remember and show a released answer (called by ``ex.unlock``)."""
        self.state["released"] = payload
        self.feedback.value += f"<div>ℹ {html_text(answer_text(payload))}</div>"
        self.reveal_button.layout.display = "none"

    @property
    def value(self):
        """What the controls hold now (the answer :meth:`submit` would check)."""
        return self._read()

    @value.setter
    def value(self, v):
        """Put ``v`` into the controls, as if the student had entered it."""
        self._write(v)

    def submit(self) -> Result:
        """Check what the controls hold and show the feedback (the Check button)."""
        if self.spec is None:
            results = {p.ex_id.split(":", 1)[-1]: p.submit() for p in self.parts}
            return summarise(results)
        try:
            res = self.check(self._read())
        except (ValueError, TypeError) as e:  # e.g. letters typed into a number box
            res = Result(NO_ANSWER, f"{ICONS[NO_ANSWER]} {e}")
        self._show(res)
        self.state["value"] = self._read()
        return res

    def _show(self, res: Result) -> None:
        self.result = res
        self.feedback.value = (
            f'<div role="status" aria-live="polite" style="border-left:4px solid '
            f'{COLOURS[res.status]};padding-left:6px">{html_text(res.message)}</div>')
        can = res.status == NOT_YET and self.state["wrong"] >= REVEAL_AFTER and self.spec.can_reveal
        self.reveal_button.layout.display = "" if can else "none"

    def _reveal(self) -> None:
        text = self.reveal()
        if text:
            self.feedback.value += f"<div>ℹ {html_text(text)}</div>"
        self.reveal_button.layout.display = "none"

    def _restore(self) -> None:
        st = state.STATE.get(self._key)
        if not st:
            return
        try:
            if st.get("value") is not None:
                self._write(st["value"])
        except Exception:  # noqa: BLE001  options changed since last run: start fresh
            state.STATE.pop(self._key, None)
            return
        if st.get("result") is not None:
            self._show(st["result"])

    def remember(self, _change=None) -> None:
        """Keep what the controls hold (observer of the controls)."""
        self.state["value"] = self._read()

    # -- kernel-free fallback: JupyterLab shows the widget view (it outranks text/html);
    # a static page or an exported notebook shows the HTML form instead.
    def form_html(self) -> str:
        """The kernel-free HTML form of the exercise (what a static page or exported notebook shows)."""
        if self.spec is None:
            return self.question_html.value + "".join(p.form_html() for p in self.parts)
        return form_html(self.spec)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, None)
        data = dict(data or {})
        data["text/html"] = self.form_html()
        return (data, meta) if meta is not None else data


def _group_check(parts, answers) -> Result:
    if not isinstance(answers, dict):
        raise InvalidArgumentError("a multi-item exercise is checked with a dict {item_id: answer}; "
                                   f"item ids: {', '.join(str(p.ex_id) for p in parts)}")
    by_id = {p.ex_id: p for p in parts}
    for k in answers:
        if k not in by_id and item_key(k) not in by_id:
            raise unknown_name("item", k, [p.ex_id.split(":", 1)[-1] for p in parts], error=UnknownItemError,
                               what="items here")
    given = {(k if k in by_id else item_key(k)): v for k, v in answers.items()}
    results = {p.ex_id.split(":", 1)[-1]: (p.check(given[p.ex_id]) if p.ex_id in given
                                           else Result(NO_ANSWER, verdict(NO_ANSWER)))
               for p in parts}
    return summarise(results)
