"""The progress panel: a lesson's checklist, the *Hand in* button and the release-code box.

:func:`progress` (also ``nkteach.exercises.progress()``) reads the progress store
(:mod:`nkteach.classroom.progress`) and shows ✔ correct / ◐ also defensible / ✘ not yet /
○ not attempted for every checked exercise, the written tasks with their word counts, a button
that writes the hand-in file (:func:`nkteach.classroom.submission.submit`) and a box for the
release code the instructor gives out (``nkteach release-answers LESSON``), which opens the
lesson's explanations through ``unlock(code)`` of the exercises.

This module sits below the exercises: it never imports them. The release-code box calls the
``unlock`` function it is given (``nkteach.exercises.progress()`` passes its own); without one
it uses ``unlock`` of the exercises module already loaded in this kernel, if any.
"""
from __future__ import annotations

import sys
from collections.abc import Callable

from ..classroom.progress import (
    NOT_ATTEMPTED,
    SAVE_WARNING,
    LessonProgress,
    current_notebook,
    find_notebook,
    format_text,
    lesson_progress,
    session_lessons,
    status_text,
    written_text,
)
from ..markup import html_attr, html_text

__all__ = ["ProgressPanel", "progress", "panel_html", "STATIC_NOTE"]

#: the line under the checklist on a page without a kernel
STATIC_NOTE = ("The Hand in button and the release-code box work in the live lesson, in Jupyter; "
               "this checklist shows the progress recorded when the lesson was run.")


def panel_html(lp: LessonProgress) -> str:
    """The checklist as HTML (every text escaped; links only to the lesson's own headings)."""
    e, a = html_text, html_attr
    c = lp.counts()
    region = f"Your progress in lesson {lp.key}"
    out = [f'<div class="nkteach-progress" role="region" aria-label="{a(region)}">',
           f"<h3>Your progress{': ' + e(lp.title) if lp.title else ''}</h3>",
           (f"<p>{c['correct']} correct, {c['also defensible']} also defensible, {c['not yet']} not yet, "
            f"{c[NOT_ATTEMPTED]} not attempted (of {len(lp.items)} checked exercises).</p>"),
           ("<table><thead><tr><th scope='col'>Status</th><th scope='col'>Exercise</th>"
            "<th scope='col'>Section</th></tr></thead><tbody>")]

    def link(heading, anchor):
        return f'<a href="#{a(anchor)}">{e(heading)}</a>' if heading else ""

    for it in lp.items:
        out.append(f"<tr><td>{e(status_text(it))}</td><td>{e(it.ex_id)}</td>"
                   f"<td>{link(it.heading, it.anchor)}</td></tr>")
    for w in lp.written:
        out.append(f"<tr><td>{e(written_text(w))}</td><td>{e(w.ex_id)} (written task)</td>"
                   f"<td>{link(w.heading, w.anchor)}</td></tr>")
    out.append("</tbody></table>")
    if lp.unsaved:
        out.append(f'<p role="alert"><b>⚠ {e(SAVE_WARNING)}</b></p>')
    out.append("</div>")
    return "\n".join(out)


def _loaded_unlock() -> Callable | None:
    """``unlock`` of the exercises module this kernel has loaded (looked up, never imported)."""
    mod = sys.modules.get("nkteach.exercises")
    fn = getattr(mod, "unlock", None) if mod is not None else None
    return fn if callable(fn) else None


class ProgressPanel:
    """What :func:`progress` returns: HTML in a notebook, text elsewhere; in a live notebook an
    ipywidgets box with the checklist, the *Hand in* button and the release-code box."""

    def __init__(self, lp: LessonProgress, unlock: Callable | None = None):
        self.lesson = lp
        self._unlock = unlock

    def __str__(self) -> str:
        return format_text(self.lesson)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return panel_html(self.lesson)

    def static_html(self) -> str:
        """The kernel-free view (what a page without a kernel shows): the checklist, as in the
        widget, and a line saying where the *Hand in* button and the release-code box work."""
        note = f'<p class="nkteach-progress-note"><i>{html_text(STATIC_NOTE)}</i></p>'
        return f"{panel_html(self.lesson)}\n{note}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The widget view (:meth:`widget`) plus a ``text/html`` fallback (:meth:`static_html`)
        and the checklist as text: JupyterLab shows the widget; an exported page or the course
        site, which have no kernel, show the checklist."""
        bundle = self.widget()._repr_mimebundle_()
        data, meta = bundle if isinstance(bundle, tuple) else (bundle, None)
        data = dict(data or {})
        data["text/html"] = self.static_html()
        data["text/plain"] = str(self)
        return (data, meta) if meta else data

    def hand_in(self) -> str:
        """Write the hand-in file; the HTML status line shown under the button."""
        from ..classroom.submission import submit

        try:
            res = submit(self.lesson.notebook)
        except Exception as e:  # noqa: BLE001 (shown to the student, never a traceback)
            return f'<div role="status">✘ Not handed in: {html_text(str(e))}</div>'
        note = f"<br>⚠ {html_text(SAVE_WARNING)}" if res.unsaved else ""
        return (f'<div role="status">✔ Submission written: <code>{html_text(str(res.path))}</code> — '
                f"upload this file where your instructor asked.{note}</div>")

    def unlock(self, code: str) -> str:
        """Open the lesson's explanations with the instructor's release code; the status line."""
        fn = self._unlock or _loaded_unlock()
        if fn is None:
            return ('<div role="status">✘ Run the lesson\'s first code cell (it loads the exercises), '
                    "then enter the code again.</div>")
        try:
            res = fn(code)
        except Exception as e:  # noqa: BLE001 (a wrong code is the student's message, not a traceback)
            return f'<div role="status">✘ {html_text(str(e))}</div>'
        as_html = getattr(res, "_repr_html_", None)     # e.g. the exercises' Released summary
        if callable(as_html):
            return as_html()
        text = str(res) if res not in (None, "") else \
            "Code accepted: the explanations of this lesson are open."
        return f'<div role="status">✔ {html_text(text)}</div>'

    def widget(self):
        """An ipywidgets box: the checklist, 'Hand in', and the release-code box."""
        import ipywidgets as w

        body = w.HTML(self._repr_html_())
        button = w.Button(description="Hand in this lesson", icon="upload",
                          tooltip="Write your submission file (exercise answers and written answers)",
                          disabled=self.lesson.notebook is None)
        status = w.HTML(layout=w.Layout(min_height="1.5em"))
        code = w.Text(placeholder="XXXX-XXXX-XXXX", description="Release code",
                      style={"description_width": "initial"})
        open_b = w.Button(description="Open explanations", icon="unlock",
                          tooltip="Type the code your instructor gave out for this lesson")
        code_status = w.HTML(layout=w.Layout(min_height="1.5em"))

        def hand_in(_b=None):
            status.value = self.hand_in()

        def do_unlock(_b=None):
            code_status.value = self.unlock(code.value)

        button.on_click(hand_in)
        open_b.on_click(do_unlock)
        box = w.VBox([body, button, status, w.HBox([code, open_b]), code_status])
        box.hand_in, box.unlock, box.code = hand_in, do_unlock, code
        return box


class _Message:
    """What :func:`progress` shows when it cannot tell which lesson this is."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return f'<p role="status">{html_text(self.text)}</p>'


def _lesson_from_session() -> str | None:
    """The lesson this process recorded most checks for (the store keeps count)."""
    counts = session_lessons()
    return max(sorted(counts), key=counts.get) if counts else None


def progress(lesson=None, notebook=None, *, unlock: Callable | None = None):
    """Show this lesson's checklist with a Hand-in button and a release-code box. It reads the
    progress store, so it survives kernel restarts.

    Which lesson: ``notebook`` or ``lesson`` if given, else the notebook this kernel runs, else
    the lesson this kernel recorded checks for (its notebook looked for in the working folder).
    ``unlock``: the function the release-code box calls (default: the loaded exercises' own)."""
    if lesson is None and notebook is None:
        notebook = current_notebook()
        if notebook is None:
            lesson = _lesson_from_session()
            if lesson is None:
                return _Message("Your progress: this kernel does not say which notebook it runs and "
                                "no exercise has been checked yet; use ex.progress(lesson=N).")
    if notebook is None and lesson is not None:
        from ..lessonfile import lesson_key

        notebook = find_notebook(lesson_key(lesson))
    return ProgressPanel(lesson_progress(lesson, notebook), unlock=unlock)
