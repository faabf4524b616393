"""The kernel-free HTML form of an exercise (static site, exported notebooks, JupyterLab
without a kernel): it opens the same seal as the kernel with the browser's Web Crypto API
(``templates/exercise_form.js``, docs/sealing.md). Every text is escaped with nkteach.markup.
"""
from __future__ import annotations

import functools
import uuid
from pathlib import Path

from ..lessonfile.kinds import form_table
from ..lessonfile.style import REVEAL_AFTER
from ..markup import html_attr, html_text, script_json
from ..outcomes import HEADINGS, ICONS
from .checker import Spec

__all__ = ["form_html", "release_html", "form_js", "page_table", "CODE_PROMPT", "AFTER_TRIES_NOTE",
           "written_release_html"]

_FORM_JS = Path(__file__).resolve().parent.parent / "templates" / "exercise_form.js"
CODE_PROMPT = "Enter the release code from your instructor"
AFTER_TRIES_NOTE = (f"This copy carries its answers: after {REVEAL_AFTER} tries you can show the "
                    "answer (a self-study edition).")


@functools.lru_cache(maxsize=1)
def form_js() -> str:
    """The form's JavaScript (one function taking the exercise's root element)."""
    return _FORM_JS.read_text(encoding="utf-8").strip().rstrip(";")


def page_table() -> dict:
    """What the script needs from Python: the kinds (empty-answer texts), the outcome words and
    icons, and how many wrong tries before "Show the answer"."""
    return {"kinds": form_table(), "icons": ICONS, "headings": HEADINGS, "reveal_after": REVEAL_AFTER}


def _control(spec: Spec, uid: str) -> str:
    e = html_text
    if spec.kind == "choice":
        radios = "".join(
            f'<div><input type="radio" name="{uid}-a" id="{uid}-{i}" value="{html_attr(o)}">'
            f'<label for="{uid}-{i}">{e(o)}</label></div>' for i, o in enumerate(spec.options))
        return f"<fieldset><legend>{e(spec.question)}</legend>{radios}</fieldset>"
    if spec.kind == "numeric":
        unit = f" ({e(spec.unit)})" if spec.unit else ""
        return (f"<p>{e(spec.question)}</p><label for=\"{uid}-n\">Your answer{unit}</label> "
                f'<input type="text" id="{uid}-n" inputmode="decimal" autocomplete="off">')
    n = len(spec.options)
    sels = "".join(
        f'<div><label for="{uid}-{i}">{e(o)}</label> <select id="{uid}-{i}" data-item="{html_attr(o)}">'
        '<option value="">–</option>'
        + "".join(f'<option value="{p}">{p}</option>' for p in range(1, n + 1))
        + "</select></div>" for i, o in enumerate(spec.options))
    return (f"<fieldset><legend>{e(spec.question)}</legend>"
            f"<p><i>Give each event a position (1 = earliest).</i></p>{sels}</fieldset>")


def release_html(uid: str) -> str:
    """The release-code box (shown when the seal carries a release blob)."""
    return (f'<div class="nk-release"><label for="{uid}-code">{html_text(CODE_PROMPT)}</label> '
            f'<input type="text" id="{uid}-code" class="nk-code" autocomplete="off" spellcheck="false" '
            'placeholder="XXXX-XXXX-XXXX"> <button type="button" class="nk-unlock">Open the answer</button>'
            '<div class="nk-release-out" role="status" aria-live="polite"></div></div>')


def _scripts(uid: str, seal: dict) -> str:
    return (f'<script type="application/json" class="nk-seal">{script_json(seal, ascii_only=True)}</script>'
            f'<script type="application/json" class="nk-table">{script_json(page_table())}</script>'
            f"<script>{form_js()}(document.getElementById({script_json(uid)}));</script>")


def form_html(spec: Spec) -> str:
    """The exercise as a self-contained HTML form (no kernel needed)."""
    uid = f"nk-{uuid.uuid4().hex[:10]}"
    hint = f' data-hint="{html_attr(spec.hint)}"' if spec.hint else ""
    note = f'<p class="nk-note"><i>{html_text(AFTER_TRIES_NOTE)}</i></p>' if spec.can_reveal else ""
    release = release_html(uid) if "release" in spec.seal else ""
    return (f'<div class="nkteach-exercise" id="{uid}" data-ex-id="{html_attr(spec.ex_id)}" '
            f'data-unit="{html_attr(spec.unit)}"{hint} role="group" '
            f'aria-label="Exercise {html_attr(spec.ex_id)}">'
            f"<form>{_control(spec, uid)}"
            '<p><button type="submit">Check</button> '
            '<button type="button" class="nk-reveal" hidden>Show the answer</button></p>'
            '<div class="nk-feedback" role="status" aria-live="polite"></div></form>'
            f"{note}{release}{_scripts(uid, spec.seal)}</div>")


def written_release_html(ex_id: str, seal: dict) -> str:
    """A written task's release box: the code opens its model answer."""
    uid = f"nk-{uuid.uuid4().hex[:10]}"
    return (f'<div class="nkteach-exercise nk-written-release" id="{uid}" data-ex-id="{html_attr(ex_id)}" '
            f'role="group" aria-label="Model answer of {html_attr(ex_id)}">'
            f"{release_html(uid)}{_scripts(uid, seal)}</div>")
