"""written: a written task, answered in the tagged Markdown cell that follows it."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ... import sealing
from ...lessonfile.style import MIN_WORDS
from ...markup import html_text
from ...validation import InvalidArgumentError, check_int
from .. import define as d
from .. import state
from ..form import written_release_html

__all__ = ["Written", "written"]


@dataclass
class Written:
    """A written task: the prompt, the rubric's criteria (students see them) and, in the
    instructor version, the model answer (a student copy in "release" mode carries it only
    in a release blob, opened by ``ex.unlock(code)``).

    The student answers in the Markdown cell that follows (tagged ``WRITTEN_TAG``), so the
    answer is saved with the notebook the usual Jupyter way."""

    ex_id: str
    prompt: str
    min_words: int = MIN_WORDS
    rubric: list = field(default_factory=list)
    model_answer: str | None = None
    citation: str = ""
    seal: dict | None = None
    released: str | None = None       # the model answer opened by ex.unlock(code)

    def release(self, code: str) -> dict | None:
        """The release payload (model answer) if ``code`` opens this task's seal, else None."""
        return sealing.open_release(self.seal or {}, self.ex_id, code)

    def show_release(self, payload: dict) -> None:
        """Keep the released model answer so the task's display shows it."""
        self.released = str(payload.get("answer", ""))

    def _repr_html_(self) -> str:
        e = html_text
        parts = [f'<div class="nkteach-written" role="group" aria-label="Written task {e(self.ex_id)}">',
                 f"<p><b>✍ Written task ({e(self.ex_id)}).</b> {e(self.prompt)}</p>",
                 f"<p>Write at least {self.min_words} words in the Markdown cell below this one "
                 "(double-click it to edit), then save the notebook.</p>"]
        if self.citation:
            parts.append(f"<p>Evidence to start from: {e(self.citation)}.</p>")
        if self.rubric:
            parts.append("<p>How your answer will be read (rubric):</p><ul>")
            parts += [f"<li>{e(str(c))}</li>" for c in self.rubric]
            parts.append("</ul>")
        model = self.model_answer or self.released
        if model:
            who = "Model answer (released)" if self.released and not self.model_answer \
                else "Instructor: model answer"
            parts.append(f"<details><summary>{e(who)}</summary><p>{e(model)}</p></details>")
        elif self.seal and "release" in self.seal:
            parts.append(written_release_html(self.ex_id, self.seal))
        return "\n".join(parts + ["</div>"])

    def __repr__(self) -> str:
        return f"Written task {self.ex_id}: {self.prompt} (at least {self.min_words} words)"


def written(ex_id: str, prompt: str, *, min_words: int = MIN_WORDS, rubric: Sequence[str] | None = None,
            model_answer: str | None = None, citation: str = "", seal: dict | None = None) -> Written:
    """A written task. ``rubric``: 3–4 criteria with descriptors (students see them);
    ``model_answer``: instructor-only (the student build takes it out, into a release blob in
    "release" mode). The answer goes in the Markdown cell below, tagged ``written-answer``
    (``nkteach.lessonfile.WRITTEN_TAG``)."""
    d.check_id(ex_id)
    if not isinstance(prompt, str) or not prompt.strip():
        raise InvalidArgumentError(f"written task {ex_id!r} needs a non-empty prompt, got {prompt!r:.80}")
    check_int(f"min_words of written task {ex_id!r}", min_words, lo=1)
    if isinstance(rubric, str) or (rubric is not None and not isinstance(rubric, (list, tuple))):
        raise InvalidArgumentError(f"written task {ex_id!r}: rubric must be a list of criteria, got "
                                   f"{rubric!r:.80}")
    d.check_texts(ex_id, model_answer=model_answer, citation=citation)
    if seal is not None and (not isinstance(seal, dict) or seal.get("kind") != "written"):
        raise InvalidArgumentError(f"written task {ex_id!r}: seal= is not a written task's seal "
                                   "(rebuild the student copy)")
    task = Written(ex_id, prompt, min_words, list(rubric or []), model_answer, citation, seal)
    state.SHOWN[ex_id] = task
    return task

